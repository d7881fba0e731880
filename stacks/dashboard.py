"""The "llm-d" Cloud Monitoring dashboard as typed data: sections of charts of PromQL queries.

`dashboard(...)` turns them into Cloud Monitoring dashboard JSON (mosaicLayout of 48 columns). Every
query is filtered to one stack: Managed Prometheus series (vLLM, endpoint picker) by the `cluster` and
`namespace` target labels, GKE system metrics (GPU) by the `cluster_name` and `namespace_name` labels of
their k8s_container resource. Metric names: shared facts/llm-d.md (vLLM, GAIE EPP, GKE accelerator).
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
from typing import Any

from stacks.metrics import EPP_LABEL_BY_SET, EPP_NAME_BY_SET, epp_name

COLUMNS = 48
CHART_WIDTH = 16
CHART_HEIGHT = 12
HEADER_HEIGHT = 3
WINDOW = "5m"
PERCENTILES = (0.5, 0.95, 0.99)


@dataclass(frozen=True)
class Query:
    """One line of a chart: PromQL with `$sel` (Prometheus series) or `$gpu` (GKE system metrics) selectors."""

    promql: str
    legend: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    queries: tuple[Query, ...]
    unit: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    subtitle: str
    charts: tuple[Chart, ...]


def percentiles(title: str, histogram: str, unit: str = "seconds") -> Chart:
    """p50/p95/p99 of a Prometheus histogram over the last 5 minutes."""
    return Chart(
        title,
        tuple(
            Query(
                f"histogram_quantile({q}, sum by (le) (rate({histogram}_bucket{{$sel}}[{WINDOW}])))",
                f"p{round(q * 100)}",
            )
            for q in PERCENTILES
        ),
        unit,
    )


def rate(counter: str, by: str = "") -> str:
    grouping = f" by ({by})" if by else ""
    return f"sum{grouping} (rate({counter}{{$sel}}[{WINDOW}]))"


VLLM = Section(
    "vLLM model servers",
    "Latency, load, KV cache and throughput of the vLLM replicas",
    (
        percentiles("Time to first token", "vllm:time_to_first_token_seconds"),
        percentiles("Inter-token latency", "vllm:inter_token_latency_seconds"),
        percentiles("End-to-end request latency", "vllm:e2e_request_latency_seconds"),
        Chart(
            "Requests running and waiting",
            (
                Query("sum(vllm:num_requests_running{$sel})", "running"),
                Query("sum(vllm:num_requests_waiting{$sel})", "waiting"),
            ),
            "requests",
        ),
        Chart(
            "KV cache usage",
            (
                Query("avg(vllm:kv_cache_usage_perc{$sel})", "average"),
                Query("max(vllm:kv_cache_usage_perc{$sel})", "busiest replica"),
            ),
            "fraction",
        ),
        Chart(
            "Prefix cache hit rate",
            (Query(f"{rate('vllm:prefix_cache_hits_total')} / {rate('vllm:prefix_cache_queries_total')}", "hit rate"),),
            "fraction",
        ),
        Chart(
            "Tokens per second",
            (
                Query(rate("vllm:prompt_tokens_total"), "prompt"),
                Query(rate("vllm:generation_tokens_total"), "generation"),
            ),
            "tokens/s",
        ),
        percentiles("Queue time", "vllm:request_queue_time_seconds"),
        Chart("Preemptions", (Query(rate("vllm:num_preemptions_total"), "preemptions/s"),), "1/s"),
    ),
)


def scheduler_section(family: str = "2026-04") -> Section:
    """The scheduler charts, in the EPP series names of a version set's metric family (stacks/metrics.py)."""

    def e(name: str) -> str:
        return epp_name(name, family)

    def label(name: str) -> str:
        return EPP_LABEL_BY_SET[family].get(name, name)

    pod = label("model_server_pod")
    return Section(
        "Inference scheduler (endpoint picker)",
        "Requests through the InferencePool and the scheduler's view of the pool",
        (
            Chart(
                "Request rate by model",
                (Query(rate(e("inference_objective_request_total"), "model_name"), "${model_name}"),),
                "requests/s",
            ),
            Chart(
                "Errors by code",
                (Query(rate(e("inference_objective_request_error_total"), "error_code"), "${error_code}"),),
                "errors/s",
            ),
            percentiles("Request latency", e("inference_objective_request_duration_seconds")),
            Chart(
                "Pool average queue size",
                (Query(f"sum by (name) ({e('inference_pool_average_queue_size')}{{$sel}})", "${name}"),),
                "requests",
            ),
            Chart(
                "Pool average KV cache utilization",
                (Query(f"max by (name) ({e('inference_pool_average_kv_cache_utilization')}{{$sel}})", "${name}"),),
                "fraction",
            ),
            Chart(
                "Ready pods",
                (Query(f"max by (name) ({e('inference_pool_ready_pods')}{{$sel}})", "${name}"),),
                "pods",
            ),
            Chart(
                "Prefix indexer hit ratio",
                (
                    Query(
                        f"{rate(e('inference_extension_prefix_indexer_hit_ratio') + '_sum')} / "
                        f"{rate(e('inference_extension_prefix_indexer_hit_ratio') + '_count')}",
                        "mean",
                    ),
                ),
                "fraction",
            ),
            percentiles("Scheduler latency", e("inference_extension_scheduler_e2e_duration_seconds")),
            Chart(
                "Per-pod queue size",
                (
                    Query(
                        f"max by ({pod}) ({e('inference_pool_per_pod_queue_size')}{{$sel}})",
                        "${" + pod + "}",
                    ),
                ),
                "requests",
            ),
        ),
    )


