"""The server-side view: names per version set, scraping a stub endpoint, deltas, missing series, failures."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from loadtest import cli, server_metrics
from loadtest.server_metrics import MetricsConfig, ServerView, increase, parse_wanted, series_read
from loadtest.tests.helpers import serve_app
from stacks.metrics import EMITTED_BY_SET, HISTOGRAM, series_names

# The EPP's series as each version set names them, written out here (not taken from the view), so a wrong
# name in the view shows up as "not exposed" below. A v0.9.0 EPP emits both (docs/metrics.md of the router:
# dual emission), so the stub does too, with other values: a view reading the wrong set's names fails.
EPP_NAMES = {
    "2026-04": {"queue": "inference_pool_average_queue_size", "running": "inference_objective_running_requests",
                "kv": "inference_pool_average_kv_cache_utilization", "requests": "inference_objective_request_total",
                "errors": "inference_objective_request_error_total"},
    "v0.9.0": {"queue": "llm_d_epp_average_queue_size", "running": "llm_d_epp_request_running",
               "kv": "llm_d_epp_average_kv_cache_utilization", "requests": "llm_d_epp_request_total",
               "errors": "llm_d_epp_request_error_total"},
}
ERRORS = (5, 8, 1, 3, 4)  # a counter that restarts between the 2nd and 3rd scrape


def exposition(n: int, preemptions: bool = True) -> str:
    """The stub's answer to its n-th scrape (0 before the run, 1..3 during, 4 after)."""
    old, new = EPP_NAMES["2026-04"], EPP_NAMES["v0.9.0"]
    lines = [
        "# HELP vllm:num_requests_waiting Requests waiting to run.",
        "# TYPE vllm:num_requests_waiting gauge",
        f'vllm:num_requests_waiting{{engine="0",model_name="m"}} {n}',
        f'vllm:num_requests_waiting{{engine="1",model_name="m"}} {2 * n}',
        'vllm:num_requests_waiting_other{engine="0"} 99',  # a longer name sharing the prefix: not read
        "# TYPE vllm:num_requests_running gauge",
        'vllm:num_requests_running{engine="0",model_name="m"} 4',
        "# TYPE vllm:kv_cache_usage_perc gauge",
        'vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.25',
        f'vllm:kv_cache_usage_perc{{engine="1",model_name="m"}} {0.1 * n}',
        "# TYPE vllm:request_success counter",
        f'vllm:request_success_total{{finished_reason="stop",model_name="m"}} {10 + 5 * n}',
        "# TYPE vllm:prompt_tokens counter",
        f'vllm:prompt_tokens_total{{model_name="m"}} {30 * n}',
        "# TYPE vllm:generation_tokens counter",
        f'vllm:generation_tokens_total{{model_name="m"}} {3 * n}',
        "# TYPE vllm:e2e_request_latency_seconds histogram",
        f'vllm:e2e_request_latency_seconds_bucket{{le="+Inf",model_name="m"}} {n}',
        f'vllm:e2e_request_latency_seconds_count{{model_name="m"}} {n}',
        f"{new['queue']}{{name=\"pool\"}} {n + 0.5}",
        f"{old['queue']}{{name=\"pool\"}} {1000 + n}",
        f"{new['running']}{{model_name=\"m\"}} {2 * n}",
        f"{old['running']}{{model_name=\"m\"}} 500",
        f"{new['kv']}{{name=\"pool\"}} {0.05 * n}",
        f"{old['kv']}{{name=\"pool\"}} 0.5",
        f"{new['requests']}{{model_name=\"m\"}} {100 + 7 * n}",
        f"{old['requests']}{{model_name=\"m\"}} {50 * n}",
        f"{new['errors']}{{model_name=\"m\"}} {ERRORS[n]}",
        f"{old['errors']}{{model_name=\"m\"}} {n}",
    ]
    if n >= 1:  # a label set that first appears during the run counts from 0
        lines.append(f'vllm:request_success_total{{finished_reason="length",model_name="m"}} {5 * n}')
    if preemptions:
        lines += ["# TYPE vllm:num_preemptions counter", f'vllm:num_preemptions_total{{model_name="m"}} {2 * n}']
    return "\n".join(lines) + "\n"


