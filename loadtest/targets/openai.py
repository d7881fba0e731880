"""An OpenAI-compatible endpoint (vLLM, the llm-d gateway, the simulator), streamed over SSE."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from orjson import loads

from loadtest.result import APP_ERROR, DROPPED_STREAM, EMPTY_ANSWER, PROTOCOL, RequestResult, http_kind
from loadtest.stream import DONE, END_MARKER, DataReader, parse
from loadtest.targets.base import DETAIL_CHARS, HeaderSource, Message, RequestFailed

APIS = ("chat", "completions")
# The internal gateway routes a request to an extra model's pool by this header (value: the model
# name); without it every request goes to the primary model's pool. See docs/serving.md.
MODEL_HEADER = "X-Gateway-Base-Model-Name"
_NO_DELTA: dict[str, Any] = {}
# Never changed: shared by every request body (serialised, not mutated, by aiohttp).
_STREAM_OPTIONS: dict[str, Any] = {"include_usage": True}


class OpenAITarget:
    """Streams ``/v1/chat/completions`` (or ``/v1/completions``) and times every content chunk.

    Output tokens are the server's ``usage.completion_tokens`` when it sends usage (we ask for it
    with ``stream_options.include_usage``), otherwise the number of content chunks. Every request
    names its model (``result.model``, else ``model``) in the body and in MODEL_HEADER.
    """

    kind = "openai"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        model: str,
        api: str = "chat",
        headers: HeaderSource | None = None,
        temperature: float | None = None,
    ) -> None:
        if api not in APIS:
            raise ValueError(f"api must be one of {APIS}")
        self.session = session
        self.model = model
        self.api = api
        self.headers = headers
        self.temperature = temperature
        root = base_url.rstrip("/")
        if not root.endswith("/v1"):
            root += "/v1"
        self.url = f"{root}/{'chat/completions' if api == 'chat' else 'completions'}"
        self._model_headers: dict[str, dict[str, str]] = {}

    def body(self, messages: list[Message], max_tokens: int, model: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": model or self.model,
            "max_tokens": max_tokens,
            "stream": True,
            "stream_options": _STREAM_OPTIONS,
        }
        if self.api == "chat":
            body["messages"] = messages
        else:
            body["prompt"] = "\n".join(m["content"] for m in messages)
        if self.temperature is not None:
            body["temperature"] = self.temperature
        return body

    async def send(self, messages: list[Message], max_tokens: int, result: RequestResult) -> None:
        model = result.model or self.model
        if self.headers:
            headers = {MODEL_HEADER: model, **(await self.headers())}
        else:  # aiohttp copies the headers it is given: one dict per model serves every request
            headers = self._model_headers.get(model) or self._model_headers.setdefault(model, {MODEL_HEADER: model})
        async with self.session.post(self.url, json=self.body(messages, max_tokens, model),
                                     headers=headers) as resp:
            result.status = resp.status
            if resp.status != 200:
                text = await resp.text(errors="replace")
                raise RequestFailed(http_kind(resp.status), text[:DETAIL_CHARS])
            await self._read_stream(resp, result)

    async def _read_stream(self, resp: aiohttp.ClientResponse, result: RequestResult) -> None:
        """Reads the stream to ``[DONE]``: every chunk is parsed (orjson), checked and timed.

        The hot loop of the generator: per network read one ``DataReader.read`` and one clock
        reading (in the reader), per chunk one ``loads`` and a handful of dict lookups.
        """
        chat = self.api == "chat"
        parts: list[str] = []
        times = result.token_times
        usage: Any = None
        reader = DataReader(resp)
        read = reader.read
        while not reader.ended:
            arrived, payloads = await read()
            for data in payloads:
                if data == DONE:
                    return _finish(result, parts, usage)
                try:
                    chunk = loads(data)
                except ValueError:
                    chunk = _parse_unusual(data)
                    if chunk is END_MARKER:
                        return _finish(result, parts, usage)
                if type(chunk) is not dict:
                    raise RequestFailed(PROTOCOL, f"stream chunk is not an object: {data.strip()[:80]!r}")
                if "error" in chunk:
                    raise RequestFailed(APP_ERROR, json.dumps(chunk["error"])[:DETAIL_CHARS])
                choices = chunk.get("choices")
                if choices:
                    for choice in choices:
                        piece = (choice.get("delta") or _NO_DELTA).get("content") if chat else choice.get("text")
                        if piece:
                            times.append(arrived)
                            parts.append(piece)
                if chunk.get("usage"):
                    usage = chunk["usage"]
        raise RequestFailed(DROPPED_STREAM, "stream ended without [DONE]")


def _parse_unusual(data: bytes) -> Any:
    """A payload that ``loads`` refused: JSON or [DONE] in unusual whitespace, or a protocol error."""
    try:
        return parse(data)
    except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
        raise RequestFailed(PROTOCOL, f"bad JSON in stream: {data.strip()[:80]!r}") from exc


def _finish(result: RequestResult, parts: list[str], usage: Any) -> None:
    """Text, TTFT and token counts of an answer that reached ``[DONE]``."""
    if not parts:  # the chat app fails such an answer too ("The model returned an empty answer")
        raise RequestFailed(EMPTY_ANSWER, "the stream ended with [DONE] without any text")
    times = result.token_times
    result.text = parts[0] if len(parts) == 1 else "".join(parts)
    result.ttft = times[0] - result.start
    result.output_tokens = len(times)
    if usage:
        result.output_tokens = int(usage.get("completion_tokens") or result.output_tokens)
        if usage.get("prompt_tokens") is not None:
            result.prompt_tokens = int(usage["prompt_tokens"])
