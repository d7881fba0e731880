"""Typical minutes from creating a resource to it being usable, for the plan's time-to-ready estimate.

Observed on GKE deployments of this shape; real times vary with region, capacity and image caches.
Type tokens not listed here take DEFAULT_MINUTES; ComponentResources take none.
"""

DEFAULT_MINUTES = 0.2

MINUTES_BY_TYPE: dict[str, float] = {
    "gcp:projects/service:Service": 1.0,
    "gcp:compute/network:Network": 0.5,
    "gcp:compute/subnetwork:Subnetwork": 0.4,
    "gcp:compute/router:Router": 0.3,
    "gcp:compute/routerNat:RouterNat": 1.0,
    "gcp:compute/firewall:Firewall": 0.3,
    "gcp:serviceaccount/account:Account": 0.2,
    "gcp:projects/iAMMember:IAMMember": 0.3,
    "gcp:container/cluster:Cluster": 9.0,
    "gcp:container/nodePool:NodePool": 4.0,
    "gcp:compute/address:Address": 0.3,
    "gcp:compute/globalAddress:GlobalAddress": 0.3,
    "gcp:endpoints/service:Service": 1.0,
    # A Google-managed certificate turns ACTIVE only once DNS points at a load balancer serving it.
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": 20.0,
    "gcp:certificatemanager/certificate:Certificate": 20.0,
    "gcp:secretmanager/secret:Secret": 0.1,
    "gcp:secretmanager/secretVersion:SecretVersion": 0.1,
    "gcp:artifactregistry/repository:Repository": 0.3,
    "gcp:cloudbuild/trigger:Trigger": 0.2,
    "pulumi:providers:kubernetes": 0.0,
    "kubernetes:core/v1:Namespace": 0.1,
    "kubernetes:helm.sh/v3:Release": 1.5,
}

# Matched on the resource name after the type: a model server is ready once a GPU node scaled up from
# zero, the vLLM image was pulled and the weights were downloaded and loaded.
MINUTES_BY_NAME: dict[tuple[str, str], float] = {
    ("kubernetes:helm.sh/v3:Release", "model"): 12.0,
    ("kubernetes:gateway.networking.k8s.io/v1:Gateway", ""): 4.0,
}

MINUTES_BY_TYPE_PREFIX: dict[str, float] = {
    "docker-build:": 6.0,
    "command:local:Command": 6.0,
}

# A pool that scaled to zero, from its first request to its first token: a GPU node added by the cluster autoscaler
# (as long as a new node pool's node), then the image, the weights and vLLM's start-up. Weights streamed from Cloud
# Storage take seconds to a minute (Google's reference: about 20 s for 59 GiB on H100); from Hugging Face, minutes.
# An estimate: listed as unverified (stacks/evidence.py cold-start-minutes).
COLD_START_NODE_MINUTES = MINUTES_BY_TYPE["gcp:container/nodePool:NodePool"]
COLD_START_IMAGE_MINUTES = 2.0
COLD_START_WEIGHTS_MINUTES = {"gcs": 1.0, "huggingface": 5.0}
COLD_START_VLLM_MINUTES = 1.5
