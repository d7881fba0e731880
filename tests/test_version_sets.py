"""Version sets (stacks/versions.py): the choice by llmd:versionSet, and what each set plans."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import load_settings
from plan.runner import load_config_file, run_plan, stack_file
from stacks.versions import DEFAULT_VERSION_SET, PINNED, VERSION_SETS
from tests.planview import GKE_STACKS, STACKS
from tests.refusal import BASE, assert_config_refused
from tests.test_serving import serving_only


def test_the_default_set_is_v0_9_0_and_2026_04_stays_a_choice():
    assert DEFAULT_VERSION_SET == "v0.9.0" != PINNED.name
    assert set(VERSION_SETS) == {"2026-04", "v0.9.0"}


def test_an_unknown_version_set_is_refused_with_the_sets_as_fix():
    message = assert_config_refused("nvidia-l4", {"llmd:versionSet": "v0.8.0"}, "llmd:versionSet", "v0.9.0")
    assert all(name in message for name in VERSION_SETS)


def test_the_key_resolves_to_the_set_and_its_default_profile():
    default = load_settings(dict(BASE), "nvidia-l4")
    assert (default.serving.version_set, default.serving.scheduler_profile) == ("v0.9.0", "optimized-baseline")
    chosen = load_settings({**BASE, "llmd:versionSet": "2026-04"}, "nvidia-l4")
    assert (chosen.serving.version_set, chosen.serving.scheduler_profile) == ("2026-04", "default")


def test_optimized_baseline_is_refused_on_the_2026_04_set():
    assert_config_refused(
        "nvidia-l4",
        {"llmd:versionSet": "2026-04", "llmd:scheduler": {"profile": "optimized-baseline"}},
        "llmd:scheduler.profile",
        "v0.9.0",
    )


# ------------------------------------------------------------------------------ v0.9.0 plans, every stack

V09 = VERSION_SETS["v0.9.0"]
assert V09.router_chart is not None
ROUTER_CHART = V09.router_chart.name
RELEASE = "kubernetes:helm.sh/v3:Release"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
OBJECTIVE = "kubernetes:llm-d.ai/v1alpha2:InferenceObjective"
HEALTH = "kubernetes:networking.gke.io/v1:HealthCheckPolicy"
BACKEND = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
POD_MONITORING = "kubernetes:monitoring.googleapis.com/v1:PodMonitoring"


@pytest.fixture(scope="module")
def v09_plans(plans) -> dict[str, dict[str, Any]]:
    # v0.9.0 is the default set and no stack file names another: the session's plans are the v0.9.0 plans.
    assert all("llmd:versionSet" not in load_config_file(stack_file(stack)) for stack in STACKS)
    return plans


def serving(doc: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return [r for r in serving_only(doc)["resources"] if r["type"] == type_token]


def pools(stack: str) -> list[str]:
    """The InferencePool (router release) names of a stack's model pools under v0.9.0."""
    return [f"router-{slug}" for slug in slugs(stack)]


def slugs(stack: str) -> list[str]:
    from components.serving.inputs import served_models

    config = {**BASE, **load_config_file(stack_file(stack))}
    if "llmd:existingCluster" in config:  # the stack file's context placeholder, as the plan's stand-in replaces it
        config["llmd:existingCluster"] = {**config["llmd:existingCluster"], "context": "a-context"}
    raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    return [m.slug for m in served_models(load_settings(raw, stack))]


