"""Chat clients that time one conversation turn: through the app's queued API, through its one-shot
(non-streaming) API, or straight at the model. Streams are read with the one SSE reader
(``frontend/sse.py``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from frontend.sse import SSEReader, parse_json


@dataclass
class Outcome:
    """What one chat turn gave: the answer or an error, and when the first and last text arrived."""

    answer: str = ""
    error: str = ""
    ttft_s: float | None = None
    total_s: float = 0.0
    updates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.answer)


def error_text(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("error") or data.get("message") or data)
    if data is None:
        return "error event without a message"
    return str(data)


def _json(payload: bytes) -> Any:
    return parse_json(payload) if payload else None


async def queued_chat(session: aiohttp.ClientSession, app_url: str, data: list[Any],
                      timeout_s: float = 60.0) -> Outcome:
    """POST /gradio_api/call/chat, then read /gradio_api/call/chat/<event_id>."""
    out = Outcome()
    start = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with session.post(f"{app_url}/gradio_api/call/chat", json={"data": data},
                                timeout=timeout) as r:
            if r.status != 200:
                out.error = f"HTTP {r.status} on call: {(await r.text())[:200]}"
                return out
            event_id = (await r.json())["event_id"]
        async with session.get(f"{app_url}/gradio_api/call/chat/{event_id}", timeout=timeout) as r:
            reader = SSEReader(r)
            while not reader.ended and not out.answer and not out.error:
                _, events = await reader.read()
                for event, payload in events:
                    if event == b"generating":
                        value = _json(payload)
                        if isinstance(value, list) and value:
                            if out.ttft_s is None:
                                out.ttft_s = time.monotonic() - start
                            out.updates.append(value[0])
                    elif event == b"complete":
                        value = _json(payload)
                        out.answer = value[0] if value else ""
                        if not out.answer:
                            out.error = "complete event without an answer"
                        break
                    elif event == b"error":
                        out.error = error_text(_json(payload))
                        break
            if not out.answer and not out.error:
                out.error = "event stream ended without complete or error"
    except (aiohttp.ClientError, TimeoutError, ValueError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.total_s = time.monotonic() - start
    return out


async def whole_chat(session: aiohttp.ClientSession, app_url: str, data: list[Any],
                     timeout_s: float = 60.0) -> Outcome:
    """POST /gradio_api/run/chat: one request, the whole answer (a non-streaming client).

    Its first text is the whole answer, so its TTFT is its total latency.
    """
    out = Outcome()
    start = time.monotonic()
    try:
        async with session.post(f"{app_url}/gradio_api/run/chat", json={"data": data},
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as r:
            body = await r.json(content_type=None)
            if r.status != 200:
                out.error = f"HTTP {r.status}: {error_text(body)[:200]}"
            else:
                answer = body.get("data", [""])[0] if isinstance(body, dict) else ""
                out.answer = answer if isinstance(answer, str) else ""
                if not out.answer:
                    out.error = "no answer in the response"
    except (aiohttp.ClientError, TimeoutError, ValueError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.total_s = time.monotonic() - start
        if out.ok:
            out.ttft_s = out.total_s
    return out


async def direct_chat(session: aiohttp.ClientSession, api_base: str, model: str, message: str,
                      timeout_s: float = 60.0) -> Outcome:
    """Stream one chat completion straight from an OpenAI-compatible server."""
    out = Outcome()
    start = time.monotonic()
    body = {"model": model, "messages": [{"role": "user", "content": message}], "stream": True}
    parts: list[str] = []
    try:
        async with session.post(f"{api_base}/chat/completions", json=body,
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as r:
            if r.status != 200:
                out.error = f"HTTP {r.status}"
                return out
            reader = SSEReader(r)
            done = False
            while not done and not reader.ended:
                _, events = await reader.read()
                for _, payload in events:
                    if payload == b"[DONE]":
                        done = True
                        break
                    chunk = parse_json(payload)
                    piece = chunk["choices"][0]["delta"].get("content") if chunk["choices"] else None
                    if piece:
                        if out.ttft_s is None:
                            out.ttft_s = time.monotonic() - start
                        parts.append(piece)
            out.answer = "".join(parts)
            if not done:
                out.error = "stream ended without [DONE]"
    except (aiohttp.ClientError, TimeoutError, ValueError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.total_s = time.monotonic() - start
    return out
