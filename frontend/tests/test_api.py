"""The ``chat`` endpoint through Gradio's queued path: POST /gradio_api/call/chat, then the event stream."""

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

import aiohttp

from frontend.bench.client import Outcome, queued_chat
from frontend.tests.conftest import SLOW_TIMEOUT_S


def call(app_url: str, data: list[Any], timeout_s: float = 30) -> Outcome:
    async def go() -> Outcome:
        async with aiohttp.ClientSession() as session:
            return await queued_chat(session, app_url, data, timeout_s)

    return asyncio.run(go())


def test_message_alone_is_enough(apps: dict[str, str]) -> None:
    out = call(apps["ok"], ["hello"])
    assert out.error == ""
    assert out.answer.startswith("[sim] received 1 message;")
    assert len(out.answer.split()) == 4 + 15
    assert len(out.updates) >= 3
    assert out.updates[-1] == out.answer


def test_all_inputs_with_history(apps: dict[str, str]) -> None:
    history = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    out = call(apps["ok"], ["c", history, "other/model", 3, 0.2])
    assert out.error == ""
    assert out.answer == "[sim] received 3 messages; alpha bravo"


def test_backend_down_gives_an_error_event(apps: dict[str, str]) -> None:
    out = call(apps["down"], ["hello"])
    assert out.answer == ""
    assert "unreachable" in out.error


def test_slow_backend_gives_a_timeout_error(apps: dict[str, str]) -> None:
    out = call(apps["slow"], ["hello"])
    assert f"within {SLOW_TIMEOUT_S} seconds" in out.error
    assert SLOW_TIMEOUT_S <= out.total_s < SLOW_TIMEOUT_S + 5


def test_health_and_api_description(apps: dict[str, str]) -> None:
    with urllib.request.urlopen(apps["down"] + "/healthz", timeout=5) as r:
        assert r.status == 200
    with urllib.request.urlopen(apps["ok"] + "/gradio_api/info", timeout=5) as r:
        info = json.load(r)
    params = info["named_endpoints"]["/chat"]["parameters"]
    assert [p["parameter_name"] for p in params] == ["message", "history", "model", "max_tokens",
                                                     "temperature"]
    assert [p["parameter_has_default"] for p in params] == [False, True, True, True, True]
    assert "/chat_page" not in info["named_endpoints"]
    with urllib.request.urlopen(apps["ok"] + "/_api/gradio_api/info", timeout=5) as r:
        assert list(json.load(r)["named_endpoints"]) == ["/chat"]


def run_once(app_url: str, path: str, data: list[Any]) -> tuple[int, Any]:
    req = urllib.request.Request(app_url + path, data=json.dumps({"data": data}).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def test_the_one_shot_endpoint_returns_the_whole_answer(apps: dict[str, str]) -> None:
    for path in ("/gradio_api/run/chat", "/gradio_api/run/chat/"):
        status, body = run_once(apps["ok"], path, ["hello"])
        assert status == 200, body
        assert body["data"] == [call(apps["ok"], ["hello"]).answer]
        assert len(body["data"][0].split()) == 4 + 15
        assert body.get("is_generating") is not True
    status, body = run_once(apps["ok"], "/gradio_api/run/chat", ["c", [], "other/model", 3, 0.2])
    assert (status, body["data"]) == (200, ["[sim] received 1 message; alpha bravo"])
    status, body = run_once(apps["down"], "/gradio_api/run/chat", ["hello"])
    assert status == 500 and "unreachable" in json.dumps(body)
