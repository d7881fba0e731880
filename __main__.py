"""llm-d intelligent inference scheduling on GKE.

config (validated once) ─► project APIs ─► VPC + subnets + proxy-only subnet + NAT
                                       ─► node service account
                                       ─► GKE cluster ─► system pool, inference pool
                                                      ─► Kubernetes provider ─► llm-d serving layer ─► (edge)
With `llmd:existingCluster` set, only the serving layer is deployed, onto that kubeconfig context.
"""

import pulumi
import pulumi_kubernetes as k8s
from pulumi.runtime.config import is_config_secret

from components.platform.cluster import ClusterArgs, GkeCluster
from components.platform.cluster_access import ClusterAccess
from components.platform.network import Network, NetworkArgs
from components.platform.node_identity import NodeServiceAccount
from components.platform.node_pool import NodePool
from components.platform.pools import inference_pool_args, system_pool_args
from components.platform.project_services import ProjectServices
from components.serving.llmd_serving import GcpPlatform, LlmdServing, LlmdServingArgs
from config import ConfigError, settings_from_pulumi
from stacks.platform import NODE_SERVICE_ACCOUNT_ROLES, REQUIRED_APIS
from stacks.versions import GKE_FLOOR

try:
    settings = settings_from_pulumi()
except ConfigError as error:
    raise pulumi.RunError(str(error)) from None
for notice in settings.notices:
    pulumi.log.warn(notice)

# Read as a secret Output, whatever the stack file holds: it never reaches the plan, outputs or logs.
hf_token = pulumi.Config("llmd").get_secret("hfToken") if settings.serving.hf_token_set else None
if hf_token is not None and not is_config_secret("llmd:hfToken"):
    pulumi.log.warn("llmd:hfToken is stored in plain text: run pulumi config set --secret llmd:hfToken <token>")

on_gke = settings.serving.existing_cluster is None
if on_gke:
    apis = ProjectServices("apis", settings.project, REQUIRED_APIS)
    after_apis = pulumi.ResourceOptions(depends_on=[apis])

    node_identity = NodeServiceAccount(
        "node-identity",
        settings.project,
        settings.names.node_service_account,
        NODE_SERVICE_ACCOUNT_ROLES,
        opts=after_apis,
    )
    network = Network(
        "network",
        NetworkArgs(
            project=settings.project,
            region=settings.region,
            names=settings.names,
            node_cidr=settings.network.node_cidr,
            pod_cidr=settings.network.pod_cidr,
            service_cidr=settings.network.service_cidr,
            proxy_only_cidr=settings.network.proxy_only_cidr,
            node_service_account=node_identity.email,
        ),
        opts=after_apis,
    )
    cluster = GkeCluster(
        "gke",
        ClusterArgs(
            project=settings.project,
            region=settings.region,
            name=settings.names.cluster,
            network_id=network.vpc.id,
            subnet_id=network.subnet.id,
            master_cidr=settings.network.master_cidr,
            node_service_account=node_identity.email,
            release_channel=settings.cluster.release_channel,
            min_master_version=settings.cluster.min_master_version or GKE_FLOOR.minor,
            deletion_protection=settings.cluster.deletion_protection,
            api_endpoint=settings.cluster.api_endpoint,
            master_authorized_networks=tuple((n.cidr, n.name) for n in settings.cluster.master_authorized_networks),
            labels=settings.labels,
        ),
        # The whole network, not only the subnet it names: the proxy-only subnet, NAT and firewall rules must
        # exist before GKE programs gateways, and outlive them on destroy.
        opts=pulumi.ResourceOptions(depends_on=[apis, node_identity, network]),
    )
    pools_opts = pulumi.ResourceOptions(depends_on=[node_identity])
    system_pool = NodePool(
        "system-pool", system_pool_args(settings, cluster.name, node_identity.email), opts=pools_opts
    )
    inference_pool = NodePool(
        "inference-pool", inference_pool_args(settings, cluster.name, node_identity.email), opts=pools_opts
    )
    access = ClusterAccess(
        "cluster-access",
        cluster_name=cluster.name,
        api_endpoint=settings.cluster.api_endpoint,
        endpoint=cluster.endpoint,
        dns_endpoint=cluster.dns_endpoint,
        ca_certificate=cluster.ca_certificate,
    )

    pulumi.export("clusterName", cluster.name)
    pulumi.export("clusterLocation", cluster.location)
    pulumi.export("networkName", network.vpc.name)
    pulumi.export("subnetName", network.subnet.name)
    pulumi.export("proxyOnlySubnetName", network.proxy_only_subnet.name)
    pulumi.export("inferenceNodePoolName", inference_pool.name)
    pulumi.export(
        "getCredentialsCommand",
        cluster.name.apply(
            lambda name: (
                f"gcloud container clusters get-credentials {name} --region {settings.region} "
                f"--project {settings.project}" + (" --dns-endpoint" if settings.cluster.api_endpoint == "dns" else "")
            )
        ),
    )
    k8s_provider = access.provider
    gcp_platform: GcpPlatform | None = GcpPlatform(settings.project, settings.region, network.subnet.id)
    serving_after: list[pulumi.Resource] = [apis, system_pool, inference_pool]
else:
    existing = settings.serving.existing_cluster
    assert existing is not None
    k8s_provider = k8s.Provider(
        "existing-cluster",
        context=existing.context,
        kubeconfig=existing.kubeconfig,
        enable_server_side_apply=True,
        delete_unreachable=False,
    )
    gcp_platform = None
    serving_after = []

# The llm-d serving layer. Every Kubernetes object in it uses the cluster's provider, which depends on the
# cluster: `pulumi destroy` deletes Gateways, routes and policies (and so GKE's load balancers and NEGs)
# before the cluster and network.
serving = LlmdServing(
    "llm-d",
    LlmdServingArgs(settings=settings, hf_token=hf_token, gcp=gcp_platform),
    opts=pulumi.ResourceOptions(providers=[k8s_provider], depends_on=serving_after),
)
pulumi.export("llmdNamespace", serving.namespace)
pulumi.export("internalGatewayAddress", serving.internal_gateway_address)
pulumi.export("servedModel", settings.model.name)
pulumi.export("inferencePoolName", serving.primary_inference_pool)

# The public edge (GKE stacks only): Endpoints DNS on a global address, managed TLS, the external gateway
# with HTTP->HTTPS redirect and IAP, the chat frontend, the dashboard and alert policies.
if on_gke:
    from components.edge.edge import EdgeInputs, PublicEdge

    edge = PublicEdge(
        "edge",
        settings,
        EdgeInputs(k8s_provider, serving.namespace, serving.internal_gateway_address),
        opts=pulumi.ResourceOptions(depends_on=[apis]),
    )
    for notice in settings.edge.notices:
        pulumi.log.warn(notice)
    pulumi.export("chatUrl", edge.chat_url)
    pulumi.export("dashboardUrl", edge.dashboard_url)
    pulumi.export("stressTestServiceAccount", edge.stress_test_service_account)
