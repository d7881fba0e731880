"""Virtual users: ramp-up, conversations of several turns, think time, and the bounds of a run.

Every run is bounded twice: by ``duration_s`` (always set, at most a day) and optionally by a total
request budget. When either runs out, or on Ctrl-C, users stop; requests still in flight are
cancelled and counted as incomplete (guidellm's ``incomplete``), never as errors or successes.
"""

from __future__ import annotations

import asyncio
import random
import time
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from loadtest.prompts import PromptConfig, PromptSet
from loadtest.result import TIMEOUT, RequestResult
from loadtest.targets.base import Message, Target, classify_exception

perf_counter = time.perf_counter

MAX_DURATION_S = 24 * 3600.0
STOP_REQUESTS = "requests"
STOP_DURATION = "duration"
STOP_INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class WorkloadConfig:
    users: int = 10
    requests: int | None = None
    duration_s: float = 60.0
    ramp_up_s: float = 0.0
    think_min_s: float = 0.0
    think_max_s: float = 0.0
    turns: int = 1
    max_tokens: int = 128
    request_timeout_s: float = 60.0
    prompts: PromptConfig = field(default_factory=PromptConfig)

    def __post_init__(self) -> None:
        if self.users < 1:
            raise ValueError("users must be >= 1")
        if self.requests is not None and self.requests < 1:
            raise ValueError("requests must be >= 1 when given")
        if not 0 < self.duration_s <= MAX_DURATION_S:
            raise ValueError(f"duration must be in (0, {MAX_DURATION_S:.0f}] seconds")
        if self.ramp_up_s < 0 or self.ramp_up_s >= self.duration_s:
            raise ValueError("ramp-up must be >= 0 and shorter than the duration")
        if not 0 <= self.think_min_s <= self.think_max_s:
            raise ValueError("think time must satisfy 0 <= min <= max")
        if self.turns < 1 or self.max_tokens < 1:
            raise ValueError("turns and max_tokens must be >= 1")
        if self.request_timeout_s <= 0:
            raise ValueError("request timeout must be > 0")


ITL_SAMPLES = 200_000


class Collector:
    """Every finished request, plus running counters for the progress display.

    Per-chunk timestamps are folded into each result's ``tpot`` and into a uniform reservoir of
    at most ``ITL_SAMPLES`` inter-token gaps as results arrive, so memory stays flat on long runs.
    """

    def __init__(self, seed: int = 0) -> None:
        self.results: list[RequestResult] = []
        self.itl = array("d")
        self.itl_seen = 0
        self._rng = random.Random(seed)
        self.started = 0
        self.successful = 0
        self.incomplete = 0
        self.output_tokens = 0
        self.errors: Counter[str] = Counter()

    @property
    def finished(self) -> int:
        return len(self.results)

    @property
    def in_flight(self) -> int:
        return self.started - len(self.results)

    def add(self, result: RequestResult) -> None:
        self.results.append(result)
        times = result.token_times
        if result.incomplete:
            self.incomplete += 1
        elif result.error is not None:
            self.errors[result.error] += 1
        else:
            self.successful += 1
            self.output_tokens += result.output_tokens
            if len(times) > 1:
                self._fold(result, times)
        if times:
            times.clear()

    def _fold(self, result: RequestResult, times: list[float]) -> None:
        n = max(result.output_tokens, len(times))
        result.tpot = (times[-1] - times[0]) / (n - 1)
        itl = self.itl
        for prev, now in zip(times, times[1:], strict=False):
            self.itl_seen += 1
            if len(itl) < ITL_SAMPLES:
                itl.append(now - prev)
            else:
                slot = self._rng.randrange(self.itl_seen)
                if slot < ITL_SAMPLES:
                    itl[slot] = now - prev


