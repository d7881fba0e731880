"""The internal gateway in front of the model pools: Gateway, HTTPRoute to the InferencePools, backend policies.

GKE: a reserved regional internal address (named per stack), a Gateway of class gke-l7-rilb on it, and per
InferencePool a HealthCheckPolicy and a GCPBackendPolicy with the long backend timeout. The inferencepool
chart runs with provider "none" so that these policies are the only ones on each pool: GKE attaches one
GCPBackendPolicy per target, and the chart's own is fixed at 300 s.
Existing cluster (Istio): the llm-d-infra chart's Istio Gateway, and the timeout on the HTTPRoute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.chart_values import InfraGateway, InfraValues, Listener
from components.serving.model_service import helm_release_args
from stacks.serving import MODEL_HEADER, VLLM_PORT
from stacks.versions import HelmChart

GATEWAY_NAME = "llm-d-internal"
ROUTE_NAME = "llm-d-models"
POOL_GROUP = "inference.networking.k8s.io"


@dataclass(frozen=True)
class RoutedPool:
    pool_name: str  # the InferencePool
    model_name: str  # the served model name


@dataclass(frozen=True)
class GkeAddress:
    project: str
    region: str
    name: str
    subnetwork: pulumi.Input[str]
    labels: dict[str, str]


@dataclass(frozen=True)
class InternalGatewayArgs:
    namespace: pulumi.Input[str]
    namespace_name: str
    gateway_class: str
    provider: str  # gke | istio
    default_pool: RoutedPool
    # Further model pools: routed by the model-name header GAIE's body-based router sets (or the client).
    other_pools: Sequence[RoutedPool]
    backend_timeout_s: int
    gke_address: GkeAddress | None = None
    infra_chart: HelmChart | None = None  # Istio only


def route_rules(args: InternalGatewayArgs) -> list[dict[str, object]]:
    def backend(pool: RoutedPool) -> list[dict[str, object]]:
        # No port: an InferencePool backendRef takes its ports from the pool (never Istio's 54321).
        return [{"group": POOL_GROUP, "kind": "InferencePool", "name": pool.pool_name}]

    rules: list[dict[str, object]] = [
        {
            "matches": [
                {
                    "path": {"type": "PathPrefix", "value": "/"},
                    "headers": [{"type": "Exact", "name": MODEL_HEADER, "value": pool.model_name}],
                }
            ],
            "backendRefs": backend(pool),
        }
        for pool in args.other_pools
    ]
    rules.append(
        {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": backend(args.default_pool)}
    )
    if args.provider == "istio":
        for rule in rules:
            rule["timeouts"] = {"request": f"{args.backend_timeout_s}s"}
    return rules


class InternalGateway(pulumi.ComponentResource):
    def __init__(self, name: str, args: InternalGatewayArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:InternalGateway", name, None, opts)
        child = child_options(self, opts)
        self.policies: list[pulumi.Resource] = []
        gateway_deps: list[pulumi.Resource] = []
        if args.provider == "gke":
            assert args.gke_address is not None
            gateway_name = GATEWAY_NAME
            gateway_deps = [self._gke_gateway(args, args.gke_address, child)]
        else:
            assert args.infra_chart is not None
            gateway_name = GATEWAY_NAME
            self.infra = k8s.helm.v3.Release(
                "llm-d-infra",
                name="llm-d-infra",
                namespace=args.namespace,
                values=InfraValues(
                    gateway=InfraGateway(
                        provider="istio",
                        gateway_class_name=args.gateway_class,
                        listeners=[_listener()],
                        fullname_override=gateway_name,
                    )
                ).to_values(),
                max_history=5,
                **helm_release_args(args.infra_chart),
                opts=child,
            )
            gateway_deps = [self.infra]
            # Istio's automated deployment names the gateway's Service <gateway>-<class>.
            self.address = pulumi.Output.from_input(args.namespace).apply(
                lambda ns: f"{gateway_name}-{args.gateway_class}.{ns}.svc.cluster.local"
            )
        self.route = k8s.apiextensions.CustomResource(
            "route",
            api_version="gateway.networking.k8s.io/v1",
            kind="HTTPRoute",
            metadata={"name": ROUTE_NAME, "namespace": args.namespace},
            spec={
                "parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": gateway_name}],
                "rules": route_rules(args),
            },
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=gateway_deps)),
        )
        self.register_outputs({"address": self.address})

    def _gke_gateway(
        self, args: InternalGatewayArgs, a: GkeAddress, child: pulumi.ResourceOptions
    ) -> k8s.apiextensions.CustomResource:
        # Named per stack (the reference's fixed name collided between deployments).
        self.ip = gcp.compute.Address(
            "gateway-ip",
            name=a.name,
            project=a.project,
            region=a.region,
            address_type="INTERNAL",
            purpose="SHARED_LOADBALANCER_VIP",
            subnetwork=a.subnetwork,
            labels=a.labels,
            description="Internal llm-d inference gateway (gke-l7-rilb)",
            opts=child,
        )
        self.address = self.ip.address
        self.gateway = k8s.apiextensions.CustomResource(
            "gateway",
            api_version="gateway.networking.k8s.io/v1",
            kind="Gateway",
            metadata={"name": GATEWAY_NAME, "namespace": args.namespace},
            spec={
                "gatewayClassName": args.gateway_class,
                "listeners": [_listener().to_values()],
                "addresses": [{"type": "NamedAddress", "value": self.ip.name}],
            },
            opts=child,
        )
        for pool in (args.default_pool, *args.other_pools):
            target = {"group": POOL_GROUP, "kind": "InferencePool", "name": pool.pool_name}
            self.policies.append(
                k8s.apiextensions.CustomResource(
                    f"health-check-{pool.pool_name}",
                    api_version="networking.gke.io/v1",
                    kind="HealthCheckPolicy",
                    metadata={"name": pool.pool_name, "namespace": args.namespace},
                    spec={
                        "targetRef": target,
                        "default": {
                            "timeoutSec": 2,
                            "checkIntervalSec": 2,
                            "config": {
                                "type": "HTTP",
                                "httpHealthCheck": {
                                    "requestPath": "/health",
                                    "portSpecification": "USE_FIXED_PORT",
                                    "port": VLLM_PORT,
                                },
                            },
                        },
                    },
                    opts=child,
                )
            )
            self.policies.append(
                k8s.apiextensions.CustomResource(
                    f"backend-policy-{pool.pool_name}",
                    api_version="networking.gke.io/v1",
                    kind="GCPBackendPolicy",
                    metadata={"name": pool.pool_name, "namespace": args.namespace},
                    spec={
                        "targetRef": target,
                        "default": {"timeoutSec": args.backend_timeout_s, "logging": {"enabled": True}},
                    },
                    opts=child,
                )
            )
        return self.gateway


def _listener() -> Listener:
    return Listener(name="http", port=80, protocol="HTTP", allowed_routes={"namespaces": {"from": "Same"}})
