"""Percentiles and the per-level summary of a benchmark run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from frontend.bench.client import Outcome


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Summary:
    """One target (app or direct) at one concurrency level."""

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
        ttft_p50=percentile(ttfts, 50), ttft_p99=percentile(ttfts, 99),
        total_p50=percentile(totals, 50), total_p99=percentile(totals, 99),
        first_error=errors[0].error if errors else "",
    )


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.0f}"
