"""The app's own IAP check: signed header verified on every request but GET /healthz."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from starlette.types import Message, Receive, Scope, Send

from frontend.bench.client import queued_chat
from frontend.devserver import running_apps
from frontend.iap import KeySet, RequireIap, TokenVerifier
from frontend.settings import Settings
from frontend.tests.iap_stub import AUDIENCE, PREFIX, KeyServer, Signer, serving_keys
from simulator import SimulatorConfig, running_simulator

SIGNER = Signer("key-1")
OTHER = Signer("key-1")  # same key id, another key: a forgery
STRANGER = Signer("key-unknown")


@pytest.fixture(scope="module")
def keys() -> Iterator[KeyServer]:
    with serving_keys(SIGNER) as server:
        yield server


async def ok_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope.get("iap_email", "").encode()})


def middleware(url: str, **key_options: Any) -> RequireIap:
    return RequireIap(ok_app, TokenVerifier(PREFIX, KeySet(url, **key_options)))


async def request(app: RequireIap, token: str | None = None, path: str = "/", method: str = "GET",
                  extra: list[tuple[bytes, bytes]] | None = None) -> tuple[int, bytes]:
    headers = [(b"x-goog-iap-jwt-assertion", token.encode())] if token is not None else []
    scope = {"type": "http", "method": method, "path": path, "headers": headers + (extra or []),
             "client": ("127.0.0.1", 1)}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


def status_of(url: str, token: str | None, **kw: Any) -> int:
    return asyncio.run(request(middleware(url), token, **kw))[0]


def test_valid_token_passes_and_names_the_user(keys: KeyServer) -> None:
    assert asyncio.run(request(middleware(keys.url), SIGNER.token())) == (200, b"someone@example.com")


@pytest.mark.parametrize("token", [
    OTHER.token(),                                             # forged: signed by another key
    SIGNER.token(exp=int(time.time()) - 3600, iat=int(time.time()) - 4200),   # expired
    SIGNER.token(iat=int(time.time()) + 3600),                 # issued in the future
    SIGNER.token(iss="https://accounts.google.com"),           # wrong issuer
    SIGNER.token(iss=None),                                    # no issuer
    SIGNER.token(aud="/projects/999/global/backendServices/987654321"),   # another project
    SIGNER.token(aud=PREFIX),                                  # no backend service id
    SIGNER.token(aud=PREFIX + "12x"),                          # not a numeric id
    SIGNER.token(aud=PREFIX + "1/2"),
    SIGNER.token(aud="x" + AUDIENCE),
    SIGNER.token(aud=[AUDIENCE]),
    SIGNER.token(exp=None),                                    # no expiry
    STRANGER.token(),                                          # unknown key id
    "",                                                        # empty header
    "not-a-jwt",                                               # malformed
    "a.b.c",
    SIGNER.token()[:-8],                                       # truncated signature
    SIGNER.token().rsplit(".", 1)[0] + ".",                    # no signature
])
def test_bad_tokens_get_401(keys: KeyServer, token: str) -> None:
    status, body = asyncio.run(request(middleware(keys.url), token))
    assert (status, body) == (401, b"Unauthorized\n")


def test_unsigned_and_rs256_tokens_get_401(keys: KeyServer) -> None:
    import base64
    import json

    def seg(d: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    good = SIGNER.token()
    payload = good.split(".")[1]
    for alg in ("none", "RS256", "HS256"):
        forged = f"{seg({'alg': alg, 'kid': 'key-1', 'typ': 'JWT'})}.{payload}.{good.split('.')[2]}"
        assert status_of(keys.url, forged) == 401


def test_missing_header_gets_401_but_healthz_does_not(keys: KeyServer) -> None:
    assert status_of(keys.url, None) == 401
    assert status_of(keys.url, None, path="/healthz") == 200
    assert status_of(keys.url, None, path="/healthz", method="POST") == 401
    assert status_of(keys.url, None, path="/healthz/") == 401
    unverified = [(b"x-goog-authenticated-user-email", b"accounts.google.com:someone@example.com")]
    assert asyncio.run(request(middleware(keys.url), None, extra=unverified))[0] == 401


def test_keys_are_fetched_once_and_unknown_kids_cannot_hammer_the_key_server() -> None:
    with serving_keys(SIGNER) as server:
        app = middleware(server.url, refresh_interval_s=60)

        async def go() -> list[int]:
            good = [request(app, SIGNER.token(sub=str(i))) for i in range(20)]
            bad = [request(app, STRANGER.token(sub=str(i))) for i in range(50)]
            statuses = [status for status, _ in await asyncio.gather(*good, *bad)]
            for i in range(50):
                statuses.append((await request(app, STRANGER.token(sub=f"later {i}")))[0])
            return statuses

        statuses = asyncio.run(go())
    assert statuses == [200] * 20 + [401] * 100
    assert server.fetches == 1


def test_an_unknown_kid_refreshes_the_keys_after_the_interval() -> None:
    with serving_keys(SIGNER) as server:
        app = middleware(server.url, refresh_interval_s=0.2)

        async def go() -> list[int]:
            first = await request(app, SIGNER.token())
            server.keys[STRANGER.kid] = STRANGER.public_pem  # key rotation
            early = await request(app, STRANGER.token())
            await asyncio.sleep(0.3)
            late = await request(app, STRANGER.token())
            return [first[0], early[0], late[0]]

        assert asyncio.run(go()) == [200, 401, 200]
        assert server.fetches == 2


def test_verified_tokens_are_cached_until_they_expire(keys: KeyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    app = middleware(keys.url)
    app.verifier.clock_skew_s = 0
    token = SIGNER.token(exp=int(time.time()) + 2)
    assert status_of_app(app, token) == 200
    calls: list[str] = []
    import frontend.iap

    original = frontend.iap.jwt.decode
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("x")
        return original(*args, **kwargs)

    monkeypatch.setattr(frontend.iap.jwt, "decode", counted)
    assert status_of_app(app, token) == 200
    assert calls == []
    time.sleep(max(0.0, int(time.time()) + 3 - time.time()))
    assert status_of_app(app, token) == 401
    assert calls == ["x"]


def status_of_app(app: RequireIap, token: str) -> int:
    return asyncio.run(request(app, token))[0]


def test_cache_is_bounded(keys: KeyServer) -> None:
    app = middleware(keys.url)
    app.verifier.cache_size = 5
    tokens = [SIGNER.token(sub=str(i)) for i in range(12)]
    for t in tokens:
        assert status_of_app(app, t) == 200
    assert len(app.verifier._cache) <= 5


def test_key_server_down_refuses_at_once() -> None:
    app = middleware("http://127.0.0.1:9/none", timeout_s=1)
    start = time.monotonic()
    assert status_of_app(app, SIGNER.token()) == 401
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("env", [{}, {"IAP_REQUIRED": "true"}, {"IAP_AUDIENCE_PREFIX": "/projects/x/global/"},
                                 {"IAP_AUDIENCE_PREFIX": "/projects/123/global/backendServices/1",
                                  "IAP_REQUIRED": "false"}])
def test_settings_refuse_a_missing_or_malformed_prefix(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="IAP_AUDIENCE_PREFIX"):
        Settings.from_env(env)


def test_settings_accept_a_prefix_or_an_explicit_opt_out() -> None:
    assert Settings.from_env({"IAP_AUDIENCE_PREFIX": PREFIX}).iap_enabled
    assert not Settings.from_env({"IAP_REQUIRED": "false"}).iap_enabled


def test_app_refuses_to_start_without_a_prefix() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IAP_")}
    env.update(HOST="127.0.0.1", PORT="0")
    proc = subprocess.run([sys.executable, "-m", "frontend"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert "IAP_AUDIENCE_PREFIX" in proc.stderr and "IAP_REQUIRED=false" in proc.stderr


def test_the_running_app_requires_iap(artifacts: Path) -> None:
    with serving_keys(SIGNER) as server, running_simulator(SimulatorConfig(ttft_ms=0, itl_ms=0)) as sim:
        env = {"IAP_REQUIRED": "true", "IAP_AUDIENCE_PREFIX": PREFIX, "IAP_CERTS_URL": server.url,
               "DEFAULT_MODEL": "Qwen/Qwen3-0.6B", "LOG_LEVEL": "WARNING"}
        with running_apps({"iap": (sim, env)}, log_dir=artifacts) as children:
            url = children["iap"].url

            def get(path: str, token: str | None) -> int:
                headers = {"x-goog-iap-jwt-assertion": token} if token else {}
                try:
                    with urllib.request.urlopen(urllib.request.Request(url + path, headers=headers),
                                                timeout=10) as r:
                        return int(r.status)
                except urllib.error.HTTPError as e:
                    return int(e.code)

            assert get("/healthz", None) == 200
            assert get("/", None) == 401
            assert get("/gradio_api/info", OTHER.token()) == 401
            assert get("/", SIGNER.token()) == 200

            async def chat(token: str) -> Any:
                async with aiohttp.ClientSession(headers={"x-goog-iap-jwt-assertion": token}) as session:
                    return await queued_chat(session, url, ["hello"], 30)

            assert asyncio.run(chat(SIGNER.token())).answer.startswith("[sim] received 1 message;")
            refused = STRANGER.token()
            assert "401" in asyncio.run(chat(refused)).error
        log = (artifacts / "app-iap.log").read_text()
        assert "request refused" in log and "unknown key id" in log
        assert refused.split(".")[2] not in log and refused.split(".")[1] not in log
