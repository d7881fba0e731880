"""gpuPool.capacity as a priority list: a GKE custom ComputeClass for several types, the fixed pool for one, and the
refusals of lists the catalog or the class cannot honour."""

from __future__ import annotations

from typing import Any

import pytest

from components.platform import gke_platform as gke_platform_module
from components.platform.gke_platform import cluster_floor
from config.errors import ConfigError
from config.load import load_settings
from config.platform.resolve import InferencePoolSettings
from plan.runner import load_config_file, run_plan, stack_file
from stacks import prices
from stacks.accelerators import CATALOG
from stacks.capacity import COMPUTE_CLASS_LABEL, HYPERDISK_CLASS_FLOOR
from stacks.versions import GKE_FLOOR, initial_master_version
from tests.planview import GKE_STACKS

PROJECT = "example-project"
COMPUTE_CLASS = "kubernetes:cloud.google.com/v1:ComputeClass"
NODE_POOL = "gcp:container/nodePool:NodePool"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def plan(stack: str, pool: dict[str, Any], accelerator: str | None = None, **extra: Any) -> dict[str, Any]:
    """The plan of a shipped stack file (or `accelerator`'s) with `llmd:gpuPool` set to `pool`."""
    config = {**load_config_file(stack_file(accelerator or stack)), "gcp:project": PROJECT, **extra}
    config["llmd:gpuPool"] = {**(config.get("llmd:gpuPool") or {}), **pool}
    return run_plan(stack, config).document()


def of_type(doc: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return [r for r in doc["resources"] if r["type"] == type_token]


def compute_class(doc: dict[str, Any]) -> dict[str, Any]:
    [found] = of_type(doc, COMPUTE_CLASS)
    return found["inputs"]


def capacity_of(rule: dict[str, Any]) -> str:
    """Which capacity type a priority rule buys, read back from its fields."""
    if rule.get("flexStart", {}).get("enabled"):
        return "flex-start"
    if "reservations" in rule:
        return "reservation"
    return "spot" if rule.get("spot") is True else "on-demand"


def model_pod_specs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        d["inputs"]["spec"]["template"]["spec"]
        for d in of_type(doc, DEPLOYMENT)
        if "llmd:serving:" in d["urn"] and "nvidia.com/gpu" in str(d["inputs"]["spec"]["template"]["spec"])
    ]


