"""The dashboard, alert rules, Endpoints document and image tag, from their pure builders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.edge.endpoints_dns import openapi_document
from components.edge.frontend_image import ignored, source_hash
from config.edge import AlertSettings
from stacks import dashboard as board
from stacks.alerts import rules

CLUSTER, NAMESPACE = "llmd-nvidia-l4", "llm-d"
VLLM = {
    "vllm:time_to_first_token_seconds",
    "vllm:inter_token_latency_seconds",
    "vllm:e2e_request_latency_seconds",
    "vllm:num_requests_running",
    "vllm:num_requests_waiting",
    "vllm:kv_cache_usage_perc",
    "vllm:prefix_cache_hits_total",
    "vllm:prefix_cache_queries_total",
    "vllm:prompt_tokens_total",
    "vllm:generation_tokens_total",
}
SCHEDULER = {
    "inference_objective_request_total",
    "inference_objective_request_error_total",
    "inference_objective_request_duration_seconds",
    "inference_pool_average_queue_size",
    "inference_pool_average_kv_cache_utilization",
    "inference_pool_ready_pods",
    "inference_extension_prefix_indexer_hit_ratio",
    "inference_extension_scheduler_e2e_duration_seconds",
}
GPU = {"kubernetes_io:container_accelerator_duty_cycle", "kubernetes_io:container_accelerator_memory_used"}
# Keys the Cloud Monitoring Dashboard API accepts at each level we write (google.monitoring.dashboard.v1).
DASHBOARD_KEYS = {"displayName", "mosaicLayout", "labels"}
TILE_KEYS = {"xPos", "yPos", "width", "height", "widget"}
WIDGET_KINDS = {"xyChart", "sectionHeader", "text", "scorecard"}
DATASET_KEYS = {"timeSeriesQuery", "plotType", "targetAxis", "legendTemplate"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return board.dashboard("llm-d (nvidia-l4)", CLUSTER, NAMESPACE, {"app": "llm-d", "llmd-stack": "nvidia-l4"})


def queries(document: dict[str, Any]) -> list[str]:
    return [
        ds["timeSeriesQuery"]["prometheusQuery"]
        for tile in document["mosaicLayout"]["tiles"]
        for ds in tile["widget"].get("xyChart", {}).get("dataSets", [])
    ]


def test_dashboard_json_parses_as_the_api_message(document):
    types = pytest.importorskip("google.cloud.monitoring_dashboard_v1.types")
    # Unknown or misspelled fields, or values of the wrong type, raise here.
    parsed = types.Dashboard.from_json(json.dumps(document))
    assert parsed.display_name == "llm-d (nvidia-l4)"
    assert len(parsed.mosaic_layout.tiles) == len(document["mosaicLayout"]["tiles"])


def test_dashboard_json_has_the_shape_cloud_monitoring_accepts(document):
    assert set(document) <= DASHBOARD_KEYS and document["displayName"]
    layout = document["mosaicLayout"]
    assert layout["columns"] == 48
    occupied: set[tuple[int, int]] = set()
    for tile in layout["tiles"]:
        assert set(tile) <= TILE_KEYS
        assert tile["width"] > 0 and tile["height"] > 0
        assert tile["xPos"] >= 0 and tile["xPos"] + tile["width"] <= layout["columns"]
        cells = {
            (x, y)
            for x in range(tile["xPos"], tile["xPos"] + tile["width"])
            for y in range(tile["yPos"], tile["yPos"] + tile["height"])
        }
        assert not cells & occupied, f"tile {tile['widget']['title']} overlaps another"
        occupied |= cells
        widget = tile["widget"]
        kinds = set(widget) & WIDGET_KINDS
        assert len(kinds) == 1 and set(widget) == kinds | {"title"}
        for dataset in widget.get("xyChart", {}).get("dataSets", []):
            assert set(dataset) <= DATASET_KEYS and dataset["plotType"] == "LINE"
            assert set(dataset["timeSeriesQuery"]) == {"prometheusQuery"}
    assert document["labels"]["llmd-stack"] == "nvidia-l4"
    json.dumps(document)  # plain JSON


def test_dashboard_contains_the_vllm_scheduler_and_gpu_metrics(document):
    text = "\n".join(queries(document))
    missing = {m for m in VLLM | SCHEDULER | GPU if m not in text}
    assert not missing
    titles = [t["widget"]["title"] for t in document["mosaicLayout"]["tiles"]]
    for title in ("Time to first token", "Inter-token latency", "End-to-end request latency", "Scheduler latency"):
        assert title in titles
    [ttft] = [t for t in document["mosaicLayout"]["tiles"] if t["widget"]["title"] == "Time to first token"]
    legends = [ds["legendTemplate"] for ds in ttft["widget"]["xyChart"]["dataSets"]]
    assert legends == ["p50", "p95", "p99"]
    assert "histogram_quantile(0.99," in json.dumps(ttft)


def test_every_query_is_filtered_to_the_stack(document):
    for query in queries(document):
        selectors = re.findall(r"\{([^}]*)\}", query)
        assert selectors, query
        for selector in selectors:
            assert selector in (
                f'cluster="{CLUSTER}",namespace="{NAMESPACE}"',
                f'monitored_resource="k8s_container",cluster_name="{CLUSTER}",namespace_name="{NAMESPACE}"',
            ), query
        assert "$" not in query


def test_promql_is_balanced(document):
    for query in queries(document) + [q for _, q in _alerts()]:
        assert query.count("(") == query.count(")") and query.count("[") == query.count("]"), query


def test_metric_names_listing_matches_the_queries():
    assert board.metric_names() >= VLLM | SCHEDULER | GPU


def _alerts() -> list[tuple[Any, str]]:
    from stacks.alerts import rendered

    return rendered(AlertSettings(True, (), 1.5, 2.0, 8.0), CLUSTER, NAMESPACE)


def test_alert_rules_cover_the_obvious_failures():
    found = dict((rule.key, query) for rule, query in _alerts())
    assert set(found) == {"no-ready-pods", "error-rate", "queue-growing", "ttft-slo"}
    assert "inference_pool_ready_pods" in found["no-ready-pods"] and found["no-ready-pods"].endswith("< 1")
    assert "or vector(0)" in found["no-ready-pods"]
    assert "inference_objective_request_error_total" in found["error-rate"] and found["error-rate"].endswith("> 0.02")
    assert "vllm:num_requests_waiting" in found["queue-growing"] and "> 8" in found["queue-growing"]
    assert "histogram_quantile(0.95" in found["ttft-slo"] and found["ttft-slo"].endswith("> 1.5")
    for query in found.values():
        assert f'cluster="{CLUSTER}",namespace="{NAMESPACE}"' in query and "$" not in query
    assert all(rule.severity in {"CRITICAL", "ERROR", "WARNING"} for rule in rules(AlertSettings(True, (), 2, 5, 10)))


def test_endpoints_openapi_points_the_host_at_the_address():
    doc = yaml.safe_load(openapi_document("chat-1a2b.endpoints.p.cloud.goog", "203.0.113.7"))
    assert doc["swagger"] == "2.0" and doc["host"] == "chat-1a2b.endpoints.p.cloud.goog"
    assert doc["x-google-endpoints"] == [{"name": "chat-1a2b.endpoints.p.cloud.goog", "target": "203.0.113.7"}]
    assert doc["paths"] == {}


def test_image_tag_follows_the_app_source_not_its_tests(tmp_path: Path):
    app = tmp_path / "frontend"
    (app / "tests").mkdir(parents=True)
    (app / "app.py").write_text("print('v1')\n")
    (app / "Dockerfile").write_text("FROM python:3.11-slim\n")
    (app / ".dockerignore").write_text("tests/\n**/__pycache__\n")
    (app / "tests" / "test_app.py").write_text("x = 1\n")
    first = source_hash(app)
    (app / "tests" / "test_app.py").write_text("x = 2\n")
    assert source_hash(app) == first
    (app / "app.py").write_text("print('v2')\n")
    second = source_hash(app)
    assert second != first and re.fullmatch(r"[0-9a-f]{12}", second)
    (app / "Dockerfile").write_text("FROM python:3.12-slim\n")
    assert source_hash(app) != second
    assert ignored("tests/x.py", ["tests"]) and ignored("a/__pycache__/b.pyc", ["**/__pycache__"])
    assert not ignored("app.py", ["tests", "**/*.pyc"])


def _selected_series(promql: str) -> list[str]:
    return re.findall(r"[a-zA-Z_][a-zA-Z0-9_:]*(?=\{)", promql)


def test_every_queried_series_is_one_the_components_expose(document):
    from stacks.metrics import series_names

    exposed = series_names()
    for query in queries(document) + [q for _, q in _alerts()]:
        unknown = [name for name in _selected_series(query) if name not in exposed]
        assert not unknown, f"{query} selects series nothing exposes: {unknown}"


def test_counters_are_only_queried_as_rates(document):
    from stacks.metrics import COUNTER, EMITTED

    counters = {m.name for m in EMITTED if m.kind == COUNTER}
    for query in queries(document) + [q for _, q in _alerts()]:
        for name in set(_selected_series(query)) & counters:
            assert re.search(rf"(rate|increase)\({re.escape(name)}\{{", query), f"{name} read raw in {query}"
