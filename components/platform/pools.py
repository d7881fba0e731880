"""Node pool arguments for the stack's two pools, derived from the settings and the catalog."""

from __future__ import annotations

import pulumi

from components.platform.compute_class import ComputeClassArgs
from components.platform.node_pool import Accelerator, NodePoolArgs
from config.platform.resolve import InferencePoolSettings
from config.settings import Settings
from stacks.accelerators import SYSTEM_POOL_MACHINE
from stacks.platform import CPU_INFERENCE_TAINT, GPU_TAINT, INFERENCE_POOL_LABEL


def system_pool_args(s: Settings, cluster: pulumi.Input[str], service_account: pulumi.Input[str]) -> NodePoolArgs:
    return NodePoolArgs(
        project=s.project,
        region=s.region,
        cluster=cluster,
        name=s.names.node_pool("system"),
        machine_type=s.system_pool.machine_type or SYSTEM_POOL_MACHINE.machine_type,
        disk_type="pd-balanced",
        disk_size_gb=100,
        service_account=service_account,
        min_nodes=s.system_pool.min_nodes,
        max_nodes=s.system_pool.max_nodes,
        labels=s.labels,
        node_labels={"llm-d.ai/pool": "system"},
    )


def inference_pool_args(s: Settings, cluster: pulumi.Input[str], service_account: pulumi.Input[str]) -> NodePoolArgs:
    acc, pool = s.accelerator, s.gpu_pool
    return NodePoolArgs(
        project=s.project,
        region=s.region,
        cluster=cluster,
        name=s.names.node_pool(acc.name if acc.is_gpu else "cpu-inference"),
        machine_type=pool.machine.machine_type,
        disk_type=acc.boot_disk_type,
        disk_size_gb=acc.boot_disk_gib,
        service_account=service_account,
        min_nodes=pool.min_nodes,
        max_nodes=pool.max_nodes,
        labels=s.labels,
        node_labels=dict(INFERENCE_POOL_LABEL),
        taints=(GPU_TAINT,) if acc.is_gpu else (CPU_INFERENCE_TAINT,),
        accelerator=Accelerator(acc.gke_accelerator, pool.gpus_per_node) if acc.gke_accelerator else None,
        capacity=pool.capacity,
        reservation=pool.reservation,
        zones=pool.zones,
    )


def capacity_list(s: Settings) -> tuple[tuple[str, ...], bool]:
    """The GPU pool's capacity types in priority order, and whether a ComputeClass realises them."""
    pool = s.gpu_pool
    if isinstance(pool, InferencePoolSettings) and pool.capacities:
        return pool.capacities, pool.compute_class
    return (pool.capacity,), False


def compute_class_args(s: Settings, service_account: pulumi.Input[str]) -> ComputeClassArgs:
    acc, pool = s.accelerator, s.gpu_pool
    assert acc.gke_accelerator is not None
    capacities, _ = capacity_list(s)
    return ComputeClassArgs(
        name=s.names.of("inference"),
        capacities=capacities,
        machine_type=pool.machine.machine_type,
        gpu_type=acc.gke_accelerator,
        gpu_count=pool.gpus_per_node,
        boot_disk_type=acc.boot_disk_type,
        boot_disk_gib=acc.boot_disk_gib,
        service_account=service_account,
        reservation=pool.reservation,
        zones=pool.zones,
        # The fixed pool's label too, so what finds inference nodes by it (dashboards, kubectl) still does.
        node_labels=dict(INFERENCE_POOL_LABEL),
    )
