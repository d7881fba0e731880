"""The benchmark's arithmetic and verdict."""

import math

import pytest

from frontend.bench import stats as bench_stats
from frontend.bench.__main__ import Level, faster, scale_verdict, targets, verdict
from frontend.bench.client import Outcome
from frontend.bench.load import ProcessSample
from frontend.bench.stats import Summary, quantile, summarize
from loadtest import stats as loadtest_stats


def test_the_benchmark_uses_the_load_tools_interpolated_percentile() -> None:
    assert bench_stats.percentile is loadtest_stats.percentile
    values = [float(v) for v in range(100, 0, -1)]  # unsorted on purpose
    assert quantile(values, 50) == pytest.approx(50.5)
    assert quantile(values, 99) == pytest.approx(99.01)
    assert quantile([3.0], 99) == 3.0
    assert math.isnan(quantile([], 50))


def test_summary_counts_errors_and_ignores_them_in_latency() -> None:
    outs = [Outcome(answer="a", ttft_s=0.1, total_s=1.0), Outcome(answer="b", ttft_s=0.3, total_s=2.0),
            Outcome(error="boom", total_s=9.0), Outcome(answer="", ttft_s=0.2, total_s=0.5)]
    s = summarize(outs, wall_s=2.0)
    assert (s.chats, s.errors, s.first_error) == (4, 2, "boom")
    assert s.chats_per_s == 1.0
    assert (s.ttft_p50, s.total_p99) == (pytest.approx(0.2), pytest.approx(1.99))


def summary(ttft: float, per_s: float, errors: int = 0) -> Summary:
    return Summary(chats=100, errors=errors, wall_s=100 / per_s if per_s else 1.0, ttft_p50=ttft,
                   ttft_p99=ttft, total_p50=1.0, total_p99=1.0, first_error="x" if errors else "")


def test_verdict_names_the_first_level_that_misses() -> None:
    ok = Level(50, summary(0.20, 20), summary(0.22, 20), ProcessSample(100, 100, 40, 1.0, cpu_s=1.0))
    slow = Level(200, summary(0.20, 80), summary(0.90, 40), ProcessSample(200, 200, 99, 1.5, cpu_s=1.5))
    lines = verdict([ok, slow])
    assert "50 concurrent chats: OK" in lines[0]
    assert "added TTFT p50 700 ms" in lines[1]
    assert "stops scaling at 200" in lines[-1]
    assert slow.cpu_per_chat_s == 0.015
    assert "needs 120% of a core" in lines[-1]
    assert verdict([ok])[-1] == "  scaled across all levels"


def test_verdict_mentions_chats_waiting_in_the_queue() -> None:
    slow = Level(500, summary(0.20, 80), summary(0.90, 40), ProcessSample(200, 200, 99, 1.5, cpu_s=1.5))
    assert "200 chats at a time wait in Gradio's queue (QUEUE_CONCURRENCY=300)" in verdict([slow], 300)[-1]
    assert "wait in Gradio's queue" not in verdict([slow], 500)[-1]


def test_verdict_estimates_the_processes_a_level_needs() -> None:
    # 15 ms per chat at 60 chats/s is 0.9 of a core: two processes at <= 70% busy.
    slow = Level(500, summary(0.20, 60), summary(0.90, 40), ProcessSample(200, 200, 99, 1.5, cpu_s=1.5))
    assert slow.processes_needed == 2
    assert "estimate: 2 app process(es) at 15.0 ms CPU per chat" in verdict([slow])[0]
    light = Level(50, summary(0.20, 20), summary(0.22, 20), ProcessSample(100, 100, 40, 1.0, cpu_s=1.0))
    assert light.processes_needed == 1


def test_targets_compare_streamed_with_non_streaming_and_check_200() -> None:
    at50 = Level(50, summary(0.20, 20), summary(0.21, 20), ProcessSample(100, 100, 40, 1.0, cpu_s=0.6),
                 whole=summary(0.2, 20))
    at200 = Level(200, summary(0.20, 80), summary(0.205, 80), ProcessSample(100, 100, 40, 1.0, cpu_s=0.3))
    lines = targets([at50, at200])
    assert "200: CPU per chat 3.0 ms (<= 4): met; added TTFT p50 +5 ms (<= 10): met" in lines[0]
    assert "50: end-to-end p99 streamed 1000 ms vs non-streaming 1000 ms: met" in lines[1]


def test_scale_verdict_names_the_first_process_count_that_holds() -> None:
    one = Level(500, summary(0.20, 150), summary(0.9, 60), ProcessSample(cpu_s=1.0))
    two = Level(500, summary(0.20, 150), summary(0.23, 140), ProcessSample(cpu_s=1.0), processes=2)
    three = Level(500, summary(0.20, 150), summary(0.21, 150), ProcessSample(cpu_s=1.0), processes=3)
    assert "3 app process(es) hold added TTFT p50 under 20 ms" in scale_verdict([one, two, three], 0.020)
    assert "none of 1..2 app processes" in scale_verdict([one, two], 0.020)


def test_an_app_faster_than_its_direct_baseline_proves_nothing() -> None:
    # The direct run met a busier machine than the app run: the app "took" 300 ms off the model.
    lucky = Level(500, summary(0.50, 150), summary(0.20, 150), ProcessSample(cpu_s=1.0))
    verdict_line = scale_verdict([lucky], 0.020, model_ttft_s=0.150)
    assert "none of 1..1 app processes" in verdict_line
    assert "app TTFT p50 200 ms is +50 ms over the simulator's configured 150 ms" in verdict_line
    # ... then the simulator's configured TTFT, which no direct run can beat, is the baseline.
    held = scale_verdict([lucky], 0.020, model_ttft_s=0.190)
    assert "1 app process(es) hold added TTFT p50 under 20 ms" in held
    at200 = Level(200, summary(0.30, 80), summary(0.20, 80), ProcessSample(cpu_s=0.3))
    assert "added TTFT p50 +-100 ms (<= 10): inconclusive" in targets([at200])[0]


def test_the_scale_out_compares_with_the_faster_direct_run() -> None:
    slow, quick = summary(0.32, 170), summary(0.26, 170)
    assert faster(slow, quick) is quick
    assert faster(quick, slow) is quick
