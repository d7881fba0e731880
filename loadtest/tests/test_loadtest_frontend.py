"""The Gradio target against the real chat app (frontend/) in front of the simulator.

Everything but IAP itself: the app runs as a child process on loopback, as in its own tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from frontend.devserver import start_app
from loadtest.result import RequestResult
from loadtest.runner import TargetConfig, make_session
from loadtest.targets import GradioTarget, Message
from loadtest.tests.helpers import run_load
from loadtest.workload import Workload, WorkloadConfig
from simulator import SimulatorConfig, running_simulator

TTFT_MS, ITL_MS, TOKENS = 30, 5, 8


@pytest.fixture(scope="module")
def chat_url() -> Iterator[str]:
    config = SimulatorConfig(models=("m",), ttft_ms=TTFT_MS, itl_ms=ITL_MS, output_tokens=TOKENS, seed=1)
    with running_simulator(config) as sim:
        child, url = start_app(sim, {"DEFAULT_MODEL": "m", "LOG_LEVEL": "WARNING",
                                     "GRADIO_ANALYTICS_ENABLED": "False"})
        try:
            yield child.wait_ready(url, "/healthz")
        finally:
            child.stop()


def test_load_through_the_chat_app(chat_url: str) -> None:
    outcome = run_load(TargetConfig("gradio", chat_url, models=("m",)),
                       WorkloadConfig(users=3, requests=12, duration_s=60, max_tokens=TOKENS))
    r = outcome.report
    assert r["request_totals"]["successful"] == 12, r["errors"]
    # "[sim] received 1 message;" is one simulated token but four words, then 7 filler words.
    assert r["metrics"]["requests"]["output_length"]["mean"] == TOKENS + 3
    lat = r["metrics"]["latency"]
    assert TTFT_MS / 1000 <= lat["time_to_first_token"]["p50"] <= (TTFT_MS + 150) / 1000
    last_token_ms = TTFT_MS + (TOKENS - 1) * ITL_MS
    assert last_token_ms / 1000 <= lat["request_latency"]["p50"] <= (last_token_ms + 250) / 1000
    assert r["scenario"]["target"]["output_tokens_from"].startswith("words of the answer")


class Spy:
    kind = "spy"

    def __init__(self, inner: GradioTarget) -> None:
        self.inner = inner
        self.sent: list[list[Message]] = []

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
        self.sent.append([dict(m) for m in messages])
        await self.inner.send(messages, max_tokens, result)


def test_conversation_history_reaches_the_model(chat_url: str) -> None:
    async def go() -> Spy:
        async with make_session(1) as session:
            spy = Spy(GradioTarget(session, chat_url))  # no model: the app picks its default
            await Workload(spy, WorkloadConfig(users=1, requests=3, duration_s=60, turns=3)).run()
            return spy

    spy = asyncio.run(go())
    third = spy.sent[2]
    assert len(third) == 5
    assert third[1]["content"].startswith("[sim] received 1 message;")
    assert third[3]["content"].startswith("[sim] received 3 messages;")
