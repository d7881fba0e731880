"""Helpers for the frontend tests: an in-process chat service and async collection."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TypeVar

from frontend.backend import GatewayClient, ModelCatalog
from frontend.chat import ChatService
from frontend.settings import Settings

T = TypeVar("T")


def service_for(base_url: str, **overrides: Any) -> ChatService:
    settings = Settings(gateway_url=base_url, default_model=overrides.pop("default_model", ""), **overrides)
    client = GatewayClient(settings)
    return ChatService(settings, client, ModelCatalog(client, settings))


def run(make: Callable[[], Coroutine[Any, Any, T]], service: ChatService | None = None) -> T:
    """Run one coroutine on a fresh event loop; close ``service``'s client there afterwards."""

    async def go() -> T:
        try:
            return await make()
        finally:
            if service is not None:
                await service.aclose()

    return asyncio.run(go())


async def collect(stream: AsyncIterator[str]) -> list[str]:
    return [item async for item in stream]


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
