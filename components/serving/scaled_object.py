"""A model pool that scales to zero: a KEDA ScaledObject on the router's queue and the pool's vLLM gauges.

KEDA wakes the pool from zero when the router has seen a request for it (the router counts requests for a pool with
no model pod; a vLLM gauge has no series then), sizes it 1..N through the HPA it generates (the plain HPA's target,
plus one replica per request waiting in the router), and returns it to zero once no request has arrived, run or
waited for `idle_s`. The queries go to Managed Prometheus, confined to this stack's cluster, namespace and pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from components.serving.autoscaler import AutoscalerArgs, hpa_behavior
from components.serving.keda import TRIGGER_AUTH_NAME
from stacks.autoscaling import (
    FLOW_CONTROL_QUEUE_SERIES,
    FLOW_CONTROL_QUEUE_TARGET,
    FLOW_CONTROL_REQUESTS_SERIES,
    GMP_QUERY_URL,
    KEDA_POLLING_S,
    METRICS,
    WAKE_ONLY_TARGET,
    WAKE_WINDOW,
)


@dataclass(frozen=True)
class ScaledPoolArgs:
    scaling: AutoscalerArgs  # the deployment, the metric and its target, the maximum and the scale-down window
    project: str
    cluster: str
    namespace_name: str
    model_name: str  # vLLM's model_name label (the served model name)
    inference_pool: str  # the router's inference_pool label
    idle_s: int
    running_target: float  # requests running per replica (the batch-size metric's target for this pool)


def _trigger(name: str, query: str, threshold: float, project: str) -> dict[str, Any]:
    return {
        "type": "prometheus",
        "name": name,
        "metricType": "AverageValue",
        # KEDA reads a number's string; activation at 0: any request at all keeps (or makes) the pool active.
        "metadata": {
            "serverAddress": GMP_QUERY_URL.format(project=project),
            "query": query,
            "threshold": f"{threshold:g}",
            "activationThreshold": "0",
        },
        "authenticationRef": {"name": TRIGGER_AUTH_NAME},
    }


def scaled_object_spec(args: ScaledPoolArgs) -> dict[str, Any]:
    """The ScaledObject's spec; tests evaluate the same dict the cluster receives."""
    s = args.scaling
    scope = f'cluster="{args.cluster}",namespace="{args.namespace_name}"'
    vllm = f'{scope},model_name="{args.model_name}"'
    running = METRICS["batch-size"]
    pool = f'{scope},inference_pool="{args.inference_pool}"'
    triggers = [
        # Every attempt of a client retrying against an empty pool is counted, however briefly the gateway lets the
        # router hold it (stacks/autoscaling.py); this trigger wakes the pool and never sizes it.
        _trigger(
            "router-requests",
            f"sum(increase({FLOW_CONTROL_REQUESTS_SERIES}{{{pool}}}[{WAKE_WINDOW}]))",
            WAKE_ONLY_TARGET,
            args.project,
        ),
        _trigger(
            "router-queue",
            f"sum({FLOW_CONTROL_QUEUE_SERIES}{{{pool}}})",
            FLOW_CONTROL_QUEUE_TARGET,
            args.project,
        ),
        _trigger(f"vllm-{s.metric.name}", f"sum({s.metric.series}{{{vllm}}})", s.target, args.project),
    ]
    if s.metric is not running:
        # Requests being answered are activity too: without this a pool whose queue is empty would go to zero
        # mid-answer. Its target is the batch-size metric's, so it adds a replica only for a full batch.
        triggers.append(
            _trigger("vllm-running", f"sum({running.series}{{{vllm}}})", args.running_target, args.project)
        )
    return {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": s.deployment},
        "minReplicaCount": 0,
        "maxReplicaCount": s.max_replicas,
        "pollingInterval": KEDA_POLLING_S,
        # From one replica to zero: after this long with every trigger at 0. A new ScaledObject has seen no
        # activity yet; without the initial period KEDA would stop the replica the update has just started.
        "cooldownPeriod": args.idle_s,
        "initialCooldownPeriod": args.idle_s,
        # No restoreToOriginalReplicaCount: KEDA would write back the count it first saw (1, the Deployment sets
        # none) after `pulumi up` had set the fixed count of a stack turning scale to zero off.
        "advanced": {"horizontalPodAutoscalerConfig": {"behavior": hpa_behavior(s.scale_down_window_s)}},
        "triggers": triggers,
    }


class ScaledPool(pulumi.ComponentResource):
    def __init__(self, name: str, args: ScaledPoolArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:ScaledPool", name, None, opts)
        metadata: Any = {"name": args.scaling.deployment, "namespace": args.scaling.namespace}
        self.scaled_object = k8s.apiextensions.CustomResource(
            f"{name}-scaled-object",
            api_version="keda.sh/v1alpha1",
            kind="ScaledObject",
            metadata=metadata,
            spec=scaled_object_spec(args),
            opts=child_options(self, opts),
        )
        self.register_outputs({"maxReplicas": args.scaling.max_replicas, "idleSeconds": args.idle_s})
