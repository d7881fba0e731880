"""Side-by-side comparison of two reports, e.g. scheduler profile ``default`` against ``random``."""

from __future__ import annotations

from typing import Any

# (label, path in the report, unit scale, unit, True when higher is better)
ROWS: tuple[tuple[str, tuple[str, ...], float, str, bool], ...] = (
    ("success rate", ("success_rate",), 100.0, "%", True),
    ("requests/s", ("metrics", "throughput", "requests_per_sec"), 1.0, "", True),
    ("output tokens/s", ("metrics", "throughput", "output_tokens_per_sec"), 1.0, "", True),
    ("TTFT mean", ("metrics", "latency", "time_to_first_token", "mean"), 1000.0, "ms", False),
    ("TTFT p50", ("metrics", "latency", "time_to_first_token", "p50"), 1000.0, "ms", False),
    ("TTFT p90", ("metrics", "latency", "time_to_first_token", "p90"), 1000.0, "ms", False),
    ("TTFT p99", ("metrics", "latency", "time_to_first_token", "p99"), 1000.0, "ms", False),
    ("ITL mean", ("metrics", "latency", "inter_token_latency", "mean"), 1000.0, "ms", False),
    ("ITL p99", ("metrics", "latency", "inter_token_latency", "p99"), 1000.0, "ms", False),
    ("TPOT mean", ("metrics", "latency", "time_per_output_token", "mean"), 1000.0, "ms", False),
    ("E2E mean", ("metrics", "latency", "request_latency", "mean"), 1000.0, "ms", False),
    ("E2E p50", ("metrics", "latency", "request_latency", "p50"), 1000.0, "ms", False),
    ("E2E p90", ("metrics", "latency", "request_latency", "p90"), 1000.0, "ms", False),
    ("E2E p99", ("metrics", "latency", "request_latency", "p99"), 1000.0, "ms", False),
)


def _get(report: dict[str, Any], path: tuple[str, ...]) -> float | None:
    value: Any = report
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return float(value) if isinstance(value, int | float) else None


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Each metric of A and B, B - A, the relative change, and which side is better."""
    rows = []
    for label, path, scale, unit, higher_better in ROWS:
        va, vb = _get(a, path), _get(b, path)
        va = None if va is None else va * scale
        vb = None if vb is None else vb * scale
        delta = None if va is None or vb is None else vb - va
        change = None if delta is None or not va else delta / abs(va)
        better = None
        if delta:
            better = "B" if (delta > 0) == higher_better else "A"
        rows.append({"metric": label, "unit": unit, "a": va, "b": vb, "delta": delta,
                     "change": change, "better": better})
    ea, eb = a["errors"]["by_kind"], b["errors"]["by_kind"]
    errors = {k: {"a": ea.get(k, 0), "b": eb.get(k, 0)} for k in sorted(set(ea) | set(eb))}
    return {"a": a["run"]["label"], "b": b["run"]["label"], "rows": rows, "errors": errors}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def compare_text(result: dict[str, Any]) -> str:
    lines = [f"A = {result['a']}   B = {result['b']}",
             f"{'metric':<18}{'A':>12}{'B':>12}{'B-A':>12}{'change':>10}  better"]
    for row in result["rows"]:
        change = "-" if row["change"] is None else f"{row['change'] * 100:+.1f}%"
        name = f"{row['metric']} ({row['unit']})" if row["unit"] else row["metric"]
        lines.append(f"{name:<18}{_fmt(row['a']):>12}{_fmt(row['b']):>12}{_fmt(row['delta']):>12}"
                     f"{change:>10}  {row['better'] or '='}")
    for kind, counts in result["errors"].items():
        lines.append(f"{'errors ' + kind:<18}{counts['a']:>12}{counts['b']:>12}"
                     f"{counts['b'] - counts['a']:>12}")
    return "\n".join(lines) + "\n"
