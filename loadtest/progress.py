"""Live progress in the terminal: time and request budget used, rates, errors by kind."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque

from rich.console import Console
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from loadtest.workload import Workload

REFRESH_S = 0.5
RATE_WINDOW_S = 5.0


class ProgressDisplay:
    """Redraws a small panel every REFRESH_S seconds until ``stop`` is called."""

    def __init__(self, workload: Workload, console: Console) -> None:
        self.workload = workload
        self.console = console
        self.samples: deque[tuple[float, int, int]] = deque()
        self._done = asyncio.Event()

    def stop(self) -> None:
        self._done.set()

    def _rates(self, now: float) -> tuple[float, float]:
        c = self.workload.collector
        self.samples.append((now, c.successful, c.output_tokens))
        while len(self.samples) > 2 and now - self.samples[0][0] > RATE_WINDOW_S:
            self.samples.popleft()
        t0, ok0, tok0 = self.samples[0]
        span = now - t0
        if span <= 0:
            return 0.0, 0.0
        return (c.successful - ok0) / span, (c.output_tokens - tok0) / span

    def render(self) -> Table:
        w, c, cfg = self.workload, self.workload.collector, self.workload.config
        now = time.perf_counter()
        elapsed = now - w.started_at if w.started_at else 0.0
        req_rate, tok_rate = self._rates(now)
        done_fraction = elapsed / cfg.duration_s
        if cfg.requests:
            done_fraction = max(done_fraction, c.finished / cfg.requests)
        bar = ProgressBar(total=1.0, completed=min(1.0, done_fraction), width=30)
        table = Table.grid(padding=(0, 2))
        budget = f"/{cfg.requests}" if cfg.requests else ""
        table.add_row("progress", bar, "stop", f"after {cfg.duration_s:g} s"
                      + (f" or {cfg.requests} requests" if cfg.requests else ""))
        table.add_row("elapsed", f"{elapsed:.1f} s", "requests",
                      f"{c.finished}{budget} done, {c.in_flight} in flight, {c.incomplete} incomplete")
        table.add_row("ok", str(c.successful), "rate", f"{req_rate:8.1f} req/s  {tok_rate:9.1f} tok/s")
        errors = ", ".join(f"{k} {n}" for k, n in c.errors.most_common(4)) or "none"
        style = "red" if c.errors else "green"
        table.add_row("errors", Text(str(sum(c.errors.values())), style=style), "by kind",
                      Text(errors, style=style))
        return table

    async def run(self) -> None:
        with Live(self.render(), console=self.console, refresh_per_second=4, transient=False) as live:
            while not self._done.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._done.wait(), REFRESH_S)
                live.update(self.render())
