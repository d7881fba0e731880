"""Alert policies for the obvious failures, as typed data rendered to PromQL for one stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from stacks.autoscaling import FLOW_CONTROL_REQUESTS_SERIES
from stacks.dashboard import WINDOW, render
from stacks.metrics import epp_name


class Thresholds(Protocol):
    """What the rules need of the stack's alert settings (the catalog does not depend on the config model)."""

    @property
    def ttft_p95_slo_seconds(self) -> float: ...
    @property
    def error_rate_percent(self) -> float: ...
    @property
    def queue_size_threshold(self) -> float: ...


@dataclass(frozen=True)
class AlertRule:
    key: str  # resource name suffix and rule name
    title: str
    promql: str  # with $sel / $gpu selectors, see stacks.dashboard
    duration: str  # how long the condition must hold
    severity: str  # CRITICAL | ERROR | WARNING
    runbook: str


def _no_ready_pods(ready_pods: str, cold_start_s: int) -> tuple[AlertRule, ...]:
    title, runbook = "No ready model server pods", (
        "The InferencePool has no ready vLLM pod: check the model server Deployment, GPU node "
        "capacity (spot / flex-start) and the Hugging Face token."
    )
    # `or vector(0)` makes a vanished metric (EPP down) fire too.
    none_ready = f"(max({ready_pods}{{$sel}}) or vector(0)) < 1"
    if not cold_start_s:
        return (AlertRule("no-ready-pods", title, none_ready, "300s", "CRITICAL", runbook),)
    # A pool that scales to zero has no pod whenever it is idle. A failure is a pool with no ready pod while requests
    # for it keep arriving (a retrying client keeps the router's counter rising) for longer than a cold start takes;
    # per pool, so a warm pool does not hide a stuck one. The router's own absence is a rule of its own.
    stuck = (
        f"(max by (name) ({ready_pods}{{$sel}}) < 1) and on (name) label_replace(sum by (inference_pool) "
        f'(increase({FLOW_CONTROL_REQUESTS_SERIES}{{$sel}}[{WINDOW}])) > 0, "name", "$1", "inference_pool", "(.*)")'
    )
    return (
        AlertRule(
            "no-ready-pods",
            "Requests keep arriving and no model server pod became ready",
            stuck,
            f"{cold_start_s}s",
            "CRITICAL",
            f"A pool has had requests for {cold_start_s} s (autoscaling.coldStartSeconds) and no ready pod: check "
            "its ScaledObject (kubectl describe scaledobject -n <namespace>), GPU node capacity and the model "
            "server Deployment.",
        ),
        AlertRule(
            "no-router",
            "No endpoint picker reports its pool",
            f"absent({ready_pods}{{$sel}})",
            "300s",
            "CRITICAL",
            "No endpoint picker exports its pool's ready endpoints: check the router Deployments (<pool>-epp) and "
            "their PodMonitoring. Without them no pool can be woken from zero.",
        ),
    )


def rules(settings: Thresholds, family: str = "2026-04", cold_start_s: int = 0) -> tuple[AlertRule, ...]:
    """The rules, in the EPP series names of a version set's metric family (stacks/metrics.py); `cold_start_s`
    for pools that scale to zero."""

    def e(name: str) -> str:
        return epp_name(name, family)

    slo = settings.ttft_p95_slo_seconds
    errors = settings.error_rate_percent / 100
    queue = settings.queue_size_threshold
    return (
        *_no_ready_pods(e("inference_pool_ready_pods"), cold_start_s),
        AlertRule(
            "error-rate",
            f"Request error rate above {settings.error_rate_percent:g}%",
            f"sum(rate({e('inference_objective_request_error_total')}{{$sel}}[{WINDOW}])) / "
            f"sum(rate({e('inference_objective_request_total')}{{$sel}}[{WINDOW}])) > {errors:g}",
            "300s",
            "ERROR",
            "The endpoint picker reports failing requests: see the errors-by-code chart and the EPP logs.",
        ),
        AlertRule(
            "queue-growing",
            f"Request queue above {queue:g} and growing",
            f"avg({e('inference_pool_average_queue_size')}{{$sel}}) > {queue:g} and "
            f"deriv(sum(vllm:num_requests_waiting{{$sel}})[10m:1m]) > 0",
            "600s",
            "WARNING",
            "Requests wait longer and longer: raise model.replicas (and gpuPool.maxNodes) or lower the load.",
        ),
        AlertRule(
            "ttft-slo",
            f"Time to first token p95 above {slo:g} s",
            f"histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{{$sel}}[{WINDOW}])))"
            f" > {slo:g}",
            "600s",
            "WARNING",
            f"p95 time to first token is over the {slo:g} s objective (alerts.ttftP95SloSeconds): the pool is "
            "saturated or prompts got longer.",
        ),
    )


def rendered(
    settings: Thresholds, cluster: str, namespace: str, family: str = "2026-04"
) -> list[tuple[AlertRule, str]]:
    return [(rule, render(rule.promql, cluster, namespace)) for rule in rules(settings, family)]
