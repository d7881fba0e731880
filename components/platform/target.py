"""Where the serving layer runs: the GKE platform this program creates, or a cluster that already exists.

Either way the layers above receive the same `DeploymentTarget`, so they dispatch on one resolved choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from stacks.platform import INFERENCE_POOL_LABEL


@dataclass(frozen=True)
class GcpPlatform:
    """What the serving layer needs from the GCP platform layer."""

    project: str
    region: str
    node_subnetwork: pulumi.Input[str]
    # Looked up once: Workload Identity principals and IAP's audience name the project by number.
    project_number: pulumi.Input[str]


@dataclass(frozen=True)
class DeploymentTarget:
    k8s_provider: pulumi.ProviderResource
    # What the serving layer waits for (the project APIs and both node pools on GKE).
    serving_after: list[pulumi.Resource] = field(default_factory=list)
    # None on an existing cluster: no GCP resources at all, and so no public edge.
    gcp: GcpPlatform | None = None
    edge_after: list[pulumi.Resource] = field(default_factory=list)
    outputs: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    # The nodeSelector of the model server pods: the inference pool's label, the GPU ComputeClass's
    # `cloud.google.com/compute-class: <name>` when gpuPool.capacity lists several types, or an existing
    # cluster's existingCluster.nodeSelector.
    model_node_selector: dict[str, str] = field(default_factory=lambda: dict(INFERENCE_POOL_LABEL))
