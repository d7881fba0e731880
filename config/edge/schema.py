"""The public edge's keys: edge, IAP, the OAuth client secret, frontend, alerts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import Field

from config.section import NS, SECRET, Keys, Section
from stacks.frontend import DEFAULT_REPLICAS
from stacks.limits import MAX_BACKEND_TIMEOUT_S

if TYPE_CHECKING:
    pass

DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$")
OAUTH_CLIENT_ID = re.compile(r"^[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com$")
CHANNEL = re.compile(r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$")
RESOURCE_QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$")
MEMBER_KINDS = ("domain", "group", "user", "serviceAccount")
# A random suffix of this many hex characters (pulumi_random RandomId of 2 bytes) ends generated names.
SUFFIX_HEX = 4
DEFAULT_BACKEND_TIMEOUT = 3600
SECRET_KEY = "iapOauthClientSecret"


class EdgeSection(Section):
    endpoints_name: str | None = Field(
        default=None,
        description="DNS label of the Cloud Endpoints service (<label>.endpoints.<project>.cloud.goog); unset: "
        "llmd-<stack>.",
    )
    random_suffix: bool = Field(
        default=True,
        description="End the Endpoints name with a random suffix kept in state, so a re-created service never "
        "reuses a name held for 30 days after deletion.",
    )
    backend_timeout_seconds: int = Field(
        default=DEFAULT_BACKEND_TIMEOUT,
        ge=30,
        le=MAX_BACKEND_TIMEOUT_S,
        description="Load balancer to frontend timeout in seconds, also the frontend's request timeout.",
        json_schema_extra={
            "why": "Google does not recommend backend service timeouts above 24 hours "
            "(load-balancing/docs/https#timeout-bes): its front ends restart for maintenance"
        },
    )


class IapSection(Section):
    members: list[str] = Field(
        default_factory=list,
        description="Who may sign in to the chat: domain:, group:, user: or serviceAccount: members. Without an iap "
        "section only the stress-test service account can (with a warning).",
    )
    allow_no_members: bool = Field(
        default=False, description="Accept an empty members list (access granted outside Pulumi)."
    )
    oauth_client_id: str | None = Field(
        default=None,
        description=f"A custom Web OAuth client's id; its secret is {NS}:{SECRET_KEY}. Unset: the "
        "Google-managed OAuth client.",
    )
    stress_test_token_creators: list[str] = Field(
        default_factory=list,
        description="Members (user:, group:, serviceAccount:) that may mint tokens as the stress-test service account.",
    )


class FrontendSection(Section):
    image: str | None = Field(
        default=None, description="A prebuilt chat frontend image; unset: built from frontend/ by Cloud Build."
    )
    replicas: int = Field(
        default=DEFAULT_REPLICAS,
        ge=1,
        le=50,
        description="Frontend pods: the default holds 500 concurrent chats with one pod to spare (stacks/frontend.py).",
    )
    queue_concurrency: int | None = Field(
        default=None, ge=1, description="Chats each pod streams at once; unset: the frontend's own default."
    )
    cpu_request: str = Field(default="250m", description="CPU request of a frontend pod (a Kubernetes quantity).")
    memory_request: str = Field(
        default="512Mi", description="Memory request of a frontend pod (a Kubernetes quantity, at most the limit)."
    )
    memory_limit: str = Field(default="1Gi", description="Memory limit of a frontend pod (a Kubernetes quantity).")


class AlertsSection(Section):
    enabled: bool = Field(default=True, description="Create the alert policies.")
    notification_channels: list[str] = Field(
        default_factory=list,
        description="Cloud Monitoring channels alerts notify (projects/<project>/notificationChannels/<id>).",
    )
    ttft_p95_slo_seconds: float = Field(
        default=2.0, gt=0, description="Alert when the p95 time to first token stays above this, in seconds."
    )
    error_rate_percent: float = Field(
        default=5.0, gt=0, le=100, description="Alert when more than this share of requests fails, in percent."
    )
    queue_size_threshold: float = Field(
        default=10.0, gt=0, description="Alert when the pool's average queue stays above this and grows."
    )


class EdgeKeys(Keys):
    """The edge layer's keys: the public HTTPS load balancer, IAP, the chat frontend and alerts."""

    edge: EdgeSection = Field(
        default_factory=EdgeSection, description="The public HTTPS endpoint (Cloud Endpoints name, load balancer)."
    )
    iap: IapSection = Field(default_factory=IapSection, description="Identity-Aware Proxy in front of the chat.")
    iap_oauth_client_secret: str | None = Field(
        default=None,
        description=f"The custom OAuth client's secret (only with iap.oauthClientId): pulumi config set --secret "
        f"{NS}:{SECRET_KEY} <secret>",
        json_schema_extra=SECRET,
    )
    frontend: FrontendSection = Field(default_factory=FrontendSection, description="The chat frontend.")
    alerts: AlertsSection = Field(default_factory=AlertsSection, description="Alert policies of the stack.")


assert EdgeKeys.key("iap_oauth_client_secret") == SECRET_KEY
