"""A model pool scaled to zero, against the simulator's cold-start modes: ``router`` stands in for llm-d's
router, which holds a request up to its queue TTL and then answers 503 ``rejected-no-endpoints`` until a
server is ready; ``load-balancer`` for GKE's load balancer, which answers a plain 503 at once while the
pool has no backend. (The retry loop itself is tested against a counting stub: test_cold_start_retries.py.)"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import gradio as gr
import pytest

from frontend.chatapi import DirectChat
from frontend.errors import ColdStartTimeout, describe
from frontend.settings import Settings
from frontend.tests.helpers import closed_port, collect, run, service_for
from frontend.tests.test_chatapi import DEFAULTS, PREFIX, events_task, start
from frontend.ui import page_handler
from simulator import SimulatorConfig, running_simulator

MODEL = "Qwen/Qwen3-0.6B"
ANSWER = "[sim] received 1 message; alpha bravo charlie"
NOTICE = "The model is starting"
SLOW = "The model is taking longer than usual"


def cold(seconds: float, ttl: float, style: str = "router") -> SimulatorConfig:
    return SimulatorConfig(ttft_ms=0, itl_ms=0, output_tokens=4, cold_start_seconds=seconds,
                           cold_start_ttl_seconds=ttl, cold_start_style=style)


def page(url: str, **overrides: Any) -> list[tuple[float, Any]]:
    """What the page's chat function yields, each with its time since the chat began."""
    service = service_for(url, default_model=MODEL, **overrides)
    handler = page_handler(service)

    async def go() -> list[tuple[float, Any]]:
        begin = time.monotonic()
        return [(time.monotonic() - begin, item) async for item in handler("hi", [], "", 8, 0.0)]

    return run(go, service)


def is_notice(item: Any, text: str = NOTICE) -> bool:
    return isinstance(item, gr.ChatMessage) and text in str(item.metadata.get("title", ""))


def test_the_page_shows_the_notice_at_the_first_503_then_the_answer() -> None:
    with running_simulator(cold(1.5, 0.3)) as url:
        got = page(url, cold_start_s=30, cold_start_notice_s=20)
    (when, notice), *rest = got
    assert is_notice(notice)
    assert "up to about 30 seconds" in notice.metadata["title"]
    assert when < 1.2  # the first 503, long before COLD_START_NOTICE_SECONDS
    assert rest and all(isinstance(item, str) for _, item in rest)
    assert rest[-1][1] == ANSWER


def test_the_page_shows_the_load_balancers_503_as_a_start_too() -> None:
    with running_simulator(cold(1.5, 0, "load-balancer")) as url:
        got = page(url, cold_start_s=30, cold_start_notice_s=20)
    (when, notice), *rest = got
    assert is_notice(notice) and when < 0.5
    assert rest[-1][1] == ANSWER


def test_without_a_503_the_notice_after_the_notice_time_says_only_that_it_takes_long() -> None:
    with running_simulator(cold(1.5, 10)) as url:  # held by the "router" until served: no 503 at all
        got = page(url, cold_start_s=30, cold_start_notice_s=0.3)
    assert is_notice(got[0][1], SLOW)
    assert "scaled to zero" not in got[0][1].metadata["title"]
    assert 0.25 <= got[0][0] < 1.4
    assert [item for _, item in got[1:]][-1] == ANSWER
    assert not any(is_notice(item) for _, item in got)


def test_a_503_after_the_neutral_notice_turns_it_into_the_starting_notice() -> None:
    with running_simulator(cold(2.0, 0.8)) as url:
        got = page(url, cold_start_s=30, cold_start_notice_s=0.3)
    notices = [(when, item) for when, item in got if isinstance(item, gr.ChatMessage)]
    assert is_notice(notices[0][1], SLOW) and notices[0][0] < 0.75
    assert is_notice(notices[-1][1]) and notices[-1][0] >= 0.75
    assert got[-1][1] == ANSWER


def test_the_scripted_api_never_carries_the_notice() -> None:
    async def go(url: str) -> list[tuple[str, Any]]:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=0.1)
        chats = DirectChat(service, PREFIX, DEFAULTS)
        try:
            client, task = events_task(chats, await start(chats, ["hi", [], "", 8, 0.0]))
            await asyncio.wait_for(task, 20)
            return client.events()
        finally:
            await service.aclose()

    with running_simulator(cold(1.5, 0.3)) as url:
        events = asyncio.run(go(url))
    assert events[-1] == ("complete", [ANSWER])
    assert {name for name, _ in events} == {"generating", "complete"}
    assert not any("starting" in json.dumps(data) for _, data in events)


def test_respond_yields_only_the_answer_while_the_model_starts() -> None:
    with running_simulator(cold(1.5, 0.3)) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=0.1)
        got = run(lambda: collect(service.respond("hi", [], "", 8, 0.0)), service)
    assert got[-1] == ANSWER
    assert all(isinstance(answer, str) and answer.startswith("[sim]") for answer in got)


def test_a_spent_budget_gives_the_cold_start_error() -> None:
    with running_simulator(cold(60, 0.2)) as url:
        begin = time.monotonic()
        got = page(url, cold_start_s=1.5, cold_start_notice_s=20)
        elapsed = time.monotonic() - begin
    assert is_notice(got[0][1])
    note = got[-1][1]
    assert isinstance(note, list) and len(note) == 1
    assert "did not start within 2 seconds" in note[0].metadata["title"]
    assert 1.5 <= elapsed < 4


def test_without_a_cold_start_budget_a_503_is_an_error_at_once() -> None:
    with running_simulator(cold(60, 0.2)) as url:
        begin = time.monotonic()
        got = page(url, max_retries=0)
        elapsed = time.monotonic() - begin
    assert len(got) == 1
    note = got[0][1]
    assert "unavailable (HTTP 503)" in note[0].metadata["title"]
    assert not any(is_notice(item) for _, item in got)
    assert elapsed < 1.5


def test_the_answer_deadline_adds_the_cold_start_budget() -> None:
    settings = Settings.from_env({"IAP_REQUIRED": "false", "REQUEST_TIMEOUT_SECONDS": "60",
                                  "COLD_START_SECONDS": "300", "COLD_START_NOTICE_SECONDS": "2.5",
                                  "IDLE_SECONDS": "900"})
    assert (settings.cold_start_s, settings.cold_start_notice_s, settings.answer_timeout_s) == (300, 2.5, 360)
    assert settings.idle_s == 900
    defaults = Settings.from_env({"IAP_REQUIRED": "false"})
    assert (defaults.cold_start_s, defaults.cold_start_notice_s, defaults.idle_s) == (0, 5, 0)
    assert defaults.answer_timeout_s == defaults.request_timeout_s


@pytest.mark.parametrize("env", [{"COLD_START_SECONDS": "-1"}, {"COLD_START_NOTICE_SECONDS": "0"},
                                 {"IDLE_SECONDS": "-1"}])
def test_bad_cold_start_settings_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Settings.from_env({"IAP_REQUIRED": "false", **env})


def test_the_cold_start_error_names_the_budget() -> None:
    failure = describe(ColdStartTimeout(300), 900)
    assert (failure.kind, failure.status) == ("cold_start", 503)
    assert failure.message.startswith("The model did not start within 5 minutes")


def test_other_failures_are_not_retried_as_a_cold_start() -> None:
    begin = time.monotonic()
    got = page(f"http://127.0.0.1:{closed_port()}", cold_start_s=30, cold_start_notice_s=20)
    assert "unreachable" in got[-1][1][0].metadata["title"]
    assert time.monotonic() - begin < 5
