"""Cost per hour/month and time to ready, estimated from a plan and the stack's settings."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from config.settings import Settings
from plan.mocks import Registration
from stacks import durations, prices

NODE_POOL = "gcp:container/nodePool:NodePool"
COMPUTE_CLASS = "kubernetes:cloud.google.com/v1:ComputeClass"
INFERENCE_LABEL = ("llm-d.ai/pool", "inference")


@dataclass(frozen=True)
class Cost:
    running: dict[str, float]  # every replica of the primary pool serving
    idle: dict[str, float]  # no traffic: the autoscaler's minimum, or with a fixed count every replica
    parked: dict[str, float]  # the primary pool at replicas 0: its GPU nodes removed

    @staticmethod
    def total(parts: dict[str, float]) -> float:
        return round(sum(parts.values()), 2)


def _walk(value: Any, key: str) -> Iterator[Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)


def _node_hourly(node_config: dict[str, Any]) -> float:
    machine = node_config.get("machineType", "")
    hourly = prices.MACHINE_HOURLY_USD.get(machine, 0.0)
    for gpu in node_config.get("guestAccelerators") or []:
        hourly += prices.ATTACHED_GPU_HOURLY_USD.get(gpu.get("type", ""), 0.0) * gpu.get("count", 0)
    if node_config.get("spot"):
        hourly *= prices.SPOT_FACTOR
    disk_rate = prices.DISK_GB_MONTH.get(node_config.get("diskType", "pd-balanced"), 0.10)
    return hourly + node_config.get("diskSizeGb", 100) * disk_rate / prices.HOURS_PER_MONTH


def _class_node_hourly(spec: dict[str, Any]) -> float:
    """A ComputeClass's node priced as its first priority rule (the capacity GKE tries first)."""
    first = (spec.get("priorities") or [{}])[0]
    storage = first.get("storage") or {}
    return _node_hourly(
        {
            "machineType": first.get("machineType", ""),
            "spot": first.get("spot", False),
            "diskType": storage.get("bootDiskType", "pd-balanced"),
            "diskSizeGb": storage.get("bootDiskSize", 100),
        }
    )


def priced_capacity(settings: Settings) -> tuple[str, tuple[str, ...]]:
    """The capacity the inference nodes are priced as (the first of gpuPool.capacity), and the whole list."""
    pool = settings.gpu_pool
    listed: tuple[str, ...] = getattr(pool, "capacities", ()) or (pool.capacity,)
    return listed[0], listed


def capacity_note(settings: Settings) -> str:
    first, listed = priced_capacity(settings)
    note = f"inference nodes priced as {first}, the first entry of gpuPool.capacity [{', '.join(listed)}]"
    if len(listed) > 1:
        note += "; nodes GKE buys from a later entry cost that entry's price"
    if first in ("flex-start", "reservation"):
        note += f"; {first} is priced at the on-demand list price"
    elif first == "spot":
        note += f"; spot at {prices.SPOT_FACTOR:.0%} of the on-demand list price"
    return note


def _serving_nodes(settings: Settings, replicas: int | None = None) -> int:
    model, pool = settings.model, settings.gpu_pool
    replicas = model.replicas if replicas is None else replicas
    if settings.accelerator.is_gpu:
        needed = math.ceil(replicas * model.tensor_parallel_size / max(pool.gpus_per_node, 1))
    else:
        needed = replicas
    return max(pool.min_nodes, needed)


def _idle_replicas(settings: Settings) -> int:
    """The primary pool's replicas with no traffic: the autoscaler scales down to its minimum; a fixed count stays."""
    scaling, replicas = settings.serving.autoscaling, settings.model.replicas
    return min(scaling.min_replicas, replicas) if scaling.enabled and replicas > 0 else replicas


def _forwarding_rules(registrations: list[Registration]) -> int:
    rules = 0
    for r in registrations:
        for gateway_class in _walk(r.inputs, "gatewayClassName"):
            # A global external gateway serves HTTP (redirect) and HTTPS: two forwarding rules.
            rules += 2 if gateway_class == "gke-l7-global-external-managed" else 1
    return rules


