"""Frontend benchmark: N concurrent chats through the app's queued API versus straight at the simulator.

    python -m frontend.bench --levels 50,200,500 --ttft-ms 200 --itl-ms 20

Starts a simulator and one app process on loopback, prints added time to first
token and added total latency (p50/p99), chats per second, errors, and the app
process's memory and CPU for each level, then says where it stopped scaling.
At ``--whole-levels`` it also runs a non-streaming client (``/gradio_api/run/chat``,
the whole answer in one response) and compares end-to-end p99. At ``--scale-level``
it then starts 2, 3, ... ``--max-processes`` app processes behind a round-robin
(chat i goes to process i mod k, its POST and its event stream alike, as session
affinity at the load balancer would do) until added TTFT p50 is under
``--scale-ttft-ms`` with no errors. Percentiles: ``loadtest.stats.percentile``
(linear interpolation between closest ranks).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time
from dataclasses import dataclass

import aiohttp

from frontend.bench.client import Outcome, direct_chat, queued_chat, whole_chat
from frontend.bench.load import ProcessSample, drive_and_sample
from frontend.bench.stats import Summary, ms, summarize
from frontend.devserver import Child, running_apps, start_simulator
from frontend.settings import Settings

MODEL = "Qwen/Qwen3-0.6B"
TARGET_ADDED_TTFT_S = 0.050
CORES = os.cpu_count() or 1
BUSY = 0.7
# Issue 14's targets: at 200 chats, CPU per chat and added TTFT p50; at 500, added TTFT p50 per process count.
TARGET_CPU_PER_CHAT_S = 0.004
TARGET_ADDED_TTFT_200_S = 0.010


@dataclass
class Level:
    concurrency: int
    direct: Summary
    app: Summary
    proc: ProcessSample
    whole: Summary | None = None
    processes: int = 1

    @property
    def added_ttft_p50(self) -> float:
        return self.app.ttft_p50 - self.direct.ttft_p50

    @property
    def cpu_per_chat_s(self) -> float:
        return self.proc.cpu_s / self.app.chats if self.app.chats else math.nan

    @property
    def cpu_needed(self) -> float:
        """Cores the app would need to keep pace with the direct chat rate."""
        return self.cpu_per_chat_s * self.direct.chats_per_s

    @property
    def processes_needed(self) -> int:
        """App processes (one core each) to serve this level's direct chat rate, none of them
        more than ``BUSY`` busy: an estimate from the measured CPU per chat, not a measurement."""
        if math.isnan(self.cpu_per_chat_s):
            return 0
        return max(1, math.ceil(self.cpu_needed / BUSY - 1e-9))

    @property
    def efficiency(self) -> float:
        return self.app.chats_per_s / self.direct.chats_per_s if self.direct.chats_per_s else 0.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m frontend.bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--levels", default="50,200,500", help="comma-separated concurrent chats")
    p.add_argument("--rounds", type=int, default=3, help="chats per simulated user at each level")
    p.add_argument("--ttft-ms", type=float, default=200.0)
    p.add_argument("--itl-ms", type=float, default=30.0)
    p.add_argument("--output-tokens", type=int, default=64)
    p.add_argument("--ramp-seconds", type=float, default=2.0,
                   help="spread the users' first chats over this many seconds (0: all at once)")
    p.add_argument("--queue-concurrency", type=int, default=0, help="QUEUE_CONCURRENCY (0: app default)")
    p.add_argument("--app-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for the app, e.g. STREAM_INTERVAL_MS=200 (repeatable)")
    p.add_argument("--no-pin", dest="pin", action="store_false",
                   help="do not give the app a core of its own (by default the app runs on core 0 and the "
                        "simulator and load generator on the others)")
    p.add_argument("--whole-levels", default="50",
                   help="levels at which a non-streaming client (/gradio_api/run/chat) runs too ('' for none)")
    p.add_argument("--scale-level", type=int, default=500,
                   help="concurrency at which 2..--max-processes app processes are tried (0: none)")
    p.add_argument("--max-processes", type=int, default=3)
    p.add_argument("--scale-ttft-ms", type=float, default=20.0,
                   help="added TTFT p50 (and 0 errors) the process count must hold at --scale-level")
    p.add_argument("--chat-timeout", type=float, default=60.0, help="seconds per chat before it counts as error")
    p.add_argument("--level-seconds", type=float, default=60.0, help="time cap of one level and target")
    return p.parse_args(argv)


def row(name: str, n: int, s: Summary) -> str:
    return (f"{name:<7}{n:>6}{s.chats:>7}{s.errors:>7}{s.chats_per_s:>9.1f}"
            f"{ms(s.ttft_p50):>10}{ms(s.ttft_p99):>10}{ms(s.total_p50):>11}{ms(s.total_p99):>11}")


def added(level: Level) -> str:
    a, d = level.app, level.direct
    whole = ""
    if level.whole is not None and level.whole.total_p99 > 0:
        w = level.whole
        whole = (f"; non-streaming client total p99 {ms(w.total_p99)} ms, streamed/non-streaming p99 "
                 f"{a.total_p99 / w.total_p99:.2f}")
    return (f"  added by the app: TTFT p50 +{ms(a.ttft_p50 - d.ttft_p50)} ms, p99 +{ms(a.ttft_p99 - d.ttft_p99)} ms;"
            f" total p50 +{ms(a.total_p50 - d.total_p50)} ms, p99 +{ms(a.total_p99 - d.total_p99)} ms;"
            f" app RSS peak {level.proc.rss_peak_mb:.0f} MiB (end {level.proc.rss_end_mb:.0f} MiB),"
            f" app CPU {level.proc.cpu_avg_pct:.0f}% of one core, {level.cpu_per_chat_s * 1000:.1f} ms per chat;"
            f" machine load {level.proc.load_avg:.1f} on {CORES} cores{whole}")


def verdict(levels: list[Level], queue_concurrency: int = Settings().queue_concurrency) -> list[str]:
    lines = []
    for lv in levels:
        problems = []
        if lv.app.errors:
            problems.append(f"{lv.app.errors} errors (first: {lv.app.first_error[:120]})")
        if math.isnan(lv.added_ttft_p50) or lv.added_ttft_p50 > TARGET_ADDED_TTFT_S:
            problems.append(f"added TTFT p50 {ms(lv.added_ttft_p50)} ms > {ms(TARGET_ADDED_TTFT_S)} ms")
        if lv.efficiency < 0.9:
            problems.append(f"throughput {lv.efficiency:.0%} of direct")
        state = "OK" if not problems else "; ".join(problems)
        lines.append(f"  {lv.concurrency:>4} concurrent chats: {state}; estimate: {lv.processes_needed} app "
                     f"process(es) at {lv.cpu_per_chat_s * 1000:.1f} ms CPU per chat and <= {BUSY:.0%} busy each "
                     f"for {lv.direct.chats_per_s:.0f} chats/s (an estimate from CPU; the scale-out below measures)")
    bad = next((lv for lv in levels if lv.app.errors or lv.efficiency < 0.9
                or lv.added_ttft_p50 > TARGET_ADDED_TTFT_S), None)
    if bad is None:
        lines.append("  scaled across all levels")
    else:
        if bad.cpu_needed >= BUSY:
            why = (f"CPU: at {bad.cpu_per_chat_s * 1000:.1f} ms of app CPU per chat, keeping pace with "
                   f"{bad.direct.chats_per_s:.0f} chats/s needs {bad.cpu_needed:.0%} of a core, and one process "
                   f"runs one Python event loop (it got {bad.proc.cpu_avg_pct:.0f}% of a core here); past "
                   f"~{BUSY:.0%} busy, every step of every chat waits longer for the loop")
        elif bad.proc.load_avg > CORES:
            why = (f"the machine is oversubscribed (load {bad.proc.load_avg:.1f} on {CORES} cores): the app "
                   f"got {bad.proc.cpu_avg_pct:.0f}% of a core while other processes competed for the rest")
        else:
            why = (f"the app process was at {bad.proc.cpu_avg_pct:.0f}% CPU: the limit is elsewhere "
                   "(queue concurrency or the load generator)")
        if bad.concurrency > queue_concurrency:
            why += (f"; also {bad.concurrency - queue_concurrency} chats at a time wait in Gradio's queue "
                    f"(QUEUE_CONCURRENCY={queue_concurrency})")
        lines.append(f"  stops scaling at {bad.concurrency} concurrent chats: {why}")
    return lines


def levels_of(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


async def run_direct(n: int, args: argparse.Namespace, api_base: str) -> Summary:
    async def direct(session: aiohttp.ClientSession, i: int) -> Outcome:
        return await direct_chat(session, api_base, MODEL, f"benchmark chat {i}", args.chat_timeout)

    out, wall, _ = await drive_and_sample(direct, n, args.rounds, args.level_seconds, args.ramp_seconds, None)
    return summarize(out, wall)


async def run_app(n: int, args: argparse.Namespace, app_urls: list[str], app_pids: list[int],
                  whole: bool = False) -> tuple[Summary, ProcessSample]:
    """``n`` users through the apps at ``app_urls``, chat ``i`` to app ``i mod len(app_urls)``."""
    client = whole_chat if whole else queued_chat

    async def via_app(session: aiohttp.ClientSession, i: int) -> Outcome:
        return await client(session, app_urls[i % len(app_urls)], [f"benchmark chat {i}"], args.chat_timeout)

    out, wall, proc = await drive_and_sample(via_app, n, args.rounds, args.level_seconds, args.ramp_seconds,
                                             app_pids)
    return summarize(out, wall), proc


async def warm_up(args: argparse.Namespace, app_urls: list[str], api_base: str) -> None:
    async with aiohttp.ClientSession() as session:
        for i in range(5):
            for url in app_urls:
                await queued_chat(session, url, [f"warm-up {i}"], args.chat_timeout)
            await direct_chat(session, api_base, MODEL, f"warm-up {i}", args.chat_timeout)


async def benchmark(args: argparse.Namespace, app_url: str, api_base: str, app_pid: int) -> list[Level]:
    await warm_up(args, [app_url], api_base)
    print(f"{'target':<7}{'conc':>6}{'chats':>7}{'errors':>7}{'chats/s':>9}{'ttft p50':>10}{'ttft p99':>10}"
          f"{'total p50':>11}{'total p99':>11}   (latencies in ms)")
    levels = []
    whole_at = set(levels_of(args.whole_levels))
    for n in levels_of(args.levels):
        direct = await run_direct(n, args, api_base)
        app, proc = await run_app(n, args, [app_url], [app_pid])
        whole = (await run_app(n, args, [app_url], [app_pid], whole=True))[0] if n in whole_at else None
        lv = Level(n, direct, app, proc, whole)
        levels.append(lv)
        print(row("direct", n, lv.direct))
        print(row("app", n, lv.app))
        if whole is not None:
            print(row("whole", n, whole))
        print(added(lv), flush=True)
    return levels


def faster(a: Summary, b: Summary) -> Summary:
    """The direct run with the lower TTFT p50: the stricter baseline for the app's added TTFT."""
    return b if b.ttft_p50 < a.ttft_p50 else a


