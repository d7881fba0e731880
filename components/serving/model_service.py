"""A model pool's vLLM replicas: the llm-d-modelservice chart, plus the pods' own service account."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.chart_values import (
    AcceleratorValues,
    Decode,
    ModelArtifacts,
    ModelContainer,
    ModelServiceValues,
    Parallelism,
    PodMonitor,
    PodMonitoring,
    Prefill,
    Routing,
    RoutingProxy,
)
from components.serving.hf_token import HfTokenMount
from config.serving import ServedModel
from stacks.serving import MODEL_LABEL_KEY, SERVING_LABEL, VLLM_PORT
from stacks.versions import HelmChart, Image

if TYPE_CHECKING:
    from components.serving.model_weights import GcsModelPath

MODEL_CACHE = "/model-cache"


@dataclass(frozen=True)
class PodSize:
    cpu: str
    memory: str
    gpus: int  # 0: the CPU backend


@dataclass(frozen=True)
class ModelServiceArgs:
    model: ServedModel
    namespace: pulumi.Input[str]
    chart: HelmChart
    image: Image
    size: PodSize
    tolerations: list[dict[str, Any]]
    node_selector: dict[str, str]
    hf_token: HfTokenMount
    # GKE nodes mount the NVIDIA libraries under /usr/local/nvidia, where llm-d-cuda images do not look.
    gke_cuda_fix: bool
    # (max_num_batched_tokens, max_num_seqs) for GPUs: passed explicitly, so the config's fit check reasons
    # about the batch vLLM really profiles; None on CPUs.
    batch_limits: tuple[int, int] | None = None
    revision: str | None = None  # llmd:weights.revisions: the Hugging Face revision vLLM downloads


def model_labels(model: ServedModel) -> dict[str, str]:
    """The labels of this pool's pods, and so the InferencePool's selector."""
    return {**SERVING_LABEL, MODEL_LABEL_KEY: model.slug}


def service_account_name(model: ServedModel) -> str:
    return f"vllm-{model.slug}"


def release_name(model: ServedModel) -> str:
    return f"ms-{model.slug}"


def vllm_args(
    model: ServedModel,
    batch_limits: tuple[int, int] | None,
    weights: GcsModelPath | None = None,
    revision: str | None = None,
) -> list[str]:
    """`vllm serve`: the model from Hugging Face (at `revision` when set), or streamed from `weights`' gs:// path;
    either way it is served under its Hugging Face id, the name the pools and routes use."""
    args = [
        "vllm",
        "serve",
        weights.uri if weights is not None else model.name,
        "--served-model-name",
        model.name,
        "--port",
        str(VLLM_PORT),
        "--max-model-len",
        str(model.max_model_len),
        "--enable-prefix-caching",
    ]
    if weights is not None:
        args += weights.loader_args(model.tensor_parallel_size)
    elif revision is not None:
        args += ["--revision", revision]
    if batch_limits is not None:
        args += ["--tensor-parallel-size", str(model.tensor_parallel_size)]
        args += ["--gpu-memory-utilization", str(model.gpu_memory_utilization)]
        args += ["--max-num-batched-tokens", str(batch_limits[0]), "--max-num-seqs", str(batch_limits[1])]
    return args


def start_script(
    model: ServedModel,
    batch_limits: tuple[int, int] | None,
    gke_cuda_fix: bool,
    token_file: str | None,
    weights: GcsModelPath | None = None,
    revision: str | None = None,
) -> str:
    """The container's bash -c script: environment fixes, then exec vLLM (PID 1 gets the signals)."""
    lines = ["set -eu"]
    if gke_cuda_fix:
        lines += [
            "cuda_lib=$(find /usr/local/nvidia -name libcuda.so.1 2>/dev/null | head -n 1)",
            'if [ -n "$cuda_lib" ]; then export LD_LIBRARY_PATH="$(dirname "$cuda_lib"):${LD_LIBRARY_PATH:-}"; fi',
        ]
    if token_file:
        lines.append(f'if [ -s {token_file} ]; then export HF_TOKEN="$(cat {token_file})"; fi')
    lines.append("exec " + shlex.join(vllm_args(model, batch_limits, weights, revision)))
    return "\n".join(lines)


