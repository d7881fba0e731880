"""Identity-Aware Proxy check in the app itself: every request must carry IAP's signed header.

If the load balancer's IAP policy were ever detached, the chat would be public; this
ASGI middleware refuses every HTTP request (``GET /healthz`` aside: probes and the load
balancer's health check carry no header) whose ``x-goog-iap-jwt-assertion`` is not a
valid IAP token, as https://cloud.google.com/iap/docs/signed-headers-howto asks:

- ES256 signature by one of IAP's keys (``IAP_CERTS_URL``, a JSON map key id -> PEM),
- ``iss`` is ``https://cloud.google.com/iap``,
- ``aud`` is ``IAP_AUDIENCE_PREFIX`` (``/projects/NUMBER/global/backendServices/``)
  followed by a numeric backend-service id (not known before the stack is deployed),
- ``exp`` and ``iat`` hold, with a little clock skew (checked by google-auth).

Cheap per request: a verified token is remembered by its exact string until it
expires (bounded), so a streaming chat and Gradio's many small requests cost one
dictionary lookup each. Keys are fetched once off the event loop's critical path
(an async HTTP request, one at a time), refreshed after ``keys_ttl_s`` or when a
token names an unknown key, at most once every ``refresh_interval_s`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx2
from google.auth import exceptions as auth_exceptions
from google.auth import jwt
from starlette.types import ASGIApp, Receive, Scope, Send

from frontend.settings import IAP_PREFIX

log = logging.getLogger("frontend.iap")

HEADER = b"x-goog-iap-jwt-assertion"
ISSUER = "https://cloud.google.com/iap"
SERVICE_ID = re.compile(r"[0-9]+")
MAX_TOKEN_CHARS = 8192
UNAUTHORIZED_BODY = b"Unauthorized\n"


class Rejected(Exception):
    """A request's token is not acceptable; the message is for the log, never for the client."""


@dataclass(frozen=True)
class Identity:
    email: str
    subject: str
    expires: float


def valid_prefix(prefix: str) -> bool:
    return IAP_PREFIX.fullmatch(prefix) is not None


class KeySet:
    """IAP's public keys, fetched on demand, one fetch at a time, refreshed rarely."""

    def __init__(self, url: str, ttl_s: float = 3600.0, refresh_interval_s: float = 30.0,
                 timeout_s: float = 5.0) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self.refresh_interval_s = refresh_interval_s
        self.timeout_s = timeout_s
        self.keys: dict[str, str] = {}
        self.fetched_at = float("-inf")
        self.attempted_at = float("-inf")
        self.fetches = 0
        self._task: asyncio.Task[None] | None = None

    async def _fetch(self) -> None:
        self.fetches += 1
        try:
            async with httpx2.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                data = json.loads(response.content)
            if not isinstance(data, dict) or not data or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
                raise ValueError("not a JSON object of key id -> PEM")
            self.keys = dict(data)
            self.fetched_at = time.monotonic()
            log.info("IAP keys fetched", extra={"keys": len(self.keys)})
        except Exception as e:
            log.warning("IAP key fetch failed", extra={"url": self.url, "error_type": type(e).__name__})
        finally:
            self._task = None

    def _start(self) -> asyncio.Task[None]:
        if self._task is None:
            self.attempted_at = time.monotonic()
            self._task = asyncio.get_running_loop().create_task(self._fetch())
        return self._task

    def refresh_soon(self) -> None:
        """Start a fetch in the background unless one runs or ran within the refresh interval."""
        if self._task is None and time.monotonic() - self.attempted_at >= self.refresh_interval_s:
            self._start()

    async def get(self, kid: str) -> str | None:
        """The PEM key named ``kid``, fetching keys first when they are unknown (rate-limited)."""
        if time.monotonic() - self.fetched_at >= self.ttl_s:
            self.refresh_soon()
        key = self.keys.get(kid)
        if key is not None:
            return key
        if self._task is None and time.monotonic() - self.attempted_at >= self.refresh_interval_s:
            self._start()
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.keys.get(kid)


