"""Drive N concurrent chats for a few rounds, bounded in count and time, and sample the app's process."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
import psutil

from frontend.bench.client import Outcome

Chat = Callable[[aiohttp.ClientSession, int], Awaitable[Outcome]]


@dataclass
class ProcessSample:
    rss_peak_mb: float = 0.0
    rss_end_mb: float = 0.0
    cpu_avg_pct: float = 0.0
    load_avg: float = 0.0
    cpu_s: float = 0.0


async def drive(chat: Chat, concurrency: int, rounds: int, deadline_s: float,
                ramp_s: float = 0.0) -> tuple[list[Outcome], float]:
    """``concurrency`` users, each doing up to ``rounds`` chats back to back, until ``deadline_s`` passes.

    User ``i`` starts ``i * ramp_s / concurrency`` seconds in, so arrivals are spread
    instead of all landing in the same instant.
    """
    outcomes: list[Outcome] = []
    stop_at = time.monotonic() + deadline_s
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def user(i: int) -> None:
            await asyncio.sleep(i * ramp_s / concurrency)
            for r in range(rounds):
                if time.monotonic() >= stop_at:
                    return
                outcomes.append(await chat(session, i * rounds + r))

        start = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(concurrency)))
        return outcomes, time.monotonic() - start


async def sample_process(pids: list[int], done: asyncio.Event, every_s: float = 0.2) -> ProcessSample:
    """Peak and final resident memory, mean CPU and CPU seconds of processes ``pids`` (summed over
    them) until ``done`` is set, and the machine's 1-minute load average at the end."""
    procs = [psutil.Process(pid) for pid in pids]

    def cpu_s() -> float:
        return sum(sum(p.cpu_times()[:2]) for p in procs)

    def rss_mb() -> float:
        return sum(p.memory_info().rss for p in procs) / 2**20

    sample = ProcessSample()
    for p in procs:
        p.cpu_percent(None)
    start_cpu = cpu_s()
    cpu: list[float] = []
    while not done.is_set():
        sample.rss_peak_mb = max(sample.rss_peak_mb, rss_mb())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), every_s)
        cpu.append(sum(p.cpu_percent(None) for p in procs))
    sample.rss_end_mb = rss_mb()
    sample.cpu_avg_pct = sum(cpu) / len(cpu) if cpu else 0.0
    sample.load_avg = psutil.getloadavg()[0]
    sample.cpu_s = cpu_s() - start_cpu
    return sample


async def drive_and_sample(chat: Chat, concurrency: int, rounds: int, deadline_s: float, ramp_s: float,
                           pids: list[int] | None) -> tuple[list[Outcome], float, ProcessSample]:
    done = asyncio.Event()
    sampler = asyncio.create_task(sample_process(pids, done)) if pids else None
    try:
        outcomes, wall = await drive(chat, concurrency, rounds, deadline_s, ramp_s)
    finally:
        done.set()
    sample = await sampler if sampler else ProcessSample()
    return outcomes, wall, sample
