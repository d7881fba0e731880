"""The Gradio chat app as a hardened Deployment and a ClusterIP Service for the public gateway."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from stacks.serving import FRONTEND_PORT

PORT = FRONTEND_PORT
HEALTH_PATH = "/healthz"
RUN_AS = 10001


@dataclass(frozen=True)
class FrontendArgs:
    name: str  # Deployment, Service and container name
    namespace: pulumi.Input[str]  # the llm-d namespace (the serving layer's)
    image: pulumi.Input[str]
    gateway_url: pulumi.Input[str]  # http://<internal gateway address>
    model: str
    request_timeout_seconds: int
    # How long a model may take to come up from zero replicas; 0: pools never scale to zero.
    cold_start_seconds: int
    # How long a pool stays up after its last request: a 503 sooner after an answer is not a cold start.
    idle_seconds: int
    replicas: int
    queue_concurrency: int | None
    cpu_request: str
    memory_request: str
    memory_limit: str
    # `/projects/<number>/global/backendServices/`: the app verifies IAP's signed header against it.
    iap_audience_prefix: pulumi.Input[str]


def environment(args: FrontendArgs) -> list[dict[str, pulumi.Input[str]]]:
    env: list[dict[str, pulumi.Input[str]]] = [
        {"name": "GATEWAY_URL", "value": args.gateway_url},
        {"name": "DEFAULT_MODEL", "value": args.model},
        {"name": "REQUEST_TIMEOUT_SECONDS", "value": str(args.request_timeout_seconds)},
        {"name": "HOST", "value": "0.0.0.0"},
        {"name": "PORT", "value": str(PORT)},
        # Defence in depth: the app itself refuses any request without a valid IAP assertion, so the chat is not
        # public even if the gateway's IAP policy were ever detached (frontend/README.md).
        {"name": "IAP_REQUIRED", "value": "true"},
        {"name": "IAP_AUDIENCE_PREFIX", "value": args.iap_audience_prefix},
    ]
    if args.cold_start_seconds:
        # The chat then waits out a pool's start, saying so, instead of failing on the router's 503.
        env.append({"name": "COLD_START_SECONDS", "value": str(args.cold_start_seconds)})
        env.append({"name": "IDLE_SECONDS", "value": str(args.idle_seconds)})
    if args.queue_concurrency is not None:
        env.append({"name": "QUEUE_CONCURRENCY", "value": str(args.queue_concurrency)})
    return env


class Frontend(pulumi.ComponentResource):
    def __init__(self, name: str, args: FrontendArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:edge:Frontend", name, None, opts)
        child = child_options(self, opts)
        namespace = args.namespace
        labels = {"app.kubernetes.io/name": args.name, "app.kubernetes.io/part-of": "llm-d"}
        metadata = k8s.meta.v1.ObjectMetaArgs(name=args.name, namespace=namespace, labels=labels)

        def probe(initial_delay: int, failures: int) -> k8s.core.v1.ProbeArgs:
            return k8s.core.v1.ProbeArgs(
                http_get=k8s.core.v1.HTTPGetActionArgs(path=HEALTH_PATH, port="http"),
                initial_delay_seconds=initial_delay,
                period_seconds=10,
                timeout_seconds=3,
                failure_threshold=failures,
            )

        container = k8s.core.v1.ContainerArgs(
            name=args.name,
            image=args.image,
            image_pull_policy="IfNotPresent",
            ports=[k8s.core.v1.ContainerPortArgs(name="http", container_port=PORT, protocol="TCP")],
            env=[k8s.core.v1.EnvVarArgs(name=e["name"], value=e["value"]) for e in environment(args)],
            resources=k8s.core.v1.ResourceRequirementsArgs(
                requests={"cpu": args.cpu_request, "memory": args.memory_request},
                limits={"memory": args.memory_limit},
            ),
            readiness_probe=probe(5, 3),
            liveness_probe=probe(20, 6),
            security_context=k8s.core.v1.SecurityContextArgs(
                allow_privilege_escalation=False,
                read_only_root_filesystem=True,
                run_as_non_root=True,
                run_as_user=RUN_AS,
                capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
            ),
            # The root filesystem is read-only: Gradio's uploads and caches go to /tmp.
            volume_mounts=[k8s.core.v1.VolumeMountArgs(name="tmp", mount_path="/tmp")],
        )
        self.deployment = k8s.apps.v1.Deployment(
            "deployment",
            metadata=metadata,
            spec=k8s.apps.v1.DeploymentSpecArgs(
                replicas=args.replicas,
                selector=k8s.meta.v1.LabelSelectorArgs(match_labels=labels),
                strategy=k8s.apps.v1.DeploymentStrategyArgs(
                    type="RollingUpdate",
                    rolling_update=k8s.apps.v1.RollingUpdateDeploymentArgs(max_unavailable=0, max_surge=1),
                ),
                template=k8s.core.v1.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(labels=labels),
                    spec=k8s.core.v1.PodSpecArgs(
                        automount_service_account_token=False,
                        enable_service_links=False,
                        security_context=k8s.core.v1.PodSecurityContextArgs(
                            run_as_non_root=True,
                            run_as_user=RUN_AS,
                            run_as_group=RUN_AS,
                            fs_group=RUN_AS,
                            seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
                        ),
                        # Long streamed answers: let a terminating pod finish them.
                        termination_grace_period_seconds=60,
                        containers=[container],
                        volumes=[
                            k8s.core.v1.VolumeArgs(
                                name="tmp", empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs(size_limit="1Gi")
                            )
                        ],
                    ),
                ),
            ),
            opts=child,
        )
        self.service = k8s.core.v1.Service(
            "service",
            metadata=metadata,
            spec=k8s.core.v1.ServiceSpecArgs(
                type="ClusterIP",
                selector=labels,
                ports=[k8s.core.v1.ServicePortArgs(name="http", port=PORT, target_port="http", protocol="TCP")],
            ),
            opts=child,
        )
        self.namespace: pulumi.Output[str] = pulumi.Output.from_input(namespace)
        self.service_name: pulumi.Output[str] = self.service.metadata.name.apply(lambda n: n or "")
        self.port = PORT
        self.register_outputs({"service": self.service_name, "namespace": self.namespace})
