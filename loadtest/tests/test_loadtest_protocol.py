"""The OpenAI target facing a misbehaving server: cut streams, bad JSON, errors inside a stream."""

from __future__ import annotations

import pytest
from aiohttp import web

from loadtest.runner import TargetConfig
from loadtest.tests.helpers import run_load, serve_app
from loadtest.workload import WorkloadConfig

CHUNK = b'data: {"choices": [{"delta": {"content": "hi"}}]}\n\n'
STREAMS = {
    "no-done": CHUNK,
    "bad-json": CHUNK + b"data: {not json\n\n",
    "error-chunk": CHUNK + b'data: {"error": {"message": "engine died", "code": 500}}\n\n',
    "ok": CHUNK + CHUNK + b"data: [DONE]\n\n",
    "only-done": b"data: [DONE]\n\n",
    "no-text": (b'data: {"choices": [{"delta": {"role": "assistant"}}]}\n\n'
                b'data: {"choices": [{"delta": {"content": ""}, "finish_reason": "stop"}]}\n\n'
                b'data: {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 0}}\n\n'
                b"data: [DONE]\n\n"),
}


def misbehaving_app(body: bytes) -> web.Application:
    async def chat(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        await resp.write(body)
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    return app


@pytest.mark.parametrize(("stream", "kind", "detail"), [
    ("no-done", "dropped_stream", "without [DONE]"),
    ("bad-json", "protocol", "bad JSON"),
    ("error-chunk", "app_error", "engine died"),
    ("only-done", "empty_answer", "without any text"),
    ("no-text", "empty_answer", "without any text"),
])
def test_broken_streams_are_errors_of_their_kind(stream: str, kind: str, detail: str) -> None:
    with serve_app(misbehaving_app(STREAMS[stream])) as url:
        outcome = run_load(TargetConfig("openai", url, models=("m",)),
                           WorkloadConfig(users=1, requests=3, duration_s=10))
    assert outcome.report["errors"]["by_kind"] == {kind: 3}
    assert detail in outcome.report["errors"]["examples"][kind]


def test_chunks_without_usage_are_counted_as_tokens() -> None:
    with serve_app(misbehaving_app(STREAMS["ok"])) as url:
        outcome = run_load(TargetConfig("openai", url, models=("m",)),
                           WorkloadConfig(users=1, requests=2, duration_s=10))
    metrics = outcome.report["metrics"]
    assert outcome.report["request_totals"]["successful"] == 2
    assert metrics["requests"]["output_length"]["mean"] == 2
    assert metrics["requests"]["input_length"]["count"] == 0
    assert metrics["throughput"]["total_tokens_per_sec"] is None
