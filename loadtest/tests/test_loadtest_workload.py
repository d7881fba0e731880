"""Virtual users, ramp-up, think time and prompt sets, with an in-memory target."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from loadtest.prompts import PromptConfig, PromptSet
from loadtest.result import RequestResult
from loadtest.targets import Message
from loadtest.workload import STOP_INTERRUPTED, Workload, WorkloadConfig


class InstantTarget:
    """Answers every request after ``delay_s`` with one token, recording who asked when."""

    kind = "instant"

    def __init__(self, delay_s: float = 0.0, fail_with: Exception | None = None) -> None:
        self.delay_s = delay_s
        self.fail_with = fail_with
        self.starts: list[float] = []
        self.prompts: list[str] = []

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
        self.starts.append(result.start)
        self.prompts.append(messages[-1]["content"])
        if self.fail_with:
            raise self.fail_with
        await asyncio.sleep(self.delay_s)
        result.token_times.append(time.perf_counter())
        result.ttft = result.token_times[0] - result.start
        result.output_tokens = 1
        result.text = "ok"


def run(target: InstantTarget, cfg: WorkloadConfig) -> Workload:
    workload = Workload(target, cfg)
    asyncio.run(workload.run())
    return workload


def test_ramp_up_spreads_user_starts() -> None:
    target = InstantTarget(delay_s=0.5)
    w = run(target, WorkloadConfig(users=4, requests=4, duration_s=5, ramp_up_s=0.4))
    offsets = sorted(s - w.started_at for s in target.starts)
    for offset, expected in zip(offsets, (0.0, 0.1, 0.2, 0.3), strict=True):
        assert expected <= offset < expected + 0.08


def test_think_time_separates_a_users_requests() -> None:
    target = InstantTarget()
    run(target, WorkloadConfig(users=1, requests=4, duration_s=5, think_min_s=0.1, think_max_s=0.15))
    gaps = [b - a for a, b in zip(target.starts, target.starts[1:], strict=False)]
    assert len(gaps) == 3
    assert all(0.1 <= g < 0.25 for g in gaps)


def test_stop_event_interrupts_a_run() -> None:
    target = InstantTarget(delay_s=0.05)
    workload = Workload(target, WorkloadConfig(users=3, duration_s=30))

    async def go() -> str:
        asyncio.get_running_loop().call_later(0.3, workload.stop.set)
        return await workload.run()

    t0 = time.perf_counter()
    assert asyncio.run(go()) == STOP_INTERRUPTED
    assert time.perf_counter() - t0 < 1.0
    assert workload.collector.successful > 0


def test_unexpected_target_exception_is_kept_as_client_error() -> None:
    target = InstantTarget(fail_with=KeyError("choices"))
    w = run(target, WorkloadConfig(users=1, requests=2, duration_s=5))
    assert dict(w.collector.errors) == {"client_error": 2}
    assert "KeyError" in w.collector.results[0].detail


@pytest.mark.parametrize("bad", [
    {"users": 0}, {"requests": 0}, {"duration_s": 0}, {"duration_s": 90_000},
    {"ramp_up_s": 60}, {"think_min_s": 2, "think_max_s": 1}, {"turns": 0}, {"request_timeout_s": 0},
])
def test_workload_config_rejects_unbounded_or_invalid_settings(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        WorkloadConfig(**bad)  # type: ignore[arg-type]


def test_prompt_sets() -> None:
    short = PromptSet(PromptConfig("short")).for_user(0).first()
    assert 3 <= len(short.split()) <= 12
    long = PromptSet(PromptConfig("long", long_words=300)).for_user(0).first()
    assert len(long.split()) >= 300
    shared = PromptSet(PromptConfig("shared-prefix", prefix_words=200, prefix_groups=2))
    prompts = [shared.for_user(u).first() for u in range(20)]
    prefixes = {p.split("\n\n")[0] for p in prompts}
    assert len(prefixes) == 2
    assert all(len(p.split()) >= 200 for p in prefixes)
    again = PromptSet(PromptConfig("shared-prefix", prefix_words=200, prefix_groups=2))
    assert [again.for_user(u).first() for u in range(20)] == prompts
    with pytest.raises(ValueError):
        PromptConfig("medium")


def test_prompt_file(tmp_path: Path) -> None:
    path = tmp_path / "prompts.txt"
    path.write_text("first question\n\nsecond question\n", encoding="utf-8")
    source = PromptSet(PromptConfig(file=path)).for_user(3)
    assert {source.first() for _ in range(20)} == {"first question", "second question"}
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError):
        PromptSet(PromptConfig(file=tmp_path / "empty.txt"))


def test_first_ctrl_c_stops_gracefully_and_hands_the_second_to_python() -> None:
    from loadtest.runner import _run_with_interrupts

    seen: list[object] = []

    class Slow(InstantTarget):
        async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:  # cancelled by the stop: what would a second Ctrl-C do?
                seen.append(signal.getsignal(signal.SIGINT))
                raise

    workload = Workload(Slow(), WorkloadConfig(users=2, duration_s=30))

    async def go() -> str:
        asyncio.get_running_loop().call_later(0.2, os.kill, os.getpid(), signal.SIGINT)
        return await _run_with_interrupts(workload, console=None)

    assert asyncio.run(go()) == STOP_INTERRUPTED
    assert seen == [signal.default_int_handler] * 2
    assert workload.collector.incomplete == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
