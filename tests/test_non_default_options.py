"""Every config option planned at a value other than its default, asserted where it must land.

The shipped stacks plan almost every option at its default, so an option the program ignores (or wires to the
wrong input) passes every other test. Each case here sets one option (or a few that only work together) over a
shipped stack file and asserts the resource input it must reach. Two guards keep the table honest:
- each check must fail on the stack's own plan, so it tells the option from its default;
- every key the config model declares is covered by some case, so a new key cannot be added untested.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel

from plan.runner import PlanError, load_config_file, run_plan, stack_file
from tests.plangraph import (
    BACKEND_POLICY,
    DEPLOYMENT,
    K8S_SECRET,
    PROJECT,
    ROUTE,
    SPC,
    ModelServer,
    endpoint_pickers,
    model_releases,
    model_servers,
    name_of,
    namespace_of,
    of_type,
    pool_releases,
    releases,
)

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
FIREWALL = "gcp:compute/firewall:Firewall"
ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"
ENDPOINTS = "gcp:endpoints/service:Service"
RANDOM_ID = "random:index/randomId:RandomId"
WEB_IAM = "gcp:iap/webIamMember:WebIamMember"
SA_IAM = "gcp:serviceaccount/iAMMember:IAMMember"
BUILD = "command:local:Command"
K8S_PROVIDER = "pulumi:providers:kubernetes"
CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile"
SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject"
GATED = "meta-llama/Llama-3.1-8B-Instruct"
TOKEN = "hf_NonDefaultOptionsToken0123456789"
CHANNEL = f"projects/{PROJECT}/notificationChannels/1234567"
# Keys outside the `llmd` namespace that the program reads.
PROVIDER_KEYS = ("gcp:project", "gcp:region")


# ------------------------------------------------------------------------------------------------ readers


def pool(doc: dict[str, Any], which: str) -> dict[str, Any]:
    """The inference (GPU or CPU) or system node pool's inputs."""
    pools = of_type(doc, NODE_POOL)
    [found] = [p for p in pools if (p["name"] == "system-pool") == (which == "system")]
    return found["inputs"]


def cluster(doc: dict[str, Any]) -> dict[str, Any]:
    [found] = of_type(doc, CLUSTER)
    return found["inputs"]


