"""The Custom Metrics Stackdriver Adapter: Managed Prometheus series as Kubernetes custom metrics for the HPAs.

Installed from Google's manifest at a pinned tag (stacks/autoscaling.py). Its service account reads Cloud
Monitoring through Workload Identity with monitoring.viewer only: the adapter never writes a series.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.project_grants import workload_identity_grants
from stacks.autoscaling import MetricsAdapter


@dataclass(frozen=True)
class MetricsAdapterArgs:
    adapter: MetricsAdapter
    project: str
    project_number: pulumi.Input[str]


class CustomMetricsAdapter(pulumi.ComponentResource):
    def __init__(self, name: str, args: MetricsAdapterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:CustomMetricsAdapter", name, None, opts)
        child = child_options(self, opts)
        adapter = args.adapter
        # Granted before the adapter starts, so its first Cloud Monitoring read is already allowed.
        self.grants = workload_identity_grants(
            name, args.project, args.project_number, adapter.namespace, adapter.service_account, adapter.roles, child
        )
        self.manifest = k8s.yaml.v2.ConfigFile(
            f"{name}-manifest",
            file=adapter.manifest_url,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=self.grants)),
        )
        self.register_outputs({"version": adapter.version})
