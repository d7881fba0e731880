"""The llm-d serving layer of every stack, asserted on the inputs the engine would receive."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

from config import load_settings
from config.settings import Settings
from plan.runner import PLACEHOLDER_CONTEXT, _flatten, load_config_file, offline_stand_ins, stack_file
from stacks.serving import MIN_BACKEND_TIMEOUT_S
from stacks.versions import PINNED
from tests import planview
from tests.conftest import SET_2026_04
from tests.planview import CLUSTER, GKE_STACKS, K8S_PROVIDER, NODE_POOL, STACKS, SUBNET

RELEASE = "kubernetes:helm.sh/v3:Release"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
HEALTH_CHECK = "kubernetes:networking.gke.io/v1:HealthCheckPolicy"
POD_MONITORING = "kubernetes:monitoring.googleapis.com/v1:PodMonitoring"
ADDRESS = "gcp:compute/address:Address"
EFFECTS = {"NO_SCHEDULE": "NoSchedule"}


def serving_only(doc: dict[str, Any]) -> dict[str, Any]:
    """The serving layer's resources (other layers have Gateways and routes of their own)."""
    parent = {r["urn"]: r["parent"] for r in doc["resources"]}
    [root] = [r["urn"] for r in doc["resources"] if r["type"] == "llmd:serving:LlmdServing"]

    def under_root(urn: str) -> bool:
        while urn in parent:
            if urn == root:
                return True
            urn = parent[urn]
        return False

    return {**doc, "resources": [r for r in doc["resources"] if under_root(r["urn"])]}


