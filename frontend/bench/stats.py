"""Percentiles and the per-level summary of a benchmark run.

Percentiles are the load tool's (``loadtest.stats.percentile``: linear interpolation between the
closest ranks, numpy's default), so a "p99" here means what it means in a load-test report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from frontend.bench.client import Outcome
from loadtest.stats import percentile


def quantile(values: Sequence[float], q: float) -> float:
    """``percentile`` of unsorted ``values``; NaN for none (a level whose chats all failed)."""
    return percentile(sorted(values), q) if values else math.nan


@dataclass
class Summary:
    """One target (app, direct or whole-answer) at one concurrency level."""

    chats: int
    errors: int
    wall_s: float
    ttft_p50: float
    ttft_p99: float
    total_p50: float
    total_p99: float
    first_error: str

    @property
    def chats_per_s(self) -> float:
        return (self.chats - self.errors) / self.wall_s if self.wall_s > 0 else 0.0


def summarize(outcomes: Sequence[Outcome], wall_s: float) -> Summary:
    good = [o for o in outcomes if o.ok and o.ttft_s is not None]
    ttfts = [o.ttft_s for o in good if o.ttft_s is not None]
    totals = [o.total_s for o in good]
    errors = [o for o in outcomes if not o.ok]
    return Summary(
        chats=len(outcomes), errors=len(errors), wall_s=wall_s,
        ttft_p50=quantile(ttfts, 50), ttft_p99=quantile(ttfts, 99),
        total_p50=quantile(totals, 50), total_p99=quantile(totals, 99),
        first_error=errors[0].error if errors else "",
    )


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.0f}"
