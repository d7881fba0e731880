"""Scale to zero (llmd:autoscaling.minReplicas 0): KEDA, what wakes a pool, and the chat's wait.

The plans show what the cluster receives; KEDA's own 0 <-> 1 rule (simulator/activation.py), fed with the
simulator's running-request gauge under load, shows its inputs and decisions. GKE acting on it is what a live run
settles (docs/unverified.md).
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

import pytest

from plan.runner import load_config_file, run_plan, stack_file
from simulator import SimulatorConfig, running_simulator
from simulator.activation import ActivationModel
from simulator.scaling import prometheus_value
from simulator.tests.helpers import get, post
from stacks.autoscaling import FLOW_CONTROL_GATE, KEDA, METRICS, MIN_ANSWER_S
from tests.plangraph import DEPLOYMENT, endpoint_pickers, model_servers, of_type
from tests.refusal import assert_config_refused

HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject"
TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication"
RELEASE = "kubernetes:helm.sh/v3:Release"
CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile"
IAM_MEMBER = "gcp:projects/iAMMember:IAMMember"
EXTRA = "Qwen/Qwen2.5-0.5B-Instruct"
TO_ZERO = {"minReplicas": 0, "idleSeconds": 1200, "coldStartSeconds": 600}


def _plan(stack: str, **config: Any) -> dict[str, Any]:
    merged = {**load_config_file(stack_file(stack)), **config}
    return run_plan(stack, merged).document()


@pytest.fixture(scope="module")
def zero() -> dict[str, Any]:
    return _plan(
        "nvidia-l4",
        **{
            "llmd:autoscaling": TO_ZERO,
            "llmd:extraModels": [{"name": EXTRA, "replicas": 3}],
            "llmd:gpuPool": {"maxNodes": 5},
        },
    )


def _scaled(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["inputs"]["spec"]["scaleTargetRef"]["name"]: s for s in of_type(doc, SCALED_OBJECT)}


def _env(doc: dict[str, Any]) -> dict[str, str]:
    [chat] = [d for d in of_type(doc, DEPLOYMENT) if d["inputs"]["metadata"]["name"] == "llmd-chat"]
    return {e["name"]: e["value"] for e in chat["inputs"]["spec"]["template"]["spec"]["containers"][0]["env"]}


def test_every_pool_scales_through_keda_from_zero_to_its_replicas(zero):
    servers = {s.resource["inputs"]["metadata"]["name"]: s for s in model_servers(zero)}
    scaled = _scaled(zero)
    assert set(scaled) == set(servers) and len(scaled) == 2
    assert not of_type(zero, HPA), "KEDA generates the HPA: a second one would fight it"
    assert not [f for f in of_type(zero, CONFIG_FILE) if "k8s-stackdriver" in f["inputs"]["file"]]
    maxima = {"vllm-qwen3-0-6b": 2, "vllm-qwen2-5-0-5b-instruct": 3}
    for name, obj in scaled.items():
        spec = obj["inputs"]["spec"]
        assert (spec["minReplicaCount"], spec["maxReplicaCount"]) == (0, maxima[name])
        assert spec["cooldownPeriod"] == spec["initialCooldownPeriod"] == 1200
        # KEDA would otherwise write back a count of 1 over the fixed count of a stack turning scale to zero off.
        assert "restoreToOriginalReplicaCount" not in spec["advanced"]
        assert "replicas" not in servers[name].resource["inputs"]["spec"]
        assert servers[name].resource["urn"] in obj["dependencies"]


def test_the_triggers_read_this_pools_router_queue_and_vllm_gauges_in_this_cluster(zero):
    pools = {p.name for p in endpoint_pickers(zero)}
    for name, obj in _scaled(zero).items():
        triggers = {t["name"]: t for t in obj["inputs"]["spec"]["triggers"]}
        assert set(triggers) == {"router-requests", "router-queue", "vllm-queue-size", "vllm-running"}
        for t in triggers.values():
            query = t["metadata"]["query"]
            assert 'cluster="llmd-nvidia-l4",namespace="llm-d"' in query
            assert t["metadata"]["activationThreshold"] == "0"
            assert t["metadata"]["serverAddress"].endswith("/location/global/prometheus")
            assert t["authenticationRef"] == {"name": "managed-prometheus"}
        queue = triggers["router-queue"]["metadata"]["query"]
        pool = queue.split('inference_pool="')[1].split('"')[0]
        assert pool in pools and name.removeprefix("vllm-") in pool
        assert queue.startswith("sum(llm_d_epp_flow_control_queue_size{")
        # The router counts every attempt at an empty pool, however briefly GKE's callout lets it hold one.
        wake = triggers["router-requests"]["metadata"]
        assert wake["query"].startswith("sum(increase(llm_d_epp_flow_control_requests_total{")
        assert f'inference_pool="{pool}"' in wake["query"] and wake["query"].endswith("[2m]))")
        assert float(wake["threshold"]) >= 1e6, "it wakes the pool and never sizes it"
        assert METRICS["queue-size"].series in triggers["vllm-queue-size"]["metadata"]["query"]
        assert triggers["vllm-queue-size"]["metadata"]["threshold"] == "3"
    # The extra model's gauges are its own, not the primary's.
    extra = _scaled(zero)["vllm-qwen2-5-0-5b-instruct"]["inputs"]["spec"]["triggers"]
    assert all(f'model_name="{EXTRA}"' in t["metadata"]["query"] for t in extra if t["name"].startswith("vllm-"))


FIREWALL = "gcp:compute/firewall:Firewall"


def test_the_private_control_plane_reaches_kedas_metrics_server_and_webhook(zero, plans):
    [rule] = [f for f in of_type(zero, FIREWALL) if f["name"] == "allow-control-plane"]
    assert rule["inputs"]["sourceRanges"] == ["172.16.0.0/28"]
    assert rule["inputs"]["allows"] == [{"protocol": "tcp", "ports": ["6443", "9443"]}]
    assert rule["inputs"]["targetServiceAccounts"]
    assert not [f for f in of_type(plans["nvidia-l4"], FIREWALL) if f["name"] == "allow-control-plane"]


def test_keda_is_pinned_and_reads_managed_prometheus_as_its_own_workload_identity(zero):
    [release] = [r for r in of_type(zero, RELEASE) if r["inputs"]["chart"] == "keda"]
    assert release["inputs"]["version"] == KEDA.version and release["inputs"]["version"][0].isdigit()
    assert release["inputs"]["repositoryOpts"]["repo"] == KEDA.repository
    grants = [m for m in of_type(zero, IAM_MEMBER) if "/sa/keda-operator" in m["inputs"]["member"]]
    assert [g["inputs"]["role"] for g in grants] == ["roles/monitoring.viewer"]
    assert "/subject/ns/keda/sa/keda-operator" in grants[0]["inputs"]["member"]
    assert grants[0]["urn"] in release["dependencies"]
    # The namespace is the program's, so destroy leaves nothing behind.
    [namespace] = [n for n in of_type(zero, "kubernetes:core/v1:Namespace") if n["name"] == "keda-namespace"]
    assert namespace["urn"] in release["dependencies"] and not release["inputs"].get("createNamespace")
    [auth] = of_type(zero, TRIGGER_AUTH)
    assert auth["inputs"]["spec"] == {"podIdentity": {"provider": "gcp"}}
    assert auth["inputs"]["metadata"]["name"] == "managed-prometheus"
    for obj in of_type(zero, SCALED_OBJECT):
        assert {release["urn"], auth["urn"]} <= set(obj["dependencies"])


def test_the_routers_count_requests_for_empty_pools_and_the_chat_waits_for_the_cold_start(zero):
    for picker in endpoint_pickers(zero):
        assert picker.config["featureGates"] == [FLOW_CONTROL_GATE]
    env = _env(zero)
    assert env["COLD_START_SECONDS"] == "600" and env["IDLE_SECONDS"] == "1200"
    # The external load balancer's timeout (3600 s) bounds the cold start and the answer, and the chat ends first.
    total = int(env["REQUEST_TIMEOUT_SECONDS"]) + int(env["COLD_START_SECONDS"])
    assert 3600 - 60 <= total < 3600


ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"


def _alert(doc: dict[str, Any], name: str) -> dict[str, Any]:
    [alert] = [a for a in of_type(doc, ALERT) if a["name"] == name]
    [condition] = alert["inputs"]["conditions"]
    return dict(condition["conditionPrometheusQueryLanguage"])


def test_an_idle_pool_at_zero_is_not_an_outage_but_one_that_never_wakes_is(zero, plans):
    scaled = _alert(zero, "no-ready-pods")
    # Per pool: requests kept arriving (the counter, which every retry raises) and no pod became ready.
    assert "increase(llm_d_epp_flow_control_requests_total{" in scaled["query"]
    assert "max by (name) (llm_d_epp_ready_endpoints{" in scaled["query"] and "on (name)" in scaled["query"]
    assert scaled["duration"] == "600s"
    assert _alert(zero, "no-router")["query"].startswith("absent(llm_d_epp_ready_endpoints{")
    plain = _alert(plans["nvidia-l4"], "no-ready-pods")
    assert "flow_control" not in plain["query"] and plain["duration"] == "300s"
    assert not [a for a in of_type(plans["nvidia-l4"], ALERT) if a["name"] == "no-router"]


def test_without_scale_to_zero_nothing_of_it_is_planned(plans):
    doc = plans["nvidia-l4"]
    assert not of_type(doc, SCALED_OBJECT) and not of_type(doc, TRIGGER_AUTH)
    assert not [r for r in of_type(doc, RELEASE) if r["inputs"]["chart"] == "keda"]
    assert of_type(doc, HPA)
    for picker in endpoint_pickers(doc):
        assert "featureGates" not in picker.config
    assert "COLD_START_SECONDS" not in _env(doc)


def test_the_plan_prices_idle_at_zero_and_states_the_cold_start(zero, plans):
    estimates = run_plan("nvidia-l4", {**load_config_file(stack_file("nvidia-l4")), "llmd:autoscaling": TO_ZERO})
    e = estimates.estimates
    assert e["idleReplicas"] == 0 and e["idleCostPerHourUsd"] == e["parkedCostPerHourUsd"]
    assert e["idleCostPerHourUsd"] < e["costPerHourUsd"]
    assert e["scaleToZero"]["coldStartSeconds"] == 600 and e["scaleToZero"]["coldStartMinutesEstimate"] > 1
    assert "scaleToZero" not in run_plan("nvidia-l4", load_config_file(stack_file("nvidia-l4"))).estimates


@pytest.mark.parametrize(
    ("config", "key", "fix"),
    [
        (
            {
                "llmd:autoscaling": {"minReplicas": 0, "coldStartSeconds": 700},
                "llmd:edge": {"backendTimeoutSeconds": 900},
            },
            "llmd:autoscaling.coldStartSeconds",
            f"use coldStartSeconds <= {900 - MIN_ANSWER_S}, or raise llmd:edge.backendTimeoutSeconds",
        ),
        ({"llmd:autoscaling": {"minReplicas": 0, "idleSeconds": 10}}, "llmd:autoscaling.idleSeconds", ""),
        (
            {"llmd:versionSet": "2026-04", "llmd:autoscaling": {"enabled": True, "minReplicas": 0}},
            "llmd:autoscaling.enabled",
            "v0.9.0",
        ),
    ],
)
def test_scale_to_zero_refusals_name_the_key_and_the_fix(config, key, fix):
    assert_config_refused("nvidia-l4", config, key, fix)


def test_scale_to_zero_is_refused_where_nothing_could_scale(plans):
    existing = {"llmd:accelerator": "nvidia-l4", "llmd:existingCluster": {"context": "lab"}}
    assert_config_refused(
        "existing-cluster", {**existing, "llmd:autoscaling": {"minReplicas": 0}}, "llmd:autoscaling.minReplicas", ""
    )
    assert_config_refused(
        "nvidia-l4",
        {"llmd:versionSet": "2026-04", "llmd:autoscaling": {"minReplicas": 0}},
        "llmd:autoscaling.minReplicas",
        "remove minReplicas",
    )


# ------------------------------------------------------------------------- KEDA's rule, fed by the simulator


def test_keda_wakes_a_pool_on_the_requests_its_router_saw_and_stops_it_after_the_idle_period(zero):
    spec = _scaled(zero)["vllm-qwen3-0-6b"]["inputs"]["spec"]
    rule = ActivationModel.from_spec(spec)
    assert rule.decide(60, {}, 1) == 1, "a new pool keeps its first replica for the initial period"
    assert rule.decide(1201, {}, 1) == 0
    # At zero no vLLM series exists; a request the router counted is what wakes the pool.
    assert rule.decide(1300, {"vllm-queue-size": 0.0, "router-queue": 0.0}, 0) == 0
    assert rule.decide(1315, {"router-requests": 1.0}, 0) == 1
    assert rule.decide(1330, {"router-requests": 0.0, "vllm-running": 1.0}, 1) == 1
    assert rule.decide(1330 + 1200, {}, 1) == 1, "idle, but not yet for idleSeconds"
    assert rule.decide(1331 + 1200, {}, 1) == 0


def test_requests_being_answered_keep_a_pool_up_through_the_rule(zero):
    spec = _scaled(zero)["vllm-qwen3-0-6b"]["inputs"]["spec"]
    rule = ActivationModel.from_spec(spec)
    series = METRICS["batch-size"].series
    config = SimulatorConfig(models=("Qwen/Qwen3-0.6B",), ttft_ms=300, itl_ms=30, output_tokens=40, max_running=4)
    body = {"model": "Qwen/Qwen3-0.6B", "messages": [{"role": "user", "content": "hi"}], "stream": False}
    with running_simulator(config) as url:
        threads = [threading.Thread(target=post, args=(url + "/v1/chat/completions", body, 30)) for _ in range(3)]
        for thread in threads:
            thread.start()
        deadline, running = time.monotonic() + 10, 0.0
        while time.monotonic() < deadline and running < 1:
            running = prometheus_value(get(url + "/metrics")[1].decode(), series) or 0.0
            time.sleep(0.02)
        for thread in threads:
            thread.join(timeout=30)
        after = prometheus_value(get(url + "/metrics")[1].decode(), series)
    assert running >= 1
    # Busy past the idle period since the last polling: the running gauge alone keeps the replica.
    assert rule.decide(2000, {"vllm-running": running}, 1) == 1
    assert rule.decide(2000 + 1200, {"vllm-running": after or 0.0}, 1) == 1
    assert rule.decide(2001 + 1200, {"vllm-running": after or 0.0}, 1) == 0



DASHBOARD = "gcp:monitoring/dashboard:Dashboard"


def test_the_dashboard_shows_what_wakes_a_pool_and_what_waits_in_v0_9_0_names(zero, plans):
    from stacks.metrics import EMITTED_BY_SET, series_names

    emitted = series_names(EMITTED_BY_SET["v0.9.0"])

    def sections(doc: dict[str, Any]) -> list[str]:
        [board] = of_type(doc, DASHBOARD)
        tiles = json.loads(board["inputs"]["dashboardJson"])["mosaicLayout"]["tiles"]
        return [t["widget"]["title"] for t in tiles if "sectionHeader" in t["widget"]]

    assert "Scale to zero" in sections(zero) and "Scale to zero" not in sections(plans["nvidia-l4"])
    [board] = of_type(zero, DASHBOARD)
    types = pytest.importorskip("google.cloud.monitoring_dashboard_v1.types")
    types.Dashboard.from_json(board["inputs"]["dashboardJson"])  # unknown or mistyped fields raise
    queried = re.findall(r"llm_d_epp_flow_control_[a-z_]+", board["inputs"]["dashboardJson"])
    assert queried and set(queried) <= emitted
    # Both scale-to-zero series and the alert's are ones the router emits.
    for obj in of_type(zero, SCALED_OBJECT):
        for trigger in obj["inputs"]["spec"]["triggers"]:
            for name in re.findall(r"llm_d_epp_[a-z_]+", trigger["metadata"]["query"]):
                assert name in emitted, name