class TokenVerifier:
    def __init__(self, audience_prefix: str, keys: KeySet, clock_skew_s: int = 30,
                 cache_size: int = 10000) -> None:
        if not valid_prefix(audience_prefix):
            raise ValueError(f"invalid IAP audience prefix {audience_prefix!r}")
        self.prefix = audience_prefix
        self.keys = keys
        self.clock_skew_s = clock_skew_s
        self.cache_size = cache_size
        self._cache: dict[str, Identity] = {}

    def cached(self, token: str) -> Identity | None:
        identity = self._cache.get(token)
        if identity is not None:
            if identity.expires > time.time():
                return identity
            del self._cache[token]
        return None

    def remember(self, token: str, identity: Identity) -> None:
        if len(self._cache) >= self.cache_size:
            now = time.time()
            for t in [t for t, i in self._cache.items() if i.expires <= now]:
                del self._cache[t]
            while len(self._cache) >= self.cache_size:
                del self._cache[next(iter(self._cache))]
        self._cache[token] = identity

    async def verify(self, token: str) -> Identity:
        """The identity in ``token``; raises ``Rejected`` with the reason."""
        identity = self.cached(token)
        if identity is not None:
            return identity
        if len(token) > MAX_TOKEN_CHARS:
            raise Rejected("token too long")
        try:
            header = jwt.decode_header(token)
        except (auth_exceptions.GoogleAuthError, ValueError, TypeError) as e:
            raise Rejected(f"malformed token ({type(e).__name__})") from None
        if header.get("alg") != "ES256":
            raise Rejected(f"unexpected algorithm {str(header.get('alg'))[:20]!r}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Rejected("token names no key id")
        pem = await self.keys.get(kid)
        if pem is None:
            raise Rejected("unknown key id" if self.keys.keys else "IAP keys unavailable")
        try:
            claims = jwt.decode(token, certs={kid: pem}, clock_skew_in_seconds=self.clock_skew_s)
        except (auth_exceptions.GoogleAuthError, ValueError, TypeError) as e:
            raise Rejected(f"invalid token: {reason_of(e)}") from None
        if claims.get("iss") != ISSUER:
            raise Rejected("wrong issuer")
        aud = claims.get("aud")
        if not (isinstance(aud, str) and aud.startswith(self.prefix)
                and SERVICE_ID.fullmatch(aud[len(self.prefix):])):
            raise Rejected("wrong audience")
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            raise Rejected("invalid expiry")
        email = claims.get("email")
        identity = Identity(email if isinstance(email, str) else "", str(claims.get("sub", "")), float(exp))
        self.remember(token, identity)
        log.debug("IAP token verified", extra={"user": identity.email, "expires_in_s": round(exp - time.time())})
        return identity


def reason_of(error: Exception) -> str:
    """A short reason for the log, without the token's content."""
    text = str(error)
    for word in ("expired", "too early", "signature", "claim", "Certificate", "Unsupported", "segment"):
        if word in text:
            return {"expired": "expired", "too early": "issued in the future", "signature": "bad signature",
                    "claim": "missing iat or exp", "Certificate": "unknown key id",
                    "Unsupported": "unsupported algorithm", "segment": "malformed"}[word]
    return type(error).__name__


def header_value(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class RequireIap:
    """Pure ASGI middleware: 401 for every request without a valid IAP token, except ``GET /healthz``."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, open_paths: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.verifier = verifier
        self.open_paths = dict(open_paths or {"/healthz": "GET"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if kind == "http" and self.open_paths.get(path) == scope.get("method"):
            await self.app(scope, receive, send)
            return
        token = header_value(scope, HEADER)
        try:
            if not token:
                raise Rejected("no IAP header")
            identity = await self.verifier.verify(token.strip())
        except Rejected as e:
            log.warning("request refused", extra={"reason": str(e), "path": path[:200],
                                                  "client": (scope.get("client") or ("", 0))[0]})
            await refuse(kind, send)
            return
        scope = dict(scope, iap_email=identity.email)
        await self.app(scope, receive, send)


async def refuse(kind: str, send: Send) -> None:
    if kind == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(UNAUTHORIZED_BODY)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": UNAUTHORIZED_BODY})
