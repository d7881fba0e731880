"""The cold-start retry loop against a stub gateway that counts the attempts: which 503s count as a
cold start, how far apart the attempts are, that concurrent chats share one probe per model, that a
closed page stops retrying, and what is never retried."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import gradio as gr
import pytest

from frontend import backend, chat
from frontend.chat import ChatService
from frontend.tests.helpers import collect, run, service_for
from frontend.tests.stub_gateway import (
    ANSWER,
    DROPPED_REASON,
    NO_ENDPOINTS,
    TOKENS,
    Stub,
    always,
    in_order,
    ready_after,
    running_stub,
)
from frontend.ui import page_handler

MODEL = "Qwen/Qwen3-0.6B"
BASE_S = 0.1
CAP_S = 0.4


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The cold-start back-off at a tenth of its real scale, so a test sees many steps in seconds, with a seeded
    jitter (the same pauses every run) and the pauses it chose recorded."""
    monkeypatch.setattr(backend, "RETRY_BASE_S", BASE_S)
    monkeypatch.setattr(backend, "COLD_START_RETRY_MAX_S", CAP_S)
    monkeypatch.setattr(backend, "_jitter", random.Random(7))
    chosen: list[float] = []
    pause = backend.cold_start_pause

    def recorded(attempt: int, left_s: float) -> float:
        chosen.append(pause(attempt, left_s))
        return chosen[-1]

    monkeypatch.setattr(backend, "cold_start_pause", recorded)
    return chosen


def page(service: ChatService) -> AsyncGenerator[Any, None]:
    return page_handler(service)("hi", [], "", 8, 0.0)


async def page_items(service: ChatService) -> list[Any]:
    return [item async for item in page(service)]


def error_title(items: list[Any]) -> str:
    last = items[-1]
    assert isinstance(last, list), last
    return str(last[-1].metadata["title"])


def is_notice(item: Any) -> bool:
    return isinstance(item, gr.ChatMessage) and str(item.metadata.get("title", "")).startswith("⏳")


def chats(url: str, count: int, **overrides: Any) -> list[list[str] | BaseException]:
    """``count`` chats at once through one service (one process), the answers or the errors."""
    service = service_for(url, default_model=MODEL, **overrides)

    async def go() -> list[list[str] | BaseException]:
        tasks = [collect(service.respond("hi", [], "", 8, 0.0)) for _ in range(count)]
        return list(await asyncio.gather(*tasks, return_exceptions=True))

    return run(go, service)


# Which 503 is a cold start.

def test_a_503_soon_after_an_answer_is_an_error_not_a_cold_start() -> None:
    stub = Stub(in_order(200, 503))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, idle_s=60)

        async def go() -> tuple[list[Any], list[Any]]:
            return await page_items(service), await page_items(service)

        first, second = run(go, service)
    assert first[-1] == ANSWER
    assert "unavailable (HTTP 503)" in error_title(second)
    assert not any(is_notice(item) for item in second)
    assert len(stub.times) == 2


def test_a_503_soon_after_an_answer_is_retried_as_backend_max_retries_says() -> None:
    stub = Stub(in_order(200, 503, 200))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, idle_s=60, max_retries=1)

        async def go() -> list[Any]:
            await page_items(service)
            return await page_items(service)

        second = run(go, service)
    assert second[-1] == ANSWER and not any(is_notice(item) for item in second)
    assert len(stub.times) == 3


def test_without_idle_seconds_a_503_after_an_answer_is_still_a_cold_start(fast_retries: None) -> None:
    stub = Stub(in_order(200, 503, 503))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30)

        async def go() -> list[Any]:
            await page_items(service)
            return await page_items(service)

        second = run(go, service)
    assert is_notice(second[0]) and second[-1] == ANSWER
    assert len(stub.times) == 4