def refusals(stack: str, config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(key, reason, fix) of every problem the config gets."""
    with pytest.raises(ConfigError) as refused:
        load_settings({"gcp:project": "my-project-1", **config}, stack)
    return [(p.key, p.message, p.fix) for p in refused.value.problems]


ORDERS = [
    ("nvidia-l4", ["spot", "on-demand", "flex-start"]),
    ("nvidia-l4", ["flex-start", "on-demand", "spot"]),
    ("nvidia-h100-80gb", ["flex-start", "spot"]),
    ("nvidia-rtx-pro", ["on-demand", "spot"]),
]


@pytest.fixture(scope="module")
def class_plans() -> dict[tuple[str, tuple[str, ...]], dict[str, Any]]:
    return {(stack, tuple(order)): plan(stack, {"capacity": order}) for stack, order in ORDERS}


@pytest.mark.parametrize(("stack", "order"), ORDERS, ids=[f"{s}:{','.join(o)}" for s, o in ORDERS])
def test_compute_class_priorities_follow_the_configured_order(class_plans, stack, order):
    doc = class_plans[(stack, tuple(order))]
    cc = compute_class(doc)
    acc = CATALOG[stack]
    assert cc["apiVersion"] == "cloud.google.com/v1" and cc["kind"] == "ComputeClass"
    rules = cc["spec"]["priorities"]
    assert [capacity_of(rule) for rule in rules] == order
    shape = acc.machine(acc.default_machine_type)
    assert shape is not None
    for rule in rules:
        assert rule["machineType"] == acc.default_machine_type
        assert rule["gpu"] == {"type": acc.gke_accelerator, "count": shape.gpu_counts[0], "driverVersion": "latest"}
        assert rule["storage"]["bootDiskType"] == acc.boot_disk_type
        assert rule["location"]["zones"] == list(acc.zones_by_region["us-central1"])
        # Spot only where the list says spot; flex-start rules carry no spot field at all.
        assert ("spot" in rule) == (capacity_of(rule) != "flex-start")


@pytest.mark.parametrize(("stack", "order"), ORDERS[:1] + ORDERS[-1:], ids=["nvidia-l4", "nvidia-rtx-pro"])
def test_compute_class_auto_creates_pools_as_the_node_service_account(class_plans, stack, order):
    doc = class_plans[(stack, tuple(order))]
    spec = compute_class(doc)["spec"]
    assert spec["nodePoolAutoCreation"] == {"enabled": True}
    assert spec["whenUnsatisfiable"] == "DoNotScaleUp"
    [system] = [p for p in of_type(doc, NODE_POOL) if p["name"] == "system-pool"]
    node_account = system["inputs"]["nodeConfig"]["serviceAccount"]
    assert node_account.startswith(f"llmd-{stack}"[:20]) and "compute@developer" not in node_account
    assert spec["nodePoolConfig"]["serviceAccount"] == node_account


@pytest.mark.parametrize(("stack", "order"), ORDERS, ids=[f"{s}:{','.join(o)}" for s, o in ORDERS])
def test_the_class_replaces_the_fixed_inference_pool(class_plans, stack, order):
    doc = class_plans[(stack, tuple(order))]
    assert [p["name"] for p in of_type(doc, NODE_POOL)] == ["system-pool"]
    [component] = [r for r in doc["resources"] if r["type"] == "llmd:platform:InferenceComputeClass"]
    [resource] = of_type(doc, COMPUTE_CLASS)
    assert resource["parent"] == component["urn"]
    assert "$pulumi:providers:kubernetes::gke::" in resource["provider"]  # the cluster's own provider
    assert doc["outputs"]["inferenceComputeClassName"] == resource["inputs"]["metadata"]["name"]
    assert "inferenceNodePoolName" not in doc["outputs"]


def test_a_reservation_entry_names_the_reservation_specifically():
    doc = plan(
        "nvidia-l4",
        {"capacity": ["reservation", "on-demand"], "reservation": "my-l4s", "zones": ["us-central1-b"]},
    )
    first, second = compute_class(doc)["spec"]["priorities"]
    assert first["reservations"] == {"affinity": "Specific", "specific": [{"name": "my-l4s"}]}
    assert first["spot"] is False and first["location"] == {"zones": ["us-central1-b"]}
    assert "reservations" not in second and second["spot"] is False


def test_the_target_selects_the_class_for_the_model_pods(monkeypatch):
    """What the platform hands the serving layer: the class's selector, not the fixed pool's label."""
    targets = []
    real = gke_platform_module.DeploymentTarget

    def record(*args: Any, **kwargs: Any) -> Any:
        targets.append(real(*args, **kwargs))
        return targets[-1]

    monkeypatch.setattr(gke_platform_module, "DeploymentTarget", record)
    doc = plan("nvidia-l4", {"capacity": ["spot", "on-demand"]})
    single = plan("nvidia-l4", {"capacity": "spot"})
    name = compute_class(doc)["metadata"]["name"]
    assert [t.model_node_selector for t in targets] == [{COMPUTE_CLASS_LABEL: name}, {"llm-d.ai/pool": "inference"}]
    [pool] = [p for p in of_type(single, NODE_POOL) if p["name"] != "system-pool"]
    assert targets[1].model_node_selector.items() <= pool["inputs"]["nodeConfig"]["labels"].items()


def test_model_pods_select_the_compute_class(class_plans):
    doc = class_plans[("nvidia-l4", ("spot", "on-demand", "flex-start"))]
    name = compute_class(doc)["metadata"]["name"]
    specs = model_pod_specs(doc)
    assert specs
    for spec in specs:
        assert spec["nodeSelector"] == {COMPUTE_CLASS_LABEL: name}


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_single_capacity_stacks_keep_their_pool(stack):
    """Every shipped stack plans one type: its fixed inference pool, and no ComputeClass."""
    doc = run_plan(stack, {**load_config_file(stack_file(stack)), "gcp:project": PROJECT}).document()
    assert of_type(doc, COMPUTE_CLASS) == []
    assert sorted(p["name"] for p in of_type(doc, NODE_POOL)) == ["inference-pool", "system-pool"]
    assert "inferenceNodePoolName" in doc["outputs"]


def test_one_type_as_text_or_as_a_one_element_list_plans_the_same_pool():
    as_text = plan("nvidia-l4", {"capacity": "spot"})
    as_list = plan("nvidia-l4", {"capacity": ["spot"]})

    def pools(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [p["inputs"] for p in of_type(doc, NODE_POOL)]

    assert pools(as_text) == pools(as_list)
    [inference] = [p for p in pools(as_list) if p["name"] != "system"]
    assert inference["nodeConfig"]["spot"] is True
    assert of_type(as_list, COMPUTE_CLASS) == []


@pytest.mark.parametrize("stack", ["cpu", "nvidia-tesla-t4"])
def test_cpu_and_gpus_without_a_class_refuse_several_types(stack):
    [(key, reason, fix)] = refusals(stack, {"llmd:gpuPool": {"capacity": ["spot", "on-demand"]}})
    assert key == "llmd:gpuPool.capacity"
    assert "several capacity types" in reason and "buys" in reason
    assert fix == "list one type, such as spot"


def test_an_existing_cluster_gets_no_compute_class():
    config = {**load_config_file(stack_file("existing-cluster")), "llmd:gpuPool": {"capacity": ["spot", "on-demand"]}}
    doc = run_plan("existing-cluster", config).document()
    assert of_type(doc, COMPUTE_CLASS) == [] and of_type(doc, NODE_POOL) == []
    # The nodes are not ours: the settings do not ask for a class either (nothing reads one there).
    existing = {**config["llmd:existingCluster"], "context": "my-context"}
    pool = load_settings({**config, "llmd:existingCluster": existing}, "existing-cluster").gpu_pool
    assert isinstance(pool, InferencePoolSettings)
    assert pool.capacities == ("spot", "on-demand") and pool.compute_class is False


REFUSALS = [
    (
        "duplicate",
        "nvidia-l4",
        {"capacity": ["spot", "on-demand", "spot"]},
        "llmd:gpuPool.capacity",
        "listed more than once",
        "list each type once: [spot, on-demand]",
    ),
    ("unknown", "nvidia-l4", {"capacity": ["spot", "spott"]}, "llmd:gpuPool.capacity", "not a capacity type", "'spot'"),
    (
        "flex-start on G4",
        "nvidia-rtx-pro",
        {"capacity": ["on-demand", "flex-start"]},
        "llmd:gpuPool.capacity",
        "not sold as flex-start",
        "use on-demand, spot or reservation",
    ),
    (
        "on-demand on A3 Ultra",
        "nvidia-h200-141gb",
        {"capacity": ["on-demand", "spot"]},
        "llmd:gpuPool.capacity",
        "not sold as on-demand",
        "use spot, flex-start or reservation",
    ),
    (
        "on-demand on a spot/flex-only shape",
        "nvidia-h100-80gb",
        {"capacity": ["spot", "on-demand"]},
        "llmd:gpuPool.capacity",
        "a3-highgpu-1g is sold only as spot or flex-start",
        "spot or flex-start, or the 8-GPU machine type",
    ),
    (
        "reservation without a name",
        "nvidia-l4",
        {"capacity": ["spot", "reservation"], "zones": ["us-central1-a"]},
        "llmd:gpuPool.reservation",
        "needs a reservation name",
        "set gpuPool.reservation",
    ),
    (
        "a reservation name the list lacks",
        "nvidia-l4",
        {"capacity": ["spot", "on-demand"], "reservation": "my-l4s"},
        "llmd:gpuPool.capacity",
        "does not list it",
        "add it to the list",
    ),
    ("empty list", "nvidia-l4", {"capacity": []}, "llmd:gpuPool.capacity", "names no capacity type", "(on-demand)"),
    (
        "a minimum the class cannot keep",
        "nvidia-l4",
        {"capacity": ["spot", "on-demand"], "minNodes": 1},
        "llmd:gpuPool.minNodes",
        "keeps no minimum",
        "set gpuPool.minNodes to 0",
    ),
]


@pytest.mark.parametrize(
    ("stack", "pool", "key", "reason", "fix"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_refusal_names_the_key_and_the_fix(stack, pool, key, reason, fix):
    found = refusals(stack, {"llmd:gpuPool": pool})
    assert [(k, r, f) for k, r, f in found if k == key and reason in r and fix in f], found
    assert len(found) == 1, found


def test_hyperdisk_classes_need_the_newer_control_plane():
    pool = {"llmd:gpuPool": {"capacity": ["on-demand", "spot"]}}
    [(key, reason, fix)] = refusals(
        "nvidia-rtx-pro", {**pool, "llmd:cluster": {"minMasterVersion": "1.34.0-gke.1626000"}}
    )
    assert key == "llmd:cluster.minMasterVersion" and "hyperdisk-balanced" in reason
    assert fix.startswith(f"use {HYPERDISK_CLASS_FLOOR.exact} or newer")
    # A minor resolves to its newest patch, and the fixed pool takes Hyperdisk at the floor.
    load_settings(
        {"gcp:project": "my-project-1", **pool, "llmd:cluster": {"minMasterVersion": "1.34"}}, "nvidia-rtx-pro"
    )
    load_settings(
        {"gcp:project": "my-project-1", "llmd:cluster": {"minMasterVersion": "1.34.0-gke.1626000"}}, "nvidia-rtx-pro"
    )
    # Unset, the new cluster asks for at least the class's floor.
    with_class = load_settings({"gcp:project": "my-project-1", **pool}, "nvidia-rtx-pro")
    assert cluster_floor(with_class) == HYPERDISK_CLASS_FLOOR
    assert initial_master_version("1.34.0-gke.1626000", cluster_floor(with_class)) == "1.34"
    assert cluster_floor(load_settings({"gcp:project": "my-project-1", **pool}, "nvidia-l4")) == GKE_FLOOR
    assert cluster_floor(load_settings({"gcp:project": "my-project-1"}, "nvidia-rtx-pro")) == GKE_FLOOR


def test_the_estimate_prices_the_first_capacity_and_says_so():
    spot_first = plan("nvidia-l4", {"capacity": ["spot", "on-demand"]})["estimates"]
    on_demand_first = plan("nvidia-l4", {"capacity": ["on-demand", "spot"]})["estimates"]
    assert spot_first["pricedCapacity"] == "spot" and on_demand_first["pricedCapacity"] == "on-demand"
    assert "first entry of gpuPool.capacity [spot, on-demand]" in spot_first["pricedCapacityNote"]
    spot_nodes = spot_first["costBreakdownPerHourUsd"]["inferenceNodes"]
    on_demand_nodes = on_demand_first["costBreakdownPerHourUsd"]["inferenceNodes"]
    assert spot_nodes < on_demand_nodes
    # Two replicas of one GPU each on g2-standard-32 nodes, at the machine's list price plus its boot disk.
    disk = 200 * prices.DISK_GB_MONTH["pd-balanced"] / prices.HOURS_PER_MONTH
    assert on_demand_nodes == pytest.approx(2 * (prices.MACHINE_HOURLY_USD["g2-standard-32"] + disk), abs=1e-3)
    assert spot_nodes == pytest.approx(
        2 * (prices.MACHINE_HOURLY_USD["g2-standard-32"] * prices.SPOT_FACTOR + disk), abs=1e-3
    )
    assert spot_first["idleCostPerHourUsd"] < spot_first["costPerHourUsd"]
    single = plan("nvidia-h100-80gb", {})["estimates"]
    assert single["pricedCapacity"] == "spot"
    assert "[spot]" in single["pricedCapacityNote"]
