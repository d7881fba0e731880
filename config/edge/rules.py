"""The public edge's rules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from config.context import Context, known
from config.edge.schema import (
    CHANNEL,
    DNS_LABEL,
    DOMAIN,
    EMAIL,
    MEMBER_KINDS,
    OAUTH_CLIENT_ID,
    RESOURCE_QUANTITY,
    SECRET_KEY,
    SUFFIX_HEX,
    AlertsSection,
    EdgeSection,
    FrontendSection,
    IapSection,
)
from config.errors import Problem
from config.section import NS

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
