"""KEDA's own part of a ScaledObject's scaling: leaving zero and returning to it (the HPA it generates does 1..N).

kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go RequestScale: a trigger is active when its value
is above its activationThreshold; an active target at 0 replicas goes to max(minReplicaCount, 1); an inactive one
with minReplicaCount 0 goes to 0 once `cooldownPeriod` has passed since a trigger was last active (or, with none
active yet, `initialCooldownPeriod` since the ScaledObject was created). Anything else is left to the HPA.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ActivationModel:
    cooldown_s: float
    min_replicas: int
    thresholds: dict[str, float]  # trigger name -> activationThreshold
    initial_cooldown_s: float = 0.0
    created: float = 0.0
    last_active: float | None = field(default=None)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> ActivationModel:
        return cls(
            cooldown_s=float(spec.get("cooldownPeriod", 300)),
            min_replicas=int(spec.get("minReplicaCount", 0)),
            initial_cooldown_s=float(spec.get("initialCooldownPeriod", 0)),
            thresholds={
                t["name"]: float(t["metadata"].get("activationThreshold", 0)) for t in spec["triggers"]
            },
        )

    def active(self, values: Mapping[str, float]) -> bool:
        """Any trigger above its activation threshold; a trigger with no series reads 0 (ignoreNullValues)."""
        return any(values.get(name, 0.0) > threshold for name, threshold in self.thresholds.items())

    def decide(self, now: float, values: Mapping[str, float], current: int) -> int:
        """The replica count after one polling interval at `now`, where KEDA itself acts; else `current`."""
        if self.active(values):
            self.last_active = now
            return max(self.min_replicas, 1) if current == 0 else current
        if current > 0 and self.min_replicas == 0:
            if self.last_active is None:
                if now > self.created + self.initial_cooldown_s:
                    return 0
            elif now > self.last_active + self.cooldown_s:
                return 0
        return current
