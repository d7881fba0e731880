"""The stand-in for the gateway's model routing: upstream chosen by X-Gateway-Base-Model-Name."""

import json
import urllib.error
import urllib.request
from typing import Any

from simulator import SimulatorConfig, running_simulator
from simulator.header_router import MODEL_HEADER, running_router
from simulator.tests.helpers import sse_events


def post(url: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def chat(url: str, model: str, header: str | None, stream: bool = False) -> tuple[int, bytes]:
    body = {"model": model, "messages": [{"role": "user", "content": "hi"}], "stream": stream}
    return post(url + "/v1/chat/completions", body, {MODEL_HEADER: header} if header else {})


def test_header_picks_the_upstream_and_the_default_takes_the_rest() -> None:
    primary = SimulatorConfig(models=("base",), ttft_ms=0, itl_ms=0, output_tokens=3)
    extra = SimulatorConfig(models=("extra",), ttft_ms=0, itl_ms=0, output_tokens=5)
    with running_simulator(primary) as p, running_simulator(extra) as e, \
            running_router({"extra": e}, default=p) as router:
        status, raw = chat(router, "extra", "extra")
        assert status == 200
        assert json.loads(raw)["choices"][0]["message"]["content"].endswith("alpha bravo charlie delta")
        status, raw = chat(router, "base", None)
        assert status == 200 and json.loads(raw)["model"] == "base"
        status, raw = chat(router, "base", "no-such-route")
        assert status == 200 and json.loads(raw)["model"] == "base"
        status, raw = chat(router, "extra", "extra", stream=True)
        events = sse_events(raw)
        assert status == 200 and events[-1] == "[DONE]" and json.loads(events[1])["model"] == "extra"
        with urllib.request.urlopen(urllib.request.Request(router + "/v1/models", headers={MODEL_HEADER: "extra"}),
                                    timeout=10) as r:
            assert [m["id"] for m in json.load(r)["data"]] == ["extra"]


def test_a_model_the_chosen_upstream_does_not_serve_is_not_found() -> None:
    with running_simulator(SimulatorConfig(models=("base",))) as p, \
            running_simulator(SimulatorConfig(models=("extra",))) as e, running_router({"extra": e}, p) as router:
        status, raw = chat(router, "extra", None)
        assert status == 404
        assert json.loads(raw)["error"]["type"] == "NotFoundError"
        assert chat(router, "base", "extra")[0] == 404


def test_an_unreachable_upstream_is_a_bad_gateway() -> None:
    with running_router({}, default="http://127.0.0.1:9") as router:
        status, raw = chat(router, "base", None)
    assert status == 502 and json.loads(raw)["error"]["type"] == "BadGateway"
