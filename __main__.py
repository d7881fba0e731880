"""llm-d intelligent inference scheduling on GKE, one layer after the other (README: Architecture).

platform: project APIs -> VPC, proxy-only subnet, NAT -> private GKE cluster -> pools -> Kubernetes provider
          (or an existing cluster's kubeconfig context, and nothing else)
serving:  namespace -> vLLM model servers -> InferencePools with their endpoint pickers -> internal gateway
edge:     address -> Endpoints DNS -> certificate -> external gateway with IAP -> chat frontend; monitoring
"""

import pulumi

from components.platform.existing_cluster import existing_cluster
from components.platform.gke_platform import gke_platform
from components.serving.inputs import serving_args
from components.serving.llmd_serving import LlmdServing
from config import ConfigError, settings_from_pulumi

try:
    settings = settings_from_pulumi()
except ConfigError as error:
    raise pulumi.RunError(str(error)) from None
for notice in settings.notices:
    pulumi.log.warn(notice)

existing = settings.serving.existing_cluster
target = existing_cluster(existing) if existing is not None else gke_platform(settings)

# Every Kubernetes object uses the target's provider, which depends on the cluster: `pulumi destroy` deletes
# Gateways, routes and policies (and so GKE's load balancers and NEGs) before the cluster and network.
serving = LlmdServing(
    "llm-d",
    serving_args(settings, target),
    opts=pulumi.ResourceOptions(providers=[target.k8s_provider], depends_on=target.serving_after),
)
outputs = {**target.outputs, **serving.outputs}

if target.gcp is not None:
    from components.edge.edge import EdgeInputs, PublicEdge, edge_args

    edge = PublicEdge(
        "edge",
        edge_args(settings),
        EdgeInputs(
            target.k8s_provider, serving.namespace, serving.internal_gateway_address, target.gcp.project_number
        ),
        opts=pulumi.ResourceOptions(depends_on=target.edge_after),
    )
    for notice in settings.edge.notices:
        pulumi.log.warn(notice)
    outputs |= edge.outputs

for key, value in outputs.items():
    pulumi.export(key, value)