@pytest.mark.parametrize("stack", STACKS)
def test_v09_router_release_at_the_pinned_chart_per_pool(v09_plans, stack):
    doc = v09_plans[stack]
    releases = serving(doc, RELEASE)
    routers = [r["inputs"] for r in releases if r["inputs"]["chart"] == ROUTER_CHART]
    assert sorted(r["name"] for r in routers) == sorted(pools(stack))
    provider = "istio" if stack == "existing-cluster" else "none"
    for r in routers:
        assert r["version"] == "v0.10.0"
        values = r["values"]
        assert values["provider"]["name"] == provider
        epp = values["router"]["epp"]
        assert (epp["image"]["registry"], epp["image"]["repository"], epp["image"]["tag"]) == (
            "ghcr.io/llm-d",
            "llm-d-router-endpoint-picker",
            "v0.10.0",
        )
        assert {"cpu", "memory"} <= set(epp["resources"]["requests"])
        config = json.loads(epp["pluginsCustomConfig"][epp["pluginsConfigFile"]])
        assert (config["apiVersion"], config["kind"]) == ("llm-d.ai/v1alpha1", "EndpointPickerConfig")
        declared = {p["type"] for p in config["plugins"]}
        assert {"approx-prefix-cache-producer", "inflight-load-producer", "prefix-cache-affinity-filter"} <= declared
        refs = {p["pluginRef"] for p in config["schedulingProfiles"][0]["plugins"]}
        assert "approx-prefix-cache-producer" not in refs and "token-load-scorer" in refs
        assert values["router"]["modelServers"]["targetPorts"] == [{"number": 8000}]
        assert values["httpRoute"] == {"create": False}
    # No Helm release is left for the model servers or the old inferencepool chart.
    charts = {r["inputs"]["chart"] for r in releases}
    assert PINNED.modelservice_chart.name not in charts and PINNED.inferencepool_chart.name not in charts


@pytest.mark.parametrize("stack", STACKS)
def test_v09_model_servers_are_typed_deployments_per_the_recipe(v09_plans, stack):
    doc = v09_plans[stack]
    deployments = [r["inputs"] for r in serving(doc, DEPLOYMENT)]
    assert len(deployments) == len(pools(stack))
    router_selectors = [
        r["inputs"]["values"]["router"]["modelServers"]["matchLabels"]
        for r in serving(doc, RELEASE)
        if r["inputs"]["chart"] == ROUTER_CHART
    ]
    accounts = {r["inputs"]["metadata"]["name"] for r in serving(doc, "kubernetes:core/v1:ServiceAccount")}
    for d in deployments:
        template = d["spec"]["template"]
        labels, spec = template["metadata"]["labels"], template["spec"]
        assert labels["llm-d.ai/role"] == "decode"
        assert any(sel.items() <= labels.items() for sel in router_selectors)
        assert spec["serviceAccountName"] in accounts
        assert spec["terminationGracePeriodSeconds"] > 30
        [c] = spec["containers"]
        assert c["name"] == "modelserver"
        assert c["ports"] == [{"name": "modelserver", "containerPort": 8000, "protocol": "TCP"}]
        assert c["livenessProbe"]["httpGet"]["path"] == "/health"
        assert c["readinessProbe"]["httpGet"]["path"] == c["startupProbe"]["httpGet"]["path"] == "/v1/models"
        assert "preStop" in c["lifecycle"]
        assert c["image"] in (V09.vllm_cuda_image.ref, V09.vllm_cpu_image.ref)
        assert {"name": "shm", "mountPath": "/dev/shm"} in c["volumeMounts"]


