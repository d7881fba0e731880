"""Test helpers: a loopback server thread, a Gradio-protocol fake app, and a fake JWT signer."""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from loadtest.auth import JwtSigner
from loadtest.runner import Outcome, TargetConfig, execute
from loadtest.workload import WorkloadConfig


@contextmanager
def serve_app(app: web.Application) -> Iterator[str]:
    """Serve an aiohttp app on 127.0.0.1 on a free port from a daemon thread; yield its base URL."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict[str, Any] = {}

    async def start() -> None:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        box["runner"] = runner
        box["port"] = runner.addresses[0][1]

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()
        loop.run_until_complete(box["runner"].cleanup())
        left = asyncio.all_tasks(loop)  # handlers still waiting (a hanging endpoint): end them
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "test server did not start"
    try:
        yield f"http://127.0.0.1:{box['port']}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@dataclass
class FakeGradio:
    """Speaks the Gradio queue protocol of the frontend's ``chat`` API.

    ``mode``: "ok" streams ``tokens`` cumulative updates (``ttft_s`` then ``itl_s`` apart) and a
    complete event; "error" sends an error event; "drop" ends the stream after one update;
    "empty" completes at once with an empty answer.
    ``authorize`` sees each Authorization header; a False answer gets HTTP 401, as IAP would.
    ``sticky`` sets an affinity cookie on the call and answers the stream only when it comes back.
    """

    tokens: int = 5
    ttft_s: float = 0.02
    itl_s: float = 0.005
    mode: str = "ok"
    authorize: Callable[[str | None], bool] = lambda header: True
    sticky: bool = False
    calls: list[dict[str, Any]] = field(default_factory=list)
    jobs: dict[str, list[Any]] = field(default_factory=dict)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/gradio_api/call/chat", self.call)
        app.router.add_get("/gradio_api/call/chat/{event_id}", self.stream)
        return app

    async def call(self, request: web.Request) -> web.Response:
        if not self.authorize(request.headers.get("Authorization")):
            return web.Response(status=401, text="Invalid IAP credentials")
        body = await request.json()
        self.calls.append(body)
        event_id = uuid.uuid4().hex
        self.jobs[event_id] = body["data"]
        resp = web.json_response({"event_id": event_id})
        if self.sticky:  # like a load balancer's affinity cookie, one per call here
            resp.set_cookie("GCLB", event_id[:8])
        return resp

    async def stream(self, request: web.Request) -> web.StreamResponse:
        if not self.authorize(request.headers.get("Authorization")):
            return web.Response(status=401, text="Invalid IAP credentials")
        event_id = request.match_info["event_id"]
        if self.sticky and request.cookies.get("GCLB") != event_id[:8]:
            return web.Response(status=404, text="another replica: unknown event")
        data = self.jobs.pop(event_id, None)
        if data is None:
            return web.Response(status=404)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        await resp.write(b"event: heartbeat\ndata: null\n\n")
        if self.mode == "error":
            await resp.write(b'event: error\ndata: "model backend unavailable"\n\n')
            return resp
        if self.mode == "empty":
            await resp.write(b'event: complete\ndata: [""]\n\n')
            return resp
        text = f"[fake] history {len(data[1])};"
        await asyncio.sleep(self.ttft_s)
        for i in range(self.tokens):
            if i:
                await asyncio.sleep(self.itl_s)
                text += " tok"
            await resp.write(f"event: generating\ndata: {json.dumps([text])}\n\n".encode())
            if self.mode == "drop":
                return resp
        await resp.write(f"event: complete\ndata: {json.dumps([text])}\n\n".encode())
        return resp


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


class FakeSigner:
    """Stands in for signJwt: records the claims and returns an (unsigned) JWT carrying them."""

    def __init__(self, fail: bool = False) -> None:
        self.claims: list[dict[str, Any]] = []
        self.fail = fail

    def sign(self, claims: dict[str, Any]) -> str:
        if self.fail:
            raise RuntimeError("signJwt answered HTTP 403: permission denied")
        self.claims.append(dict(claims))
        header = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(b'fake-signature')}"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; fails unless the file starts like a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert head[12:16] == b"IHDR", f"{path} has no IHDR chunk first"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def run_load(target: TargetConfig, workload: WorkloadConfig, out_dir: Path | None = None,
             signer: JwtSigner | None = None, label: str = "test") -> Outcome:
    """One load test, synchronously, without the live display."""
    return asyncio.run(execute(target, workload, label=label, out_dir=out_dir, signer=signer))
