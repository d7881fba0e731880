"""A model pool's InferencePool and endpoint picker (EPP): the inferencepool chart of the pinned set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.chart_values import (
    EppImage,
    EppMonitoring,
    ExperimentalHttpRoute,
    InferenceExtension,
    InferencePoolSpec,
    InferencePoolValues,
    ModelServers,
    Prometheus,
    PrometheusAuth,
    Provider,
    TargetPort,
)
from components.serving.model_service import helm_release_args
from stacks.scheduler_plugins import (
    DEFAULT_PICKER,
    DEFAULT_PROFILE_HANDLER,
    PLUGIN_TYPES,
    Kind,
    PluginUse,
)
from stacks.serving import VLLM_PORT
from stacks.versions import HelmChart, Image

# Not default-plugins.yaml: the chart's ConfigMap already has that key (a duplicate helm accepts silently).
SCHEDULER_CONFIG_FILE = "llmd-scheduler.yaml"


def plugin_declaration(p: PluginUse) -> dict[str, Any]:
    """A plugin's entry in an EndpointPickerConfig's `plugins` list (both API versions declare them alike)."""
    entry: dict[str, Any] = {"type": p.type}
    if p.name:
        entry["name"] = p.name
    if p.parameters:
        entry["parameters"] = dict(p.parameters)
    return entry


# GAIE's EndpointPickerConfig names every plugin but the profile handler in its profile.
GAIE_PROFILE_KINDS = frozenset({Kind.SCORER, Kind.PICKER, Kind.FILTER, Kind.OTHER})


def picker_config(
    plugins: Sequence[PluginUse],
    scheduler_version: str,
    api_version: str = "inference.networking.x-k8s.io/v1alpha1",
    profile_kinds: frozenset[Kind] = GAIE_PROFILE_KINDS,
) -> dict[str, Any]:
    """The EndpointPickerConfig of a profile: every plugin declared once, those of `profile_kinds` referenced in the
    profile (scorers weighted), and the picker and profile handler the EPP would add written out."""
    kinds = PLUGIN_TYPES[scheduler_version]
    declared: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    for p in plugins:
        declared.append(plugin_declaration(p))
        if kinds[p.type] in profile_kinds:
            ref: dict[str, Any] = {"pluginRef": p.name or p.type}
            if kinds[p.type] is Kind.SCORER:
                ref["weight"] = p.weight if p.weight is not None else 1
            refs.append(ref)
    # What the EPP would add on its own, written out so the plan shows the whole configuration.
    present = {kinds[p.type] for p in plugins}
    if Kind.PICKER not in present:
        declared.append({"type": DEFAULT_PICKER})
        refs.append({"pluginRef": DEFAULT_PICKER})
    if Kind.PROFILE_HANDLER not in present:
        declared.append({"type": DEFAULT_PROFILE_HANDLER})
    return {
        "apiVersion": api_version,
        "kind": "EndpointPickerConfig",
        "plugins": declared,
        "schedulingProfiles": [{"name": "default", "plugins": refs}],
    }


def to_yaml(document: dict[str, Any]) -> str:
    # JSON is YAML; sorted keys keep the ConfigMap (and so the release) stable between runs.
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class InferencePoolArgs:
    release_name: str  # also the InferencePool's name; the EPP is <release_name>-epp
    namespace: pulumi.Input[str]
    chart: HelmChart
    epp_image: Image
    match_labels: dict[str, str]
    plugins: Sequence[PluginUse]
    scheduler_version: str
    # "none" on GKE: the chart's GKE objects (a 300 s GCPBackendPolicy among them) are ours to own.
    provider: str


def inference_pool_values(args: InferencePoolArgs) -> InferencePoolValues:
    config = picker_config(args.plugins, args.scheduler_version)
    return InferencePoolValues(
        inference_extension=InferenceExtension(
            replicas=1,
            image=EppImage(hub=args.epp_image.hub, name=args.epp_image.name, tag=args.epp_image.tag),
            plugins_config_file=SCHEDULER_CONFIG_FILE,
            plugins_custom_config={SCHEDULER_CONFIG_FILE: to_yaml(config)},
            flags={"kv-cache-usage-percentage-metric": "vllm:kv_cache_usage_perc"},
            # The chart's ServiceMonitor needs Prometheus-Operator CRDs; GMP scrapes a PodMonitoring of ours.
            # Metrics auth off: the chart grants the EPP its TokenReview rights only with that ServiceMonitor.
            monitoring=EppMonitoring(
                interval="10s", prometheus=Prometheus(enabled=False, auth=PrometheusAuth(enabled=False))
            ),
            # The chart's default (4 CPUs, 8 GiB) does not fit a small system pool.
            resources={"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "4Gi"}},
        ),
        inference_pool=InferencePoolSpec(
            target_ports=[TargetPort(number=VLLM_PORT)],
            target_port_number=VLLM_PORT,
            model_server_type="vllm",
            api_version="inference.networking.k8s.io/v1",
            model_servers=ModelServers(match_labels=args.match_labels),
        ),
        provider=Provider(name=args.provider),
        experimental_http_route=ExperimentalHttpRoute(enabled=False),
    )


class InferencePool(pulumi.ComponentResource):
    def __init__(self, name: str, args: InferencePoolArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:InferencePool", name, None, opts)
        self.values = inference_pool_values(args)
        self.release = k8s.helm.v3.Release(
            f"{name}-inferencepool",
            name=args.release_name,
            namespace=args.namespace,
            values=self.values.to_values(),
            timeout=600,
            max_history=5,
            **helm_release_args(args.chart),
            opts=child_options(self, opts),
        )
        self.pool_name = args.release_name
        self.epp_name = f"{args.release_name[:40]}-epp"
        self.register_outputs({"release": self.release.name})
