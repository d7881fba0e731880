"""The GPU nodes as a GKE custom ComputeClass: a priority list of capacity types, node pools created by GKE.

Used where gpuPool.capacity lists several types on the program's own cluster (config/platform/capacity.py,
uses_compute_class). GKE tries the priorities in order when model pods wait, and creates a node pool for the first
it can get. The control plane is at least the GKE floor (1.34), above 1.33.3-gke.1136000 from which node pool
auto-creation for a class needs no cluster-level node auto-provisioning (stacks/capacity.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from stacks.capacity import (
    COMPUTE_CLASS_API_VERSION,
    COMPUTE_CLASS_KIND,
    COMPUTE_CLASS_LABEL,
    GPU_DRIVER_VERSION,
    RESERVED_CLASS_PREFIXES,
    WHEN_UNSATISFIABLE,
)


@dataclass(frozen=True)
class ComputeClassArgs:
    name: str
    capacities: tuple[str, ...]  # in priority order
    machine_type: str
    gpu_type: str
    gpu_count: int
    boot_disk_type: str
    boot_disk_gib: int
    service_account: pulumi.Input[str]
    reservation: str | None = None
    zones: tuple[str, ...] = ()
    node_labels: dict[str, str] | None = None


def priority(args: ComputeClassArgs, capacity: str) -> dict[str, Any]:
    """One priority rule: the same machine, GPUs and boot disk, bought as `capacity`."""
    rule: dict[str, Any] = {
        "machineType": args.machine_type,
        "gpu": {"type": args.gpu_type, "count": args.gpu_count, "driverVersion": GPU_DRIVER_VERSION},
        "storage": {"bootDiskType": args.boot_disk_type, "bootDiskSize": args.boot_disk_gib},
    }
    if args.zones:
        # The zones that offer the GPU (or hold the reservation): GKE refuses a node pool in a zone without it.
        rule["location"] = {"zones": list(args.zones)}
    if capacity == "spot":
        rule["spot"] = True
    elif capacity == "flex-start":
        rule["flexStart"] = {"enabled": True}
    elif capacity == "reservation":
        # Specific: when the reservation is full GKE moves to the next rule (AnyBestEffort would fall back to
        # on-demand inside this one).
        rule["reservations"] = {"affinity": "Specific", "specific": [{"name": args.reservation}]}
        rule["spot"] = False
    else:  # on-demand
        rule["spot"] = False
    return rule


def compute_class_spec(args: ComputeClassArgs) -> dict[str, Any]:
    assert not args.name.startswith(RESERVED_CLASS_PREFIXES), args.name
    assert len(args.capacities) == len(set(args.capacities)) > 0, args.capacities
    node_pool_config: dict[str, Any] = {
        # The program's node service account, never the project's default one: the firewall rules admit the load
        # balancers to this account's VMs, and it holds only the node roles.
        "serviceAccount": args.service_account,
        "imageStreaming": {"enabled": True},
    }
    if args.node_labels:
        node_pool_config["nodeLabels"] = dict(args.node_labels)
    return {
        "priorities": [priority(args, capacity) for capacity in args.capacities],
        "nodePoolAutoCreation": {"enabled": True},
        # Explicit although it is the default from 1.33: pods wait rather than land on a node no rule describes.
        "whenUnsatisfiable": WHEN_UNSATISFIABLE,
        "nodePoolConfig": node_pool_config,
    }


class InferenceComputeClass(pulumi.ComponentResource):
    """The ComputeClass the model pods select (`node_selector`), created through the cluster's Kubernetes provider."""

    def __init__(self, name: str, args: ComputeClassArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:platform:InferenceComputeClass", name, None, opts)
        self.compute_class = k8s.apiextensions.CustomResource(
            name,
            api_version=COMPUTE_CLASS_API_VERSION,
            kind=COMPUTE_CLASS_KIND,
            metadata={"name": args.name},
            spec=compute_class_spec(args),
            opts=child_options(self, opts),
        )
        self.name = args.name
        self.node_selector = {COMPUTE_CLASS_LABEL: args.name}
        self.register_outputs({"name": self.name})
