"""The JSON report of a run, its short text summary, and loading a report back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loadtest import server_metrics, stats
from loadtest.result import RequestResult

SCHEMA = "llmd-loadtest-report/v1"
REQUIRED_KEYS = ("schema", "run", "scenario", "request_totals", "success_rate", "errors", "metrics",
                 "timeline")
SUMMARY_ROWS = (
    ("TTFT", "time_to_first_token"),
    ("ITL", "inter_token_latency"),
    ("TPOT", "time_per_output_token"),
    ("E2E latency", "request_latency"),
)


def build_report(
    results: list[RequestResult],
    itl: list[float] | Any,
    *,
    scenario: dict[str, Any],
    run: dict[str, Any],
    origin: float,
) -> dict[str, Any]:
    """Everything about a run in one JSON-ready dict. ``origin`` is the run's start (perf_counter)."""
    totals = stats.request_totals(results)
    decided = totals["successful"] + totals["errored"]
    by_kind, examples = stats.errors_by_kind(results)
    return {
        "schema": SCHEMA,
        "run": run,
        "scenario": scenario,
        "request_totals": totals,
        "request_totals_by_model": stats.totals_by_model(results),
        "success_rate": totals["successful"] / decided if decided else None,
        "errors": {"by_kind": by_kind, "examples": examples},
        "metrics": stats.compute_metrics(results, itl),
        "timeline": stats.timeline(results, origin, float(run["duration_s"])),
    }


def write_json(report: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def load_report(path: Path) -> dict[str, Any]:
    """Reads a report and checks it is one of ours; raises ValueError if not."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a {SCHEMA} report")
    missing = [key for key in REQUIRED_KEYS if key not in report]
    if missing:
        raise ValueError(f"{path} lacks {', '.join(missing)}")
    return report


def _models(target: dict[str, Any]) -> str:
    names = target.get("models") or ([target["model"]] if target.get("model") else [])
    return f" model{'s' if len(names) > 1 else ''} {', '.join(names)}" if names else ""


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def summary_text(report: dict[str, Any]) -> str:
    run, scenario, totals = report["run"], report["scenario"], report["request_totals"]
    target, workload = scenario["target"], scenario["workload"]
    throughput = report["metrics"]["throughput"]
    rate = report["success_rate"]
    lines = [
        f"Load test {run['label']}: {target['kind']} {target['url']}"
        f"{_models(target)}, {workload['users']} users, "
        f"stopped by {run['stop_reason']} after {run['duration_s']:.1f} s",
        f"Requests: {totals['total']} total, {totals['successful']} ok, {totals['errored']} errored, "
        f"{totals['incomplete']} incomplete; success rate "
        f"{'-' if rate is None else f'{rate * 100:.2f} %'}",
    ]
    by_model = report.get("request_totals_by_model") or {}
    if len(by_model) > 1:
        lines.append("By model: " + "; ".join(
            f"{name} {row['successful']} ok, {row['errored']} errored" for name, row in by_model.items()))
    by_kind = report["errors"]["by_kind"]
    if by_kind:
        lines.append("Errors: " + ", ".join(f"{kind} {count}" for kind, count in by_kind.items()))
        lines.extend(f"  {kind}: {detail}" for kind, detail in report["errors"]["examples"].items())
    else:
        lines.append("Errors: none")
    lines.append(f"Throughput: {throughput['requests_per_sec']:.2f} req/s, "
                 f"{throughput['output_tokens_per_sec']:.1f} output tok/s")
    lines.append(f"{'(ms)':<13}" + "".join(f"{h:>9}" for h in ("mean", "p50", "p90", "p95", "p99", "max")))
    latency = report["metrics"]["latency"]
    for title, key in SUMMARY_ROWS:
        d = latency[key]
        cells = (d["mean"], d["p50"], d["p90"], d["p95"], d["p99"], d["max"])
        lines.append(f"{title:<13}" + "".join(f"{_ms(v):>9}" for v in cells))
    if report.get("server"):
        lines.extend(server_metrics.summary_lines(report["server"]))
    return "\n".join(lines) + "\n"
