"""An existing cluster as the deployment target: a Kubernetes provider on its kubeconfig context, nothing else."""

from __future__ import annotations

import pulumi_kubernetes as k8s

from components.platform.target import DeploymentTarget
from config.serving import ExistingClusterSettings


def existing_cluster(existing: ExistingClusterSettings) -> DeploymentTarget:
    provider = k8s.Provider(
        "existing-cluster",
        context=existing.context,
        kubeconfig=existing.kubeconfig,
        enable_server_side_apply=True,
        # A cluster we do not own may be unreachable at destroy time: fail rather than forget its objects.
        delete_unreachable=False,
    )
    return DeploymentTarget(k8s_provider=provider, model_node_selector=dict(existing.node_selector))