SCHEDULER = scheduler_section()

# With scale to zero (llmd:autoscaling.minReplicas 0): what wakes a pool and what waits for it (stacks/autoscaling.py).
SCALE_TO_ZERO = Section(
    "Scale to zero",
    "Requests the router saw for each pool (what wakes it) and those waiting in the router for a replica",
    (
        Chart(
            "Router requests by pool and outcome",
            (
                Query(
                    rate("llm_d_epp_flow_control_requests_total", "inference_pool, outcome"),
                    "${inference_pool} ${outcome}",
                ),
            ),
            "requests/s",
        ),
        Chart(
            "Waiting in the router",
            (Query("sum by (inference_pool) (llm_d_epp_flow_control_queue_size{$sel})", "${inference_pool}"),),
            "requests",
        ),
    ),
)

GPU = Section(
    "GPUs",
    "GKE accelerator metrics of the model server containers",
    (
        Chart(
            "GPU duty cycle",
            (Query("avg by (pod_name) (kubernetes_io:container_accelerator_duty_cycle{$gpu})", "${pod_name}"),),
            "percent",
        ),
        Chart(
            "GPU memory",
            (
                Query("sum(kubernetes_io:container_accelerator_memory_used{$gpu})", "used"),
                Query("sum(kubernetes_io:container_accelerator_memory_total{$gpu})", "total"),
            ),
            "bytes",
        ),
    ),
)

SECTIONS = (VLLM, SCHEDULER, GPU)
# Per version set's metric family (stacks/versions.py VersionSet.metrics); vLLM's names are the same in both.
SECTIONS_BY_SET: dict[str, tuple[Section, ...]] = {
    family: (VLLM, scheduler_section(family), GPU) for family in EPP_NAME_BY_SET
}


def selectors(cluster: str, namespace: str) -> dict[str, str]:
    """The label matchers that confine every query to this stack's cluster and namespace."""
    return {
        "sel": f'cluster="{cluster}",namespace="{namespace}"',
        "gpu": f'monitored_resource="k8s_container",cluster_name="{cluster}",namespace_name="{namespace}"',
    }


def render(promql: str, cluster: str, namespace: str) -> str:
    # safe_substitute keeps the `${label}` legend templates' neighbours intact; only $sel/$gpu are ours.
    return Template(promql).safe_substitute(selectors(cluster, namespace))


def _chart_widget(chart: Chart, cluster: str, namespace: str) -> dict[str, Any]:
    return {
        "title": chart.title,
        "xyChart": {
            "dataSets": [
                {
                    "timeSeriesQuery": {"prometheusQuery": render(q.promql, cluster, namespace)},
                    "plotType": "LINE",
                    "targetAxis": "Y1",
                    **({"legendTemplate": q.legend} if q.legend else {}),
                }
                for q in chart.queries
            ],
            "yAxis": {"label": chart.unit, "scale": "LINEAR"},
            "chartOptions": {"mode": "COLOR"},
        },
    }


def dashboard(
    display_name: str,
    cluster: str,
    namespace: str,
    labels: dict[str, str] | None = None,
    sections: tuple[Section, ...] = SECTIONS,
) -> dict[str, Any]:
    """Cloud Monitoring dashboard JSON: a section header tile, then the section's charts three per row."""
    tiles: list[dict[str, Any]] = []
    y = 0
    per_row = COLUMNS // CHART_WIDTH
    for section in sections:
        tiles.append(
            {
                "xPos": 0,
                "yPos": y,
                "width": COLUMNS,
                "height": HEADER_HEIGHT,
                "widget": {
                    "title": section.title,
                    "sectionHeader": {"subtitle": section.subtitle, "dividerBelow": True},
                },
            }
        )
        y += HEADER_HEIGHT
        for index, chart in enumerate(section.charts):
            tiles.append(
                {
                    "xPos": (index % per_row) * CHART_WIDTH,
                    "yPos": y + (index // per_row) * CHART_HEIGHT,
                    "width": CHART_WIDTH,
                    "height": CHART_HEIGHT,
                    "widget": _chart_widget(chart, cluster, namespace),
                }
            )
        y += -(-len(section.charts) // per_row) * CHART_HEIGHT
    document: dict[str, Any] = {"displayName": display_name, "mosaicLayout": {"columns": COLUMNS, "tiles": tiles}}
    if labels:
        # Dashboard labels are key -> value like resource labels.
        document["labels"] = dict(labels)
    return document


def metric_names(sections: tuple[Section, ...] = SECTIONS) -> set[str]:
    """Every metric a section queries (histogram series by their base name)."""
    import re

    names: set[str] = set()
    for section in sections:
        for chart in section.charts:
            for query in chart.queries:
                for token in re.findall(r"[a-zA-Z_][a-zA-Z0-9_:]*(?=\{)", query.promql):
                    names.add(re.sub(r"_(bucket|sum|count)$", "", token))
    return names
