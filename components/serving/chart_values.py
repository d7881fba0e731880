"""Typed Helm values for the charts of the version sets (stacks/versions.py).

Each chart key is a dataclass field, so a misspelled key is a TypeError when the values are built instead
of a value the chart silently ignores (the inferencepool chart has no values schema at all). Field names
are snake_case and become the charts' camelCase keys; None fields are left out so the chart's default
applies. Kubernetes-shaped parts (env, probes, resources, tolerations, volumes) stay plain mappings in
Kubernetes' own field names: the API server validates those.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            _camel(f.name): to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


class Values:
    def to_values(self) -> dict[str, Any]:
        plain = to_plain(self)
        assert isinstance(plain, dict)
        return plain


K8s = dict[str, Any]


# ---------------------------------------------------------------------------------- llm-d-modelservice


@dataclass(frozen=True)
class ModelArtifacts(Values):
    uri: str
    name: str
    size: str
    labels: dict[str, str]
    auth_secret_name: str | None = None
    mount_path: str | None = None


@dataclass(frozen=True)
class RoutingProxy(Values):
    enabled: bool


@dataclass(frozen=True)
class Routing(Values):
    service_port: int
    proxy: RoutingProxy


@dataclass(frozen=True)
class AcceleratorValues(Values):
    type: str  # nvidia | cpu


@dataclass(frozen=True)
class Parallelism(Values):
    tensor: int


@dataclass(frozen=True)
class PodMonitor(Values):
    enabled: bool


@dataclass(frozen=True)
class PodMonitoring(Values):
    podmonitor: PodMonitor


@dataclass(frozen=True)
class ModelContainer(Values):
    name: str
    image: str
    model_command: str  # vllmServe | imageDefault | custom
    command: list[str]
    args: list[str]
    mount_model_volume: bool
    ports: list[K8s]
    resources: K8s
    env: list[K8s] = field(default_factory=list)
    volume_mounts: list[K8s] = field(default_factory=list)
    startup_probe: K8s | None = None
    liveness_probe: K8s | None = None
    readiness_probe: K8s | None = None


@dataclass(frozen=True)
class Decode(Values):
    create: bool
    replicas: int
    parallelism: Parallelism
    containers: list[ModelContainer]
    volumes: list[K8s]
    tolerations: list[K8s]
    node_selector: dict[str, str]
    monitoring: PodMonitoring


@dataclass(frozen=True)
class Prefill(Values):
    create: bool


@dataclass(frozen=True)
class ModelServiceValues(Values):
    model_artifacts: ModelArtifacts
    routing: Routing
    accelerator: AcceleratorValues
    decode: Decode
    prefill: Prefill
    service_account_override: str


# ------------------------------------------------------------------------------------------ inferencepool


@dataclass(frozen=True)
class EppImage(Values):
    hub: str
    name: str
    tag: str
    pull_policy: str = "IfNotPresent"


@dataclass(frozen=True)
class PrometheusAuth(Values):
    enabled: bool


@dataclass(frozen=True)
class Prometheus(Values):
    enabled: bool
    auth: PrometheusAuth


@dataclass(frozen=True)
class EppMonitoring(Values):
    interval: str
    prometheus: Prometheus


@dataclass(frozen=True)
class InferenceExtension(Values):
    replicas: int
    image: EppImage
    plugins_config_file: str
    plugins_custom_config: dict[str, str]
    flags: dict[str, str]
    monitoring: EppMonitoring
    resources: K8s
    failure_mode: str = "FailOpen"


@dataclass(frozen=True)
class TargetPort(Values):
    number: int


@dataclass(frozen=True)
class ModelServers(Values):
    match_labels: dict[str, str]


@dataclass(frozen=True)
class InferencePoolSpec(Values):
    target_ports: list[TargetPort]
    target_port_number: int  # read by the chart's GKE HealthCheckPolicy: kept equal to target_ports
    model_server_type: str
    api_version: str
    model_servers: ModelServers


@dataclass(frozen=True)
class Provider(Values):
    name: str  # none | gke | istio


@dataclass(frozen=True)
class ExperimentalHttpRoute(Values):
    enabled: bool


@dataclass(frozen=True)
class InferencePoolValues(Values):
    inference_extension: InferenceExtension
    inference_pool: InferencePoolSpec
    provider: Provider
    experimental_http_route: ExperimentalHttpRoute


# -------------------------------------------------------------------------------------------- llm-d-infra


@dataclass(frozen=True)
class Listener(Values):
    name: str
    port: int
    protocol: str
    allowed_routes: K8s


@dataclass(frozen=True)
class InfraGateway(Values):
    provider: str
    gateway_class_name: str
    listeners: list[Listener]
    fullname_override: str


@dataclass(frozen=True)
class InfraValues(Values):
    gateway: InfraGateway


# ------------------------------------------------------------------ llm-d-router-gateway (v0.9.0 set)
# Keys from stacks/llmd_v0_9.py CHART_VALUE_KEYS (config/charts/{llm-d-router-gateway,routerlib}/values.yaml at
# v0.10.0). The chart has no values.schema.json: these dataclasses are the only check on key names.


@dataclass(frozen=True)
class RouterEppImage(Values):
    registry: str
    repository: str
    tag: str
    pull_policy: str = "IfNotPresent"


@dataclass(frozen=True)
class RouterEpp(Values):
    replicas: int
    image: RouterEppImage
    plugins_config_file: str
    plugins_custom_config: dict[str, str]
    flags: dict[str, str]
    resources: K8s  # requests.cpu and requests.memory are required by the chart


@dataclass(frozen=True)
class RouterInferencePool(Values):
    create: bool
    failure_mode: str = "FailOpen"


@dataclass(frozen=True)
class RouterModelServers(Values):
    match_labels: dict[str, str]
    type: str
    protocol: str
    target_ports: list[TargetPort]


@dataclass(frozen=True)
class MonitoringProvider(Values):
    name: str


@dataclass(frozen=True)
class RouterMonitoring(Values):
    interval: str
    prometheus: Prometheus
    provider: MonitoringProvider | None = None


@dataclass(frozen=True)
class RouterLib(Values):
    epp: RouterEpp
    inference_pool: RouterInferencePool
    model_servers: RouterModelServers
    monitoring: RouterMonitoring


@dataclass(frozen=True)
class RouterHttpRoute(Values):
    create: bool


@dataclass(frozen=True)
class RouterGatewayValues(Values):
    router: RouterLib
    provider: Provider
    http_route: RouterHttpRoute
