"""The order of creation (and, backwards, of deletion) across the platform's layers.

GKE programs gateways into the proxy-only subnet, nodes pull images through the NAT and receive load-balancer
traffic through the firewall rules, so the cluster must wait for the whole network, not just the subnet it
names; and on destroy the network must outlive the cluster. Node pools must wait for the roles their service
account runs with, and everything Kubernetes runs must wait for the nodes it runs on.
"""

from __future__ import annotations

from typing import Any

import pytest

from stacks.platform import NODE_SERVICE_ACCOUNT_ROLES
from tests.plangraph import (
    RELEASE,
    by_urn,
    children,
    gated_variants,
    of_type,
    transitive_dependencies,
)
from tests.planview import GKE_STACKS

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
NETWORK_COMPONENT = "llmd:platform:Network"
IDENTITY_COMPONENT = "llmd:platform:NodeServiceAccount"
PROJECT_IAM = "gcp:projects/iAMMember:IAMMember"
ACCOUNT = "gcp:serviceaccount/account:Account"
# What the network component must hold for GKE (and its gateways) to work; the cluster waits for all of it.
NETWORK_PARTS = {
    "gcp:compute/network:Network": 1,
    "gcp:compute/subnetwork:Subnetwork": 2,  # the nodes' and the proxy-only subnet
    "gcp:compute/router:Router": 1,
    "gcp:compute/routerNat:RouterNat": 1,
    "gcp:compute/firewall:Firewall": 2,  # health checks, and the proxy-only subnet's proxies
}
VARIANTS = [*GKE_STACKS, "gated-gke"]


@pytest.fixture(scope="module")
def docs(plans) -> dict[str, dict[str, Any]]:
    return {**plans, "gated-gke": gated_variants()["gated-gke"]}


def network_parts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in children(doc, NETWORK_COMPONENT) if r["type"].startswith("gcp:")]


def node_pools(doc: dict[str, Any]) -> list[dict[str, Any]]:
    pools = of_type(doc, NODE_POOL)
    assert len(pools) == 2
    return pools


class TestClusterWaitsForTheNetwork:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_the_network_has_every_part_gke_needs(self, docs, variant):
        parts = network_parts(docs[variant])
        counts = {t: sum(1 for r in parts if r["type"] == t) for t in NETWORK_PARTS}
        assert counts == NETWORK_PARTS
        purposes = {r["inputs"].get("purpose") for r in parts if r["type"] == "gcp:compute/subnetwork:Subnetwork"}
        assert "REGIONAL_MANAGED_PROXY" in purposes

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_the_cluster_depends_on_every_part_of_the_network(self, docs, variant):
        doc = docs[variant]
        [cluster] = of_type(doc, CLUSTER)
        missing = [f"{r['type']} {r['name']}" for r in network_parts(doc) if r["urn"] not in cluster["dependencies"]]
        assert missing == [], "the cluster does not wait for these"

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_the_cluster_depends_on_its_node_identity(self, docs, variant):
        """The transient default pool runs as the node service account, with its roles."""
        doc = docs[variant]
        [cluster] = of_type(doc, CLUSTER)
        identity = [r["urn"] for r in children(doc, IDENTITY_COMPONENT)]
        assert identity and set(identity) <= set(cluster["dependencies"])


class TestNodePoolsWaitForTheirRoles:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_node_pools_depend_on_every_role_grant_of_their_service_account(self, docs, variant):
        doc = docs[variant]
        [cluster] = of_type(doc, CLUSTER)
        for pool in node_pools(doc):
            email = pool["inputs"]["nodeConfig"]["serviceAccount"]
            grants = [r for r in of_type(doc, PROJECT_IAM) if r["inputs"]["member"] == f"serviceAccount:{email}"]
            assert sorted(g["inputs"]["role"] for g in grants) == sorted(NODE_SERVICE_ACCOUNT_ROLES)
            [account] = [a for a in of_type(doc, ACCOUNT) if email.startswith(f"{a['inputs']['accountId']}@")]
            needed = {g["urn"] for g in grants} | {account["urn"], cluster["urn"]}
            missing = sorted(by_urn(doc)[u]["name"] for u in needed - set(pool["dependencies"]))
            assert missing == [], f"{pool['name']} does not wait for these"


class TestWorkloadsWaitForTheNodes:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_helm_release_depends_on_both_node_pools(self, docs, variant):
        doc = docs[variant]
        pools = {p["urn"] for p in node_pools(doc)}
        for release in of_type(doc, RELEASE):
            assert pools <= set(release["dependencies"]), release["name"]

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_kubernetes_object_waits_for_the_nodes_and_the_whole_network(self, docs, variant):
        """Directly or through what it uses (its namespace, its provider): nothing runs before the NAT exists."""
        doc = docs[variant]
        needed = {p["urn"] for p in node_pools(doc)} | {r["urn"] for r in network_parts(doc)}
        for r in doc["resources"]:
            if not r["type"].startswith("kubernetes:"):
                continue
            missing = sorted(by_urn(doc)[u]["name"] for u in needed - transitive_dependencies(doc, r["urn"]))
            assert missing == [], f"{r['type']} {r['name']} may start before these"
