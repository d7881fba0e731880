"""IAP authentication: a JWT for the stress-test service account, signed by the IAM Credentials API.

The caller's Application Default Credentials (a user login or a workload identity that holds
``roles/iam.serviceAccountTokenCreator`` on the stress-test service account) ask
``iamcredentials.googleapis.com`` to sign the claims with the service account's Google-managed
key (``signJwt``); IAP accepts such a JWT in ``Authorization: Bearer``. Claims: ``iss`` = ``sub`` =
the service account's email, ``aud`` = the URL being called, ``iat`` now and ``exp`` at most one
hour later. IAP accepts an ``aud`` ending in ``/*`` for every path under it, so the default
audience is ``https://<host>/*``: one token covers both the POST and the event-stream GET of a
Gradio call. Tokens are re-signed ``refresh_margin`` seconds before they expire, and never printed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from loadtest.result import AUTH
from loadtest.targets.base import RequestFailed

IAM_CREDENTIALS_URL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{email}:signJwt"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
MAX_LIFETIME_S = 3600


class JwtSigner(Protocol):
    """Turns a claim set into a signed JWT (blocking; called from a worker thread)."""

    def sign(self, claims: dict[str, Any]) -> str: ...


class IamCredentialsSigner:
    """Signs with ``projects/-/serviceAccounts/{email}:signJwt`` through google-auth."""

    def __init__(self, email: str, session: Any = None, timeout_s: float = 30.0) -> None:
        self.url = IAM_CREDENTIALS_URL.format(email=email)
        self.timeout_s = timeout_s
        if session is None:
            import google.auth
            from google.auth.transport.requests import AuthorizedSession

            credentials, _ = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
            session = AuthorizedSession(credentials)
        self.session = session

    def sign(self, claims: dict[str, Any]) -> str:
        resp = self.session.post(self.url, json={"payload": json.dumps(claims)}, timeout=self.timeout_s)
        if resp.status_code != 200:
            raise RuntimeError(f"signJwt answered HTTP {resp.status_code}: {resp.text[:300]}")
        token = resp.json().get("signedJwt")
        if not isinstance(token, str) or token.count(".") != 2:
            raise RuntimeError("signJwt answer has no signedJwt")
        return token


def default_audience(url: str) -> str:
    """``https://host/*``: IAP's wildcard audience for every path of the app."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}/*"


def iap_claims(email: str, audience: str, now: float, lifetime_s: int) -> dict[str, Any]:
    issued = int(now)
    return {"iss": email, "sub": email, "aud": audience, "iat": issued, "exp": issued + lifetime_s}


class TokenSource:
    """Bearer headers for IAP, re-signed before expiry; safe to share between concurrent users."""

    def __init__(
        self,
        signer: JwtSigner,
        email: str,
        audience: str,
        lifetime_s: int = MAX_LIFETIME_S,
        refresh_margin_s: int = 300,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not 0 < lifetime_s <= MAX_LIFETIME_S:
            raise ValueError(f"token lifetime must be in (0, {MAX_LIFETIME_S}] seconds")
        if not 0 <= refresh_margin_s < lifetime_s:
            raise ValueError("refresh margin must be shorter than the lifetime")
        self.signer = signer
        self.email = email
        self.audience = audience
        self.lifetime_s = lifetime_s
        self.refresh_margin_s = refresh_margin_s
        self.clock = clock
        self.signed = 0
        self._headers: dict[str, str] = {}
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"TokenSource(email={self.email!r}, audience={self.audience!r}, signed={self.signed})"

    def _fresh(self) -> bool:
        return bool(self._headers) and self.clock() < self._expires - self.refresh_margin_s

    async def headers(self) -> dict[str, str]:
        if self._fresh():
            return self._headers
        async with self._lock:
            if not self._fresh():
                claims = iap_claims(self.email, self.audience, self.clock(), self.lifetime_s)
                try:
                    token = await asyncio.to_thread(self.signer.sign, claims)
                except Exception as exc:  # the kind and message are kept in the report
                    raise RequestFailed(AUTH, f"{type(exc).__name__}: {exc}") from exc
                self._headers = {"Authorization": f"Bearer {token}"}
                self._expires = float(claims["exp"])
                self.signed += 1
        return self._headers