def model_volume_size(model: ServedModel) -> str:
    if model.facts is None:
        return "100Gi"
    return f"{max(20, int(model.facts.weights_gib * 1.5) + 10)}Gi"


def model_service_values(args: ModelServiceArgs) -> ModelServiceValues:
    m, size, gpu = args.model, args.size, args.size.gpus > 0
    requests: dict[str, str] = {"cpu": size.cpu, "memory": size.memory}
    limits: dict[str, str] = {"memory": size.memory}
    if gpu:
        requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = str(size.gpus)
    env = [{"name": "VLLM_LOGGING_LEVEL", "value": "INFO"}]
    if not gpu:
        # The CPU backend's KV cache (GiB), taken from the pod's memory.
        env.append({"name": "VLLM_CPU_KVCACHE_SPACE", "value": "8"})
    http = {"path": "/health", "port": VLLM_PORT}
    container = ModelContainer(
        name="vllm",
        image=args.image.ref,
        model_command="custom",
        command=["/bin/bash", "-c"],
        args=[
            start_script(
                m,
                args.batch_limits if gpu else None,
                args.gke_cuda_fix,
                args.hf_token.token_file,
                revision=args.revision,
            )
        ],
        mount_model_volume=True,
        ports=[{"name": "http", "containerPort": VLLM_PORT, "protocol": "TCP"}],
        resources={"requests": requests, "limits": limits},
        env=env,
        volume_mounts=[{"name": "shm", "mountPath": "/dev/shm"}, *args.hf_token.volume_mounts],
        # Model download and load can take many minutes on a fresh node: up to 30 min before liveness.
        startup_probe={"httpGet": http, "periodSeconds": 10, "failureThreshold": 180},
        liveness_probe={"httpGet": http, "periodSeconds": 10, "failureThreshold": 3},
        readiness_probe={
            "httpGet": {"path": "/v1/models", "port": VLLM_PORT},
            "periodSeconds": 5,
            "failureThreshold": 3,
        },
    )
    return ModelServiceValues(
        model_artifacts=ModelArtifacts(
            uri=f"hf://{m.name}",
            name=m.name,
            size=model_volume_size(m),
            labels=model_labels(m),
            auth_secret_name=args.hf_token.auth_secret_name,
            mount_path=MODEL_CACHE,
        ),
        # No routing sidecar: vLLM itself serves on the pool's target port.
        routing=Routing(service_port=VLLM_PORT, proxy=RoutingProxy(enabled=False)),
        accelerator=AcceleratorValues(type="nvidia" if gpu else "cpu"),
        decode=Decode(
            create=True,
            replicas=m.replicas,
            parallelism=Parallelism(tensor=m.tensor_parallel_size),
            containers=[container],
            volumes=[
                {"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}},
                *args.hf_token.volumes,
            ],
            tolerations=args.tolerations,
            node_selector=args.node_selector,
            # PodMonitor is Prometheus-Operator only; GMP scraping is a PodMonitoring of our own.
            monitoring=PodMonitoring(podmonitor=PodMonitor(enabled=False)),
        ),
        prefill=Prefill(create=False),
        service_account_override=service_account_name(m),
    )


def helm_release_args(chart: HelmChart) -> dict[str, Any]:
    repo = {"repository_opts": {"repo": chart.repository}} if chart.repository else {}
    return {"chart": chart.chart, "version": chart.version, **repo}


class ModelService(pulumi.ComponentResource):
    def __init__(self, name: str, args: ModelServiceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:ModelService", name, None, opts)
        child = child_options(self, opts)
        self.service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata={"name": service_account_name(args.model), "namespace": args.namespace},
            opts=child,
        )
        self.values = model_service_values(args)
        self.release = k8s.helm.v3.Release(
            f"{name}-modelservice",
            name=release_name(args.model),
            namespace=args.namespace,
            values=self.values.to_values(),
            # Wait for the replicas to serve: a fresh GPU node, image pull and model download take a while.
            timeout=1800,
            max_history=5,
            **helm_release_args(args.chart),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.service_account])),
        )
        self.labels = model_labels(args.model)
        self.register_outputs({"release": self.release.name})
