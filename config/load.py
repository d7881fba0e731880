"""Read the stack config once, report every problem together, and resolve it into `Settings`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from config import edge, serving
from config.context import Context, run_rule
from config.errors import ConfigError, Problem
from config.naming import Names, label_value
from config.partial import decode, did_you_mean, parse_partial
from config.platform import PLATFORM
from config.platform.resolve import resolve as platform_resolve
from config.platform.schema import (
    ClusterSection,
    GcpKeys,
    GpuPoolSection,
    ModelSection,
    NetworkSection,
    SystemPoolSection,
)
from config.section import NS, PROGRAM_LABELS
from config.settings import Settings
from stacks.accelerators import CATALOG
from stacks.limits import LABEL_MAX_CHARS, MAX_LABELS

S = TypeVar("S", bound=BaseModel)
# Every layer whose config this program reads.
LAYERS = (PLATFORM, serving.SERVING, edge.EDGE)
SECTIONS = {key: model for layer in LAYERS for key, model in layer.sections.items()}
SCALARS = tuple(key for layer in LAYERS for key in layer.scalars)
# Keys of the Google provider this program reads (and zone, for did-you-mean), and others people set on purpose
# (pulumi-gcp's config).
GCP_KEYS = (*(GcpKeys.key(name) for name in GcpKeys.model_fields), "zone")
GCP_PROVIDER_KEYS = frozenset(
    {
        *GCP_KEYS,
        "credentials",
        "accessToken",
        "impersonateServiceAccount",
        "impersonateServiceAccountDelegates",
        "billingProject",
        "userProjectOverride",
        "requestTimeout",
        "requestReason",
        "scopes",
        "defaultLabels",
        "addTerraformAttributionLabel",
        "terraformAttributionLabelAdditionStrategy",
        "universeDomain",
        "disableGooglePartnerName",
        "googlePartnerName",
    }
)
LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
# Keys declared secret: values that must be set with `pulumi config set --secret`, warned about in plain text.
PLAIN_SECRET_WARNED = tuple(key for layer in LAYERS for key in layer.secrets)


def _present(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The config without keys that are set to nothing (`llmd:hfToken:` in YAML is not set, never 'None')."""
    return {k: v for k, v in raw.items() if v is not None and v != ""}


def _parse_sections(raw: Mapping[str, Any], problems: list[Problem]) -> dict[str, BaseModel | None]:
    return {
        name: parse_partial(model, decode(raw.get(f"{NS}:{name}", {})), f"{NS}:{name}", name, problems)
        for name, model in SECTIONS.items()
    }


def _unknown_keys(raw: Mapping[str, Any]) -> list[Problem]:
    known = sorted(set(SECTIONS) | set(SCALARS))
    problems = []
    for key in raw:
        namespace, _, name = str(key).partition(":")
        if namespace == NS and name not in known:
            guess = did_you_mean(name, known)
            problems.append(
                Problem(
                    key,
                    raw[key],
                    "unknown config key",
                    (f"did you mean {NS}:{guess}? " if guess else "check the spelling; ")
                    + f"valid keys: {', '.join(known)}",
                    secret=True,
                )
            )
        elif namespace == "gcp" and name not in GCP_PROVIDER_KEYS:
            guess = did_you_mean(name, GCP_KEYS)
            if guess:
                problems.append(
                    Problem(
                        key,
                        raw[key],
                        "not a key the Google provider reads",
                        f"did you mean gcp:{guess}? (pulumi config rm {key}; pulumi config set gcp:{guess} ...)",
                        secret=True,
                    )
                )
        elif namespace not in (NS, "gcp") and name:
            guess = did_you_mean(namespace, (NS, "gcp"))
            if guess and guess != namespace:
                problems.append(
                    Problem(
                        key,
                        raw[key],
                        f"namespace '{namespace}' is read by no provider or program",
                        f"did you mean {guess}:{name}?",
                        secret=True,
                    )
                )
    return problems


def _label_problem(key: str, value: Any) -> tuple[str, str] | None:
    """Why `key: value` is not a GCP label, and the fix, or None."""
    if not isinstance(value, str):
        return ("the value is not text", f"quote it: {key}: '{value}'")
    for what, text, pattern in (("key", key, LABEL_KEY), ("value", value, LABEL_VALUE)):
        if pattern.match(text):
            continue
        if len(text) > LABEL_MAX_CHARS:
            return (f"the {what} has {len(text)} characters", f"shorten it to at most {LABEL_MAX_CHARS}")
        if what == "key" and not text:
            return ("the key is empty", "give the label a key")
        if text != text.lower() and pattern.match(text.lower()):
            return (f"the {what} has capital letters", f"write it in lowercase: '{text.lower()}'")
        if what == "key" and not text[0].isalpha():
            return ("the key does not start with a letter", "start it with a lowercase letter")
        bad = sorted({c for c in text if not re.match(r"[a-z0-9_-]", c)})
        return (
            f"the {what} holds {', '.join(repr(c) for c in bad)}",
            "use only lowercase letters, digits, '-' and '_'",
        )
    return None


