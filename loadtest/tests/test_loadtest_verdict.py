"""The pass/fail verdict of a run, the threshold of `make stress`, and a hanging /v1/models at start."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from aiohttp import web

from loadtest import cli, runner
from loadtest.tests.helpers import serve_app

REPO = Path(__file__).resolve().parents[2]


def run_cli(url: str, tmp_path: Path, *extra: str) -> list[str]:
    return ["run", "--url", url, "--model", "m", "--users", "2", "--requests", "6", "--duration", "20",
            "--no-progress", "--out", str(tmp_path / "out"), *extra]


def failing_app() -> web.Application:
    async def chat(request: web.Request) -> web.Response:
        return web.Response(status=503, text="overloaded")

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    return app


def test_all_failed_run_fails_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve_app(failing_app()) as url:
        code = cli.main(run_cli(url, tmp_path))
    out = capsys.readouterr().out
    assert code == cli.EXIT_BELOW_SLO
    assert "FAIL: success rate 0.00 % < threshold 95.00 %" in out.splitlines()


def test_passing_run_prints_pass(sim_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(run_cli(sim_url, tmp_path, "--min-success-rate", "0.99", "--max-tokens", "2"))
    out = capsys.readouterr().out
    assert code == 0
    assert "PASS: success rate 100.00 % >= threshold 99.00 %" in out.splitlines()


def test_verdict_lines() -> None:
    assert cli.verdict(0.95, 0.95) == (True, "PASS: success rate 95.00 % >= threshold 95.00 %")
    assert cli.verdict(0.9499, 0.95)[0] is False
    passed, line = cli.verdict(None, 0.0)
    assert not passed and line.startswith("FAIL: no request finished")


def test_threshold_outside_zero_one_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--url", "http://127.0.0.1:1", "--min-success-rate", "95"])
    assert exc.value.code == 2
    assert "fraction" in capsys.readouterr().err


def make_stress(*variables: str) -> str:
    done = subprocess.run(["make", "-n", "--no-print-directory", "stress", "LT_URL=http://127.0.0.1:1",
                           *variables], cwd=REPO, capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


def test_make_stress_passes_the_threshold() -> None:
    assert "--min-success-rate 0.95" in make_stress()
    assert "--min-success-rate 0.999" in make_stress("LT_MIN_SUCCESS=0.999")
    assert "--model a,b " in make_stress("LT_MODELS=a,b")
    assert "--model" not in make_stress()


def test_make_stress_passes_the_metrics_endpoints_and_version_set() -> None:
    assert "--metrics-url" not in make_stress() and "--version-set v0.9.0" in make_stress()
    line = make_stress("LT_METRICS=http://127.0.0.1:9090/metrics http://127.0.0.1:8000", "LT_VERSION_SET=2026-04")
    assert "--metrics-url http://127.0.0.1:9090/metrics --metrics-url http://127.0.0.1:8000 " in line
    assert "--version-set 2026-04" in line


def test_hanging_models_endpoint_names_url_and_wait(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.json_response({"data": []})

    app = web.Application()
    app.router.add_get("/v1/models", hang)
    monkeypatch.setattr(runner, "MODELS_TIMEOUT_S", 0.3)
    with serve_app(app) as url:
        code = cli.main(["run", "--url", url, "--requests", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"GET {url}/v1/models did not answer within 0.3 s" in err
