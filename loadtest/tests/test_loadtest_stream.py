"""DataReader gives the events SSEReader gives, however a stream is cut into network reads."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from frontend.sse import SSEReader
from loadtest.runner import TargetConfig
from loadtest.stream import DONE, END_MARKER, DataReader, one_line_payloads, parse
from loadtest.tests.helpers import run_load, serve_app
from loadtest.tests.test_loadtest_protocol import misbehaving_app
from loadtest.workload import WorkloadConfig

CHUNK = b'data: {"choices": [{"delta": {"content": "hi"}}]}\n\n'
STREAMS = {
    "usual": CHUNK + CHUNK + b"data: [DONE]\n\n",
    "no space after data:": b'data:{"a": 1}\n\ndata:[DONE]\n\n',
    "crlf": b'data: {"a": 1}\r\n\r\ndata: [DONE]\r\n\r\n',
    "cr": b'data: {"a": 1}\r\rdata: [DONE]\r\r',
    "comment and event name": b': keep-alive\n\nevent: delta\ndata: {"a": 1}\n\ndata: [DONE]\n\n',
    "multi-line data": b'data: {"a":\ndata: 1}\n\ndata: [DONE]\n\n',
    "field without colon": b'data: {"a": 1\n}\n\ndata: [DONE]\n\n',
    "blank blocks": b'data: {"a": 1}\n\n\n\ndata: [DONE]\n\n',
    "odd whitespace": b'data: \x0b{"a": 1}\x0c\n\ndata:   [DONE] \t\n\n',
    "empty data": b'data: \n\ndata: [DONE]\n\n',
    "bad json": CHUNK + b"data: {not json\n\n",
    "no end marker": CHUNK,
    "cut last line": CHUNK + b"data: [DO",
    "last event without blank line": CHUNK + b"data: [DONE]\n",
}


class _Content:
    def __init__(self, reads: list[bytes]) -> None:
        self._reads = [*reads, b""]

    async def readany(self) -> bytes:
        return self._reads.pop(0) if self._reads else b""


class _Response:
    def __init__(self, reads: list[bytes]) -> None:
        self.content = _Content(reads)


async def _general(reads: list[bytes]) -> list[bytes]:
    reader, out = SSEReader(_Response(reads)), []
    while not reader.ended:
        _, events = await reader.read()
        out += [data for _name, data in events]
    return out


async def _ours(reads: list[bytes]) -> list[bytes]:
    reader, out = DataReader(_Response(reads)), []
    while not reader.ended:
        _, payloads = await reader.read()
        out += payloads
    return out


def _cuts(body: bytes) -> list[list[bytes]]:
    """The body in one read, in two at every byte, and one byte per read."""
    return [[body]] + [[body[:i], body[i:]] for i in range(1, len(body))] + [[body[i:i + 1] for i in range(len(body))]]


def _meaning(payload: bytes) -> Any:
    """What a consumer makes of a payload: the end marker, a JSON value, or bad JSON."""
    if payload == DONE:
        return "end"
    try:
        value = parse(payload)
    except ValueError:
        return "bad json"
    return "end" if value is END_MARKER else ("json", value)


def _sse_meaning(data: bytes) -> Any:
    if data == DONE:
        return "end"
    try:
        return "json", orjson.loads(data)
    except ValueError:
        return "bad json"


@pytest.mark.parametrize("name", STREAMS)
def test_same_events_as_the_general_reader_at_every_cut(name: str) -> None:
    body = STREAMS[name]
    for reads in _cuts(body):
        expected = asyncio.run(_general(reads))
        got = asyncio.run(_ours(reads))
        assert [p.strip() for p in got] == expected, (name, reads)
        assert [_meaning(p) for p in got] == [_sse_meaning(d) for d in expected], (name, reads)


def test_only_whole_one_line_data_events_take_the_fast_path() -> None:
    assert one_line_payloads(STREAMS["usual"]) == [CHUNK[6:-2], CHUNK[6:-2], DONE]
    assert one_line_payloads(b"data: x\n\n") == [b"x"]
    for name in ("no space after data:", "crlf", "cr", "comment and event name", "multi-line data",
                 "field without colon", "blank blocks", "cut last line", "last event without blank line"):
        assert one_line_payloads(STREAMS[name]) is None, name


@pytest.mark.parametrize("name", ["usual", "no space after data:", "crlf", "comment and event name",
                                  "odd whitespace", "multi-line data"])
def test_the_openai_target_reads_every_form_of_a_good_stream(name: str) -> None:
    body = STREAMS[name].replace(b'{"a": 1}', CHUNK[6:-2]).replace(b'{"a":\ndata: 1}', CHUNK[6:-2])
    with serve_app(misbehaving_app(body)) as url:
        outcome = run_load(TargetConfig("openai", url, models=("m",)),
                           WorkloadConfig(users=1, requests=2, duration_s=10))
    assert outcome.report["request_totals"]["successful"] == 2, outcome.report["errors"]
    assert outcome.report["metrics"]["requests"]["output_length"]["mean"] == body.count(b'"hi"')
