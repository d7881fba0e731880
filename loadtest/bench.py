"""``make bench-loadgen``: what the load generator itself costs per request.

The simulator runs in its own process (so the two do not share a GIL or, with two cores, a core)
with zero time to first token and zero inter-token latency, and one process of ours drives short
streamed chat requests at it as fast as it can. We report requests/s achieved and the CPU time our
process spent per request; 1 / (CPU per request) is the rate one core of ours can drive, which is
the figure that matters when the simulator, not the generator, is the bottleneck.

In the same layout (a fresh simulator process, the same session settings, users, requests and
bodies), a bare aiohttp client then sends the same requests and reads each answer whole, without
parsing the stream, timing chunks or classifying anything. The generator's CPU per request over
the bare client's is the price of measuring; the target is at most MAX_RATIO.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from loadtest.prompts import PromptConfig, PromptSet
from loadtest.runner import make_session
from loadtest.targets import OpenAITarget
from loadtest.targets.openai import MODEL_HEADER
from loadtest.workload import Workload, WorkloadConfig

TARGET_RPS = 2000
START_TIMEOUT_S = 20.0
WARMUP_REQUESTS = 1000  # at most; opens the keep-alive connections before measuring
MODEL = "bench"
MAX_RATIO = 1.2


def start_simulator(output_tokens: int) -> tuple[subprocess.Popen[str], str]:
    """``python -m simulator --port 0`` with zero latency; returns the process and its base URL."""
    cmd = [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", "0", "--model", MODEL,
           "--ttft-ms", "0", "--itl-ms", "0", "--output-tokens", str(output_tokens)]
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=repo)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_S)
    line = proc.stdout.readline() if ready else ""  # its URL first, then nothing per request
    if "http://" not in line:
        proc.kill()
        raise RuntimeError(f"simulator did not start: {line!r}")
    return proc, line[line.index("http://"):].split()[0]


def cpu_seconds_of(pid: int) -> float | None:
    """User + system CPU seconds of another process, from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drive(url: str, users: int, requests: int, duration: float, tokens: int) -> dict[str, Any]:
    prompts = PromptConfig("short")
    async with make_session(users) as session:
        target = OpenAITarget(session, url, MODEL)
        warmup = min(WARMUP_REQUESTS, max(users, requests // 10))
        warm = WorkloadConfig(users=users, requests=warmup, duration_s=duration, max_tokens=tokens,
                              request_timeout_s=10, prompts=prompts)
        await Workload(target, warm).run()
        cfg = WorkloadConfig(users=users, requests=requests, duration_s=duration, max_tokens=tokens,
                             request_timeout_s=10, prompts=prompts)
        workload = Workload(target, cfg)
        cpu0 = time.process_time()
        reason = await workload.run()
        cpu = time.process_time() - cpu0
    c = workload.collector
    wall = workload.ended_at - workload.started_at
    return {"stop_reason": reason, "requests": c.finished, "successful": c.successful,
            "errors": dict(c.errors), "wall_s": wall, "client_cpu_s": cpu,
            "output_tokens": c.output_tokens}


async def drive_bare(url: str, users: int, requests: int, duration: float, tokens: int) -> dict[str, Any]:
    """The same requests from a client that neither parses, times nor classifies: the floor."""
    prompts = PromptSet(PromptConfig("short"))
    chat_url = f"{url.rstrip('/')}/v1/chat/completions"
    headers = {MODEL_HEADER: MODEL}
    counts = {"ok": 0, "failed": 0, "budget": 0}

    async def worker(index: int, session: aiohttp.ClientSession) -> None:
        source = prompts.for_user(index)
        while counts["budget"] > 0:
            counts["budget"] -= 1
            body = {"model": MODEL, "max_tokens": tokens, "stream": True,
                    "stream_options": {"include_usage": True},
                    "messages": [{"role": "user", "content": source.first()}]}
            try:
                async with session.post(chat_url, json=body, headers=headers) as resp:
                    await resp.read()
                    counts["ok" if resp.status == 200 else "failed"] += 1
            except (aiohttp.ClientError, OSError):
                counts["failed"] += 1

    async def burst(session: aiohttp.ClientSession, n: int) -> None:
        counts["budget"] = n
        async with asyncio.timeout(duration):
            await asyncio.gather(*(worker(i, session) for i in range(users)))

    async with make_session(users) as session:
        await burst(session, min(WARMUP_REQUESTS, max(users, requests // 10)))
        counts["ok"] = counts["failed"] = 0
        cpu0, t0 = time.process_time(), time.perf_counter()
        await burst(session, requests)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    return {"requests": counts["ok"] + counts["failed"], "successful": counts["ok"], "wall_s": wall,
            "client_cpu_s": cpu}


async def _rounds(url: str, users: int, requests: int, duration: float, tokens: int,
                  rounds: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Generator and bare client in turn, ``rounds`` times each, against one simulator.

    Every other round the bare client goes first, so that neither side always runs in the other's
    wake (a warmer or cooler machine, the simulator's own state). After each round the 1-minute
    load average is recorded with the generator's run: other jobs on the machine skew CPU times.
    """
    ours, bare = [], []
    for i in range(rounds):
        first, second = (drive, drive_bare) if i % 2 == 0 else (drive_bare, drive)
        a = await first(url, users, requests, duration, tokens)
        b = await second(url, users, requests, duration, tokens)
        mine, theirs = (a, b) if first is drive else (b, a)
        mine["first"] = "generator" if first is drive else "bare"
        mine["load_average"] = os.getloadavg()[0]
        ours.append(mine)
        bare.append(theirs)
    return ours, bare


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def measure(users: int, requests: int, duration: float, tokens: int = 1, rounds: int = 1) -> dict[str, Any]:
    """The figures of ``rounds`` alternating runs; per-request CPU figures are the medians."""
    proc, url = start_simulator(output_tokens=tokens)
    try:
        sim0 = cpu_seconds_of(proc.pid)
        ours, bare = asyncio.run(_rounds(url, users, requests, duration, tokens, rounds))
        sim1 = cpu_seconds_of(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for run in ours + bare:
        run["cpu_us_per_request"] = 1e6 * run["client_cpu_s"] / max(1, run["requests"])
        run["requests_per_s"] = run["successful"] / run["wall_s"] if run["wall_s"] else 0.0
    figures = dict(ours[-1])
    everyone = sum(run["requests"] for run in ours + bare) + 2 * rounds * min(
        WARMUP_REQUESTS, max(users, requests // 10))
    cpu_us = _median([run["cpu_us_per_request"] for run in ours])
    per_round = [{"generator_us": a["cpu_us_per_request"], "bare_us": b["cpu_us_per_request"],
                  "ratio": a["cpu_us_per_request"] / b["cpu_us_per_request"] if b["cpu_us_per_request"] else None,
                  "generator_rps": a["requests_per_s"], "bare_rps": b["requests_per_s"],
                  "first": a["first"], "load_average": a["load_average"]}
                 for a, b in zip(ours, bare, strict=True)]
    ratios = [r["ratio"] for r in per_round if r["ratio"] is not None]
    bare_us = _median([run["cpu_us_per_request"] for run in bare])
    figures.update({
        "users": users,
        "rounds": rounds,
        "successful": sum(run["successful"] for run in ours),
        "requests": sum(run["requests"] for run in ours),
        "errors": dict(sum((Counter(run["errors"]) for run in ours), Counter())),
        "output_tokens": sum(run["output_tokens"] for run in ours),
        "requests_per_s": _median([run["requests_per_s"] for run in ours]),
        "output_tokens_per_s": _median([run["output_tokens"] / run["wall_s"] for run in ours if run["wall_s"]]
                                       or [0.0]),
        "client_cpu_us_per_request": cpu_us,
        "client_core_capacity_rps": 1e6 / cpu_us if cpu_us else None,
        "simulator_cpu_us_per_request": (1e6 * (sim1 - sim0) / everyone
                                         if sim0 is not None and sim1 is not None else None),
        "bare_requests": sum(run["requests"] for run in bare),
        "bare_successful": sum(run["successful"] for run in bare),
        "bare_requests_per_s": _median([run["requests_per_s"] for run in bare]),
        "bare_client_cpu_us_per_request": bare_us,
        "cpu_ratio_to_bare": cpu_us / bare_us if bare_us else None,
        "per_round": per_round,
        "round_ratio_median": _median(ratios) if ratios else None,
        "round_ratio_min": min(ratios, default=None),
        "round_ratio_max": max(ratios, default=None),
        "load_average_min": min(r["load_average"] for r in per_round),
        "load_average_max": max(r["load_average"] for r in per_round),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
    })
    return figures


def main(args: argparse.Namespace) -> int:
    rounds = getattr(args, "rounds", 1)
    if min(args.requests, args.users, args.output_tokens, rounds) < 1 or not 0 < args.duration <= 600:
        print("error: requests, users, output tokens and rounds must be >= 1, duration in (0, 600]",
              file=sys.stderr)
        return 2
    figures = measure(args.users, args.requests, args.duration, args.output_tokens, rounds)
    rps, cap = figures["requests_per_s"], figures["client_core_capacity_rps"]
    sim, bare_us, ratio = (figures["simulator_cpu_us_per_request"], figures["bare_client_cpu_us_per_request"],
                           figures["cpu_ratio_to_bare"])
    print(f"load generator benchmark: {figures['successful']} of {figures['requests']} streamed requests "
          f"of {args.output_tokens} output token(s) ok, {figures['users']} users, {rounds} round(s) of "
          f"{args.requests}, the last stopped by {figures['stop_reason']}; errors {figures['errors'] or 'none'}")
    for i, r in enumerate(figures["per_round"], 1):
        print(f"  round {i}: generator {r['generator_us']:6.1f} us/request {r['generator_rps']:6.0f} requests/s, "
              f"bare {r['bare_us']:6.1f} us/request {r['bare_rps']:6.0f} requests/s, ratio {r['ratio'] or 0:.2f} "
              f"({r['first']} first, load average {r['load_average']:.2f})")
    print("medians:")
    print(f"  achieved            {rps:8.0f} requests/s, {figures['output_tokens_per_s']:.0f} output tokens/s "
          "(simulator in a separate process)")
    print(f"  client CPU          {figures['client_cpu_us_per_request']:8.1f} us/request "
          f"-> one core drives {cap or 0:8.0f} requests/s")
    if sim is not None:
        print(f"  simulator CPU       {sim:8.1f} us/request")
    print(f"  bare aiohttp client {bare_us:8.1f} us/request, {figures['bare_requests_per_s']:8.0f} requests/s "
          f"({figures['bare_successful']} of {figures['bare_requests']} ok; the same requests, answers read "
          "whole: nothing parsed, timed or classified)")
    print(f"  CPU ratio           {ratio or 0:8.2f} x the bare client per request "
          f"(target <= {MAX_RATIO}: {'meets' if ratio is not None and ratio <= MAX_RATIO else 'above'})")
    print(f"  round ratios        {figures['round_ratio_median'] or 0:8.2f} median, "
          f"{figures['round_ratio_min'] or 0:.2f}-{figures['round_ratio_max'] or 0:.2f} over {rounds} round(s); "
          f"load average {figures['load_average_min']:.2f}-{figures['load_average_max']:.2f} (1 min, "
          f"on {figures['cores']} cores)")
    verdict = "meets" if rps >= TARGET_RPS else "below"
    print(f"  target              {TARGET_RPS:8d} requests/s from one process: {verdict}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
