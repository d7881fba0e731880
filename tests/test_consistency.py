"""Cross-object consistency: what one object names or reads, another object of the same plan provides.

Each test resolves a reference (a mounted file, a scraped port, a route's backend, a policy's target, a
Service's target port, the IAP audience) to the object that must answer it, in every shipped stack and in
plans with a Hugging Face token, so a change on one side only fails here rather than in a running cluster.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from plan.mocks import INVOKE_RESULTS
from tests.conftest import SET_2026_04
from tests.plangraph import (
    BACKEND_POLICY,
    DEPLOYMENT,
    GATEWAY,
    HEALTH_CHECK,
    K8S_SECRET,
    K8S_SERVICE,
    POD_MONITORING,
    ROUTE,
    SM_SECRET,
    SM_SECRET_IAM,
    SPC,
    EndpointPicker,
    ModelServer,
    endpoint_pickers,
    gated_variants,
    model_servers,
    name_of,
    namespace_of,
    of_type,
    releases,
)
from tests.planview import STACKS

VARIANTS = [*STACKS, "gated-gke", "gated-existing"]
TOKEN_VARIANTS = ["gated-gke", "gated-existing"]
SECRET_MANAGER_CSI_DRIVER = "secrets-store-gke.csi.k8s.io"
POOL_GROUP = "inference.networking.k8s.io"

# The inferencepool chart's EPP Deployment (gateway-api-inference-extension, config/charts/inferencepool/templates/
# epp-deployment.yaml and _helpers.tpl): its pods carry `inferencepool: <release name, lower, 40 chars>-epp` and
# its one container declares these ports. vLLM serves Prometheus metrics at /metrics on its API port.
EPP_CONTAINER_PORTS = {"grpc": 9002, "grpc-health": 9003, "metrics": 9090}
EPP_METRICS_PORT = "metrics"
METRICS_PATH = "/metrics"


def epp_name(release_name: str) -> str:
    return f"{release_name.lower().strip()[:40]}-epp"


@pytest.fixture(scope="module", params=["default", "2026-04"])
def docs(request, plans, plans_2026_04) -> dict[str, dict[str, Any]]:
    """Every variant on the default version set and on the 2026-04 set (the readers cover both sets' shapes)."""
    if request.param == "default":
        # The token variants download from Hugging Face in the model servers, the path these token checks follow;
        # with weights from Cloud Storage only the copy Jobs read the token (tests/test_model_weights.py).
        return {**plans, **gated_variants({"llmd:weights": {"source": "huggingface"}})}
    return {**plans_2026_04, **gated_variants(SET_2026_04)}


def vllm_port(server: ModelServer) -> int:
    """The port the `vllm serve` line of the start script listens on (vLLM's default is 8000)."""
    words = server.vllm_words
    return int(words[words.index("--port") + 1]) if "--port" in words else 8000


def frontend_env(doc: dict[str, Any]) -> dict[str, str | None]:
    [deployment] = [d for d in of_type(doc, DEPLOYMENT) if "::llmd:edge:" in d["urn"]]
    [app] = deployment["inputs"]["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value") for e in app["env"]}


def token_files_read(server: ModelServer) -> set[str]:
    """Every file the start script reads while setting HF_TOKEN."""
    [script] = server.container["args"]
    lines = [line for line in script.splitlines() if "HF_TOKEN" in line]
    return {path for line in lines for path in re.findall(r"(/[\w.@/-]+)", line)}


def mounted_secret_files(doc: dict[str, Any], server: ModelServer) -> set[str]:
    """The files the Secret Manager add-on puts into the model server container: mount path + SPC object path."""
    volumes = {v["name"]: v for v in server.pod.get("volumes", [])}
    classes = {(name_of(r), namespace_of(r)): r for r in of_type(doc, SPC)}
    files: set[str] = set()
    for mount in server.container.get("volumeMounts", []):
        csi = volumes.get(mount["name"], {}).get("csi")
        if not csi or csi.get("driver") != SECRET_MANAGER_CSI_DRIVER:
            continue
        spc = classes.get((csi["volumeAttributes"]["secretProviderClass"], server.namespace))
        assert spc is not None, f"volume {mount['name']} names a SecretProviderClass the plan does not create"
        for entry in yaml.safe_load(spc["inputs"]["spec"]["parameters"]["secrets"]):
            files.add(f"{mount['mountPath'].rstrip('/')}/{entry['path']}")
    return files


