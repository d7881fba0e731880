"""A gateway stand-in for the retry tests: it answers each chat request by a script and records when
each one came, so a test can count the attempts and measure their spacing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

from simulator.runner import running_app

DROPPED_REASON = "x-llm-d-request-dropped-reason"
NO_ENDPOINTS = {DROPPED_REASON: "rejected-no-endpoints"}
TOKENS = ("alpha", " bravo", " charlie")
ANSWER = "".join(TOKENS)


def chunk(text: str) -> bytes:
    return b"data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}).encode() + b"\n\n"


@dataclass
class Stub:
    """``answer(n, t)`` gives the status for the n-th chat request (from 0), ``t`` seconds after the
    first one: 200 streams ``ANSWER`` (cut after its first token with ``cut``), 0 drops the connection
    without an answer, any other status is answered with ``headers`` and ``body``, at once."""

    answer: Callable[[int, float], int]
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "no healthy upstream"
    cut: bool = False
    times: list[float] = field(default_factory=list)

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.times, self.times[1:], strict=False)]

    async def chat(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        now = time.monotonic()
        n = len(self.times)
        status = self.answer(n, now - self.times[0] if self.times else 0.0)
        self.times.append(now)
        if status == 0 and request.transport is not None:
            request.transport.abort()
            return web.Response()
        if status != 200:
            return web.Response(status=status, text=self.body, headers=self.headers)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i, token in enumerate(TOKENS):
            await response.write(chunk(token))
            if self.cut and i == 0:
                if request.transport is not None:
                    request.transport.abort()
                return response
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


@contextmanager
def running_stub(stub: Stub) -> Iterator[str]:
    """Serve ``stub`` on a free loopback port; yield its base URL (the attempts' times are on the
    ``time.monotonic`` clock)."""

    def make() -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", stub.chat)
        return app

    with running_app(make, name="stub-gateway") as url:
        yield url


def always(status: int) -> Callable[[int, float], int]:
    return lambda n, t: status


def ready_after(seconds: float, status: int = 503) -> Callable[[int, float], int]:
    return lambda n, t: 200 if t >= seconds else status


def in_order(*statuses: int) -> Callable[[int, float], int]:
    """The given statuses one request after the other, then 200."""
    return lambda n, t: statuses[n] if n < len(statuses) else 200
