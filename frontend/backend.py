"""Talking to the OpenAI-compatible gateway: model listing and streamed chat."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator
from typing import Any

import httpx2
import openai
from openai import AsyncOpenAI, DefaultAioHttpClient

from frontend.settings import Settings

log = logging.getLogger("frontend.backend")


def make_client(settings: Settings) -> AsyncOpenAI:
    """The OpenAI client over the SDK's aiohttp transport.

    Its C HTTP parser reads a token stream for about two thirds of the CPU of the
    default pure-Python one, which is most of the app's per-chat work under load.
    The aiohttp session is made on first use, so the client belongs to the event
    loop that first uses it.
    """
    timeout = httpx2.Timeout(settings.request_timeout_s, connect=settings.connect_timeout_s)
    limits = httpx2.Limits(max_connections=settings.max_connections,
                          max_keepalive_connections=settings.max_connections)
    return AsyncOpenAI(
        base_url=settings.api_base, api_key=settings.api_key, timeout=timeout,
        max_retries=settings.max_retries, http_client=DefaultAioHttpClient(timeout=timeout, limits=limits),
    )


class ModelCatalog:
    """The gateway's models, cached, with the configured default first in line."""

    def __init__(self, client: AsyncOpenAI, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self._models: list[str] = []
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def fetch(self) -> list[str]:
        """Model ids from ``/v1/models``; raises on any failure."""
        page = await self.client.models.list(timeout=self.settings.models_timeout_s)
        return [m.id for m in page.data]

    async def choices(self) -> tuple[list[str], str]:
        """(model ids to offer, the one to preselect). Never raises."""
        async with self._lock:
            fresh = time.monotonic() - self._fetched_at < self.settings.models_cache_s
            if not fresh:
                try:
                    self._models = await self.fetch()
                    self._fetched_at = time.monotonic()
                except Exception as e:
                    log.warning("model listing failed", extra={"error": type(e).__name__})
        return pick_models(self._models, self.settings.default_model)


def pick_models(listed: list[str], default: str) -> tuple[list[str], str]:
    """Offer the listed models plus the configured default; preselect the default."""
    models = list(dict.fromkeys(listed))
    if default and default not in models:
        models.insert(0, default)
    if not models:
        return [], ""
    return models, default or models[0]


async def stream_chat(client: AsyncOpenAI, model: str, messages: list[dict[str, str]],
                      max_tokens: int, temperature: float) -> AsyncGenerator[str, None]:
    """Yield the text pieces of a streamed chat completion.

    The request goes through the OpenAI client (base URL, key, timeouts, retries,
    status errors); the event stream is read line by line and decoded with
    ``json.loads``, which costs a quarter of building the client's typed chunk
    objects and is the app's main per-token cost under load.
    """
    payload: Any = messages
    async with client.chat.completions.with_streaming_response.create(
        model=model, messages=payload, max_tokens=max_tokens, temperature=temperature, stream=True,
    ) as response:
        async for line in response.iter_lines():
            piece = delta_text(line)
            if piece is DONE:
                return
            if piece:
                yield piece
    raise openai.APIError("the stream ended without [DONE]", response.http_request, body=None)


DONE = "\x00done"


def delta_text(line: str) -> str:
    """The content of one SSE line of a chat completion stream, DONE at its end, "" otherwise."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return DONE
    chunk = json.loads(data)
    if "error" in chunk:
        error = chunk["error"]
        message = error.get("message") if isinstance(error, dict) else str(error)
        raise openai.APIError(f"error in stream: {message}", httpx2.Request("POST", "/"), body=chunk)
    choices = chunk.get("choices") or []
    if not choices:
        return ""
    content = (choices[0].get("delta") or {}).get("content")
    return content if isinstance(content, str) else ""