async def scale_level(args: argparse.Namespace, earlier: Summary, app_urls: list[str], api_base: str,
                      app_pids: list[int]) -> Level:
    """The scale level through ``app_urls``, after a direct run of its own (the machine's load
    drifts between runs); the app is compared with the faster of that run and ``earlier``."""
    await warm_up(args, app_urls, api_base)
    n = args.scale_level
    fresh = await run_direct(n, args, api_base)
    print(row("direct", n, fresh))
    direct = faster(earlier, fresh)
    app, proc = await run_app(n, args, app_urls, app_pids)
    lv = Level(n, direct, app, proc, processes=len(app_urls))
    print(row(f"app x{len(app_urls)}", n, app))
    print(added(lv), flush=True)
    return lv


def inconclusive(lv: Level, limit_s: float) -> bool:
    """The app's TTFT p50 beat the direct run's by more than ``limit_s``: the app cannot take time
    off the model's answer, so the machine's load changed between the two runs."""
    return lv.added_ttft_p50 < -limit_s


def scale_added(lv: Level, limit_s: float, model_ttft_s: float) -> float:
    """The app's added TTFT p50 at the scale level. When the direct run was slower than the app by
    more than ``limit_s`` (the direct client is then the bottleneck or the load drifted), the
    simulator's configured TTFT is the baseline: no answer starts earlier, so it is the strictest."""
    return lv.app.ttft_p50 - model_ttft_s if inconclusive(lv, limit_s) else lv.added_ttft_p50


