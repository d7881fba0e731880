"""Defects of the chat against the gateway: extra models, hanging model lists, garbage streams."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import gradio as gr
import pytest
from aiohttp import web

from frontend.tests.helpers import collect, run, service_for
from simulator import SimulatorConfig, running_simulator
from simulator.header_router import running_router
from simulator.runner import running_app

PRIMARY = "Qwen/Qwen3-0.6B"
EXTRA = "extra/model"


def test_an_extra_model_is_reached_through_the_gateway_header() -> None:
    primary = SimulatorConfig(models=(PRIMARY,), ttft_ms=0, itl_ms=0, output_tokens=3)
    extra = SimulatorConfig(models=(EXTRA,), ttft_ms=0, itl_ms=0, output_tokens=6)
    with running_simulator(primary) as p, running_simulator(extra) as e, \
            running_router({EXTRA: e}, default=p) as gateway:
        service = service_for(gateway, default_model=PRIMARY)

        async def both() -> tuple[list[str], list[str]]:
            return (await collect(service.respond("hi", [], EXTRA, 64, 0.0)),
                    await collect(service.respond("hi", [], "", 64, 0.0)))

        extra_answer, primary_answer = run(both, service)
    assert extra_answer[-1] == "[sim] received 1 message; alpha bravo charlie delta echo"
    assert primary_answer[-1] == "[sim] received 1 message; alpha bravo"


@contextmanager
def hanging_backend() -> Iterator[str]:
    """A port that accepts connections (in the kernel's backlog) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize("default_model", ["", PRIMARY])
def test_a_hanging_model_list_does_not_serialise_chats(default_model: str) -> None:
    with hanging_backend() as url:
        service = service_for(url, default_model=default_model, models_timeout_s=1.0, request_timeout_s=1.5)

        async def one() -> float:
            start = time.monotonic()
            with pytest.raises(gr.Error):
                await collect(service.respond("hi", [], "", 8, 0.0))
            return time.monotonic() - start

        async def go() -> tuple[list[float], float]:
            together = await asyncio.gather(*(one() for _ in range(4)))
            return list(together), await one()

        together, later = run(go, service)
    # Each chat waits at most one listing (1 s) or its own request timeout (1.5 s), never the others'.
    assert max(together) < 2.3, together
    assert max(together) - min(together) < 0.5, together
    if not default_model:
        assert later < 0.3, "a failed listing must be remembered"


GARBAGE = [b"data: {not json\n\n", b"data: [1, 2]\n\n", b'data: {"choices": [null]}\n\n',
           b'data: {"choices": "x"}\n\n', b"data: 42\n\n"]


@contextmanager
def garbage_backend(line: bytes) -> Iterator[str]:
    async def completions(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b'data: {"choices": [{"delta": {"content": "ok "}}]}\n\n')
        await response.write(line)
        await response.write(b"data: [DONE]\n\n")
        return response

    def make() -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", completions)
        return app

    with running_app(make, name="garbage") as url:
        yield url


@pytest.mark.parametrize("line", GARBAGE)
def test_a_malformed_stream_is_the_model_services_fault(line: bytes) -> None:
    with garbage_backend(line) as url:
        service = service_for(url, default_model=PRIMARY)
        with pytest.raises(gr.Error) as caught:
            run(lambda: collect(service.respond("hi", [], "", 8, 0.0)), service)
    message: Any = caught.value.message
    assert "model service sent a broken answer" in message
    assert "chat app" not in message
