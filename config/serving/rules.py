"""The serving layer's rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from config.context import Context, known, run_rule
from config.errors import Problem
from config.naming import dns_label
from config.partial import aliases, decode, parse_partial
from config.platform.rules import MODEL_CHECKS, for_model
from config.section import NS
from config.serving.schema import (
    HF_TOKEN,
    K8S_LABEL,
    VERSION_SET,
    ExistingClusterSection,
    ExtraModelSection,
    GatewaySection,
    SchedulerSection,
)
from stacks.limits import K8S_LABEL_MAX_CHARS
from stacks.models import KNOWN_MODELS
from stacks.scheduler_plugins import NEEDS_DISAGGREGATION, PLUGIN_TYPES, PROFILE_NAMES, PROFILE_SCHEDULERS, Kind
from stacks.serving import GATEWAY_CLASSES
from stacks.versions import DEFAULT_VERSION_SET, PINNED, VERSION_SETS, VersionSet

# ------------------------------------------------------------------------------------------------- rules


def model_slug(name: str) -> str:
    """A short DNS label for a model: release, pool and label names derive from it."""
    return dns_label(name.rsplit("/", 1)[-1], max_len=30)


def chosen_version_set(ctx: Context) -> VersionSet:
    """The version set named by llmd:versionSet (the default set when unset or unknown: the rule reports it)."""
    name = ctx.raw.get(f"{NS}:{VERSION_SET}", DEFAULT_VERSION_SET)
    default = VERSION_SETS[DEFAULT_VERSION_SET]
    return VERSION_SETS.get(name, default) if isinstance(name, str) else default


def version_set(ctx: Context) -> Iterator[Problem]:
    name = ctx.raw.get(f"{NS}:{VERSION_SET}")
    if name is None or (isinstance(name, str) and name in VERSION_SETS):
        return
    yield Problem(
        f"{NS}:{VERSION_SET}",
        name,
        "unknown version set",
        f"use one of: {', '.join(VERSION_SETS)} (or remove the key for {DEFAULT_VERSION_SET})",
    )


def _valid_types(versions: VersionSet = PINNED) -> dict[str, Kind]:
    return PLUGIN_TYPES[versions.scheduler_version]


def scheduler_plugins(ctx: Context) -> Iterator[Problem]:
    section = ctx.section("scheduler", SchedulerSection)
    if section is None:
        return
    key = f"{NS}:scheduler"
    versions = chosen_version_set(ctx)
    if section.profile is not None and section.profile not in PROFILE_NAMES:
        yield Problem(
            f"{key}.profile", section.profile, "unknown scheduler profile", f"use one of: {', '.join(PROFILE_NAMES)}"
        )
        return
    runs_on = PROFILE_SCHEDULERS.get(section.profile or "")
    if runs_on is not None and versions.scheduler_version not in runs_on:
        yield Problem(
            f"{key}.profile",
            section.profile,
            f"profile {section.profile} needs the scheduler {', '.join(runs_on)}; version set {versions.name} runs "
            f"{versions.scheduler_version}",
            "set llmd:versionSet: "
            + ", ".join(n for n, s in VERSION_SETS.items() if s.scheduler_version in runs_on)
            + ", or choose another profile",
        )
    if section.profile != "custom" and section.plugins:
        yield Problem(
            f"{key}.plugins",
            "...",
            f"plugins are only read with profile custom (profile is {section.profile})",
            "set scheduler.profile: custom, or remove scheduler.plugins",
        )
    if section.profile == "custom" and not section.plugins:
        yield Problem(
            f"{key}.plugins", [], "profile custom needs at least one plugin", "list plugins: [{type, weight}]"
        )
    valid = _valid_types(versions)
    names: set[str] = set()
    for i, plugin in enumerate(section.plugins):
        if plugin.type not in valid:
            yield Problem(
                f"{key}.plugins[{i}].type",
                plugin.type,
                f"not a plugin type of the pinned scheduler {versions.epp_image.name}:{versions.scheduler_version}",
                f"use one of: {', '.join(sorted(valid))}",
            )
        elif plugin.type in NEEDS_DISAGGREGATION:
            yield Problem(
                f"{key}.plugins[{i}].type",
                plugin.type,
                f"{NEEDS_DISAGGREGATION[plugin.type]}; this stack runs one `default` profile over one pool",
                "remove it: single-profile-handler and max-score-picker are added by default",
            )
        elif plugin.weight is not None and valid[plugin.type] is not Kind.SCORER:
            yield Problem(
                f"{key}.plugins[{i}].weight",
                plugin.weight,
                f"{plugin.type} is a {valid[plugin.type]}: only scorers take a weight",
                "remove the weight",
            )
        if plugin.weight is not None and plugin.weight <= 0:
            yield Problem(
                f"{key}.plugins[{i}].weight",
                plugin.weight,
                "weights must be greater than 0",
                "use a positive weight, or remove the plugin",
            )
        ref = plugin.name or plugin.type
        if ref in names:
            yield Problem(
                f"{key}.plugins[{i}]", ref, "the same plugin is listed twice", "give each instance a distinct name"
            )
        names.add(ref)


def _provider(ctx: Context) -> str:
    return "istio" if ctx.existing_cluster else "gke"


def gateway_class(ctx: Context) -> Iterator[Problem]:
    section = ctx.section("gateway", GatewaySection)
    if section is None or section.class_name is None:
        return
    provider = _provider(ctx)
    classes = GATEWAY_CLASSES[provider]
    if section.class_name not in classes:
        where = "an existing cluster's Istio gateway" if provider == "istio" else "the internal gateway on GKE"
        yield Problem(
            f"{NS}:gateway.className",
            section.class_name,
            f"no such gateway class for {where}",
            f"use one of: {', '.join(classes)} (or remove the key for the default)",
        )


def _extra_models(ctx: Context) -> tuple[list[ExtraModelSection] | None, list[Problem]]:
    """extraModels, parsed once per config: each entry as far as it is valid, and what is wrong with the rest."""
    if "extraModels" in ctx.cache:
        return ctx.cache["extraModels"]
    value = decode(ctx.raw.get(f"{NS}:extraModels"))
    problems: list[Problem] = []
    models: list[ExtraModelSection] | None
    if value is None:
        models = []
    elif not isinstance(value, list):
        problems.append(
            Problem(
                f"{NS}:extraModels",
                value,
                "must be a list",
                f"write extraModels as a list of {{{', '.join(aliases(ExtraModelSection))}}}",
            )
        )
        models = None
    else:
        models = [
            parse_partial(ExtraModelSection, entry, f"{NS}:extraModels[{i}]", "extraModels", problems)
            for i, entry in enumerate(value)
        ]
    ctx.cache["extraModels"] = (models, problems)
    return models, problems


def extra_models(ctx: Context) -> Iterator[Problem]:
    models, problems = _extra_models(ctx)
    yield from problems
    if not models:
        return
    primary_name = known(ctx.model, "name")
    slugs = {model_slug(primary_name): f"{NS}:model"} if primary_name else {}
    for i, extra in enumerate(models):
        key = f"{NS}:extraModels[{i}]"
        # The checks every model pool gets, on this entry.
        for check in MODEL_CHECKS:
            yield from run_rule(for_model(check, extra, key), ctx)
        name = known(extra, "name")
        if name is None:
            continue
        slug = model_slug(name)
        if slug in slugs:
            yield Problem(
                f"{key}.name", name, f"its pool name '{slug}' is taken by {slugs[slug]}", "serve each model once"
            )
        slugs[slug] = key
    pool, gpus = ctx.gpu_pool, ctx.gpus_per_node
    if pool is None or gpus is None or ctx.model is None:
        return
    primary = ctx.model.replicas * ctx.model.tensor_parallel_size
    total = primary + sum(m.replicas * m.tensor_parallel_size for m in models)
    capacity = pool.max_nodes * gpus
    if primary <= capacity < total:
        yield Problem(
            f"{NS}:extraModels",
            "...",
            f"all model pools together need {total} GPUs but the GPU pool holds at most {pool.max_nodes} node(s) "
            f"x {gpus} GPU(s)",
            f"raise gpuPool.maxNodes to {-(-total // gpus)} or lower the replicas",
        )


def hf_token_for_gated_models(ctx: Context) -> Iterator[Problem]:
    if ctx.raw.get(f"{NS}:{HF_TOKEN}"):
        return
    models, _ = _extra_models(ctx)
    names = [("model.name", known(ctx.model, "name"))]
    names += [(f"extraModels[{i}].name", known(m, "name")) for i, m in enumerate(models or [])]
    for key, name in names:
        if name is None:
            continue
        facts = KNOWN_MODELS.get(name)
        if facts is not None and facts.gated:
            yield Problem(
                f"{NS}:{key}",
                name,
                "a gated model: Hugging Face refuses the download without a token of an account that accepted "
                "its licence",
                f"pulumi config set --secret {NS}:{HF_TOKEN} <token>, or serve a public model such as Qwen/Qwen3-8B",
            )


# The stack file's stand-in for the user's kubeconfig context: refused until replaced.
CONTEXT_PLACEHOLDER = "<your-kube-context>"


def looks_like_kubeconfig_contents(value: str) -> bool:
    """Contents pasted where a path belongs: several lines, or YAML/JSON that a kubeconfig starts with."""
    text = value.strip()
    return "\n" in text or text.startswith(("{", "apiVersion", "kind:", "clusters:")) or "client-key-data" in text


def namespace_problem(name: str) -> tuple[str, str] | None:
    """Why `name` is not a Kubernetes namespace name (an RFC 1123 label), and a fix that says what to change."""
    if K8S_LABEL.match(name) and len(name) <= K8S_LABEL_MAX_CHARS:
        return None
    if len(name) > K8S_LABEL_MAX_CHARS:
        return f"{len(name)} characters; a namespace name holds at most {K8S_LABEL_MAX_CHARS}", (
            f"shorten it to {K8S_LABEL_MAX_CHARS} characters or fewer"
        )
    suggestion = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", name.lower())).strip("-")
    wrong = []
    if name != name.lower():
        wrong.append("capital letters")
    if re.search(r"[^A-Za-z0-9-]", name):
        wrong.append("characters other than letters, digits and '-'")
    if name[:1] == "-" or name[-1:] == "-":
        wrong.append("a '-' at an end")
    reason = "not an RFC 1123 label" + (f" ({', '.join(wrong)})" if wrong else "")
    fix = "use lowercase letters, digits and '-', starting and ending with a letter or digit"
    return reason, fix + (f", such as '{suggestion}'" if suggestion and K8S_LABEL.match(suggestion) else "")


def existing_cluster_context(ctx: Context) -> Iterator[Problem]:
    existing = ctx.section("existingCluster", ExistingClusterSection)
    if existing is None or not ctx.existing_cluster:
        return
    key = f"{NS}:existingCluster"
    set_context = f"pulumi config set --path {key}.context <a name from kubectl config get-contexts>"
    kubeconfig = known(existing, "kubeconfig")
    if kubeconfig and looks_like_kubeconfig_contents(kubeconfig):
        yield Problem(
            f"{key}.kubeconfig",
            kubeconfig,
            "holds a kubeconfig's contents (credentials) instead of a path: they would be stored in plain text",
            "save it to a file (chmod 600) and give that file's path, or remove the key to use $KUBECONFIG or "
            "~/.kube/config",
            secret=True,
        )
    namespace = known(existing, "namespace")
    reason = namespace_problem(namespace) if isinstance(namespace, str) else None
    if reason:
        yield Problem(f"{key}.namespace", namespace, *reason)
    context = existing.context
    if context is None:
        yield Problem(
            f"{key}.context",
            None,
            "not set: the stack would deploy to whatever context kubectl happens to be using",
            set_context,
        )
    elif "<" in context or ">" in context:
        yield Problem(
            f"{key}.context",
            context,
            "still the placeholder: the stack would deploy to a context that does not exist",
            set_context,
        )
