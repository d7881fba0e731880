"""The serving layer's resolved settings: the served models and how they are served."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from config.context import Context, gpu_memory_utilization, max_model_len
from config.platform.schema import ModelSection
from config.section import NS
from config.serving.autoscaling import AutoscalingSettings, resolve_autoscaling
from config.serving.rules import _extra_models, _provider, chosen_version_set, model_slug
from config.serving.schema import HF_TOKEN, ExistingClusterSection, GatewaySection, SchedulerSection
from config.serving.weights import WeightsSettings, resolve_weights
from stacks.accelerators import AcceleratorProfile
from stacks.models import KNOWN_MODELS, ModelFacts
from stacks.scheduler_plugins import PROFILES, PluginUse
from stacks.serving import GATEWAY_CLASSES, NAMESPACE

if TYPE_CHECKING:
    import pulumi

# ---------------------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class ServedModel:
    """One model pool: a modelservice release, an InferencePool and its endpoint picker."""

    name: str
    slug: str
    replicas: int
    tensor_parallel_size: int
    max_model_len: int
    gpu_memory_utilization: float
    facts: ModelFacts | None

    @property
    def gated(self) -> bool:
        return bool(self.facts and self.facts.gated)


# The validated section is the resolved setting: nothing to mirror.
ExistingClusterSettings: TypeAlias = ExistingClusterSection


@dataclass(frozen=True)
class ServingSettings:
    """What the serving layer resolves to; every value comes from a declared key (no defaults of its own)."""

    namespace: str
    version_set: str  # a key of stacks.versions.VERSION_SETS
    scheduler_profile: str
    plugins: tuple[PluginUse, ...]
    gateway_provider: str  # gke | istio
    gateway_class: str
    backend_timeout_s: int
    hf_token_set: bool
    extra_models: tuple[ServedModel, ...]
    existing_cluster: ExistingClusterSettings | None
    weights: WeightsSettings
    autoscaling: AutoscalingSettings
    # The Hugging Face token as a secret Output, set by settings_from_pulumi when hfToken is set (None offline).
    hf_token: pulumi.Output[str] | None = field(default=None, repr=False, compare=False)


def served_model(section: ModelSection, acc: AcceleratorProfile) -> ServedModel:
    """A model pool from its section (`model` or an `extraModels` entry): unset values from the accelerator."""
    return ServedModel(
        name=section.name,
        slug=model_slug(section.name),
        replicas=section.replicas,
        tensor_parallel_size=section.tensor_parallel_size,
        max_model_len=max_model_len(section, acc),
        gpu_memory_utilization=gpu_memory_utilization(section, acc),
        facts=KNOWN_MODELS.get(section.name),
    )


# --------------------------------------------------------------------------------------------- resolving


def _plugins(section: SchedulerSection, profile: str) -> tuple[PluginUse, ...]:
    if profile != "custom":
        return PROFILES[profile]
    return tuple(PluginUse(p.type, p.weight, tuple(sorted(p.parameters.items())), p.name) for p in section.plugins)


def resolve(ctx: Context) -> ServingSettings:
    scheduler = ctx.section("scheduler", SchedulerSection)
    gateway = ctx.section("gateway", GatewaySection)
    existing = ctx.section("existingCluster", ExistingClusterSection)
    assert scheduler is not None and gateway is not None and existing is not None
    provider = _provider(ctx)
    models, _ = _extra_models(ctx)
    acc = ctx.accelerator
    assert acc is not None
    versions = chosen_version_set(ctx)
    profile = scheduler.profile or versions.default_profile
    return ServingSettings(
        namespace=existing.namespace if ctx.existing_cluster else NAMESPACE,
        version_set=versions.name,
        scheduler_profile=profile,
        plugins=_plugins(scheduler, profile),
        gateway_provider=provider,
        gateway_class=gateway.class_name or GATEWAY_CLASSES[provider][0],
        backend_timeout_s=gateway.timeout_seconds,
        hf_token_set=bool(ctx.raw.get(f"{NS}:{HF_TOKEN}")),
        extra_models=tuple(served_model(m, acc) for m in models or []),
        existing_cluster=existing if ctx.existing_cluster else None,
        weights=resolve_weights(ctx),
        autoscaling=resolve_autoscaling(ctx),
    )
