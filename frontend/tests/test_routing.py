import asyncio
from typing import Any

from frontend.routing import RouteApi


def test_only_the_chat_api_is_routed() -> None:
    route = RouteApi(lambda s, r, w: None, prefix="/gradio_api", name="chat", mount="/_api",  # type: ignore[arg-type, return-value]
                     whole="chat_whole")
    for path in ("/gradio_api/call/chat", "/gradio_api/call/chat/abc123"):
        assert route.route(path) == "/_api" + path
    for path in ("/gradio_api/run/chat", "/gradio_api/api/chat", "/gradio_api/run/chat/"):
        assert route.route(path) == "/_api/gradio_api/run/chat_whole" + ("/" if path.endswith("/") else "")
    for path in ("/gradio_api/call/chat_page", "/gradio_api/info", "/", "/gradio_api/queue/join",
                 "/gradio_api/run/chat/x"):
        assert route.route(path) == path


def test_rewrites_path_and_raw_path() -> None:
    seen: list[dict[str, Any]] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    route = RouteApi(inner, prefix="/gradio_api", name="chat", mount="/_api")
    asyncio.run(route({"type": "http", "path": "/gradio_api/call/chat/e1"}, None, None))  # type: ignore[arg-type]
    asyncio.run(route({"type": "http", "path": "/healthz"}, None, None))  # type: ignore[arg-type]
    assert seen[0]["path"] == "/_api/gradio_api/call/chat/e1"
    assert seen[0]["raw_path"] == b"/_api/gradio_api/call/chat/e1"
    assert seen[1]["path"] == "/healthz"
