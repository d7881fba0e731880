"""KEDA, for pools that scale to zero: its Helm release, the operator's read access to Managed Prometheus, and the
TriggerAuthentication every ScaledObject of the llm-d namespace uses.

Installed only with `llmd:autoscaling.minReplicas: 0`; the Custom Metrics Stackdriver Adapter is then not deployed
(both serve `v1beta1.external.metrics.k8s.io`, and one cluster can have only one). Facts: stacks/autoscaling.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.project_grants import workload_identity_grants
from stacks.autoscaling import Keda

TRIGGER_AUTH_NAME = "managed-prometheus"


@dataclass(frozen=True)
class KedaArgs:
    keda: Keda
    project: str
    project_number: pulumi.Input[str]
    workload_namespace: pulumi.Input[str]  # where the ScaledObjects and their TriggerAuthentication live


class KedaAutoscaling(pulumi.ComponentResource):
    """Exposes `ready`: what a ScaledObject waits for (the CRDs, the operator and its grant)."""

    def __init__(self, name: str, args: KedaArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:KedaAutoscaling", name, None, opts)
        child = child_options(self, opts)
        keda = args.keda
        # The operator evaluates the triggers; granted before it starts so its first query is already allowed.
        self.grants = workload_identity_grants(
            name, args.project, args.project_number, keda.namespace, keda.operator_service_account, keda.roles, child
        )
        # The program's own namespace (not Helm's create_namespace): `pulumi destroy` removes it after the release.
        self.namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={"name": keda.namespace, "labels": {"app.kubernetes.io/managed-by": "pulumi"}},
            opts=child,
        )
        self.release = k8s.helm.v3.Release(
            f"{name}-release",
            name="keda",
            chart=keda.chart,
            version=keda.version,
            repository_opts={"repo": keda.repository},
            namespace=self.namespace.metadata.name,
            timeout=600,
            max_history=5,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=self.grants)),
        )
        # Google's default credentials of the operator's pod: its Workload Identity, with no key anywhere.
        self.trigger_auth = k8s.apiextensions.CustomResource(
            f"{name}-trigger-auth",
            api_version="keda.sh/v1alpha1",
            kind="TriggerAuthentication",
            metadata={"name": TRIGGER_AUTH_NAME, "namespace": args.workload_namespace},
            spec={"podIdentity": {"provider": "gcp"}},
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.release])),
        )
        self.ready: list[pulumi.Resource] = [self.release, self.trigger_auth]
        self.register_outputs({"version": keda.version})
