"""A model pool's vLLM replicas for the v0.9.0 set: typed Kubernetes objects (a Deployment and the pods'
ServiceAccount) following llm-d's model-server recipe, with no Helm release (the modelservice chart is deprecated).

Recipe facts (stacks/llmd_v0_9.py MODEL_SERVER_RECIPE, guides/recipes/modelserver at the v0.9.0 pin): container
`modelserver`, port 8000 named `modelserver`, liveness /health, readiness and startup /v1/models, label
llm-d.ai/role: decode, /dev/shm as a memory emptyDir, access log off for the probe paths. What the program keeps
from its 2026-04 model servers: the pool's own selector labels, the HF token mount, tolerations, node selector,
resources and vLLM flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.hf_token import HfTokenMount
from components.serving.model_service import PodSize, model_labels, service_account_name, start_script
from components.serving.model_weights import GcsModelPath
from config.serving import ServedModel
from stacks.llmd_v0_9 import LABELS, MODEL_SERVER_RECIPE
from stacks.serving import VLLM_PORT
from stacks.versions import Image

CONTAINER = "modelserver"  # the recipe's container and port name
PORT_NAME = "modelserver"
# The recipe sets no terminationGracePeriodSeconds (Kubernetes' 30 s) and no preStop hook. Added here for a
# graceful drain: the preStop sleep lets the EPP and the load balancer stop sending to a terminating pod before
# vLLM gets SIGTERM, and the grace period lets in-flight generations (up to minutes) finish. 130 s matches the
# EPP Deployment's and the tiered-prefix-cache guide's value.
TERMINATION_GRACE_S = 130
PRE_STOP_SLEEP_S = 10
ACCESS_LOG_OFF = "--disable-access-log-for-endpoints=/health,/metrics,/v1/models"


def deployment_name(model: ServedModel) -> str:
    return f"vllm-{model.slug}"


def pod_labels(model: ServedModel) -> dict[str, str]:
    """The pool's selector labels plus the recipe's role label."""
    return {**model_labels(model), LABELS["role"]: "decode"}


@dataclass(frozen=True)
class ModelServerArgs:
    model: ServedModel
    namespace: pulumi.Input[str]
    image: Image
    size: PodSize
    tolerations: list[dict[str, Any]]
    node_selector: dict[str, str]
    hf_token: HfTokenMount
    gke_cuda_fix: bool
    batch_limits: tuple[int, int] | None = None
    revision: str | None = None  # the Hugging Face revision vLLM downloads (weights from huggingface)
    # Weights streamed from this gs:// path instead (components/serving/model_weights.py), and what the Deployment
    # waits for: the copy Job's completion and the pods' read access.
    weights: GcsModelPath | None = None
    weights_ready: Sequence[pulumi.Resource] = ()
    # An autoscaler owns the replica count (autoscaler.py): the Deployment then leaves it unset.
    autoscaled: bool = False


def _probe(path: str, **timing: int) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": PORT_NAME}, **timing}


def pod_spec(args: ModelServerArgs) -> dict[str, Any]:
    m, size, gpu = args.model, args.size, args.size.gpus > 0
    requests: dict[str, str] = {"cpu": size.cpu, "memory": size.memory}
    limits: dict[str, str] = {"memory": size.memory}
    if gpu:
        requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = str(size.gpus)
    env: list[dict[str, Any]] = [
        {"name": "VLLM_LOGGING_LEVEL", "value": "INFO"},
        # The recipe's images component sets USER (vLLM issue 44548 workaround from v0.20.0 on).
        {"name": "USER", "value": "llm-d"},
    ]
    if gpu and args.gke_cuda_fix:
        # The recipe's GKE overlay (disable-gke-nccl-tuner-patch).
        env += [{"name": "NCCL_TUNER_PLUGIN", "value": "none"}, {"name": "NCCL_NET_PLUGIN", "value": ""}]
    if not gpu:
        env.append({"name": "VLLM_CPU_KVCACHE_SPACE", "value": "8"})
    if args.hf_token.auth_secret_name:
        env.append(
            {
                "name": "HF_TOKEN",
                "valueFrom": {"secretKeyRef": {"name": args.hf_token.auth_secret_name, "key": "HF_TOKEN"}},
            }
        )
    script = start_script(
        m, args.batch_limits if gpu else None, args.gke_cuda_fix, args.hf_token.token_file, args.weights, args.revision
    )
    probes: Any = MODEL_SERVER_RECIPE["probes"]
    container = {
        "name": CONTAINER,
        "image": args.image.ref,
        "command": ["/bin/bash", "-c"],
        # The script's last line is `exec vllm serve ...`: the recipe's access-log flag goes on the end of it.
        "args": [f"{script} {ACCESS_LOG_OFF}"],
        "ports": [{"name": PORT_NAME, "containerPort": VLLM_PORT, "protocol": "TCP"}],
        "env": env,
        "resources": {"requests": requests, "limits": limits},
        "volumeMounts": [{"name": "shm", "mountPath": "/dev/shm"}, *args.hf_token.volume_mounts],
        # The recipe's startup probe allows 120 x 30 s for download and load.
        "startupProbe": _probe("/v1/models", **{k: v for k, v in probes["startup"].items() if k != "httpGet"}),
        "livenessProbe": _probe("/health", **{k: v for k, v in probes["liveness"].items() if k != "httpGet"}),
        "readinessProbe": _probe("/v1/models", **{k: v for k, v in probes["readiness"].items() if k != "httpGet"}),
        "lifecycle": {"preStop": {"sleep": {"seconds": PRE_STOP_SLEEP_S}}},
    }
    return {
        "serviceAccountName": service_account_name(m),
        "terminationGracePeriodSeconds": TERMINATION_GRACE_S,
        "containers": [container],
        "volumes": [{"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}}, *args.hf_token.volumes],
        "tolerations": args.tolerations,
        "nodeSelector": args.node_selector,
    }


class ModelServer(pulumi.ComponentResource):
    def __init__(self, name: str, args: ModelServerArgs, opts: pulumi.ResourceOptions | None = None):
        # The 2026-04 ModelService's type token on purpose: the pods' ServiceAccount keeps its URN (and its Workload
        # Identity binding for the HF token) when a stack switches sets, instead of a create of the same Kubernetes
        # name before the delete of the old one.
        super().__init__("llmd:serving:ModelService", name, None, opts)
        child = child_options(self, opts)
        m = args.model
        self.labels = model_labels(m)
        self.service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata={"name": service_account_name(m), "namespace": args.namespace},
            opts=child,
        )
        labels = pod_labels(m)
        # Plain mappings in Kubernetes' own field names (the API server validates them).
        metadata: Any = {
            "name": deployment_name(m),
            "namespace": args.namespace,
            "labels": labels,
            # Wait for the replicas to serve: a fresh GPU node, image pull and model download take a while.
            # Once an HPA has scaled the Deployment, kube-controller-manager owns spec.replicas; turning the
            # autoscaler off (or parking the pool at 0) sets replicas again, which a server-side apply refuses as
            # a field conflict unless forced (pulumi-kubernetes provider/pkg/await/await.go patchForce).
            "annotations": {"pulumi.com/timeoutSeconds": "1800", "pulumi.com/patchForce": "true"},
        }
        spec: Any = {
            # With an autoscaler the Deployment sets no count: a set one would be reapplied on every update and
            # undo the autoscaler (a new Deployment starts at one replica, the autoscaler's minimum or below it).
            **({} if args.autoscaled else {"replicas": m.replicas}),
            "selector": {"matchLabels": self.labels},
            "template": {"metadata": {"labels": labels}, "spec": pod_spec(args)},
        }
        self.deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=metadata,
            spec=spec,
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.service_account, *args.weights_ready])
            ),
        )
        self.register_outputs({"deployment": self.deployment.metadata["name"]})