def of_type(doc: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return planview.of_type(serving_only(doc), type_token)


def one(doc: dict[str, Any], type_token: str, name: str | None = None) -> dict[str, Any]:
    return planview.one(serving_only(doc), type_token, name)


def settings_of(stack: str) -> Settings:
    """The stack's settings on the 2026-04 set, which the Helm-release tests below read."""
    flat, _ = _flatten(offline_stand_ins({**load_config_file(stack_file(stack)), **SET_2026_04}, []))
    return load_settings({"gcp:project": "example-project", **flat}, stack)


def release(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return one(doc, RELEASE, name)["inputs"]


def vllm_container(values: dict[str, Any]) -> dict[str, Any]:
    [container] = values["decode"]["containers"]
    return container


def vllm_command(container: dict[str, Any]) -> list[str]:
    """The `vllm serve ...` words of the container's start script."""
    [script] = container["args"]
    [line] = [line for line in script.splitlines() if line.startswith("exec vllm serve ")]
    return shlex.split(line)[2:]


def flag(words: list[str], name: str) -> str:
    return words[words.index(name) + 1]


# ------------------------------------------------------------------------------------------------ charts


@pytest.mark.parametrize("stack", STACKS)
def test_charts_are_the_pinned_set(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    by_chart = {r["inputs"]["chart"]: r["inputs"] for r in of_type(doc, RELEASE)}
    expected = [PINNED.modelservice_chart, PINNED.inferencepool_chart]
    if stack == "existing-cluster":
        expected.append(PINNED.infra_chart)  # the Istio gateway
    assert set(by_chart) == {c.chart for c in expected}
    for chart in expected:
        inputs = by_chart[chart.chart]
        assert inputs["version"] == chart.version
        assert inputs.get("repositoryOpts", {}).get("repo") == chart.repository
    epp = release(doc, "inferencepool")["values"]["inferenceExtension"]["image"]
    assert (epp["hub"], epp["name"], epp["tag"]) == (PINNED.epp_image.hub, PINNED.epp_image.name, PINNED.epp_image.tag)


@pytest.mark.parametrize("stack", STACKS)
def test_model_server_values_follow_the_stack_config(plans_2026_04, stack):
    s = settings_of(stack)
    values = release(plans_2026_04[stack], "modelservice")["values"]
    container = vllm_container(values)
    words = vllm_command(container)
    assert values["modelArtifacts"]["uri"] == f"hf://{s.model.name}"
    assert values["modelArtifacts"]["name"] == s.model.name
    assert values["decode"]["replicas"] == s.model.replicas
    assert values["prefill"] == {"create": False}
    assert values["routing"] == {"servicePort": 8000, "proxy": {"enabled": False}}
    assert container["modelCommand"] == "custom" and container["mountModelVolume"] is True
    assert words[:2] == ["serve", s.model.name]
    assert flag(words, "--served-model-name") == s.model.name
    assert flag(words, "--port") == "8000"
    assert flag(words, "--max-model-len") == str(s.model.max_model_len)
    assert "--enable-prefix-caching" in words
    resources = container["resources"]
    assert resources["requests"]["cpu"] and resources["requests"]["memory"] == resources["limits"]["memory"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["port"] == 8000
    if s.accelerator.is_gpu:
        tp = s.model.tensor_parallel_size
        assert container["image"] == PINNED.vllm_cuda_image.ref
        assert values["accelerator"] == {"type": "nvidia"}
        assert values["decode"]["parallelism"] == {"tensor": tp}
        assert flag(words, "--tensor-parallel-size") == str(tp)
        assert flag(words, "--gpu-memory-utilization") == str(s.model.gpu_memory_utilization)
        assert resources["requests"]["nvidia.com/gpu"] == resources["limits"]["nvidia.com/gpu"] == str(tp)
    else:
        assert container["image"] == PINNED.vllm_cpu_image.ref
        assert values["accelerator"] == {"type": "cpu"}
        assert "nvidia.com/gpu" not in json.dumps(resources)
        assert "--gpu-memory-utilization" not in words


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_model_pods_land_on_the_inference_pool(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    values = release(doc, "modelservice")["values"]
    node = planview.one(doc, NODE_POOL, "inference-pool")["inputs"]["nodeConfig"]
    # Every taint of the pool is tolerated; the selector picks the pool's nodes.
    tolerated = {(t["key"], t["value"], t["effect"]) for t in values["decode"]["tolerations"]}
    assert {(t["key"], t["value"], EFFECTS[t["effect"]]) for t in node["taints"]} <= tolerated
    assert values["decode"]["nodeSelector"].items() <= node["labels"].items()
    script = vllm_container(values)["args"][0]
    if node["guestAccelerators"]:
        # GKE mounts the NVIDIA libraries under /usr/local/nvidia; llm-d-cuda images need them on the path.
        assert "/usr/local/nvidia" in script and "LD_LIBRARY_PATH" in script
    else:
        assert "LD_LIBRARY_PATH" not in script


@pytest.mark.parametrize("stack", STACKS)
def test_pool_selects_exactly_the_model_pods(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    ms = release(doc, "modelservice")["values"]
    pool = release(doc, "inferencepool")["values"]["inferencePool"]
    labels = ms["modelArtifacts"]["labels"]
    assert pool["modelServers"]["matchLabels"] == labels
    assert labels["llm-d.ai/inference-serving"] == "true" and labels["llm-d.ai/model"]
    assert pool["targetPorts"] == [{"number": 8000}] and pool["targetPortNumber"] == 8000
    assert pool["apiVersion"] == "inference.networking.k8s.io/v1"
    assert vllm_container(ms)["ports"][0]["containerPort"] == 8000


@pytest.mark.parametrize("stack", STACKS)
def test_endpoint_picker_runs_the_stacks_scheduler_profile(plans_2026_04, stack):
    s = settings_of(stack)
    extension = release(plans_2026_04[stack], "inferencepool")["values"]["inferenceExtension"]
    name = extension["pluginsConfigFile"]
    config = json.loads(extension["pluginsCustomConfig"][name])  # JSON is YAML
    assert config["kind"] == "EndpointPickerConfig"
    [profile] = config["schedulingProfiles"]
    weights = {r["pluginRef"]: r["weight"] for r in profile["plugins"] if "weight" in r}
    assert weights == {p.name or p.type: p.weight for p in s.serving.plugins if p.weight is not None}
    assert s.serving.scheduler_profile == "default"
    assert weights == {"prefix-cache-scorer": 3, "kv-cache-utilization-scorer": 2, "queue-scorer": 2}


# ----------------------------------------------------------------------------------------------- gateway


@pytest.mark.parametrize("stack", STACKS)
def test_route_targets_the_inference_pool(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    pool_name = release(doc, "inferencepool")["name"]
    route = one(doc, ROUTE)["inputs"]["spec"]
    [parent] = route["parentRefs"]
    assert parent["kind"] == "Gateway"
    [rule] = route["rules"]
    assert rule["backendRefs"] == [{"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": pool_name}]
    assert "54321" not in json.dumps(route)
    if stack == "existing-cluster":
        assert parent["name"] == release(doc, "llm-d-infra")["values"]["gateway"]["fullnameOverride"]
        assert int(rule["timeouts"]["request"].rstrip("s")) >= MIN_BACKEND_TIMEOUT_S
    else:
        assert parent["name"] == one(doc, GATEWAY)["inputs"]["metadata"]["name"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_internal_gateway_on_a_reserved_address_of_the_node_subnet(plans, stack):
    doc = plans[stack]
    address = one(doc, ADDRESS)
    subnet = planview.one(doc, SUBNET, "nodes")
    gateway = one(doc, GATEWAY)["inputs"]["spec"]
    assert address["inputs"]["addressType"] == "INTERNAL"
    assert address["inputs"]["purpose"] == "SHARED_LOADBALANCER_VIP"
    assert address["inputs"]["region"] == subnet["inputs"]["region"]
    assert subnet["urn"] in address["dependencies"]  # subnetwork = the node subnet's id
    assert address["inputs"]["name"] == f"llmd-{stack}-gateway-ip"
    assert gateway["gatewayClassName"] == "gke-l7-rilb"
    assert gateway["addresses"] == [{"type": "NamedAddress", "value": address["inputs"]["name"]}]
    assert address["urn"] in one(doc, GATEWAY)["dependencies"]  # the Gateway goes before its address
    assert plans[stack]["outputs"]["internalGatewayAddress"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_one_long_backend_policy_and_a_health_check_per_pool(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    pool_name = release(doc, "inferencepool")["name"]
    # The chart renders its own 300 s GCPBackendPolicy only with provider gke; GKE attaches one per target.
    assert release(doc, "inferencepool")["values"]["provider"] == {"name": "none"}
    target = {"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": pool_name}
    [policy] = [p["inputs"]["spec"] for p in of_type(doc, BACKEND_POLICY)]
    assert policy["targetRef"] == target
    assert policy["default"]["timeoutSec"] >= MIN_BACKEND_TIMEOUT_S
    [health] = [p["inputs"]["spec"] for p in of_type(doc, HEALTH_CHECK)]
    assert health["targetRef"] == target
    assert health["default"]["config"]["httpHealthCheck"] == {
        "requestPath": "/health",
        "portSpecification": "USE_FIXED_PORT",
        "port": 8000,
    }


# ----------------------------------------------------------------------------------------------- metrics


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_managed_prometheus_scrapes_vllm_and_the_endpoint_picker(plans_2026_04, stack):
    doc = plans_2026_04[stack]
    ms = release(doc, "modelservice")["values"]
    pool = release(doc, "inferencepool")
    monitorings = {m["inputs"]["metadata"]["name"]: m["inputs"]["spec"] for m in of_type(doc, POD_MONITORING)}
    vllm = next(spec for name, spec in monitorings.items() if name.startswith("vllm-"))
    assert vllm["selector"]["matchLabels"] == ms["modelArtifacts"]["labels"]
    assert vllm["endpoints"] == [{"port": 8000, "path": "/metrics", "interval": "15s"}]
    epp = monitorings[f"{pool['name']}-epp"]
    assert epp["selector"]["matchLabels"] == {"inferencepool": f"{pool['name']}-epp"}
    assert epp["endpoints"][0]["port"] == "metrics"
    # The charts' Prometheus-Operator objects would fail on GKE (no such CRDs).
    assert ms["decode"]["monitoring"]["podmonitor"]["enabled"] is False
    assert pool["values"]["inferenceExtension"]["monitoring"]["prometheus"]["enabled"] is False


def test_existing_cluster_has_no_gcp_resource_and_no_gmp(plans_2026_04):
    doc = plans_2026_04["existing-cluster"]
    assert [r["type"] for r in doc["resources"] if r["type"].startswith("gcp:")] == []
    assert of_type(doc, POD_MONITORING) == []
    provider = planview.one(doc, K8S_PROVIDER)
    assert provider["name"] == "existing-cluster" and provider["inputs"]["context"] == PLACEHOLDER_CONTEXT
    infra = release(doc, "llm-d-infra")["values"]["gateway"]
    assert (infra["provider"], infra["gatewayClassName"]) == ("istio", "istio")
    assert release(doc, "inferencepool")["values"]["provider"] == {"name": "istio"}
    tolerations = release(doc, "modelservice")["values"]["decode"]["tolerations"]
    assert tolerations == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]


# -------------------------------------------------------------------------------------- provider, teardown


@pytest.mark.parametrize("stack", STACKS)
def test_every_kubernetes_object_uses_the_clusters_provider(plans, stack):
    doc = plans[stack]
    provider = planview.one(doc, K8S_PROVIDER)
    k8s_objects = [r for r in doc["resources"] if r["type"].startswith("kubernetes:")]
    assert len(k8s_objects) >= 5
    for r in k8s_objects:
        assert r["provider"].startswith(provider["urn"] + "::"), (r["type"], r["name"], r["provider"])
    if stack != "existing-cluster":
        assert planview.one(doc, CLUSTER)["urn"] in provider["dependencies"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_load_balancer_objects_go_before_the_node_pools_and_cluster(plans, stack):
    """Destroy runs the dependency graph backwards: whatever depends on the node pools and the provider
    (and so on the cluster) is deleted first, so GKE's controllers remove their load balancers and NEGs
    while the cluster still runs."""
    doc = plans[stack]
    pools = {r["urn"] for r in planview.of_type(doc, NODE_POOL)}
    assert len(pools) == 2
    for token in (GATEWAY, ROUTE, BACKEND_POLICY, HEALTH_CHECK, RELEASE):
        for r in of_type(doc, token):
            assert pools <= set(r["dependencies"]), (token, r["name"])
