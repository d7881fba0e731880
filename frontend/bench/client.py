"""Chat clients that time one conversation turn: through the app's queued API, or straight at the model."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp


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


async def sse_events(response: aiohttp.ClientResponse) -> Any:
    """Yield ``(event, data)`` pairs of a server-sent event stream."""
    event, data = "message", ""
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield event, data
            event, data = "message", ""
        elif line.startswith("event:"):
            event = line[len("event:"):].strip()
        elif line.startswith("data:"):
            data += line[len("data:"):].strip()
    if data:
        yield event, data


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
            async for event, payload in sse_events(r):
                value = json.loads(payload) if payload else None
                if event == "generating" and isinstance(value, list) and value:
                    if out.ttft_s is None:
                        out.ttft_s = time.monotonic() - start
                    out.updates.append(value[0])
                elif event == "complete":
                    out.answer = value[0] if value else ""
                    if not out.answer:
                        out.error = "complete event without an answer"
                    break
                elif event == "error":
                    out.error = error_text(value)
                    break
            else:
                out.error = out.error or "event stream ended without complete or error"
    except (aiohttp.ClientError, TimeoutError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.total_s = time.monotonic() - start
    return out


async def direct_chat(session: aiohttp.ClientSession, api_base: str, model: str, message: str,
                      timeout_s: float = 60.0) -> Outcome:
    """Stream one chat completion straight from an OpenAI-compatible server."""
    out = Outcome()
    start = time.monotonic()
    body = {"model": model, "messages": [{"role": "user", "content": message}], "stream": True}
    try:
        async with session.post(f"{api_base}/chat/completions", json=body,
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as r:
            if r.status != 200:
                out.error = f"HTTP {r.status}"
                return out
            async for _, payload in sse_events(r):
                if payload == "[DONE]":
                    break
                chunk = json.loads(payload)
                piece = chunk["choices"][0]["delta"].get("content") if chunk["choices"] else None
                if piece:
                    if out.ttft_s is None:
                        out.ttft_s = time.monotonic() - start
                    out.answer += piece
            else:
                out.error = "stream ended without [DONE]"
    except (aiohttp.ClientError, TimeoutError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.total_s = time.monotonic() - start
    return out