def stub_app(preemptions: bool = True) -> web.Application:
    scrapes = {"n": 0}

    async def metrics(_request: web.Request) -> web.Response:
        n = scrapes["n"]
        scrapes["n"] += 1
        return web.Response(text=exposition(n, preemptions), content_type="text/plain")

    async def html(_request: web.Request) -> web.Response:
        return web.Response(text="<html><body>login</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/login", html)
    return app


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scrape_five_times(urls: tuple[str, ...], version_set: str) -> tuple[dict[str, Any], list[list[str]]]:
    """Before, three times during, after: the stub answers n = 0..4."""
    async def go() -> tuple[dict[str, Any], list[list[str]]]:
        async with ServerView(MetricsConfig(urls, version_set)) as view:
            warnings = [await view.scrape(phase) for phase in ("before", "during", "during", "during", "after")]
            return view.report(origin=0.0), warnings
    return asyncio.run(go())


@pytest.mark.parametrize("version_set", sorted(EMITTED_BY_SET))
def test_every_series_read_is_one_the_set_emits(version_set: str) -> None:
    emitted = EMITTED_BY_SET[version_set]
    kinds = {m.name: m.kind for m in emitted if m.kind != HISTOGRAM}
    read = series_read(version_set)
    assert read
    for name, kind in read.items():
        assert name in series_names(emitted), f"{name} is not emitted by version set {version_set}"
        assert kinds[name] == kind, f"{name} is a {kinds[name]} in {version_set}, read as a {kind}"
    epp = [name for name in read if not name.startswith("vllm:")]
    assert epp and all(name.startswith("llm_d_epp_") == (version_set == "v0.9.0") for name in epp)


def test_the_command_line_offers_every_version_set() -> None:
    for version_set in EMITTED_BY_SET:
        args = cli.parser().parse_args(["run", "--url", "http://x", "--version-set", version_set])
        assert args.version_set == version_set
    args = cli.parser().parse_args(["run", "--url", "http://127.0.0.1:1"])
    assert args.version_set == "v0.9.0" and args.metrics_url == [] and args.metrics_interval == 5.0
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["run", "--url", "http://x", "--version-set", "v0.8.0"])


def test_counter_increase_counts_a_restart_from_zero() -> None:
    assert increase([5, 9, 2, 4]) == 4 + 2 + 2
    assert increase([3.0]) == 0 and increase([]) == 0
    assert increase([1, 1, 1]) == 0


def test_only_the_wanted_lines_are_parsed() -> None:
    text = exposition(2)
    samples = parse_wanted(text, ["vllm:num_requests_waiting", "vllm:num_preemptions_total", "absent"])
    assert set(samples) == {"vllm:num_requests_waiting", "vllm:num_preemptions_total"}
    assert sorted(samples["vllm:num_requests_waiting"].values()) == [2.0, 4.0]
    with pytest.raises(ValueError):
        parse_wanted('vllm:num_requests_waiting{engine="0} 3\n', ["vllm:num_requests_waiting"])


def _series(report: dict[str, Any], key: str) -> dict[str, Any]:
    q: dict[str, Any] = report["endpoints"][0]["quantities"][key]
    assert q["exposed"], q
    return dict(q["series"])


@pytest.mark.parametrize("version_set", ["2026-04", "v0.9.0"])
def test_a_stub_endpoint_of_each_set(version_set: str) -> None:
    epp = EPP_NAMES[version_set]
    with serve_app(stub_app()) as url:
        report, warnings = scrape_five_times((f"{url}/metrics",), version_set)
    assert warnings == [[]] * 5 and report["warnings"] == []
    assert report["version_set"] == version_set
    assert report["endpoints"][0]["scrapes"] == {"ok": 5, "failed": 0, "before": True, "during": 3, "after": True}
    queue = _series(report, "queue")
    assert set(queue) == {"vllm:num_requests_waiting", epp["queue"]}
    assert (queue["vllm:num_requests_waiting"]["max"], queue["vllm:num_requests_waiting"]["mean"]) == (9, 6)
    assert queue["vllm:num_requests_waiting"]["samples"] == 3  # during the run only: not before, not after
    running, kv = _series(report, "running"), _series(report, "kv_cache")
    assert running["vllm:num_requests_running"]["max"] == 4
    assert kv["vllm:kv_cache_usage_perc"]["max"] == pytest.approx(0.3)  # the larger engine's, not a sum
    assert kv["vllm:kv_cache_usage_perc"]["mean"] == pytest.approx((0.25 + 0.25 + 0.3) / 3)
    requests = _series(report, "requests")
    assert requests["vllm:request_success_total"]["increase"] == 20 + 20
    assert _series(report, "preemptions")["vllm:num_preemptions_total"]["increase"] == 8
    assert _series(report, "prompt_tokens")["vllm:prompt_tokens_total"]["increase"] == 120
    errors = _series(report, "request_errors")[epp["errors"]]["increase"]
    if version_set == "v0.9.0":
        assert (queue[epp["queue"]]["max"], queue[epp["queue"]]["mean"]) == (3.5, 2.5)
        assert running[epp["running"]]["mean"] == 4
        assert kv[epp["kv"]]["max"] == pytest.approx(0.15)
        assert requests[epp["requests"]]["increase"] == 28
        assert errors == 3 + 1 + 2 + 1  # 5 -> 8, restart -> 1, 3, 4
    else:
        assert (queue[epp["queue"]]["max"], queue[epp["queue"]]["mean"]) == (1003, 1002)
        assert running[epp["running"]]["mean"] == 500
        assert kv[epp["kv"]]["max"] == 0.5
        assert requests[epp["requests"]]["increase"] == 200
        assert errors == 4
    text = "\n".join(server_metrics.summary_lines(report))
    assert f"version set {version_set}" in text and "not exposed" not in text
    assert "max 30.0 %, mean 26.7 %" in text and "+40 during the run" in text


