"""Statistics on hand-made results, where every figure can be worked out by hand."""

from __future__ import annotations

import pytest

from loadtest import stats
from loadtest.result import RequestResult
from loadtest.workload import Collector


def test_percentile_interpolates_like_numpy() -> None:
    values = [float(v) for v in range(1, 101)]
    assert stats.percentile(values, 50) == pytest.approx(50.5)
    assert stats.percentile(values, 90) == pytest.approx(90.1)
    assert stats.percentile(values, 99) == pytest.approx(99.01)
    assert stats.percentile(values, 0) == 1.0
    assert stats.percentile(values, 100) == 100.0
    assert stats.percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        stats.percentile([], 50)


def test_describe_has_llm_d_keys_and_right_moments() -> None:
    d = stats.describe([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], "s")
    assert set(d) == {"units", "count", "mean", "stddev", "min", "max", *stats.PERCENTILES}
    assert d["units"] == "s" and d["count"] == 8
    assert d["mean"] == pytest.approx(5.0)
    assert d["stddev"] == pytest.approx(2.0)
    assert (d["min"], d["max"]) == (2.0, 9.0)
    assert d["p50"] == pytest.approx(4.5)
    empty = stats.describe([], "s")
    assert empty["count"] == 0 and empty["mean"] is None and empty["p99"] is None


def _ok(start: float, ttft: float, itl: float, tokens: int) -> RequestResult:
    times = [start + ttft + i * itl for i in range(tokens)]
    r = RequestResult(start=start, end=times[-1] + 0.001, ttft=ttft, output_tokens=tokens,
                      prompt_tokens=10, token_times=times)
    return r


def test_metrics_from_folded_results() -> None:
    c = Collector()
    for i in range(10):
        c.add(_ok(start=float(i), ttft=0.1, itl=0.02, tokens=6))
    c.add(RequestResult(start=10.0, end=10.5, error="http_503", detail="busy", status=503))
    c.add(RequestResult(start=10.0, end=11.0, error="timeout"))
    c.add(RequestResult(start=10.5, end=11.0, incomplete=True))
    m = stats.compute_metrics(c.results, c.itl)
    lat = m["latency"]
    assert lat["time_to_first_token"]["mean"] == pytest.approx(0.1)
    assert lat["time_per_output_token"]["mean"] == pytest.approx(0.02)
    assert lat["inter_token_latency"]["count"] == 50
    assert lat["inter_token_latency"]["p50"] == pytest.approx(0.02)
    assert lat["request_latency"]["mean"] == pytest.approx(0.201)
    assert lat["normalized_time_per_output_token"]["mean"] == pytest.approx(0.201 / 6)
    assert m["requests"] == {**m["requests"], "total": 13, "failures": 2, "incomplete": 1}
    assert m["requests"]["output_length"]["mean"] == 6
    assert m["throughput"]["requests_per_sec"] == pytest.approx(10 / 11.0)
    assert m["throughput"]["output_tokens_per_sec"] == pytest.approx(60 / 11.0)
    assert m["throughput"]["total_tokens_per_sec"] == pytest.approx(160 / 11.0)
    assert stats.request_totals(c.results) == {"successful": 10, "errored": 2, "incomplete": 1, "total": 13}
    counts, examples = stats.errors_by_kind(c.results)
    assert counts == {"http_503": 1, "timeout": 1}
    assert examples["http_503"] == "busy"


def test_timeline_buckets_by_end_time() -> None:
    results = [_ok(0.0, 0.1, 0.1, 5), _ok(1.2, 0.1, 0.1, 5),
               RequestResult(start=1.0, end=2.5, error="connection")]
    tl = stats.timeline(results, origin=0.0, duration=3.0)
    assert tl["interval_s"] == 1.0 and tl["t_s"] == [0.0, 1.0, 2.0]
    assert tl["successful"] == [1, 1, 0]
    assert tl["output_tokens"] == [5, 5, 0]
    assert tl["errors"] == {"connection": [0, 0, 1]}
    assert stats.timeline([], origin=0.0, duration=900.0)["interval_s"] == 3.0


def test_itl_reservoir_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("loadtest.workload.ITL_SAMPLES", 100)
    c = Collector()
    for i in range(50):
        c.add(_ok(float(i), 0.05, 0.01, 11))
    assert c.itl_seen == 500
    assert len(c.itl) == 100
    assert all(v == pytest.approx(0.01) for v in c.itl)
    assert all(not r.token_times for r in c.results)
