"""The chat handler shared by the web page and the ``chat`` API endpoint."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import Any, cast

import gradio as gr

from frontend.backend import SLOW, STARTING, GatewayClient, ModelCatalog, Starting
from frontend.errors import EmptyReply, causes, describe
from frontend.history import build_messages
from frontend.settings import Settings

log = logging.getLogger("frontend.chat")
ERROR_TITLE = "Model service error"


Item = str | Starting | BaseException | None
# A source that spaces its own pieces (``stream_chat``'s ``spacing``) hands one over a moment after the
# interval has passed since it handed the previous one, which is a little sooner than it has passed
# since that one went out: not held back again for so little.
SPACING_SLACK_S = 0.005
# While a notice stands in for the answer it is passed on again this often: Gradio looks whether the
# page is still open only when the chat function yields, so a closed page stops the chat (and its
# retries) within this long.
NOTICE_REPEAT_S = 12.0


async def pieces_within(source: AsyncGenerator[str | Starting, None], timeout_s: float,
                        interval_s: Callable[[], float] = lambda: 0.0,
                        notice_s: float | None = None) -> AsyncIterator[str | Starting]:
    """Relay ``source`` through a task of its own, ending it after ``timeout_s`` seconds.

    Gradio may advance a generator from different tasks, so the deadline and the
    HTTP stream live in one dedicated task. The first piece is passed on at once;
    later ones are joined so that at most one update leaves every ``interval_s()``
    seconds, which bounds the app's work per chat under load. The end of the
    stream is passed on at once.

    With ``notice_s``, notices are passed on only before any text: ``SLOW`` after ``notice_s``
    seconds without text, ``STARTING`` when ``source`` yields it (from then on in ``SLOW``'s place),
    and the current one again every ``NOTICE_REPEAT_S`` until the text begins.
    """
    # A deque and a bare future rather than an asyncio.Queue: a piece arrives with every network read,
    # and the consumer needs waking only when it waits for the first item of an update.
    pending: deque[Item] = deque()
    loop = asyncio.get_running_loop()
    finished = False
    shown: Starting | None = None
    arrived: asyncio.Future[None] | None = None
    # While the consumer holds back an update, the end of the stream wakes it at once.
    # A bare future and a timer handle: ``wait_for`` would make a task per update.
    waiter: asyncio.Future[None] | None = None

    def put(item: Item) -> None:
        pending.append(item)
        wake(arrived)

    notice: asyncio.TimerHandle | None = None

    def remind() -> None:
        nonlocal notice
        put(SLOW)
        notice = loop.call_later(NOTICE_REPEAT_S, remind)

    if notice_s is not None:
        notice = loop.call_later(notice_s, remind)

    async def produce() -> None:
        nonlocal finished
        try:
            async with asyncio.timeout(timeout_s), aclosing(source):
                async for piece in source:
                    put(piece)
            put(None)
        except Exception as e:
            put(e)
        finally:
            finished = True
            wake(waiter)

    task = asyncio.create_task(produce())
    last = float("-inf")
    try:
        while True:
            if not pending:
                arrived = loop.create_future()
                try:
                    await arrived
                finally:
                    arrived = None
            wait = last + interval_s() - time.monotonic()
            if wait > SPACING_SLACK_S and isinstance(pending[0], str) and not finished:
                waiter = loop.create_future()
                timer = loop.call_later(wait, wake, waiter)
                try:
                    await waiter
                finally:
                    timer.cancel()
                    waiter = None
            items = list(pending)
            pending.clear()
            text = "".join([i for i in items if isinstance(i, str)])
            if text:
                if notice is not None:
                    notice.cancel()
                    notice = None
                yield text
                last = time.monotonic()
            elif notice is not None and (STARTING in items or SLOW in items):
                if STARTING in items:
                    shown = STARTING
                    notice.cancel()
                    notice = loop.call_later(NOTICE_REPEAT_S, remind)
                shown = shown or SLOW
                yield shown
            for item in items:
                if isinstance(item, BaseException):
                    raise item
                if item is None:
                    return
    finally:
        task.cancel()
        if notice is not None:
            notice.cancel()


def wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class ChatService:
    def __init__(self, settings: Settings, client: GatewayClient, catalog: ModelCatalog) -> None:
        self.settings = settings
        self.client = client
        self.catalog = catalog
        self.active = 0

    async def aclose(self) -> None:
        await self.client.close()

    def update_interval(self) -> float:
        """Spacing of streamed updates: the base, stretched in proportion once many chats stream."""
        s = self.settings
        stretch = max(1.0, self.active / s.stream_busy_chats)
        return min(s.stream_interval_s * stretch, max(s.stream_interval_s, s.stream_interval_max_s))

    async def resolve_model(self, model: Any) -> str:
        if isinstance(model, str) and model.strip():
            return model.strip()
        if self.settings.default_model:
            return self.settings.default_model
        _, default = await self.catalog.choices()
        if not default:
            raise gr.Error("No model is available: the model list could not be loaded and no "
                           "DEFAULT_MODEL is set.", title=ERROR_TITLE, print_exception=False)
        return default

    def limits(self, max_tokens: Any, temperature: Any) -> tuple[int, float]:
        s = self.settings
        try:
            tokens = int(max_tokens) if max_tokens not in (None, "") else s.default_max_tokens
            temp = float(temperature) if temperature not in (None, "") else s.default_temperature
        except (TypeError, ValueError) as e:
            raise gr.Error("max_tokens must be a whole number and temperature a number.",
                           title="Invalid input", print_exception=False) from e
        return max(1, min(tokens, s.max_tokens_limit)), max(0.0, min(temp, 2.0))

    def respond(self, message: Any, history: Any = None, model: Any = None,
                max_tokens: Any = None, temperature: Any = None) -> AsyncIterator[str]:
        """Yield the growing answer; raise ``gr.Error`` with a clear message on failure.

        The answer only, never the starting notice (what scripted clients get)."""
        return cast(AsyncIterator[str], self.updates(message, history, model, max_tokens, temperature,
                                                     notices=False))

    async def updates(self, message: Any, history: Any = None, model: Any = None, max_tokens: Any = None,
                      temperature: Any = None, notices: bool = True) -> AsyncIterator[str | Starting]:
        """The growing answer, as ``respond``; with ``notices`` and ``COLD_START_SECONDS`` set, first
        ``STARTING`` once the model's servers are found starting or no text came within
        ``COLD_START_NOTICE_SECONDS``."""
        s = self.settings
        messages = build_messages(message, history, s.system_prompt)
        if not messages or messages[-1]["role"] != "user":
            raise gr.Error("Type a message first.", title="Empty message", print_exception=False)
        name = await self.resolve_model(model)
        tokens, temp = self.limits(max_tokens, temperature)
        timeout = s.answer_timeout_s
        notice_s = s.cold_start_notice_s if notices and s.cold_start_s else None
        start = time.monotonic()
        first: float | None = None
        answer = ""
        self.active += 1
        try:
            source = self.client.stream_chat(name, messages, tokens, temp, self.update_interval)
            async for piece in pieces_within(source, timeout, self.update_interval, notice_s):
                if isinstance(piece, Starting):
                    if notices:
                        yield piece
                    continue
                if first is None:
                    first = time.monotonic() - start
                answer += piece
                yield answer
            if not answer:
                raise EmptyReply()
        except Exception as e:
            failure = describe(e, timeout)
            log.warning("chat failed", extra={
                "model": name, "turns": len(messages), "error_kind": failure.kind,
                "http_status": failure.status, "error_type": type(e).__name__,
                "error_cause": type(causes(e)[-1]).__name__,
                "duration_ms": round((time.monotonic() - start) * 1000, 1)})
            raise gr.Error(failure.message, title=ERROR_TITLE, print_exception=False) from e
        finally:
            self.active -= 1
        log.info("chat answered", extra={
            "model": name, "turns": len(messages), "answer_chars": len(answer),
            "ttft_ms": round((first or 0.0) * 1000, 1),
            "duration_ms": round((time.monotonic() - start) * 1000, 1)})
