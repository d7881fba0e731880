"""Read the stack config once, report every problem together, and resolve it into `Settings`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from config import edge, serving
from config.errors import ConfigError, Problem
from config.naming import Names, label_value
from config.platform import PLATFORM
from config.rules import NS, Context
from config.schema import (
    ClusterSection,
    GpuPoolSection,
    ModelSection,
    NetworkSection,
    SystemPoolSection,
)
from config.settings import GpuPoolSettings, ModelSettings, Settings
from stacks.accelerators import CATALOG
from stacks.models import KNOWN_MODELS

S = TypeVar("S", bound=BaseModel)
# Keys that runbooks people copy from use, with what to do instead.
KNOWN_MISTAKES: dict[tuple[str, str], str] = {
    ("gateway", "routePort"): "remove it: an HTTPRoute to an InferencePool takes no port (54321 is Istio's "
    "placeholder port, not a serving port)",
    ("gateway", "port"): "remove it: the route reaches the InferencePool, whose targetPorts come from the model server",
}
# Every layer whose config this program reads.
LAYERS = (PLATFORM, serving.SERVING, edge.EDGE)
SECTIONS = {key: model for layer in LAYERS for key, model in layer.sections.items()}
SCALARS = tuple(key for layer in LAYERS for key in layer.scalars)
LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")


def _pydantic_problems(section: str, error: ValidationError) -> list[Problem]:
    problems = []
    for err in error.errors():
        key = ".".join([f"{NS}:{section}", *(str(p) for p in err["loc"])])
        if err["type"] == "extra_forbidden":
            valid = ", ".join(f.alias or n for n, f in SECTIONS[section].model_fields.items())
            hint = KNOWN_MISTAKES.get((section, str(err["loc"][-1])))
            fix = f"{hint}; valid keys: {valid}" if hint else f"check the spelling; valid keys: {valid}"
            problems.append(Problem(key, err["input"], "unknown key", fix))
        else:
            wanted = re.sub(r"^Input should be ", "", err["msg"])
            problems.append(Problem(key, err["input"], f"invalid ({err['msg'].lower()})", f"make it {wanted}"))
    return problems


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _parse_sections(raw: Mapping[str, Any], problems: list[Problem]) -> dict[str, BaseModel | None]:
    parsed: dict[str, BaseModel | None] = {}
    for name, model in SECTIONS.items():
        value = _decode(raw.get(f"{NS}:{name}", {}))
        if not isinstance(value, dict):
            problems.append(Problem(f"{NS}:{name}", value, "must be an object", f"write {name}: as a YAML mapping"))
            parsed[name] = None
            continue
        try:
            parsed[name] = model.model_validate(value)
        except ValidationError as err:
            problems += _pydantic_problems(name, err)
            parsed[name] = None
    return parsed


def _unknown_keys(raw: Mapping[str, Any]) -> list[Problem]:
    known = set(SECTIONS) | set(SCALARS)
    return [
        Problem(key, "...", "unknown config key", f"check the spelling; valid keys: {', '.join(sorted(known))}")
        for key in raw
        if key.startswith(f"{NS}:") and key.split(":", 1)[1] not in known
    ]


def _labels(raw: Mapping[str, Any], stack: str, problems: list[Problem]) -> dict[str, str]:
    labels = {"app": "llm-d", "llmd-stack": label_value(stack), "managed-by": "pulumi"}
    extra = _decode(raw.get(f"{NS}:labels", {}))
    if not isinstance(extra, dict):
        problems.append(Problem(f"{NS}:labels", extra, "must be a mapping", "write labels: {team: ml}"))
        return labels
    for key, value in extra.items():
        if not LABEL_KEY.match(str(key)) or not LABEL_VALUE.match(str(value)):
            problems.append(
                Problem(f"{NS}:labels.{key}", value, "not a valid GCP label", "use lowercase letters, digits, - and _")
            )
        else:
            labels[str(key)] = str(value)
    return labels


def load_settings(raw: Mapping[str, Any], stack: str) -> Settings:
    """Validate the flat Pulumi config map (`namespace:key` -> value) of one stack."""
    problems: list[Problem] = _unknown_keys(raw)
    sections = _parse_sections(raw, problems)
    labels = _labels(raw, stack, problems)
    accelerator_name = raw.get(f"{NS}:accelerator") or (stack if stack in CATALOG else None)
    if accelerator_name is None:
        problems.append(
            Problem(
                f"{NS}:accelerator",
                None,
                "not set",
                f"pulumi config set {NS}:accelerator <one of {', '.join(CATALOG)}>",
            )
        )
    ctx = Context(
        stack=stack,
        raw=raw,
        sections=sections,
        project=raw.get("gcp:project"),
        region=raw.get("gcp:region"),
        accelerator_name=accelerator_name,
        accelerator=CATALOG.get(accelerator_name or ""),
        model=_typed(sections["model"], ModelSection),
        network=_typed(sections["network"], NetworkSection),
        gpu_pool=_typed(sections["gpuPool"], GpuPoolSection),
        cluster=_typed(sections["cluster"], ClusterSection),
    )
    for rule in (rule for layer in LAYERS for rule in layer.rules):
        if rule.__name__ == "accelerator_known" and accelerator_name is None:
            continue
        problems += rule(ctx)
    if problems:
        raise ConfigError(stack, problems)
    return _resolve(ctx, sections, stack, labels)


def _typed(value: BaseModel | None, cls: type[S]) -> S | None:
    return value if isinstance(value, cls) else None


def _resolve(ctx: Context, sections: dict[str, BaseModel | None], stack: str, labels: dict[str, str]) -> Settings:
    acc, model, pool = ctx.accelerator, ctx.model, ctx.gpu_pool
    assert acc and model and pool and ctx.network and ctx.cluster
    assert (ctx.project and ctx.region) or ctx.existing_cluster
    system_pool = _typed(sections["systemPool"], SystemPoolSection)
    assert system_pool is not None
    shape = acc.machine(ctx.machine_type or "")
    assert shape is not None
    facts = KNOWN_MODELS.get(model.name)
    notices: tuple[str, ...] = ()
    if facts is None and acc.is_gpu:
        notices = (
            f"model {model.name} is not in the built-in model table: the GPU memory fit check covered only the "
            "CUDA reserve, not weights and KV cache",
        )
    return Settings(
        stack=stack,
        project=ctx.project or "",
        region=ctx.region or "",
        accelerator=acc,
        model=ModelSettings(
            name=model.name,
            max_model_len=ctx.max_model_len() or acc.default_max_model_len,
            gpu_memory_utilization=ctx.gpu_memory_utilization() or acc.default_gpu_memory_utilization,
            replicas=model.replicas,
            tensor_parallel_size=model.tensor_parallel_size,
            facts=facts,
        ),
        network=ctx.network,
        gpu_pool=GpuPoolSettings(
            machine=shape,
            gpus_per_node=ctx.gpus_per_node or 0,
            min_nodes=pool.min_nodes,
            max_nodes=pool.max_nodes,
            capacity=ctx.capacity or acc.default_capacity,
            reservation=pool.reservation,
            zones=tuple(pool.zones) or acc.zones_by_region.get(ctx.region or "", ()),
        ),
        system_pool=system_pool,
        cluster=ctx.cluster,
        names=Names(stack),
        serving=serving.resolve(ctx),
        edge=edge.resolve(ctx),
        labels=labels,
        notices=notices,
    )


def settings_from_pulumi() -> Settings:
    """Read the running Pulumi program's config (the only place that touches pulumi config)."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    raw: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    return load_settings(raw, pulumi.get_stack())
