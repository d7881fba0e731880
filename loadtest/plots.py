"""PNG plots of a run: latency distributions, and throughput and errors over time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from loadtest.result import RequestResult  # noqa: E402
from loadtest.stats import percentile  # noqa: E402

DPI = 100


def _histogram(ax: Any, values_ms: Sequence[float], title: str) -> None:
    ax.set_title(title)
    ax.set_xlabel("ms")
    if not values_ms:
        ax.text(0.5, 0.5, "no samples", ha="center", va="center", transform=ax.transAxes)
        return
    ordered = sorted(values_ms)
    ax.hist(ordered, bins=min(50, max(5, len(ordered) // 5)), color="#4472c4")
    for q, style in ((50.0, "-"), (99.0, "--")):
        value = percentile(ordered, q)
        ax.axvline(value, color="#c00000", linestyle=style, label=f"p{q:.0f} {value:.1f} ms")
    ax.set_ylabel("requests" if "inter-token" not in title else "gaps")
    ax.legend(fontsize="small")


def latency_plot(results: Sequence[RequestResult], itl: Sequence[float], path: Path, title: str) -> None:
    ok = [r for r in results if r.ok]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), dpi=DPI)
    _histogram(axes[0], [r.ttft * 1000 for r in ok if r.ttft is not None], "time to first token")
    _histogram(axes[1], [g * 1000 for g in itl], "inter-token latency")
    _histogram(axes[2], [r.latency * 1000 for r in ok], "end-to-end latency")
    fig.suptitle(f"{title}: latency of {len(ok)} successful requests")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def timeline_plot(report: dict[str, Any], path: Path) -> None:
    tl = report["timeline"]
    step = float(tl["interval_s"])
    t = tl["t_s"]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 7), dpi=DPI, sharex=True)
    top.plot(t, [n / step for n in tl["successful"]], color="#4472c4", drawstyle="steps-post",
             label="successful req/s")
    top.set_ylabel("req/s")
    tokens = top.twinx()
    tokens.plot(t, [n / step for n in tl["output_tokens"]], color="#70ad47", drawstyle="steps-post",
                linestyle="--", label="output tok/s")
    tokens.set_ylabel("tok/s")
    top.legend(loc="upper left")
    tokens.legend(loc="upper right")
    top.set_title(f"{report['run']['label']}: throughput and errors over time")
    base = [0.0] * len(t)
    for kind, counts in tl["errors"].items():
        rates = [n / step for n in counts]
        bottom.bar(t, rates, width=step, bottom=base, align="edge", label=kind)
        base = [b + r for b, r in zip(base, rates, strict=True)]
    if not tl["errors"]:
        bottom.text(0.5, 0.5, "no errors", ha="center", va="center", transform=bottom.transAxes)
    else:
        bottom.legend(loc="upper right")
    bottom.set_ylabel("errors/s")
    bottom.set_xlabel("seconds since start")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def compare_plot(result: dict[str, Any], path: Path) -> None:
    """Grouped bars of A and B: latency percentiles (ms), and successful requests/s."""
    rows = {row["metric"]: row for row in result["rows"]}
    latency = [m for m in ("TTFT p50", "TTFT p90", "TTFT p99", "E2E p50", "E2E p90", "E2E p99")
               if rows[m]["a"] is not None and rows[m]["b"] is not None]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), dpi=DPI,
                                      gridspec_kw={"width_ratios": [3, 1]})
    xs = range(len(latency))
    left.bar([x - 0.2 for x in xs], [rows[m]["a"] for m in latency], 0.4, label=f"A {result['a']}")
    left.bar([x + 0.2 for x in xs], [rows[m]["b"] for m in latency], 0.4, label=f"B {result['b']}")
    left.set_xticks(list(xs), latency)
    left.set_ylabel("ms")
    left.set_title("latency (lower is better)")
    left.legend()
    rps = rows["requests/s"]
    right.bar(["A", "B"], [rps["a"] or 0.0, rps["b"] or 0.0], color=["#1f77b4", "#ff7f0e"])
    right.set_title("successful requests/s")
    fig.suptitle(f"A = {result['a']}   B = {result['b']}")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
