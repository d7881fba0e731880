"""The OpenAI target against the simulator on loopback: measured latencies, errors by kind, bounds.

Tolerance: the simulator sleeps to absolute deadlines, so a measured figure can only be later
than configured, by scheduling and loopback delay. With the simulator on a thread of the test
process (sharing its GIL), we accept TTFT and end-to-end latency from 2 ms under to 25 ms over the
configured value, and per-token figures (ITL, TPOT) from 1 ms under to 3 ms over, on the mean and
the median.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from typing import Any

import pytest

from loadtest.result import RequestResult
from loadtest.runner import TargetConfig, make_session
from loadtest.targets import Message, OpenAITarget
from loadtest.tests.helpers import run_load
from loadtest.workload import STOP_DURATION, STOP_REQUESTS, Workload, WorkloadConfig
from simulator import SimulatorConfig, running_simulator

TTFT_MS, ITL_MS, TOKENS = 50.0, 10.0, 16


def within(value_s: float | None, expected_ms: float, under_ms: float, over_ms: float) -> bool:
    assert value_s is not None
    return expected_ms - under_ms <= value_s * 1000 <= expected_ms + over_ms


def test_statistics_match_configured_latencies(sim_url: str) -> None:
    outcome = run_load(TargetConfig("openai", sim_url),
                       WorkloadConfig(users=8, requests=96, duration_s=30, max_tokens=64))
    r = outcome.report
    assert r["request_totals"] == {"successful": 96, "errored": 0, "incomplete": 0, "total": 96}
    assert r["run"]["stop_reason"] == STOP_REQUESTS
    assert r["scenario"]["target"]["model"] == "m"
    lat = r["metrics"]["latency"]
    for key in ("mean", "p50"):
        assert within(lat["time_to_first_token"][key], TTFT_MS, 2, 25), lat["time_to_first_token"]
        assert within(lat["inter_token_latency"][key], ITL_MS, 1, 3), lat["inter_token_latency"]
        assert within(lat["time_per_output_token"][key], ITL_MS, 1, 3), lat["time_per_output_token"]
        assert within(lat["request_latency"][key], TTFT_MS + (TOKENS - 1) * ITL_MS, 2, 25)
    assert lat["inter_token_latency"]["count"] == 96 * (TOKENS - 1)
    assert r["metrics"]["requests"]["output_length"]["mean"] == TOKENS
    assert r["metrics"]["requests"]["input_length"]["count"] == 96
    expected_rps = 8 / ((TTFT_MS + (TOKENS - 1) * ITL_MS) / 1000)
    assert 0.8 * expected_rps <= r["metrics"]["throughput"]["requests_per_sec"] <= 1.02 * expected_rps
    assert r["metrics"]["throughput"]["total_tokens_per_sec"] > r["metrics"]["throughput"][
        "output_tokens_per_sec"]


class Spy:
    """Wraps a target and records the conversation each request carried."""

    kind = "spy"

    def __init__(self, inner: OpenAITarget) -> None:
        self.inner = inner
        self.sent: list[list[Message]] = []

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
        self.sent.append([dict(m) for m in messages])
        await self.inner.send(messages, max_tokens, result)


@pytest.mark.parametrize("api", ["chat", "completions"])
def test_multi_turn_resends_history(sim_url: str, api: str) -> None:
    async def go() -> Spy:
        async with make_session(2) as session:
            spy = Spy(OpenAITarget(session, sim_url, "m", api=api))
            cfg = WorkloadConfig(users=1, requests=6, duration_s=20, turns=3, max_tokens=4)
            await Workload(spy, cfg).run()
            return spy

    spy = asyncio.run(go())
    assert [len(m) for m in spy.sent] == [1, 3, 5, 1, 3, 5]
    third = spy.sent[2]
    assert [m["role"] for m in third] == ["user", "assistant", "user", "assistant", "user"]
    if api == "chat":
        assert third[1]["content"].startswith("[sim] received 1 message;")
        assert third[3]["content"].startswith("[sim] received 3 messages;")
    else:
        assert third[1]["content"].startswith("[sim] completing a prompt of")


def expected_faults(seed: int, n: int, error: float, timeout: float, drop: float) -> dict[str, int]:
    """The simulator draws one number per generation request from random.Random(seed)."""
    rng, counts = random.Random(seed), {"http_503": 0, "timeout": 0, "dropped_stream": 0}
    for _ in range(n):
        r = rng.random()
        if r < error:
            counts["http_503"] += 1
        elif r < error + timeout:
            counts["timeout"] += 1
        elif r < error + timeout + drop:
            counts["dropped_stream"] += 1
    return counts


def test_injected_errors_are_counted_by_kind() -> None:
    cfg = SimulatorConfig(models=("m",), ttft_ms=5, itl_ms=1, output_tokens=8, error_rate=0.15,
                          error_status=503, timeout_rate=0.1, drop_rate=0.15, seed=7, hang_seconds=30)
    n = 120
    with running_simulator(cfg) as url:
        outcome = run_load(TargetConfig("openai", url),
                           WorkloadConfig(users=12, requests=n, duration_s=30, request_timeout_s=0.5))
    r = outcome.report
    expected = expected_faults(7, n, 0.15, 0.1, 0.15)
    assert r["errors"]["by_kind"] == expected
    assert r["request_totals"]["successful"] == n - sum(expected.values())
    assert r["request_totals"]["errored"] == sum(expected.values())
    assert r["success_rate"] == pytest.approx((n - sum(expected.values())) / n)
    assert "503" in r["errors"]["examples"]["http_503"]
    assert "0.5 s" in r["errors"]["examples"]["timeout"]
    assert sum(sum(v) for v in r["timeline"]["errors"].values()) == sum(expected.values())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_errors_are_counted() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    outcome = run_load(TargetConfig("openai", url, models=("m",)),
                       WorkloadConfig(users=2, requests=5, duration_s=10))
    assert outcome.report["errors"]["by_kind"] == {"connection": 5}
    assert "Connect" in outcome.report["errors"]["examples"]["connection"]


def test_http_error_status_from_unknown_model(sim_url: str) -> None:
    outcome = run_load(TargetConfig("openai", sim_url, models=("no-such-model",)),
                       WorkloadConfig(users=1, requests=3, duration_s=10))
    assert outcome.report["errors"]["by_kind"] == {"http_404": 3}


def test_run_stops_on_request_count(sim_url: str) -> None:
    outcome = run_load(TargetConfig("openai", sim_url),
                       WorkloadConfig(users=5, requests=37, duration_s=30, max_tokens=2))
    assert outcome.report["request_totals"]["total"] == 37
    assert outcome.report["run"]["stop_reason"] == STOP_REQUESTS


def test_run_stops_on_time_and_counts_in_flight_as_incomplete() -> None:
    slow = SimulatorConfig(models=("m",), ttft_ms=0, itl_ms=100, output_tokens=100, seed=1)
    with running_simulator(slow) as url:
        t0 = time.perf_counter()
        outcome = run_load(TargetConfig("openai", url),
                           WorkloadConfig(users=4, duration_s=1.0, max_tokens=200))
        wall = time.perf_counter() - t0
    r: dict[str, Any] = outcome.report
    assert r["run"]["stop_reason"] == STOP_DURATION
    assert 1.0 <= r["run"]["duration_s"] < 1.5
    assert wall < 3.0
    assert r["request_totals"] == {"successful": 0, "errored": 0, "incomplete": 4, "total": 4}
    assert r["success_rate"] is None


def test_duration_bound_holds_against_a_hanging_server() -> None:
    hang = SimulatorConfig(models=("m",), timeout_rate=1.0, hang_seconds=60, seed=1)
    with running_simulator(hang) as url:
        t0 = time.perf_counter()
        outcome = run_load(TargetConfig("openai", url),
                           WorkloadConfig(users=3, requests=1000, duration_s=0.8, request_timeout_s=30))
        assert time.perf_counter() - t0 < 3.0
    assert outcome.report["run"]["stop_reason"] == STOP_DURATION
    assert outcome.report["request_totals"]["incomplete"] == 3