@pytest.mark.parametrize("headers", [NO_ENDPOINTS, {}], ids=["router", "load-balancer"])
def test_a_503_from_a_pool_at_zero_is_retried_until_it_answers(fast_retries: None, headers: dict[str, str]) -> None:
    stub = Stub(ready_after(1.0), headers=headers)
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, idle_s=60)
        got = run(lambda: page_items(service), service)
    assert is_notice(got[0]) and "scaled to zero" in got[0].metadata["title"]
    assert got[-1] == ANSWER


def test_a_503_the_router_drops_for_another_reason_is_an_error() -> None:
    stub = Stub(always(503), headers={DROPPED_REASON: "rejected-saturated"})
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=20)
        got = run(lambda: page_items(service), service)
    assert "unavailable (HTTP 503)" in error_title(got)
    assert len(stub.times) == 1


def test_the_status_error_keeps_the_headers_and_the_body() -> None:
    stub = Stub(always(503), headers=NO_ENDPOINTS, body="no ready endpoints")
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL)

        async def go() -> backend.StatusError:
            with pytest.raises(backend.StatusError) as caught:
                async for _ in service.client.stream_chat(MODEL, [{"role": "user", "content": "hi"}], 8, 0.0):
                    pass
            return caught.value

        error = run(go, service)
    assert (error.status, error.detail) == (503, "no ready endpoints")
    assert error.headers[DROPPED_REASON] == "rejected-no-endpoints"


# The spacing of the attempts.

def test_the_attempts_are_bounded_spaced_and_jittered(fast_retries: list[float]) -> None:
    budget = 4.0
    stub = Stub(always(503))
    with running_stub(stub) as url:
        begin = time.monotonic()
        [error] = chats(url, 1, cold_start_s=budget)
        elapsed = time.monotonic() - begin
    assert isinstance(error, gr.Error) and "did not start within" in error.message
    assert budget <= elapsed < budget + 1.5
    attempts = len(stub.times)
    # Full jitter: a pause is uniform in [0, step], so at the cap the mean pause is half the cap.
    # A tight loop would make hundreds; the bound leaves room for the jitter's spread and slow round trips.
    assert budget / CAP_S <= attempts <= 3 * budget / CAP_S + 6
    capped = stub.gaps()[4:-1]  # from the cap on, without the last pause (cut short by the budget)
    assert statistics.median(capped) >= 0.2 * CAP_S  # not a tight loop
    # The pauses chosen (not the wall-clock gaps, which a loaded machine stretches): capped, and jittered.
    steps = fast_retries[4:-1]
    assert max(steps) <= CAP_S
    assert max(steps) - min(steps) >= 0.4 * CAP_S


def test_concurrent_chats_share_one_probe_per_model(fast_retries: None) -> None:
    budget, count = 3.0, 20
    stub = Stub(always(503))
    with running_stub(stub) as url:
        got = chats(url, count, cold_start_s=budget)
    assert all(isinstance(e, gr.Error) and "did not start within" in e.message for e in got)
    # Every chat sends once; after that one of them probes for all (not one loop per chat).
    assert count <= len(stub.times) <= count + 3 * budget / CAP_S + 6


def test_chats_waiting_on_the_probe_are_answered_once_the_pool_is(fast_retries: None) -> None:
    count = 20
    stub = Stub(ready_after(1.5))
    with running_stub(stub) as url:
        got = chats(url, count, cold_start_s=30)
    assert all(isinstance(answer, list) and answer[-1] == ANSWER for answer in got), got
    # the first try of each chat, the probe's tries, then one try of each chat once the probe got its answer
    assert len(stub.times) <= 2 * count + 3 * 1.5 / CAP_S + 6


def test_a_waiting_chat_takes_over_when_the_probing_chat_gives_up(fast_retries: None) -> None:
    stub = Stub(ready_after(2.5))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30)

        async def go() -> list[str]:
            first = asyncio.ensure_future(collect(service.respond("hi", [], "", 8, 0.0)))
            await asyncio.sleep(0.3)
            second = asyncio.ensure_future(collect(service.respond("hi", [], "", 8, 0.0)))
            await asyncio.sleep(0.5)
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
            return await second

        answer = run(go, service)
    assert answer[-1] == ANSWER


