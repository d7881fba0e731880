"""Plan-level tests written from mutation-testing survivors in components/ (see docs/mutation.md): each pins an
input or dependency that a mutant changed without any test outside the golden plans noticing."""

from __future__ import annotations

from typing import Any

import pytest

from plan.runner import PLACEHOLDER_PROJECT
from tests.planview import GKE_STACKS, of_type

BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
IAP_MEMBER = "gcp:iap/webIamMember:WebIamMember"
ACCOUNT = "gcp:serviceaccount/account:Account"
PROJECT_SERVICE = "gcp:projects/service:Service"


def children_of(doc: dict[str, Any], component: str) -> list[dict[str, Any]]:
    """Resources whose URN names `component` (a type token such as llmd:edge:IapAccess) as their parent type."""
    return [r for r in doc["resources"] if f"{component}$" in r["urn"] and not r["type"].startswith("llmd:")]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_iap_access_children_wait_for_the_iap_api(plans, stack):
    doc = plans[stack]
    children = children_of(doc, "llmd:edge:IapAccess")
    assert children
    for r in children:
        assert any(d.endswith(f"{PROJECT_SERVICE}::iap") for d in r["dependencies"]), r["urn"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_backend_policy_pins_the_frontend_service_with_sticky_sessions_and_logging(plans, stack):
    [policy] = [r for r in of_type(plans[stack], BACKEND_POLICY) if "llmd:edge:IapAccess$" in r["urn"]]
    spec = policy["inputs"]["spec"]
    assert spec["targetRef"] == {"group": "", "kind": "Service", "name": spec["targetRef"]["name"]}
    assert spec["targetRef"]["name"] == policy["inputs"]["metadata"]["name"]
    default = spec["default"]
    assert default["sessionAffinity"] == {"type": "GENERATED_COOKIE", "cookieTtlSec": default["timeoutSec"]}
    assert default["logging"] == {"enabled": True, "sampleRate": 1000000}


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_iap_bindings_and_the_stress_test_account_are_in_the_stack_project(plans, stack):
    doc = plans[stack]
    accessors = of_type(doc, IAP_MEMBER)
    assert accessors
    for r in accessors:
        assert r["inputs"]["project"] == PLACEHOLDER_PROJECT, r["name"]
    [account] = [r for r in of_type(doc, ACCOUNT) if r["name"] == "stress-test"]
    assert account["inputs"]["project"] == PLACEHOLDER_PROJECT
