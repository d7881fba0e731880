"""Fill in omitted trailing inputs of API calls, so ``{"data": [message]}`` is enough.

Gradio's HTTP API wants every input of an endpoint; its Python client fills
defaults on the client side, plain HTTP clients do not. This ASGI middleware
pads the ``data`` list of calls to the named endpoints with their defaults.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def pad(data: list[Any], defaults: Sequence[Any]) -> list[Any]:
    """``data`` followed by the defaults of the inputs it leaves out (``defaults[i]`` is input i)."""
    return data + list(defaults[len(data):])


class PadInputs:
    def __init__(self, app: ASGIApp, prefix: str, endpoints: dict[str, Sequence[Any]]) -> None:
        self.app = app
        self.paths: dict[str, Sequence[Any]] = {}
        for name, defaults in endpoints.items():
            for kind in ("call", "run"):
                self.paths[f"{prefix}/{kind}/{name}"] = defaults
                self.paths[f"{prefix}/{kind}/{name}/"] = defaults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        defaults = self.paths.get(scope.get("path", "")) if scope["type"] == "http" else None
        if defaults is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, replay([message]), send)
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body"))
        body = rewrite(body, defaults)
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        scope = dict(scope, headers=headers)
        await self.app(scope, replay([{"type": "http.request", "body": body, "more_body": False}],
                                     receive), send)


def rewrite(body: bytes, defaults: Sequence[Any]) -> bytes:
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list) or len(data) >= len(defaults):
        return body
    payload["data"] = pad(data, defaults)
    return json.dumps(payload).encode()


def replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
