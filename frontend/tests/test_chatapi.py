"""The scripted ``chat`` API served outside Gradio's queue (``chatapi.py``).

In-process tests drive the ASGI routes with a scripted chat service (each growing answer is
released by the test, so nothing depends on timing); the last test compares the running app's
routes with Gradio's own (``CHAT_API_DIRECT=false``) byte for byte, event ids aside.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import gradio as gr
import pytest

from frontend import chatapi
from frontend.chat import ChatService
from frontend.chatapi import DirectChat
from frontend.sse import parse_json
from frontend.tests.helpers import service_for

PREFIX = "/gradio_api"
DEFAULTS = ["", [], "", 512, 0.7]


class Scripted(ChatService):
    """A chat service whose answers grow by one word each time ``step`` is released."""

    def __init__(self, words: list[str], fail: str = "", **settings: Any) -> None:
        real = service_for("http://127.0.0.1:1", **settings)
        super().__init__(real.settings, real.client, real.catalog)
        self.words = words
        self.fail = fail
        self.step = asyncio.Semaphore(0)
        self.started = 0
        self.cancelled = 0
        self.calls: list[tuple[Any, ...]] = []

    async def respond(self, message: Any, history: Any = None, model: Any = None,
                      max_tokens: Any = None, temperature: Any = None) -> AsyncIterator[str]:
        self.calls.append((message, history, model, max_tokens, temperature))
        self.started += 1
        answer = ""
        try:
            for word in self.words:
                await self.step.acquire()
                answer = f"{answer} {word}".strip()
                yield answer
            if self.fail:
                raise gr.Error(self.fail, title="Model service error", print_exception=False)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


class Client:
    """One ASGI request: its body in, what the app sent out."""

    def __init__(self, body: bytes = b"") -> None:
        self.sent: list[dict[str, Any]] = []
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.inbox.put_nowait({"type": "http.request", "body": body, "more_body": False})

    async def receive(self) -> dict[str, Any]:
        return await self.inbox.get()

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    def hang_up(self) -> None:
        self.inbox.put_nowait({"type": "http.disconnect"})

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])

    def events(self) -> list[tuple[str, Any]]:
        out = []
        for block in self.body.decode().split("\n\n"):
            if block:
                event, data = block.split("\n")
                out.append((event.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
        return out


def scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": []}


async def post(chats: DirectChat, path: str, data: Any) -> Client:
    client = Client(json.dumps({"data": data}).encode())
    assert await chats.serve(scope("POST", PREFIX + path), client.receive, client.send)  # type: ignore[arg-type]
    return client


async def start(chats: DirectChat, data: Any) -> str:
    client = await post(chats, "/call/chat", data)
    assert client.status == 200
    return str(json.loads(client.body)["event_id"])


def events_task(chats: DirectChat, event_id: str) -> tuple[Client, asyncio.Task[bool]]:
    client = Client()
    serve = chats.serve(scope("GET", f"{PREFIX}/call/chat/{event_id}"), client.receive, client.send)  # type: ignore[arg-type]
    return client, asyncio.ensure_future(serve)


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_streams_every_growing_answer_then_the_whole_one() -> None:
    async def go() -> list[tuple[str, Any]]:
        service = Scripted(["alpha", "bravo", "charlie"])
        chats = DirectChat(service, PREFIX, DEFAULTS)
        client, task = events_task(chats, await start(chats, ["hi"]))
        for _ in service.words:
            await settle()
            service.step.release()
        await task
        assert service.calls == [("hi", [], "", 512, 0.7)]
        assert client.status == 200
        assert dict(client.sent[0]["headers"])[b"content-type"] == b"text/event-stream; charset=utf-8"
        assert not chats.jobs
        return client.events()

    assert asyncio.run(go()) == [("generating", ["alpha"]), ("generating", ["alpha bravo"]),
                                 ("generating", ["alpha bravo charlie"]), ("complete", ["alpha bravo charlie"])]


def test_a_slow_reader_gets_only_the_newest_growing_answer() -> None:
    async def go() -> list[tuple[str, Any]]:
        service = Scripted(["alpha", "bravo", "charlie", "delta"])
        chats = DirectChat(service, PREFIX, DEFAULTS)
        event_id = await start(chats, ["hi", [], "m", 8, 0.0])
        for _ in service.words:  # the whole answer is there before anyone reads
            service.step.release()
            await settle()
        client, task = events_task(chats, event_id)
        await task
        return client.events()

    assert asyncio.run(go()) == [("generating", ["alpha bravo charlie delta"]),
                                 ("complete", ["alpha bravo charlie delta"])]


def test_a_failure_ends_the_stream_with_gradios_error_payload() -> None:
    async def go() -> list[tuple[str, Any]]:
        service = Scripted(["partial"], fail="The model service is unreachable.")
        chats = DirectChat(service, PREFIX, DEFAULTS)
        client, task = events_task(chats, await start(chats, ["hi"]))
        await settle()
        service.step.release()
        await task
        return client.events()

    assert asyncio.run(go()) == [
        ("generating", ["partial"]),
        ("error", {"error": "The model service is unreachable.", "duration": 10, "visible": True,
                   "title": "Model service error"})]


def test_a_client_that_hangs_up_cancels_its_chat() -> None:
    async def go() -> Scripted:
        service = Scripted(["alpha", "bravo"])
        chats = DirectChat(service, PREFIX, DEFAULTS)
        client, task = events_task(chats, await start(chats, ["hi"]))
        await settle()
        service.step.release()
        await settle()
        client.hang_up()
        await asyncio.wait_for(task, 5)  # a stream that missed the hang-up would wait forever
        await settle()
        assert client.events() == [("generating", ["alpha"])]
        assert not chats.jobs
        return service

    service = asyncio.run(go())
    assert (service.started, service.cancelled) == (1, 1)


def test_an_unclaimed_chat_expires_and_unknown_ids_get_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chatapi, "UNCLAIMED_S", 0.05)

    async def go() -> tuple[Scripted, Client, Client]:
        service = Scripted(["alpha"])
        chats = DirectChat(service, PREFIX, DEFAULTS)
        event_id = await start(chats, ["hi"])
        await asyncio.sleep(0.2)
        assert not chats.jobs
        late, task = events_task(chats, event_id)
        await task
        unknown, task = events_task(chats, "no-such-id")
        await task
        return service, late, unknown

    service, late, unknown = asyncio.run(go())
    assert service.cancelled == 1
    for client in (late, unknown):
        assert client.status == 200
        assert [e for e, _ in client.events()] == ["error"]
        assert "Unknown event id" in client.events()[0][1]


def test_the_concurrency_limit_and_the_queue_size_hold() -> None:
    async def go() -> tuple[Scripted, int]:
        service = Scripted(["alpha"], queue_concurrency=1, queue_max_size=1)
        chats = DirectChat(service, PREFIX, DEFAULTS)
        first = await start(chats, ["one"])
        await settle()
        await start(chats, ["two"])  # waits for the first
        await settle()
        assert service.started == 1
        full = await post(chats, "/call/chat", ["three"])
        readers = [events_task(chats, first)[1]]
        service.step.release()
        await settle()
        assert service.started == 2
        service.step.release()
        await readers[0]
        await chats.aclose()
        return service, full.status

    service, full = asyncio.run(go())
    assert full == 503
    assert service.started == 2


def test_the_one_shot_route_answers_once_or_fails_with_500() -> None:
    async def go(fail: str) -> Client:
        service = Scripted(["alpha", "bravo"], fail=fail)
        chats = DirectChat(service, PREFIX, DEFAULTS)
        service.step.release()
        service.step.release()
        return await post(chats, "/run/chat", ["hi"])

    ok = asyncio.run(go(""))
    assert ok.status == 200
    body = json.loads(ok.body)
    assert (body["data"], body["is_generating"]) == (["alpha bravo"], False)
    failed = asyncio.run(go("broken"))
    assert failed.status == 500
    assert json.loads(failed.body)["error"] == "broken"


def test_a_malformed_body_gets_422_and_other_paths_pass() -> None:
    async def go() -> tuple[int, bool]:
        chats = DirectChat(Scripted([]), PREFIX, DEFAULTS)
        client = Client(b'{"nodata": 1}')
        await chats.serve(scope("POST", PREFIX + "/call/chat"), client.receive, client.send)  # type: ignore[arg-type]
        other = Client()
        passed = not await chats.serve(scope("GET", PREFIX + "/info"), other.receive, other.send)  # type: ignore[arg-type]
        return client.status, passed

    assert asyncio.run(go()) == (422, True)


def raw_chat(app_url: str, data: list[Any]) -> list[tuple[str, Any]]:
    req = urllib.request.Request(app_url + "/gradio_api/call/chat", data=json.dumps({"data": data}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        event_id = json.load(r)["event_id"]
    with urllib.request.urlopen(f"{app_url}/gradio_api/call/chat/{event_id}", timeout=30) as r:
        assert r.headers["content-type"] == "text/event-stream; charset=utf-8"
        text = r.read().decode()
    return [(b.split("\n")[0], parse_json(b.split("\n")[1].removeprefix("data: ").encode()))
            for b in text.split("\n\n") if b]


def test_the_direct_routes_speak_gradios_protocol(apps: dict[str, str]) -> None:
    for data in (["hello"], ["c", [{"role": "user", "content": "a"}], "other/model", 3, 0.2], []):
        direct, gradio = raw_chat(apps["ok"], data), raw_chat(apps["ok-gradio"], data)
        assert direct[-1] == gradio[-1]
        assert {e for e, _ in direct} == {e for e, _ in gradio}
