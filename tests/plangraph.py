"""Readers over a plan document for cross-object checks: objects by kind and name, and the dependency graph."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
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

# Every model-server pod carries it (the pool selects on it and the model label).
SERVING_LABEL = "llm-d.ai/inference-serving"
PROJECT = "example-project"
GATED = "meta-llama/Llama-3.1-8B-Instruct"
TOKEN = "hf_PlanGraphTokenNeverInPlainText0123"


def plan_with(stack: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The plan document of a shipped stack file with `extra` keys set over it (top-level keys replace)."""
    config = {**load_config_file(stack_file(stack)), **extra}
    if stack != "existing-cluster":
        config.setdefault("gcp:project", PROJECT)
    return run_plan(stack, config).document()


def gated_variants(extra: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Plans where the Hugging Face token path exists: GKE (Secret Manager add-on) and an existing cluster."""
    return {
        "gated-gke": plan_with(
            "nvidia-a100-80gb",
            {
                "llmd:model": {"name": GATED, "replicas": 1},
                "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}],
                "llmd:hfToken": TOKEN,
                **(extra or {}),
            },
        ),
        "gated-existing": plan_with(
            "existing-cluster",
            {"llmd:model": {"name": GATED, "replicas": 1}, "llmd:hfToken": TOKEN, **(extra or {})},
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


# ----------------------------------------------------------------- model servers and pickers, either version set


@dataclass(frozen=True)
class ModelServer:
    """One pool's vLLM pods as either version set describes them: modelservice chart values (2026-04) or a typed
    Deployment (v0.9.0)."""

    resource: dict[str, Any]
    model: str
    namespace: str | None
    replicas: int  # the Deployment's count, or with an autoscaler the most it may scale to
    labels: dict[str, str]  # the pods' labels
    pod: dict[str, Any]  # nodeSelector, tolerations, volumes, serviceAccountName of the pods
    container: dict[str, Any]
    # The Kubernetes Secret the token comes from on an existing cluster (chart: modelArtifacts.authSecretName,
    # Deployment: an env secretKeyRef).
    auth_secret: str | None = None

    @property
    def vllm_words(self) -> list[str]:
        """The words of the start script's `vllm serve` line, from `vllm` on (the model is words[2])."""
        [script] = self.container["args"]
        [line] = [line for line in script.splitlines() if line.startswith("exec vllm serve ")]
        return shlex.split(line)[1:]

    @property
    def service_account(self) -> str | None:
        return self.pod.get("serviceAccountName")


def model_servers(doc: dict[str, Any]) -> list[ModelServer]:
    servers = []
    for release in model_releases(doc):
        values = release["inputs"]["values"]
        decode = values["decode"]
        [container] = decode["containers"]
        pod = {k: v for k, v in decode.items() if k in ("nodeSelector", "tolerations", "volumes")}
        servers.append(
            ModelServer(
                release,
                values["modelArtifacts"]["name"],
                namespace_of(release),
                decode["replicas"],
                values["modelArtifacts"]["labels"],
                {**pod, "serviceAccountName": values.get("serviceAccountOverride")},
                container,
                values["modelArtifacts"].get("authSecretName"),
            )
        )
    autoscaled = {
        h["inputs"]["spec"]["scaleTargetRef"]["name"]: h["inputs"]["spec"]["maxReplicas"]
        for h in of_type(doc, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    }
    for deployment in of_type(doc, DEPLOYMENT):
        template = deployment["inputs"]["spec"]["template"]
        labels = template["metadata"]["labels"]
        if labels.get(SERVING_LABEL) != "true":
            continue
        [container] = template["spec"]["containers"]
        words = shlex.split(container["args"][0].splitlines()[-1])
        model = words[words.index("--served-model-name") + 1]
        secrets = [e["valueFrom"]["secretKeyRef"]["name"] for e in container.get("env", []) if "valueFrom" in e]
        servers.append(
            ModelServer(
                deployment,
                model,
                namespace_of(deployment),
                deployment["inputs"]["spec"].get("replicas", autoscaled.get(name_of(deployment) or "")),
                labels,
                template["spec"],
                container,
                secrets[0] if secrets else None,
            )
        )
    return servers


@dataclass(frozen=True)
class EndpointPicker:
    """One InferencePool and its endpoint picker: the inferencepool release (2026-04) or the router release
    (v0.9.0), which both create the pool under the release's name."""

    release: dict[str, Any]
    name: str  # the InferencePool's name
    namespace: str | None
    match_labels: dict[str, str]
    target_ports: list[int]
    epp: dict[str, Any]  # pluginsConfigFile, pluginsCustomConfig, flags, image
    epp_pod_labels: dict[str, str]  # how each chart labels its EPP pods

    @property
    def config(self) -> dict[str, Any]:
        return dict(json.loads(self.epp["pluginsCustomConfig"][self.epp["pluginsConfigFile"]]))


def endpoint_pickers(doc: dict[str, Any]) -> list[EndpointPicker]:
    pickers = []
    for release in pool_releases(doc):
        values = release["inputs"]["values"]
        pool = values["inferencePool"]
        pickers.append(
            EndpointPicker(
                release,
                str(name_of(release)),
                namespace_of(release),
                pool["modelServers"]["matchLabels"],
                [t["number"] for t in pool["targetPorts"]],
                values["inferenceExtension"],
                # gateway-api-inference-extension config/charts/inferencepool/templates/_helpers.tpl
                {"inferencepool": f"{str(name_of(release)).lower().strip()[:40]}-epp"},
            )
        )
    for release in releases(doc, "/llm-d-router-gateway"):
        router = release["inputs"]["values"]["router"]
        servers = router["modelServers"]
        pickers.append(
            EndpointPicker(
                release,
                str(name_of(release)),
                namespace_of(release),
                servers["matchLabels"],
                [t["number"] for t in servers["targetPorts"]],
                router["epp"],
                # llm-d-router charts/llm-d-router-gateway at v0.10.0 (stacks/llmd_v0_9.py)
                {"llm-d-router-gateway": f"{str(name_of(release))[:40]}-epp"},
            )
        )
    return pickers
