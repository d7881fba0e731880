"""Cost and time-to-ready estimates in the plan."""

from __future__ import annotations

import pytest

from plan.estimates import estimate_time
from plan.mocks import Registration
from plan.runner import run_plan
from stacks import prices
from tests.planview import GKE_STACKS


def reg(name: str, type_: str, deps: tuple[str, ...] = (), custom: bool = True) -> Registration:
    return Registration(
        urn=f"urn:{name}",
        type=type_,
        name=name,
        parent="",
        provider="",
        custom=custom,
        dependencies=[f"urn:{d}" for d in deps],
        inputs={},
    )


def test_critical_path_is_the_longest_chain_not_the_longest_step():
    graph = [
        reg("api", "gcp:projects/service:Service"),  # 1.0
        reg("net", "gcp:compute/network:Network", ("api",)),  # 0.5
        reg("cluster", "gcp:container/cluster:Cluster", ("net",)),  # 9.0
        reg("pool", "gcp:container/nodePool:NodePool", ("cluster",)),  # 4.0
        reg("cert", "gcp:compute/managedSslCertificate:ManagedSslCertificate"),  # 20.0, alone
        reg("component", "llmd:platform:Network", ("cluster",), custom=False),  # 0
    ]
    timing = estimate_time(graph)
    assert timing.ready_minutes == 20.0
    assert timing.critical_path == ["urn:cert"]
    assert timing.sequential_minutes == 34.5
    timing = estimate_time(graph[:4])
    assert timing.critical_path == ["urn:api", "urn:net", "urn:cluster", "urn:pool"]
    assert timing.ready_minutes == 14.5


def test_every_stack_has_estimates_and_parallelism_halves_the_time(plans):
    for stack in GKE_STACKS:
        doc = plans[stack]
        e = doc["estimates"]
        assert e["pricesRegion"] == prices.PRICES_REGION and e["pricesAsOf"] == prices.PRICES_AS_OF
        assert 0 < e["parkedCostPerHourUsd"] <= e["idleCostPerHourUsd"] <= e["costPerHourUsd"], stack
        assert e["costPerMonthUsd"] == round(e["costPerHourUsd"] * prices.HOURS_PER_MONTH)
        assert e["timeToReadyMinutes"] <= e["sequentialMinutes"] / 2, stack
        urns = {r["urn"]: r for r in doc["resources"]}
        path = e["criticalPath"]
        assert path and all(u in urns for u in path)
        for before, after in zip(path, path[1:], strict=False):
            assert before in urns[after]["dependencies"], (stack, before, after)


def test_gpu_pool_drives_cost_and_spot_lowers_it():
    base = {"gcp:project": "my-project-1", "gcp:region": "us-central1"}
    on_demand = run_plan("nvidia-tesla-a100", base).estimates
    spot = run_plan("nvidia-tesla-a100", {**base, "llmd:gpuPool": {"capacity": "spot"}}).estimates
    two_gpus = 2 * prices.MACHINE_HOURLY_USD["a2-highgpu-1g"]
    assert on_demand["costBreakdownPerHourUsd"]["inferenceNodes"] >= two_gpus
    assert spot["costPerHourUsd"] < on_demand["costPerHourUsd"] * 0.6
    assert spot["parkedCostPerHourUsd"] == on_demand["parkedCostPerHourUsd"]
    assert spot["idleCostPerHourUsd"] < on_demand["idleCostPerHourUsd"]


def test_t4_counts_the_attached_gpu():
    e = run_plan("nvidia-tesla-t4", {"gcp:project": "my-project-1", "gcp:region": "us-central1"}).estimates
    per_node = prices.MACHINE_HOURLY_USD["n1-standard-8"] + prices.ATTACHED_GPU_HOURLY_USD["nvidia-tesla-t4"]
    assert e["costBreakdownPerHourUsd"]["inferenceNodes"] >= 2 * per_node


def test_idle_is_the_autoscalers_minimum_and_a_fixed_count_never_idles_down():
    base = {"gcp:project": "my-project-1", "gcp:region": "us-central1", "llmd:model": {"replicas": 2}}
    scaled = run_plan("nvidia-tesla-a100", base).estimates
    fixed = run_plan("nvidia-tesla-a100", {**base, "llmd:autoscaling": {"enabled": False}}).estimates
    node = prices.MACHINE_HOURLY_USD["a2-highgpu-1g"]
    assert scaled["idleReplicas"] == 1 and fixed["idleReplicas"] == 2
    assert scaled["costPerHourUsd"] - scaled["idleCostPerHourUsd"] == pytest.approx(node, abs=0.05)
    assert fixed["idleCostPerHourUsd"] == fixed["costPerHourUsd"]
    assert scaled["parkedCostPerHourUsd"] == fixed["parkedCostPerHourUsd"] < scaled["idleCostPerHourUsd"]
