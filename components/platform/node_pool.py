from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_gcp as gcp

from components.options import child_options
from stacks.platform import OAUTH_SCOPES, REGIONAL_POOL_DEFAULT_ZONES


@dataclass(frozen=True)
class Accelerator:
    gke_type: str
    count: int


@dataclass(frozen=True)
class NodePoolArgs:
    project: str
    region: str
    cluster: pulumi.Input[str]
    name: str
    machine_type: str
    disk_type: str
    disk_size_gb: int
    service_account: pulumi.Input[str]
    min_nodes: int
    max_nodes: int
    labels: dict[str, str]
    node_labels: dict[str, str] = field(default_factory=dict)
    taints: tuple[dict[str, str], ...] = ()
    accelerator: Accelerator | None = None
    capacity: str = "on-demand"
    reservation: str | None = None
    zones: tuple[str, ...] = ()


def _capacity_settings(args: NodePoolArgs) -> dict[str, Any]:
    """node_config fields for the capacity choice."""
    if args.capacity == "spot":
        return {"spot": True}
    if args.capacity == "flex-start":
        return {"flex_start": True, "reservation_affinity": {"consume_reservation_type": "NO_RESERVATION"}}
    if args.capacity == "reservation":
        return {
            "reservation_affinity": {
                "consume_reservation_type": "SPECIFIC_RESERVATION",
                "key": "compute.googleapis.com/reservation-name",
                "values": [args.reservation],
            }
        }
    return {}


def initial_nodes_per_zone(min_nodes: int, max_nodes: int, zone_count: int) -> int:
    """The pool's starting size per zone (the provider's initial_node_count counts per zone in a regional pool).

    Whole nodes per zone up to min_nodes in total, never more (min_nodes <= max_nodes): a system pool with a
    minimum of 1 starts with none rather than one per zone, and the autoscaler adds nodes for the pods that
    wait (stacks/evidence.py: autoscaler-reaches-total-minimum).
    """
    return min(min_nodes, max_nodes) // zone_count


class NodePool(pulumi.ComponentResource):
    """An autoscaled, shielded node pool running as the dedicated node service account."""

    def __init__(self, name: str, args: NodePoolArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:platform:NodePool", name, None, opts)
        guest_accelerators = (
            [
                {
                    "type": args.accelerator.gke_type,
                    "count": args.accelerator.count,
                    "gpu_driver_installation_config": {"gpu_driver_version": "LATEST"},
                }
            ]
            if args.accelerator
            else []
        )
        node_config: Any = {
            "machine_type": args.machine_type,
            "disk_type": args.disk_type,
            "disk_size_gb": args.disk_size_gb,
            "image_type": "COS_CONTAINERD",
            "service_account": args.service_account,
            "oauth_scopes": list(OAUTH_SCOPES),
            "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
            "workload_metadata_config": {"mode": "GKE_METADATA"},
            "gcfs_config": {"enabled": True},
            "gvnic": {"enabled": True},
            "guest_accelerators": guest_accelerators,
            "labels": args.node_labels,
            "taints": list(args.taints),
            "resource_labels": args.labels,
            **_capacity_settings(args),
        }
        self.pool = gcp.container.NodePool(
            name,
            name=args.name,
            project=args.project,
            location=args.region,
            cluster=args.cluster,
            node_locations=list(args.zones) or None,
            initial_node_count=initial_nodes_per_zone(
                args.min_nodes, args.max_nodes, len(args.zones) or REGIONAL_POOL_DEFAULT_ZONES
            ),
            autoscaling=gcp.container.NodePoolAutoscalingArgs(
                total_min_node_count=args.min_nodes,
                total_max_node_count=args.max_nodes,
                # GPUs: take whichever zone has capacity rather than balancing.
                location_policy="ANY" if args.accelerator else "BALANCED",
            ),
            management={
                # Flex-start nodes are short-lived by design and GKE requires auto-repair off for them.
                "auto_repair": args.capacity != "flex-start",
                "auto_upgrade": True,
            },
            node_config=node_config,
            opts=pulumi.ResourceOptions.merge(
                child_options(self, opts),
                pulumi.ResourceOptions(
                    # initial_node_count forces a new pool in the provider and matters only at create: the
                    # autoscaler's totals (updated in place) govern the size afterwards.
                    ignore_changes=["initialNodeCount"],
                    # The pool's name is fixed, so a replacement (another GPU count, say) must delete the old pool
                    # first or GKE refuses the new one as a duplicate.
                    delete_before_replace=True,
                ),
            ),
        )
        self.name = self.pool.name
        self.register_outputs({"name": self.name})
