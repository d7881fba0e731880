"""What every target offers, and how transport exceptions map to error kinds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

import aiohttp

from loadtest.result import CLIENT_ERROR, CONNECTION, DROPPED_STREAM, TIMEOUT, RequestResult

Message = dict[str, str]
HeaderSource = Callable[[], Awaitable[dict[str, str]]]

DETAIL_CHARS = 300


class RequestFailed(Exception):
    """A request failed in a way the target recognised; ``kind`` is an error kind."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail[:DETAIL_CHARS]


class Target(Protocol):
    """Sends one chat turn and fills ``result`` as the answer streams in.

    ``messages`` is the conversation so far, ending with the new user message. On failure the
    method raises; the caller turns the exception into an error kind with classify_exception.
    """

    kind: str

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None: ...


def classify_exception(exc: BaseException, responded: bool) -> tuple[str, str]:
    """Error kind and a short detail for an exception raised while sending a request.

    ``responded`` says whether response headers had arrived: a connection lost after that is a
    dropped stream, before it a connection error. Anything unrecognised is kept as a client error
    with its type and message, so that it shows in the report instead of vanishing.
    """
    detail = f"{type(exc).__name__}: {exc}"[:DETAIL_CHARS]
    if isinstance(exc, RequestFailed):
        return exc.kind, exc.detail
    if isinstance(exc, TimeoutError | asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return TIMEOUT, detail
    if isinstance(exc, aiohttp.ClientPayloadError):
        return DROPPED_STREAM, detail
    if isinstance(exc, aiohttp.ServerDisconnectedError | ConnectionResetError | aiohttp.ClientOSError):
        return (DROPPED_STREAM if responded else CONNECTION), detail
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return CONNECTION, detail
    return CLIENT_ERROR, detail