# ----------------------------------------------------------------------------------------- the HF token


class TestHfTokenFile:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_the_file_the_start_script_reads_is_a_file_the_secret_is_mounted_as(self, docs, variant):
        doc = docs[variant]
        for server in model_servers(doc):
            read, mounted = token_files_read(server), mounted_secret_files(doc, server)
            assert read <= mounted, f"{server.model} reads {sorted(read)}; mounted: {sorted(mounted)}"
            # A mounted token nobody reads is the same bug seen from the other side.
            assert mounted <= read, f"{server.model} mounts {sorted(mounted)} but reads {sorted(read)}"

    def test_a_token_on_gke_reaches_every_model_server_as_a_file(self, docs):
        doc = docs["gated-gke"]
        assert of_type(doc, SPC)
        for server in model_servers(doc):
            assert token_files_read(server), server.model
            assert server.auth_secret is None

    def test_the_provider_class_reads_the_secret_the_plan_creates(self, docs):
        doc = docs["gated-gke"]
        secrets = {(r["inputs"]["project"], r["inputs"]["secretId"]) for r in of_type(doc, SM_SECRET)}
        for spc in of_type(doc, SPC):
            for entry in yaml.safe_load(spc["inputs"]["spec"]["parameters"]["secrets"]):
                match = re.fullmatch(r"projects/([^/]+)/secrets/([^/]+)/versions/[^/]+", entry["resourceName"])
                assert match, entry["resourceName"]
                assert (match[1], match[2]) in secrets

    def test_exactly_the_model_servers_that_mount_the_token_may_read_it(self, docs):
        doc = docs["gated-gke"]
        [secret] = of_type(doc, SM_SECRET)
        mounting = {(s.namespace, s.service_account) for s in model_servers(doc) if mounted_secret_files(doc, s)}
        readers = set()
        for member in of_type(doc, SM_SECRET_IAM):
            assert member["inputs"]["secretId"] == secret["inputs"]["secretId"]
            match = re.fullmatch(r"principal://.+/subject/ns/([^/]+)/sa/([^/]+)", member["inputs"]["member"])
            assert match, member["inputs"]["member"]
            readers.add((match[1], match[2]))
        assert mounting and readers == mounting
        service_accounts = {(namespace_of(r), name_of(r)) for r in of_type(doc, "kubernetes:core/v1:ServiceAccount")}
        assert mounting <= service_accounts

    def test_on_an_existing_cluster_the_auth_secret_is_a_secret_of_the_plan(self, docs):
        doc = docs["gated-existing"]
        secrets = {(name_of(r), namespace_of(r)) for r in of_type(doc, K8S_SECRET)}
        [server] = model_servers(doc)
        assert (server.auth_secret, server.namespace) in secrets


# ----------------------------------------------------------------------------------------- scraping


def _selected_model_servers(doc: dict[str, Any], labels: dict[str, str], namespace: str | None) -> list[ModelServer]:
    return [s for s in model_servers(doc) if s.namespace == namespace and labels.items() <= s.labels.items()]


def _selected_pickers(doc: dict[str, Any], labels: dict[str, str], namespace: str | None) -> list[EndpointPicker]:
    return [p for p in endpoint_pickers(doc) if p.namespace == namespace and labels.items() <= p.epp_pod_labels.items()]