@pytest.mark.parametrize("stack", STACKS)
def test_v09_inference_objective_per_pool(v09_plans, stack):
    objectives = [r["inputs"] for r in serving(v09_plans[stack], OBJECTIVE)]
    assert sorted(o["spec"]["poolRef"]["name"] for o in objectives) == sorted(pools(stack))
    assert all(o["apiVersion"] == "llm-d.ai/v1alpha2" for o in objectives)


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_v09_one_health_check_and_one_backend_policy_per_pool(v09_plans, stack):
    doc = v09_plans[stack]
    for type_token in (HEALTH, BACKEND):
        targets = [r["inputs"]["spec"]["targetRef"] for r in serving(doc, type_token)]
        assert sorted(t["name"] for t in targets) == sorted(pools(stack))
        assert all(t["kind"] == "InferencePool" and t["group"] == "inference.networking.k8s.io" for t in targets)
    for r in serving(doc, HEALTH):
        assert r["inputs"]["spec"]["default"]["config"]["httpHealthCheck"]["portSpecification"] == "USE_FIXED_PORT"
    assert {r["inputs"]["spec"]["default"]["timeoutSec"] for r in serving(doc, BACKEND)} == {3600}


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_v09_pod_monitorings_match_the_served_pods(v09_plans, stack):
    doc = v09_plans[stack]
    monitorings = [r["inputs"] for r in serving(doc, POD_MONITORING)]
    selectors = [m["spec"]["selector"]["matchLabels"] for m in monitorings]
    for pool in pools(stack):
        assert {"llm-d-router-gateway": f"{pool[:40]}-epp"} in selectors
    epps = [m for m in monitorings if "llm-d-router-gateway" in m["spec"]["selector"]["matchLabels"]]
    assert all(m["spec"]["endpoints"][0]["port"] == "metrics" for m in epps)
    pod_labels = [r["inputs"]["spec"]["template"]["metadata"]["labels"] for r in serving(doc, DEPLOYMENT)]
    vllm = [m for m in monitorings if m not in epps]
    assert len(vllm) == len(pod_labels)
    assert all(
        any(m["spec"]["selector"]["matchLabels"].items() <= labels.items() for labels in pod_labels) for m in vllm
    )
    assert all(m["spec"]["endpoints"][0]["port"] == 8000 for m in vllm)


def test_v09_existing_cluster_installs_the_router_crds_and_uses_istio(v09_plans):
    config = {**load_config_file(stack_file("existing-cluster")), "llmd:versionSet": "v0.9.0"}
    section = dict(config.get("llmd:existingCluster") or {})
    doc = run_plan("existing-cluster", {**config, "llmd:existingCluster": {**section, "installCrds": True}}).document()
    files = {r["inputs"].get("file") for r in doc["resources"] if r["type"] == "kubernetes:yaml/v2:ConfigFile"}
    assert V09.router_crds is not None and V09.router_crds.url in files
    assert V09.inference_crds.url in files and V09.gateway_api_crds.url in files
    assert not serving(v09_plans["existing-cluster"], POD_MONITORING)


@pytest.mark.parametrize("stack", STACKS)
def test_v09_no_rolling_tag_anywhere(v09_plans, stack):
    text = json.dumps(v09_plans[stack])
    assert ":latest" not in text
    for r in serving(v09_plans[stack], RELEASE):
        assert r["inputs"]["version"] not in ("v0", "latest", "") and "dev" not in r["inputs"]["chart"]


def test_switching_nvidia_l4_to_v09_replaces_the_releases_with_typed_objects():
    from plan.diff import CREATE, DELETE, diff_configs

    default = load_config_file(stack_file("nvidia-l4"))
    base = {**default, "llmd:versionSet": "2026-04"}
    result = diff_configs("nvidia-l4", base, default)
    deleted = {(c.type, c.name) for c in result.of(DELETE)}
    created = {(c.type, c.name) for c in result.of(CREATE)}
    [slug] = slugs("nvidia-l4")
    assert (RELEASE, f"model-{slug}-modelservice") in deleted
    assert (RELEASE, f"pool-{slug}-inferencepool") in deleted
    assert (RELEASE, f"pool-{slug}-router") in created
    assert (DEPLOYMENT, f"model-{slug}-deployment") in created
    assert (OBJECTIVE, f"pool-{slug}-objective") in created
    # The model pods' ServiceAccount (bound for the HF token) is kept, not recreated under the same name; the
    # weights copy Job's account is new with v0.9.0 (weights from Cloud Storage).
    accounts = {c for c in created | deleted if c[0] == "kubernetes:core/v1:ServiceAccount"}
    assert accounts == {("kubernetes:core/v1:ServiceAccount", "weights-download")}
    # Helm refuses a release name in use, and the new one is created before the old ones go: named apart.
    old = {r["inputs"]["name"] for r in serving(run_plan("nvidia-l4", base).document(), RELEASE)}
    new = {r["inputs"]["name"] for r in serving(run_plan("nvidia-l4", default).document(), RELEASE)}
    assert not old & new


