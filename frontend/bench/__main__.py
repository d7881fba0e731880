"""Frontend benchmark: N concurrent chats through the app's queued API versus straight at the simulator.

    python -m frontend.bench --levels 50,200,500 --ttft-ms 200 --itl-ms 20

Starts a simulator and one app process on loopback, prints added time to first
token and added total latency (p50/p99), chats per second, errors, and the app
process's memory and CPU for each level, then says where it stopped scaling.
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

from frontend.bench.client import Outcome, direct_chat, queued_chat
from frontend.bench.load import ProcessSample, drive_and_sample
from frontend.bench.stats import Summary, ms, summarize
from frontend.devserver import Child, running_apps, start_simulator
from frontend.settings import Settings

MODEL = "Qwen/Qwen3-0.6B"
TARGET_ADDED_TTFT_S = 0.050
CORES = os.cpu_count() or 1
BUSY = 0.7


@dataclass
class Level:
    concurrency: int
    direct: Summary
    app: Summary
    proc: ProcessSample

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
    p.add_argument("--chat-timeout", type=float, default=60.0, help="seconds per chat before it counts as error")
    p.add_argument("--level-seconds", type=float, default=60.0, help="time cap of one level and target")
    return p.parse_args(argv)


def row(name: str, n: int, s: Summary) -> str:
    return (f"{name:<7}{n:>6}{s.chats:>7}{s.errors:>7}{s.chats_per_s:>9.1f}"
            f"{ms(s.ttft_p50):>10}{ms(s.ttft_p99):>10}{ms(s.total_p50):>11}{ms(s.total_p99):>11}")


def added(level: Level) -> str:
    a, d = level.app, level.direct
    return (f"  added by the app: TTFT p50 +{ms(a.ttft_p50 - d.ttft_p50)} ms, p99 +{ms(a.ttft_p99 - d.ttft_p99)} ms;"
            f" total p50 +{ms(a.total_p50 - d.total_p50)} ms, p99 +{ms(a.total_p99 - d.total_p99)} ms;"
            f" app RSS peak {level.proc.rss_peak_mb:.0f} MiB (end {level.proc.rss_end_mb:.0f} MiB),"
            f" app CPU {level.proc.cpu_avg_pct:.0f}% of one core, {level.cpu_per_chat_s * 1000:.1f} ms per chat;"
            f" machine load {level.proc.load_avg:.1f} on {CORES} cores")


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
                     f"for {lv.direct.chats_per_s:.0f} chats/s (not measured: the benchmark runs one process)")
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


async def run_level(n: int, args: argparse.Namespace, app_url: str, api_base: str, app_pid: int) -> Level:
    async def via_app(session: aiohttp.ClientSession, i: int) -> Outcome:
        return await queued_chat(session, app_url, [f"benchmark chat {i}"], args.chat_timeout)

    async def direct(session: aiohttp.ClientSession, i: int) -> Outcome:
        return await direct_chat(session, api_base, MODEL, f"benchmark chat {i}", args.chat_timeout)

    d_out, d_wall, _ = await drive_and_sample(direct, n, args.rounds, args.level_seconds, args.ramp_seconds,
                                              None)
    a_out, a_wall, proc = await drive_and_sample(via_app, n, args.rounds, args.level_seconds,
                                                 args.ramp_seconds, app_pid)
    return Level(n, summarize(d_out, d_wall), summarize(a_out, a_wall), proc)


async def benchmark(args: argparse.Namespace, app_url: str, api_base: str, app_pid: int) -> list[Level]:
    async with aiohttp.ClientSession() as session:
        for i in range(5):
            await queued_chat(session, app_url, [f"warm-up {i}"], args.chat_timeout)
            await direct_chat(session, api_base, MODEL, f"warm-up {i}", args.chat_timeout)
    print(f"{'target':<7}{'conc':>6}{'chats':>7}{'errors':>7}{'chats/s':>9}{'ttft p50':>10}{'ttft p99':>10}"
          f"{'total p50':>11}{'total p99':>11}   (latencies in ms)")
    levels = []
    for n in [int(x) for x in args.levels.split(",") if x.strip()]:
        lv = await run_level(n, args, app_url, api_base, app_pid)
        levels.append(lv)
        print(row("direct", n, lv.direct))
        print(row("app", n, lv.app))
        print(added(lv), flush=True)
    return levels


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
    finally:
        sim.stop()
    print("verdict (target: 0 errors and added TTFT p50 <= 50 ms):")
    print("\n".join(verdict(levels, args.queue_concurrency or Settings().queue_concurrency)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
