"""The Gradio target against a loopback app speaking the frontend's queue protocol."""

from __future__ import annotations

import pytest

from loadtest.runner import TargetConfig
from loadtest.targets.gradio import answer_text
from loadtest.tests.helpers import FakeGradio, run_load, serve_app
from loadtest.workload import WorkloadConfig


def test_streamed_answer_is_timed_and_history_is_sent() -> None:
    fake = FakeGradio(tokens=6, ttft_s=0.04, itl_s=0.01)
    with serve_app(fake.app()) as url:
        target = TargetConfig("gradio", url, models=("m",))
        outcome = run_load(target, WorkloadConfig(users=2, requests=8, duration_s=20, turns=2, max_tokens=32))
    r = outcome.report
    assert r["request_totals"]["successful"] == 8
    lat = r["metrics"]["latency"]
    assert 0.040 <= lat["time_to_first_token"]["mean"] <= 0.090
    assert 0.009 <= lat["inter_token_latency"]["mean"] <= 0.015
    assert r["metrics"]["requests"]["output_length"]["mean"] == 8  # "[fake] history N;" + 5 x " tok"
    assert all(call["data"][2:] == ["m", 32] for call in fake.calls)
    follow_ups = [call["data"][1] for call in fake.calls if call["data"][1]]
    assert len(follow_ups) == 4
    for history in follow_ups:
        assert [m["role"] for m in history] == ["user", "assistant"]
        assert history[1]["content"] == "[fake] history 0; tok tok tok tok tok"
    assert r["scenario"]["target"]["api"] == "gradio-queue"


@pytest.mark.parametrize(("mode", "kind", "detail"), [
    ("error", "app_error", "model backend unavailable"),
    ("drop", "dropped_stream", "without a complete event"),
    ("empty", "empty_answer", "no answer text"),
])
def test_error_event_and_dropped_stream_are_counted(mode: str, kind: str, detail: str) -> None:
    fake = FakeGradio(mode=mode)
    with serve_app(fake.app()) as url:
        outcome = run_load(TargetConfig("gradio", url), WorkloadConfig(users=2, requests=4, duration_s=20))
    assert outcome.report["errors"]["by_kind"] == {kind: 4}
    assert detail in outcome.report["errors"]["examples"][kind]


def test_answer_text_reads_strings_and_message_lists() -> None:
    assert answer_text(["partial"]) == "partial"
    assert answer_text([[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]]) == "a"
    assert answer_text([]) is None
    assert answer_text([42]) is None


def test_affinity_cookie_of_the_call_comes_back_on_the_stream() -> None:
    fake = FakeGradio(sticky=True)
    with serve_app(fake.app()) as url:
        outcome = run_load(TargetConfig("gradio", url), WorkloadConfig(users=3, requests=9, duration_s=20))
    assert outcome.report["request_totals"]["successful"] == 9, outcome.report["errors"]


def test_conversations_take_turns_over_the_models() -> None:
    fake = FakeGradio(tokens=1)
    with serve_app(fake.app()) as url:
        outcome = run_load(TargetConfig("gradio", url, models=("a", "b")),
                           WorkloadConfig(users=1, requests=4, duration_s=20, turns=2))
    assert outcome.report["request_totals"]["successful"] == 4
    assert [call["data"][2] for call in fake.calls] == ["a", "a", "b", "b"]
