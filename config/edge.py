"""The public edge layer's config: its keys (`EdgeKeys`), rules and resolved settings.

Every key is declared once, as a field below (type, default, bounds, description, secret); the README's table
and Pulumi.yaml are generated from them (`make config-docs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from pydantic import Field

from config.errors import Problem
from config.layers import Layer
from config.naming import dns_label
from config.rules import NS, Context, known
from config.schema import SECRET, Keys, Section
from stacks.limits import MAX_BACKEND_TIMEOUT_S

if TYPE_CHECKING:
    import pulumi

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
    replicas: int = Field(default=1, ge=1, le=50, description="Frontend pods.")
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


# ---- naming -------------------------------------------------------------------------------------------


def endpoints_base(stack: str, configured: str | None, random_suffix: bool) -> str:
    """The Endpoints service's label without its random suffix: room is left for `-<suffix>`."""
    if configured:
        return configured
    # Short by default: the whole hostname also carries the project id.
    return dns_label("llmd", stack, max_len=30 - (SUFFIX_HEX + 1 if random_suffix else 0))


def endpoints_label(base: str, suffix: str | None) -> str:
    """`<base>-<suffix>` (or `<base>` when suffixes are off): the first label of the hostname."""
    return f"{base}-{suffix}" if suffix else base


def endpoints_host(label: str, project: str) -> str:
    """Cloud Endpoints DNS: `<label>.endpoints.<project>.cloud.goog`."""
    return f"{label}.endpoints.{project}.cloud.goog"


# ---- resolved settings --------------------------------------------------------------------------------


# The validated section is the resolved setting: nothing to mirror.
FrontendSettings: TypeAlias = FrontendSection


@dataclass(frozen=True)
class AlertSettings:
    """`AlertsSection` as plain values (tuples for lists), filled by `from_section`: fields named as there."""

    enabled: bool
    notification_channels: tuple[str, ...]
    ttft_p95_slo_seconds: float
    error_rate_percent: float
    queue_size_threshold: float


D = TypeVar("D")


