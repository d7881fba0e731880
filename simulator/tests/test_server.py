import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI

from simulator import SimulatorConfig, running_simulator
from simulator.tests.helpers import get, post, sse_events

MODEL = "Qwen/Qwen3-0.6B"
CHAT = [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"},
        {"role": "user", "content": "how are you"}]
TYPED_CHAT: Any = CHAT


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    cfg = SimulatorConfig(models=(MODEL, "other/model"), ttft_ms=0, itl_ms=0, output_tokens=6)
    with running_simulator(cfg) as base:
        yield base


def test_base_url_shape(url: str) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)


def test_models_and_health(url: str) -> None:
    status, body = get(url + "/v1/models")
    assert status == 200
    assert [m["id"] for m in json.loads(body)["data"]] == [MODEL, "other/model"]
    assert get(url + "/health")[0] == 200


def test_chat_reply_states_message_count_and_usage(url: str) -> None:
    status, body = post(url + "/v1/chat/completions", {"model": MODEL, "messages": CHAT})
    assert status == 200
    reply = json.loads(body)
    content = reply["choices"][0]["message"]["content"]
    assert content.startswith("[sim] received 3 messages;")
    assert reply["usage"]["completion_tokens"] == 6
    assert reply["choices"][0]["finish_reason"] == "stop"


def test_max_tokens_cuts_the_reply(url: str) -> None:
    body = {"model": MODEL, "messages": CHAT, "max_tokens": 2}
    reply = json.loads(post(url + "/v1/chat/completions", body)[1])
    assert reply["choices"][0]["message"]["content"] == "[sim] received 3 messages; alpha"
    assert reply["choices"][0]["finish_reason"] == "length"
    assert reply["usage"]["completion_tokens"] == 2


def test_chat_stream_wire_format(url: str) -> None:
    body = {"model": MODEL, "messages": CHAT, "stream": True, "stream_options": {"include_usage": True}}
    status, raw = post(url + "/v1/chat/completions", body)
    assert status == 200
    events = sse_events(raw)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text.startswith("[sim] received 3 messages;")
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == 6


def test_stream_without_usage_option_has_no_usage_chunk(url: str) -> None:
    body = {"model": MODEL, "messages": CHAT, "stream": True}
    chunks = [json.loads(e) for e in sse_events(post(url + "/v1/chat/completions", body)[1])[:-1]]
    assert all("usage" not in c for c in chunks)


def test_completions_stream_and_plain(url: str) -> None:
    plain = json.loads(post(url + "/v1/completions", {"model": MODEL, "prompt": "a b c"})[1])
    assert plain["choices"][0]["text"].startswith("[sim] completing a prompt of 3 tokens;")
    raw = post(url + "/v1/completions", {"model": MODEL, "prompt": "a b c", "stream": True})[1]
    events = sse_events(raw)
    assert events[-1] == "[DONE]"
    text = "".join(json.loads(e)["choices"][0]["text"] for e in events[:-1])
    assert text == plain["choices"][0]["text"]


def test_openai_client_understands_it(url: str) -> None:
    client = OpenAI(base_url=url + "/v1", api_key="x", max_retries=0)
    pieces = [c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model=MODEL, messages=TYPED_CHAT, stream=True) if c.choices]
    assert "".join(pieces).startswith("[sim] received 3 messages;")
    assert [m.id for m in client.models.list()] == [MODEL, "other/model"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"model": "nope", "messages": CHAT}, 404),
        ({"model": MODEL}, 400),
        ({"model": MODEL, "messages": CHAT, "max_tokens": 0}, 400),
        (b"{not json", 400),
    ],
)
def test_bad_requests(url: str, body: object, status: int) -> None:
    got, raw = post(url + "/v1/chat/completions", body)
    assert got == status
    assert json.loads(raw)["error"]["message"]


def test_metrics_use_vllm_names_and_count(url: str) -> None:
    post(url + "/v1/chat/completions", {"model": "other/model", "messages": CHAT})
    text = get(url + "/metrics")[1].decode()
    for name in ("vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
                 "vllm:time_to_first_token_seconds_bucket", "vllm:e2e_request_latency_seconds_count",
                 "vllm:inter_token_latency_seconds_count", "vllm:prompt_tokens_total",
                 "vllm:generation_tokens_total"):
        assert name in text
    gen = re.search(r'vllm:generation_tokens_total\{engine="0",model_name="other/model"\} (\S+)', text)
    assert gen is not None and float(gen.group(1)) == 6.0


def test_latency_is_simulated() -> None:
    cfg = SimulatorConfig(ttft_ms=150, itl_ms=20, output_tokens=6)
    with running_simulator(cfg) as base:
        t0 = time.monotonic()
        post(base + "/v1/chat/completions", {"messages": CHAT})
        elapsed = time.monotonic() - t0
    assert 0.25 <= elapsed < 1.5


def test_injected_errors_follow_the_seed() -> None:
    def pattern(seed: int) -> list[int]:
        cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, error_rate=0.5, error_status=503, seed=seed)
        with running_simulator(cfg) as base:
            return [post(base + "/v1/chat/completions", {"messages": CHAT})[0] for _ in range(20)]

    first = pattern(1)
    assert set(first) == {200, 503}
    assert pattern(1) == first


def test_injected_timeout_hangs() -> None:
    cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, timeout_rate=1.0, hang_seconds=30)
    with running_simulator(cfg) as base, pytest.raises(TimeoutError):
        post(base + "/v1/chat/completions", {"messages": CHAT}, timeout=0.5)


def test_dropped_stream_ends_without_done() -> None:
    cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, drop_rate=1.0)
    with running_simulator(cfg) as base:
        client = OpenAI(base_url=base + "/v1", api_key="x", max_retries=0)
        with pytest.raises(Exception) as failure:
            list(client.chat.completions.create(model=MODEL, messages=TYPED_CHAT, stream=True))
        assert failure.type.__name__ == "APIConnectionError"


def gauge(text: str, name: str) -> float:
    found = re.search(rf'^{re.escape(name)}\{{[^}}]*\}} (\S+)$', text, re.M)
    assert found, name
    return float(found.group(1))


def test_max_running_makes_requests_wait_and_gauges_show_it() -> None:
    import threading

    cfg = SimulatorConfig(ttft_ms=400, itl_ms=0, output_tokens=2, max_running=1, kv_cache_tokens=10)
    with running_simulator(cfg) as base:
        threads = [threading.Thread(target=post, args=(base + "/v1/chat/completions", {"messages": CHAT}))
                   for _ in range(2)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(0.2)
        during = get(base + "/metrics")[1].decode()
        for t in threads:
            t.join(10)
        elapsed = time.monotonic() - t0
        after = get(base + "/metrics")[1].decode()
    assert gauge(during, "vllm:num_requests_running") == 1
    assert gauge(during, "vllm:num_requests_waiting") == 1
    assert gauge(during, "vllm:kv_cache_usage_perc") > 0
    assert elapsed >= 0.8
    assert gauge(after, "vllm:num_requests_running") == 0
    assert gauge(after, "vllm:kv_cache_usage_perc") == 0
