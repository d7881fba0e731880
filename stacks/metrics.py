"""The Prometheus series the serving layer's components expose, by the name a query must use.

A Prometheus counter declared as `x` is exposed as `x_total`, a histogram `h` as `h_bucket`, `h_sum` and
`h_count`: the dashboard and the alerts may query only the exposed names below, which the tests check
(a query of `vllm:num_preemptions` instead of `vllm:num_preemptions_total` returns nothing, silently).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def series_names(metrics: tuple[Metric, ...] = EMITTED) -> set[str]:
    """Every series name a PromQL query can select."""
    names: set[str] = set()
    for metric in metrics:
        if metric.kind == HISTOGRAM:
            names.update(metric.name + suffix for suffix in HISTOGRAM_SUFFIXES)
        else:
            names.add(metric.name)
    return names
