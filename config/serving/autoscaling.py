"""`llmd:autoscaling`: model-server replicas that follow the load, its rule and its resolved setting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from config.context import Context, known
from config.errors import Problem
from config.section import NS
from config.serving.rules import _extra_models, chosen_version_set
from config.serving.schema import AutoscalingSection
from stacks.autoscaling import METRICS, MIN_ANSWER_S

KEY = f"{NS}:autoscaling"


@dataclass(frozen=True)
class AutoscalingSettings:
    enabled: bool
    metric: str  # a key of stacks.autoscaling.METRICS
    target: float | None  # None: the metric's default (for batch-size, from the pool's max-num-seqs)
    min_replicas: int
    scale_down_window_s: int
    idle_s: int = 0  # with min_replicas 0: no running or waiting request for this long scales a pool to zero
    cold_start_s: int = 0  # with min_replicas 0: how long a request may wait for its pool to come up

    @property
    def to_zero(self) -> bool:
        """Pools may scale to zero: KEDA scales them, the router queues requests while a pool is empty."""
        return self.enabled and self.min_replicas == 0


def _available(ctx: Context) -> tuple[bool, str, str]:
    """Whether this stack can autoscale its model servers, and if not why and the fix."""
    if ctx.existing_cluster:
        return (
            False,
            "an existing cluster gets no GCP resources, and the metrics adapter the autoscaler reads through needs "
            "Cloud Monitoring access granted in GCP",
            f"set {KEY}.enabled to false (or remove it) and size replicas, or scale with the cluster's own tools",
        )
    versions = chosen_version_set(ctx)
    if versions.router_chart is None:
        return (
            False,
            f"version set {versions.name}'s model servers are the modelservice chart's, which sets their replica "
            "count on every update and would undo the autoscaler",
            f"set {NS}:versionSet to v0.9.0, or {KEY}.enabled to false",
        )
    return True, "", ""


def _pool_replicas(ctx: Context) -> list[tuple[str, int]]:
    """(key, replicas) of every pool whose replicas are known."""
    models, _ = _extra_models(ctx)
    found = [(f"{NS}:model.replicas", known(ctx.model, "replicas"))]
    found += [(f"{NS}:extraModels[{i}].replicas", known(m, "replicas")) for i, m in enumerate(models or [])]
    return [(key, value) for key, value in found if isinstance(value, int)]


def autoscaling(ctx: Context) -> Iterator[Problem]:
    section = ctx.section("autoscaling", AutoscalingSection)
    if section is None:
        return
    enabled = known(section, "enabled")
    available, why, fix = _available(ctx)
    if enabled is True and not available:
        yield Problem(f"{KEY}.enabled", enabled, why, fix)
    elif enabled is None and not available and known(section, "min_replicas") == 0:
        yield Problem(
            f"{KEY}.minReplicas", 0, f"scale to zero is autoscaling, and here {why}", "remove minReplicas"
        )
    if not (available and enabled is not False):
        return
    minimum = known(section, "min_replicas")
    if minimum == 0:
        yield from _cold_start_fits(ctx, known(section, "cold_start_seconds"))
    if not isinstance(minimum, int):
        return
    for key, replicas in _pool_replicas(ctx):
        if 0 < replicas < minimum:
            yield Problem(
                key,
                replicas,
                f"with autoscaling a pool's replicas is its maximum, and {KEY}.minReplicas is {minimum}",
                f"set replicas to at least {minimum}, or lower {KEY}.minReplicas",
            )


def _cold_start_fits(ctx: Context, cold_start: object) -> Iterator[Problem]:
    """A chat that waits for a cold start must still have time to be answered before the external load balancer
    cuts it. The chat waits by retrying short requests, so the internal gateway's timeout bounds each attempt only."""
    from config.edge import EdgeSection

    if not isinstance(cold_start, int):
        return
    key = f"{NS}:edge.backendTimeoutSeconds"
    limit = known(ctx.section("edge", EdgeSection), "backend_timeout_seconds")
    if isinstance(limit, int) and cold_start + MIN_ANSWER_S > limit:
        yield Problem(
            f"{KEY}.coldStartSeconds",
            cold_start,
            f"leaves less than {MIN_ANSWER_S} s of {key} ({limit} s) for the answer: a request that waited for "
            "its pool to start would be cut off before it",
            f"use coldStartSeconds <= {limit - MIN_ANSWER_S}, or raise {key}",
        )


def resolve_autoscaling(ctx: Context) -> AutoscalingSettings:
    section = ctx.section("autoscaling", AutoscalingSection)
    assert section is not None
    available, _, _ = _available(ctx)
    assert section.metric in METRICS
    return AutoscalingSettings(
        enabled=available if section.enabled is None else section.enabled,
        metric=section.metric,
        target=section.target,
        min_replicas=section.min_replicas,
        scale_down_window_s=section.scale_down_window_seconds,
        idle_s=section.idle_seconds,
        cold_start_s=section.cold_start_seconds,
    )
