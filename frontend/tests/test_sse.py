"""The one SSE reader: events split across network chunks, line endings, names, comments, the end."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from frontend.sse import SSEReader, parse_json


class Content:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    async def readany(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


class Response:
    def __init__(self, chunks: list[bytes]) -> None:
        self.content = Content(chunks)


def events_of(chunks: list[bytes]) -> list[list[tuple[bytes, bytes]]]:
    """The events handed back by each read, until the end of the stream."""
    async def go() -> list[list[tuple[bytes, bytes]]]:
        reader = SSEReader(Response(chunks))  # type: ignore[arg-type]
        out = []
        while not reader.ended:
            _, events = await reader.read()
            out.append(events)
        return out

    return asyncio.run(go())


def test_an_event_split_across_chunks_comes_with_the_chunk_that_completes_it() -> None:
    got = events_of([b'data: {"a"', b': 1}\n', b"\ndata: [DONE]\n\n"])
    assert got == [[], [], [(b"message", b'{"a": 1}'), (b"message", b"[DONE]")], []]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_endings(newline: bytes) -> None:
    stream = (b"event: generating" + newline + b"data: [1]" + newline + newline
              + b": heartbeat comment" + newline + newline + b"data: x" + newline + newline)
    split = len(stream) // 2
    *before_end, at_end = events_of([stream[:split], stream[split:]])
    flat = [e for events in before_end for e in events]
    if newline == b"\r":  # a final \r could still be followed by \n: the last event waits for the end
        assert flat == [(b"generating", b"[1]")] and at_end == [(b"message", b"x")]
    else:  # every event is handed back as soon as its blank line arrives
        assert flat == [(b"generating", b"[1]"), (b"message", b"x")] and at_end == []


def test_crlf_split_between_chunks() -> None:
    assert events_of([b"data: a\r", b"\n\r\ndata: b\r\n\r\n"]) == [
        [], [(b"message", b"a"), (b"message", b"b")], []]


def test_multi_line_data_is_joined_and_names_reset_per_event() -> None:
    flat = [e for events in events_of([b"event: complete\ndata: one\ndata: two\n\ndata: three\n\n"])
            for e in events]
    assert flat == [(b"complete", b"one\ntwo"), (b"message", b"three")]


def test_end_of_stream_keeps_complete_lines_and_drops_a_partial_one() -> None:
    assert events_of([b"data: whole\n"]) == [[], [(b"message", b"whole")]]
    assert events_of([b"data: whole\n\ndata: cut"]) == [[(b"message", b"whole")], []]


@pytest.mark.parametrize(("data", "value"), [(b'{"a": [1, 2]}', {"a": [1, 2]}), (b'"\xc3\xa9"', "\u00e9"),
                                             (b"{} ", {})])
def test_parse_json_accepts_one_value(data: bytes, value: Any) -> None:
    assert parse_json(data) == value


@pytest.mark.parametrize("data", [b"{not json", b"x", b"{} {}", b"", b"\xff", b"[1,]"])
def test_parse_json_refuses_anything_else(data: bytes) -> None:
    with pytest.raises(ValueError):
        parse_json(data)


def test_cr_line_ending_at_the_end_of_a_chunk_is_kept() -> None:
    assert events_of([b"data: a\r", b"\rdata: b\r\r"]) == [[], [(b"message", b"a")], [(b"message", b"b")]]
