"""The public edge of one GKE stack, wired in order:

global address -> Endpoints DNS name -> managed certificate -> external Gateway (+ HTTP->HTTPS redirect)
-> HTTPRoute -> frontend Service (IAP policy) -> frontend Deployment (image built by Cloud Build or
prebuilt) -> internal llm-d gateway; plus the monitoring dashboard and alert policies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.edge.alerts import AlertPolicies
from components.edge.certificate import ManagedCertificate
from components.edge.dashboard import MonitoringDashboard
from components.edge.edge_address import EdgeAddress
from components.edge.endpoints_dns import EndpointsDns, EndpointsDnsArgs
from components.edge.external_gateway import ExternalGateway, ExternalGatewayArgs
from components.edge.frontend import HEALTH_PATH, Frontend, FrontendArgs
from components.edge.frontend_image import FrontendImage, FrontendImageArgs
from components.edge.iap_access import IapAccess, IapAccessArgs
from config.edge import EdgeSettings
from config.naming import Names, dns_label
from config.settings import Settings
from stacks.autoscaling import CHAT_DEADLINE_MARGIN_S
from stacks.versions import VERSION_SETS

FRONTEND_NAME = "llmd-chat"


def iap_audience_prefix(project_number: str) -> str:
    """What IAP's signed header names as audience for any backend service of the project (the id comes last)."""
    return f"/projects/{project_number}/global/backendServices/"


@dataclass(frozen=True)
class EdgeArgs:
    """The stack's own values the edge needs."""

    project: str
    region: str
    stack: str
    names: Names
    labels: dict[str, str]
    served_model: str  # preselected in the chat
    edge: EdgeSettings
    # The metric family of the serving layer's version set: the dashboard and alerts query its names.
    metrics: str = "2026-04"
    # Pools that scale to zero: how long the chat waits for one to start (0: they never stop), and how long a pool
    # must be idle before it stops.
    cold_start_seconds: int = 0
    idle_seconds: int = 0


def edge_args(s: Settings) -> EdgeArgs:
    metrics = VERSION_SETS[s.serving.version_set].metrics
    scaling = s.serving.autoscaling
    cold_start, idle = (scaling.cold_start_s, scaling.idle_s) if scaling.to_zero else (0, 0)
    return EdgeArgs(s.project, s.region, s.stack, s.names, s.labels, s.model.name, s.edge, metrics, cold_start, idle)


@dataclass(frozen=True)
class EdgeInputs:
    """What the edge takes from the layers below it."""

    k8s_provider: pulumi.ProviderResource
    namespace: pulumi.Input[str]  # the llm-d namespace: the chat runs next to the model servers
    internal_gateway_address: pulumi.Input[str]
    project_number: pulumi.Input[str]  # the platform's one look-up