def from_section(cls: type[D], section: Section) -> D:
    """A frozen dataclass whose fields are named as `section`'s, filled from it (lists become tuples)."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        value = getattr(section, f.name)
        values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


@dataclass(frozen=True)
class EdgeSettings:
    """What the edge layer resolves to; every value comes from a declared key (no defaults of its own)."""

    endpoints_base: str
    random_suffix: bool
    backend_timeout_seconds: int
    members: tuple[str, ...]
    oauth_client_id: str | None
    # Plain text here, only to tell that it is set; resources get `oauth_client_secret_output`.
    oauth_client_secret: str | None
    token_creators: tuple[str, ...]
    frontend: FrontendSettings
    alerts: AlertSettings
    notices: tuple[str, ...]
    # The OAuth client secret as a secret Output, set by settings_from_pulumi when it is set (None offline).
    oauth_client_secret_output: pulumi.Output[str] | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:  # never print the OAuth secret
        return f"EdgeSettings(endpoints_base={self.endpoints_base!r}, members={self.members!r}, ...)"


# ---- rules --------------------------------------------------------------------------------------------


def member_problem(member: str, allowed: tuple[str, ...]) -> str | None:
    """Why `member` is not a valid IAM member of the allowed kinds, or None."""
    kind, sep, value = member.partition(":")
    if member in ("allUsers", "allAuthenticatedUsers"):
        return "would open the chat to everyone"
    if not sep or kind not in allowed:
        return f"must start with {', '.join(k + ':' for k in allowed)}"
    if kind == "domain":
        return None if DOMAIN.match(value) else "not a domain name"
    return None if EMAIL.match(value) else "not an email address"


def iap_members(ctx: Context) -> Iterator[Problem]:
    iap = ctx.section("iap", IapSection)
    if iap is None:
        return
    for member in iap.members:
        reason = member_problem(member, MEMBER_KINDS)
        if reason:
            yield Problem(
                f"{NS}:iap.members",
                member,
                f"not a valid IAP member ({reason})",
                "use domain:example.com, group:team@example.com, user:me@example.com or "
                "serviceAccount:sa@project.iam.gserviceaccount.com",
            )
    for key, members in (("members", iap.members), ("stressTestTokenCreators", iap.stress_test_token_creators)):
        for member in sorted({m for m in members if members.count(m) > 1}):
            yield Problem(f"{NS}:iap.{key}", member, "listed more than once", "list each member once")
    present = f"{NS}:iap" in ctx.raw
    if present and not iap.members and not iap.allow_no_members:
        yield Problem(
            f"{NS}:iap.members",
            [],
            "empty: nobody could sign in to the chat",
            f"pulumi config set --path '{NS}:iap.members[0]' domain:<your domain>, or set "
            f"{NS}:iap.allowNoMembers true to grant access outside Pulumi",
        )
    for member in iap.stress_test_token_creators:
        reason = member_problem(member, ("user", "group", "serviceAccount"))
        if reason:
            yield Problem(
                f"{NS}:iap.stressTestTokenCreators",
                member,
                f"not a valid member ({reason})",
                "use user:me@example.com, group:team@example.com or serviceAccount:...",
            )


def oauth_client(ctx: Context) -> Iterator[Problem]:
    iap = ctx.section("iap", IapSection)
    client_id = iap.oauth_client_id if iap else None  # stops here when the id itself was invalid
    secret = ctx.raw.get(f"{NS}:{SECRET_KEY}")
    if client_id and not OAUTH_CLIENT_ID.match(client_id):
        yield Problem(
            f"{NS}:iap.oauthClientId",
            client_id,
            "not an OAuth client id",
            "use the id of a Web OAuth client: <number>-<id>.apps.googleusercontent.com",
        )
    if client_id and not secret:
        yield Problem(
            f"{NS}:{SECRET_KEY}",
            None,
            "a custom OAuth client id needs its secret",
            f"pulumi config set --secret {NS}:{SECRET_KEY} <client secret>, or remove iap.oauthClientId to use "
            "the Google-managed OAuth client",
        )
    if secret and not client_id:
        yield Problem(
            f"{NS}:iap.oauthClientId",
            None,
            "an OAuth client secret is set without its client id",
            f"set {NS}:iap.oauthClientId, or remove {NS}:{SECRET_KEY}",
        )


def endpoints_name(ctx: Context) -> Iterator[Problem]:
    edge = ctx.section("edge", EdgeSection)
    if edge is None or edge.endpoints_name is None:
        return
    name = edge.endpoints_name
    room = 63 - (SUFFIX_HEX + 1 if edge.random_suffix else 0)
    if not DNS_LABEL.match(name):
        yield Problem(
            f"{NS}:edge.endpointsName",
            name,
            "not a valid DNS label",
            "use lowercase letters, digits and '-', starting with a letter and not ending with '-' "
            "(it becomes <name>.endpoints.<project>.cloud.goog)",
        )
    elif len(name) > room:
        yield Problem(
            f"{NS}:edge.endpointsName",
            name,
            f"{len(name)} characters; a DNS label holds 63"
            + (f" and the random suffix needs {SUFFIX_HEX + 1}" if edge.random_suffix else ""),
            f"use at most {room} characters",
        )


_SUFFIXES: dict[str, Decimal | int] = {
    "": 1,
    "m": Decimal("0.001"),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def quantity(value: str) -> Decimal | None:
    """A Kubernetes resource quantity (`512Mi`, `1Gi`, `250m`) as a number, or None when it is not one."""
    match = RESOURCE_QUANTITY.match(value)
    if not match:
        return None
    suffix = match.group(2) or ""
    try:
        return Decimal(value[: len(value) - len(suffix)]) * _SUFFIXES[suffix]
    except (InvalidOperation, KeyError):
        return None


def frontend_values(ctx: Context) -> Iterator[Problem]:
    frontend = ctx.section("frontend", FrontendSection)
    if frontend is None:
        return
    amounts: dict[str, Decimal] = {}
    for field_name in ("cpu_request", "memory_request", "memory_limit"):
        value = known(frontend, field_name)
        if value is None:
            continue
        amount = quantity(value)
        if amount is None:
            alias = FrontendSection.model_fields[field_name].alias
            yield Problem(
                f"{NS}:frontend.{alias}", value, "not a Kubernetes quantity", "use values like 250m, 512Mi, 1Gi"
            )
        else:
            amounts[field_name] = amount
    request, limit = amounts.get("memory_request"), amounts.get("memory_limit")
    if request is not None and limit is not None and request > limit:
        yield Problem(
            f"{NS}:frontend.memoryRequest",
            frontend.memory_request,
            f"more than memoryLimit ({frontend.memory_limit}): Kubernetes refuses a request above its limit",
            f"make memoryRequest <= memoryLimit, or raise memoryLimit to at least {frontend.memory_request}",
        )
    if frontend.image is not None and (not frontend.image or " " in frontend.image):
        yield Problem(
            f"{NS}:frontend.image",
            frontend.image,
            "not an image reference",
            "use <registry>/<repository>/<image>:<tag>, or remove the key to build frontend/Dockerfile",
        )


def alert_channels(ctx: Context) -> Iterator[Problem]:
    alerts = ctx.section("alerts", AlertsSection)
    if alerts is None:
        return
    for channel in alerts.notification_channels:
        if not CHANNEL.match(channel):
            yield Problem(
                f"{NS}:alerts.notificationChannels",
                channel,
                "not a notification channel name",
                "use projects/<project>/notificationChannels/<id> (gcloud beta monitoring channels list)",
            )


def timeouts_in_step(ctx: Context) -> Iterator[Problem]:
    """The chat and the external load balancer must not wait longer than the internal gateway lets a request run."""
    from config.serving import GatewaySection

    chat = known(ctx.section("edge", EdgeSection), "backend_timeout_seconds")
    internal = known(ctx.section("gateway", GatewaySection), "timeout_seconds")
    if chat is not None and internal is not None and chat > internal:
        yield Problem(
            f"{NS}:edge.backendTimeoutSeconds",
            chat,
            f"longer than the internal gateway's gateway.timeoutSeconds ({internal} s): the chat would wait for "
            "answers the internal gateway has already cut off",
            f"use edge.backendTimeoutSeconds <= {internal}, or raise gateway.timeoutSeconds as well",
        )


EDGE = Layer(
    name="edge",
    keys=(EdgeKeys,),
    rules=(iap_members, oauth_client, endpoints_name, frontend_values, alert_channels, timeouts_in_step),
)


def resolve(ctx: Context) -> EdgeSettings:
    edge = ctx.section("edge", EdgeSection) or EdgeSection()
    iap = ctx.section("iap", IapSection) or IapSection()
    frontend = ctx.section("frontend", FrontendSection) or FrontendSection()
    alerts = ctx.section("alerts", AlertsSection) or AlertsSection()
    notices: tuple[str, ...] = ()
    if not iap.members:
        notices = (
            f"{NS}:iap.members is empty: IAP lets nobody but the stress-test service account into the chat; "
            f"add members with pulumi config set --path '{NS}:iap.members[0]' domain:<your domain>",
        )
    secret = ctx.raw.get(f"{NS}:{SECRET_KEY}")
    return EdgeSettings(
        endpoints_base=endpoints_base(ctx.stack, edge.endpoints_name, edge.random_suffix),
        random_suffix=edge.random_suffix,
        backend_timeout_seconds=edge.backend_timeout_seconds,
        members=tuple(iap.members),
        oauth_client_id=iap.oauth_client_id,
        oauth_client_secret=str(secret) if secret else None,
        token_creators=tuple(iap.stress_test_token_creators),
        frontend=frontend,
        alerts=from_section(AlertSettings, alerts),
        notices=notices,
    )
