"""What a HorizontalPodAutoscaler decides for an autoscaling/v2 spec, given its pods' metric values.

The algorithm of kube-controller-manager's HPA for one Pods metric with an AverageValue target: the desired
count is ceil(sum of the pods' values / target) unless the average is within the tolerance of the target;
scale-up and scale-down policies cap the change per period; a stabilization window keeps the highest (scale
down) or lowest (scale up) recommendation seen within it. Read 2026-12-01 from kubernetes.io/docs/tasks/
run-application/horizontal-pod-autoscale (Algorithm details; Stabilization window; Scaling policies).

It lets the simulator show an autoscaler's inputs and decision without a cluster: feed it the vLLM gauge
scraped from the simulator's /metrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

DEFAULT_TOLERANCE = 0.1
# Kubernetes' defaults when a direction names no policies: up by 100 % or 4 pods, down by 100 %, per 15 s.
DEFAULT_POLICIES: dict[str, list[dict[str, Any]]] = {
    "scaleUp": [{"type": "Percent", "value": 100}, {"type": "Pods", "value": 4}],
    "scaleDown": [{"type": "Percent", "value": 100}],
}


def parse_quantity(text: str) -> float:
    """A Kubernetes quantity as the HPA targets carry them: "3", "2.5" or "500m"."""
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def prometheus_value(exposition: str, series: str) -> float | None:
    """The sum of one series over its label sets in Prometheus text format; None if the endpoint lacks it."""
    values = [
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == series
    ]
    return sum(values) if values else None


@dataclass
class Decision:
    at: float
    replicas: int  # what the HPA sets
    recommendation: int  # before the stabilization window
    average: float | None  # the pods' average of the metric
    reason: str


@dataclass
class HpaModel:
    """One HPA following `spec` (the dict the program gives the cluster)."""

    spec: Mapping[str, Any]
    tolerance: float = DEFAULT_TOLERANCE
    history: list[tuple[float, int]] = field(default_factory=list)

    @property
    def metric(self) -> str:
        [metric] = self.spec["metrics"]
        return str(metric["pods"]["metric"]["name"])

    @property
    def series(self) -> str:
        """The Prometheus series behind the adapter's name prometheus.googleapis.com|<series>|<kind>."""
        return self.metric.split("|")[1]

    @property
    def target(self) -> float:
        [metric] = self.spec["metrics"]
        return parse_quantity(str(metric["pods"]["target"]["averageValue"]))

    def _window(self, direction: str) -> int:
        return int(self.spec.get("behavior", {}).get(direction, {}).get("stabilizationWindowSeconds", 0))

    def _limit(self, direction: str, current: int) -> int:
        """The most replicas one decision may add (scaleUp) or remove (scaleDown) under the policies."""
        default = DEFAULT_POLICIES[direction]
        policies = self.spec.get("behavior", {}).get(direction, {}).get("policies", default)
        changes = [
            math.ceil(current * p["value"] / 100) if p["type"] == "Percent" else int(p["value"]) for p in policies
        ]
        return max(changes)

    def decide(self, at: float, current: int, pod_values: list[float]) -> Decision:
        low, high = int(self.spec.get("minReplicas", 1)), int(self.spec["maxReplicas"])
        if not pod_values:
            return Decision(at, current, current, None, "no metric: the HPA keeps the current count")
        average = sum(pod_values) / len(pod_values)
        ratio = average / self.target
        if abs(ratio - 1) <= self.tolerance:
            recommendation, reason = current, f"average {average:g} within {self.tolerance:.0%} of {self.target:g}"
        else:
            recommendation = math.ceil(sum(pod_values) / self.target)
            reason = f"average {average:g} against target {self.target:g}: ceil({sum(pod_values):g}/{self.target:g})"
        recommendation = min(max(recommendation, low), high)
        self.history.append((at, recommendation))
        if recommendation < current:
            window = self._window("scaleDown")
            stable = max(r for t, r in self.history if t >= at - window)
            replicas = max(stable, current - self._limit("scaleDown", current))
            if stable > recommendation:
                reason += f"; held at {stable} by the {window} s scale-down window"
        elif recommendation > current:
            window = self._window("scaleUp")
            stable = min(r for t, r in self.history if t >= at - window)
            replicas = min(stable, current + self._limit("scaleUp", current))
            if replicas < recommendation:
                reason += f"; capped at {replicas} by the scale-up policy"
        else:
            replicas = current
        return Decision(at, min(max(replicas, low), high), recommendation, average, reason)
