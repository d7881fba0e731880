"""Send the scripted ``chat`` API to a lean Gradio app of its own, at the same public paths.

Gradio builds a per-session copy of every component's configuration for each new
API session; the chat page has a few dozen components, the API app one. Calls to
``/gradio_api/{call,run}/chat[/...]`` are rewritten to the lean app mounted at
``mount``; everything else, the page and ``/gradio_api/info`` included, goes to the
main app, which also knows the ``chat`` endpoint (for ``gradio_client``).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class RouteApi:
    def __init__(self, app: ASGIApp, prefix: str, name: str, mount: str) -> None:
        self.app = app
        self.mount = mount
        self.roots = tuple(f"{prefix}/{kind}/{name}" for kind in ("call", "run"))

    def routed(self, path: str) -> bool:
        return any(path == root or path.startswith(root + "/") for root in self.roots)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and self.routed(path):
            scope = dict(scope, path=self.mount + path, raw_path=(self.mount + path).encode())
        await self.app(scope, receive, send)
