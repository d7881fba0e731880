from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.options import child_options
from stacks.platform import OAUTH_SCOPES, POD_RANGE_NAME, SERVICE_RANGE_NAME


@dataclass(frozen=True)
class ClusterArgs:
    project: str
    region: str
    name: str
    network_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    master_cidr: str
    node_service_account: pulumi.Input[str]
    release_channel: str
    min_master_version: pulumi.Input[str]
    # True when the user chose the version: a later change of it is applied; otherwise the version read at create
    # (the channel's default then) is kept, and the channel's own upgrades move the cluster on.
    version_chosen: bool
    deletion_protection: bool
    api_endpoint: str
    master_authorized_networks: tuple[tuple[str, str], ...]
    labels: dict[str, str]


class GkeCluster(pulumi.ComponentResource):
    """Regional Standard GKE cluster: private nodes, Workload Identity, Gateway API, Managed Prometheus."""

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:platform:GkeCluster", name, None, opts)
        self.cluster = gcp.container.Cluster(
            "cluster",
            name=args.name,
            project=args.project,
            location=args.region,
            network=args.network_id,
            subnetwork=args.subnet_id,
            deletion_protection=args.deletion_protection,
            # GKE cannot create a cluster without a pool: the default pool is created (as our node service
            # account, never the default compute one) and removed at once. Its node_config describes only that
            # transient pool, and a later change to it would make the provider update a `default-pool` that no
            # longer exists, so it is set once and ignored afterwards (ignore_changes below), the way
            # terraform-google-modules' clusters ignore their initial node_pool. Node settings live on our pools.
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config={
                "service_account": args.node_service_account,
                "oauth_scopes": list(OAUTH_SCOPES),
                "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
                "workload_metadata_config": {"mode": "GKE_METADATA"},
            },
            release_channel={"channel": args.release_channel},
            # A floor, not a pin: the initial version at create, afterwards an upgrade only if the cluster is older.
            min_master_version=args.min_master_version,
            ip_allocation_policy={
                "cluster_secondary_range_name": POD_RANGE_NAME,
                "services_secondary_range_name": SERVICE_RANGE_NAME,
                "stack_type": "IPV4",
            },
            private_cluster_config={
                "enable_private_nodes": True,
                "enable_private_endpoint": False,
                "master_ipv4_cidr_block": args.master_cidr,
            },
            control_plane_endpoints_config={
                "dns_endpoint_config": {"allow_external_traffic": args.api_endpoint == "dns"},
                "ip_endpoints_config": {"enabled": True},
            },
            master_authorized_networks_config={
                "cidr_blocks": [
                    {"cidr_block": cidr, "display_name": label} for cidr, label in args.master_authorized_networks
                ],
                "gcp_public_cidrs_access_enabled": False,
            },
            master_auth={"client_certificate_config": {"issue_client_certificate": False}},
            enable_legacy_abac=False,
            enable_shielded_nodes=True,
            workload_identity_config={"workload_pool": f"{args.project}.svc.id.goog"},
            gateway_api_config={"channel": "CHANNEL_STANDARD"},
            datapath_provider="ADVANCED_DATAPATH",
            secret_manager_config={"enabled": True},
            addons_config={
                "http_load_balancing": {"disabled": False},
                "gce_persistent_disk_csi_driver_config": {"enabled": True},
                "gcs_fuse_csi_driver_config": {"enabled": True},
            },
            monitoring_config={
                "enable_components": ["SYSTEM_COMPONENTS", "DCGM"],
                "managed_prometheus": {"enabled": True},
            },
            logging_config={"enable_components": ["SYSTEM_COMPONENTS", "WORKLOADS"]},
            cost_management_config={"enabled": True},
            resource_labels=args.labels,
            opts=pulumi.ResourceOptions.merge(
                child_options(self, opts),
                pulumi.ResourceOptions(
                    ignore_changes=["nodeConfig", "initialNodeCount"]
                    + ([] if args.version_chosen else ["minMasterVersion"])
                ),
            ),
        )
        self.name = self.cluster.name
        self.location = self.cluster.location
        self.endpoint = self.cluster.endpoint
        self.ca_certificate = self.cluster.master_auth.apply(lambda auth: auth.cluster_ca_certificate)
        self.dns_endpoint = self.cluster.control_plane_endpoints_config.apply(
            lambda cfg: cfg.dns_endpoint_config.endpoint if cfg and cfg.dns_endpoint_config else None
        )
        self.register_outputs({"name": self.name, "location": self.location})
