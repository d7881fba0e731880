"""The load-generator benchmark, on a small scale: it runs, and its figures are consistent."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from loadtest import bench


def test_bench_measures_rate_and_cpu_per_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    args = argparse.Namespace(requests=400, users=8, duration=30.0, output_tokens=2, rounds=2, json=out)
    assert bench.main(args) == 0
    figures = json.loads(out.read_text())
    assert figures["successful"] == figures["requests"] == 800
    assert figures["errors"] == {}
    assert figures["output_tokens"] == 1600
    assert figures["bare_successful"] == figures["bare_requests"] == 800
    assert len(figures["per_round"]) == 2
    for r in figures["per_round"]:
        assert r["ratio"] == pytest.approx(r["generator_us"] / r["bare_us"])
        assert r["load_average"] >= 0
    assert [r["first"] for r in figures["per_round"]] == ["generator", "bare"]
    ratios = sorted(r["ratio"] for r in figures["per_round"])
    assert figures["round_ratio_median"] == pytest.approx((ratios[0] + ratios[1]) / 2)
    assert (figures["round_ratio_min"], figures["round_ratio_max"]) == (ratios[0], ratios[1])
    assert figures["requests_per_s"] > 100
    assert 0 < figures["client_cpu_us_per_request"] < 10_000
    assert figures["client_core_capacity_rps"] == pytest.approx(1e6 / figures["client_cpu_us_per_request"])
    ratio = figures["cpu_ratio_to_bare"]
    assert ratio == pytest.approx(figures["client_cpu_us_per_request"] / figures["bare_client_cpu_us_per_request"])
    text = capsys.readouterr().out
    assert "requests/s" in text
    assert f"ratio {figures['per_round'][0]['ratio']:.2f}" in text
    assert re.search(rf"round ratios +{figures['round_ratio_median']:.2f} median, {ratios[0]:.2f}-{ratios[1]:.2f} "
                     r"over 2 round\(s\); load average [0-9.]+-[0-9.]+", text), text
    assert re.search(rf"CPU ratio +{ratio:.2f} x the bare client per request \(target <= 1.2: (meets|above)\)",
                     text), text


def test_bench_refuses_unbounded_settings() -> None:
    args = argparse.Namespace(requests=10, users=1, duration=0.0, output_tokens=1, rounds=1, json=None)
    assert bench.main(args) == 2
    args = argparse.Namespace(requests=10, users=1, duration=5.0, output_tokens=1, rounds=0, json=None)
    assert bench.main(args) == 2
