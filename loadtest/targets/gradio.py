"""The Gradio chat app's ``chat`` API through its queue, as a browser-less user would call it.

POST ``{base}/gradio_api/call/chat`` with ``{"data": [message, history, model, max_tokens,
temperature]}`` answers ``{"event_id": ...}``; GET ``{base}/gradio_api/call/chat/{event_id}`` then
streams ``generating`` events carrying the answer so far, and ends with ``complete`` or ``error``.
Through IAP every request carries ``Authorization: Bearer <JWT>`` (see loadtest.auth).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from orjson import loads

from frontend.sse import SSEReader
from loadtest.result import APP_ERROR, DROPPED_STREAM, EMPTY_ANSWER, PROTOCOL, RequestResult, http_kind
from loadtest.targets.base import DETAIL_CHARS, HeaderSource, Message, RequestFailed


def answer_text(data: Any) -> str | None:
    """The answer inside one event's ``data`` list: a string, or the last assistant message."""
    if not isinstance(data, list) or not data:
        return None
    value = data[0]
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        last = value[-1]
        if last.get("role") == "assistant" and isinstance(last.get("content"), str):
            return str(last["content"])
    return None


class GradioTarget:
    """Drives the frontend's ``chat`` endpoint.

    The app reports no token usage and joins upstream chunks into at most one update per
    ``STREAM_INTERVAL_MS``, so output tokens are estimated as the whitespace-separated words of
    the answer, and the chunk times are those of the app's updates: TTFT is the first update with
    text, inter-token latency the gaps between updates, as a user sees them.
    """

    kind = "gradio"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        model: str | None = None,
        headers: HeaderSource | None = None,
        temperature: float | None = None,
        api_name: str = "chat",
    ) -> None:
        self.session = session
        self.model = model
        self.headers = headers
        self.temperature = temperature
        self.call_url = f"{base_url.rstrip('/')}/gradio_api/call/{api_name}"

    def payload(self, messages: list[Message], max_tokens: int, model: str | None = None) -> dict[str, Any]:
        history = [{"role": m["role"], "content": m["content"]} for m in messages[:-1]]
        data: list[Any] = [messages[-1]["content"], history, model or self.model, max_tokens]
        if self.temperature is not None:
            data.append(self.temperature)
        return {"data": data}

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
        headers = await self.headers() if self.headers else None
        async with self.session.post(
            self.call_url, json=self.payload(messages, max_tokens, result.model), headers=headers
        ) as resp:
            result.status = resp.status
            if resp.status != 200:
                text = await resp.text(errors="replace")
                raise RequestFailed(http_kind(resp.status), text[:DETAIL_CHARS])
            try:
                event_id = (await resp.json(content_type=None))["event_id"]
            except (ValueError, KeyError, TypeError) as exc:
                raise RequestFailed(PROTOCOL, "no event_id in the call answer") from exc
            # Gradio's queue lives in one process: an affinity cookie set by the load balancer on
            # the POST must come back on the GET so that both reach the same replica.
            cookies = {name: morsel.value for name, morsel in resp.cookies.items()} or None
        if self.headers:
            headers = await self.headers()
        async with self.session.get(f"{self.call_url}/{event_id}", headers=headers,
                                    cookies=cookies) as resp:
            result.status = resp.status
            if resp.status != 200:
                text = await resp.text(errors="replace")
                raise RequestFailed(http_kind(resp.status), text[:DETAIL_CHARS])
            await self._read_events(resp, result)

    async def _read_events(self, resp: aiohttp.ClientResponse, result: RequestResult) -> None:
        last = ""
        reader = SSEReader(resp)
        complete = False
        while not complete and not reader.ended:
            arrived, events = await reader.read()
            for name, payload in events:
                if name == b"error":
                    raise RequestFailed(APP_ERROR, payload.decode(errors="replace")[:DETAIL_CHARS])
                if name not in (b"generating", b"complete"):
                    continue
                event = name.decode()
                try:
                    text = answer_text(loads(payload))
                except ValueError as exc:
                    raise RequestFailed(PROTOCOL, f"bad JSON in {event} event") from exc
                if text is None:
                    raise RequestFailed(PROTOCOL, f"no answer text in {event} event")
                if text and text != last:
                    result.token_times.append(arrived)
                    last = text
                if name == b"complete":
                    complete = True
                    break
        if not complete:
            raise RequestFailed(DROPPED_STREAM, "stream ended without a complete event")
        if not last:
            raise RequestFailed(EMPTY_ANSWER, "the complete event carried no answer text")
        result.text = last
        result.output_tokens = len(last.split())
        result.ttft = result.token_times[0] - result.start