def estimate_cost(registrations: list[Registration], settings: Settings) -> Cost:
    states = ("running", "idle", "parked")
    parts: dict[str, dict[str, float]] = {state: {} for state in states}
    nodes = dict.fromkeys(states, 0)
    # The primary pool's inference nodes in each state; the other pools stay at their minimum in all three.
    inference_nodes = {
        "running": _serving_nodes(settings),
        "idle": _serving_nodes(settings, _idle_replicas(settings)),
        "parked": 0,
    }
    for r in registrations:
        if r.type == "gcp:container/cluster:Cluster":
            for state in states:
                parts[state]["gkeClusterFee"] = prices.GKE_CLUSTER_FEE
        if r.type == COMPUTE_CLASS:
            # GKE creates the class's node pools for the pods waiting and removes them when empty (no minimum).
            hourly, key, counts = _class_node_hourly(r.inputs.get("spec", {})), "inferenceNodes", inference_nodes
        elif r.type == NODE_POOL:
            node = r.inputs.get("nodeConfig", {})
            minimum = r.inputs.get("autoscaling", {}).get("totalMinNodeCount", 0)
            inference = node.get("labels", {}).get(INFERENCE_LABEL[0]) == INFERENCE_LABEL[1]
            hourly = _node_hourly(node)
            key = "inferenceNodes" if inference else f"{r.name.split('-')[0]}Nodes"
            counts = (
                {state: max(minimum, n) for state, n in inference_nodes.items()}
                if inference
                else dict.fromkeys(states, minimum)
            )
        else:
            continue
        for state in states:
            parts[state][key] = round(counts[state] * hourly, 4)
            nodes[state] += counts[state]
    lbs = _forwarding_rules(registrations) * prices.FORWARDING_RULE
    ips = sum(r.type == "gcp:compute/globalAddress:GlobalAddress" for r in registrations) * prices.IN_USE_EXTERNAL_IP
    for state in states:
        parts[state]["loadBalancers"] = round(lbs, 4)
        parts[state]["externalIps"] = round(ips, 4)
        parts[state]["cloudNat"] = round(nodes[state] * prices.NAT_PER_VM, 4)
    return Cost(parts["running"], parts["idle"], parts["parked"])


def _minutes(r: Registration) -> float:
    if not r.custom:
        return 0.0
    for (type_token, name_part), minutes in durations.MINUTES_BY_NAME.items():
        if r.type == type_token and name_part in r.name:
            return minutes
    for prefix, minutes in durations.MINUTES_BY_TYPE_PREFIX.items():
        if r.type.startswith(prefix):
            return minutes
    return durations.MINUTES_BY_TYPE.get(r.type, durations.DEFAULT_MINUTES)


@dataclass(frozen=True)
class Timing:
    ready_minutes: float
    sequential_minutes: float
    critical_path: list[str]


def estimate_time(registrations: list[Registration]) -> Timing:
    """Longest path through the dependency graph (what the engine's parallelism achieves) vs the sum."""
    by_urn = {r.urn: r for r in registrations}
    finish: dict[str, float] = {}
    via: dict[str, str | None] = {}

    def done(urn: str) -> float:
        if urn not in finish:
            deps = [d for d in by_urn[urn].dependencies if d in by_urn and d != urn]
            start, before = 0.0, None
            for dep in deps:
                if done(dep) > start:
                    start, before = done(dep), dep
            finish[urn] = start + _minutes(by_urn[urn])
            via[urn] = before
        return finish[urn]

    for urn in by_urn:
        done(urn)
    last = max(finish, key=lambda u: (finish[u], u)) if finish else None
    path: list[str] = []
    while last is not None:
        path.append(last)
        last = via[last]
    return Timing(
        ready_minutes=round(max(finish.values(), default=0.0), 1),
        sequential_minutes=round(sum(_minutes(r) for r in registrations), 1),
        critical_path=list(reversed(path)),
    )


def cold_start_minutes(settings: Settings) -> float:
    """How long a request waits for a pool that scaled to zero (stacks/durations.py)."""
    weights = settings.serving.weights
    source = "gcs" if weights is not None and weights.from_gcs else "huggingface"
    return round(
        durations.COLD_START_NODE_MINUTES
        + durations.COLD_START_IMAGE_MINUTES
        + durations.COLD_START_WEIGHTS_MINUTES[source]
        + durations.COLD_START_VLLM_MINUTES,
        1,
    )


def estimates(registrations: list[Registration], settings: Settings) -> dict[str, Any]:
    cost = estimate_cost(registrations, settings)
    timing = estimate_time(registrations)
    running, idle, parked = Cost.total(cost.running), Cost.total(cost.idle), Cost.total(cost.parked)
    return {
        "costPerHourUsd": running,
        "idleCostPerHourUsd": idle,
        "costPerMonthUsd": round(running * prices.HOURS_PER_MONTH),
        "idleCostPerMonthUsd": round(idle * prices.HOURS_PER_MONTH),
        "idleReplicas": _idle_replicas(settings),
        "parkedCostPerHourUsd": parked,
        "parkedCostPerMonthUsd": round(parked * prices.HOURS_PER_MONTH),
        "costBreakdownPerHourUsd": dict(sorted(cost.running.items())),
        "pricesAsOf": prices.PRICES_AS_OF,
        "pricesRegion": prices.PRICES_REGION,
        "pricedCapacity": priced_capacity(settings)[0],
        "pricedCapacityNote": capacity_note(settings),
        "timeToReadyMinutes": timing.ready_minutes,
        "sequentialMinutes": timing.sequential_minutes,
        "criticalPath": timing.critical_path,
        **_scale_to_zero(settings),
    }


def _scale_to_zero(settings: Settings) -> dict[str, Any]:
    scaling = settings.serving.autoscaling
    if not scaling.to_zero:
        return {}
    return {
        "scaleToZero": {
            "idleSeconds": scaling.idle_s,
            "coldStartSeconds": scaling.cold_start_s,
            "coldStartMinutesEstimate": cold_start_minutes(settings),
        }
    }
