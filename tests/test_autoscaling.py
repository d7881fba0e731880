"""Model-server replicas that follow the load: the plan's autoscalers, the rule they apply, and the config checks.

The rule is the HPA's own algorithm (simulator/scaling.py), fed with the queue gauge the local simulator exposes
under load: what can be tested without a cluster is the rule's inputs and its decision, not GKE acting on it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from plan.runner import load_config_file, run_plan, stack_file
from simulator import SimulatorConfig, running_simulator
from simulator.scaling import HpaModel, prometheus_value
from simulator.tests.helpers import get, post
from stacks.autoscaling import ADAPTER, METRICS, SCALE_DOWN_WINDOW_S, batch_target
from tests.plangraph import DEPLOYMENT, model_servers, of_type
from tests.planview import GKE_STACKS
from tests.refusal import assert_config_refused

HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile"
IAM_MEMBER = "gcp:projects/iAMMember:IAMMember"
MODEL = "Qwen/Qwen3-0.6B"


def hpas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return of_type(doc, HPA)


# ------------------------------------------------------------------------------------------- the plans


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_every_pool_on_gke_scales_between_one_and_its_replicas_on_the_queue(plans, stack):
    doc = plans[stack]
    servers = {s.resource["inputs"]["metadata"]["name"]: s for s in model_servers(doc)}
    configured = load_config_file(stack_file(stack)).get("llmd:model", {})
    by_target = {h["inputs"]["spec"]["scaleTargetRef"]["name"]: h["inputs"]["spec"] for h in hpas(doc)}
    assert set(by_target) == set(servers)
    for name, spec in by_target.items():
        assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert spec["minReplicas"] == 1
        assert spec["maxReplicas"] == configured.get("replicas", spec["maxReplicas"]) >= 1
        [metric] = spec["metrics"]
        assert metric["type"] == "Pods"
        assert metric["pods"]["metric"]["name"] == "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"
        assert metric["pods"]["target"] == {"type": "AverageValue", "averageValue": "3"}
        assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == SCALE_DOWN_WINDOW_S
        assert spec["behavior"]["scaleUp"]["stabilizationWindowSeconds"] == 0
        # The HPA owns the count: a replicas field in the Deployment would reset it on every update.
        assert "replicas" not in servers[name].resource["inputs"]["spec"]
        # Turning the autoscaler off later sets replicas again over the HPA's ownership: forced, not a conflict.
        assert servers[name].resource["inputs"]["metadata"]["annotations"]["pulumi.com/patchForce"] == "true"


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_the_metrics_adapter_is_pinned_and_reads_monitoring_only(plans, stack):
    doc = plans[stack]
    [manifest] = [f for f in of_type(doc, CONFIG_FILE) if "k8s-stackdriver" in f["inputs"]["file"]]
    assert manifest["inputs"]["file"] == ADAPTER.manifest_url
    assert f"/{ADAPTER.version}/" in ADAPTER.manifest_url and "/master/" not in ADAPTER.manifest_url
    grants = [m for m in of_type(doc, IAM_MEMBER) if "/sa/custom-metrics-stackdriver-adapter" in m["inputs"]["member"]]
    assert [g["inputs"]["role"] for g in grants] == ["roles/monitoring.viewer"]
    assert grants[0]["inputs"]["member"].startswith("principal://iam.googleapis.com/projects/")
    assert "/subject/ns/custom-metrics/sa/" in grants[0]["inputs"]["member"]
    assert {g["urn"] for g in grants} <= set(manifest["dependencies"])
    # Every autoscaler waits for the adapter that serves its metric.
    for hpa in hpas(doc):
        assert manifest["urn"] in hpa["dependencies"] or any(
            manifest["urn"] in r["dependencies"] for r in of_type(doc, DEPLOYMENT) if r["urn"] in hpa["dependencies"]
        )


def test_batch_size_targets_a_share_of_the_pools_max_num_seqs():
    config = {**load_config_file(stack_file("nvidia-l4")), "llmd:autoscaling": {"metric": "batch-size"}}
    doc = run_plan("nvidia-l4", config).document()
    [server] = model_servers(doc)
    seqs = int(server.vllm_words[server.vllm_words.index("--max-num-seqs") + 1])
    [hpa] = hpas(doc)
    [metric] = hpa["inputs"]["spec"]["metrics"]
    assert metric["pods"]["metric"]["name"] == METRICS["batch-size"].hpa_metric
    assert metric["pods"]["target"]["averageValue"] == str(int(batch_target(seqs)))


def test_autoscaling_off_keeps_the_fixed_count_and_no_adapter():
    config = {**load_config_file(stack_file("nvidia-l4")), "llmd:autoscaling": {"enabled": False}}
    doc = run_plan("nvidia-l4", config).document()
    assert not hpas(doc)
    assert not [f for f in of_type(doc, CONFIG_FILE) if "k8s-stackdriver" in f["inputs"]["file"]]
    [server] = model_servers(doc)
    assert server.replicas == 2


def test_existing_cluster_and_the_2026_04_set_do_not_autoscale_by_default(plans, plans_2026_04):
    assert not hpas(plans["existing-cluster"])
    assert not any(hpas(doc) for doc in plans_2026_04.values())


@pytest.mark.parametrize(
    ("stack", "config", "key", "fix"),
    [
        (
            "nvidia-l4",
            {"llmd:versionSet": "2026-04", "llmd:autoscaling": {"enabled": True}},
            "llmd:autoscaling.enabled",
            "v0.9.0",
        ),
        (
            "existing-cluster",
            {
                "llmd:accelerator": "nvidia-l4",
                "llmd:existingCluster": {"context": "lab"},
                "llmd:autoscaling": {"enabled": True},
            },
            "llmd:autoscaling.enabled",
            "enabled to false",
        ),
        (
            "nvidia-l4",
            {"llmd:autoscaling": {"minReplicas": 3}},
            "llmd:model.replicas",
            "at least 3",
        ),
        ("nvidia-l4", {"llmd:autoscaling": {"metric": "cpu"}}, "llmd:autoscaling.metric", "queue-size"),
        ("nvidia-l4", {"llmd:autoscaling": {"target": 0}}, "llmd:autoscaling.target", ""),
    ],
)
def test_autoscaling_refusals_name_the_key_and_the_fix(stack, config, key, fix):
    assert_config_refused(stack, config, key, fix)


# ------------------------------------------------------------------------- the rule, fed by the simulator


def _l4_hpa_spec(plans: dict[str, dict[str, Any]]) -> dict[str, Any]:
    [hpa] = hpas(plans["nvidia-l4"])
    return dict(hpa["inputs"]["spec"])


def test_the_rule_scales_up_at_once_and_down_only_after_the_window(plans):
    model = HpaModel(_l4_hpa_spec(plans))
    assert (model.series, model.target) == ("vllm:num_requests_waiting", 3.0)
    up = model.decide(0, 1, [9.0])
    assert (up.recommendation, up.replicas) == (2, 2)  # ceil(9/3) = 3, capped by maxReplicas 2
    assert model.decide(15, 2, [3.2, 2.9]).replicas == 2  # within the 10 % tolerance: no change
    assert model.decide(60, 2, [0.0, 0.0]).replicas == 2  # idle, but inside the 300 s window
    down = model.decide(316, 2, [0.0, 0.0])
    assert (down.recommendation, down.replicas) == (1, 1)


def _hold_requests(url: str, count: int) -> list[threading.Thread]:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hello"}], "stream": False}
    threads = [threading.Thread(target=post, args=(url + "/v1/chat/completions", body, 30)) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_the_simulators_queue_under_load_is_the_rules_input_and_drives_its_decision(plans):
    model = HpaModel(_l4_hpa_spec(plans))
    # One request runs at a time; the rest wait in vLLM's queue, as on a saturated replica.
    config = SimulatorConfig(models=(MODEL,), ttft_ms=300, itl_ms=30, output_tokens=20, max_running=1)
    with running_simulator(config) as url:
        idle = prometheus_value(get(url + "/metrics")[1].decode(), model.series)
        assert idle == 0.0
        assert model.decide(0, 1, [idle]).replicas == 1
        threads = _hold_requests(url, 8)
        deadline, waiting = time.monotonic() + 10, 0.0
        while time.monotonic() < deadline and waiting < 6:
            waiting = prometheus_value(get(url + "/metrics")[1].decode(), model.series) or 0.0
            time.sleep(0.02)
        assert waiting >= 6, waiting
        loaded = model.decide(15, 1, [waiting])
        assert loaded.replicas == 2 and "against target 3" in loaded.reason
        for thread in threads:
            thread.join(timeout=30)
        drained = prometheus_value(get(url + "/metrics")[1].decode(), model.series)
    assert drained == 0.0
    assert model.decide(30, 2, [0.0, 0.0]).replicas == 2
    assert model.decide(15 + SCALE_DOWN_WINDOW_S + 1, 2, [0.0, 0.0]).replicas == 1
