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
    """The gateway's models, cached, with the configured default first in line.

    At most one listing runs at a time. With a last known list, callers get it at
    once while a refresh runs in the background; before any list is known, callers
    wait for that one listing (bounded by ``MODELS_TIMEOUT_SECONDS``), not for one
    each. Chats with ``DEFAULT_MODEL`` set never consult the catalog. A failed listing is retried
    after a back-off (doubling from ``RETRY_MIN_S`` up to ``MODELS_CACHE_SECONDS``),
    so a hanging gateway costs the chats that follow no wait.
    """

    RETRY_MIN_S = 5.0

    def __init__(self, client: AsyncOpenAI, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self._models: list[str] = []
        self._fetched_at = float("-inf")
        self._retry_at = float("-inf")
        self._backoff_s = 0.0
        self._task: asyncio.Task[None] | None = None

    async def fetch(self) -> list[str]:
        """Model ids from ``/v1/models``; raises on any failure."""
        page = await self.client.models.list(timeout=self.settings.models_timeout_s)
        return [m.id for m in page.data]

    async def _refresh(self) -> None:
        try:
            async with asyncio.timeout(self.settings.models_timeout_s):
                self._models = await self.fetch()
            self._fetched_at = time.monotonic()
            self._backoff_s = 0.0
        except Exception as e:
            self._backoff_s = min(max(self.RETRY_MIN_S, self._backoff_s * 2),
                                  max(self.RETRY_MIN_S, self.settings.models_cache_s))
            self._retry_at = time.monotonic() + self._backoff_s
            log.warning("model listing failed", extra={"error": type(e).__name__,
                                                        "retry_in_s": self._backoff_s})
        finally:
            self._task = None

    async def choices(self) -> tuple[list[str], str]:
        """(model ids to offer, the one to preselect). Never raises."""
        now = time.monotonic()
        stale = now - self._fetched_at >= self.settings.models_cache_s
        if stale and self._task is None and now >= self._retry_at:
            self._task = asyncio.get_running_loop().create_task(self._refresh())
        task = self._task
        if task is not None and not self._models:
            await asyncio.shield(task)
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
        extra_headers={MODEL_HEADER: model},
    ) as response:
        async for line in response.iter_lines():
            try:
                piece = delta_text(line)
            except MalformedChunk as e:
                raise openai.APIError(f"malformed stream chunk: {e}", response.http_request, body=None) from e
            if piece is DONE:
                return
            if piece:
                yield piece
    raise openai.APIError("the stream ended without [DONE]", response.http_request, body=None)


# The internal gateway's HTTPRoutes send a request to an extra model's pool by this header
# (its value is the model name); without it a request goes to the primary model's pool.
MODEL_HEADER = "X-Gateway-Base-Model-Name"


class MalformedChunk(ValueError):
    """A line of the model server's event stream that is not a chat completion chunk."""


DONE = "\x00done"


def delta_text(line: str) -> str:
    """The content of one SSE line of a chat completion stream, DONE at its end, "" otherwise."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return DONE
    try:
        chunk = json.loads(data)
        if "error" in chunk:
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else str(error)
            raise openai.APIError(f"error in stream: {message}", httpx2.Request("POST", "/"), body=chunk)
        choices = chunk.get("choices") or []
        if not choices:
            return ""
        content = (choices[0].get("delta") or {}).get("content")
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as e:
        raise MalformedChunk(type(e).__name__) from None
    return content if isinstance(content, str) else ""
