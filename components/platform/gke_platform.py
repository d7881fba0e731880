"""The GCP platform layer, in dependency order: project APIs -> node identity -> VPC, subnets, proxy-only subnet,
NAT, firewalls -> regional GKE cluster -> system and inference pools -> the Kubernetes provider."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.platform.cluster import ClusterArgs, GkeCluster
from components.platform.cluster_access import ClusterAccess
from components.platform.compute_class import InferenceComputeClass
from components.platform.network import Network, NetworkArgs
from components.platform.node_identity import NodeServiceAccount
from components.platform.node_pool import NodePool
from components.platform.pools import capacity_list, compute_class_args, inference_pool_args, system_pool_args
from components.platform.project_services import ProjectServices
from components.platform.target import DeploymentTarget, GcpPlatform
from config.platform.capacity import hyperdisk_floor_needed
from config.settings import Settings
from stacks.autoscaling import KEDA
from stacks.capacity import HYPERDISK_CLASS_FLOOR
from stacks.platform import INFERENCE_POOL_LABEL, NODE_SERVICE_ACCOUNT_ROLES, REQUIRED_APIS
from stacks.versions import GKE_FLOOR, GkeVersionFloor, initial_master_version


def credentials_command(cluster: str, region: str, project: str, api_endpoint: str) -> str:
    dns = " --dns-endpoint" if api_endpoint == "dns" else ""
    return f"gcloud container clusters get-credentials {cluster} --region {region} --project {project}{dns}"


def cluster_floor(s: Settings) -> GkeVersionFloor:
    """The oldest control plane the stack works on: the serving layer's floor, or the ComputeClass's when its rules
    boot from Hyperdisk (that field needs a newer patch)."""
    _, compute_class = capacity_list(s)
    return HYPERDISK_CLASS_FLOOR if compute_class and hyperdisk_floor_needed(s.accelerator) else GKE_FLOOR


def channel_default_version(s: Settings, apis: pulumi.Resource) -> pulumi.Output[str]:
    """The release channel's default version in the region, never below the floor (read once the API is on)."""
    versions = gcp.container.get_engine_versions_output(
        location=s.region, project=s.project, opts=pulumi.InvokeOutputOptions(depends_on=[apis])
    )
    channel = s.cluster.release_channel
    floor = cluster_floor(s)
    return versions.release_channel_default_version.apply(
        lambda defaults: initial_master_version(defaults.get(channel) or floor.minor, floor)
    )


def gke_platform(s: Settings) -> DeploymentTarget:
    apis = ProjectServices("apis", s.project, REQUIRED_APIS)
    after_apis = pulumi.ResourceOptions(depends_on=[apis])
    node_identity = NodeServiceAccount(
        "node-identity", s.project, s.names.node_service_account, NODE_SERVICE_ACCOUNT_ROLES, opts=after_apis
    )
    network = Network(
        "network",
        NetworkArgs(
            project=s.project,
            region=s.region,
            names=s.names,
            node_cidr=s.network.node_cidr,
            pod_cidr=s.network.pod_cidr,
            service_cidr=s.network.service_cidr,
            proxy_only_cidr=s.network.proxy_only_cidr,
            node_service_account=node_identity.email,
            master_cidr=s.network.master_cidr,
            control_plane_ports=KEDA.control_plane_ports if s.serving.autoscaling.to_zero else (),
        ),
        opts=after_apis,
    )
    cluster = GkeCluster(
        "gke",
        ClusterArgs(
            project=s.project,
            region=s.region,
            name=s.names.cluster,
            network_id=network.vpc.id,
            subnet_id=network.subnet.id,
            master_cidr=s.network.master_cidr,
            node_service_account=node_identity.email,
            release_channel=s.cluster.release_channel,
            min_master_version=s.cluster.min_master_version or channel_default_version(s, apis),
            version_chosen=s.cluster.min_master_version is not None,
            deletion_protection=s.cluster.deletion_protection,
            api_endpoint=s.cluster.api_endpoint,
            master_authorized_networks=tuple((n.cidr, n.name) for n in s.cluster.master_authorized_networks),
            labels=s.labels,
        ),
        # The whole network, not only the subnet it names: the proxy-only subnet, NAT and firewall rules must
        # exist before GKE programs gateways, and outlive them on destroy.
        opts=pulumi.ResourceOptions(depends_on=[apis, node_identity, network]),
    )
    pools_opts = pulumi.ResourceOptions(depends_on=[node_identity])
    system_pool = NodePool("system-pool", system_pool_args(s, cluster.name, node_identity.email), opts=pools_opts)
    _, compute_class = capacity_list(s)
    pool = (
        None
        if compute_class
        # One capacity type (or the cpu stack, or a GPU without a ComputeClass): the fixed pool, which scales to
        # zero and takes that one type.
        else NodePool("inference-pool", inference_pool_args(s, cluster.name, node_identity.email), opts=pools_opts)
    )
    access = ClusterAccess(
        "cluster-access",
        cluster_name=cluster.name,
        api_endpoint=s.cluster.api_endpoint,
        endpoint=cluster.endpoint,
        dns_endpoint=cluster.dns_endpoint,
        ca_certificate=cluster.ca_certificate,
    )
    inference: pulumi.Resource
    outputs: dict[str, pulumi.Input[str]] = {}
    if pool is None:
        # Several capacity types: GKE creates the GPU node pools for this class, trying its priorities in order.
        gpu_class = InferenceComputeClass(
            "inference-compute-class",
            compute_class_args(s, node_identity.email),
            opts=pulumi.ResourceOptions(providers=[access.provider], depends_on=[node_identity]),
        )
        inference, selector = gpu_class, gpu_class.node_selector
        outputs["inferenceComputeClassName"] = gpu_class.name
    else:
        inference, selector = pool, dict(INFERENCE_POOL_LABEL)
        outputs["inferenceNodePoolName"] = pool.name
    return DeploymentTarget(
        k8s_provider=access.provider,
        serving_after=[apis, system_pool, inference],
        gcp=GcpPlatform(
            s.project, s.region, network.subnet.id, gcp.organizations.get_project_output(project_id=s.project).number
        ),
        edge_after=[apis],
        outputs={
            "clusterName": cluster.name,
            "clusterLocation": cluster.location,
            "networkName": network.vpc.name,
            "subnetName": network.subnet.name,
            "proxyOnlySubnetName": network.proxy_only_subnet.name,
            **outputs,
            "getCredentialsCommand": cluster.name.apply(
                lambda name: credentials_command(name, s.region, s.project, s.cluster.api_endpoint)
            ),
        },
        model_node_selector=selector,
    )
