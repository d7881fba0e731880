"""Talking to the OpenAI-compatible gateway: model listing and streamed chat.

One aiohttp session (C HTTP parser, keep-alive pool) and the one SSE reader (``sse.py``) read the
token stream: a chunk is decoded with the stdlib's JSON scanner into plain dicts, with no typed
object per chunk, which was most of the app's per-token cost through the OpenAI SDK. Transport
failures leave this module as the exceptions of ``errors.py`` (raised from aiohttp's own), so the
rest of the app never sees the HTTP client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from frontend.errors import BackendError, BrokenStream, ColdStartTimeout, StatusError, Unreachable
from frontend.settings import Settings
from frontend.sse import SSEReader, parse_json

log = logging.getLogger("frontend.backend")

# The internal gateway's HTTPRoutes send a request to an extra model's pool by this header
# (its value is the model name); without it a request goes to the primary model's pool.
MODEL_HEADER = "X-Gateway-Base-Model-Name"
# Statuses worth another try when BACKEND_MAX_RETRIES allows (as the OpenAI SDK retried).
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
RETRY_BASE_S = 0.5
RETRY_MAX_S = 8.0
# With COLD_START_SECONDS set, a 503 from a pool at zero replicas means "starting": on GKE it comes
# within about a second, from the load balancer (no backend: no dropped-reason header, a body like
# "no healthy upstream") or from llm-d's router (the header below, value NO_ENDPOINTS). Each try is
# counted by the router, which is what wakes the pool, so one try every few seconds per model keeps
# it waking: the tries are spread by full jitter, and one chat per model tries for all the others.
COLD_START_STATUS = 503
DROPPED_REASON_HEADER = "x-llm-d-request-dropped-reason"
NO_ENDPOINTS = "rejected-no-endpoints"
COLD_START_RETRY_MAX_S = 10.0
# Once a pool is found starting, what it may answer while it wakes (a router that still has no
# endpoint to schedule on, a server not ready yet): tried again within the same budget.
WAKE_STATUSES = frozenset({429, 502, 503, 504})
DETAIL_CHARS = 200
# After [DONE], how long the end of the body may take before the connection is dropped, not reused.
DRAIN_S = 1.0


Spacing = Callable[[], float]


class Starting:
    """A notice before any text: ``STARTING`` (``stream_chat`` yields it once, when the model service
    said that the model's servers are starting) or ``SLOW`` (no text for a while, cause unknown)."""

    __slots__ = ("cold",)

    def __init__(self, cold: bool) -> None:
        self.cold = cold

    def __repr__(self) -> str:
        return "STARTING" if self.cold else "SLOW"


STARTING = Starting(cold=True)
SLOW = Starting(cold=False)


class Wake:
    """A model found starting, and the one chat of this process that probes it for the others: they
    wait for ``done``, then send at once if ``go``, or else one of them takes over the probing and
    goes on with its back-off from ``attempts``."""

    __slots__ = ("attempts", "done", "go")

    def __init__(self, attempts: int = 0) -> None:
        self.done = asyncio.Event()
        self.go = False
        self.attempts = attempts

    def end(self, go: bool) -> None:
        self.go = go
        self.done.set()


_jitter = random.Random()


def cold_start_pause(attempt: int, left_s: float) -> float:
    """Full jitter: uniform up to the doubling step (capped), and never past the budget's end."""
    step = min(COLD_START_RETRY_MAX_S, RETRY_BASE_S * 2**min(attempt, 30))
    return min(_jitter.uniform(0.0, step), max(left_s, 0.0))


class GatewayClient:
    """HTTP to the gateway's ``/v1``: one aiohttp session, made on first use.

    The session belongs to the event loop that first uses it. ``CONNECT_TIMEOUT_SECONDS`` bounds
    connecting; the whole answer is bounded by the chat's own deadline (``chat.pieces_within``) and
    a listing by ``MODELS_TIMEOUT_SECONDS``, so no timer runs per network read.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.base = settings.api_base
        self.headers = {"Authorization": f"Bearer {settings.api_key}"}
        self._session: aiohttp.ClientSession | None = None
        # With COLD_START_SECONDS: per model, when a chat last got an answer, and the wake in progress.
        self._answered_at: dict[str, float] = {}
        self._wakes: dict[str, Wake] = {}

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            s = self.settings
            connector = aiohttp.TCPConnector(limit=s.max_connections, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers=self.headers,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=s.connect_timeout_s),
                json_serialize=json.dumps, raise_for_status=False)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @asynccontextmanager
    async def request(self, method: str, path: str, retry: frozenset[int] = RETRY_STATUSES,
                      **kwargs: Any) -> AsyncIterator[aiohttp.ClientResponse]:
        """A response with status 200, after up to ``BACKEND_MAX_RETRIES`` retries of connection
        failures and of the statuses in ``retry``; StatusError or Unreachable otherwise."""
        attempt = 0
        while True:
            try:
                response = await self.session().request(method, self.base + path, **kwargs)
            except TimeoutError:
                raise
            except (aiohttp.ClientError, OSError) as e:
                if attempt < self.settings.max_retries:
                    attempt = await self._pause(attempt)
                    continue
                raise Unreachable(f"{type(e).__name__}: {e}") from e
            if response.status == 200:
                break
            status = response.status
            headers = {name.lower(): value for name, value in response.headers.items()}
            detail = await self._detail(response)
            if status in retry and attempt < self.settings.max_retries:
                attempt = await self._pause(attempt)
                continue
            raise StatusError(status, detail, headers)
        try:
            yield response
        except TimeoutError:
            raise
        except (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError, OSError) as e:
            raise Unreachable(f"{type(e).__name__}: {e}") from e
        finally:
            response.release()

    @staticmethod
    async def _detail(response: aiohttp.ClientResponse) -> str:
        try:
            return (await response.text(errors="replace"))[:DETAIL_CHARS]
        except (aiohttp.ClientError, OSError):
            return ""
        finally:
            response.release()

    @staticmethod
    async def _pause(attempt: int) -> int:
        await asyncio.sleep(min(RETRY_BASE_S * 2**attempt, RETRY_MAX_S))
        return attempt + 1

    async def models(self) -> list[str]:
        """Model ids from ``/v1/models``; raises on any failure."""
        async with self.request("GET", "/models") as response:
            body = await response.read()
        try:
            return [str(m["id"]) for m in parse_json(body.strip())["data"]]
        except (ValueError, TypeError, KeyError) as e:
            raise BrokenStream(f"malformed model list: {type(e).__name__}") from None

    def stream_chat(self, model: str, messages: list[dict[str, str]], max_tokens: int, temperature: float,
                    spacing: Spacing | None = None) -> AsyncGenerator[str | Starting, None]:
        """The text of a streamed chat completion, one piece per network read.

        With ``spacing``, after each piece the stream is left unread for ``spacing()`` seconds or until
        it ends, whichever comes first: the tokens that arrived meanwhile come in one read, so the app
        wakes once per update rather than once per token, and the end still passes at once.
        With ``COLD_START_SECONDS`` set, a 503 means the model is coming up from zero replicas: see
        ``_cold_start_chat``.
        """
        body = {"model": model, "messages": messages, "max_tokens": max_tokens,
                "temperature": temperature, "stream": True}
        if self.settings.cold_start_s:
            return self._cold_start_chat(body, model, spacing)
        return self._chat_once(body, model, RETRY_STATUSES, spacing)

    async def _cold_start_chat(self, body: dict[str, Any], model: str,
                               spacing: Spacing | None) -> AsyncGenerator[str | Starting, None]:
        """Send the chat again while the model's servers are starting, yielding ``STARTING`` once,
        until they answer or ``COLD_START_SECONDS`` have passed since the chat began
        (``ColdStartTimeout``). ``BACKEND_MAX_RETRIES`` applies to the other statuses only.

        While one chat of this process probes a starting model, the others wait for it rather than
        each sending; they send when it got an answer (or a failure that is not a cold start), and
        one of them takes over when it stops without one (closed, cancelled, its budget spent).
        """
        budget_s = self.settings.cold_start_s
        give_up = time.monotonic() + budget_s
        retry = RETRY_STATUSES - {COLD_START_STATUS}
        probe: Wake | None = None
        told = False
        attempt = retries = 0
        try:
            while True:
                wake = self._wakes.get(model)
                if wake is not None and wake is not probe:
                    if not told:
                        told = True
                        yield STARTING
                    await self._wait(wake, give_up, budget_s)
                    if not wake.go:
                        if model in self._wakes:
                            continue  # another waiting chat took over
                        probe = self._probe(model, wake.attempts)
                        attempt = wake.attempts
                        await asyncio.sleep(cold_start_pause(attempt, give_up - time.monotonic()))
                        if time.monotonic() >= give_up:
                            raise ColdStartTimeout(budget_s)
                try:
                    async for piece in self._chat_once(body, model, retry, spacing, self._answered):
                        yield piece
                    return
                except StatusError as e:
                    if not ((told and e.status in WAKE_STATUSES) or self._pool_at_zero(e, model)):
                        if e.status == COLD_START_STATUS and retries < self.settings.max_retries:
                            retries = await self._pause(retries)  # as without COLD_START_SECONDS
                            continue
                        self._end(model, probe, go=True)
                        raise
                    if time.monotonic() >= give_up:
                        raise ColdStartTimeout(budget_s) from e
                except (BackendError, TimeoutError):
                    # Not a cold start (the gateway unreachable, the stream broken): the waiting chats find
                    # out for themselves at once rather than taking over one by one.
                    self._end(model, probe, go=True)
                    raise
                current = self._wakes.get(model)
                if current is None:
                    probe = self._probe(model)
                elif current is not probe:
                    continue  # another chat probes already: wait for it
                if not told:
                    told = True
                    yield STARTING
                await asyncio.sleep(cold_start_pause(attempt, give_up - time.monotonic()))
                attempt += 1
                probe.attempts = attempt
        finally:
            self._end(model, probe, go=False)

    def _pool_at_zero(self, error: StatusError, model: str) -> bool:
        """Whether a 503 says that the model has no server: the router's no-endpoints drop or a 503
        without a drop reason (the load balancer's), unless this process got an answer from the model
        less than ``IDLE_SECONDS`` ago (then the pool cannot have been scaled to zero yet). The load
        balancer's body is not matched: its wording is not documented, and a cold start taken for an
        error would not be retried, so nothing would wake the pool."""
        if error.status != COLD_START_STATUS:
            return False
        if error.headers.get(DROPPED_REASON_HEADER, NO_ENDPOINTS) != NO_ENDPOINTS:
            return False
        idle_s = self.settings.idle_s
        answered = self._answered_at.get(model)
        return not (idle_s and answered is not None and time.monotonic() - answered < idle_s)

    def _answered(self, model: str) -> None:
        """A chat for ``model`` got an answer (status 200): the chats waiting for its servers may send."""
        self._answered_at[model] = time.monotonic()
        self._end(model, self._wakes.get(model), go=True)

    def _probe(self, model: str, attempts: int = 0) -> Wake:
        """This chat probes ``model`` for the chats of this process that wait for its servers."""
        if not attempts:
            log.info("model starting", extra={"model": model, "budget_s": self.settings.cold_start_s})
        wake = self._wakes[model] = Wake(attempts)
        return wake

    def _end(self, model: str, wake: Wake | None, go: bool) -> None:
        if wake is None:
            return
        if self._wakes.get(model) is wake:
            del self._wakes[model]
        if not wake.done.is_set():
            wake.end(go)

    @staticmethod
    async def _wait(wake: Wake, give_up: float, budget_s: float) -> None:
        try:
            async with asyncio.timeout(max(give_up - time.monotonic(), 0.0)):
                await wake.done.wait()
        except TimeoutError:
            raise ColdStartTimeout(budget_s) from None

    async def _chat_once(self, body: dict[str, Any], model: str, retry: frozenset[int],
                         spacing: Spacing | None = None,
                         answered: Callable[[str], None] | None = None) -> AsyncGenerator[str, None]:
        async with self.request("POST", "/chat/completions", retry, json=body,
                                headers={MODEL_HEADER: model}) as response:
            if answered is not None:
                answered(model)
            content = response.content
            reader = SSEReader(response)
            while not reader.ended:
                _, events = await reader.read()
                pieces: list[str] = []
                for _, data in events:
                    if data == b"[DONE]":
                        if pieces:
                            yield "".join(pieces)
                        # Read to the end of the body (the chunked terminator is usually in this
                        # read or the next) so the connection goes back to the pool, not closed.
                        with contextlib.suppress(TimeoutError):
                            async with asyncio.timeout(DRAIN_S):
                                while not reader.ended:
                                    await reader.read()
                        return
                    piece = delta_text(data)
                    if piece:
                        pieces.append(piece)
                if pieces:
                    yield "".join(pieces)
                    if spacing is not None:
                        await unread_for(content, spacing())
        raise BrokenStream("the stream ended without [DONE]")


async def unread_for(content: aiohttp.StreamReader, seconds: float) -> None:
    """Return after ``seconds``, or as soon as ``content`` has all of the body (or has it already)."""
    if seconds <= 0 or content.is_eof():
        return
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    timer = loop.call_later(seconds, _resolve, done)
    content.on_eof(lambda: _resolve(done))
    try:
        await done
    finally:
        timer.cancel()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def delta_text(data: bytes) -> str:
    """The content of one chat completion chunk (an SSE event's data); "" when it has none."""
    try:
        chunk = parse_json(data)
        if "error" in chunk:
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else str(error)
            raise BrokenStream(f"error in stream: {message}")
        choices = chunk.get("choices") or []
        if not choices:
            return ""
        content = (choices[0].get("delta") or {}).get("content")
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as e:
        raise BrokenStream(f"malformed stream chunk: {type(e).__name__}") from None
    return content if isinstance(content, str) else ""


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

    def __init__(self, client: GatewayClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self._models: list[str] = []
        self._fetched_at = float("-inf")
        self._retry_at = float("-inf")
        self._backoff_s = 0.0
        self._task: asyncio.Task[None] | None = None

    async def fetch(self) -> list[str]:
        """Model ids from ``/v1/models``; raises on any failure."""
        return await self.client.models()

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
