"""The pinned version sets of the serving layer: Helm charts and images that shipped together.

llm-d's own guide (helmfile history) shipped these together in 2026-04, the last Helm-based set before the
EPP charts moved to llm-d/llm-d-router and the guides to kustomize. Mixing sets breaks in quiet ways (label
renames in modelservice v0.4, `routing.*` keys rejected since v0.3, InferencePool v1alpha2 vs v1), so every
chart and image the program deploys comes from one entry of `VERSION_SETS` (chosen by `llmd:versionSet`) and
nowhere else. The v0.9.0 set is the default (built from stacks/llmd_v0_9.py, facts read upstream, see
docs/llm-d-v0.9.0.md); `PINNED` is the 2026-04 set, kept as a tested choice for stacks deployed with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stacks import llmd_v0_9


@dataclass(frozen=True)
class HelmChart:
    name: str
    # An https Helm repository, or None when `name` is a full oci:// reference.
    repository: str | None
    version: str

    @property
    def chart(self) -> str:
        """The `chart` argument of helm.v3.Release."""
        return self.name


@dataclass(frozen=True)
class Image:
    hub: str
    name: str
    tag: str

    @property
    def ref(self) -> str:
        return f"{self.hub}/{self.name}:{self.tag}"


@dataclass(frozen=True)
class CrdBundle:
    """A release manifest of CustomResourceDefinitions, installed where the cluster does not manage them."""

    name: str
    version: str
    url: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class VersionSet:
    name: str
    infra_chart: HelmChart
    inferencepool_chart: HelmChart
    modelservice_chart: HelmChart
    epp_image: Image
    vllm_cuda_image: Image
    vllm_cpu_image: Image
    # The version of the scheduler's plugin registry (stacks/scheduler_plugins.py is keyed by it).
    scheduler_version: str
    # CRDs an existing cluster may lack (GKE installs both itself from GKE_FLOOR on): Istio installs none, and the
    # inferencepool chart ships none.
    gateway_api_crds: CrdBundle
    inference_crds: CrdBundle
    # The Istio release the existing-cluster stack is written against (istiod with
    # ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true).
    istio_version: str
    # The llm-d release this set is (docs/serving.md).
    llmd_release: str = "2026-04 (pre-v0.7 Helm guides)"
    # v0.9.0 on: the router chart (EPP + InferencePool in one release) replaces inferencepool_chart, and model
    # servers are typed Deployments instead of modelservice_chart. None: this set has no router chart.
    router_chart: HelmChart | None = None
    # v0.9.0 on: the llm-d.ai CRDs (InferenceObjective, InferenceModelRewrite) of the router release.
    router_crds: CrdBundle | None = None
    # The apiVersion of the EndpointPickerConfig and of the pool's InferenceObjective.
    epp_config_api_version: str = "inference.networking.x-k8s.io/v1alpha1"
    objective_api_version: str = "inference.networking.x-k8s.io/v1alpha2"
    # The oldest GKE control plane this set works on.
    min_gke_version: str = "1.34.0-gke.1626000"
    # The metric family the set's EPP emits (stacks/metrics.py keys its series by it).
    metrics: str = "2026-04"
    # The default scheduling profile (stacks/scheduler_plugins.py PROFILES) when scheduler.profile is unset.
    default_profile: str = "default"
    # The EPP's resource requests (the router chart requires them).
    epp_resources: dict[str, dict[str, str]] = field(default_factory=dict)


PINNED = VersionSet(
    name="2026-04",
    infra_chart=HelmChart("llm-d-infra", "https://llm-d-incubation.github.io/llm-d-infra/", "v1.4.0"),
    inferencepool_chart=HelmChart(
        "oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool", None, "v1.4.0"
    ),
    modelservice_chart=HelmChart(
        "llm-d-modelservice", "https://llm-d-incubation.github.io/llm-d-modelservice/", "v0.4.9"
    ),
    epp_image=Image("ghcr.io/llm-d", "llm-d-inference-scheduler", "v0.6.0"),
    vllm_cuda_image=Image("ghcr.io/llm-d", "llm-d-cuda", "v0.5.1"),
    # vLLM's own CPU build (x86_64): llm-d publishes no CPU image in this set.
    vllm_cpu_image=Image("public.ecr.aws/q9t5s3a7", "vllm-cpu-release-repo", "v0.11.0"),
    scheduler_version="v0.6.0",
    gateway_api_crds=CrdBundle(
        "gateway-api",
        "v1.4.0",
        "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/standard-install.yaml",
        ("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant"),
    ),
    inference_crds=CrdBundle(
        "gateway-api-inference-extension",
        "v1.4.0",
        "https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.4.0/manifests.yaml",
        ("InferencePool", "InferenceObjective"),
    ),
    istio_version="1.28",
)


def _oci(ref: str, version: str) -> HelmChart:
    return HelmChart(ref, None, version)


def _image(ref: str) -> Image:
    repo, tag = ref.rsplit(":", 1)
    hub, name = repo.rsplit("/", 1)
    return Image(hub, name, tag)


# llm-d v0.9.0 (2026-08): the llm-d Router v0.10.0 and upstream vLLM v0.26.0 (stacks/llmd_v0_9.py).
V0_9_0 = VersionSet(
    name="v0.9.0",
    # The Istio gateway of an existing cluster keeps the llm-d-infra chart (the guides' gateway recipe is one
    # Gateway object; kept here so the existing-cluster gateway is the same under both sets).
    infra_chart=PINNED.infra_chart,
    inferencepool_chart=PINNED.inferencepool_chart,  # not deployed by this set (router_chart instead)
    modelservice_chart=PINNED.modelservice_chart,  # not deployed by this set (typed Deployments instead)
    epp_image=_image(llmd_v0_9.EPP_IMAGE.value),
    vllm_cuda_image=_image(llmd_v0_9.VLLM_CUDA_IMAGE.value),
    vllm_cpu_image=_image(llmd_v0_9.VLLM_CPU_IMAGE.value),
    scheduler_version=llmd_v0_9.ROUTER_CHART_VERSION.value,
    gateway_api_crds=CrdBundle(
        "gateway-api",
        llmd_v0_9.GATEWAY_API_VERSION.value,
        f"https://github.com/kubernetes-sigs/gateway-api/releases/download/{llmd_v0_9.GATEWAY_API_VERSION.value}/"
        "standard-install.yaml",
        PINNED.gateway_api_crds.kinds,
    ),
    inference_crds=CrdBundle(
        "gateway-api-inference-extension",
        llmd_v0_9.GAIE_VERSION.value,
        llmd_v0_9.GAIE_CRDS_URL.value,
        ("InferencePool",),
    ),
    istio_version=PINNED.istio_version,
    llmd_release="v0.9.0 (llm-d Router v0.10.0, vLLM v0.26.0)",
    router_chart=_oci(llmd_v0_9.ROUTER_CHART.value, llmd_v0_9.ROUTER_CHART_VERSION.value),
    router_crds=CrdBundle(
        "llm-d-router",
        llmd_v0_9.ROUTER_CHART_VERSION.value,
        llmd_v0_9.ROUTER_CRDS_URL.value,
        ("InferenceObjective", "InferenceModelRewrite"),
    ),
    epp_config_api_version=llmd_v0_9.EPP_CONFIG_API_VERSION,
    objective_api_version=f"{llmd_v0_9.CRDS['InferenceObjective'].group}/{llmd_v0_9.CRDS['InferenceObjective'].version}",
    min_gke_version=llmd_v0_9.MIN_GKE_VERSION.value,
    metrics="v0.9.0",
    default_profile="optimized-baseline",
    # The guide's base.values.yaml sets 4 CPUs (the chart's default is 8); requests are required by the chart.
    # Sized down like the 2026-04 EPP so it fits the system node pool.
    epp_resources={"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "4Gi"}},
)

VERSION_SETS: dict[str, VersionSet] = {s.name: s for s in (PINNED, V0_9_0)}
DEFAULT_VERSION_SET = V0_9_0.name


@dataclass(frozen=True)
class GkeVersionFloor:
    """The oldest GKE control plane the serving layer works on, and why."""

    exact: str  # the first GKE patch with the capability
    minor: str  # what the cluster asks for as its minimum: GKE resolves a minor to a current patch of it
    reason: str
    source: str
    read_on: str


# GKE installs the InferencePool v1 CRD (inference.networking.k8s.io) itself from this version on; nothing else in
# the program installs it on a GKE cluster. `min_master_version` is the provider's initial version at create and a
# floor afterwards (it upgrades only when the cluster is older). A channel creates clusters only at versions it
# lists, so by default a new cluster asks for its channel's default version (read when it is created, then kept),
# and for the floor's minor only if that default were older.
GKE_FLOOR = GkeVersionFloor(
    exact="1.34.0-gke.1626000",
    minor="1.34",
    reason="GKE installs the InferencePool v1 CRD only from this version",
    source="llm-d/llm-d docs/infrastructure/gateway/gke.md (v0.9.0 pin, commit e3dbeca1); "
    "terraform-provider-google resource_container_cluster.go (min_master_version: initial version on create, "
    "upgrade only when the current version is older)",
    read_on="2026-12-01",
)

_GKE_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:-gke\.(\d+))?$")


def gke_version_key(version: str) -> tuple[int, int, int, int] | None:
    """A sortable key for a GKE version (`1.34`, `1.34.1`, `1.34.0-gke.1626000`), or None if it is not one."""
    match = _GKE_VERSION.match(version)
    if match is None:
        return None
    major, minor, patch, gke = match.groups()
    return int(major), int(minor), int(patch or 0), int(gke or 0)


def initial_master_version(channel_default: str, floor: GkeVersionFloor = GKE_FLOOR) -> str:
    """The version a new cluster asks for: its release channel's default, or the floor's minor if that is older."""
    return floor.minor if gke_version_below_floor(channel_default, floor) else channel_default


def gke_version_below_floor(version: str, floor: GkeVersionFloor = GKE_FLOOR) -> bool:
    """Whether every patch `version` can resolve to is older than the floor (a minor alias takes its newest)."""
    key, floor_key = gke_version_key(version), gke_version_key(floor.exact)
    assert key is not None and floor_key is not None
    if re.fullmatch(r"\d+\.\d+", version):
        return key[:2] < floor_key[:2]
    return key < floor_key