def test_v09_an_extra_model_pool_gets_its_own_router_servers_objective_and_policies():
    stack = "nvidia-a100-80gb"
    config = {
        **load_config_file(stack_file(stack)),
        "llmd:versionSet": "v0.9.0",
        "llmd:model": {"replicas": 1},
        "llmd:gpuPool": {"machineType": "a2-ultragpu-2g", "maxNodes": 3},
        "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}],
    }
    doc = run_plan(stack, config).document()
    routers = [r for r in serving(doc, RELEASE) if r["inputs"]["chart"] == ROUTER_CHART]
    assert len(routers) == 2
    for type_token in (DEPLOYMENT, OBJECTIVE, HEALTH, BACKEND):
        assert len(serving(doc, type_token)) == 2, type_token
    names = {r["inputs"]["name"] for r in routers}
    assert {r["inputs"]["spec"]["targetRef"]["name"] for r in serving(doc, BACKEND)} == names
    assert {r["inputs"]["spec"]["poolRef"]["name"] for r in serving(doc, OBJECTIVE)} == names


# ------------------------------------------------------------------------------ metric names per set


@pytest.mark.parametrize("name", list(VERSION_SETS))
def test_every_queried_series_is_one_the_sets_components_emit(name):
    from config.edge import AlertSettings
    from stacks import dashboard as board
    from stacks.alerts import rendered
    from stacks.metrics import COUNTER, EMITTED_BY_SET, series_names
    from tests.test_edge_dashboard import _selected_series, queries

    family = VERSION_SETS[name].metrics
    document = board.dashboard("llm-d", "c", "ns", None, board.SECTIONS_BY_SET[family])
    alerts = [q for _, q in rendered(AlertSettings(True, (), 1.5, 2.0, 8.0), "c", "ns", family)]
    exposed = series_names(EMITTED_BY_SET[family])
    counters = {m.name for m in EMITTED_BY_SET[family] if m.kind == COUNTER}
    selected: set[str] = set()
    for query in queries(document) + alerts:
        series = _selected_series(query)
        selected |= set(series)
        unknown = [s for s in series if s not in exposed]
        assert not unknown, f"{query} selects series {name}'s components do not expose: {unknown}"
        for counter in set(series) & counters:
            assert f"rate({counter}{{" in query or f"increase({counter}{{" in query, query
    epp = {s for s in selected if not s.startswith(("vllm:", "kubernetes_io:"))}
    assert epp and all(s.startswith("llm_d_epp_") for s in epp) == (family == "v0.9.0")


def test_the_v09_plan_dashboard_and_alerts_query_llm_d_epp_names(v09_plans):
    doc = v09_plans["nvidia-l4"]
    text = json.dumps([r["inputs"] for r in doc["resources"] if r["type"].startswith("gcp:monitoring/")])
    assert "llm_d_epp_request_total" in text and "inference_objective_request_total" not in text


@pytest.mark.parametrize("name", sorted(VERSION_SETS))
def test_the_cluster_floor_covers_every_sets_minimum_gke_version(name):
    from stacks.versions import GKE_FLOOR, gke_version_key

    # The cluster's version floor (cluster.minMasterVersion is refused below it) must not admit a control plane
    # older than a set needs; a set that needs a newer GKE raises the floor with it.
    floor, minimum = gke_version_key(GKE_FLOOR.exact), gke_version_key(VERSION_SETS[name].min_gke_version)
    assert floor is not None and minimum is not None and floor >= minimum