def _labels(raw: Mapping[str, Any], stack: str, problems: list[Problem]) -> dict[str, str]:
    labels = {"app": "llm-d", "llmd-stack": label_value(stack), "managed-by": "pulumi"}
    extra = decode(raw.get(f"{NS}:labels", {}))
    if not isinstance(extra, dict):
        problems.append(Problem(f"{NS}:labels", extra, "must be a mapping", "write labels: {team: ml}"))
        return labels
    if len(extra) + len(labels) > MAX_LABELS:
        problems.append(
            Problem(
                f"{NS}:labels",
                f"{len(extra)} labels",
                f"with the program's {len(labels)} labels, more than the {MAX_LABELS} a resource takes",
                f"keep at most {MAX_LABELS - len(labels)} labels",
            )
        )
    for key, value in extra.items():
        where = f"{NS}:labels.{key}"
        if key in PROGRAM_LABELS:
            problems.append(
                Problem(
                    where,
                    value,
                    f"the program sets this label itself ({key}={labels[key]}) to find and group its resources",
                    "use another key, such as team or cost-center",
                )
            )
            continue
        reason = _label_problem(str(key), value)
        if reason:
            problems.append(Problem(where, value, f"not a valid GCP label: {reason[0]}", reason[1]))
        else:
            labels[str(key)] = str(value)
    return labels


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def load_settings(raw: Mapping[str, Any], stack: str, secret_keys: Collection[str] | None = None) -> Settings:
    """Validate the flat Pulumi config map (`namespace:key` -> value) of one stack.

    `secret_keys`: the keys Pulumi holds as secrets, when known; secrets given in plain text are warned about.
    """
    raw = _present(raw)
    problems: list[Problem] = _unknown_keys(raw)
    sections = _parse_sections(raw, problems)
    labels = _labels(raw, stack, problems)
    accelerator_name = _text(raw.get(f"{NS}:accelerator")) or (stack if stack in CATALOG else None)
    if accelerator_name is None:
        problems.append(
            Problem(
                f"{NS}:accelerator",
                None,
                "not set",
                f"pulumi config set {NS}:accelerator <one of {', '.join(CATALOG)}>",
            )
        )
    existing = f"{NS}:existingCluster" in raw
    ctx = Context(
        stack=stack,
        raw=raw,
        sections=sections,
        project=_text(raw.get("gcp:project")),
        region=_text(raw.get("gcp:region")) or (None if existing else GcpKeys.default("region")),
        accelerator_name=accelerator_name,
        accelerator=CATALOG.get(accelerator_name or ""),
        model=_typed(sections["model"], ModelSection),
        network=_typed(sections["network"], NetworkSection),
        gpu_pool=_typed(sections["gpuPool"], GpuPoolSection),
        cluster=_typed(sections["cluster"], ClusterSection),
    )
    for rule in (rule for layer in LAYERS for rule in layer.rules):
        problems += run_rule(rule, ctx)
    if problems:
        raise ConfigError(stack, problems)
    settings = _resolve(ctx, sections, stack, labels)
    if secret_keys is not None:
        plain = tuple(
            f"{NS}:{key} is stored in plain text: run pulumi config set --secret {NS}:{key} <value>"
            for key in PLAIN_SECRET_WARNED
            if f"{NS}:{key}" in raw and f"{NS}:{key}" not in secret_keys
        )
        settings = dataclasses.replace(settings, notices=settings.notices + plain)
    return settings


def _typed(value: BaseModel | None, cls: type[S]) -> S | None:
    return value if isinstance(value, cls) else None


def _resolve(ctx: Context, sections: dict[str, BaseModel | None], stack: str, labels: dict[str, str]) -> Settings:
    assert (ctx.project and ctx.region) or ctx.existing_cluster
    system_pool = _typed(sections["systemPool"], SystemPoolSection)
    assert system_pool is not None and ctx.network and ctx.cluster
    resolved = platform_resolve(ctx)
    return Settings(
        stack=stack,
        project=ctx.project or "",
        region=ctx.region or "",
        accelerator=resolved.accelerator,
        model=resolved.model,
        network=ctx.network,
        gpu_pool=resolved.gpu_pool,
        system_pool=system_pool,
        cluster=ctx.cluster,
        names=Names(stack),
        serving=serving.resolve(ctx),
        edge=edge.resolve(ctx),
        labels=labels,
        notices=resolved.notices,
    )


def settings_from_pulumi() -> Settings:
    """Read the running Pulumi program's config (the only place that touches pulumi config).

    Secrets become secret Outputs here, as they are read: `serving.hf_token` and `edge.oauth_client_secret_output`.
    """
    import pulumi
    from pulumi.runtime import config as runtime_config

    raw: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = {key for key in raw if runtime_config.is_config_secret(key)}
    settings = load_settings(raw, pulumi.get_stack(), secret_keys)
    config = pulumi.Config(NS)
    hf_token = config.get_secret(serving.HF_TOKEN) if settings.serving.hf_token_set else None
    oauth_secret = config.get_secret(edge.SECRET_KEY) if settings.edge.oauth_client_secret else None
    return dataclasses.replace(
        settings,
        serving=dataclasses.replace(settings.serving, hf_token=hf_token),
        edge=dataclasses.replace(settings.edge, oauth_client_secret_output=oauth_secret),
    )
