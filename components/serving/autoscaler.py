"""A model pool's replicas following its load: a HorizontalPodAutoscaler on a vLLM gauge from Managed Prometheus.

The HPA reads the pool's per-pod gauge through the Custom Metrics Stackdriver Adapter (metrics_adapter.py) and
keeps its average at the target. The GPU node pool follows the pods: the cluster autoscaler adds a node for a
pending replica and removes one that has stood empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from config.serving import AutoscalingSettings
from stacks.accelerators import BATCH_LIMITS
from stacks.autoscaling import METRICS, POLICY_PERCENT, POLICY_PERIOD_S, SCALE_UP_WINDOW_S, ScalingMetric, batch_target


@dataclass(frozen=True)
class AutoscalerArgs:
    namespace: pulumi.Input[str]
    deployment: str  # the model server Deployment's name
    metric: ScalingMetric
    target: float  # the per-pod average the HPA keeps
    min_replicas: int
    max_replicas: int
    scale_down_window_s: int


def autoscaler_args(
    settings: AutoscalingSettings,
    namespace: pulumi.Input[str],
    deployment: str,
    max_replicas: int,
    batch_limits: tuple[int, int] | None,
) -> AutoscalerArgs:
    """One pool's autoscaler: between the minimum and the pool's replicas, on the configured metric."""
    metric = METRICS[settings.metric]
    return AutoscalerArgs(
        namespace=namespace,
        deployment=deployment,
        metric=metric,
        target=settings.target or default_target(metric, batch_limits),
        min_replicas=settings.min_replicas,
        max_replicas=max_replicas,
        scale_down_window_s=settings.scale_down_window_s,
    )


def default_target(metric: ScalingMetric, batch_limits: tuple[int, int] | None) -> float:
    """The metric's own target, or for the batch, a share of the pool's batch limit."""
    if metric.default_target is not None:
        return metric.default_target
    # vLLM's own batch limit where the program passes none (CPUs): its small-GPU default.
    return batch_target((batch_limits or BATCH_LIMITS["small"])[1])


def _quantity(value: float) -> str:
    """A Kubernetes quantity: whole numbers as integers, fractions in milli-units (0.5 -> 500m)."""
    return str(int(value)) if float(value).is_integer() else f"{round(value * 1000)}m"


def hpa_behavior(scale_down_window_s: int) -> dict[str, Any]:
    """The HPA's pace, for the plain HPA and the one KEDA generates alike."""
    policy = [{"type": "Percent", "value": POLICY_PERCENT, "periodSeconds": POLICY_PERIOD_S}]
    return {
        "scaleUp": {"stabilizationWindowSeconds": SCALE_UP_WINDOW_S, "policies": policy},
        # A replica that started minutes ago is expensive to drop at the first lull: wait the window out.
        "scaleDown": {"stabilizationWindowSeconds": scale_down_window_s, "policies": policy},
    }


def hpa_spec(args: AutoscalerArgs) -> dict[str, Any]:
    """The autoscaling/v2 spec; tools/tests evaluate the same dict the cluster receives."""
    return {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": args.deployment},
        "minReplicas": args.min_replicas,
        "maxReplicas": args.max_replicas,
        "metrics": [
            {
                "type": "Pods",
                "pods": {
                    "metric": {"name": args.metric.hpa_metric},
                    "target": {"type": "AverageValue", "averageValue": _quantity(args.target)},
                },
            }
        ],
        "behavior": hpa_behavior(args.scale_down_window_s),
    }


class ReplicaAutoscaler(pulumi.ComponentResource):
    def __init__(self, name: str, args: AutoscalerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:ReplicaAutoscaler", name, None, opts)
        metadata: Any = {"name": args.deployment, "namespace": args.namespace}
        spec: Any = hpa_spec(args)
        self.hpa = k8s.autoscaling.v2.HorizontalPodAutoscaler(
            f"{name}-hpa",
            metadata=metadata,
            spec=spec,
            opts=child_options(self, opts),
        )
        self.register_outputs({"metric": args.metric.hpa_metric, "maxReplicas": args.max_replicas})
