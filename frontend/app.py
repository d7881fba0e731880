"""The ASGI application: the Gradio page at ``/``, its API under ``/gradio_api`` and ``/healthz``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from frontend.backend import GatewayClient, ModelCatalog
from frontend.chat import ChatService
from frontend.chatapi import ChatApi, DirectChat
from frontend.iap import KeySet, RequireIap, TokenVerifier
from frontend.padding import PadInputs
from frontend.routing import RouteApi
from frontend.settings import Settings
from frontend.ui import WHOLE_ANSWER, build_api, build_ui

log = logging.getLogger("frontend")
API_PREFIX = "/gradio_api"
API_MOUNT = "/_api"
# System fonts, so that browsers fetch nothing from outside the app.
THEME = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                          font_mono=["ui-monospace", "monospace"])


def create_app(settings: Settings) -> ASGIApp:
    settings.check()
    client = GatewayClient(settings)
    service = ChatService(settings, client, ModelCatalog(client, settings))
    demo = with_queue(build_ui(service), settings)
    api = with_queue(build_api(service), settings)
    verifier = iap_verifier(settings)
    direct = DirectChat(service, prefix=API_PREFIX, defaults=chat_defaults(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if verifier is not None:
            verifier.keys.refresh_soon()
        yield
        await direct.aclose()
        await client.close()

    app = FastAPI(title=settings.title, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    common = {"ssr_mode": False, "show_error": True, "server_name": settings.host, "server_port": settings.port}
    app = gr.mount_gradio_app(app, api, path=API_MOUNT, footer_links=[], **common)
    app = gr.mount_gradio_app(app, demo, path="", theme=THEME, footer_links=["api"], **common)
    defaults = chat_defaults(settings)
    app.add_middleware(PadInputs, prefix=API_MOUNT + API_PREFIX, endpoints={"chat": defaults, WHOLE_ANSWER: defaults})
    app.add_middleware(RouteApi, prefix=API_PREFIX, name="chat", mount=API_MOUNT, whole=WHOLE_ANSWER)
    outer: ASGIApp = app
    if settings.chat_api_direct:
        # The scripted API's queued and one-shot routes, answered without Gradio's queue (see
        # chatapi.py); with CHAT_API_DIRECT=false they reach the lean Gradio app through RouteApi.
        # Outside FastAPI, so a chat's requests and streamed events skip its per-request and
        # per-message middleware (error page, telemetry, body limit hooks), which serves none of them.
        outer = ChatApi(app, chats=direct)
    if verifier is not None:
        outer = RequireIap(outer, verifier=verifier)  # outermost: before anything reads the request
    else:
        log.warning("IAP verification is off (IAP_REQUIRED=false and no IAP_AUDIENCE_PREFIX): "
                    "every request is served without checking who sent it")
    return outer


def iap_verifier(settings: Settings) -> TokenVerifier | None:
    if not settings.iap_enabled:
        return None
    keys = KeySet(settings.iap_certs_url, ttl_s=settings.iap_keys_ttl_s)
    return TokenVerifier(settings.iap_audience_prefix, keys)


def with_queue(blocks: gr.Blocks, settings: Settings) -> gr.Blocks:
    # Gradio runs at most ``max_threads`` queued jobs at once (40 unless raised), whatever
    # the concurrency limit says; it must be set before the queue is created.
    blocks.max_threads = max(40, settings.queue_concurrency)
    # Queue positions go out every ``queue_status_s`` seconds instead of to every waiting
    # chat each time one starts, which costs quadratic work once chats wait.
    blocks.queue(default_concurrency_limit=settings.queue_concurrency,
                 max_size=settings.queue_max_size or None, status_update_rate=settings.queue_status_s)
    # Gradio's queue loop polls for work every millisecond, busy or idle (two apps: 2000
    # wake-ups a second); a few milliseconds cost little latency and a share of the CPU.
    blocks._queue.sleep_when_free = settings.queue_poll_s
    return blocks


def chat_defaults(settings: Settings) -> list[object]:
    """Defaults of the ``chat`` endpoint's inputs: message, history, model, max_tokens, temperature."""
    return ["", [], "", settings.default_max_tokens, settings.default_temperature]