class Workload:
    """Runs the virtual users of one load test against one target."""

    def __init__(self, target: Target, config: WorkloadConfig, collector: Collector | None = None,
                 models: Sequence[str] = ()) -> None:
        """``models``: conversations take turns over these (none: the target's default model)."""
        self.target = target
        self.config = config
        self.models: tuple[str | None, ...] = tuple(models) or (None,)
        self.collector = collector or Collector()
        self.prompts = PromptSet(config.prompts)
        self.budget = config.requests
        self.stop = asyncio.Event()
        self._deadlines: dict[asyncio.Task[Any], float] = {}  # user task -> deadline of its request
        self._expired: set[asyncio.Task[Any]] = set()  # cancelled by the watchdog
        self.started_at = 0.0
        self.ended_at = 0.0
        self._send = target.send  # the hot path's attribute lookups, done once
        self._timeout = config.request_timeout_s
        self._max_tokens = config.max_tokens

    def _take(self) -> bool:
        if self.stop.is_set():
            return False
        if self.budget is None:
            return True
        if self.budget <= 0:
            return False
        self.budget -= 1
        return True

    async def _one(self, messages: list[Message], model: str | None, task: asyncio.Task[Any]) -> RequestResult:
        """One request of the user running in ``task``, under the per-request timeout.

        No timer per request: the request's deadline goes into ``_deadlines``, and the watchdog
        of the run cancels the task once it has passed (see _watchdog). A cancellation that is
        not only the watchdog's (the run stopping) still propagates.
        """
        start = perf_counter()
        result = RequestResult(start, 0.0, model=model)
        self.collector.started += 1
        self._deadlines[task] = start + self._timeout
        try:
            await self._send(messages, self._max_tokens, result)
        except asyncio.CancelledError:
            if task not in self._expired or self._uncancel(task) > 0:  # the run is stopping
                result.end = time.perf_counter()
                result.incomplete = True
                self.collector.add(result)
                raise
            result.error = TIMEOUT
            result.detail = f"no complete answer within {self.config.request_timeout_s:g} s"
        except Exception as exc:
            if task in self._expired:  # the watchdog's cancellation came back as another exception
                self._uncancel(task)
                exc = TimeoutError(f"{type(exc).__name__}: {exc}")
            result.error, result.detail = classify_exception(exc, result.status != 0)
        finally:
            self._deadlines.pop(task, None)
        result.end = perf_counter()
        self.collector.add(result)
        return result

    def _uncancel(self, task: asyncio.Task[Any]) -> int:
        self._expired.discard(task)
        return task.uncancel()

    async def _watchdog(self) -> None:
        """Cancels every request past its deadline, checking every 1/20 of the timeout (at most 1 s).

        So a request times out between ``request_timeout_s`` and 5 % (at most 1 s) later: one
        dict entry per request instead of one timer (heap push, cancel, pop) per request.
        """
        tick = min(1.0, max(0.002, self.config.request_timeout_s / 20))
        deadlines, expired = self._deadlines, self._expired
        while True:
            await asyncio.sleep(tick)
            now = time.perf_counter()
            late = [task for task, deadline in deadlines.items() if deadline <= now]
            for task in late:
                del deadlines[task]
                expired.add(task)
                task.cancel()

    async def _user(self, index: int) -> None:
        cfg = self.config
        task = asyncio.current_task()
        assert task is not None
        if cfg.ramp_up_s:
            await asyncio.sleep(cfg.ramp_up_s * index / cfg.users)
        source = self.prompts.for_user(index)
        rested = True
        models = self.models
        conversation = index  # user i's conversation k asks models[(i + k) % n]: every model is reached
        while True:
            model = models[conversation % len(models)]
            conversation += 1
            messages: list[Message] = []
            for turn in range(cfg.turns):
                if not self._take():
                    return
                if not rested:
                    await asyncio.sleep(source.rng.uniform(cfg.think_min_s, cfg.think_max_s))
                rested = cfg.think_max_s <= 0
                content = source.first() if turn == 0 else source.follow_up()
                messages.append({"role": "user", "content": content})
                result = await self._one(messages, model, task)
                if result.error is not None:  # (an incomplete request raised CancelledError instead)
                    break
                if turn + 1 < cfg.turns:  # the history of the next turn
                    messages.append({"role": "assistant", "content": result.text})
                result.text = ""

    async def run(self) -> str:
        """Runs until the budget or the duration runs out, or ``stop`` is set; returns why it ended."""
        self.started_at = time.perf_counter()
        users = [asyncio.create_task(self._user(i)) for i in range(self.config.users)]
        everyone: asyncio.Future[Any] = asyncio.gather(*users)
        stopped: asyncio.Future[Any] = asyncio.ensure_future(self.stop.wait())
        watchdog = asyncio.create_task(self._watchdog())
        try:
            await asyncio.wait({everyone, stopped}, timeout=self.config.duration_s,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            reason = (STOP_INTERRUPTED if self.stop.is_set()
                      else STOP_REQUESTS if everyone.done() else STOP_DURATION)
            self.stop.set()
            for task in users:
                task.cancel()
            outcomes = await asyncio.gather(*users, return_exceptions=True)
            everyone.cancel()
            watchdog.cancel()
            await asyncio.gather(everyone, stopped, watchdog, return_exceptions=True)
            self.ended_at = time.perf_counter()
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
        return reason
