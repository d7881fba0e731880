"""The aiohttp application: OpenAI-compatible endpoints, health and vLLM-named metrics."""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
from typing import Any

from aiohttp import web

from simulator import text
from simulator.config import SimulatorConfig
from simulator.metrics import Metrics, ModelMetrics
from simulator.wire import Job, Stream, error_response, full_body, usage_of

log = logging.getLogger("simulator")

SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
DONE = b"data: [DONE]\n\n"
# What llm-d's router (Endpoint Picker with flow control) answers when its queue TTL expires while
# the pool has no ready model server, e.g. during a scale from zero.
DROPPED_REASON_HEADER = "x-llm-d-request-dropped-reason"
NO_ENDPOINTS = "rejected-no-endpoints"
# What GKE's load balancer answers, at once, while the pool has no backend at all.
NO_HEALTHY_UPSTREAM = "no healthy upstream"


class BadRequest(Exception):
    def __init__(self, status: int, message: str, kind: str = "BadRequestError") -> None:
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind


class SimulatorState:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.metrics = Metrics(config.models)
        self.rng = random.Random(config.seed)
        self.ids = itertools.count(1)
        self.kv_tokens = 0
        self.gate = asyncio.Semaphore(config.max_running) if config.max_running else None
        self.created = int(time.time())
        self.ready_at = time.monotonic() + config.cold_start_seconds

    def draw_fault(self) -> str | None:
        c = self.config
        if not (c.error_rate or c.timeout_rate or c.drop_rate):
            return None
        r = self.rng.random()
        if r < c.error_rate:
            return "error"
        if r < c.error_rate + c.timeout_rate:
            return "timeout"
        if r < c.error_rate + c.timeout_rate + c.drop_rate:
            return "drop"
        return None


STATE_KEY = web.AppKey("state", SimulatorState)


def parse_job(body: Any, chat: bool, config: SimulatorConfig) -> Job:
    if not isinstance(body, dict):
        raise BadRequest(400, "request body must be a JSON object")
    model = body.get("model") or config.models[0]
    if model not in config.models:
        raise BadRequest(404, f"The model `{model}` does not exist.", "NotFoundError")
    if chat:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise BadRequest(400, "`messages` must be a non-empty list")
        prompt_tokens = text.chat_prompt_tokens(messages)
        header = text.chat_header(len(messages))
    else:
        if "prompt" not in body:
            raise BadRequest(400, "`prompt` is required")
        prompt_tokens = text.completion_prompt_tokens(body["prompt"])
        header = text.completion_header(prompt_tokens)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    length = config.output_tokens
    if limit is not None:
        if not isinstance(limit, int) or limit < 1:
            raise BadRequest(400, "max_tokens must be a positive integer")
        length = min(length, limit)
    options = body.get("stream_options") or {}
    return Job(
        chat=chat, model=model, stream=bool(body.get("stream")),
        include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
        prompt_tokens=prompt_tokens, tokens=text.reply_tokens(header, length),
        truncated=length < config.output_tokens,
    )


async def sleep_until(loop: asyncio.AbstractEventLoop, deadline: float) -> None:
    delay = deadline - loop.time()
    if delay > 0:
        await asyncio.sleep(delay)


async def run_job(request: web.Request, state: SimulatorState, job: Job, drop: bool) -> web.StreamResponse:
    cfg, m = state.config, state.metrics.models[job.model]
    loop = asyncio.get_running_loop()
    start = loop.time()
    created = int(time.time())
    rid = f"{'chatcmpl' if job.chat else 'cmpl'}-{next(state.ids):x}"
    finish = "length" if job.truncated else "stop"
    ttft, itl = cfg.ttft_ms / 1000.0, cfg.itl_ms / 1000.0
    n = len(job.tokens)
    if not job.stream:
        await sleep_until(loop, start + ttft + itl * (n - 1))
        if drop:
            abort(request)
            raise asyncio.CancelledError
        record(m, job, ttft, itl, loop.time() - start, finish)
        return web.json_response(full_body(job, rid, created, finish))
    resp = web.StreamResponse(headers=SSE_HEADERS)
    await resp.prepare(request)
    out = Stream(job, rid, created)
    await resp.write(out.chunk(None))
    first = 0.0
    for i, tok in enumerate(job.tokens):
        await sleep_until(loop, start + ttft + itl * i)
        await resp.write(out.chunk(tok))
        if i == 0:
            first = loop.time() - start
            if drop:
                abort(request)
                raise asyncio.CancelledError
    await resp.write(out.chunk(None, finish))
    if job.include_usage:
        await resp.write(out.usage_chunk(usage_of(job)))
    await resp.write(DONE)
    total = loop.time() - start
    record(m, job, first, (total - first) / (n - 1) if n > 1 else 0.0, total, finish)
    await resp.write_eof()
    return resp


