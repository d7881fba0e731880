"""Scheduler (EPP) plugin types per scheduler version, and the built-in scheduling profiles.

A type that is not listed for the pinned version is rejected in config validation, before any resource,
with this list as the fix (the EPP itself would only crash-loop on it). Seeds 002/004 name a
`round-robin-picker`: no EPP version has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

PLUGIN_TYPES: dict[str, dict[str, Kind]] = {"v0.6.0": {**_GAIE, **_LLM_D_V0_6}}

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
}
PROFILE_NAMES = (*PROFILES, "custom")
DEFAULT_PICKER = "max-score-picker"
DEFAULT_PROFILE_HANDLER = "single-profile-handler"
