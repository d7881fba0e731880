"""``make bench-loadgen``: what the load generator itself costs per request.

The simulator runs in its own process (so the two do not share a GIL or, with two cores, a core)
with zero time to first token and zero inter-token latency, and one process of ours drives short
streamed chat requests at it as fast as it can. We report requests/s achieved and the CPU time our
process spent per request; 1 / (CPU per request) is the rate one core of ours can drive, which is
the figure that matters when the simulator, not the generator, is the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from loadtest.prompts import PromptConfig
from loadtest.runner import make_session
from loadtest.targets import OpenAITarget
from loadtest.workload import Workload, WorkloadConfig

TARGET_RPS = 2000
START_TIMEOUT_S = 20.0
WARMUP_REQUESTS = 1000  # at most; opens the keep-alive connections before measuring
MODEL = "bench"


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


def measure(users: int, requests: int, duration: float, tokens: int = 1) -> dict[str, Any]:
    proc, url = start_simulator(output_tokens=tokens)
    try:
        sim0 = cpu_seconds_of(proc.pid)
        figures = asyncio.run(drive(url, users, requests, duration, tokens))
        sim1 = cpu_seconds_of(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    n = max(1, figures["requests"])
    figures.update({
        "users": users,
        "requests_per_s": figures["successful"] / figures["wall_s"] if figures["wall_s"] else 0.0,
        "output_tokens_per_s": figures["output_tokens"] / figures["wall_s"] if figures["wall_s"] else 0.0,
        "client_cpu_us_per_request": 1e6 * figures["client_cpu_s"] / n,
        "client_core_capacity_rps": n / figures["client_cpu_s"] if figures["client_cpu_s"] else None,
        "simulator_cpu_us_per_request": (1e6 * (sim1 - sim0) / n if sim0 is not None and sim1 is not None
                                         else None),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
    })
    return figures


def main(args: argparse.Namespace) -> int:
    if min(args.requests, args.users, args.output_tokens) < 1 or not 0 < args.duration <= 600:
        print("error: requests, users and output tokens must be >= 1, duration in (0, 600]",
              file=sys.stderr)
        return 2
    figures = measure(args.users, args.requests, args.duration, args.output_tokens)
    rps, cap = figures["requests_per_s"], figures["client_core_capacity_rps"]
    sim = figures["simulator_cpu_us_per_request"]
    print(f"load generator benchmark: {figures['successful']} of {figures['requests']} streamed requests "
          f"of {args.output_tokens} output token(s) ok, {figures['users']} users, {figures['wall_s']:.2f} s, "
          f"stopped by {figures['stop_reason']}; errors {figures['errors'] or 'none'}")
    print(f"  achieved            {rps:8.0f} requests/s, {figures['output_tokens_per_s']:.0f} output tokens/s "
          "(simulator in a separate process)")
    print(f"  client CPU          {figures['client_cpu_us_per_request']:8.1f} us/request "
          f"-> one core drives {cap or 0:8.0f} requests/s")
    if sim is not None:
        print(f"  simulator CPU       {sim:8.1f} us/request")
    verdict = "meets" if rps >= TARGET_RPS else "below"
    print(f"  target              {TARGET_RPS:8d} requests/s from one process: {verdict}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
