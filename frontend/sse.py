"""The one server-sent-events reader: the chat app's gateway stream, the load tool, the benchmark.

It lives in the app's folder (the container ships only ``frontend/``) and imports nothing but the
standard library; anything with an aiohttp-like ``content.readany()`` can be read.

It reads the response body a network chunk at a time (``readany``), not a line at a time, and
hands back every event completed by that chunk together with the chunk's arrival time, so a
caller times each content chunk by when its bytes arrived and the loop runs once per network
read rather than once per line. Events follow the SSE format: ``field: value`` lines ended by a
blank line; ``event`` names the event (``message`` when absent), ``data`` lines are joined with
``\\n``, comment lines (``:``) and other fields are ignored, and ``\\r\\n`` or ``\\r`` end lines as
``\\n`` does. At the end of the stream, an event whose lines are complete but that lacks its blank
line is still handed back; a partial line is not.
"""

from __future__ import annotations

import json
import time
from typing import Any, Protocol

MESSAGE = b"message"
Event = tuple[bytes, bytes]  # (event name, data)

# The C scanner json.loads ends up in, without its bytes detection, decode and regex wrappers.
_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__


class _Content(Protocol):
    async def readany(self) -> bytes: ...


class _Response(Protocol):
    @property
    def content(self) -> _Content: ...


def parse_json(data: bytes) -> Any:
    """One JSON value filling ``data`` (stdlib scanner without json.loads' wrappers); ValueError if not.

    ``data`` comes stripped from SSEReader: leading whitespace is refused, as a stray byte would be.
    """
    text = data.decode()
    try:
        value, end = _scan_once(text, 0)
    except StopIteration as exc:  # the scanner's way of saying "no value starts here"
        raise ValueError("no JSON value") from exc
    if end != len(text) and text[end:].strip():
        raise ValueError("extra data after the JSON value")
    return value


def _block(block: bytes) -> Event | None:
    """The event of one blank-line-terminated block, or None if it has no data (comments only)."""
    if block.find(b"\n") < 0:  # the common case: one line, e.g. ``data: {...}``
        if block.startswith(b"data:"):
            return MESSAGE, block[5:].strip()
        return None
    name = MESSAGE
    data: list[bytes] = []
    for line in block.split(b"\n"):
        if line.startswith(b"data:"):
            data.append(line[5:].strip())
        elif line.startswith(b"event:"):
            name = line[6:].strip()
    return (name, b"\n".join(data)) if data else None


class SSEReader:
    """``await read()`` gives the arrival time and the events of the next network chunk."""

    __slots__ = ("_content", "_tail", "ended")

    def __init__(self, response: _Response) -> None:
        self._content = response.content
        self._tail = b""
        self.ended = False

    async def read(self) -> tuple[float, list[Event]]:
        """Waits for the next chunk; at the end of the stream sets ``ended`` (events may still come)."""
        chunk = await self._content.readany()
        arrived = time.perf_counter()
        if not chunk:
            self.ended = True
            tail, self._tail = self._tail, b""
            return arrived, self._events_at_end(tail)
        data = self._tail + chunk if self._tail else chunk
        hold = b""
        # bytes.find rather than ``in``: ``in`` goes through the buffer protocol, ~1.5x the cost here.
        if data.find(b"\r") >= 0:
            if data.endswith(b"\r"):  # a \r\n split between chunks: its \n may come next
                data, hold = data[:-1], b"\r"
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = data.find(b"\n\n")
        if end < 0:  # no event complete yet
            self._tail = data + hold
            return arrived, []
        if end == len(data) - 2 and not hold and data[:5] == b"data:" and data.find(b"\n", 0, end) < 0:
            # The common chunk: exactly one event, a single ``data:`` line.
            self._tail = b""
            return arrived, [(MESSAGE, data[5:end].strip())]
        blocks = data.split(b"\n\n")
        self._tail = blocks.pop() + hold if hold else blocks.pop()
        # The common block is a single ``data:`` line: handled inline, the rest by _block.
        events = [(MESSAGE, b[5:].strip()) if b[:5] == b"data:" and b.find(b"\n") < 0 else _block(b)
                  for b in blocks]
        if None in events:
            events = [e for e in events if e is not None]
        return arrived, events  # type: ignore[return-value]  # no None left

    @staticmethod
    def _events_at_end(tail: bytes) -> list[Event]:
        tail = tail.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        complete, _, _partial = tail.rpartition(b"\n")
        events = []
        for block in complete.split(b"\n\n"):
            event = _block(block)
            if event is not None:
                events.append(event)
        return events
