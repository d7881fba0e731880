"""llm-d intelligent inference scheduling on GKE.

config (validated once) ─► project APIs ─► VPC + subnets + proxy-only subnet + NAT
                                       ─► node service account
                                       ─► GKE cluster ─► system pool, inference pool
                                                      ─► Kubernetes provider ─► (llm-d layer, edge)
"""

import pulumi

from components.cluster import ClusterArgs, GkeCluster
from components.cluster_access import ClusterAccess
from components.network import Network, NetworkArgs
from components.node_identity import NodeServiceAccount
from components.node_pool import NodePool
from components.pools import inference_pool_args, system_pool_args
from components.project_services import ProjectServices
from config import ConfigError, settings_from_pulumi
from stacks.platform import NODE_SERVICE_ACCOUNT_ROLES, REQUIRED_APIS

try:
    settings = settings_from_pulumi()
except ConfigError as error:
    raise pulumi.RunError(str(error)) from None
for notice in settings.notices:
    pulumi.log.warn(notice)

apis = ProjectServices("apis", settings.project, REQUIRED_APIS)
after_apis = pulumi.ResourceOptions(depends_on=[apis])

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
    ),
    opts=after_apis,
)
node_identity = NodeServiceAccount(
    "node-identity", settings.project, settings.names.node_service_account, NODE_SERVICE_ACCOUNT_ROLES, opts=after_apis
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
        deletion_protection=settings.cluster.deletion_protection,
        api_endpoint=settings.cluster.api_endpoint,
        master_authorized_networks=tuple((n.cidr, n.name) for n in settings.cluster.master_authorized_networks),
        labels=settings.labels,
    ),
    opts=pulumi.ResourceOptions(depends_on=[apis, node_identity]),
)
pools_opts = pulumi.ResourceOptions(depends_on=[node_identity])
system_pool = NodePool("system-pool", system_pool_args(settings, cluster.name, node_identity.email), opts=pools_opts)
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
pulumi.export("inferencePoolName", inference_pool.name)
pulumi.export(
    "getCredentialsCommand",
    cluster.name.apply(
        lambda name: (
            f"gcloud container clusters get-credentials {name} --region {settings.region} "
            f"--project {settings.project}" + (" --dns-endpoint" if settings.cluster.api_endpoint == "dns" else "")
        )
    ),
)
