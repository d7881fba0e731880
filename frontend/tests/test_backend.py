import asyncio

from frontend.backend import pick_models
from frontend.tests.helpers import closed_port, run, service_for
from simulator import SimulatorConfig, running_simulator


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
