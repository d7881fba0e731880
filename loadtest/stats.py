"""Distribution summaries and the metrics of a run, named as llm-d's benchmark report names them.

``metrics.latency`` (seconds) and ``metrics.throughput`` follow the llm-d benchmark report;
``request_totals`` follows guidellm. README.md has the full mapping to both.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from loadtest.result import RequestResult

# llm-d benchmark report percentile keys and the quantile (in percent) each stands for.
PERCENTILES: dict[str, float] = {
    "p0p1": 0.1, "p1": 1, "p5": 5, "p10": 10, "p25": 25, "p50": 50,
    "p75": 75, "p90": 90, "p95": 95, "p99": 99, "p99p9": 99.9,
}


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th percentile (q in 0..100) of the sorted sample ``ordered``; ValueError if it is empty.

    The one percentile of the load tool and the frontend benchmark (``frontend/bench/stats.py``
    uses it too): linear interpolation between the closest ranks, numpy's default ("linear",
    Hyndman and Fan's type 7). "p95" is the value 95 % of the way from the smallest to the largest
    rank, so it can fall between two measured values; nearest-rank is not used anywhere.
    """
    if not ordered:
        raise ValueError("percentile of an empty sample")
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def describe(values: Iterable[float], units: str) -> dict[str, Any]:
    """count, mean, stddev (population), min, max and the PERCENTILES of ``values``."""
    ordered = sorted(values)
    summary: dict[str, Any] = {"units": units, "count": len(ordered)}
    if not ordered:
        summary.update({"mean": None, "stddev": None, "min": None, "max": None})
        summary.update(dict.fromkeys(PERCENTILES))
        return summary
    mean = math.fsum(ordered) / len(ordered)
    var = math.fsum((v - mean) ** 2 for v in ordered) / len(ordered)
    summary.update({"mean": mean, "stddev": math.sqrt(var), "min": ordered[0], "max": ordered[-1]})
    summary.update({key: percentile(ordered, q) for key, q in PERCENTILES.items()})
    return summary


def window(results: Sequence[RequestResult]) -> float:
    """Seconds from the first request's start to the last one's end (llm-d's benchmark window)."""
    if not results:
        return 0.0
    return max(r.end for r in results) - min(r.start for r in results)


def compute_metrics(results: Sequence[RequestResult], itl: Sequence[float]) -> dict[str, Any]:
    ok = [r for r in results if r.ok]
    with_tokens = [r for r in ok if r.output_tokens > 0]
    span = window(results)
    output_tokens = sum(r.output_tokens for r in ok)
    prompt = [r.prompt_tokens for r in ok if r.prompt_tokens is not None]
    total_tokens = output_tokens + sum(prompt) if len(prompt) == len(ok) else None
    return {
        "requests": {
            "total": len(results),
            "failures": sum(1 for r in results if r.error is not None),
            "incomplete": sum(1 for r in results if r.incomplete),
            "input_length": describe(prompt, "count"),
            "output_length": describe((r.output_tokens for r in ok), "count"),
        },
        "latency": {
            "request_latency": describe((r.latency for r in ok), "s"),
            "time_to_first_token": describe((r.ttft for r in ok if r.ttft is not None), "s"),
            "time_per_output_token": describe((r.tpot for r in ok if r.tpot is not None), "s/token"),
            "inter_token_latency": describe(itl, "s/token"),
            "normalized_time_per_output_token": describe(
                (r.latency / r.output_tokens for r in with_tokens), "s/token"),
        },
        "throughput": {
            "requests_per_sec": len(ok) / span if span else 0.0,
            "output_tokens_per_sec": output_tokens / span if span else 0.0,
            "total_tokens_per_sec": (total_tokens / span if span and total_tokens is not None else None),
        },
    }


def request_totals(results: Sequence[RequestResult]) -> dict[str, int]:
    incomplete = sum(1 for r in results if r.incomplete)
    errored = sum(1 for r in results if r.error is not None and not r.incomplete)
    return {"successful": len(results) - incomplete - errored, "errored": errored,
            "incomplete": incomplete, "total": len(results)}


def totals_by_model(results: Iterable[RequestResult]) -> dict[str, dict[str, int]]:
    """successful / errored / incomplete per model name ("default" when the target chose it)."""
    out: dict[str, dict[str, int]] = {}
    for r in results:
        row = out.setdefault(r.model or "default", {"successful": 0, "errored": 0, "incomplete": 0})
        row["incomplete" if r.incomplete else "errored" if r.error is not None else "successful"] += 1
    return dict(sorted(out.items()))


def errors_by_kind(results: Iterable[RequestResult]) -> tuple[dict[str, int], dict[str, str]]:
    """Counts per error kind, and the first detail message seen for each kind."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for r in results:
        if r.error is not None and not r.incomplete:
            counts[r.error] += 1
            examples.setdefault(r.error, r.detail)
    return dict(sorted(counts.items())), dict(sorted(examples.items()))


def timeline(results: Sequence[RequestResult], origin: float, duration: float) -> dict[str, Any]:
    """Per-interval successes, output tokens and errors by kind, by request end time."""
    interval = max(1.0, math.ceil(duration / 300.0))
    buckets = max(1, math.ceil(duration / interval))
    ok = [0] * buckets
    tokens = [0] * buckets
    errors: dict[str, list[int]] = {}
    for r in results:
        if r.incomplete:
            continue
        i = min(buckets - 1, max(0, int((r.end - origin) / interval)))
        if r.error is None:
            ok[i] += 1
            tokens[i] += r.output_tokens
        else:
            errors.setdefault(r.error, [0] * buckets)[i] += 1
    return {
        "interval_s": interval,
        "t_s": [i * interval for i in range(buckets)],
        "successful": ok,
        "output_tokens": tokens,
        "errors": dict(sorted(errors.items())),
    }
