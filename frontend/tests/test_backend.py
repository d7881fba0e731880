import asyncio
import time

from frontend.backend import pick_models
from frontend.tests.helpers import closed_port, run, service_for
from simulator import SimulatorConfig, running_simulator

MODEL = "Qwen/Qwen3-0.6B"


def test_pick_models_preselects_the_default() -> None:
    assert pick_models(["a", "b"], "b") == (["a", "b"], "b")
    assert pick_models(["a", "b"], "") == (["a", "b"], "a")
    assert pick_models(["a", "a"], "") == (["a"], "a")
    assert pick_models(["a"], "z") == (["z", "a"], "z")
    assert pick_models([], "z") == (["z"], "z")
    assert pick_models([], "") == ([], "")


def test_models_are_listed_from_the_gateway() -> None:
    cfg = SimulatorConfig(models=("m1", "m2"))
    with running_simulator(cfg) as url:
        service = service_for(url, default_model="m2")
        assert run(service.catalog.choices, service) == (["m1", "m2"], "m2")


def test_listing_failure_falls_back_to_the_default() -> None:
    service = service_for(f"http://127.0.0.1:{closed_port()}", default_model="fallback/model",
                          models_timeout_s=2)
    assert run(service.catalog.choices, service) == (["fallback/model"], "fallback/model")


def test_listing_is_cached() -> None:
    with asyncio.Runner() as runner:
        with running_simulator(SimulatorConfig(models=("m1",))) as url:
            service = service_for(url, models_cache_s=300)
            assert runner.run(service.catalog.choices()) == (["m1"], "m1")
        assert runner.run(service.catalog.choices()) == (["m1"], "m1")
        runner.run(service.aclose())


def timed_pieces(url: str, spacing: float | None) -> tuple[list[str], float]:
    service = service_for(url)
    pace = (lambda: spacing) if spacing is not None else None

    async def go() -> tuple[list[str], float]:
        begin = time.monotonic()
        got = [p async for p in service.client.stream_chat(MODEL, [{"role": "user", "content": "hi"}], 64, 0.0,
                                                           pace) if isinstance(p, str)]
        return got, time.monotonic() - begin

    return run(go, service)


def test_a_spaced_stream_is_read_once_per_update_and_ends_at_once() -> None:
    with running_simulator(SimulatorConfig(models=(MODEL,), ttft_ms=0, itl_ms=10, output_tokens=40)) as url:
        each, _ = timed_pieces(url, None)
        spaced, elapsed = timed_pieces(url, 0.15)
        held, long_elapsed = timed_pieces(url, 30.0)
    assert "".join(spaced) == "".join(each) == "".join(held)
    # Bounds in proportion to the time taken, so a loaded machine (tokens coalescing in every read) cannot fail it.
    assert len(each) > len(spaced) >= 2
    assert len(spaced) <= elapsed / 0.15 + 2  # one read per 0.15 s, plus the first piece and the end
    assert len(held) == 2 and long_elapsed < 10.0  # the first piece, then the rest at once when the body ends