def scale_verdict(tried: list[Level], limit_s: float, model_ttft_s: float = 0.0) -> str:
    """Which process count held added TTFT p50 under ``limit_s`` with no errors at the scale level."""
    if not tried:
        return "  scale-out: not run"
    n = tried[0].concurrency
    ok = [lv for lv in tried if not lv.app.errors and scale_added(lv, limit_s, model_ttft_s) < limit_s]

    def figure(lv: Level) -> str:
        text = f"{lv.processes}: +{ms(lv.added_ttft_p50)} ms, {lv.app.errors} errors"
        if inconclusive(lv, limit_s):
            text += (f" (the direct run was slower than the app; app TTFT p50 {ms(lv.app.ttft_p50)} ms is "
                     f"+{ms(scale_added(lv, limit_s, model_ttft_s))} ms over the simulator's configured "
                     f"{ms(model_ttft_s)} ms)")
        return text

    figures = ", ".join(figure(lv) for lv in tried)
    if ok:
        return (f"  at {n} concurrent chats, {ok[0].processes} app process(es) hold added TTFT p50 under "
                f"{ms(limit_s)} ms with 0 errors (measured; processes: {figures})")
    return (f"  at {n} concurrent chats, none of 1..{tried[-1].processes} app processes held added TTFT p50 "
            f"under {ms(limit_s)} ms with 0 errors on this machine ({figures}); {CORES} cores are shared by the "
            "apps, the simulator and the load generator")


