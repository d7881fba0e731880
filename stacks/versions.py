"""The ONE pinned version set of the serving layer: Helm charts and images that shipped together.

llm-d's own guide (helmfile history) shipped these together in 2026-04, the last Helm-based set before the
EPP charts moved to llm-d/llm-d-router and the guides to kustomize. Mixing sets breaks in quiet ways (label
renames in modelservice v0.4, `routing.*` keys rejected since v0.3, InferencePool v1alpha2 vs v1), so every
chart and image the program deploys comes from `PINNED` and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


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
)
