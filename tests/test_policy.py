"""The guardrail rules: each reports a violating resource, and every shipped stack passes them all."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from policy import rules
from policy.rules import RESOURCE_RULES, STACK_RULES, Resource
from tests.planview import CLUSTER, NODE_POOL, STACKS, one


def resources_of(doc: dict[str, Any]) -> list[Resource]:
    return [Resource(r["type"], r["name"], r["inputs"]) for r in doc["resources"]]


@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_passes_every_rule(plans, stack):
    doc = plans[stack]
    found = [f"{r.type} {r.name}: {m}" for r in resources_of(doc) for rule in RESOURCE_RULES for m in rule(r)]
    found += [m for rule in STACK_RULES for m in rule(resources_of(doc))]
    found += rules.outputs_have_no_plaintext_secrets(doc["outputs"])
    assert found == []


def mutated(doc: dict[str, Any], type_: str, name: str | None, change) -> Resource:
    resource = copy.deepcopy(one(doc, type_, name))
    change(resource["inputs"])
    return Resource(resource["type"], resource["name"], resource["inputs"])


def set_path(*path: str, value: Any):
    def change(props: dict[str, Any]) -> None:
        target = props
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value

    return change


VIOLATIONS = [
    (rules.gke_private_nodes, CLUSTER, None, set_path("privateClusterConfig", "enablePrivateNodes", value=False)),
    (rules.gke_workload_identity, CLUSTER, None, lambda p: p.pop("workloadIdentityConfig")),
    (rules.gke_shielded_nodes, CLUSTER, None, set_path("enableShieldedNodes", value=False)),
    (
        rules.gke_shielded_nodes,
        NODE_POOL,
        "inference-pool",
        set_path("nodeConfig", "shieldedInstanceConfig", "enableSecureBoot", value=False),
    ),
    (rules.gke_no_legacy_abac, CLUSTER, None, set_path("enableLegacyAbac", value=True)),
    (
        rules.gke_no_client_certificate,
        CLUSTER,
        None,
        set_path("masterAuth", "clientCertificateConfig", "issueClientCertificate", value=True),
    ),
    (
        rules.gke_control_plane_not_open,
        CLUSTER,
        None,
        set_path("masterAuthorizedNetworksConfig", "cidrBlocks", value=[{"cidrBlock": "0.0.0.0/0"}]),
    ),
    (
        rules.gke_node_service_account,
        NODE_POOL,
        "system-pool",
        set_path("nodeConfig", "serviceAccount", value="123456789-compute@developer.gserviceaccount.com"),
    ),
    (
        rules.gke_node_service_account,
        NODE_POOL,
        "system-pool",
        set_path("nodeConfig", "workloadMetadataConfig", "mode", value="GCE_METADATA"),
    ),
    (rules.gke_release_channel, CLUSTER, None, set_path("releaseChannel", "channel", value="UNSPECIFIED")),
    (
        rules.gke_node_auto_repair_and_upgrade,
        NODE_POOL,
        "inference-pool",
        set_path("management", "autoUpgrade", value=False),
    ),
    (
        rules.gke_node_auto_repair_and_upgrade,
        NODE_POOL,
        "inference-pool",
        set_path("management", "autoRepair", value=False),
    ),
    (rules.gcp_resources_labelled, CLUSTER, None, set_path("resourceLabels", value={})),
    (rules.gcp_resources_labelled, NODE_POOL, "system-pool", set_path("nodeConfig", "resourceLabels", value=None)),
]


@pytest.mark.parametrize(
    ("rule", "type_", "name", "change"), VIOLATIONS, ids=[f"{v[0].__name__}-{i}" for i, v in enumerate(VIOLATIONS)]
)
def test_rule_reports_a_violating_resource(plans, rule, type_, name, change):
    doc = plans["nvidia-l4"]
    clean = Resource(type_, one(doc, type_, name)["name"], one(doc, type_, name)["inputs"])
    assert rule(clean) == []
    assert rule(mutated(doc, type_, name, change)) != []


def test_flex_start_pools_may_skip_auto_repair():
    pool = Resource(
        NODE_POOL, "p", {"management": {"autoRepair": False, "autoUpgrade": True}, "nodeConfig": {"flexStart": True}}
    )
    assert rules.gke_node_auto_repair_and_upgrade(pool) == []


def k8s(kind: str, name: str, spec: dict[str, Any], api: str = "gateway.networking.k8s.io/v1") -> Resource:
    return Resource(f"kubernetes:{api}:{kind}", name, {"metadata": {"name": name}, "spec": spec})


def test_plaintext_secrets_are_reported():
    env = Resource(
        "kubernetes:apps/v1:Deployment",
        "d",
        {
            "spec": {
                "template": {
                    "spec": {
                        "containers": [{"env": [{"name": "HF_TOKEN", "value": "abc"}, {"name": "MODEL", "value": "x"}]}]
                    }
                }
            }
        },
    )
    assert rules.no_plaintext_secrets(env) == ["env var HF_TOKEN holds a literal value: use valueFrom a Secret"]
    values = Resource("kubernetes:helm.sh/v3:Release", "r", {"values": {"token": "hf_" + "a" * 30}})
    assert rules.no_plaintext_secrets(values)
    secret = Resource("kubernetes:core/v1:Secret", "s", {"stringData": {"HF_TOKEN": "plain"}})
    assert rules.no_plaintext_secrets(secret)
    sealed = Resource("kubernetes:core/v1:Secret", "s", {"stringData": {"HF_TOKEN": "[secret]"}})
    assert rules.no_plaintext_secrets(sealed) == []
    assert rules.outputs_have_no_plaintext_secrets({"token": "hf_" + "b" * 30})


def test_public_route_without_iap_is_reported():
    gateway = k8s("Gateway", "external", {"gatewayClassName": "gke-l7-global-external-managed"})
    route = k8s(
        "HTTPRoute",
        "chat",
        {"parentRefs": [{"name": "external"}], "rules": [{"backendRefs": [{"name": "frontend", "port": 8080}]}]},
    )
    policy = k8s(
        "GCPBackendPolicy",
        "iap",
        {"targetRef": {"kind": "Service", "name": "frontend"}, "default": {"iap": {"enabled": True}}},
        api="networking.gke.io/v1",
    )
    assert rules.public_routes_have_iap([gateway, route, policy]) == []
    assert rules.public_routes_have_iap([gateway, route]) == [
        "route chat exposes Service frontend publicly without IAP"
    ]


def test_model_route_on_an_external_gateway_is_reported():
    internal = k8s("Gateway", "internal", {"gatewayClassName": "gke-l7-rilb"})
    external = k8s("Gateway", "external", {"gatewayClassName": "gke-l7-global-external-managed"})
    pool_ref = {"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": "pool"}
    good = k8s("HTTPRoute", "model", {"parentRefs": [{"name": "internal"}], "rules": [{"backendRefs": [pool_ref]}]})
    bad = k8s("HTTPRoute", "model", {"parentRefs": [{"name": "external"}], "rules": [{"backendRefs": [pool_ref]}]})
    assert rules.internal_gateway_is_internal([internal, external, good]) == []
    assert rules.internal_gateway_is_internal([internal, external, bad])
    assert rules.public_routes_have_iap([external, bad])
