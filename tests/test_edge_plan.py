"""The public edge of every GKE stack, asserted on the inputs and dependencies the engine would receive."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from config.edge import DEFAULT_BACKEND_TIMEOUT
from plan.runner import SECRET_PLACEHOLDER, load_config_file, run_plan, stack_file
from policy.rules import Resource, public_routes_have_iap
from stacks.alerts import rules
from stacks.frontend import DEFAULT_REPLICAS
from tests.planview import GKE_STACKS, K8S_PROVIDER, STACKS, of_type, one

EDGE = "llmd:edge:PublicEdge"
ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
RANDOM_ID = "random:index/randomId:RandomId"
ENDPOINTS = "gcp:endpoints/service:Service"
CERTIFICATE = "gcp:certificatemanager/certificate:Certificate"
CERT_MAP = "gcp:certificatemanager/certificateMap:CertificateMap"
CERT_MAP_ENTRY = "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
HEALTH_CHECK = "kubernetes:networking.gke.io/v1:HealthCheckPolicy"
SERVICE = "kubernetes:core/v1:Service"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
SECRET = "kubernetes:core/v1:Secret"
BUILD = "command:local:Command"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
IAP_MEMBER = "gcp:iap/webIamMember:WebIamMember"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
ACCOUNT = "gcp:serviceaccount/account:Account"
DASHBOARD = "gcp:monitoring/dashboard:Dashboard"
ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"


def edge_only(doc: dict[str, Any]) -> dict[str, Any]:
    """The edge layer's resources (the serving layer has Gateways, routes and policies of its own)."""
    parent = {r["urn"]: r["parent"] for r in doc["resources"]}
    [root] = [r["urn"] for r in doc["resources"] if r["type"] == EDGE]

    def inside(urn: str) -> bool:
        while urn:
            if urn == root:
                return True
            urn = parent.get(urn, "")
        return False

    return {**doc, "resources": [r for r in doc["resources"] if inside(r["urn"])]}


def route_named(doc: dict[str, Any], section: str) -> dict[str, Any]:
    [route] = [r for r in of_type(doc, ROUTE) if r["inputs"]["spec"]["parentRefs"][0].get("sectionName") == section]
    return route