def targets(levels: list[Level]) -> list[str]:
    """Issue 14's targets, each with its measured figure."""
    by_n = {lv.concurrency: lv for lv in levels if lv.processes == 1}
    lines = []
    if 200 in by_n:
        lv = by_n[200]
        cpu, ttft = lv.cpu_per_chat_s, lv.added_ttft_p50
        ttft_state = ("inconclusive (the direct baseline was slower than the app)"
                      if inconclusive(lv, TARGET_ADDED_TTFT_200_S)
                      else "met" if ttft <= TARGET_ADDED_TTFT_200_S else "NOT met")
        lines.append(f"  200: CPU per chat {cpu * 1000:.1f} ms (<= {TARGET_CPU_PER_CHAT_S * 1000:g}): "
                     f"{'met' if cpu <= TARGET_CPU_PER_CHAT_S else 'NOT met'}; added TTFT p50 +{ms(ttft)} ms "
                     f"(<= {ms(TARGET_ADDED_TTFT_200_S)}): {ttft_state}")
    if 50 in by_n and by_n[50].whole is not None:
        lv = by_n[50]
        w = lv.whole
        assert w is not None
        met = not lv.app.errors and lv.app.total_p99 <= w.total_p99
        lines.append(f"  50: end-to-end p99 streamed {ms(lv.app.total_p99)} ms vs non-streaming {ms(w.total_p99)} ms: "
                     f"{'met' if met else 'NOT met'}")
    return lines


def pin_cores(app_pid: int, others: list[int]) -> str:
    """Run the app alone on core 0 and ``others`` on the remaining cores, where there are two or more."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return "one core: nothing pinned"
    os.sched_setaffinity(app_pid, {cores[0]})
    for pid in others:
        os.sched_setaffinity(pid, set(cores[1:]))
    return f"pinned: app on core {cores[0]}, simulator and load generator on cores {cores[1:]}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"simulator: ttft {args.ttft_ms:g} ms, itl {args.itl_ms:g} ms, {args.output_tokens} tokens; "
          f"{args.rounds} chats per user per level, users start over {args.ramp_seconds:g} s", flush=True)
    sim: Child = start_simulator(["--model", MODEL, "--ttft-ms", str(args.ttft_ms), "--itl-ms",
                                  str(args.itl_ms), "--output-tokens", str(args.output_tokens)])
    try:
        extra = {"DEFAULT_MODEL": MODEL, "LOG_LEVEL": "WARNING", "IAP_REQUIRED": "false"}
        if args.queue_concurrency:
            extra["QUEUE_CONCURRENCY"] = str(args.queue_concurrency)
        extra.update(item.split("=", 1) for item in args.app_env if "=" in item)
        t0 = time.monotonic()
        with running_apps({"bench": (sim.url, extra)}) as children:
            app = children["bench"]
            if args.pin:
                print(pin_cores(app.pid, [sim.pid, os.getpid()]), flush=True)
            print(f"app ready in {time.monotonic() - t0:.1f} s at {app.url} (pid {app.pid})", flush=True)
            levels = asyncio.run(benchmark(args, app.url, sim.url + "/v1", app.pid))
        scaled = [lv for lv in levels if lv.concurrency == args.scale_level]
        limit_s = args.scale_ttft_ms / 1000
        for k in range(2, args.max_processes + 1):
            if not scaled or (not scaled[-1].app.errors and scaled[-1].added_ttft_p50 < limit_s):
                break
            with running_apps({f"bench{j}": (sim.url, extra) for j in range(k)}) as children:
                apps = list(children.values())
                for a in apps:  # children inherit this process's pinning; let them use every core
                    os.sched_setaffinity(a.pid, os.sched_getaffinity(0) | set(range(CORES)))
                print(f"{k} app processes (pids {', '.join(str(a.pid) for a in apps)}), not pinned, "
                      "round-robin by chat", flush=True)
                scaled.append(asyncio.run(scale_level(args, scaled[0].direct, [a.url for a in apps],
                                                      sim.url + "/v1", [a.pid for a in apps])))
    finally:
        sim.stop()
    print("verdict (target: 0 errors and added TTFT p50 <= 50 ms):")
    print("\n".join(verdict(levels, args.queue_concurrency or Settings().queue_concurrency)))
    print("issue 14 targets:")
    print("\n".join([*targets(levels), scale_verdict(scaled, limit_s, args.ttft_ms / 1000)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