class TestScrapedPorts:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_pod_monitoring_scrapes_a_port_and_path_its_pods_serve(self, docs, variant):
        doc = docs[variant]
        for monitoring in of_type(doc, POD_MONITORING):
            spec, namespace = monitoring["inputs"]["spec"], namespace_of(monitoring)
            labels = spec["selector"]["matchLabels"]
            servers = _selected_model_servers(doc, labels, namespace)
            pickers = _selected_pickers(doc, labels, namespace)
            assert bool(servers) != bool(pickers), f"{name_of(monitoring)} selects {len(servers + pickers)} pools"
            for endpoint in spec["endpoints"]:
                assert endpoint["path"] == METRICS_PATH, name_of(monitoring)
                for server in servers:
                    ports = server.container["ports"]
                    port = endpoint["port"]
                    numbers = [p["containerPort"] for p in ports if port in (p["containerPort"], p.get("name"))]
                    assert numbers == [vllm_port(server)], (name_of(monitoring), port, ports)
                if pickers:
                    assert endpoint["port"] in (EPP_METRICS_PORT, EPP_CONTAINER_PORTS[EPP_METRICS_PORT])

    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_every_model_pool_and_endpoint_picker_is_scraped(self, docs, variant):
        doc = docs[variant]
        monitorings = [
            (m["inputs"]["spec"]["selector"]["matchLabels"], namespace_of(m)) for m in of_type(doc, POD_MONITORING)
        ]
        for server in model_servers(doc):
            assert any(server in _selected_model_servers(doc, lab, ns) for lab, ns in monitorings), server.model
        for picker in endpoint_pickers(doc):
            assert any(picker in _selected_pickers(doc, lab, ns) for lab, ns in monitorings), picker.name

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_inference_pools_and_their_health_checks_use_the_port_vllm_listens_on(self, docs, variant):
        doc = docs[variant]
        health = {
            (p["inputs"]["spec"]["targetRef"]["name"], namespace_of(p)): p["inputs"]["spec"]["default"]
            for p in of_type(doc, HEALTH_CHECK)
            if p["inputs"]["spec"]["targetRef"]["kind"] == "InferencePool"
        }
        pickers = endpoint_pickers(doc)
        for picker in pickers:
            selected = _selected_model_servers(doc, picker.match_labels, picker.namespace)
            assert len(selected) == 1, picker.name
            [server] = selected
            port = vllm_port(server)
            assert picker.target_ports == [port]
            assert port in [p["containerPort"] for p in server.container["ports"]]
            check = health.get((picker.name, picker.namespace))
            if check is not None:
                http = check["config"]["httpHealthCheck"]
                assert http["port"] == port
                assert http["requestPath"] == server.container["livenessProbe"]["httpGet"]["path"]
        assert pickers and len(pickers) == len(model_servers(doc))


# ------------------------------------------------------------------------------------ routes and policies


def _services(doc: dict[str, Any]) -> dict[tuple[str | None, str | None], dict[str, Any]]:
    return {(name_of(r), namespace_of(r)): r for r in of_type(doc, K8S_SERVICE)}


def _resolve(doc: dict[str, Any], ref: dict[str, Any], namespace: str | None) -> dict[str, Any] | None:
    """The object of the plan a backendRef or targetRef names, or None."""
    kind, group = ref.get("kind", "Service"), ref.get("group", "")
    target_ns = ref.get("namespace", namespace)
    if kind == "InferencePool":
        assert group == POOL_GROUP, ref
        found = [p for p in endpoint_pickers(doc) if (p.name, p.namespace) == (ref["name"], target_ns)]
        return found[0].release if len(found) == 1 else None
    assert (kind, group) == ("Service", ""), ref
    return _services(doc).get((ref["name"], target_ns))


def _gateways(doc: dict[str, Any]) -> dict[tuple[str | None, str | None], list[str]]:
    """Gateways of the plan (and those the llm-d-infra chart renders) with their listener names."""
    found = {
        (name_of(g), namespace_of(g)): [listener["name"] for listener in g["inputs"]["spec"]["listeners"]]
        for g in of_type(doc, GATEWAY)
    }
    for infra in releases(doc, "llm-d-infra"):
        gateway = infra["inputs"]["values"]["gateway"]
        names = [listener["name"] for listener in gateway["listeners"]]
        found[(gateway["fullnameOverride"], namespace_of(infra))] = names
    return found


