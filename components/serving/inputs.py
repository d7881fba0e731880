"""The serving layer's typed inputs, resolved from the stack's settings and the deployment target."""

from __future__ import annotations

from components.platform.target import DeploymentTarget
from components.serving.llmd_serving import LlmdServingArgs, ServedPool
from components.serving.model_service import PodSize
from components.serving.model_weights import SYSTEM_POOL_SELECTOR
from config.naming import dns_label
from config.serving import ServedModel
from config.settings import Settings
from stacks.accelerators import batch_limits
from stacks.platform import CPU_INFERENCE_TAINT, GPU_TAINT
from stacks.versions import VERSION_SETS

_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "PREFER_NO_SCHEDULE": "PreferNoSchedule", "NO_EXECUTE": "NoExecute"}
# Any GPU node of a cluster we did not make: its taint value is not ours to know.
ANY_GPU_TOLERATION = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}


def served_models(s: Settings) -> list[ServedModel]:
    return [s.model, *s.serving.extra_models]


def toleration(taint: dict[str, str]) -> dict[str, str]:
    return {"key": taint["key"], "operator": "Equal", "value": taint["value"], "effect": _EFFECTS[taint["effect"]]}


def pod_size(s: Settings, model: ServedModel) -> PodSize:
    gpus = model.tensor_parallel_size if s.accelerator.is_gpu else 0
    if s.serving.existing_cluster is not None:
        return PodSize(cpu="4", memory="24Gi", gpus=gpus)
    machine = s.gpu_pool.machine
    # This replica's share of its node, leaving room for the node's reserve and daemonsets.
    share = gpus / s.gpu_pool.gpus_per_node if gpus else 1.0
    return PodSize(
        cpu=str(max(1, int(machine.vcpus * 0.7 * share))),
        memory=f"{max(4, int(machine.memory_gib * 0.75 * share))}Gi",
        gpus=gpus,
    )


def serving_args(s: Settings, target: DeploymentTarget) -> LlmdServingArgs:
    existing = s.serving.existing_cluster
    gpu = s.accelerator.is_gpu
    if existing is not None:
        tolerations = [ANY_GPU_TOLERATION] if gpu else []
    else:
        tolerations = [toleration(GPU_TAINT if gpu else CPU_INFERENCE_TAINT)]
    # The platform says where model pods go: its inference pool, its GPU ComputeClass, or the existing cluster's
    # existingCluster.nodeSelector.
    node_selector = dict(target.model_node_selector)
    return LlmdServingArgs(
        pools=tuple(ServedPool(m, pod_size(s, m)) for m in served_models(s)),
        serving=s.serving,
        tolerations=tuple(tolerations),
        node_selector=node_selector,
        batch_limits=batch_limits(s.accelerator) if gpu else None,
        hf_token=s.serving.hf_token,
        hf_token_secret_id=s.names.of("hf-token"),
        gateway_address_name=s.names.of("gateway-ip"),
        labels=s.labels,
        gcp=target.gcp,
        versions=VERSION_SETS[s.serving.version_set],
        weights=s.serving.weights,
        weights_bucket_name=dns_label(s.project, s.names.of("weights"), max_len=63),
        # The copy Jobs run on the system pool on GKE; on an existing cluster wherever untainted nodes are.
        weights_node_selector={} if existing is not None else dict(SYSTEM_POOL_SELECTOR),
        cluster_name=s.names.cluster,
    )
