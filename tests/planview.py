"""Small readers over a plan document, for assertions."""

from __future__ import annotations

from typing import Any

from plan.runner import stack_names

STACKS = stack_names()
GKE_STACKS = [s for s in STACKS if s != "existing-cluster"]


def of_type(doc: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return [r for r in doc["resources"] if r["type"] == type_token]


def one(doc: dict[str, Any], type_token: str, name: str | None = None) -> dict[str, Any]:
    # Children of a component repeated per model pool carry its name as a prefix: "<pool>-<name>".
    found = [r for r in of_type(doc, type_token) if name is None or r["name"] == name or r["name"].endswith(f"-{name}")]
    assert len(found) == 1, f"expected one {type_token} {name or ''}, found {len(found)}"
    return found[0]


CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
NETWORK = "gcp:compute/network:Network"
K8S_PROVIDER = "pulumi:providers:kubernetes"
SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account"
