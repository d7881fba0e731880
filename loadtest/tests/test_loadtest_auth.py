"""IAP JWTs: claims, refresh before expiry, signJwt request shape, and use through the Gradio path."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from loadtest.auth import IamCredentialsSigner, TokenSource, default_audience, iap_claims
from loadtest.result import AUTH
from loadtest.runner import StartError, TargetConfig
from loadtest.targets import RequestFailed
from loadtest.tests.helpers import FakeGradio, FakeSigner, jwt_claims, run_load, serve_app
from loadtest.workload import WorkloadConfig

SA = "stress-test@example-project.iam.gserviceaccount.com"
AUD = "https://chat.example.com/*"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_claims_name_the_service_account_and_audience() -> None:
    claims = iap_claims(SA, AUD, now=1_700_000_000.7, lifetime_s=3600)
    assert claims == {"iss": SA, "sub": SA, "aud": AUD, "iat": 1_700_000_000, "exp": 1_700_003_600}


def test_default_audience_is_the_host_wildcard() -> None:
    assert default_audience("https://chat.example.com/some/path?q=1") == "https://chat.example.com/*"
    assert default_audience("http://127.0.0.1:7860") == "http://127.0.0.1:7860/*"
    with pytest.raises(ValueError):
        default_audience("chat.example.com")


def test_token_is_cached_then_refreshed_before_expiry() -> None:
    signer, clock = FakeSigner(), Clock(1_000_000.0)
    source = TokenSource(signer, SA, AUD, lifetime_s=3600, refresh_margin_s=300, clock=clock)

    async def scenario() -> list[dict[str, str]]:
        first = await source.headers()
        clock.now += 3299  # 301 s left: still fresh
        second = await source.headers()
        clock.now += 2  # 299 s left: inside the margin, re-signed
        third = await source.headers()
        return [first, second, third]

    first, second, third = asyncio.run(scenario())
    assert first is second
    assert third != first
    assert len(signer.claims) == 2
    assert signer.claims[1]["iat"] == 1_003_301
    for claims in signer.claims:
        assert claims["iss"] == claims["sub"] == SA and claims["aud"] == AUD
        assert 0 < claims["exp"] - claims["iat"] <= 3600
    token = third["Authorization"].removeprefix("Bearer ")
    assert jwt_claims(token) == signer.claims[1]
    assert token not in repr(source)


def test_concurrent_users_share_one_signing() -> None:
    signer = FakeSigner()
    source = TokenSource(signer, SA, AUD)

    async def many() -> list[dict[str, str]]:
        return await asyncio.gather(*(source.headers() for _ in range(50)))

    headers = asyncio.run(many())
    assert len(signer.claims) == 1
    assert all(h == headers[0] for h in headers)


def test_lifetime_over_an_hour_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenSource(FakeSigner(), SA, AUD, lifetime_s=3601)
    with pytest.raises(ValueError):
        TokenSource(FakeSigner(), SA, AUD, lifetime_s=600, refresh_margin_s=600)


def test_signing_failure_is_an_auth_error() -> None:
    source = TokenSource(FakeSigner(fail=True), SA, AUD)
    with pytest.raises(RequestFailed) as info:
        asyncio.run(source.headers())
    assert info.value.kind == AUTH
    assert "403" in info.value.detail


class FakeResponse:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status_code = status
        self._body = body
        self.text = json.dumps(body)

    def json(self) -> dict[str, Any]:
        return self._body


class FakeSession:
    """Records what IamCredentialsSigner posts, in place of google-auth's AuthorizedSession."""

    def __init__(self, response: FakeResponse) -> None:
        self.response = response
        self.posts: list[tuple[str, Any, float]] = []

    def post(self, url: str, json: Any, timeout: float) -> FakeResponse:
        self.posts.append((url, json, timeout))
        return self.response


def test_iam_credentials_signer_calls_sign_jwt() -> None:
    session = FakeSession(FakeResponse(200, {"keyId": "k", "signedJwt": "a.b.c"}))
    signer = IamCredentialsSigner(SA, session=session)
    claims = iap_claims(SA, AUD, time.time(), 3600)
    assert signer.sign(claims) == "a.b.c"
    url, body, _ = session.posts[0]
    assert url == f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{SA}:signJwt"
    assert json.loads(body["payload"]) == claims


def test_iam_credentials_signer_reports_refusals() -> None:
    session = FakeSession(FakeResponse(403, {"error": {"message": "Permission denied"}}))
    with pytest.raises(RuntimeError, match="403"):
        IamCredentialsSigner(SA, session=session).sign({"iss": SA})


def test_gradio_through_iap_sends_a_valid_bearer(tmp_path: Any) -> None:
    signer = FakeSigner()
    seen: list[str] = []

    def authorize(header: str | None) -> bool:
        if not header or not header.startswith("Bearer "):
            return False
        claims = jwt_claims(header.removeprefix("Bearer "))
        seen.append(claims["aud"])
        return claims["iss"] == SA and claims["exp"] > time.time() and claims["aud"].endswith("/*")

    fake = FakeGradio(authorize=authorize)
    with serve_app(fake.app()) as url:
        target = TargetConfig("gradio", url, iap_service_account=SA)
        outcome = run_load(target, WorkloadConfig(users=3, requests=12, duration_s=20), tmp_path, signer)
    assert outcome.report["request_totals"]["successful"] == 12
    assert len(signer.claims) == 1
    assert set(seen) == {f"{url}/*"}
    assert outcome.report["scenario"]["target"]["auth"] == "iap-signjwt"
    token = signer.sign(signer.claims[0])
    for path in tmp_path.iterdir():
        if path.suffix in (".json", ".txt"):
            assert token.split(".")[1] not in path.read_text()


def test_iap_refusal_is_counted_as_http_401() -> None:
    fake = FakeGradio(authorize=lambda header: False)
    with serve_app(fake.app()) as url:
        target = TargetConfig("gradio", url, iap_service_account=SA)
        outcome = run_load(target, WorkloadConfig(users=2, requests=6, duration_s=20), None, FakeSigner())
    assert outcome.report["errors"]["by_kind"] == {"http_401": 6}
    assert outcome.report["success_rate"] == 0.0


def test_run_refuses_to_start_without_a_token() -> None:
    fake = FakeGradio()
    with serve_app(fake.app()) as url, pytest.raises(StartError, match="403"):
        run_load(TargetConfig("gradio", url, iap_service_account=SA),
                 WorkloadConfig(users=1, requests=1, duration_s=5), None, FakeSigner(fail=True))
    assert fake.calls == []
