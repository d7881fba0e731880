"""Run a simulator in-process, on a background thread, for tests and tools."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

from simulator.config import SimulatorConfig
from simulator.server import create_app

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def bind_loopback(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def start_site(app: web.Application, sock: socket.socket) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner


@contextmanager
def running_simulator(config: SimulatorConfig | None = None) -> Iterator[str]:
    """Serve ``config`` on 127.0.0.1 on a free port; yield ``http://127.0.0.1:PORT``.

    The server runs its own event loop on a daemon thread and is stopped on exit.
    """
    config = config or SimulatorConfig()
    with running_app(lambda: create_app(config)) as url:
        yield url


@contextmanager
def running_app(make_app: Callable[[], web.Application], name: str = "simulator") -> Iterator[str]:
    """Serve the aiohttp app ``make_app()`` (built on its own thread's loop) on a free loopback port."""
    sock = bind_loopback()
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runners: list[web.AppRunner] = []
    errors: list[BaseException] = []

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            runners.append(loop.run_until_complete(start_site(make_app(), sock)))
        except BaseException as e:  # reported to the caller below
            errors.append(e)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runners[0].cleanup())
        loop.close()

    thread = threading.Thread(target=serve, name=f"{name}-{port}", daemon=True)
    thread.start()
    if not ready.wait(START_TIMEOUT_S) or errors:
        sock.close()
        raise RuntimeError(f"{name} did not start: {errors[0] if errors else 'timeout'}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(STOP_TIMEOUT_S)
        sock.close()
