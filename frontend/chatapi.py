"""The scripted ``chat`` API served straight from the chat service, outside Gradio's queue.

``POST /gradio_api/call/chat`` (``{"data": [message, ...]}``, trailing inputs optional) starts the
chat at once and answers ``{"event_id": "..."}``; ``GET /gradio_api/call/chat/<event_id>`` streams
it in Gradio's format: ``event: generating`` with the growing answer, then ``event: complete`` with
the whole answer, or ``event: error`` with Gradio's error payload (``{"error": message, "duration",
"visible", "title"}``); ``event: heartbeat`` every ``HEARTBEAT_S`` while nothing else is sent.
``POST /gradio_api/run/chat`` (and ``/gradio_api/api/chat``) answers once with
``{"data": [answer], ...}``, or HTTP 500 with the error payload.

This is the same protocol as Gradio's own route, minus Gradio's per-request and per-event work
(FastAPI routing and body models, a sync login dependency run in a worker thread, the queue's
event and session bookkeeping, a timer task per message): the chat costs two plain ASGI requests
and one task. ``QUEUE_CONCURRENCY`` bounds the chats answered at once and ``QUEUE_MAX_SIZE`` the
chats waiting, as Gradio's queue does.

Coalescing: a stream holds at most one unsent ``generating`` event, the newest. When the client
reads more slowly than the answer grows (or connects late), superseded snapshots are dropped, so
it gets the latest growing answer, then the end; nothing piles up per chat.

An event nobody asks for within ``UNCLAIMED_S`` of its POST is cancelled; a client that hangs up
cancels its chat (and with it the request to the gateway).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

import gradio as gr
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontend.chat import ChatService
from frontend.padding import pad

log = logging.getLogger("frontend.chatapi")
HEARTBEAT_S = 15.0
UNCLAIMED_S = 60.0
JSON_HEADERS = [(b"content-type", b"application/json")]
SSE_HEADERS = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache")]


def error_payload(error: BaseException) -> dict[str, Any]:
    """What Gradio sends for a failed event (``show_error`` on): the message, and for ``gr.Error``
    its display duration, visibility and title."""
    if isinstance(error, gr.Error):
        return {"error": error.message, "duration": error.duration, "visible": error.visible,
                "title": error.title}
    return {"error": str(error), "visible": True}


def sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


HEARTBEAT = b"event: heartbeat\ndata: {}\n\n"


class Job:
    """One chat started by a POST: the newest unsent growing answer and, once it has ended, its last event."""

    __slots__ = ("claimed", "expiry", "final", "latest", "task", "waiter")

    def __init__(self) -> None:
        self.latest: str | None = None
        self.final: bytes | None = None
        self.claimed = False
        self.waiter: asyncio.Future[None] | None = None
        self.task: asyncio.Task[None] | None = None
        self.expiry: asyncio.TimerHandle | None = None

    def notify(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def changed(self) -> None:
        """Wait until ``notify`` is called."""
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None


class ChatApi:
    """ASGI middleware: the ``chat`` API's queued and one-shot routes go to ``chats``, every other
    request to ``app``."""

    def __init__(self, app: ASGIApp, chats: DirectChat) -> None:
        self.app = app
        self.chats = chats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not await self.chats.serve(scope, receive, send):
            await self.app(scope, receive, send)


class DirectChat:
    """The ``chat`` API's routes and the chats they started."""

    def __init__(self, service: ChatService, prefix: str, defaults: Sequence[Any], name: str = "chat") -> None:
        self.service = service
        self.defaults = list(defaults)
        self.call = {f"{prefix}/call/{name}", f"{prefix}/call/{name}/"}
        self.events = f"{prefix}/call/{name}/"
        self.run = {f"{prefix}/{kind}/{name}{end}" for kind in ("run", "api") for end in ("", "/")}
        settings = service.settings
        self.slots = asyncio.Semaphore(settings.queue_concurrency)
        self.max_waiting = settings.queue_max_size
        self.waiting = 0
        self.jobs: dict[str, Job] = {}

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer the request if it is one of the ``chat`` API's routes; False if it is not."""
        path, method = scope.get("path", ""), scope.get("method")
        if method == "POST" and path in self.call:
            await self.start(receive, send)
        elif method == "POST" and path in self.run:
            await self.whole(receive, send)
        elif method == "GET" and path.startswith(self.events) and "/" not in path[len(self.events):]:
            await self.stream(path[len(self.events):], receive, send)
        else:
            return False
        return True

    async def inputs(self, receive: Receive, send: Send) -> list[Any] | None:
        """The request's ``data``, padded with the defaults and cut to the endpoint's inputs; on a
        malformed body, answers HTTP 422 and returns None."""
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return None
            body += message.get("body", b"")
            more = bool(message.get("more_body"))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            await respond_json(send, 422, {"detail": 'the body must be a JSON object with a "data" list'})
            return None
        return pad(data, self.defaults)[:len(self.defaults)]

    def has_room(self) -> bool:
        return not self.max_waiting or self.waiting < self.max_waiting

    async def admitted(self, receive: Receive, send: Send) -> list[Any] | None:
        """The request's inputs if it is well formed and the queue has room; otherwise answers (422 or 503) and
        returns None."""
        args = await self.inputs(receive, send)
        if args is not None and not self.has_room():
            await respond_json(send, 503, {"detail": "Queue is full."})
            return None
        return args

    async def answer(self, args: list[Any], job: Job | None = None) -> str:
        """Run the chat within the concurrency limit; with ``job``, publish each growing answer."""
        self.waiting += 1
        try:
            await self.slots.acquire()
        finally:
            self.waiting -= 1
        try:
            answer = ""
            async for answer in self.service.respond(*args):
                if job is not None:
                    job.latest = answer
                    job.notify()
            return answer
        finally:
            self.slots.release()

    async def start(self, receive: Receive, send: Send) -> None:
        args = await self.admitted(receive, send)
        if args is None:
            return
        event_id = uuid.uuid4().hex
        job = Job()
        self.jobs[event_id] = job
        job.task = asyncio.create_task(self.work(job, args))
        job.expiry = asyncio.get_running_loop().call_later(UNCLAIMED_S, self.expire, event_id)
        await respond_json(send, 200, {"event_id": event_id})

    async def work(self, job: Job, args: list[Any]) -> None:
        try:
            answer = await self.answer(args, job)
            job.final = sse("complete", [answer])
        except asyncio.CancelledError:
            job.final = sse("error", {"error": "The chat was stopped: the app is shutting down or the "
                                               "event expired.", "visible": True})
            raise
        except Exception as e:
            if not isinstance(e, gr.Error):
                log.error("chat endpoint failed", extra={"error_type": type(e).__name__})
            job.final = sse("error", error_payload(e))
        finally:
            job.notify()

    def expire(self, event_id: str) -> None:
        job = self.jobs.get(event_id)
        if job is not None and not job.claimed:
            del self.jobs[event_id]
            if job.task is not None:
                job.task.cancel()

    async def stream(self, event_id: str, receive: Receive, send: Send) -> None:
        job = self.jobs.get(event_id)
        await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
        if job is None or job.claimed:
            await send({"type": "http.response.body", "more_body": False,
                        "body": sse("error", "Unknown event id: it was never issued, has expired or "
                                              "is being read by another request.")})
            return
        job.claimed = True
        if job.expiry is not None:
            job.expiry.cancel()
        loop = asyncio.get_running_loop()
        gone = False
        beat = False
        timer: asyncio.TimerHandle | None = None

        def heartbeat() -> None:
            nonlocal beat, timer
            beat = True
            job.notify()
            timer = loop.call_later(HEARTBEAT_S, heartbeat)

        def hung_up(_: object) -> None:
            nonlocal gone
            gone = True
            job.notify()

        watcher = asyncio.ensure_future(disconnected(receive))
        watcher.add_done_callback(hung_up)
        timer = loop.call_later(HEARTBEAT_S, heartbeat)
        try:
            while not gone:
                chunk = b""
                if job.latest is not None:
                    chunk = sse("generating", [job.latest])
                    job.latest = None
                if job.final is not None:
                    await send({"type": "http.response.body", "body": chunk + job.final, "more_body": False})
                    return
                if beat:
                    chunk += HEARTBEAT
                    beat = False
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                else:
                    await job.changed()
        finally:
            if timer is not None:
                timer.cancel()
            watcher.remove_done_callback(hung_up)
            watcher.cancel()
            self.jobs.pop(event_id, None)
            if job.task is not None and not job.task.done():
                job.task.cancel()

    async def whole(self, receive: Receive, send: Send) -> None:
        args = await self.admitted(receive, send)
        if args is None:
            return
        start = time.monotonic()
        chat = asyncio.ensure_future(self.answer(args))
        watcher = asyncio.ensure_future(disconnected(receive))
        try:
            await asyncio.wait([chat, watcher], return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
            if not chat.done():
                chat.cancel()
        if not chat.done() or chat.cancelled():
            return  # the client hung up: nobody to answer
        error = chat.exception()
        if error is None:
            await respond_json(send, 200, {"data": [chat.result()], "is_generating": False,
                                           "duration": time.monotonic() - start})
        else:
            if not isinstance(error, gr.Error):
                log.error("chat endpoint failed", extra={"error_type": type(error).__name__})
            await respond_json(send, 500, error_payload(error))

    async def aclose(self) -> None:
        """Cancel every chat still running (at shutdown)."""
        tasks = [job.task for job in self.jobs.values() if job.task is not None]
        self.jobs.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def disconnected(receive: Receive) -> None:
    """Return once the client has gone (the request body, if any, is already read)."""
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return


async def respond_json(send: Send, status: int, body: Any) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [*JSON_HEADERS, (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data, "more_body": False})
