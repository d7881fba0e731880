"""Guardrails as plain functions: the CrossGuard pack (policy/__main__.py) runs them at deploy time and the
tests run them over every stack's offline plan. Props use Pulumi's wire names (camelCase).

A resource rule takes one Resource and returns violation messages; a stack rule takes all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
EXTERNAL_CLASSES = {"gke-l7-global-external-managed", "gke-l7-regional-external-managed", "gke-l7-gxlb"}
CHANNELS = {"RAPID", "REGULAR", "STABLE"}
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
STACK_LABEL = "llmd-stack"

# Where each labelled GCP type keeps its labels.
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    CLUSTER: ("resourceLabels",),
    NODE_POOL: ("nodeConfig", "resourceLabels"),
    "gcp:compute/address:Address": ("labels",),
    "gcp:compute/globalAddress:GlobalAddress": ("labels",),
    "gcp:secretmanager/secret:Secret": ("labels",),
    "gcp:artifactregistry/repository:Repository": ("labels",),
    "gcp:certificatemanager/certificate:Certificate": ("labels",),
    "gcp:certificatemanager/certificateMap:CertificateMap": ("labels",),
    "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": ("labels",),
    "gcp:monitoring/alertPolicy:AlertPolicy": ("userLabels",),
    "gcp:cloudbuild/trigger:Trigger": ("tags",),
}

SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY)$", re.IGNORECASE)
CREDENTIAL_VALUE = re.compile(
    r"(hf_[A-Za-z0-9]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|ya29\.[\w-]{20,})"
)
SECRET_MARKERS = {"[secret]", "[unknown]"}


@dataclass(frozen=True)
class Resource:
    type: str
    name: str
    props: dict[str, Any]


def _get(props: dict[str, Any], *path: str) -> Any:
    value: Any = props
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def gke_private_nodes(r: Resource) -> list[str]:
    """GKE nodes have no public IPs."""
    if r.type == CLUSTER and _get(r.props, "privateClusterConfig", "enablePrivateNodes") is not True:
        return ["set privateClusterConfig.enablePrivateNodes: nodes must not have public IPs"]
    return []


def gke_workload_identity(r: Resource) -> list[str]:
    """Pods authenticate as Kubernetes service accounts, never as the node."""
    if r.type == CLUSTER and not _get(r.props, "workloadIdentityConfig", "workloadPool"):
        return ["set workloadIdentityConfig.workloadPool to <project>.svc.id.goog"]
    return []


def _shielded(node_config: Any) -> bool:
    cfg = _get(node_config or {}, "shieldedInstanceConfig") or {}
    return cfg.get("enableSecureBoot") is True and cfg.get("enableIntegrityMonitoring") is True


def gke_shielded_nodes(r: Resource) -> list[str]:
    """Shielded nodes with secure boot and integrity monitoring."""
    problems = []
    if r.type == CLUSTER:
        if r.props.get("enableShieldedNodes") is not True:
            problems.append("set enableShieldedNodes: true")
        if r.props.get("nodeConfig") and not _shielded(r.props["nodeConfig"]):
            problems.append("the cluster's default node config needs secure boot and integrity monitoring")
    if r.type == NODE_POOL and not _shielded(r.props.get("nodeConfig")):
        problems.append("node pool needs shieldedInstanceConfig with secure boot and integrity monitoring")
    return problems


def gke_no_legacy_abac(r: Resource) -> list[str]:
    """Authorisation through RBAC only."""
    if r.type == CLUSTER and r.props.get("enableLegacyAbac") is True:
        return ["legacy ABAC is on: set enableLegacyAbac: false"]
    return []


def gke_no_client_certificate(r: Resource) -> list[str]:
    """No long-lived client certificate for the control plane."""
    if r.type == CLUSTER and _get(r.props, "masterAuth", "clientCertificateConfig", "issueClientCertificate") is True:
        return ["a client certificate is issued: set masterAuth.clientCertificateConfig.issueClientCertificate false"]
    return []


def gke_control_plane_not_open(r: Resource) -> list[str]:
    """Master authorised networks never include 0.0.0.0/0."""
    if r.type != CLUSTER:
        return []
    blocks = _get(r.props, "masterAuthorizedNetworksConfig", "cidrBlocks") or []
    return [
        f"authorised network {b.get('cidrBlock')} opens the control plane"
        for b in blocks
        if b.get("cidrBlock", "").endswith("/0")
    ]


def _node_account_problems(node_config: Any, where: str) -> list[str]:
    node_config = node_config or {}
    account = node_config.get("serviceAccount")
    problems = []
    if not account or account == "default" or str(account).endswith("-compute@developer.gserviceaccount.com"):
        problems.append(f"{where} uses the default compute service account: use a dedicated least-privilege one")
    scopes = node_config.get("oauthScopes") or []
    metadata = _get(node_config, "workloadMetadataConfig", "mode")
    if CLOUD_PLATFORM in scopes and metadata != "GKE_METADATA":
        problems.append(f"{where} has the cloud-platform scope without Workload Identity (GKE_METADATA)")
    return problems


def gke_node_service_account(r: Resource) -> list[str]:
    """Nodes never run as the default compute service account, nor with cloud-platform scope without WI."""
    if r.type == NODE_POOL:
        return _node_account_problems(r.props.get("nodeConfig"), "node pool")
    if r.type == CLUSTER and r.props.get("nodeConfig"):
        return _node_account_problems(r.props.get("nodeConfig"), "cluster default node config")
    return []


def gke_release_channel(r: Resource) -> list[str]:
    """The cluster follows a release channel."""
    if r.type == CLUSTER and _get(r.props, "releaseChannel", "channel") not in CHANNELS:
        return [f"set releaseChannel.channel to one of {', '.join(sorted(CHANNELS))}"]
    return []


def gke_node_auto_repair_and_upgrade(r: Resource) -> list[str]:
    """Node pools repair and upgrade themselves (flex-start pools, which GKE requires without auto-repair, excepted)."""
    if r.type != NODE_POOL:
        return []
    management = r.props.get("management") or {}
    problems = []
    if management.get("autoUpgrade") is not True:
        problems.append("set management.autoUpgrade: true")
    if management.get("autoRepair") is not True and _get(r.props, "nodeConfig", "flexStart") is not True:
        problems.append("set management.autoRepair: true")
    return problems


def gcp_resources_labelled(r: Resource) -> list[str]:
    """Every GCP resource that takes labels carries the stack's labels."""
    path = LABEL_FIELDS.get(r.type)
    if path is None:
        return []
    labels = _get(r.props, *path)
    if not isinstance(labels, dict) or STACK_LABEL not in labels:
        return [f"{'.'.join(path)} must carry the stack's labels (at least '{STACK_LABEL}')"]
    return []


