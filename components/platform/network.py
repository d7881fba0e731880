from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.compute import Firewall

from components.options import child_options
from config.naming import Names
from stacks.platform import HEALTH_CHECK_RANGES, POD_RANGE_NAME, SERVICE_RANGE_NAME
from stacks.serving import LOAD_BALANCED_PORTS


@dataclass(frozen=True)
class NetworkArgs:
    project: str
    region: str
    names: Names
    node_cidr: str
    pod_cidr: str
    service_cidr: str
    proxy_only_cidr: str
    # The service account every node of the cluster runs as: the firewall rules admit traffic to these VMs only.
    node_service_account: pulumi.Input[str]
    master_cidr: str = ""
    # Pod ports the private control plane must reach beyond GKE's own 443 and 10250 (an extension API server or
    # admission webhook in the cluster); none: no rule.
    control_plane_ports: tuple[int, ...] = ()


class Network(pulumi.ComponentResource):
    """Custom-mode VPC, node subnet, proxy-only subnet, NAT for private nodes, load-balancer firewall rules."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:platform:Network", name, None, opts)
        child = child_options(self, opts)
        n = args.names

        self.vpc = gcp.compute.Network(
            "vpc",
            name=n.of("vpc"),
            project=args.project,
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            opts=child,
        )
        self.subnet = gcp.compute.Subnetwork(
            "nodes",
            name=n.of("nodes"),
            project=args.project,
            region=args.region,
            network=self.vpc.id,
            ip_cidr_range=args.node_cidr,
            private_ip_google_access=True,
            secondary_ip_ranges=[
                {"range_name": POD_RANGE_NAME, "ip_cidr_range": args.pod_cidr},
                {"range_name": SERVICE_RANGE_NAME, "ip_cidr_range": args.service_cidr},
            ],
            log_config={"aggregation_interval": "INTERVAL_10_MIN", "flow_sampling": 0.5},
            opts=child,
        )
        # The regional Envoy proxies of the internal gateway (gke-l7-rilb) live in this subnet;
        # without it the Gateway never becomes Programmed.
        self.proxy_only_subnet = gcp.compute.Subnetwork(
            "proxy-only",
            name=n.of("proxy-only"),
            project=args.project,
            region=args.region,
            network=self.vpc.id,
            ip_cidr_range=args.proxy_only_cidr,
            purpose="REGIONAL_MANAGED_PROXY",
            role="ACTIVE",
            opts=child,
        )
        self.router = gcp.compute.Router(
            "router", name=n.of("router"), project=args.project, region=args.region, network=self.vpc.id, opts=child
        )
        # Private nodes have no external IPs: NAT lets them pull images and model weights.
        self.nat = gcp.compute.RouterNat(
            "nat",
            name=n.of("nat"),
            project=args.project,
            region=args.region,
            router=self.router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
            log_config={"enable": True, "filter": "ERRORS_ONLY"},
            opts=child,
        )

        def allow_to_nodes(key: str, sources: list[str], ports: Sequence[int], description: str) -> Firewall:
            """TCP from `sources` to the cluster's nodes only (by their service account)."""
            return gcp.compute.Firewall(
                key,
                name=n.of(key),
                project=args.project,
                network=self.vpc.id,
                direction="INGRESS",
                source_ranges=sources,
                allows=[{"protocol": "tcp", "ports": [str(p) for p in ports]}],
                target_service_accounts=[args.node_service_account],
                description=description,
                opts=child,
            )

        self.health_check_firewall = allow_to_nodes(
            "allow-health-checks",
            list(HEALTH_CHECK_RANGES),
            LOAD_BALANCED_PORTS,
            "Google Cloud load balancer health checks to the pods' serving ports",
        )
        self.proxy_firewall = allow_to_nodes(
            "allow-proxy-only",
            [args.proxy_only_cidr],
            LOAD_BALANCED_PORTS,
            "Internal gateway proxies to the model servers and the endpoint picker",
        )
        if args.control_plane_ports:
            self.control_plane_firewall = allow_to_nodes(
                "allow-control-plane",
                [args.master_cidr],
                args.control_plane_ports,
                "The private control plane to in-cluster API extensions (KEDA's metrics server and webhook), which "
                "GKE's own rule does not open",
            )
        self.register_outputs(
            {"network": self.vpc.name, "subnet": self.subnet.name, "proxyOnlySubnet": self.proxy_only_subnet.name}
        )
