"""The GCP platform layer of every stack, asserted on the inputs the engine would receive."""

from __future__ import annotations

import pytest

from stacks.accelerators import CATALOG
from stacks.platform import NODE_SERVICE_ACCOUNT_ROLES, REQUIRED_APIS
from tests.planview import (
    CLUSTER,
    GKE_STACKS,
    K8S_PROVIDER,
    NETWORK,
    NODE_POOL,
    SERVICE_ACCOUNT,
    STACKS,
    SUBNET,
    of_type,
    one,
)


def test_every_shipped_stack_is_planned(plans):
    assert set(plans) >= {"dev", *CATALOG}
    for stack, doc in plans.items():
        assert doc["stack"] == stack
        assert len(doc["resources"]) >= (30 if stack in GKE_STACKS else 10), stack


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_inference_pool_matches_catalog(plans, stack):
    doc = plans[stack]
    accelerator = CATALOG["nvidia-l4" if stack == "dev" else stack]
    pool = one(doc, NODE_POOL, "inference-pool")["inputs"]
    node = pool["nodeConfig"]
    assert node["machineType"] == accelerator.default_machine_type
    assert node["diskType"] == accelerator.boot_disk_type
    if accelerator.is_gpu:
        [gpu] = node["guestAccelerators"]
        assert gpu["type"] == accelerator.gke_accelerator
        shape = accelerator.machine(node["machineType"])
        assert shape is not None and gpu["count"] == shape.gpu_counts[0]
        assert gpu["gpuDriverInstallationConfig"] == {"gpuDriverVersion": "LATEST"}
        assert {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"} in node["taints"]
    else:
        assert node["guestAccelerators"] == []
        assert [t["key"] for t in node["taints"]] == ["llm-d.ai/inference"]
    assert pool["autoscaling"]["totalMinNodeCount"] <= pool["autoscaling"]["totalMaxNodeCount"]
    # GKE refuses a regional GPU pool that includes a zone without the accelerator.
    assert pool.get("nodeLocations") == (
        list(accelerator.zones_by_region["us-central1"]) if accelerator.is_gpu else None
    )


def test_h100_stack_uses_spot_capacity_for_single_gpu_shape(plans):
    node = one(plans["nvidia-h100-80gb"], NODE_POOL, "inference-pool")["inputs"]["nodeConfig"]
    assert node["machineType"] == "a3-highgpu-1g" and node["spot"] is True


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_proxy_only_subnet(plans, stack):
    doc = plans[stack]
    vpc = one(doc, NETWORK)
    proxy = one(doc, SUBNET, "proxy-only")
    nodes = one(doc, SUBNET, "nodes")
    assert proxy["inputs"]["purpose"] == "REGIONAL_MANAGED_PROXY"
    assert proxy["inputs"]["role"] == "ACTIVE"
    assert proxy["inputs"]["region"] == nodes["inputs"]["region"] == "us-central1"
    assert vpc["urn"] in proxy["dependencies"]
    assert vpc["inputs"]["autoCreateSubnetworks"] is False
    assert {r["rangeName"] for r in nodes["inputs"]["secondaryIpRanges"]} == {"pods", "services"}


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_cluster_hardening(plans, stack):
    cluster = one(plans[stack], CLUSTER)["inputs"]
    assert cluster["location"] == "us-central1"
    assert cluster["privateClusterConfig"]["enablePrivateNodes"] is True
    assert cluster["workloadIdentityConfig"]["workloadPool"].endswith(".svc.id.goog")
    assert cluster["gatewayApiConfig"]["channel"] == "CHANNEL_STANDARD"
    assert cluster["monitoringConfig"]["managedPrometheus"]["enabled"] is True
    assert "DCGM" in cluster["monitoringConfig"]["enableComponents"]
    assert cluster["datapathProvider"] == "ADVANCED_DATAPATH"
    assert cluster["secretManagerConfig"]["enabled"] is True
    assert cluster["enableShieldedNodes"] is True
    assert cluster["enableLegacyAbac"] is False
    assert cluster["masterAuth"]["clientCertificateConfig"]["issueClientCertificate"] is False
    assert cluster["removeDefaultNodePool"] is True
    assert cluster["releaseChannel"]["channel"] in {"RAPID", "REGULAR", "STABLE"}
    assert cluster["deletionProtection"] is False
    assert cluster["resourceLabels"]["llmd-stack"]
    for block in cluster["masterAuthorizedNetworksConfig"].get("cidrBlocks", []):
        assert block["cidrBlock"] != "0.0.0.0/0"


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_node_pools_are_hardened_and_use_the_dedicated_account(plans, stack):
    doc = plans[stack]
    account = one(doc, SERVICE_ACCOUNT, "nodes")
    email = f"{account['inputs']['accountId']}@example-project.iam.gserviceaccount.com"
    pools = of_type(doc, NODE_POOL)
    assert {p["name"] for p in pools} == {"system-pool", "inference-pool"}
    for pool in pools:
        node = pool["inputs"]["nodeConfig"]
        assert node["serviceAccount"] == email
        assert "-compute@developer" not in node["serviceAccount"]
        assert node["shieldedInstanceConfig"] == {"enableIntegrityMonitoring": True, "enableSecureBoot": True}
        assert node["workloadMetadataConfig"]["mode"] == "GKE_METADATA"
        assert node["resourceLabels"]["llmd-stack"]
        assert pool["inputs"]["management"]["autoUpgrade"] is True
        assert account["urn"] in pool["dependencies"]
    roles = {r["inputs"]["role"] for r in of_type(doc, "gcp:projects/iAMMember:IAMMember")}
    assert roles == set(NODE_SERVICE_ACCOUNT_ROLES)


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_kubernetes_provider_depends_on_the_cluster(plans, stack):
    doc = plans[stack]
    cluster = one(doc, CLUSTER)
    provider = one(doc, K8S_PROVIDER)
    assert cluster["urn"] in provider["dependencies"]
    assert provider["inputs"]["kubeconfig"] == "[secret]"
    assert provider["inputs"]["clusterIdentifier"] == cluster["inputs"]["name"]


def test_project_apis_are_enabled_and_kept_on_destroy(plans):
    services = of_type(plans["dev"], "gcp:projects/service:Service")
    assert {s["inputs"]["service"] for s in services} == set(REQUIRED_APIS)
    assert all(s["inputs"]["disableOnDestroy"] is False for s in services)
    cluster = one(plans["dev"], CLUSTER)
    assert {s["urn"] for s in services} <= set(cluster["dependencies"])


def test_names_are_valid_and_unique_across_stacks(plans):
    seen: dict[tuple[str, str], str] = {}
    for stack in STACKS:
        for resource in plans[stack]["resources"]:
            name = resource["inputs"].get("name") if resource["type"].startswith("gcp:") else None
            if not isinstance(name, str) or resource["type"] == NODE_POOL:
                continue  # node pools are scoped by their cluster
            assert len(name) <= 63 and name == name.lower(), name
            key = (resource["type"], name)
            assert key not in seen or seen[key] == stack, f"{name} collides between {seen[key]} and {stack}"
            seen[key] = stack


def test_outputs(plans):
    outputs = plans["nvidia-l4"]["outputs"]
    assert outputs["clusterName"] == "llmd-nvidia-l4"
    assert outputs["clusterLocation"] == "us-central1"
    assert outputs["networkName"] == "llmd-nvidia-l4-vpc"
    assert outputs["getCredentialsCommand"].startswith("gcloud container clusters get-credentials llmd-nvidia-l4")
