"""Readers over a plan document for cross-object checks: objects by kind and name, and the dependency graph."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plan.runner import load_config_file, run_plan, stack_file

RELEASE = "kubernetes:helm.sh/v3:Release"
K8S_SERVICE = "kubernetes:core/v1:Service"
K8S_SECRET = "kubernetes:core/v1:Secret"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
HEALTH_CHECK = "kubernetes:networking.gke.io/v1:HealthCheckPolicy"
POD_MONITORING = "kubernetes:monitoring.googleapis.com/v1:PodMonitoring"
SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass"
SM_SECRET = "gcp:secretmanager/secret:Secret"
SM_SECRET_IAM = "gcp:secretmanager/secretIamMember:SecretIamMember"

PROJECT = "example-project"
GATED = "meta-llama/Llama-3.1-8B-Instruct"
TOKEN = "hf_PlanGraphTokenNeverInPlainText0123"


def plan_with(stack: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The plan document of a shipped stack file with `extra` keys set over it (top-level keys replace)."""
    config = {**load_config_file(stack_file(stack)), **extra}
    if stack != "existing-cluster":
        config.setdefault("gcp:project", PROJECT)
    return run_plan(stack, config).document()


def gated_variants() -> dict[str, dict[str, Any]]:
    """Plans where the Hugging Face token path exists: GKE (Secret Manager add-on) and an existing cluster."""
    return {
        "gated-gke": plan_with(
            "nvidia-a100-80gb",
            {
                "llmd:model": {"name": GATED, "replicas": 1},
                "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}],
                "llmd:hfToken": TOKEN,
            },
        ),
        "gated-existing": plan_with(
            "existing-cluster", {"llmd:model": {"name": GATED, "replicas": 1}, "llmd:hfToken": TOKEN}
        ),
    }


def of_type(doc: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return [r for r in doc["resources"] if r["type"] == type_token]


def namespace_of(resource: dict[str, Any]) -> str | None:
    """A Kubernetes object's namespace; a Helm release's namespace is a top-level input."""
    inputs = resource["inputs"]
    if resource["type"] == RELEASE:
        return inputs.get("namespace")
    return (inputs.get("metadata") or {}).get("namespace")


def name_of(resource: dict[str, Any]) -> str | None:
    inputs = resource["inputs"]
    if resource["type"] == RELEASE:
        return inputs.get("name")
    return (inputs.get("metadata") or {}).get("name")


def releases(doc: dict[str, Any], chart_suffix: str) -> list[dict[str, Any]]:
    """Helm releases of one chart (matched on the end of the chart reference)."""
    return [r for r in of_type(doc, RELEASE) if str(r["inputs"]["chart"]).endswith(chart_suffix)]


def model_releases(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return releases(doc, "llm-d-modelservice")


def pool_releases(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return releases(doc, "/inferencepool")


def by_urn(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in doc["resources"]}


def transitive_dependencies(doc: dict[str, Any], urn: str) -> set[str]:
    """Every URN `urn` waits for: its dependencies and provider, theirs, and so on."""
    index = by_urn(doc)
    seen: set[str] = set()
    todo = [urn]
    while todo:
        current = index.get(todo.pop())
        if current is None:
            continue
        provider = current["provider"].rsplit("::", 1)[0] if current["provider"] else ""
        for dep in [*current["dependencies"], *([provider] if provider in index else [])]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def children(doc: dict[str, Any], component_type: str) -> Iterator[dict[str, Any]]:
    """The custom resources anywhere under the components of one type."""
    index = by_urn(doc)
    roots = {r["urn"] for r in of_type(doc, component_type)}
    for r in doc["resources"]:
        parent = r["parent"]
        while parent in index and parent not in roots:
            parent = index[parent]["parent"]
        if parent in roots:
            yield r
