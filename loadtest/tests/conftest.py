"""Fixtures shared by the loadtest tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorConfig, running_simulator


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    """A simulator with 50 ms to first token, 10 ms between tokens, 16 tokens, no faults."""
    config = SimulatorConfig(models=("m",), ttft_ms=50, itl_ms=10, output_tokens=16, seed=1)
    with running_simulator(config) as url:
        yield url

