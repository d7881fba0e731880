"""The serving layer's keys: scheduler, gateway, HF token, extra models, existing cluster."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from config.platform.schema import ModelSection
from config.section import NS, SECRET, Keys, Section
from stacks.autoscaling import DEFAULT_COLD_START_S, DEFAULT_IDLE_S
from stacks.limits import MAX_BACKEND_TIMEOUT_S
from stacks.scheduler_plugins import PROFILE_NAMES, PROFILES
from stacks.serving import DEFAULT_BACKEND_TIMEOUT_S, GATEWAY_CLASSES, MIN_BACKEND_TIMEOUT_S, NAMESPACE
from stacks.versions import DEFAULT_VERSION_SET, VERSION_SETS

if TYPE_CHECKING:
    pass

BACKEND_TIMEOUT_WHY = (
    "Google does not recommend backend service timeouts above 24 hours (load-balancing/docs/https#timeout-bes): "
    "its proxies restart for maintenance"
)
K8S_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _profile_doc(name: str) -> str:
    return ", ".join(f"{p.type.removesuffix('-scorer')} {p.weight:g}" for p in PROFILES[name] if p.weight is not None)


class PluginSection(Section):
    type: str = Field(description="A plugin type of the pinned scheduler (stacks/scheduler_plugins.py).")
    weight: float | None = Field(default=None, description="A scorer's weight (greater than 0); other kinds take none.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="The plugin's parameters, passed as given.")
    name: str | None = Field(default=None, description="Instance name, to list one plugin type twice.")


class SchedulerSection(Section):
    profile: str | None = Field(
        default=None,
        description=f"Scoring profile of the endpoint picker: {', '.join(PROFILE_NAMES)}; default is "
        f"{_profile_doc('default')}; custom takes plugins; unset: the version set's default ("
        + ", ".join(f"{s.default_profile} with {name}" for name, s in VERSION_SETS.items())
        + ").",
    )
    plugins: list[PluginSection] = Field(
        default_factory=list, description="With profile custom: the plugins, in order."
    )


class GatewaySection(Section):
    class_name: str | None = Field(
        default=None,
        description=f"GatewayClass of the internal gateway; unset: {GATEWAY_CLASSES['gke'][0]} on GKE, "
        f"{GATEWAY_CLASSES['istio'][0]} on an existing cluster ({', '.join(GATEWAY_CLASSES['istio'])}).",
    )
    timeout_seconds: int = Field(
        default=DEFAULT_BACKEND_TIMEOUT_S,
        ge=MIN_BACKEND_TIMEOUT_S,
        le=MAX_BACKEND_TIMEOUT_S,
        description="Request timeout of the gateway's routes to the model pools, in seconds: it must cover the "
        "longest generation.",
        json_schema_extra={"why": BACKEND_TIMEOUT_WHY},
    )


class ExistingClusterSection(Section):
    context: str | None = Field(
        default=None,
        description="The kubeconfig context of the cluster; required (never the kubeconfig's current context).",
    )
    kubeconfig: str | None = Field(
        default=None,
        description="Path of the kubeconfig file (never its contents); unset: $KUBECONFIG or ~/.kube/config.",
    )
    namespace: str = Field(default=NAMESPACE, description="Namespace to deploy into (an RFC 1123 label).")
    node_selector: dict[str, str] = Field(
        default_factory=dict, description="Node labels the model servers are scheduled onto."
    )
    install_crds: bool = Field(
        default=False,
        description="Install the Gateway API and InferencePool CRDs at the pinned versions, for a cluster that has "
        "none (creating a CRD that exists fails: pulumi-kubernetes does not adopt objects).",
    )


class ExtraModelSection(ModelSection):
    name: str = Field(description="Hugging Face model id of this pool; each model is served once.")
    replicas: int = Field(default=1, ge=0, description="Model server replicas (pods) of this pool.")


class WeightsSection(Section):
    source: Literal["gcs", "huggingface"] | None = Field(
        default=None,
        description="Where model servers load weights from: gcs, a bucket a download Job fills from Hugging Face "
        "once per model and revision (vLLM streams it with the Run:ai streamer); huggingface, every pod downloads "
        "from Hugging Face. Unset: gcs on the GKE platform with versionSet v0.9.0 and a GPU, else huggingface "
        "(on an existing cluster gcs once bucket is set).",
    )
    bucket: str | None = Field(
        default=None,
        description="An existing bucket of yours to hold the weights (never created nor deleted by the program; "
        "on an existing cluster grant its service accounts access yourself); unset: a bucket per stack that "
        "pulumi destroy deletes with its contents.",
    )
    revisions: dict[str, str] = Field(
        default_factory=dict,
        description="Hugging Face revision (branch, tag or commit) per served model id, such as "
        "{Qwen/Qwen3-0.6B: <commit>}; unset: main, copied once. A new revision is copied next to the old one.",
    )


class AutoscalingSection(Section):
    enabled: bool | None = Field(
        default=None,
        description="Scale each model pool's replicas on its vLLM metric with a HorizontalPodAutoscaler (the GPU "
        "nodes follow the pods); a pool's replicas is then its maximum. Unset: on with the GKE platform and "
        "versionSet v0.9.0, off otherwise.",
    )
    metric: Literal["queue-size", "batch-size"] = Field(
        default="queue-size",
        description="What the autoscaler keeps at the target per pod: queue-size (vllm:num_requests_waiting, for "
        "throughput and cost) or batch-size (vllm:num_requests_running, for latency), per Google's inference "
        "autoscaling guidance.",
    )
    target: float | None = Field(
        default=None,
        gt=0,
        description="The per-pod average to keep; unset: 3 for queue-size, 80% of vLLM's max-num-seqs for "
        "batch-size (stacks/autoscaling.py).",
    )
    min_replicas: int = Field(
        default=1,
        ge=0,
        description="The fewest replicas of each pool. 0 opts in to scale to zero: the pools then scale through "
        "KEDA, an idle pool (idleSeconds) stops its GPU nodes, and the first request waits for a cold start.",
    )
    idle_seconds: int = Field(
        default=DEFAULT_IDLE_S,
        ge=60,
        le=86400,
        description="With minReplicas 0: how long a pool must have no running or waiting request before it "
        "scales to zero.",
    )
    cold_start_seconds: int = Field(
        default=DEFAULT_COLD_START_S,
        ge=60,
        le=3600,
        description="With minReplicas 0: how long the chat waits for a pool to come up from zero, retrying and "
        "showing 'the model is starting' (at least 300 s less than edge.backendTimeoutSeconds); the no-ready-pods "
        "alert waits as long.",
    )
    scale_down_window_seconds: int = Field(
        default=300,
        ge=0,
        le=3600,
        description="How long the load must stay low before a replica is removed (scale-up is immediate).",
    )


HF_TOKEN = "hfToken"


class ServingKeys(Keys):
    """The serving layer's keys: llm-d's model pools, scheduler and gateway."""

    version_set: str = Field(
        default=DEFAULT_VERSION_SET,
        description="The llm-d release set every chart, image, CRD and metric name comes from "
        f"(stacks/versions.py): {', '.join(f'{n} = {s.llmd_release}' for n, s in VERSION_SETS.items())}.",
    )
    hf_token: str | None = Field(
        default=None,
        description=f"Hugging Face token for gated models: pulumi config set --secret {NS}:{HF_TOKEN} hf_...",
        json_schema_extra=SECRET,
    )
    scheduler: SchedulerSection = Field(
        default_factory=SchedulerSection, description="The endpoint picker (inference scheduler) of every pool."
    )
    gateway: GatewaySection = Field(
        default_factory=GatewaySection, description="The internal gateway in front of the model pools."
    )
    extra_models: list[ExtraModelSection] = Field(
        default_factory=list,
        description="Further model pools next to model, each with its own InferencePool and endpoint picker; unset "
        "fields come from the accelerator profile.",
    )
    existing_cluster: ExistingClusterSection | None = Field(
        default=None,
        description="Deploy only the serving layer onto an existing cluster (Istio), with no GCP resources; unset: "
        "onto the GKE platform the program creates.",
    )
    weights: WeightsSection = Field(
        default_factory=WeightsSection, description="Where the model servers' weights come from."
    )
    autoscaling: AutoscalingSection = Field(
        default_factory=AutoscalingSection, description="Model-server replicas that follow the load."
    )


assert ServingKeys.key("hf_token") == HF_TOKEN
VERSION_SET = ServingKeys.key("version_set")
