"""The llm-d serving layer: namespace, HF token, model pools (vLLM + InferencePool + EPP), internal gateway,
metrics. The one object `__main__` creates for it; its children are the concerns, one component each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from components.options import child_options
from components.platform.target import GcpPlatform
from components.serving.autoscaler import ReplicaAutoscaler, autoscaler_args, default_target
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
from components.serving.keda import KedaArgs, KedaAutoscaling
from components.serving.llmd_namespace import LlmdNamespace
from components.serving.metrics_adapter import CustomMetricsAdapter, MetricsAdapterArgs
from components.serving.model_server import ModelServer, ModelServerArgs, deployment_name
from components.serving.model_service import ModelService, ModelServiceArgs, PodSize, service_account_name
from components.serving.model_weights import DOWNLOAD_SERVICE_ACCOUNT, ModelWeights, ModelWeightsArgs
from components.serving.router import Router, RouterArgs, router_release_name
from components.serving.scaled_object import ScaledPool, ScaledPoolArgs
from components.serving.vllm_monitoring import ScrapedPool, ServingMonitoring
from config.serving import ServedModel, ServingSettings, WeightsSettings
from stacks.autoscaling import ADAPTER, KEDA, METRICS
from stacks.versions import PINNED, VersionSet


@dataclass(frozen=True)
class ServedPool:
    """One model pool and the pod size each of its replicas asks for."""

    model: ServedModel
    size: PodSize


@dataclass(frozen=True)
class LlmdServingArgs:
    pools: tuple[ServedPool, ...]  # the primary model first
    serving: ServingSettings
    tolerations: tuple[dict[str, str], ...]
    node_selector: dict[str, str]
    # (max_num_batched_tokens, max_num_seqs) passed to vLLM on GPUs; None on CPUs.
    batch_limits: tuple[int, int] | None
    hf_token: pulumi.Output[str] | None  # a secret Output; None: public models only
    hf_token_secret_id: str  # the Secret Manager secret on GKE
    gateway_address_name: str
    labels: dict[str, str]
    gcp: GcpPlatform | None  # None: an existing cluster, no GCP resources at all
    versions: VersionSet = PINNED
    # llmd:weights; None: every pod downloads from Hugging Face. With source gcs, the stack's own bucket is named
    # weights_bucket_name and the copy Jobs run on weights_node_selector's nodes.
    weights: WeightsSettings | None = None
    weights_bucket_name: str = ""
    weights_node_selector: dict[str, str] | None = None
    cluster_name: str = ""  # the GKE cluster's name, as Managed Prometheus labels its series


class LlmdServing(pulumi.ComponentResource):
    """Exposes `namespace` and `internal_gateway_address` (Outputs) for the edge layer."""

    def __init__(self, name: str, args: LlmdServingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:LlmdServing", name, None, opts)
        v, sv = args.versions, args.serving
        child = child_options(self, opts)
        on_gke = args.gcp is not None
        models = [pool.model for pool in args.pools]

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
            bundles = (v.gateway_api_crds, v.inference_crds) + ((v.router_crds,) if v.router_crds else ())
            kinds_ready = [ClusterCrds("crds", bundles, opts=child)]
        after_kinds = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=kinds_ready))

        # Only the typed model servers (v0.9.0 on) stream from gs:// (the rules refuse gcs with other sets).
        from_gcs = args.weights is not None and args.weights.from_gcs and v.router_chart is not None
        token_mount: HfTokenMount = NO_TOKEN
        token_ready: list[pulumi.Resource] = []
        # Who reads the token: the model servers, or with weights from gcs only the copy Jobs (the model servers
        # then read the bucket, not Hugging Face).
        token_readers = [DOWNLOAD_SERVICE_ACCOUNT] if from_gcs else [service_account_name(m) for m in models]
        if args.hf_token is not None:
            if args.gcp is not None:
                token = SecretManagerHfToken(
                    "hf-token",
                    SecretManagerHfTokenArgs(
                        project=args.gcp.project,
                        project_number=args.gcp.project_number,
                        secret_id=args.hf_token_secret_id,
                        token=args.hf_token,
                        namespace=ns.name,
                        namespace_name=sv.namespace,
                        service_accounts=token_readers,
                        labels=args.labels,
                    ),
                    opts=child,
                )
                token_mount, token_ready = token.mount, token.ready
            else:
                k8s_token = KubernetesHfToken("hf-token", ns.name, args.hf_token, opts=child)
                token_mount, token_ready = k8s_token.mount, k8s_token.ready

        self.weights: ModelWeights | None = None
        if from_gcs:
            assert args.weights is not None
            self.weights = ModelWeights(
                "weights",
                ModelWeightsArgs(
                    models=models,
                    namespace=ns.name,
                    namespace_name=sv.namespace,
                    revisions=dict(args.weights.revisions),
                    user_bucket=args.weights.bucket,
                    stack_bucket=args.weights_bucket_name,
                    gcp=args.gcp,
                    token=token_mount,
                    token_ready=token_ready,
                    node_selector=args.weights_node_selector or {},
                    labels=args.labels,
                ),
                opts=child,
            )

        # One autoscaling engine per cluster serves every pool (the typed model servers only): the metrics adapter
        # for plain HPAs, or KEDA when pools scale to zero.
        scaling = sv.autoscaling
        metrics_adapter: CustomMetricsAdapter | None = None
        keda: KedaAutoscaling | None = None
        if scaling.enabled and args.gcp is not None and v.router_chart is not None:
            project, number = args.gcp.project, args.gcp.project_number
            if scaling.to_zero:
                keda = KedaAutoscaling("keda", KedaArgs(KEDA, project, number, ns.name), opts=child)
            else:
                metrics_adapter = CustomMetricsAdapter(
                    "metrics-adapter", MetricsAdapterArgs(ADAPTER, project, number), opts=child
                )
        # What every pool's autoscaler waits for; empty: the replica counts are fixed.
        engine_ready: list[pulumi.Resource] = (
            keda.ready if keda is not None else [metrics_adapter] if metrics_adapter is not None else []
        )

        self.model_services: list[ModelService | ModelServer] = []
        self.pools: list[InferencePool | Router] = []
        gpu = args.batch_limits is not None
        after_token = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=token_ready))
        for served in args.pools:
            m = served.model
            # What every model server of this pool runs, whichever version set deploys it.
            pods: dict[str, Any] = {
                "model": m,
                "namespace": ns.name,
                "image": v.vllm_cuda_image if gpu else v.vllm_cpu_image,
                "size": served.size,
                "tolerations": list(args.tolerations),
                "node_selector": dict(args.node_selector),
                # With weights from gcs the model servers never talk to Hugging Face: no token mount.
                "hf_token": NO_TOKEN if self.weights is not None else token_mount,
                "gke_cuda_fix": on_gke and gpu,
                "batch_limits": args.batch_limits,
                "revision": args.weights.revision(m.name) if args.weights is not None else None,
            }
            if v.router_chart is not None:
                # The v0.9.0 set: typed model servers and the router chart.
                if self.weights is not None:
                    pods["weights"] = self.weights.paths[m.slug]
                    pods["weights_ready"] = self.weights.ready[m.slug]
                autoscaled = bool(engine_ready) and m.replicas > 0
                server = ModelServer(
                    f"model-{m.slug}", ModelServerArgs(**pods, autoscaled=autoscaled), opts=after_token
                )
                pool_name = router_release_name(m.slug)
                if autoscaled:
                    bounds = autoscaler_args(scaling, ns.name, deployment_name(m), m.replicas, args.batch_limits)
                    after_engine = pulumi.ResourceOptions.merge(
                        child, pulumi.ResourceOptions(depends_on=[server, *engine_ready])
                    )
                    if keda is not None:
                        assert args.gcp is not None
                        ScaledPool(
                            f"scaled-{m.slug}",
                            ScaledPoolArgs(
                                scaling=bounds,
                                project=args.gcp.project,
                                cluster=args.cluster_name,
                                namespace_name=sv.namespace,
                                model_name=m.name,
                                inference_pool=pool_name,
                                idle_s=scaling.idle_s,
                                running_target=default_target(METRICS["batch-size"], args.batch_limits),
                            ),
                            opts=after_engine,
                        )
                    else:
                        ReplicaAutoscaler(f"autoscaler-{m.slug}", bounds, opts=after_engine)
                router = Router(
                    f"pool-{m.slug}",
                    RouterArgs(
                        release_name=pool_name,
                        namespace=ns.name,
                        versions=v,
                        match_labels=server.labels,
                        plugins=sv.plugins,
                        provider="none" if on_gke else "istio",
                        flow_control=keda is not None,
                    ),
                    opts=after_kinds,
                )
                self.model_services.append(server)
                self.pools.append(router)
                continue
            service = ModelService(
                f"model-{m.slug}", ModelServiceArgs(chart=v.modelservice_chart, **pods), opts=after_token
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
                        name=args.gateway_address_name,
                        subnetwork=args.gcp.node_subnetwork,
                        labels=args.labels,
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
        self.outputs: dict[str, pulumi.Input[str]] = {
            "llmdNamespace": self.namespace,
            "internalGatewayAddress": self.internal_gateway_address,
            "servedModel": models[0].name,
            "inferencePoolName": self.primary_inference_pool,
        }
        if self.weights is not None:
            self.outputs["modelWeightsBucket"] = self.weights.bucket_name

        if on_gke:
            ServingMonitoring(
                "monitoring",
                ns.name,
                [
                    ScrapedPool(m.slug, svc.labels, p.epp_name, p.epp_selector if isinstance(p, Router) else None)
                    for m, svc, p in zip(models, self.model_services, self.pools, strict=True)
                ],
                opts=child,
            )
        self.register_outputs({"namespace": self.namespace, "internalGatewayAddress": self.internal_gateway_address})