def abort(request: web.Request) -> None:
    if request.transport is not None:
        request.transport.abort()


def record(m: ModelMetrics, job: Job, ttft: float, itl: float, total: float, finish: str) -> None:
    n = len(job.tokens)
    m.ttft.observe(ttft)
    for _ in range(n - 1):
        m.itl.observe(itl)
    if n > 1:
        m.tpot.observe(itl)
    m.e2e.observe(total)
    m.prompt_tokens.inc(job.prompt_tokens)
    m.prefix_queries.inc(job.prompt_tokens)
    m.generation_tokens.inc(n)
    m.prompt_hist.observe(job.prompt_tokens)
    m.generation_hist.observe(n)
    (m.success_length if finish == "length" else m.success_stop).inc()


async def servers_ready(state: SimulatorState) -> bool:
    """Whether a server is ready, during a cold start as the front of the pool sees it: the router's
    flow-control queue holds a request until a server is ready (True) or the queue TTL expires first
    (False); the load balancer does not hold it."""
    wait = state.ready_at - time.monotonic()
    if wait <= 0:
        return True
    if state.config.cold_start_style == "load-balancer":
        return False
    ttl = state.config.cold_start_ttl_seconds
    await asyncio.sleep(min(wait, ttl))
    return wait <= ttl


def no_endpoints_response() -> web.Response:
    response = error_response(503, "no ready endpoints: the model's servers are starting", "ServiceUnavailable")
    response.headers[DROPPED_REASON_HEADER] = NO_ENDPOINTS
    return response


async def generate(request: web.Request, chat: bool) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    try:
        body = await request.json()
    except ValueError:
        return error_response(400, "request body is not valid JSON", "BadRequestError")
    try:
        job = parse_job(body, chat, state.config)
    except BadRequest as e:
        return error_response(e.status, e.message, e.kind)
    if state.config.cold_start_seconds and not await servers_ready(state):
        if state.config.cold_start_style == "load-balancer":
            return web.Response(status=503, text=NO_HEALTHY_UPSTREAM)
        return no_endpoints_response()
    fault = state.draw_fault()
    log.debug("request model=%s stream=%s fault=%s", job.model, job.stream, fault)
    if fault == "error":
        status = state.config.error_status
        return error_response(status, f"simulated error (status {status})", "SimulatedError")
    if fault == "timeout":
        await asyncio.sleep(state.config.hang_seconds)
    m = state.metrics.models[job.model]
    if state.gate is not None:
        m.waiting.inc()
        try:
            await state.gate.acquire()
        finally:
            m.waiting.dec()
    kv = job.prompt_tokens + len(job.tokens)
    state.kv_tokens += kv
    m.running.inc()
    m.kv_usage.set(min(1.0, state.kv_tokens / state.config.kv_cache_tokens))
    try:
        return await run_job(request, state, job, fault == "drop")
    except (asyncio.CancelledError, ConnectionResetError):
        m.success_abort.inc()
        raise
    finally:
        m.running.dec()
        state.kv_tokens -= kv
        m.kv_usage.set(min(1.0, state.kv_tokens / state.config.kv_cache_tokens))
        if state.gate is not None:
            state.gate.release()


async def chat_completions(request: web.Request) -> web.StreamResponse:
    return await generate(request, chat=True)


async def completions(request: web.Request) -> web.StreamResponse:
    return await generate(request, chat=False)


async def list_models(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    data = [{"id": name, "object": "model", "created": state.created, "owned_by": "simulator",
             "root": name, "parent": None} for name in state.config.models]
    return web.json_response({"object": "list", "data": data})


async def health(request: web.Request) -> web.Response:
    return web.Response(status=200)


async def metrics(request: web.Request) -> web.Response:
    body = request.app[STATE_KEY].metrics.render()
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})


def create_app(config: SimulatorConfig) -> web.Application:
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[STATE_KEY] = SimulatorState(config)
    app.router.add_get("/v1/models", list_models)
    app.router.add_post("/v1/chat/completions", chat_completions)
    app.router.add_post("/v1/completions", completions)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app
