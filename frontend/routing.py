"""Send the scripted ``chat`` API to a lean Gradio app of its own, at the same public paths.

Gradio builds a per-session copy of every component's configuration for each new
API session; the chat page has a few dozen components, the API app one. Calls to
``/gradio_api/call/chat[/...]`` are rewritten to the lean app mounted at ``mount``;
everything else, the page and ``/gradio_api/info`` included, goes to the main app,
which also knows the ``chat`` endpoint (for ``gradio_client``).

Gradio's one-shot ``/gradio_api/run/chat`` (and its older alias ``/gradio_api/api/chat``)
answers a streaming endpoint with its first output only; those go to ``whole``, an
endpoint of the lean app that returns the complete answer.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class RouteApi:
    def __init__(self, app: ASGIApp, prefix: str, name: str, mount: str, whole: str = "") -> None:
        self.app = app
        self.mount = mount
        self.call_root = f"{prefix}/call/{name}"
        self.one_shot = {f"{prefix}/{kind}/{name}{end}": f"{mount}{prefix}/run/{whole or name}{end}"
                         for kind in ("run", "api") for end in ("", "/")}

    def route(self, path: str) -> str:
        if path == self.call_root or path.startswith(self.call_root + "/"):
            return self.mount + path
        return self.one_shot.get(path, path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            routed = self.route(path)
            if routed != path:
                scope = dict(scope, path=routed, raw_path=routed.encode())
        await self.app(scope, receive, send)