def subnet(doc: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [s for s in of_type(doc, SUBNET) if s["name"] == name]
    return found["inputs"]


def model_values(doc: dict[str, Any], model: str | None = None) -> ModelServer:
    found = [m for m in model_servers(doc) if model is None or m.model == model]
    assert len(found) == 1, f"{len(found)} model pools serve {model}"
    return found[0]


def flag(server: ModelServer, name: str) -> str:
    words = server.vllm_words
    assert name in words, f"vllm is started without {name}"
    return words[words.index(name) + 1]


def picker_config(doc: dict[str, Any]) -> dict[str, Any]:
    [picker] = endpoint_pickers(doc)
    return picker.config


def scorer_weights(doc: dict[str, Any]) -> dict[str, Any]:
    [profile] = picker_config(doc)["schedulingProfiles"]
    return {p["pluginRef"]: p.get("weight") for p in profile["plugins"]}


def hpa_specs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [h["inputs"]["spec"] for h in of_type(doc, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")]


def frontend(doc: dict[str, Any]) -> dict[str, Any]:
    [deployment] = [d for d in of_type(doc, DEPLOYMENT) if "::llmd:edge:" in d["urn"]]
    return deployment["inputs"]["spec"]


def frontend_env(doc: dict[str, Any]) -> dict[str, str]:
    [container] = frontend(doc)["template"]["spec"]["containers"]
    return {e["name"]: e.get("value") for e in container["env"]}


def frontend_policy(doc: dict[str, Any]) -> dict[str, Any]:
    [policy] = [p for p in of_type(doc, BACKEND_POLICY) if p["inputs"]["spec"]["targetRef"]["kind"] == "Service"]
    return policy["inputs"]["spec"]["default"]


def pool_policies(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        p["inputs"]["spec"]["default"]
        for p in of_type(doc, BACKEND_POLICY)
        if p["inputs"]["spec"]["targetRef"]["kind"] == "InferencePool"
    ]


def alert(doc: dict[str, Any], key: str) -> dict[str, Any]:
    [policy] = [p for p in of_type(doc, ALERT) if p["name"] == key]
    return policy["inputs"]


def query(doc: dict[str, Any], key: str) -> str:
    [condition] = alert(doc, key)["conditions"]
    return condition["conditionPrometheusQueryLanguage"]["query"]


def endpoints_host(doc: dict[str, Any]) -> str:
    [service] = of_type(doc, ENDPOINTS)
    return service["inputs"]["serviceName"]


def labelled(doc: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Every GCP label map of the plan: resource labels and the node pools' VM labels."""
    found = []
    for r in doc["resources"]:
        if not r["type"].startswith("gcp:"):
            continue
        for key in ("labels", "resourceLabels", "userLabels"):
            if isinstance(r["inputs"].get(key), dict):
                found.append((f"{r['type']} {r['name']}.{key}", r["inputs"][key]))
        if r["type"] == NODE_POOL:
            found.append((f"{r['name']}.nodeConfig.resourceLabels", r["inputs"]["nodeConfig"]["resourceLabels"]))
    return found


# ------------------------------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    id: str
    covers: tuple[str, ...]  # config keys, as `section.key`, `section.list[].key`, a scalar, or `gcp:key`
    stack: str
    config: dict[str, Any]  # over the stack file: sections merge one level deep, other values replace
    check: Callable[[dict[str, Any]], None]
    # A config without the option that must be refused: for options whose effect is to allow something.
    refused_without: dict[str, Any] | None = None


def _check(*conditions: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], None]:
    def check(doc: dict[str, Any]) -> None:
        for condition in conditions:
            assert condition(doc), getattr(condition, "__doc__", None) or condition

    return check


def _tp2(doc: dict[str, Any]) -> bool:
    server = model_values(doc)
    gpus = server.container["resources"]["limits"]["nvidia.com/gpu"]
    return flag(server, "--tensor-parallel-size") == "2" and gpus == "2"


def _networks(doc: dict[str, Any]) -> bool:
    nodes = subnet(doc, "nodes")
    ranges = {r["rangeName"]: r["ipCidrRange"] for r in nodes["secondaryIpRanges"]}
    [proxy_rule] = [f for f in of_type(doc, FIREWALL) if f["name"] == "allow-proxy-only"]
    return (
        nodes["ipCidrRange"] == "10.64.0.0/20"
        and sorted(ranges.values()) == ["10.68.0.0/14", "10.72.0.0/20"]
        and subnet(doc, "proxy-only")["ipCidrRange"] == "10.73.0.0/23"
        and proxy_rule["inputs"]["sourceRanges"] == ["10.73.0.0/23"]
        and cluster(doc)["privateClusterConfig"]["masterIpv4CidrBlock"] == "172.16.8.0/28"
    )


def _ip_endpoint(doc: dict[str, Any]) -> bool:
    c = cluster(doc)
    return (
        c["controlPlaneEndpointsConfig"]["dnsEndpointConfig"]["allowExternalTraffic"] is False
        and c["masterAuthorizedNetworksConfig"]["cidrBlocks"]
        == [{"cidrBlock": "203.0.113.0/24", "displayName": "office"}]
        and "--dns-endpoint" not in doc["outputs"]["getCredentialsCommand"]
    )


def _labels(doc: dict[str, Any]) -> bool:
    maps = labelled(doc)
    missing = [where for where, labels in maps if labels.get("team") != "ml-platform"]
    assert len(maps) >= 10 and not missing, missing
    return True


def _custom_profile(doc: dict[str, Any]) -> bool:
    config = picker_config(doc)
    declared = {p.get("name", p["type"]): p for p in config["plugins"]}
    return (
        declared["prefix"]["type"] == "prefix-cache-scorer"
        and declared["prefix"]["parameters"] == {"blockSize": 32}
        and scorer_weights(doc) == {"prefix": 5, "queue-scorer": 1, "max-score-picker": None}
    )


def _extra_model(doc: dict[str, Any]) -> bool:
    server = model_values(doc, "Qwen/Qwen3-8B")
    return (
        server.replicas == 2
        and flag(server, "--max-model-len") == "8192"
        and flag(server, "--gpu-memory-utilization") == "0.8"
        and flag(server, "--tensor-parallel-size") == "2"
    )


def _token(doc: dict[str, Any]) -> bool:
    [version] = of_type(doc, "gcp:secretmanager/secretVersion:SecretVersion")
    return version["inputs"]["secretData"] == "[secret]" and len(of_type(doc, SPC)) == 1


def _k8s_objects_in(doc: dict[str, Any], namespace: str) -> bool:
    objects = [r for r in doc["resources"] if r["type"].startswith("kubernetes:") and r["type"] != CONFIG_FILE]
    namespaced = [r for r in objects if r["type"] != "kubernetes:core/v1:Namespace"]
    [ns] = of_type(doc, "kubernetes:core/v1:Namespace")
    return name_of(ns) == namespace and all(namespace_of(r) == namespace for r in namespaced)


def _provider(doc: dict[str, Any]) -> dict[str, Any]:
    [provider] = of_type(doc, K8S_PROVIDER)
    return provider["inputs"]


def _oauth(doc: dict[str, Any]) -> bool:
    iap = frontend_policy(doc)["iap"]
    [secret] = of_type(doc, K8S_SECRET)
    return (
        iap["clientID"] == "123456789012-abcdef.apps.googleusercontent.com"
        and iap["oauth2ClientSecret"]["name"] == name_of(secret)
        and secret["inputs"]["stringData"] == "[secret]"
    )


def _prebuilt_image(doc: dict[str, Any]) -> bool:
    [container] = frontend(doc)["template"]["spec"]["containers"]
    return container["image"] == "us-docker.pkg.dev/other/chat/app:1.2" and not of_type(doc, BUILD)


def _frontend_resources(doc: dict[str, Any]) -> bool:
    [container] = frontend(doc)["template"]["spec"]["containers"]
    return container["resources"] == {"requests": {"cpu": "500m", "memory": "768Mi"}, "limits": {"memory": "2Gi"}}


def _model_on(stack_accelerator: str) -> Callable[[dict[str, Any]], bool]:
    def check(doc: dict[str, Any]) -> bool:
        [accelerator] = pool(doc, "inference")["nodeConfig"]["guestAccelerators"]
        return accelerator["type"] == stack_accelerator

    return check


def _install_crds_default() -> bool:
    from config import serving

    section = serving.ExistingClusterSection
    return bool(section.model_fields["install_crds"].default)


INSTALL_CRDS_DEFAULT = _install_crds_default()
L4, T4, A100_80, EXISTING = "nvidia-l4", "nvidia-tesla-t4", "nvidia-a100-80gb", "existing-cluster"

CASES: list[Case] = [
    # ---- provider keys and scalars
    Case(
        "project",
        ("gcp:project",),
        L4,
        {"gcp:project": "other-proj-42"},
        _check(
            lambda d: cluster(d)["project"] == "other-proj-42" and pool(d, "inference")["project"] == "other-proj-42"
        ),
    ),
    Case(
        "region",
        ("gcp:region",),
        "cpu",
        {"gcp:region": "europe-west4"},
        _check(lambda d: cluster(d)["location"] == "europe-west4" and subnet(d, "nodes")["region"] == "europe-west4"),
    ),
    Case("accelerator", ("accelerator",), "cpu", {"llmd:accelerator": L4}, _check(_model_on(L4))),
    Case(
        "version-set",
        ("versionSet",),
        L4,
        {"llmd:versionSet": "2026-04"},
        _check(
            lambda d: not releases(d, "/llm-d-router-gateway"),
            lambda d: len(model_releases(d)) == len(pool_releases(d)) == 1,
            lambda d: all(m.resource["type"] == "kubernetes:helm.sh/v3:Release" for m in model_servers(d)),
        ),
    ),
    Case("labels", ("labels",), L4, {"llmd:labels": {"team": "ml-platform"}}, _check(_labels)),
    Case(
        "hf-token",
        ("hfToken",),
        A100_80,
        {"llmd:model": {"name": GATED, "replicas": 1}, "llmd:hfToken": TOKEN},
        _check(_token),
    ),
    # ---- model
    Case(
        "model-name",
        ("model.name",),
        L4,
        {"llmd:model": {"name": "Qwen/Qwen3-8B"}},
        _check(
            lambda d: (
                model_values(d).model == "Qwen/Qwen3-8B"
                and flag(model_values(d), "--served-model-name") == "Qwen/Qwen3-8B"
                and "/Qwen/Qwen3-8B/" in flag(model_values(d), "serve")
            )
        ),
    ),
    Case(
        "max-model-len",
        ("model.maxModelLen",),
        L4,
        {"llmd:model": {"maxModelLen": 4096}},
        _check(lambda d: flag(model_values(d), "--max-model-len") == "4096"),
    ),
    Case(
        "gpu-memory-utilization",
        ("model.gpuMemoryUtilization",),
        L4,
        {"llmd:model": {"gpuMemoryUtilization": 0.8}},
        _check(lambda d: flag(model_values(d), "--gpu-memory-utilization") == "0.8"),
    ),
    Case(
        "replicas",
        ("model.replicas",),
        L4,
        {"llmd:model": {"replicas": 1}},
        _check(lambda d: model_values(d).replicas == 1),
    ),
    Case(
        "tensor-parallel",
        ("model.tensorParallelSize",),
        L4,
        {"llmd:model": {"tensorParallelSize": 2, "replicas": 1}, "llmd:gpuPool": {"machineType": "g2-standard-24"}},
        _check(_tp2),
    ),
    # ---- network
    Case(
        "network",
        ("network.nodeCidr", "network.podCidr", "network.serviceCidr", "network.proxyOnlyCidr", "network.masterCidr"),
        L4,
        {
            "llmd:network": {
                "nodeCidr": "10.64.0.0/20",
                "podCidr": "10.68.0.0/14",
                "serviceCidr": "10.72.0.0/20",
                "proxyOnlyCidr": "10.73.0.0/23",
                "masterCidr": "172.16.8.0/28",
            }
        },
        _check(_networks),
    ),
    # ---- GPU pool
    Case(
        "gpu-machine",
        ("gpuPool.machineType",),
        L4,
        {"llmd:gpuPool": {"machineType": "g2-standard-16"}},
        _check(lambda d: pool(d, "inference")["nodeConfig"]["machineType"] == "g2-standard-16"),
    ),
    Case(
        "gpus-per-node",
        ("gpuPool.gpusPerNode",),
        T4,
        {"llmd:gpuPool": {"gpusPerNode": 2}},
        _check(lambda d: pool(d, "inference")["nodeConfig"]["guestAccelerators"][0]["count"] == 2),
    ),
    Case(
        "gpu-pool-size",
        ("gpuPool.minNodes", "gpuPool.maxNodes"),
        L4,
        {"llmd:gpuPool": {"minNodes": 1, "maxNodes": 4}},
        _check(
            lambda d: pool(d, "inference")["autoscaling"]["totalMinNodeCount"] == 1,
            lambda d: pool(d, "inference")["autoscaling"]["totalMaxNodeCount"] == 4,
        ),
    ),
    Case(
        "spot",
        ("gpuPool.capacity",),
        L4,
        {"llmd:gpuPool": {"capacity": "spot"}},
        _check(lambda d: pool(d, "inference")["nodeConfig"].get("spot") is True),
    ),
    Case(
        "flex-start",
        ("gpuPool.capacity",),
        L4,
        {"llmd:gpuPool": {"capacity": "flex-start"}},
        _check(
            lambda d: pool(d, "inference")["nodeConfig"].get("flexStart") is True,
            lambda d: pool(d, "inference")["management"]["autoRepair"] is False,
        ),
    ),
    Case(
        "reservation",
        ("gpuPool.capacity", "gpuPool.reservation", "gpuPool.zones"),
        L4,
        {"llmd:gpuPool": {"capacity": "reservation", "reservation": "my-l4-reservation", "zones": ["us-central1-b"]}},
        _check(
            lambda d: (
                pool(d, "inference")["nodeConfig"]["reservationAffinity"]
                == {
                    "consumeReservationType": "SPECIFIC_RESERVATION",
                    "key": "compute.googleapis.com/reservation-name",
                    "values": ["my-l4-reservation"],
                }
            ),
            lambda d: pool(d, "inference")["nodeLocations"] == ["us-central1-b"],
        ),
    ),
    Case(
        "zones",
        ("gpuPool.zones",),
        L4,
        {"llmd:gpuPool": {"zones": ["us-central1-c"]}},
        _check(lambda d: pool(d, "inference")["nodeLocations"] == ["us-central1-c"]),
    ),
    # ---- system pool
    Case(
        "system-pool",
        ("systemPool.machineType", "systemPool.minNodes", "systemPool.maxNodes"),
        L4,
        {"llmd:systemPool": {"machineType": "e2-standard-8", "minNodes": 2, "maxNodes": 5}},
        _check(
            lambda d: pool(d, "system")["nodeConfig"]["machineType"] == "e2-standard-8",
            lambda d: pool(d, "system")["autoscaling"]["totalMinNodeCount"] == 2,
            lambda d: pool(d, "system")["autoscaling"]["totalMaxNodeCount"] == 5,
        ),
    ),
    # ---- cluster
    Case(
        "deletion-protection",
        ("cluster.deletionProtection",),
        L4,
        {"llmd:cluster": {"deletionProtection": True}},
        _check(lambda d: cluster(d)["deletionProtection"] is True),
    ),
    Case(
        "release-channel",
        ("cluster.releaseChannel",),
        L4,
        {"llmd:cluster": {"releaseChannel": "RAPID"}},
        _check(lambda d: cluster(d)["releaseChannel"] == {"channel": "RAPID"}),
    ),
    Case(
        "min-master-version",
        ("cluster.minMasterVersion",),
        L4,
        {"llmd:cluster": {"minMasterVersion": "1.35"}},
        _check(lambda d: cluster(d)["minMasterVersion"] == "1.35"),
    ),
    Case(
        "ip-endpoint",
        (
            "cluster.apiEndpoint",
            "cluster.masterAuthorizedNetworks",
            "cluster.masterAuthorizedNetworks[].cidr",
            "cluster.masterAuthorizedNetworks[].name",
        ),
        L4,
        {
            "llmd:cluster": {
                "apiEndpoint": "ip",
                "masterAuthorizedNetworks": [{"cidr": "203.0.113.0/24", "name": "office"}],
            }
        },
        _check(_ip_endpoint),
    ),
    # ---- scheduler and gateway
    Case(
        "load-profile",
        ("scheduler.profile",),
        L4,
        {"llmd:scheduler": {"profile": "load"}},
        _check(
            lambda d: (
                scorer_weights(d) == {"queue-scorer": 1, "kv-cache-utilization-scorer": 1, "max-score-picker": None}
            )
        ),
    ),
    Case(
        "random-profile",
        ("scheduler.profile",),
        L4,
        {"llmd:scheduler": {"profile": "random"}},
        _check(lambda d: scorer_weights(d) == {"random-picker": None}),
    ),
    Case(
        "custom-profile",
        (
            "scheduler.profile",
            "scheduler.plugins",
            "scheduler.plugins[].type",
            "scheduler.plugins[].weight",
            "scheduler.plugins[].parameters",
            "scheduler.plugins[].name",
        ),
        L4,
        {
            "llmd:scheduler": {
                "profile": "custom",
                "plugins": [
                    {"type": "prefix-cache-scorer", "name": "prefix", "weight": 5, "parameters": {"blockSize": 32}},
                    {"type": "queue-scorer", "weight": 1},
                ],
            }
        },
        _check(_custom_profile),
    ),
    Case(
        "gateway-timeout",
        ("gateway.timeoutSeconds",),
        L4,
        {"llmd:gateway": {"timeoutSeconds": 7200}},
        _check(lambda d: [p["timeoutSec"] for p in pool_policies(d)] == [7200]),
    ),
    Case(
        "istio-timeout",
        ("gateway.timeoutSeconds",),
        EXISTING,
        {"llmd:gateway": {"timeoutSeconds": 7200}},
        _check(
            lambda d: all(
                r.get("timeouts") == {"request": "7200s"}
                for route in of_type(d, ROUTE)
                for r in route["inputs"]["spec"]["rules"]
            )
        ),
    ),
    Case(
        "gateway-class",
        ("gateway.className",),
        EXISTING,
        {"llmd:gateway": {"className": "data-science-gateway-class"}},
        _check(
            lambda d: (
                releases(d, "llm-d-infra")[0]["inputs"]["values"]["gateway"]["gatewayClassName"]
                == "data-science-gateway-class"
            )
        ),
    ),
    # ---- extra models
    Case(
        "extra-model",
        (
            "extraModels",
            "extraModels[].name",
            "extraModels[].replicas",
            "extraModels[].maxModelLen",
            "extraModels[].gpuMemoryUtilization",
            "extraModels[].tensorParallelSize",
        ),
        A100_80,
        {
            "llmd:model": {"replicas": 1},
            "llmd:gpuPool": {"machineType": "a2-ultragpu-2g", "maxNodes": 3},
            "llmd:extraModels": [
                {
                    "name": "Qwen/Qwen3-8B",
                    "replicas": 2,
                    "maxModelLen": 8192,
                    "gpuMemoryUtilization": 0.8,
                    "tensorParallelSize": 2,
                }
            ],
        },
        _check(_extra_model),
    ),
    # ---- existing cluster
    Case(
        "existing-context",
        ("existingCluster", "existingCluster.context"),
        EXISTING,
        {"llmd:existingCluster": {"context": "gke_other_ctx"}},
        _check(lambda d: _provider(d)["context"] == "gke_other_ctx"),
    ),
    Case(
        "existing-kubeconfig",
        ("existingCluster.kubeconfig",),
        EXISTING,
        {"llmd:existingCluster": {"kubeconfig": "/home/me/.kube/other-config"}},
        _check(lambda d: _provider(d)["kubeconfig"] == "/home/me/.kube/other-config"),
    ),
    Case(
        "existing-namespace",
        ("existingCluster.namespace",),
        EXISTING,
        {"llmd:existingCluster": {"namespace": "inference"}},
        _check(lambda d: _k8s_objects_in(d, "inference")),
    ),
    Case(
        "existing-node-selector",
        ("existingCluster.nodeSelector",),
        EXISTING,
        {"llmd:existingCluster": {"nodeSelector": {"pool": "a100"}}},
        _check(lambda d: model_values(d).pod["nodeSelector"] == {"pool": "a100"}),
    ),
    # The default has changed before (installCrds off by default since the review): plan the other value.
    Case(
        "existing-install-crds",
        ("existingCluster.installCrds",),
        EXISTING,
        {"llmd:existingCluster": {"installCrds": not INSTALL_CRDS_DEFAULT}},
        _check(lambda d: bool(of_type(d, CONFIG_FILE)) == (not INSTALL_CRDS_DEFAULT)),
    ),
    # ---- edge
    Case(
        "endpoints-name",
        ("edge.endpointsName",),
        L4,
        {"llmd:edge": {"endpointsName": "team-chat"}},
        _check(lambda d: endpoints_host(d).split(".")[0].startswith("team-chat-")),
    ),
    Case(
        "fixed-endpoints-name",
        ("edge.randomSuffix",),
        L4,
        {"llmd:edge": {"randomSuffix": False}},
        _check(
            lambda d: not of_type(d, RANDOM_ID),
            lambda d: endpoints_host(d) == f"llmd-{L4}.endpoints.{PROJECT}.cloud.goog",
        ),
    ),
    Case(
        "edge-timeout",
        ("edge.backendTimeoutSeconds",),
        L4,
        {"llmd:edge": {"backendTimeoutSeconds": 1800}},
        _check(
            lambda d: frontend_policy(d)["timeoutSec"] == 1800,
            lambda d: frontend_env(d)["REQUEST_TIMEOUT_SECONDS"] == "1800",
        ),
    ),
    Case(
        "iap-members",
        ("iap", "iap.members"),
        L4,
        {"llmd:iap": {"members": ["domain:example.com", "user:me@example.com"]}},
        _check(
            lambda d: (
                {m["inputs"]["member"] for m in of_type(d, WEB_IAM)} >= {"domain:example.com", "user:me@example.com"}
            )
        ),
    ),
    Case(
        "iap-no-members",
        ("iap.allowNoMembers",),
        L4,
        {"llmd:iap": {"members": [], "allowNoMembers": True}},
        _check(lambda d: [m["name"] for m in of_type(d, WEB_IAM)] == ["accessor-stress-test"]),
        refused_without={"llmd:iap": {"members": []}},
    ),
    Case(
        "oauth-client",
        ("iap.oauthClientId", "iapOauthClientSecret"),
        L4,
        {
            "llmd:iap": {
                "members": ["domain:example.com"],
                "oauthClientId": "123456789012-abcdef.apps.googleusercontent.com",
            },
            "llmd:iapOauthClientSecret": {"secure": "v1:c2VjcmV0"},
        },
        _check(_oauth),
    ),
    Case(
        "token-creators",
        ("iap.stressTestTokenCreators",),
        L4,
        {"llmd:iap": {"members": ["domain:example.com"], "stressTestTokenCreators": ["user:tester@example.com"]}},
        _check(lambda d: [m["inputs"]["member"] for m in of_type(d, SA_IAM)] == ["user:tester@example.com"]),
    ),
    Case(
        "frontend-image",
        ("frontend.image",),
        L4,
        {"llmd:frontend": {"image": "us-docker.pkg.dev/other/chat/app:1.2"}},
        _check(_prebuilt_image),
    ),
    Case(
        "frontend-replicas",
        ("frontend.replicas",),
        L4,
        {"llmd:frontend": {"replicas": 5}},
        _check(lambda d: frontend(d)["replicas"] == 5),
    ),
    Case(
        "queue-concurrency",
        ("frontend.queueConcurrency",),
        L4,
        {"llmd:frontend": {"queueConcurrency": 4}},
        _check(lambda d: frontend_env(d).get("QUEUE_CONCURRENCY") == "4"),
    ),
    Case(
        "frontend-resources",
        ("frontend.cpuRequest", "frontend.memoryRequest", "frontend.memoryLimit"),
        L4,
        {"llmd:frontend": {"cpuRequest": "500m", "memoryRequest": "768Mi", "memoryLimit": "2Gi"}},
        _check(_frontend_resources),
    ),
    Case(
        "alerts-off",
        ("alerts.enabled",),
        L4,
        {"llmd:alerts": {"enabled": False}},
        _check(
            lambda d: len(of_type(d, ALERT)) >= 4 and all(a["inputs"]["enabled"] is False for a in of_type(d, ALERT))
        ),
    ),
    Case(
        "alert-channels",
        ("alerts.notificationChannels",),
        L4,
        {"llmd:alerts": {"notificationChannels": [CHANNEL]}},
        _check(lambda d: all(a["inputs"]["notificationChannels"] == [CHANNEL] for a in of_type(d, ALERT))),
    ),
    Case(
        "alert-thresholds",
        ("alerts.ttftP95SloSeconds", "alerts.errorRatePercent", "alerts.queueSizeThreshold"),
        L4,
        {"llmd:alerts": {"ttftP95SloSeconds": 3.5, "errorRatePercent": 10, "queueSizeThreshold": 25}},
        _check(
            lambda d: query(d, "ttft-slo").endswith(" > 3.5"),
            lambda d: query(d, "error-rate").endswith(" > 0.1"),
            lambda d: " > 25 and " in query(d, "queue-growing"),
        ),
    ),
    # ---- autoscaling
    Case(
        "autoscaling-off",
        ("autoscaling.enabled",),
        L4,
        {"llmd:autoscaling": {"enabled": False}},
        _check(lambda d: not hpa_specs(d), lambda d: model_values(d).resource["inputs"]["spec"]["replicas"] == 2),
    ),
    Case(
        "autoscaling-shape",
        (
            "autoscaling.metric",
            "autoscaling.target",
            "autoscaling.minReplicas",
            "autoscaling.scaleDownWindowSeconds",
        ),
        L4,
        {
            "llmd:model": {"replicas": 4},
            "llmd:gpuPool": {"maxNodes": 4},
            "llmd:autoscaling": {
                "metric": "batch-size",
                "target": 0.5,
                "minReplicas": 2,
                "scaleDownWindowSeconds": 900,
            },
        },
        _check(
            lambda d: (
                [
                    (h["minReplicas"], h["maxReplicas"], h["behavior"]["scaleDown"]["stabilizationWindowSeconds"])
                    for h in hpa_specs(d)
                ]
                == [(2, 4, 900)]
            ),
            lambda d: (
                hpa_specs(d)[0]["metrics"][0]["pods"]
                == {
                    "metric": {"name": "prometheus.googleapis.com|vllm:num_requests_running|gauge"},
                    "target": {"type": "AverageValue", "averageValue": "500m"},
                }
            ),
        ),
    ),
    Case(
        "scale-to-zero",
        ("autoscaling.idleSeconds", "autoscaling.coldStartSeconds"),
        L4,
        {"llmd:autoscaling": {"minReplicas": 0, "idleSeconds": 300, "coldStartSeconds": 1200}},
        _check(
            lambda d: [o["inputs"]["spec"]["cooldownPeriod"] for o in of_type(d, SCALED_OBJECT)] == [300],
            lambda d: [p.config["featureGates"] for p in endpoint_pickers(d)] == [["flowControl"]],
        ),
    ),
    # ---- capacity as a priority list (a GKE custom ComputeClass instead of the fixed inference pool)
    Case(
        "capacity-priority-list",
        ("gpuPool.capacity",),
        L4,
        {"llmd:gpuPool": {"capacity": ["spot", "on-demand", "flex-start"]}},
        _check(
            lambda d: (
                [
                    ("flexStart" in rule, rule.get("spot"), rule["machineType"])
                    for [cc] in [of_type(d, "kubernetes:cloud.google.com/v1:ComputeClass")]
                    for rule in cc["inputs"]["spec"]["priorities"]
                ]
                == [(False, True, "g2-standard-32"), (False, False, "g2-standard-32"), (True, None, "g2-standard-32")]
            ),
            lambda d: [p["name"] for p in of_type(d, NODE_POOL)] == ["system-pool"],
        ),
    ),
    Case(
        "capacity-list-with-reservation",
        ("gpuPool.capacity", "gpuPool.reservation", "gpuPool.zones"),
        L4,
        {
            "llmd:gpuPool": {
                "capacity": ["reservation", "spot"],
                "reservation": "my-l4-reservation",
                "zones": ["us-central1-b"],
            }
        },
        _check(
            lambda d: (
                [
                    (rule.get("reservations"), rule["location"]["zones"])
                    for [cc] in [of_type(d, "kubernetes:cloud.google.com/v1:ComputeClass")]
                    for rule in cc["inputs"]["spec"]["priorities"]
                ]
                == [
                    ({"affinity": "Specific", "specific": [{"name": "my-l4-reservation"}]}, ["us-central1-b"]),
                    (None, ["us-central1-b"]),
                ]
            ),
        ),
    ),
    Case(
        "capacity-list-8-gpus",
        ("gpuPool.capacity",),
        "nvidia-h200-141gb",
        {"llmd:gpuPool": {"capacity": ["spot", "flex-start"]}},
        _check(
            lambda d: (
                [
                    (rule["gpu"], rule.get("spot"), rule["storage"]["bootDiskType"])
                    for [cc] in [of_type(d, "kubernetes:cloud.google.com/v1:ComputeClass")]
                    for rule in cc["inputs"]["spec"]["priorities"]
                ]
                == [
                    ({"type": "nvidia-h200-141gb", "count": 8, "driverVersion": "latest"}, True, "hyperdisk-balanced"),
                    ({"type": "nvidia-h200-141gb", "count": 8, "driverVersion": "latest"}, None, "hyperdisk-balanced"),
                ]
            ),
        ),
    ),
    # ---- weights (llmd:weights): the default on a GPU stack of the GKE platform streams from the stack's bucket
    Case(
        "weights-source",
        ("weights.source",),
        L4,
        {"llmd:weights": {"source": "huggingface"}},
        _check(
            lambda d: flag(model_values(d), "serve") == model_values(d).model,
            lambda d: not of_type(d, "kubernetes:batch/v1:Job"),
        ),
    ),
    Case(
        "weights-bucket",
        ("weights.bucket",),
        L4,
        {"llmd:weights": {"bucket": "team-model-weights"}},
        _check(
            lambda d: flag(model_values(d), "serve") == f"gs://team-model-weights/{model_values(d).model}/main/",
            lambda d: not [b for b in of_type(d, "gcp:storage/bucket:Bucket") if b["name"] == "weights"],
        ),
    ),
    Case(
        "weights-revisions",
        ("weights.revisions",),
        L4,
        {"llmd:weights": {"revisions": {"Qwen/Qwen3-0.6B": "c1899de289a04d12100db370d81485cdf75e47ca"}}},
        _check(
            lambda d: flag(model_values(d), "serve").endswith(
                "/Qwen/Qwen3-0.6B/c1899de289a04d12100db370d81485cdf75e47ca/"
            ),
            lambda d: (
                [
                    e["value"]
                    for j in of_type(d, "kubernetes:batch/v1:Job")
                    for e in j["inputs"]["spec"]["template"]["spec"]["containers"][0]["env"]
                    if e["name"] == "REVISION"
                ]
                == ["c1899de289a04d12100db370d81485cdf75e47ca"]
            ),
        ),
    ),
]


def config_for(stack: str, changes: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = dict(load_config_file(stack_file(stack)))
    if stack != EXISTING:
        config.setdefault("gcp:project", PROJECT)
    for key, value in changes.items():
        current = config.get(key)
        if isinstance(value, dict) and isinstance(current, dict) and set(value) != {"secure"}:
            config[key] = {**current, **value}
        else:
            config[key] = value
    return config


def plan_case(case: Case) -> dict[str, Any]:
    return run_plan(case.stack, config_for(case.stack, case.config)).document()


# -------------------------------------------------------------------------------------- declared config keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _keys(prefix: str, model: type[BaseModel]) -> set[str]:
    keys = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}.{info.alias or name}"
        keys.add(key)
        for inner in _models_in(info.annotation):
            keys |= _keys(f"{key}[]", inner)
    return keys


def declared_keys() -> set[str]:
    """Every key the config model accepts: sections' fields (and their list items' fields), scalars, provider keys."""
    from config import load, serving

    keys = {*PROVIDER_KEYS, *load.SECTIONS, *load.SCALARS}
    for section, model in load.SECTIONS.items():
        keys |= _keys(section, model)
    extra = getattr(serving, "ExtraModelSection", None)
    if extra is not None and "extraModels" in load.SCALARS:
        keys |= _keys("extraModels[]", extra)
    return keys


# --------------------------------------------------------------------------------------------------- tests


class TestNonDefaultOptions:
    @pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
    def test_option_reaches_the_resource(self, case):
        case.check(plan_case(case))

    @pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
    def test_check_tells_the_option_from_its_default(self, plans, case):
        if case.refused_without is not None:
            with pytest.raises(PlanError):
                run_plan(case.stack, config_for(case.stack, case.refused_without))
            return
        # A check that does not hold on the default plan: an assertion, or a lookup of something absent.
        with pytest.raises((AssertionError, LookupError, ValueError)):
            case.check(plans[case.stack])

    def test_every_declared_config_key_is_planned_at_a_non_default_value(self):
        declared = declared_keys()
        covered = {key for case in CASES for key in case.covers}
        # Sections themselves are covered by any of their keys.
        covered |= {key.split(".", 1)[0].removesuffix("[]") for key in covered}
        assert sorted(declared - covered) == [], "config keys no case plans at a non-default value"
        assert sorted(covered - declared) == [], "cases cover keys the config model no longer declares"

    def test_case_ids_are_unique(self):
        ids = [c.id for c in CASES]
        assert len(ids) == len(set(ids))
