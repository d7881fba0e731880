"""The Prometheus series the serving layer's components expose, by the name a query must use.

A Prometheus counter declared as `x` is exposed as `x_total`, a histogram `h` as `h_bucket`, `h_sum` and
`h_count`: the dashboard and the alerts may query only the exposed names below, which the tests check
(a query of `vllm:num_preemptions` instead of `vllm:num_preemptions_total` returns nothing, silently).
"""

from __future__ import annotations

from dataclasses import dataclass

from stacks import llmd_v0_9

COUNTER, GAUGE, HISTOGRAM = "counter", "gauge", "histogram"
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


@dataclass(frozen=True)
class Metric:
    name: str  # as exposed: counters with their `_total`, histograms by their base name
    kind: str
    source: str


VLLM_SOURCE = (
    "vllm-project/vllm vllm/v1/metrics/loggers.py (PrometheusStatLogger), vLLM v0.11 line shipped in "
    "llm-d-cuda v0.5.1; prometheus_client adds _total to counters; read 2026-12-01"
)
EPP_SOURCE = (
    "kubernetes-sigs/gateway-api-inference-extension pkg/epp/metrics/metrics.go at v1.4.0 "
    "(llm-d-inference-scheduler v0.6.0 builds on it); read 2026-11, names unchanged in v0.6.0"
)
GKE_SOURCE = (
    "cloud.google.com/monitoring/api/metrics_kubernetes (kubernetes.io/container/accelerator/*), queried "
    "through PromQL as kubernetes_io:container_accelerator_*; read 2026-11"
)

VLLM = (
    Metric("vllm:num_requests_running", GAUGE, VLLM_SOURCE),
    Metric("vllm:num_requests_waiting", GAUGE, VLLM_SOURCE),
    Metric("vllm:kv_cache_usage_perc", GAUGE, VLLM_SOURCE),
    Metric("vllm:num_preemptions_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:prompt_tokens_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:generation_tokens_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:request_success_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:prefix_cache_queries_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:prefix_cache_hits_total", COUNTER, VLLM_SOURCE),
    Metric("vllm:time_to_first_token_seconds", HISTOGRAM, VLLM_SOURCE),
    Metric("vllm:inter_token_latency_seconds", HISTOGRAM, VLLM_SOURCE),
    Metric("vllm:e2e_request_latency_seconds", HISTOGRAM, VLLM_SOURCE),
    Metric("vllm:request_queue_time_seconds", HISTOGRAM, VLLM_SOURCE),
)
EPP = (
    Metric("inference_objective_request_total", COUNTER, EPP_SOURCE),
    Metric("inference_objective_request_error_total", COUNTER, EPP_SOURCE),
    Metric("inference_objective_request_duration_seconds", HISTOGRAM, EPP_SOURCE),
    Metric("inference_objective_running_requests", GAUGE, EPP_SOURCE),
    Metric("inference_pool_average_kv_cache_utilization", GAUGE, EPP_SOURCE),
    Metric("inference_pool_average_queue_size", GAUGE, EPP_SOURCE),
    Metric("inference_pool_per_pod_queue_size", GAUGE, EPP_SOURCE),
    Metric("inference_pool_ready_pods", GAUGE, EPP_SOURCE),
    Metric("inference_extension_scheduler_e2e_duration_seconds", HISTOGRAM, EPP_SOURCE),
    Metric("inference_extension_prefix_indexer_hit_ratio", HISTOGRAM, EPP_SOURCE),
)
GPU = (
    Metric("kubernetes_io:container_accelerator_duty_cycle", GAUGE, GKE_SOURCE),
    Metric("kubernetes_io:container_accelerator_memory_used", GAUGE, GKE_SOURCE),
    Metric("kubernetes_io:container_accelerator_memory_total", GAUGE, GKE_SOURCE),
)
EMITTED: tuple[Metric, ...] = VLLM + EPP + GPU

# The v0.9.0 set (llm-d Router v0.10.0, vLLM v0.26.0): every llm_d_epp_* series the EPP registers, and the vLLM
# series the program queries (stacks/llmd_v0_9.py; vLLM v0.26.0's names are unverified there, 9 of 13 seen in
# llm-d's own v0.9.0 dashboard).
EPP_V0_10_SOURCE = (
    f"llm-d/llm-d-router v0.10.0 ({llmd_v0_9.SOURCES[llmd_v0_9.EPP_METRICS_SOURCE]}); read {llmd_v0_9.READ_ON}"
)
VLLM_V0_26_SOURCE = "vLLM v0.26.0 (unverified; llm-d v0.9.0 guides' dashboard, stacks/llmd_v0_9.py VLLM_METRICS)"
EPP_V0_10 = tuple(Metric(name, kind, EPP_V0_10_SOURCE) for name, kind in llmd_v0_9.EPP_METRICS.items())
VLLM_V0_26 = tuple(Metric(name, m.kind, VLLM_V0_26_SOURCE) for name, m in llmd_v0_9.VLLM_METRICS.items())

# What each version set's components emit, by the set's `metrics` family (stacks/versions.py).
EMITTED_BY_SET: dict[str, tuple[Metric, ...]] = {
    "2026-04": EMITTED,
    "v0.9.0": VLLM_V0_26 + EPP_V0_10 + GPU,
}
# The EPP series a query of the 2026-04 names becomes in each family (dashboard and alerts are written once).
EPP_NAME_BY_SET: dict[str, dict[str, str]] = {
    "2026-04": {m.name: m.name for m in EPP},
    "v0.9.0": dict(llmd_v0_9.DEPRECATED_EPP_METRICS),
}
# Label renames of the EPP series (docs/metrics.md of the router: the per-endpoint queue size is labelled
# model_server_endpoint, the old per-pod one model_server_pod).
EPP_LABEL_BY_SET: dict[str, dict[str, str]] = {
    "2026-04": {},
    "v0.9.0": {"model_server_pod": "model_server_endpoint"},
}


def epp_name(name: str, family: str = "2026-04") -> str:
    """A 2026-04 EPP series name as the family's components expose it."""
    return EPP_NAME_BY_SET[family][name]


def series_names(metrics: tuple[Metric, ...] = EMITTED) -> set[str]:
    """Every series name a PromQL query can select."""
    names: set[str] = set()
    for metric in metrics:
        if metric.kind == HISTOGRAM:
            names.update(metric.name + suffix for suffix in HISTOGRAM_SUFFIXES)
        else:
            names.add(metric.name)
    return names