def test_a_series_missing_on_the_endpoint_is_not_exposed_rather_than_zero() -> None:
    with serve_app(stub_app(preemptions=False)) as url:
        report, _ = scrape_five_times((url,), "v0.9.0")  # a bare host:port means its /metrics
    assert report["endpoints"][0]["url"].endswith("/metrics")
    preemptions = report["endpoints"][0]["quantities"]["preemptions"]
    assert preemptions["exposed"] is False and preemptions["series"] == {}
    assert preemptions["looked_for"] == ["vllm:num_preemptions_total"]
    lines = server_metrics.summary_lines(report)
    assert any("preemptions" in line and "not exposed (vllm:num_preemptions_total)" in line for line in lines)
    assert not any("preemptions" in line and "+0" in line for line in lines)


def test_unreachable_and_non_prometheus_endpoints_are_warnings_naming_the_url() -> None:
    dead = f"http://127.0.0.1:{closed_port()}/metrics"
    with serve_app(stub_app()) as url:
        report, warnings = scrape_five_times((dead, f"{url}/login", f"{url}/nothing-here"), "v0.9.0")
    assert all(len(each) == 3 for each in warnings)
    assert f"metrics endpoint {dead} could not be read (before)" in warnings[0][0]
    assert "not in the Prometheus text format" in warnings[0][1]
    assert "HTTP 404" in warnings[0][2]
    assert [ep["scrapes"]["failed"] for ep in report["endpoints"]] == [5, 5, 5]
    assert report["warnings"][0].startswith(f"metrics endpoint {dead}: 5 of 5 scrapes failed")
    assert "Traceback" not in json.dumps(report)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="version set"):
        MetricsConfig(("http://x",), "v0.1")
    with pytest.raises(ValueError, match="interval"):
        MetricsConfig(("http://x",), interval_s=0.01)
    with pytest.raises(ValueError, match="http"):
        MetricsConfig(("ftp://x",))
    assert server_metrics.public_url("http://user:secret@h:9090/metrics?token=t") == "http://h:9090/metrics"


def test_run_with_the_simulator_and_a_dead_endpoint(sim_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/metrics"
    code = cli.main(["run", "--url", sim_url, "--users", "4", "--requests", "24", "--duration", "30",
                     "--no-progress", "--out", str(tmp_path / "r"), "--metrics-url", f"{sim_url}/metrics",
                     "--metrics-url", dead, "--metrics-interval", "0.2", "--version-set", "2026-04"])
    out, err = capsys.readouterr()
    assert code == 0, out + err  # an unreachable endpoint does not fail the run
    assert "Traceback" not in out + err
    assert f"warning: metrics endpoint {dead}" in out and dead in err
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    sim, gone = report["server"]["endpoints"]
    assert sim["scrapes"]["before"] and sim["scrapes"]["after"] and sim["scrapes"]["during"] >= 1
    assert gone["scrapes"]["ok"] == 0
    served = sim["quantities"]["requests"]["series"]["vllm:request_success_total"]["increase"]
    assert 24 - 4 <= served <= 24  # the last answers may be counted just after the scrape that follows them
    assert sim["quantities"]["preemptions"]["exposed"] is False  # the simulator has no preemptions series
    assert sim["quantities"]["running"]["series"]["vllm:num_requests_running"]["max"] <= 4
    assert "Server side (llm-d version set 2026-04" in out
