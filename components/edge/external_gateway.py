"""The public gateway: a global external Application Load Balancer made by GKE from Gateway API objects.

- Gateway of class gke-l7-global-external-managed on the reserved global address (NamedAddress), with the
  Certificate Manager map attached by the `networking.gke.io/certmap` annotation;
- listener `https` (443): an HTTPRoute for the chat hostname to the frontend Service;
- listener `http` (80): an HTTPRoute whose only rule redirects to https (301), so nothing is served in clear;
- a HealthCheckPolicy: the load balancer probes the app's /healthz, not `/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options

GATEWAY_CLASS = "gke-l7-global-external-managed"
GATEWAY_API = "gateway.networking.k8s.io/v1"
GKE_NETWORKING_API = "networking.gke.io/v1"
CERTMAP_ANNOTATION = "networking.gke.io/certmap"
HTTPS_LISTENER = "https"
HTTP_LISTENER = "http"


@dataclass(frozen=True)
class ExternalGatewayArgs:
    name: str
    namespace: pulumi.Input[str]
    address_name: pulumi.Input[str]  # the GlobalAddress's name
    certificate_map: pulumi.Input[str]  # the Certificate Manager map's name
    host: pulumi.Input[str]
    service_name: pulumi.Input[str]
    service_port: int
    health_path: str


def listeners(host: str) -> list[dict[str, Any]]:
    same_namespace = {"namespaces": {"from": "Same"}}
    return [
        {"name": HTTPS_LISTENER, "protocol": "HTTPS", "port": 443, "hostname": host, "allowedRoutes": same_namespace},
        {"name": HTTP_LISTENER, "protocol": "HTTP", "port": 80, "hostname": host, "allowedRoutes": same_namespace},
    ]


class ExternalGateway(pulumi.ComponentResource):
    def __init__(self, name: str, args: ExternalGatewayArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:edge:ExternalGateway", name, None, opts)
        child = child_options(self, opts)
        self.gateway = k8s.apiextensions.CustomResource(
            "gateway",
            api_version=GATEWAY_API,
            kind="Gateway",
            metadata={
                "name": args.name,
                "namespace": args.namespace,
                "annotations": {CERTMAP_ANNOTATION: args.certificate_map},
            },
            spec={
                "gatewayClassName": GATEWAY_CLASS,
                "addresses": [{"type": "NamedAddress", "value": args.address_name}],
                "listeners": pulumi.Output.from_input(args.host).apply(listeners),
            },
            opts=child,
        )
        # The name, read through the Gateway's URN: routes register after (and depend on) the Gateway.
        gateway_name = pulumi.Output.all(self.gateway.urn, args.name).apply(lambda v: str(v[1]))
        self.route = k8s.apiextensions.CustomResource(
            "route",
            api_version=GATEWAY_API,
            kind="HTTPRoute",
            metadata={"name": args.name, "namespace": args.namespace},
            spec={
                "parentRefs": [{"name": gateway_name, "sectionName": HTTPS_LISTENER}],
                "hostnames": [args.host],
                "rules": [
                    {
                        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                        "backendRefs": [{"name": args.service_name, "port": args.service_port}],
                    }
                ],
            },
            opts=child,
        )
        self.redirect = k8s.apiextensions.CustomResource(
            "https-redirect",
            api_version=GATEWAY_API,
            kind="HTTPRoute",
            metadata={"name": f"{args.name}-https-redirect", "namespace": args.namespace},
            spec={
                "parentRefs": [{"name": gateway_name, "sectionName": HTTP_LISTENER}],
                "hostnames": [args.host],
                "rules": [
                    {
                        "filters": [
                            {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}
                        ]
                    }
                ],
            },
            opts=child,
        )
        self.health_check = k8s.apiextensions.CustomResource(
            "health-check",
            api_version=GKE_NETWORKING_API,
            kind="HealthCheckPolicy",
            metadata={"name": args.name, "namespace": args.namespace},
            spec={
                "default": {
                    "config": {
                        "type": "HTTP",
                        "httpHealthCheck": {
                            "portSpecification": "USE_FIXED_PORT",
                            "port": args.service_port,
                            "requestPath": args.health_path,
                        },
                    }
                },
                "targetRef": {"group": "", "kind": "Service", "name": args.service_name},
            },
            opts=child,
        )
        self.gateway_name: pulumi.Output[str] = gateway_name
        self.register_outputs({"gateway": gateway_name})
