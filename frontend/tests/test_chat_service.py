import logging
import time
from typing import Any

import gradio as gr
import pytest

from frontend.logs import JsonFormatter
from frontend.tests.helpers import closed_port, collect, run, service_for
from simulator import SimulatorConfig, running_simulator

MODEL = "Qwen/Qwen3-0.6B"
HISTORY: list[dict[str, Any]] = [
    {"role": "user", "content": [{"type": "text", "text": "first"}]},
    {"role": "assistant", "content": [{"type": "text", "text": "reply"}]},
]


def answers(url: str, message: Any, history: Any = None, **overrides: Any) -> list[str]:
    service = service_for(url, default_model=MODEL, **overrides)
    return run(lambda: collect(service.respond(message, history, "", 64, 0.5)), service)


def error_of(url: str, **overrides: Any) -> str:
    with pytest.raises(gr.Error) as caught:
        answers(url, "hi", **overrides)
    return str(caught.value.message)


def test_answer_streams_and_grows() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=5, itl_ms=5, output_tokens=6)) as url:
        got = answers(url, "hi", stream_interval_s=0.0)
    assert len(got) >= 3
    assert all(b.startswith(a) for a, b in zip(got, got[1:], strict=False))
    assert got[-1] == "[sim] received 1 message; alpha bravo charlie delta echo"


def test_updates_are_spaced_by_the_stream_interval() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=20, output_tokens=21)) as url:
        got = answers(url, "hi", stream_interval_s=0.06)
    assert got[0] == "[sim] received 1 message;"
    assert 3 <= len(got) <= 9
    assert len(got[-1].split()) == 4 + 20


def test_history_reaches_the_model() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=0, output_tokens=2)) as url:
        assert answers(url, "second", HISTORY)[-1].startswith("[sim] received 3 messages;")


def test_max_tokens_is_sent() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=0, output_tokens=50)) as url:
        service = service_for(url, default_model=MODEL)
        got = run(lambda: collect(service.respond("hi", [], MODEL, 3, 0.0)), service)
    assert got[-1] == "[sim] received 1 message; alpha bravo"


@pytest.mark.parametrize(("status", "words"), [(503, "unavailable (HTTP 503)"), (429, "busy"),
                                               (500, "failed (HTTP 500)")])
def test_backend_errors_become_messages(status: int, words: str) -> None:
    with running_simulator(SimulatorConfig(error_rate=1.0, error_status=status)) as url:
        assert words in error_of(url)


def test_unknown_model_is_explained() -> None:
    with running_simulator(SimulatorConfig()) as url:
        service = service_for(url, default_model=MODEL)
        with pytest.raises(gr.Error) as caught:
            run(lambda: collect(service.respond("hi", [], "no/such-model", 8, 0.0)), service)
    assert "not served" in str(caught.value.message)


def test_backend_down_is_explained() -> None:
    assert "unreachable" in error_of(f"http://127.0.0.1:{closed_port()}")


def test_slow_backend_times_out_at_the_configured_limit() -> None:
    with running_simulator(SimulatorConfig(timeout_rate=1.0, hang_seconds=30)) as url:
        assert "within 0.5 seconds" in error_of(url, request_timeout_s=0.5)


def test_cut_stream_is_explained() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=0, drop_rate=1.0)) as url:
        assert "connection was cut" in error_of(url)


@pytest.mark.parametrize("message", ["", "   ", None])
def test_empty_message_is_refused(message: Any) -> None:
    with pytest.raises(gr.Error) as caught:
        answers(f"http://127.0.0.1:{closed_port()}", message, [])
    assert "Type a message" in str(caught.value.message)


def test_logs_never_hold_the_conversation(caplog: pytest.LogCaptureFixture) -> None:
    secret = "my-secret-question-4711"
    caplog.set_level(logging.DEBUG)
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=0)) as url:
        answers(url, secret, [{"role": "user", "content": secret}])
    with pytest.raises(gr.Error):
        answers(f"http://127.0.0.1:{closed_port()}", secret)
    lines = [JsonFormatter().format(r) for r in caplog.records]
    assert any('"chat answered"' in line for line in lines)
    assert any('"chat failed"' in line for line in lines)
    assert not any(secret in line for line in lines)


def test_update_spacing_stretches_with_load_up_to_a_cap() -> None:
    service = service_for("http://127.0.0.1:1", stream_interval_s=0.1, stream_interval_max_s=0.5,
                          stream_busy_chats=50)
    for active, expected in [(0, 0.1), (50, 0.1), (100, 0.2), (200, 0.4), (1000, 0.5)]:
        service.active = active
        assert service.update_interval() == pytest.approx(expected)


def test_the_end_of_the_answer_is_not_held_back_by_the_spacing() -> None:
    with running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=20, output_tokens=6)) as url:
        service = service_for(url, default_model=MODEL, stream_interval_s=5.0, stream_interval_max_s=5.0)
        start = time.monotonic()
        got = run(lambda: collect(service.respond("hi", [], MODEL, 64, 0.0)), service)
        elapsed = time.monotonic() - start
    assert got[-1] == "[sim] received 1 message; alpha bravo charlie delta echo"
    assert len(got) == 2
    assert elapsed < 2.0
