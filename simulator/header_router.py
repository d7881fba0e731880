"""A stand-in for the internal gateway's model routing: pick an upstream by ``X-Gateway-Base-Model-Name``.

The gateway's HTTPRoutes send a request whose ``X-Gateway-Base-Model-Name`` header
names an extra model to that model's pool, and everything else (no header, or a
name no route matches) to the primary model's pool. This aiohttp app does the same
in front of simulators (or any OpenAI-compatible servers): it forwards each request,
method, path, query, body and headers unchanged, to ``routes[header]`` or to
``default``, and streams the answer back as it comes. A model the chosen upstream
does not serve gets that upstream's own answer: the simulator's (and vLLM's)
``404 {"error": {"type": "NotFoundError", ...}}``. An upstream that cannot be reached
gives ``502`` with an OpenAI-style error body.

    python -m simulator.header_router --port 0 --default http://127.0.0.1:8001 \\
        --route extra/model=http://127.0.0.1:8002
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from simulator.runner import bind_loopback, running_app, start_site

MODEL_HEADER = "X-Gateway-Base-Model-Name"
# Hop-by-hop headers and those aiohttp sets itself; never copied across.
SKIP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade",
                  "proxy-connection", "te", "trailer", "content-encoding"})


@dataclass
class Router:
    routes: dict[str, str]
    default: str
    counts: Counter[str] = field(default_factory=Counter)
    session: aiohttp.ClientSession | None = None

    def upstream(self, model: str | None) -> str:
        """The base URL a request with header value ``model`` goes to."""
        return self.routes.get(model, self.default) if model else self.default


ROUTER_KEY = web.AppKey("router", Router)


def error_body(status: int, message: str, kind: str) -> web.Response:
    body = {"error": {"message": message, "type": kind, "code": status}}
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


async def forward(request: web.Request) -> web.StreamResponse:
    router = request.app[ROUTER_KEY]
    assert router.session is not None
    base = router.upstream(request.headers.get(MODEL_HEADER))
    router.counts[base] += 1
    headers = {k: v for k, v in request.headers.items() if k.lower() not in SKIP}
    body = await request.read()
    try:
        async with router.session.request(request.method, base + request.rel_url.path_qs, headers=headers,
                                          data=body or None, allow_redirects=False) as upstream:
            response = web.StreamResponse(status=upstream.status, reason=upstream.reason, headers={
                k: v for k, v in upstream.headers.items() if k.lower() not in SKIP})
            await response.prepare(request)
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
            await response.write_eof()
            return response
    except (aiohttp.ClientConnectionError, TimeoutError) as e:
        if request.transport is None or request.transport.is_closing():
            raise
        return error_body(502, f"upstream {base} failed: {type(e).__name__}", "BadGateway")


def create_router(routes: Mapping[str, str], default: str) -> web.Application:
    """``routes``: model name -> upstream base URL (``http://host:port``, no ``/v1``); ``default``: the rest."""
    router = Router({k: v.rstrip("/") for k, v in routes.items()}, default.rstrip("/"))
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[ROUTER_KEY] = router

    async def session(app: web.Application) -> AsyncIterator[None]:
        connector = aiohttp.TCPConnector(limit=0)
        router.session = aiohttp.ClientSession(connector=connector, auto_decompress=False,
                                               timeout=aiohttp.ClientTimeout(total=None, connect=10))
        yield
        await router.session.close()

    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


@contextmanager
def running_router(routes: Mapping[str, str], default: str) -> Iterator[str]:
    """Serve ``create_router(routes, default)`` on a free loopback port; yield ``http://127.0.0.1:PORT``."""
    with running_app(lambda: create_router(routes, default), name="header-router") as url:
        yield url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m simulator.header_router", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--default", required=True, help="upstream base URL for requests without a matching header")
    p.add_argument("--route", action="append", default=[], metavar="MODEL=URL",
                   help="upstream base URL for requests whose header names MODEL (repeatable)")
    return p.parse_args(argv)


async def serve(routes: dict[str, str], default: str, host: str, port: int) -> None:
    sock = bind_loopback(host, port)
    runner = await start_site(create_router(routes, default), sock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"header router on http://{host}:{sock.getsockname()[1]} (default {default}; "
          f"{', '.join(f'{k} -> {v}' for k, v in routes.items()) or 'no routes'})", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        sock.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    routes = {}
    for item in args.route:
        name, sep, url = item.partition("=")
        if not sep or not name or not url:
            print(f"error: --route wants MODEL=URL, got {item!r}", file=sys.stderr)
            return 2
        routes[name] = url
    asyncio.run(serve(routes, args.default, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
