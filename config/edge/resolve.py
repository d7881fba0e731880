"""The public edge's resolved settings and names."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from config.context import Context
from config.edge.schema import SECRET_KEY, SUFFIX_HEX, AlertsSection, EdgeSection, FrontendSection, IapSection
from config.naming import dns_label
from config.section import NS, Section

if TYPE_CHECKING:
    import pulumi

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
