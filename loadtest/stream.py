"""The data of an SSE stream's events, read a network chunk at a time, cheaply in the usual case.

An OpenAI-style stream is almost always read as whole ``data: <json>`` events of one line each:
one per network read while tokens trickle in, or several in one read when they arrive together.
For such a read the payloads come from a few byte operations in C (a split, a join and a find)
instead of per-event Python. Any other read (``\\r``, comments, ``event:`` or multi-line events,
``data:`` without its space, an event cut across reads) and the rest of its stream go to
``frontend.sse.SSEReader``, the one general reader, which gives the same events for the usual case.

SSEReader strips the whitespace around a payload; the fast path leaves what follows the space
after ``data:`` as it is. ``parse`` treats both forms alike.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from orjson import loads

from frontend.sse import SSEReader

perf_counter = time.perf_counter

DONE = b"[DONE]"
# parse's value for a payload that is the end marker with unusual whitespace around it.
END_MARKER: Any = object()


class _Content(Protocol):
    async def readany(self) -> bytes: ...


class _Response(Protocol):
    @property
    def content(self) -> _Content: ...


def one_line_payloads(data: bytes) -> list[bytes] | None:
    """The payloads of ``data`` if it is whole one-line ``data: `` events and nothing else, else None.

    With the separators split off, no newline may be left: then every block is a single line.
    """
    if data[:6] != b"data: " or data[-2:] != b"\n\n" or data.find(b"\r") >= 0:
        return None
    payloads = data[6:-2].split(b"\n\ndata: ")
    return None if b"".join(payloads).find(b"\n") >= 0 else payloads


def parse(payload: bytes) -> Any:
    """The JSON value of a payload, whitespace around it allowed, or END_MARKER; ValueError if neither.

    Payloads that are JSON with plain spaces around them never get here: ``loads`` takes them.
    """
    try:
        return loads(payload)
    except ValueError:  # orjson skips JSON's whitespace only; SSEReader also strips \v and \f
        stripped = payload.strip()
        if stripped == DONE:
            return END_MARKER
        if stripped == payload:
            raise
        return loads(stripped)


class _Resume:
    """A response whose body is ``first``, then the rest of ``rest``: hands a read over to SSEReader."""

    __slots__ = ("_first", "_rest")

    def __init__(self, rest: _Content, first: bytes) -> None:
        self._first: bytes | None = first
        self._rest = rest

    @property
    def content(self) -> _Resume:
        return self

    async def readany(self) -> bytes:
        first, self._first = self._first, None
        return first if first is not None else await self._rest.readany()


class DataReader:
    """``await read()`` gives the arrival time and the event payloads of the next network read."""

    __slots__ = ("_content", "_general", "ended")

    def __init__(self, response: _Response) -> None:
        self._content = response.content
        self._general: SSEReader | None = None
        self.ended = False

    async def read(self) -> tuple[float, list[bytes]]:
        """Waits for the next network read; at the end of the stream sets ``ended`` (data may still come)."""
        if self._general is not None:
            return await self._read_general()
        chunk = await self._content.readany()
        arrived = perf_counter()
        if not chunk:
            self.ended = True
            return arrived, []
        payloads = one_line_payloads(chunk)
        if payloads is not None:
            return arrived, payloads
        self._general = SSEReader(_Resume(self._content, chunk))
        _, payloads = await self._read_general()  # the chunk arrived when we read it, not now
        return arrived, payloads

    async def _read_general(self) -> tuple[float, list[bytes]]:
        assert self._general is not None
        arrived, events = await self._general.read()
        self.ended = self._general.ended
        return arrived, [data for _name, data in events]
