"""The llm-d serving layer: namespace, HF token, model pools (vLLM + InferencePool + EPP), internal gateway,
metrics. The one object `__main__` creates for it; its children are the concerns, one component each."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.options import child_options
from components.serving.cluster_crds import ClusterCrds
from components.serving.hf_token import (
    NO_TOKEN,
    HfTokenMount,
    KubernetesHfToken,
    SecretManagerHfToken,
    SecretManagerHfTokenArgs,
)
from components.serving.inference_pool import InferencePool, InferencePoolArgs
from components.serving.internal_gateway import GkeAddress, InternalGateway, InternalGatewayArgs, RoutedPool
from components.serving.llmd_namespace import LlmdNamespace
from components.serving.model_service import ModelService, ModelServiceArgs, PodSize, service_account_name
from components.serving.vllm_monitoring import ScrapedPool, ServingMonitoring
from config.serving import ServedModel, model_slug
from config.settings import Settings
from stacks.accelerators import batch_limits
from stacks.platform import CPU_INFERENCE_TAINT, GPU_TAINT, INFERENCE_POOL_LABEL
from stacks.versions import PINNED, VersionSet

_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "PREFER_NO_SCHEDULE": "PreferNoSchedule", "NO_EXECUTE": "NoExecute"}


@dataclass(frozen=True)
class GcpPlatform:
    """What the serving layer needs from the GCP platform layer."""

    project: str
    region: str
    node_subnetwork: pulumi.Input[str]


@dataclass(frozen=True)
class LlmdServingArgs:
    settings: Settings
    hf_token: pulumi.Output[str] | None  # a secret Output; None: public models only
    gcp: GcpPlatform | None  # None: an existing cluster, no GCP resources at all
    versions: VersionSet = PINNED


def served_models(s: Settings) -> list[ServedModel]:
    primary = ServedModel(
        name=s.model.name,
        slug=model_slug(s.model.name),
        replicas=s.model.replicas,
        tensor_parallel_size=s.model.tensor_parallel_size,
        max_model_len=s.model.max_model_len,
        gpu_memory_utilization=s.model.gpu_memory_utilization,
        facts=s.model.facts,
    )
    return [primary, *s.serving.extra_models]


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


class LlmdServing(pulumi.ComponentResource):
    """Exposes `namespace` and `internal_gateway_address` (Outputs) for the edge layer."""

    def __init__(self, name: str, args: LlmdServingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:LlmdServing", name, None, opts)
        s, v, sv = args.settings, args.versions, args.settings.serving
        child = child_options(self, opts)
        on_gke = args.gcp is not None
        models = served_models(s)

        ns = LlmdNamespace(
            "namespace",
            sv.namespace,
            {"app.kubernetes.io/part-of": "llm-d", "app.kubernetes.io/managed-by": "pulumi"},
            opts=child,
        )
        self.namespace: pulumi.Output[str] = ns.name

        # Kinds the releases and the gateway use: on an existing cluster without them, installed first.
        kinds_ready: list[pulumi.Resource] = []
        if sv.existing_cluster is not None and sv.existing_cluster.install_crds:
            kinds_ready = [ClusterCrds("crds", (v.gateway_api_crds, v.inference_crds), opts=child)]
        after_kinds = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=kinds_ready))

        token_mount: HfTokenMount = NO_TOKEN
        token_ready: list[pulumi.Resource] = []
        if args.hf_token is not None:
            if args.gcp is not None:
                token = SecretManagerHfToken(
                    "hf-token",
                    SecretManagerHfTokenArgs(
                        project=args.gcp.project,
                        secret_id=s.names.of("hf-token"),
                        token=args.hf_token,
                        namespace=ns.name,
                        namespace_name=sv.namespace,
                        service_accounts=[service_account_name(m) for m in models],
                        labels=s.labels,
                    ),
                    opts=child,
                )
                token_mount, token_ready = token.mount, token.ready
            else:
                k8s_token = KubernetesHfToken("hf-token", ns.name, args.hf_token, opts=child)
                token_mount, token_ready = k8s_token.mount, k8s_token.ready

        if s.accelerator.is_gpu:
            tolerations = (
                [toleration(GPU_TAINT)]
                if on_gke
                else [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
            )
        else:
            tolerations = [toleration(CPU_INFERENCE_TAINT)] if on_gke else []
        node_selector = (
            dict(INFERENCE_POOL_LABEL) if sv.existing_cluster is None else dict(sv.existing_cluster.node_selector)
        )

        self.model_services: list[ModelService] = []
        self.pools: list[InferencePool] = []
        for m in models:
            service = ModelService(
                f"model-{m.slug}",
                ModelServiceArgs(
                    model=m,
                    namespace=ns.name,
                    chart=v.modelservice_chart,
                    image=v.vllm_cuda_image if s.accelerator.is_gpu else v.vllm_cpu_image,
                    size=pod_size(s, m),
                    tolerations=tolerations,
                    node_selector=node_selector,
                    hf_token=token_mount,
                    gke_cuda_fix=on_gke and s.accelerator.is_gpu,
                    batch_limits=batch_limits(s.accelerator.gpu_memory_gib) if s.accelerator.is_gpu else None,
                ),
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=token_ready)),
            )
            pool = InferencePool(
                f"pool-{m.slug}",
                InferencePoolArgs(
                    release_name=m.slug,
                    namespace=ns.name,
                    chart=v.inferencepool_chart,
                    epp_image=v.epp_image,
                    match_labels=service.labels,
                    plugins=sv.plugins,
                    scheduler_version=v.scheduler_version,
                    provider="none" if on_gke else "istio",
                ),
                opts=after_kinds,
            )
            self.model_services.append(service)
            self.pools.append(pool)

        routed = [RoutedPool(p.pool_name, m.name) for p, m in zip(self.pools, models, strict=True)]
        gateway = InternalGateway(
            "gateway",
            InternalGatewayArgs(
                namespace=ns.name,
                namespace_name=sv.namespace,
                gateway_class=sv.gateway_class,
                provider=sv.gateway_provider,
                default_pool=routed[0],
                other_pools=routed[1:],
                backend_timeout_s=sv.backend_timeout_s,
                gke_address=(
                    GkeAddress(
                        project=args.gcp.project,
                        region=args.gcp.region,
                        name=s.names.of("gateway-ip"),
                        subnetwork=args.gcp.node_subnetwork,
                        labels=s.labels,
                    )
                    if args.gcp is not None
                    else None
                ),
                infra_chart=None if on_gke else v.infra_chart,
            ),
            opts=pulumi.ResourceOptions.merge(
                after_kinds, pulumi.ResourceOptions(depends_on=[p.release for p in self.pools])
            ),
        )
        self.internal_gateway_address: pulumi.Output[str] = gateway.address
        # llm-d's InferencePool of the primary model (the GKE node pool is a different thing).
        self.primary_inference_pool: str = self.pools[0].pool_name

        if on_gke:
            ServingMonitoring(
                "monitoring",
                ns.name,
                [
                    ScrapedPool(m.slug, svc.labels, p.epp_name)
                    for m, svc, p in zip(models, self.model_services, self.pools, strict=True)
                ],
                opts=child,
            )
        self.register_outputs({"namespace": self.namespace, "internalGatewayAddress": self.internal_gateway_address})