class TestReferencesResolve:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_route_backend_is_an_object_the_plan_creates(self, docs, variant):
        doc = docs[variant]
        routes = of_type(doc, ROUTE)
        assert routes
        for route in routes:
            for rule in route["inputs"]["spec"]["rules"]:
                for ref in rule.get("backendRefs", []):
                    target = _resolve(doc, ref, namespace_of(route))
                    assert target is not None, f"{name_of(route)} -> {ref} is not in the plan"
                    if ref.get("kind", "Service") == "Service":
                        assert ref["port"] in [p["port"] for p in target["inputs"]["spec"]["ports"]], ref
                    else:
                        assert "port" not in ref, "an InferencePool backendRef takes its ports from the pool"

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_route_parent_is_a_gateway_listener_of_the_plan(self, docs, variant):
        doc = docs[variant]
        gateways = _gateways(doc)
        for route in of_type(doc, ROUTE):
            for parent in route["inputs"]["spec"]["parentRefs"]:
                assert parent.get("kind", "Gateway") == "Gateway"
                listeners = gateways.get((parent["name"], parent.get("namespace", namespace_of(route))))
                assert listeners is not None, f"{name_of(route)} -> gateway {parent['name']} is not in the plan"
                if "sectionName" in parent:
                    assert parent["sectionName"] in listeners

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_policy_targets_an_object_the_plan_creates(self, docs, variant):
        doc = docs[variant]
        for token in (BACKEND_POLICY, HEALTH_CHECK):
            for policy in of_type(doc, token):
                ref = policy["inputs"]["spec"]["targetRef"]
                assert _resolve(doc, ref, namespace_of(policy)) is not None, f"{name_of(policy)} -> {ref}"

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_pool_behind_a_gke_gateway_has_its_policies(self, docs, variant):
        doc = docs[variant]
        if not of_type(doc, GATEWAY):
            pytest.skip("no GKE gateway: an existing cluster's Istio takes no GKE policies")
        for token in (BACKEND_POLICY, HEALTH_CHECK):
            targets = {(p["inputs"]["spec"]["targetRef"]["name"], namespace_of(p)) for p in of_type(doc, token)}
            for picker in endpoint_pickers(doc):
                assert (picker.name, picker.namespace) in targets, (token, picker.name)


# ---------------------------------------------------------------------------------------- the frontend


def _containers_behind(doc: dict[str, Any], service: dict[str, Any]) -> list[dict[str, Any]]:
    selector = service["inputs"]["spec"]["selector"]
    found = []
    for deployment in of_type(doc, DEPLOYMENT):
        template = deployment["inputs"]["spec"]["template"]
        if (
            namespace_of(deployment) == namespace_of(service)
            and selector.items() <= template["metadata"]["labels"].items()
        ):
            found += template["spec"]["containers"]
    return found


def _pod_port(containers: list[dict[str, Any]], target: int | str) -> int | None:
    for c in containers:
        for p in c.get("ports", []):
            if target in (p["containerPort"], p.get("name")):
                return int(p["containerPort"])
    return None


class TestFrontendWiring:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_service_target_port_is_a_port_of_the_pods_it_selects(self, docs, variant):
        doc = docs[variant]
        for service in of_type(doc, K8S_SERVICE):
            containers = _containers_behind(doc, service)
            assert containers, f"service {name_of(service)} selects no pods of the plan"
            for port in service["inputs"]["spec"]["ports"]:
                target = port.get("targetPort", port["port"])
                assert _pod_port(containers, target) is not None, (name_of(service), target)

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_service_health_checks_probe_the_pod_port_and_path_the_app_answers(self, docs, variant):
        doc = docs[variant]
        for policy in of_type(doc, HEALTH_CHECK):
            ref = policy["inputs"]["spec"]["targetRef"]
            if ref["kind"] != "Service":
                continue
            service = _resolve(doc, ref, namespace_of(policy))
            assert service is not None
            containers = _containers_behind(doc, service)
            http = policy["inputs"]["spec"]["default"]["config"]["httpHealthCheck"]
            pod_ports = {
                _pod_port(containers, p.get("targetPort", p["port"])) for p in service["inputs"]["spec"]["ports"]
            }
            # Container-native load balancing sends health checks straight to the pod's port.
            assert http["port"] in pod_ports
            assert http["requestPath"] in {c["readinessProbe"]["httpGet"]["path"] for c in containers}

    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_iap_audience_names_the_project_number_gcp_reports(self, docs, variant):
        number = INVOKE_RESULTS["gcp:organizations/getProject:getProject"]["number"]
        env = frontend_env(docs[variant])
        assert env["IAP_AUDIENCE_PREFIX"] == f"/projects/{number}/global/backendServices/"
        for member in of_type(docs[variant], SM_SECRET_IAM):
            assert member["inputs"]["member"].startswith(f"principal://iam.googleapis.com/projects/{number}/")