def test_a_probe_that_cannot_reach_the_gateway_releases_the_waiting_chats_at_once(
    monkeypatch: pytest.MonkeyPatch, fast_retries: None
) -> None:
    # Every pause up to the cap, so chats taking over one by one would take seconds.
    monkeypatch.setattr(backend, "RETRY_BASE_S", CAP_S)
    # The first try is a cold start; from then on the gateway drops every connection.
    stub = Stub(lambda n, t: 503 if n == 0 else 0)
    count = 10
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30)

        async def go() -> tuple[list[Any], float]:
            first = asyncio.ensure_future(collect(service.respond("hi", [], "", 8, 0.0)))
            await asyncio.sleep(0.02)  # the first chat probes; the others wait for it without sending
            rest = [asyncio.ensure_future(collect(service.respond("hi", [], "", 8, 0.0))) for _ in range(count - 1)]
            begin = time.monotonic()
            got = await asyncio.gather(first, *rest, return_exceptions=True)
            return list(got), time.monotonic() - begin

        got, elapsed = run(go, service)
    assert all(isinstance(e, gr.Error) and "unreachable" in e.message for e in got), got
    # Each chat tries once more, together, rather than taking over the probe one by one, a pause each.
    assert len(stub.times) <= count + 1
    assert elapsed < 0.6  # the probe's one pause (0.13 s with the seeded jitter), then all at once; one by one: 1.25 s


# What a closed page and what other failures do.

def test_a_closed_page_stops_the_attempts(monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    monkeypatch.setattr(chat, "NOTICE_REPEAT_S", 0.5, raising=False)
    stub = Stub(always(503))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=20)

        async def go() -> tuple[list[Any], int]:
            # As Gradio's queue does: the session's liveness is looked at after each yield, and the
            # generator is closed once it is gone.
            closed_at = time.monotonic() + 1.0
            items: list[Any] = []
            async with aclosing(page(service)) as gen:
                async for item in gen:
                    items.append(item)
                    if time.monotonic() >= closed_at:
                        break
            # A request already on its way when the page closed may still arrive: count from a moment later.
            await asyncio.sleep(0.3)
            attempts = len(stub.times)
            await asyncio.sleep(1.0)
            return items, len(stub.times) - attempts

        items, later = asyncio.run(asyncio.wait_for(go(), 4))
    assert len(items) >= 2 and all(is_notice(item) for item in items)
    assert "so far" in str(items[-1].content)
    assert later == 0


@pytest.mark.parametrize("status", [429, 500, 502])
def test_an_error_without_a_cold_start_is_tried_once(status: int) -> None:
    stub = Stub(always(status))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=20)
        got = run(lambda: page_items(service), service)
    assert f"HTTP {status}" in error_title(got)
    assert len(stub.times) == 1


def test_a_stream_cut_after_its_first_token_is_not_tried_again() -> None:
    stub = Stub(always(200), cut=True)
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30, cold_start_notice_s=20)
        got = run(lambda: page_items(service), service)
    assert got[0] == TOKENS[0]
    assert "unreachable" in error_title(got)
    assert len(stub.times) == 1


def test_busy_and_gateway_errors_at_wake_up_are_retried_within_the_budget(fast_retries: None) -> None:
    stub = Stub(in_order(503, 503, 429, 502, 504, 503))
    with running_stub(stub) as url:
        service = service_for(url, default_model=MODEL, cold_start_s=30)
        got = run(lambda: page_items(service), service)
    assert got[-1] == ANSWER
    assert len(stub.times) == 7


def test_the_budget_also_bounds_retries_at_wake_up(fast_retries: None) -> None:
    stub = Stub(lambda n, t: 503 if n == 0 else 429)
    with running_stub(stub) as url:
        begin = time.monotonic()
        got = chats(url, 1, cold_start_s=1.5)
        elapsed = time.monotonic() - begin
    [error] = got
    assert isinstance(error, gr.Error) and "did not start within" in error.message
    assert 1.5 <= elapsed < 3
