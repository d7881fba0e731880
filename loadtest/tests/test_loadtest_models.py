"""Several models: each request names its model in X-Gateway-Base-Model-Name, as the gateway needs.

The stub below routes like the internal gateway: the header picks a model's pool, a request
without it goes to the primary model's pool, and a pool answers 404 for any other model, as vLLM
does. So an extra model is reachable only when the header carries its name.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web

from loadtest import cli
from loadtest.runner import TargetConfig
from loadtest.targets.openai import MODEL_HEADER
from loadtest.tests.helpers import run_load, serve_app
from loadtest.workload import WorkloadConfig

PRIMARY, EXTRA = "base/primary", "org/extra-8b"


class HeaderRouter:
    def __init__(self, models: tuple[str, ...] = (PRIMARY, EXTRA)) -> None:
        self.models = models
        self.seen: list[tuple[str | None, str, int]] = []  # header, body model, turns sent

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self.chat)
        return app

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        header = request.headers.get(MODEL_HEADER)
        self.seen.append((header, body["model"], len(body["messages"])))
        pool = header if header in self.models else self.models[0]
        if body["model"] != pool:
            return web.json_response({"error": {"message": f"model {body['model']} not served by {pool}"}},
                                     status=404)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        chunk = {"choices": [{"delta": {"content": f"from {pool}"}}]}
        await resp.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())
        return resp


def test_every_listed_model_is_reached_with_its_header() -> None:
    router = HeaderRouter()
    with serve_app(router.app()) as url:
        outcome = run_load(TargetConfig("openai", url, models=(PRIMARY, EXTRA)),
                           WorkloadConfig(users=1, requests=8, duration_s=20, turns=2, max_tokens=4))
    r = outcome.report
    assert r["errors"]["by_kind"] == {}, r["errors"]
    assert all(header == model for header, model, _ in router.seen), router.seen
    # one user, conversations of two turns, taking turns over the models: both turns stay on one model
    assert [(model, turns) for _, model, turns in router.seen] == [
        (PRIMARY, 1), (PRIMARY, 3), (EXTRA, 1), (EXTRA, 3)] * 2
    assert r["request_totals_by_model"] == {
        EXTRA: {"successful": 4, "errored": 0, "incomplete": 0},
        PRIMARY: {"successful": 4, "errored": 0, "incomplete": 0}}
    assert r["scenario"]["target"]["models"] == [PRIMARY, EXTRA]


def test_single_model_from_models_list_sends_its_header() -> None:
    router = HeaderRouter(models=(EXTRA, PRIMARY))

    async def models(request: web.Request) -> web.Response:
        return web.json_response({"data": [{"id": EXTRA}, {"id": PRIMARY}]})

    app = router.app()
    app.router.add_get("/v1/models", models)
    with serve_app(app) as url:
        outcome = run_load(TargetConfig("openai", url), WorkloadConfig(users=2, requests=4, duration_s=20))
    assert outcome.report["request_totals"]["successful"] == 4
    assert Counter(header for header, _, _ in router.seen) == {EXTRA: 4}


def test_cli_takes_repeated_and_comma_separated_models(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    third = "c"
    router = HeaderRouter(models=(PRIMARY, EXTRA, third))
    with serve_app(router.app()) as url:
        code = cli.main(["run", "--url", url, "--model", f"{PRIMARY},{EXTRA}", "--model", third,
                         "--users", "3", "--requests", "9", "--no-progress", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert Counter(header for header, _, _ in router.seen) == {PRIMARY: 3, EXTRA: 3, third: 3}
    assert f"By model: {PRIMARY} 3 ok, 0 errored; {third} 3 ok, 0 errored; {EXTRA} 3 ok, 0 errored" in out
    assert f"models {PRIMARY}, {EXTRA}, {third}" in out


def test_duplicate_models_are_rejected() -> None:
    with pytest.raises(ValueError, match="distinct"):
        TargetConfig("openai", "http://127.0.0.1:1", models=("a", "a"))


def test_extra_model_through_the_simulators_header_router() -> None:
    from simulator import SimulatorConfig, running_simulator
    from simulator.header_router import running_router

    primary = SimulatorConfig(models=(PRIMARY,), ttft_ms=0, itl_ms=0, output_tokens=2, seed=1)
    extra = SimulatorConfig(models=(EXTRA,), ttft_ms=0, itl_ms=0, output_tokens=2, seed=1)
    with running_simulator(primary) as first, running_simulator(extra) as second, \
            running_router({EXTRA: second}, first) as url:
        outcome = run_load(TargetConfig("openai", url, models=(PRIMARY, EXTRA)),
                           WorkloadConfig(users=2, requests=8, duration_s=20, max_tokens=2))
    r = outcome.report
    assert r["errors"]["by_kind"] == {}, r["errors"]
    assert {name: row["successful"] for name, row in r["request_totals_by_model"].items()} == {
        PRIMARY: 4, EXTRA: 4}
