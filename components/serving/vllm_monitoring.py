"""Managed Prometheus (GMP) scraping of the serving layer: the charts create nothing GMP reads on GKE."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from stacks.serving import EPP_METRICS_PORT_NAME, VLLM_PORT


@dataclass(frozen=True)
class ScrapedPool:
    slug: str
    model_labels: dict[str, str]  # the vLLM pods
    epp_name: str  # the chart labels its EPP pods inferencepool: <epp_name>
    # The EPP pods' labels; None: the inferencepool chart's `inferencepool: <epp_name>`.
    epp_labels: dict[str, str] | None = None


class ServingMonitoring(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        namespace: pulumi.Input[str],
        pools: Sequence[ScrapedPool],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:serving:Monitoring", name, None, opts)
        child = child_options(self, opts)
        self.pod_monitorings: list[k8s.apiextensions.CustomResource] = []
        for pool in pools:
            self.pod_monitorings.append(
                k8s.apiextensions.CustomResource(
                    f"vllm-{pool.slug}",
                    api_version="monitoring.googleapis.com/v1",
                    kind="PodMonitoring",
                    metadata={"name": f"vllm-{pool.slug}", "namespace": namespace},
                    spec={
                        "selector": {"matchLabels": pool.model_labels},
                        "endpoints": [{"port": VLLM_PORT, "path": "/metrics", "interval": "15s"}],
                    },
                    opts=child,
                )
            )
            self.pod_monitorings.append(
                k8s.apiextensions.CustomResource(
                    f"epp-{pool.slug}",
                    api_version="monitoring.googleapis.com/v1",
                    kind="PodMonitoring",
                    metadata={"name": pool.epp_name, "namespace": namespace},
                    spec={
                        "selector": {"matchLabels": pool.epp_labels or {"inferencepool": pool.epp_name}},
                        "endpoints": [{"port": EPP_METRICS_PORT_NAME, "path": "/metrics", "interval": "10s"}],
                    },
                    opts=child,
                )
            )
        self.register_outputs({})