class TestFrontendReachesTheModels:
    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_frontend_calls_the_internal_gateway_on_a_listener_port(self, docs, variant):
        doc = docs[variant]
        env = frontend_env(doc)
        match = re.fullmatch(r"http://([^/:]+)(?::(\d+))?/?", env["GATEWAY_URL"] or "")
        assert match, env["GATEWAY_URL"]
        assert match[1] == doc["outputs"]["internalGatewayAddress"]
        internal = [g for g in of_type(doc, GATEWAY) if g["inputs"]["spec"]["gatewayClassName"] == "gke-l7-rilb"]
        [gateway] = internal
        ports = {x["port"] for x in gateway["inputs"]["spec"]["listeners"] if x["protocol"] == "HTTP"}
        assert int(match[2] or 80) in ports

    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_frontend_default_model_is_the_one_the_default_route_serves(self, docs, variant):
        doc = docs[variant]
        env = frontend_env(doc)
        assert env["DEFAULT_MODEL"] in served_by_default_rule(doc)


def served_model_names(doc: dict[str, Any], pool: dict[str, Any]) -> set[str]:
    """The --served-model-name of the model servers an InferencePool (its release) selects."""
    [picker] = [p for p in endpoint_pickers(doc) if p.release is pool]
    names = set()
    for server in _selected_model_servers(doc, picker.match_labels, picker.namespace):
        words = server.vllm_words
        names.add(words[words.index("--served-model-name") + 1] if "--served-model-name" in words else words[2])
    return names