def _strings(value: Any, key: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _literal_secret_env(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        name, literal = value.get("name"), value.get("value")
        named_secret = isinstance(name, str) and SECRET_NAME.search(name)
        if named_secret and isinstance(literal, str) and literal and literal not in SECRET_MARKERS:
            yield str(name)
        for v in value.values():
            yield from _literal_secret_env(v)
    elif isinstance(value, list):
        for v in value:
            yield from _literal_secret_env(v)


def no_plaintext_secrets(r: Resource) -> list[str]:
    """No credential in plain text in a Kubernetes object, chart values or Secret data."""
    if not r.type.startswith("kubernetes:"):
        return []
    problems = [
        f"env var {name} holds a literal value: use valueFrom a Secret" for name in _literal_secret_env(r.props)
    ]
    problems += [
        f"{key or 'a value'} looks like a credential in plain text"
        for key, v in _strings(r.props)
        if CREDENTIAL_VALUE.search(v)
    ]
    if r.type == "kubernetes:core/v1:Secret":
        for field in ("data", "stringData"):
            data = r.props.get(field)
            values = list(data.values()) if isinstance(data, dict) else [data] if isinstance(data, str) else []
            if any(v not in SECRET_MARKERS for v in values):
                problems.append(f"Secret {field} is not a Pulumi secret")
    return problems


ResourceRule = Callable[[Resource], list[str]]

RESOURCE_RULES: tuple[ResourceRule, ...] = (
    gke_private_nodes,
    gke_workload_identity,
    gke_shielded_nodes,
    gke_no_legacy_abac,
    gke_no_client_certificate,
    gke_control_plane_not_open,
    gke_node_service_account,
    gke_release_channel,
    gke_node_auto_repair_and_upgrade,
    gcp_resources_labelled,
    no_plaintext_secrets,
)


def _k8s_name(r: Resource) -> str:
    return str(_get(r.props, "metadata", "name") or r.name)


def _gateway_classes(resources: list[Resource]) -> dict[str, str]:
    return {_k8s_name(g): str(_get(g.props, "spec", "gatewayClassName")) for g in resources if g.type == GATEWAY}


def _parents(route: Resource) -> list[str]:
    return [p.get("name", "") for p in _get(route.props, "spec", "parentRefs") or []]


def _backends(route: Resource) -> list[dict[str, Any]]:
    return [b for rule in _get(route.props, "spec", "rules") or [] for b in rule.get("backendRefs") or []]


def public_routes_have_iap(resources: list[Resource]) -> list[str]:
    """Every Service behind an external gateway has a GCPBackendPolicy with IAP enabled."""
    classes = _gateway_classes(resources)
    protected = {
        str(_get(p.props, "spec", "targetRef", "name"))
        for p in resources
        if p.type == BACKEND_POLICY
        and _get(p.props, "spec", "targetRef", "kind") == "Service"
        and _get(p.props, "spec", "default", "iap", "enabled") is True
    }
    problems = []
    for route in (r for r in resources if r.type == HTTP_ROUTE):
        if not any(classes.get(parent) in EXTERNAL_CLASSES for parent in _parents(route)):
            continue
        for backend in _backends(route):
            if backend.get("kind", "Service") == "Service" and backend.get("name") not in protected:
                problems.append(f"route {_k8s_name(route)} exposes Service {backend.get('name')} publicly without IAP")
            if backend.get("kind") == "InferencePool":
                problems.append(f"route {_k8s_name(route)} exposes InferencePool {backend.get('name')} publicly")
    return problems


def internal_gateway_is_internal(resources: list[Resource]) -> list[str]:
    """Routes to an InferencePool attach only to internal gateways."""
    classes = _gateway_classes(resources)
    problems = []
    for route in (r for r in resources if r.type == HTTP_ROUTE):
        if any(b.get("kind") == "InferencePool" for b in _backends(route)):
            external = [p for p in _parents(route) if classes.get(p) in EXTERNAL_CLASSES]
            problems += [f"route {_k8s_name(route)} sends model traffic through external gateway {p}" for p in external]
    return problems


def outputs_have_no_plaintext_secrets(outputs: dict[str, Any]) -> list[str]:
    """Stack outputs carry no credential in plain text (checked on the plan's outputs)."""
    return [f"output {key} looks like a credential" for key, v in _strings(outputs) if CREDENTIAL_VALUE.search(v)]


StackRule = Callable[[list[Resource]], list[str]]

STACK_RULES: tuple[StackRule, ...] = (public_routes_have_iap, internal_gateway_is_internal)
