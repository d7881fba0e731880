"""A model pool's llm-d Router (v0.9.0 set): the llm-d-router-gateway chart (EPP + InferencePool) and the pool's
InferenceObjective.

Facts: stacks/llmd_v0_9.py (CHART_VALUE_KEYS, PROVIDER_OBJECTS, GMP_MONITORING, CRDS), docs/llm-d-v0.9.0.md.
- provider.name `none` on GKE: the chart's `gke` HealthCheckPolicy has no portSpecification (rejected by GKE's CEL
  rules) and its GCPBackendPolicy is fixed at 300 s; the program's own pair per pool (internal_gateway.py) targets
  the InferencePool this chart creates, named like the release. `istio` on an existing cluster.
- No chart monitoring: a GMP PodMonitoring renders only with provider.name gke. Metrics auth off
  (--metrics-endpoint-auth=false), so the program's own PodMonitoring (vllm_monitoring.py) scrapes it.
- httpRoute.create false: the program's one HTTPRoute routes every pool.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.chart_values import (
    Prometheus,
    PrometheusAuth,
    Provider,
    RouterEpp,
    RouterEppImage,
    RouterGatewayValues,
    RouterHttpRoute,
    RouterInferencePool,
    RouterLib,
    RouterModelServers,
    RouterMonitoring,
    TargetPort,
)
from components.serving.inference_pool import picker_config
from components.serving.model_service import helm_release_args
from stacks.autoscaling import FLOW_CONTROL_GATE
from stacks.llmd_v0_9 import CRDS, LABELS
from stacks.scheduler_plugins import Kind, PluginUse
from stacks.serving import VLLM_PORT
from stacks.versions import VersionSet

# Added to the chart's EPP ConfigMap next to its default-plugins.yaml and payload-agnostic.yaml.
ROUTER_CONFIG_FILE = "llmd-scheduler.yaml"
POOL_GROUP = "inference.networking.k8s.io"


def router_release_name(slug: str) -> str:
    """The router release, and so its InferencePool (<name>) and EPP (<name>-epp).

    Not the 2026-04 inferencepool release's name (<slug>): switching sets creates this release before Pulumi deletes
    the old one, and Helm refuses a second release of a name in use (docs/serving.md, upgrading)."""
    return f"router-{slug}"


# The llm-d.ai loader keeps data producers out of the profile: only these kinds are referenced there.
ROUTER_PROFILE_KINDS = frozenset({Kind.SCORER, Kind.PICKER, Kind.FILTER})


def router_picker_config(
    plugins: Sequence[PluginUse], versions: VersionSet, flow_control: bool = False
) -> dict[str, Any]:
    """The llm-d.ai EndpointPickerConfig of a profile: data producers declared only, the rest in the profile.

    With `flow_control` (pools that scale to zero) the router counts and queues every request, also for a pool
    with no model pod: that count is what wakes the pool (stacks/autoscaling.py)."""
    config = picker_config(plugins, versions.scheduler_version, versions.epp_config_api_version, ROUTER_PROFILE_KINDS)
    if flow_control:
        config["featureGates"] = [FLOW_CONTROL_GATE]
    return config


@dataclass(frozen=True)
class RouterArgs:
    release_name: str  # also the InferencePool's name; the EPP is <release_name[:40]>-epp
    namespace: pulumi.Input[str]
    versions: VersionSet
    match_labels: dict[str, str]
    plugins: Sequence[PluginUse]
    provider: str  # none (GKE) | istio (existing cluster)
    flow_control: bool = False  # pools that scale to zero: the router sees demand for an empty pool


def router_values(args: RouterArgs) -> RouterGatewayValues:
    image = args.versions.epp_image
    config = router_picker_config(args.plugins, args.versions, args.flow_control)
    return RouterGatewayValues(
        router=RouterLib(
            epp=RouterEpp(
                replicas=1,
                image=RouterEppImage(registry=image.hub, repository=image.name, tag=image.tag),
                plugins_config_file=ROUTER_CONFIG_FILE,
                plugins_custom_config={ROUTER_CONFIG_FILE: json.dumps(config, indent=2, sort_keys=True) + "\n"},
                flags={},
                resources=args.versions.epp_resources,
            ),
            inference_pool=RouterInferencePool(create=True),
            model_servers=RouterModelServers(
                match_labels=args.match_labels,
                type="vllm",
                protocol="http",
                target_ports=[TargetPort(number=VLLM_PORT)],
            ),
            monitoring=RouterMonitoring(
                interval="10s", prometheus=Prometheus(enabled=False, auth=PrometheusAuth(enabled=False))
            ),
        ),
        provider=Provider(name=args.provider),
        http_route=RouterHttpRoute(create=False),
    )


class Router(pulumi.ComponentResource):
    def __init__(self, name: str, args: RouterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:Router", name, None, opts)
        child = child_options(self, opts)
        chart = args.versions.router_chart
        assert chart is not None, f"version set {args.versions.name} has no router chart"
        self.values = router_values(args)
        self.release = k8s.helm.v3.Release(
            f"{name}-router",
            name=args.release_name,
            namespace=args.namespace,
            values=self.values.to_values(),
            timeout=600,
            max_history=5,
            **helm_release_args(chart),
            opts=child,
        )
        objective = CRDS["InferenceObjective"]
        # The pool's objective, so requests get a priority band (the chart creates one only from
        # router.inferenceObjectives; owned here so it is visible in the plan).
        self.objective = k8s.apiextensions.CustomResource(
            f"{name}-objective",
            api_version=args.versions.objective_api_version,
            kind=objective.kind,
            metadata={"name": args.release_name, "namespace": args.namespace},
            spec={
                "poolRef": {"group": POOL_GROUP, "kind": "InferencePool", "name": args.release_name},
                "priority": 0,
            },
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.release])),
        )
        self.pool_name = args.release_name
        self.epp_name = f"{args.release_name[:40]}-epp"
        # The gateway chart labels its EPP pods llm-d-router-gateway: <release>-epp.
        self.epp_selector = {LABELS["epp_selector"]: self.epp_name}
        self.register_outputs({"release": self.release.name})
