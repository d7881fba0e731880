"""Command line: ``run`` a load test, ``compare`` two reports, ``summary`` of a report, ``bench``."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import sys
from pathlib import Path

from rich.console import Console

from loadtest import compare as comparing
from loadtest import report
from loadtest.prompts import SETS, PromptConfig
from loadtest.runner import KINDS, StartError, TargetConfig, execute
from loadtest.server_metrics import DEFAULT_INTERVAL_S, DEFAULT_VERSION_SET, VERSION_SETS, MetricsConfig
from loadtest.workload import STOP_INTERRUPTED, WorkloadConfig

EXIT_INTERRUPTED = 130
EXIT_BELOW_SLO = 3
DEFAULT_MIN_SUCCESS_RATE = 0.95


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition(":")
    return float(low), float(high or low)


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a fraction in [0, 1], got {text}")
    return value


def verdict(rate: float | None, threshold: float) -> tuple[bool, str]:
    """Whether a run passes, and the line that says so with the success rate and the threshold."""
    floor = f"threshold {threshold * 100:.2f} %"
    if rate is None:
        return False, f"FAIL: no request finished (success rate undefined), {floor}"
    passed = rate >= threshold
    sign = ">=" if passed else "<"
    return passed, f"{'PASS' if passed else 'FAIL'}: success rate {rate * 100:.2f} % {sign} {floor}"


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="drive load against a target and write a report")
    t = p.add_argument_group("target")
    t.add_argument("--target", choices=KINDS, default="openai",
                   help="openai: an OpenAI-compatible endpoint; gradio: the chat app (through IAP)")
    t.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8000 or https://chat.example.com")
    t.add_argument("--model", action="append", default=[], metavar="NAME",
                   help="model name; repeat it (or separate names by commas) to spread conversations "
                        "over several models (openai: default is the first of /v1/models)")
    t.add_argument("--api", choices=("chat", "completions"), default="chat")
    t.add_argument("--iap-service-account", metavar="EMAIL",
                   help="sign an IAP JWT for this service account via the IAM Credentials API")
    t.add_argument("--iap-audience", help="JWT audience (default: https://<host>/*)")
    t.add_argument("--api-key-env", metavar="VAR", help="send Bearer $VAR (the key is never printed)")
    t.add_argument("--temperature", type=float)
    w = p.add_argument_group("workload")
    w.add_argument("--users", type=int, default=10, help="concurrent virtual users (default 10)")
    w.add_argument("--requests", type=int, help="stop after this many requests in total")
    w.add_argument("--duration", type=float, default=60.0, help="stop after this many seconds (default 60)")
    w.add_argument("--ramp-up", type=float, default=0.0, help="seconds over which users start")
    w.add_argument("--think-time", type=_think, default=(0.0, 0.0), metavar="MIN[:MAX]",
                   help="seconds a user waits between requests, uniform in [MIN, MAX]")
    w.add_argument("--turns", type=int, default=1, help="turns per conversation (history is resent)")
    w.add_argument("--max-tokens", type=int, default=128)
    w.add_argument("--timeout", type=float, default=60.0, help="per-request timeout in seconds")
    w.add_argument("--prompts", choices=SETS, default="short")
    w.add_argument("--prompt-file", type=Path, help="one prompt per line (replaces --prompts)")
    w.add_argument("--long-words", type=int, default=1000)
    w.add_argument("--prefix-words", type=int, default=800)
    w.add_argument("--prefix-groups", type=int, default=4)
    w.add_argument("--seed", type=int, default=0)
    m = p.add_argument_group("server side (Prometheus endpoints scraped before, during and after the run)")
    m.add_argument("--metrics-url", action="append", default=[], metavar="URL",
                   help="a Prometheus text endpoint of the serving side, e.g. a port-forwarded EPP "
                        "http://127.0.0.1:9090/metrics or vLLM :8000/metrics (a bare host:port means its "
                        "/metrics); repeat it for several")
    m.add_argument("--version-set", choices=VERSION_SETS, default=DEFAULT_VERSION_SET,
                   help=f"the llm-d version set whose metric names to read (default {DEFAULT_VERSION_SET})")
    m.add_argument("--metrics-interval", type=float, default=DEFAULT_INTERVAL_S, metavar="S",
                   help=f"seconds between scrapes during the run (default {DEFAULT_INTERVAL_S:g})")
    o = p.add_argument_group("output")
    o.add_argument("--label", default="run", help="name of this run in reports and comparisons")
    o.add_argument("--out", type=Path, help="report folder (default reports/<UTC time>-<label>)")
    o.add_argument("--no-progress", action="store_true", help="no live display")
    o.add_argument("--min-success-rate", type=_fraction, default=DEFAULT_MIN_SUCCESS_RATE,
                   metavar="FRACTION",
                   help=f"FAIL and exit {EXIT_BELOW_SLO} when the success rate is below this "
                        f"(default {DEFAULT_MIN_SUCCESS_RATE}; 0 accepts any run that finished a request)")


def _run(args: argparse.Namespace) -> int:
    low, high = args.think_time
    try:
        models = tuple(name.strip() for arg in args.model for name in arg.split(","))
        target = TargetConfig(args.target, args.url, models, args.api, args.iap_service_account,
                              args.iap_audience, args.api_key_env, args.temperature)
        prompts = PromptConfig(args.prompts, args.long_words, args.prefix_words, args.prefix_groups,
                               args.prompt_file, args.seed)
        workload = WorkloadConfig(args.users, args.requests, args.duration, args.ramp_up, low, high,
                                  args.turns, args.max_tokens, args.timeout, prompts)
        metrics = MetricsConfig(tuple(args.metrics_url), args.version_set, args.metrics_interval)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    label = re.sub(r"[^A-Za-z0-9_.-]+", "-", args.label)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or Path("reports") / f"{stamp}-{label}"
    console = Console(stderr=True)
    try:
        outcome = asyncio.run(execute(target, workload, label=args.label, out_dir=out,
                                      console=None if args.no_progress else console, metrics=metrics))
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary_text(outcome.report), end="")
    for name, path in outcome.files.items():
        print(f"{name}: {path}")
    passed, line = verdict(outcome.report["success_rate"], args.min_success_rate)
    print(line)
    if outcome.report["run"]["stop_reason"] == STOP_INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if passed else EXIT_BELOW_SLO


def _compare(args: argparse.Namespace) -> int:
    try:
        a, b = report.load_report(args.a), report.load_report(args.b)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = comparing.compare(a, b)
    print(comparing.compare_text(result), end="")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.plot:
        from loadtest import plots

        plots.compare_plot(result, args.plot)
    return 0


def _summary(args: argparse.Namespace) -> int:
    try:
        print(report.summary_text(report.load_report(args.report)), end="")
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _bench(args: argparse.Namespace) -> int:
    from loadtest import bench

    return bench.main(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    _add_run(sub)
    c = sub.add_parser("compare", help="compare two reports (A, then B)")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    c.add_argument("--json", type=Path, help="also write the comparison as JSON")
    c.add_argument("--plot", type=Path, help="also draw the comparison as a PNG")
    s = sub.add_parser("summary", help="print the text summary of a report")
    s.add_argument("report", type=Path)
    b = sub.add_parser("bench", help="the generator's own cost against a local simulator")
    b.add_argument("--requests", type=int, default=20000)
    b.add_argument("--users", type=int, default=32)
    b.add_argument("--duration", type=float, default=60.0, help="upper bound in seconds")
    b.add_argument("--output-tokens", type=int, default=1, help="tokens per answer (default 1: short)")
    b.add_argument("--rounds", type=int, default=7,
                   help="rounds of one generator and one bare-client run, in alternating order; medians are reported")
    b.add_argument("--json", type=Path, help="also write the figures as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handlers = {"run": _run, "compare": _compare, "summary": _summary, "bench": _bench}
    return handlers[args.command](args)
