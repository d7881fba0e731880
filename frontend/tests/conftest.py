"""Shared servers for the app-level tests: a simulator and chat apps on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontend.devserver import running_apps
from frontend.tests.helpers import closed_port
from simulator import SimulatorConfig, running_simulator

MODEL = "Qwen/Qwen3-0.6B"
SLOW_TIMEOUT_S = 2
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "frontend"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def apps(artifacts: Path) -> Iterator[dict[str, str]]:
    """Four apps: ``ok`` (simulator), ``down`` (nothing listening), ``slow`` (hanging simulator) and
    ``ok-gradio`` (``ok`` with the scripted API left to Gradio's queue, ``CHAT_API_DIRECT=false``)."""
    ok_cfg = SimulatorConfig(models=(MODEL, "other/model"), ttft_ms=100, itl_ms=40, output_tokens=16)
    slow_cfg = SimulatorConfig(models=(MODEL,), timeout_rate=1.0, hang_seconds=60)
    with running_simulator(ok_cfg) as ok_url, running_simulator(slow_cfg) as slow_url:
        base = {"DEFAULT_MODEL": MODEL, "LOG_LEVEL": "WARNING"}
        configs = {
            "ok": (ok_url, base),
            "ok-gradio": (ok_url, dict(base, CHAT_API_DIRECT="false")),
            "down": (f"http://127.0.0.1:{closed_port()}", dict(base, REQUEST_TIMEOUT_SECONDS="10")),
            "slow": (slow_url, dict(base, REQUEST_TIMEOUT_SECONDS=str(SLOW_TIMEOUT_S))),
        }
        with running_apps(configs, log_dir=artifacts) as children:
            yield {name: child.url for name, child in children.items()}