@pytest.fixture(scope="module")
def edges(plans: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {stack: edge_only(plans[stack]) for stack in GKE_STACKS}


@pytest.fixture(scope="module")
def custom() -> dict[str, Any]:
    """One stack with every optional edge setting used."""
    config = {
        **load_config_file(stack_file("nvidia-l4")),
        "llmd:iap": {
            "members": ["domain:example.com", "group:ml-team@example.com", "user:alice@example.com"],
            "oauthClientId": "123456789-abcdef.apps.googleusercontent.com",
            "stressTestTokenCreators": ["user:alice@example.com"],
        },
        "llmd:iapOauthClientSecret": {"secure": "v1:encrypted"},
        "llmd:edge": {"endpointsName": "chat", "randomSuffix": False, "backendTimeoutSeconds": 7200},
        # The internal gateway must let a request run at least as long as the chat waits for it.
        "llmd:gateway": {"timeoutSeconds": 7200},
        "llmd:frontend": {"image": "us-docker.pkg.dev/acme/chat/app:1.2.3", "replicas": 6, "queueConcurrency": 64},
        "llmd:alerts": {
            "notificationChannels": ["projects/acme-prod/notificationChannels/42"],
            "ttftP95SloSeconds": 1.5,
        },
    }
    return edge_only(run_plan("nvidia-l4", config).document()) | {"outputs": {}}


def test_existing_cluster_has_no_edge(plans):
    if "existing-cluster" not in STACKS:
        pytest.skip("no existing-cluster stack")
    doc = plans["existing-cluster"]
    assert not [r for r in doc["resources"] if r["type"].startswith("llmd:edge:")]
    assert "chatUrl" not in doc["outputs"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_address_endpoints_certificate_gateway_route_service_are_wired_in_order(edges, stack):
    doc = edges[stack]
    address, suffix, endpoints = one(doc, ADDRESS), one(doc, RANDOM_ID), one(doc, ENDPOINTS)
    certificate, cert_map, entry = one(doc, CERTIFICATE), one(doc, CERT_MAP), one(doc, CERT_MAP_ENTRY)
    gateway, service = one(doc, GATEWAY), one(doc, SERVICE)
    route, host = route_named(doc, "https"), endpoints["inputs"]["serviceName"]

    assert address["inputs"]["addressType"] == "EXTERNAL" and address["inputs"]["ipVersion"] == "IPV4"
    # Endpoints: a DNS name under the project's cloud.goog, ending with the random suffix, pointing at the IP.
    label, rest = host.split(".", 1)
    assert rest == f"endpoints.{endpoints['inputs']['project']}.cloud.goog"
    assert re.fullmatch(re.escape(suffix["inputs"]["keepers"]["base"]) + r"-[0-9a-f]{4}", label), label
    assert len(label) <= 63 and suffix["inputs"]["byteLength"] == 2
    assert {address["urn"], suffix["urn"]} <= set(endpoints["dependencies"])
    # The certificate is for that name, read from the Endpoints service, and mapped for it.
    assert certificate["inputs"]["managed"]["domains"] == [host]
    assert certificate["inputs"]["location"] == "global"
    assert endpoints["urn"] in certificate["dependencies"]
    assert entry["inputs"]["hostname"] == host
    assert {certificate["urn"], cert_map["urn"]} <= set(entry["dependencies"])
    # The gateway: external class, the reserved address, the certificate map, both listeners on the host.
    spec = gateway["inputs"]["spec"]
    assert spec["gatewayClassName"] == "gke-l7-global-external-managed"
    assert spec["addresses"] == [{"type": "NamedAddress", "value": address["inputs"]["name"]}]
    assert gateway["inputs"]["metadata"]["annotations"]["networking.gke.io/certmap"] == cert_map["inputs"]["name"]
    assert {address["urn"], cert_map["urn"], entry["urn"]} <= set(gateway["dependencies"])
    assert {(lst["name"], lst["protocol"], lst["port"], lst["hostname"]) for lst in spec["listeners"]} == {
        ("https", "HTTPS", 443, host),
        ("http", "HTTP", 80, host),
    }
    # The route: the host, on the gateway's HTTPS listener, to the frontend Service.
    assert route["inputs"]["spec"]["hostnames"] == [host]
    assert route["inputs"]["spec"]["parentRefs"] == [
        {"name": gateway["inputs"]["metadata"]["name"], "sectionName": "https"}
    ]
    [rule] = route["inputs"]["spec"]["rules"]
    assert rule["backendRefs"] == [{"name": service["inputs"]["metadata"]["name"], "port": 8080}]
    assert {gateway["urn"], service["urn"]} <= set(route["dependencies"])
    assert route["inputs"]["metadata"]["namespace"] == service["inputs"]["metadata"]["namespace"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_plain_http_only_redirects_to_https(edges, stack):
    doc = edges[stack]
    redirect = route_named(doc, "http")
    [rule] = redirect["inputs"]["spec"]["rules"]
    assert rule == {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}
    assert one(doc, GATEWAY)["urn"] in redirect["dependencies"]
    # No route serves anything on the HTTP listener.
    for route in of_type(doc, ROUTE):
        if route["inputs"]["spec"]["parentRefs"][0]["sectionName"] == "http":
            assert all("backendRefs" not in r for r in route["inputs"]["spec"]["rules"])


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_iap_guards_exactly_the_frontend_service_with_a_long_timeout(edges, stack):
    doc = edges[stack]
    [policy] = of_type(doc, BACKEND_POLICY)
    service = one(doc, SERVICE)
    assert policy["inputs"]["spec"]["targetRef"] == {
        "group": "",
        "kind": "Service",
        "name": service["inputs"]["metadata"]["name"],
    }
    assert policy["inputs"]["metadata"]["namespace"] == service["inputs"]["metadata"]["namespace"]
    # The Google-managed OAuth client: IAP on, no client id or secret.
    assert policy["inputs"]["spec"]["default"]["iap"] == {"enabled": True}
    assert policy["inputs"]["spec"]["default"]["timeoutSec"] == DEFAULT_BACKEND_TIMEOUT
    assert policy["inputs"]["spec"]["default"]["sessionAffinity"]["type"] == "GENERATED_COOKIE"
    assert service["urn"] in policy["dependencies"]
    # The gateway (and so every route) goes live only after the policy exists.
    assert policy["urn"] in one(doc, GATEWAY)["dependencies"]
    assert not of_type(doc, SECRET)


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_no_public_route_without_iap(plans, stack):
    resources = [Resource(r["type"], r["name"], r["inputs"]) for r in plans[stack]["resources"]]
    assert public_routes_have_iap(resources) == []
    # The same rule notices a route whose Service lost its policy.
    unprotected = [
        r for r in resources if r.type != BACKEND_POLICY or r.props["spec"]["targetRef"]["kind"] != "Service"
    ]
    assert public_routes_have_iap(unprotected) != []


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_iap_access_is_scoped_to_the_stack_hostname(edges, stack):
    doc = edges[stack]
    host = one(doc, ENDPOINTS)["inputs"]["serviceName"]
    account = one(doc, ACCOUNT, "stress-test")
    bindings = of_type(doc, IAP_MEMBER)
    assert bindings, "nobody can pass IAP"
    for binding in bindings:
        assert binding["inputs"]["role"] == "roles/iap.httpsResourceAccessor"
        assert binding["inputs"]["condition"]["expression"] == f'request.host == "{host}"'
    members = {b["inputs"]["member"] for b in bindings}
    email = f"{account['inputs']['accountId']}@{account['inputs']['project']}.iam.gserviceaccount.com"
    assert f"serviceAccount:{email}" in members
    assert len(account["inputs"]["accountId"]) <= 30


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_frontend_deployment_is_hardened_and_points_at_the_internal_gateway(plans, edges, stack):
    doc = edges[stack]
    deployment = one(doc, DEPLOYMENT)["inputs"]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"] == {"drop": ["ALL"]}
    assert security["runAsNonRoot"] is True
    [mount] = container["volumeMounts"]
    assert mount["mountPath"] == "/tmp"
    assert [v for v in pod["volumes"] if v["name"] == mount["name"]][0]["emptyDir"]
    assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
    for probe in (container["readinessProbe"], container["livenessProbe"]):
        assert probe["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["ports"] == [{"containerPort": 8080, "name": "http", "protocol": "TCP"}]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["GATEWAY_URL"] == f"http://{plans[stack]['outputs']['internalGatewayAddress']}"
    assert env["DEFAULT_MODEL"] == plans[stack]["outputs"]["servedModel"]
    assert env["REQUEST_TIMEOUT_SECONDS"] == str(one(doc, BACKEND_POLICY)["inputs"]["spec"]["default"]["timeoutSec"])
    assert deployment["spec"]["replicas"] == DEFAULT_REPLICAS == 3
    assert deployment["metadata"]["namespace"] == plans[stack]["outputs"]["llmdNamespace"]
    # The health check of the load balancer uses the same path.
    health = one(doc, HEALTH_CHECK)["inputs"]["spec"]
    assert health["default"]["config"]["httpHealthCheck"]["requestPath"] == "/healthz"
    assert health["default"]["config"]["httpHealthCheck"]["portSpecification"] == "USE_FIXED_PORT"
    assert health["targetRef"]["name"] == one(doc, SERVICE)["inputs"]["metadata"]["name"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_frontend_image_is_built_by_cloud_build_into_the_stack_repository(edges, stack):
    doc = edges[stack]
    repository, build = one(doc, REPOSITORY), one(doc, BUILD)
    container = one(doc, DEPLOYMENT)["inputs"]["spec"]["template"]["spec"]["containers"][0]
    image = build["inputs"]["environment"]["IMAGE"]
    registry = f"{repository['inputs']['location']}-docker.pkg.dev/{repository['inputs']['project']}"
    assert image.startswith(f"{registry}/{repository['inputs']['repositoryId']}/chat:")
    assert repository["inputs"]["format"] == "DOCKER"
    assert "gcloud builds submit" in build["inputs"]["create"]
    assert build["inputs"]["triggers"] == [image]
    assert container["image"] == image
    assert repository["urn"] in build["dependencies"]
    assert build["urn"] in one(doc, DEPLOYMENT)["dependencies"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_dashboard_and_alerts_cover_this_stack(plans, edges, stack):
    doc = edges[stack]
    cluster, namespace = plans[stack]["outputs"]["clusterName"], plans[stack]["outputs"]["llmdNamespace"]
    dashboard = json.loads(one(doc, DASHBOARD)["inputs"]["dashboardJson"])
    queries = [
        ds["timeSeriesQuery"]["prometheusQuery"]
        for tile in dashboard["mosaicLayout"]["tiles"]
        for ds in tile["widget"].get("xyChart", {}).get("dataSets", [])
    ]
    assert queries and all(
        f'cluster="{cluster}",namespace="{namespace}"' in q
        or f'cluster_name="{cluster}",namespace_name="{namespace}"' in q
        for q in queries
    )
    alerts = of_type(doc, ALERT)
    assert {a["name"] for a in alerts} == {r.key for r in rules(_default_alerts())}
    for alert in alerts:
        [condition] = alert["inputs"]["conditions"]
        query = condition["conditionPrometheusQueryLanguage"]["query"]
        assert f'cluster="{cluster}",namespace="{namespace}"' in query
        assert alert["inputs"]["notificationChannels"] == []
        assert alert["inputs"]["userLabels"]["llmd-stack"]
    assert plans[stack]["outputs"]["dashboardUrl"].startswith("https://console.cloud.google.com/monitoring/dashboards/")


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_outputs_and_labels(plans, edges, stack):
    outputs, doc = plans[stack]["outputs"], edges[stack]
    host = one(doc, ENDPOINTS)["inputs"]["serviceName"]
    assert outputs["chatUrl"] == f"https://{host}"
    assert outputs["stressTestServiceAccount"].startswith(one(doc, ACCOUNT, "stress-test")["inputs"]["accountId"] + "@")
    assert outputs["internalGatewayAddress"]
    for type_, field in (
        (ADDRESS, "labels"),
        (CERTIFICATE, "labels"),
        (CERT_MAP, "labels"),
        (CERT_MAP_ENTRY, "labels"),
        (REPOSITORY, "labels"),
        (ALERT, "userLabels"),
    ):
        for resource in of_type(doc, type_):
            assert resource["inputs"][field]["llmd-stack"], (type_, resource["name"])
    dashboard_labels = json.loads(one(doc, DASHBOARD)["inputs"]["dashboardJson"])["labels"]
    assert dashboard_labels["llmd-stack"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_kubernetes_objects_use_the_cluster_provider(plans, edges, stack):
    [provider] = [p for p in of_type(plans[stack], K8S_PROVIDER)]
    reference = f"{provider['urn']}::{provider['name']}-id"
    k8s = [r for r in edges[stack]["resources"] if r["type"].startswith("kubernetes:")]
    assert len(k8s) >= 7
    assert all(r["provider"] == reference for r in k8s), {r["name"]: r["provider"] for r in k8s}


def test_custom_oauth_client_secret_stays_secret(custom):
    [policy] = of_type(custom, BACKEND_POLICY)
    [secret] = of_type(custom, SECRET)
    iap = policy["inputs"]["spec"]["default"]["iap"]
    assert iap["enabled"] is True and iap["clientID"] == "123456789-abcdef.apps.googleusercontent.com"
    assert iap["oauth2ClientSecret"] == {"name": secret["inputs"]["metadata"]["name"]}
    assert secret["inputs"]["stringData"] == "[secret]"
    assert secret["inputs"]["metadata"]["namespace"] == policy["inputs"]["metadata"]["namespace"]
    assert SECRET_PLACEHOLDER not in str(custom)
    assert policy["inputs"]["spec"]["default"]["timeoutSec"] == 7200


def test_custom_members_token_creators_image_name_and_channels(custom):
    members = {b["inputs"]["member"] for b in of_type(custom, IAP_MEMBER)}
    assert {"domain:example.com", "group:ml-team@example.com", "user:alice@example.com"} <= members
    assert len(members) == 4  # and the stress-test account
    [creator] = of_type(custom, SA_MEMBER)
    assert creator["inputs"]["role"] == "roles/iam.serviceAccountTokenCreator"
    assert creator["inputs"]["member"] == "user:alice@example.com"
    assert creator["inputs"]["serviceAccountId"].endswith(
        "llmd-nvidia-l4-stress@example-project.iam.gserviceaccount.com"
    )
    # A prebuilt image: no repository, no build.
    assert not of_type(custom, BUILD) and not of_type(custom, REPOSITORY)
    deployment = one(custom, DEPLOYMENT)["inputs"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "us-docker.pkg.dev/acme/chat/app:1.2.3"
    assert deployment["spec"]["replicas"] == 6
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["QUEUE_CONCURRENCY"] == "64" and env["REQUEST_TIMEOUT_SECONDS"] == "7200"
    # A fixed Endpoints name: no random suffix.
    assert not of_type(custom, RANDOM_ID)
    assert one(custom, ENDPOINTS)["inputs"]["serviceName"] == "chat.endpoints.example-project.cloud.goog"
    for alert in of_type(custom, ALERT):
        assert alert["inputs"]["notificationChannels"] == ["projects/acme-prod/notificationChannels/42"]
    [ttft] = [a for a in of_type(custom, ALERT) if a["name"] == "ttft-slo"]
    assert ttft["inputs"]["conditions"][0]["conditionPrometheusQueryLanguage"]["query"].endswith("> 1.5")


def _default_alerts():
    from config.edge import AlertSettings

    return AlertSettings(True, (), 2.0, 5.0, 10.0)


EDGE_SOURCES = (
    "edge",
    "edge_address",
    "endpoints_dns",
    "certificate",
    "external_gateway",
    "iap_access",
    "frontend",
    "frontend_image",
    "dashboard",
    "alerts",
)


@pytest.mark.parametrize("module", EDGE_SOURCES)
def test_teardown_deletes_every_edge_object(module):
    """No edge resource skips its delete: GKE's load balancers and NEGs go with the Gateway and Service."""
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "components" / "edge" / f"{module}.py"
    keywords = {
        k.arg for node in ast.walk(ast.parse(source.read_text())) if isinstance(node, ast.Call) for k in node.keywords
    }
    assert not keywords & {"deleted_with", "retain_on_delete", "protect"}
    assert "deletion_policy" not in keywords  # GCP resources keep the provider's default: DELETE


def test_members_that_differ_only_in_punctuation_get_their_own_bindings():
    members = ["user:john.doe@example.com", "user:john-doe@example.com"]
    plan = run_plan(
        "nvidia-l4", {"gcp:project": "my-project-1", "gcp:region": "us-central1", "llmd:iap": {"members": members}}
    )
    bound = [
        r.inputs["member"]
        for r in plan.registrations
        if r.type == "gcp:iap/webIamMember:WebIamMember" and r.inputs.get("member") in members
    ]
    assert sorted(bound) == sorted(members)
