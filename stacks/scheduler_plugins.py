"""Scheduler (EPP) plugin types per scheduler version, and the built-in scheduling profiles.

A type that is not listed for the pinned version is rejected in config validation, before any resource,
with this list as the fix (the EPP itself would only crash-loop on it). Seeds 002/004 name a
`round-robin-picker`: no EPP version has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stacks import llmd_v0_9


class Kind(StrEnum):
    SCORER = "scorer"  # takes a weight in a scheduling profile
    PICKER = "picker"
    FILTER = "filter"
    PROFILE_HANDLER = "profile-handler"
    OTHER = "other"


# Checked against the registries in the sources: GAIE's EPP runner (the revision llm-d-inference-scheduler
# v0.6.0 vendors, fd30cb97714a) and llm-d's pkg/plugins/register.go at v0.6.0. Left out on purpose:
# predicted-latency-scorer (needs the latency-predictor sidecars we do not deploy), test-only filters, and the
# data-layer and flow-control plugins, which are not scheduling-profile plugins.
_GAIE = {
    "prefix-cache-scorer": Kind.SCORER,
    "queue-scorer": Kind.SCORER,
    "kv-cache-utilization-scorer": Kind.SCORER,
    "running-requests-size-scorer": Kind.SCORER,
    "lora-affinity-scorer": Kind.SCORER,
    "max-score-picker": Kind.PICKER,
    "random-picker": Kind.PICKER,
    "weighted-random-picker": Kind.PICKER,
    "single-profile-handler": Kind.PROFILE_HANDLER,
}
_LLM_D_V0_6 = {
    "load-aware-scorer": Kind.SCORER,
    "active-request-scorer": Kind.SCORER,
    "session-affinity-scorer": Kind.SCORER,
    "no-hit-lru-scorer": Kind.SCORER,
    "precise-prefix-cache-scorer": Kind.SCORER,
    "by-label": Kind.FILTER,
    "by-label-selector": Kind.FILTER,
    "decode-filter": Kind.FILTER,
    "prefill-filter": Kind.FILTER,
    "pd-profile-handler": Kind.PROFILE_HANDLER,
    "data-parallel-profile-handler": Kind.PROFILE_HANDLER,
    "prefill-header-handler": Kind.OTHER,
    "prefix-based-pd-decider": Kind.OTHER,
    "always-disagg-pd-decider": Kind.OTHER,
}

_V0_10_KINDS = {
    "scorer": Kind.SCORER,
    "picker": Kind.PICKER,
    "filter": Kind.FILTER,
    "profile-handler": Kind.PROFILE_HANDLER,
}
# The llm-d Router v0.10.0 registry (stacks/llmd_v0_9.py PLUGINS, read from cmd/epp/runner/runner.go at the tag):
# its beta types only (Alpha ones make the EPP refuse to start without --allow-experimental-plugins, which the
# program does not pass), without the latency-predictor and test-only ones. Data producers and other non-profile
# kinds are OTHER: declared under `plugins`, never referenced from a profile.
_ROUTER_V0_10 = {
    name: _V0_10_KINDS.get(plugin.kind, Kind.OTHER)
    for name, plugin in llmd_v0_9.PLUGINS.items()
    if plugin.stability == "beta" and name not in llmd_v0_9.NEEDS_LATENCY_PREDICTOR and name not in llmd_v0_9.TEST_ONLY
}

PLUGIN_TYPES: dict[str, dict[str, Kind]] = {"v0.6.0": {**_GAIE, **_LLM_D_V0_6}, "v0.10.0": _ROUTER_V0_10}

# Registered plugins that need a deployment this program never makes: prefill/decode disaggregation (separate
# prefill pods and `prefill` + `decode` scheduling profiles; llm-d-inference-scheduler v0.6.0
# pkg/plugins/profile/pd_profile_handler.go) and data-parallel ranks behind one pod. The program emits one
# scheduling profile named `default` over one pool of decode pods, so the EPP would fail to start on them.
NEEDS_DISAGGREGATION: dict[str, str] = {
    "pd-profile-handler": "needs `prefill` and `decode` scheduling profiles and prefill pods",
    "prefill-header-handler": "works only with prefill/decode disaggregation",
    "prefix-based-pd-decider": "works only with prefill/decode disaggregation",
    "always-disagg-pd-decider": "works only with prefill/decode disaggregation",
    "prefill-filter": "selects prefill pods, and there are none",
    "data-parallel-profile-handler": "needs data-parallel vLLM ranks behind one pod",
}


@dataclass(frozen=True)
class PluginUse:
    type: str
    weight: float | None = None
    parameters: tuple[tuple[str, object], ...] = ()
    name: str | None = None


# The built-in profiles. `custom` takes its plugins from the stack config.
PROFILES: dict[str, tuple[PluginUse, ...]] = {
    # llm-d's default: prefix-cache affinity first, then KV-cache use and queue depth.
    "default": (
        PluginUse("prefix-cache-scorer", 3),
        PluginUse("kv-cache-utilization-scorer", 2),
        PluginUse("queue-scorer", 2),
    ),
    # Load only: no cache affinity.
    "load": (PluginUse("queue-scorer", 1), PluginUse("kv-cache-utilization-scorer", 1)),
    # A baseline for benchmarks.
    "random": (PluginUse("random-picker"),),
    # llm-d v0.9.0's guide profile (stacks/llmd_v0_9.py OPTIMIZED_BASELINE): two data producers, the prefix-cache
    # affinity filter and the token-load scorer (weight 1, the loader's default). Router v0.10.0 only.
    "optimized-baseline": tuple(
        PluginUse(p.type, 1 if p.type.endswith("-scorer") else None) for p in llmd_v0_9.OPTIMIZED_BASELINE
    ),
}
# Profiles whose plugins exist only in some registries: the scheduler versions they run on.
PROFILE_SCHEDULERS: dict[str, tuple[str, ...]] = {"optimized-baseline": ("v0.10.0",)}
PROFILE_NAMES = (*PROFILES, "custom")
for _name, _plugins in PROFILES.items():
    for _scheduler in PROFILE_SCHEDULERS.get(_name, tuple(PLUGIN_TYPES)):
        assert all(p.type in PLUGIN_TYPES[_scheduler] for p in _plugins), (_name, _scheduler)
DEFAULT_PICKER = "max-score-picker"
DEFAULT_PROFILE_HANDLER = "single-profile-handler"