def served_by_default_rule(doc: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for route in of_type(doc, ROUTE):
        for rule in route["inputs"]["spec"]["rules"]:
            if any("headers" in m for m in rule.get("matches", [])):
                continue
            for ref in rule.get("backendRefs", []):
                if ref.get("kind") == "InferencePool":
                    target = _resolve(doc, ref, namespace_of(route))
                    assert target is not None
                    names |= served_model_names(doc, target)
    return names


class TestModelRouting:
    @pytest.mark.parametrize("variant", VARIANTS)
    def test_a_model_header_routes_to_the_pool_serving_that_model(self, docs, variant):
        doc = docs[variant]
        for route in of_type(doc, ROUTE):
            for rule in route["inputs"]["spec"]["rules"]:
                headers = [h for m in rule.get("matches", []) for h in m.get("headers", [])]
                for header in headers:
                    for ref in rule["backendRefs"]:
                        target = _resolve(doc, ref, namespace_of(route))
                        assert target is not None
                        assert served_model_names(doc, target) == {header["value"]}

    @pytest.mark.parametrize("variant", VARIANTS)
    def test_every_model_pool_is_reachable_through_the_internal_route(self, docs, variant):
        doc = docs[variant]
        routed = set()
        for route in of_type(doc, ROUTE):
            for rule in route["inputs"]["spec"]["rules"]:
                routed |= {
                    (r["name"], namespace_of(route))
                    for r in rule.get("backendRefs", [])
                    if r.get("kind") == "InferencePool"
                }
        assert {(p.name, p.namespace) for p in endpoint_pickers(doc)} == routed
        assert served_by_default_rule(doc), "no route rule without a header: requests without one reach no pool"


FIREWALL = "gcp:compute/firewall:Firewall"


class TestFirewallCoversWhatLoadBalancersReach:
    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_every_port_a_load_balancer_reaches_is_open_from_its_source(self, docs, variant):
        doc = docs[variant]
        rules = {f["name"]: f["inputs"] for f in of_type(doc, FIREWALL)}

        def open_ports(name: str) -> set[int]:
            return {int(p) for allow in rules[name]["allows"] if allow["protocol"] == "tcp" for p in allow["ports"]}

        pools = endpoint_pickers(doc)
        pool_ports = {port for p in pools for port in p.target_ports}
        checked = {
            p["inputs"]["spec"]["default"]["config"]["httpHealthCheck"]["port"] for p in of_type(doc, HEALTH_CHECK)
        }
        frontend = set()
        for service in of_type(doc, K8S_SERVICE):
            containers = _containers_behind(doc, service)
            frontend |= {
                _pod_port(containers, p.get("targetPort", p["port"])) for p in service["inputs"]["spec"]["ports"]
            }
        picker = {EPP_CONTAINER_PORTS["grpc"], EPP_CONTAINER_PORTS["grpc-health"]} if pools else set()
        # Google's health checkers and front ends (the external gateway) share the health-check ranges; the
        # internal gateway's proxies come from the proxy-only subnet and call the model servers and the EPP.
        assert pool_ports | checked | frontend | picker <= open_ports("allow-health-checks")
        assert pool_ports | {EPP_CONTAINER_PORTS["grpc"]} <= open_ports("allow-proxy-only")
        [proxy_subnet] = [
            s
            for s in of_type(doc, "gcp:compute/subnetwork:Subnetwork")
            if s["inputs"].get("purpose") == "REGIONAL_MANAGED_PROXY"
        ]
        assert rules["allow-proxy-only"]["sourceRanges"] == [proxy_subnet["inputs"]["ipCidrRange"]]
        accounts = {
            p["inputs"]["nodeConfig"]["serviceAccount"] for p in of_type(doc, "gcp:container/nodePool:NodePool")
        }
        for rule in rules.values():
            assert set(rule["targetServiceAccounts"]) == accounts


class TestMonitoringScope:
    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_queries_select_the_cluster_and_namespace_the_plan_creates(self, docs, variant):
        """Managed Prometheus labels every series with the cluster's name and the pod's namespace."""
        doc = docs[variant]
        [cluster] = of_type(doc, "gcp:container/cluster:Cluster")
        namespaces = {name_of(n) for n in of_type(doc, "kubernetes:core/v1:Namespace")}
        texts = [r["inputs"]["dashboardJson"] for r in of_type(doc, "gcp:monitoring/dashboard:Dashboard")]
        for policy in of_type(doc, "gcp:monitoring/alertPolicy:AlertPolicy"):
            texts += [c["conditionPrometheusQueryLanguage"]["query"] for c in policy["inputs"]["conditions"]]
        assert len(texts) >= 2
        for text in texts:
            clusters = set(re.findall(r'cluster\s*=\s*\\?"([^"\\]+)', text))
            found_namespaces = set(re.findall(r'namespace\s*=\s*\\?"([^"\\]+)', text))
            assert clusters == {cluster["inputs"]["name"]}, clusters
            assert found_namespaces and found_namespaces <= namespaces, found_namespaces


class TestWorkloadIdentity:
    def test_secret_readers_are_principals_of_the_clusters_workload_pool(self, docs):
        doc = docs["gated-gke"]
        [cluster] = of_type(doc, "gcp:container/cluster:Cluster")
        pool = cluster["inputs"]["workloadIdentityConfig"]["workloadPool"]
        members = of_type(doc, SM_SECRET_IAM)
        assert members
        for member in members:
            assert f"/workloadIdentityPools/{pool}/subject/" in member["inputs"]["member"]


class TestTimeoutsAgree:
    def test_the_chat_waits_no_longer_than_the_internal_gateway_lets_a_request_run(self):
        from plan.runner import PlanError
        from tests.plangraph import plan_with

        try:
            doc = plan_with("nvidia-l4", {"llmd:edge": {"backendTimeoutSeconds": 7200}})
        except PlanError:
            return  # refused with a message: as good as keeping them in step
        waits = int(frontend_env(doc)["REQUEST_TIMEOUT_SECONDS"] or 0)
        internal = [
            p["inputs"]["spec"]["default"]["timeoutSec"]
            for p in of_type(doc, BACKEND_POLICY)
            if p["inputs"]["spec"]["targetRef"]["kind"] == "InferencePool"
        ]
        assert internal and all(waits <= t for t in internal), (waits, internal)

    @pytest.mark.parametrize("variant", [v for v in VARIANTS if "existing" not in v])
    def test_shipped_timeouts_agree(self, docs, variant):
        doc = docs[variant]
        waits = int(frontend_env(doc)["REQUEST_TIMEOUT_SECONDS"] or 0)
        policies = {
            p["inputs"]["spec"]["targetRef"]["kind"]: p["inputs"]["spec"]["default"]
            for p in of_type(doc, BACKEND_POLICY)
        }
        assert policies["Service"]["timeoutSec"] == waits
        assert waits <= policies["InferencePool"]["timeoutSec"]