class PublicEdge(pulumi.ComponentResource):
    def __init__(self, name: str, args: EdgeArgs, inputs: EdgeInputs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:edge:PublicEdge", name, None, opts)
        edge, names, project, labels = args.edge, args.names, args.project, args.labels
        gcp_opts = pulumi.ResourceOptions(parent=self, depends_on=opts.depends_on if opts else None)
        k8s_opts = pulumi.ResourceOptions.merge(gcp_opts, pulumi.ResourceOptions(providers=[inputs.k8s_provider]))

        self.address = EdgeAddress("edge-address", project, names.of("edge-ip"), labels, opts=gcp_opts)
        self.dns = EndpointsDns(
            "endpoints",
            EndpointsDnsArgs(project, edge.endpoints_base, edge.random_suffix, self.address.ip),
            opts=gcp_opts,
        )
        self.certificate = ManagedCertificate(
            "certificate", project, names.of("chat"), self.dns.host, labels, opts=gcp_opts
        )

        image: pulumi.Input[str]
        if edge.frontend.image:
            self.image: FrontendImage | None = None
            image = edge.frontend.image
        else:
            self.image = FrontendImage(
                "frontend-image",
                FrontendImageArgs(
                    project=project,
                    region=args.region,
                    repository_id=names.of("frontend"),
                    image_name="chat",
                    builder_account_id=names.of("builder", max_len=30),
                    staging_bucket=dns_label(project, names.of("build"), max_len=63),
                    labels=labels,
                ),
                opts=gcp_opts,
            )
            image = self.image.image
        gateway_url = pulumi.Output.from_input(inputs.internal_gateway_address).apply(lambda a: f"http://{a}")
        self.frontend = Frontend(
            "frontend",
            FrontendArgs(
                name=FRONTEND_NAME,
                namespace=inputs.namespace,
                image=image,
                gateway_url=gateway_url,
                model=args.served_model,
                # The load balancer's timeout bounds the whole wait: a cold start, then the answer, ended by the
                # chat a little before the load balancer would cut it.
                request_timeout_seconds=edge.backend_timeout_seconds
                - (args.cold_start_seconds + CHAT_DEADLINE_MARGIN_S if args.cold_start_seconds else 0),
                cold_start_seconds=args.cold_start_seconds,
                idle_seconds=args.idle_seconds,
                replicas=edge.frontend.replicas,
                queue_concurrency=edge.frontend.queue_concurrency,
                cpu_request=edge.frontend.cpu_request,
                memory_request=edge.frontend.memory_request,
                memory_limit=edge.frontend.memory_limit,
                iap_audience_prefix=pulumi.Output.from_input(inputs.project_number).apply(iap_audience_prefix),
            ),
            opts=k8s_opts,
        )
        self.access = IapAccess(
            "iap",
            IapAccessArgs(
                project=project,
                namespace=self.frontend.namespace,
                service_name=self.frontend.service_name,
                host=self.dns.host,
                policy_name=FRONTEND_NAME,
                timeout_seconds=edge.backend_timeout_seconds,
                members=edge.members,
                token_creators=edge.token_creators,
                stress_test_account_id=dns_label("llmd", args.stack, "stress", max_len=30),
                oauth_client_id=edge.oauth_client_id,
                oauth_client_secret=edge.oauth_client_secret_output,
            ),
            opts=k8s_opts,
        )
        self.gateway = ExternalGateway(
            "gateway",
            ExternalGatewayArgs(
                name=f"{FRONTEND_NAME}-external",
                namespace=self.frontend.namespace,
                address_name=self.address.name,
                certificate_map=self.certificate.map_name,
                host=self.dns.host,
                service_name=self.frontend.service_name,
                service_port=self.frontend.port,
                health_path=HEALTH_PATH,
            ),
            # The route goes live only once IAP guards the Service: never a public moment without it.
            opts=pulumi.ResourceOptions.merge(k8s_opts, pulumi.ResourceOptions(depends_on=[self.access.policy])),
        )
        self.dashboard = MonitoringDashboard(
            "dashboard",
            project,
            f"llm-d ({args.stack})",
            names.cluster,
            inputs.namespace,
            labels,
            metrics=args.metrics,
            scale_to_zero=args.cold_start_seconds > 0,
            opts=gcp_opts,
        )
        self.alerts = AlertPolicies(
            "alerts",
            project,
            args.stack,
            edge.alerts,
            names.cluster,
            inputs.namespace,
            labels,
            metrics=args.metrics,
            cold_start_s=args.cold_start_seconds,
            opts=gcp_opts,
        )
        self.chat_url: pulumi.Output[str] = self.dns.host.apply(lambda host: f"https://{host}")
        self.dashboard_url = self.dashboard.url
        self.stress_test_service_account = self.access.stress_test_email
        self.outputs: dict[str, pulumi.Input[str]] = {
            "chatUrl": self.chat_url,
            "dashboardUrl": self.dashboard_url,
            "stressTestServiceAccount": self.stress_test_service_account,
        }
        self.register_outputs(self.outputs)
