"""The Hugging Face token path, a second model pool, and delete-time options, on plans with a token set."""

from __future__ import annotations

import json
from typing import Any

import pytest

import plan.runner as runner
from plan.mocks import RecordingMonitor
from plan.runner import Plan, load_config_file, run_plan, stack_file
from stacks.serving import HF_TOKEN_DIR, HF_TOKEN_FILE, HF_TOKEN_SECRET_KEY, MODEL_HEADER
from tests import planview
from tests.conftest import SET_2026_04
from tests.planview import K8S_PROVIDER
from tests.test_serving import of_type, one

TOKEN = "hf_TestTokenNeverInPlainText0123456789"
PROJECT = "example-project"
SECRET = "gcp:secretmanager/secret:Secret"
SECRET_VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
SECRET_IAM = "gcp:secretmanager/secretIamMember:SecretIamMember"
SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass"
K8S_SECRET = "kubernetes:core/v1:Secret"
RELEASE = "kubernetes:helm.sh/v3:Release"
ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy"
GATED = "meta-llama/Llama-3.1-8B-Instruct"


class OptionsMonitor(RecordingMonitor):
    """Also keeps the delete-time options of each registration."""

    options: dict[str, tuple[bool, str]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802
        response = super().RegisterResource(request)
        OptionsMonitor.options[response.urn] = (bool(request.retainOnDelete), request.deletedWith)
        return response


def _plan(stack: str, extra: dict[str, Any]) -> tuple[Plan, dict[str, tuple[bool, str]]]:
    OptionsMonitor.options = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "RecordingMonitor", OptionsMonitor)
        # The 2026-04 set's Helm-release shapes; tests/test_consistency_v09.py follows the token on the default set.
        config = {**load_config_file(stack_file(stack)), "gcp:project": PROJECT, **SET_2026_04, **extra}
        result = run_plan(stack, config)
    return result, dict(OptionsMonitor.options)


@pytest.fixture(scope="module")
def gke() -> tuple[dict[str, Any], Plan, dict[str, tuple[bool, str]]]:
    result, options = _plan(
        "nvidia-a100-80gb",
        {
            "llmd:model": {"name": GATED, "replicas": 1},
            "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}],
            "llmd:hfToken": TOKEN,
        },
    )
    return result.document(), result, options


@pytest.fixture(scope="module")
def existing() -> tuple[dict[str, Any], Plan]:
    result, _ = _plan("existing-cluster", {"llmd:model": {"name": GATED, "replicas": 1}, "llmd:hfToken": TOKEN})
    return result.document(), result


def test_token_never_in_plain_text(gke, existing):
    for doc, result in (gke[:2], existing):
        text = json.dumps(doc)
        assert TOKEN not in text and TOKEN[3:20] not in text
        assert all(TOKEN not in n for n in result.notices)
        assert TOKEN not in json.dumps(result.outputs)
    # A token given in plain text in the stack file is used (as a secret) and flagged.
    assert any("hfToken is stored in plain text" in n for n in gke[1].notices)


def test_gke_token_is_a_secret_manager_version_readable_only_by_the_model_servers(gke):
    doc = gke[0]
    secret = one(doc, SECRET)["inputs"]
    version = one(doc, SECRET_VERSION)
    assert secret["secretId"] == "llmd-nvidia-a100-80gb-hf-token"
    assert secret["replication"] == {"auto": {}}
    assert secret["labels"]["llmd-stack"] == "nvidia-a100-80gb"
    assert version["inputs"]["secretData"] == "[secret]"
    assert one(doc, SECRET)["urn"] in version["dependencies"]
    accounts = {
        r["inputs"]["values"]["serviceAccountOverride"]
        for r in of_type(doc, RELEASE)
        if r["name"].endswith("-modelservice")
    }
    ksas = {r["inputs"]["metadata"]["name"] for r in of_type(doc, "kubernetes:core/v1:ServiceAccount")}
    assert accounts == ksas == {"vllm-llama-3-1-8b-instruct", "vllm-qwen3-8b"}
    members = of_type(doc, SECRET_IAM)
    assert {m["inputs"]["role"] for m in members} == {"roles/secretmanager.secretAccessor"}
    assert {m["inputs"]["secretId"] for m in members} == {secret["secretId"]}
    assert {m["inputs"]["member"] for m in members} == {
        "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
        f"{PROJECT}.svc.id.goog/subject/ns/llm-d/sa/{account}"
        for account in accounts
    }
    # No project-wide grant of secret access.
    assert not [
        r for r in planview.of_type(doc, "gcp:projects/iAMMember:IAMMember") if "secretmanager" in r["inputs"]["role"]
    ]


def test_gke_pods_mount_the_token_through_the_secret_manager_add_on(gke):
    doc = gke[0]
    spc = one(doc, SPC)["inputs"]
    assert spc["spec"]["provider"] == "gke"
    resource = f"projects/{PROJECT}/secrets/llmd-nvidia-a100-80gb-hf-token/versions/"
    assert resource in spc["spec"]["parameters"]["secrets"]
    assert of_type(doc, K8S_SECRET) == []
    version = one(doc, SECRET_VERSION)["urn"]
    for ms in (r for r in of_type(doc, RELEASE) if r["name"].endswith("-modelservice")):
        values = ms["inputs"]["values"]
        [volume] = [v for v in values["decode"]["volumes"] if "csi" in v]
        assert volume["csi"]["driver"] == "secrets-store-gke.csi.k8s.io"
        assert volume["csi"]["volumeAttributes"] == {"secretProviderClass": spc["metadata"]["name"]}
        [container] = values["decode"]["containers"]
        assert {"name": volume["name"], "mountPath": HF_TOKEN_DIR, "readOnly": True} in container["volumeMounts"]
        assert f"{HF_TOKEN_DIR}/{HF_TOKEN_FILE}" in container["args"][0] and "HF_TOKEN" in container["args"][0]
        assert "authSecretName" not in values["modelArtifacts"]
        assert version in ms["dependencies"]  # pods start only once a version exists


def test_existing_cluster_token_is_a_kubernetes_secret(existing):
    doc = existing[0]
    assert [r["type"] for r in doc["resources"] if r["type"].startswith("gcp:")] == []
    secret = one(doc, K8S_SECRET)
    # The whole stringData is secret; its one key is HF_TOKEN, the key modelservice's authSecretName reads.
    assert secret["inputs"]["stringData"] == "[secret]" and HF_TOKEN_SECRET_KEY == "HF_TOKEN"
    assert "data" not in secret["inputs"]
    ms = one(doc, RELEASE, "modelservice")
    assert ms["inputs"]["values"]["modelArtifacts"]["authSecretName"] == secret["inputs"]["metadata"]["name"]
    assert secret["urn"] in ms["dependencies"]
    provider = planview.one(doc, K8S_PROVIDER)["urn"]
    assert secret["provider"].startswith(provider)


def test_public_models_need_no_token(plans_2026_04):
    doc = plans_2026_04["dev"]
    assert of_type(doc, SECRET) == [] and of_type(doc, SPC) == [] and of_type(doc, K8S_SECRET) == []
    values = one(doc, RELEASE, "modelservice")["inputs"]["values"]
    assert "HF_TOKEN" not in values["decode"]["containers"][0]["args"][0]


def test_a_second_model_is_its_own_pool_routed_by_model_name(gke):
    doc = gke[0]
    pools = {
        r["inputs"]["values"]["inferencePool"]["modelServers"]["matchLabels"]["llm-d.ai/model"]: r
        for r in of_type(doc, RELEASE)
        if r["name"].endswith("-inferencepool")
    }
    assert set(pools) == {"llama-3-1-8b-instruct", "qwen3-8b"}
    models = {
        r["inputs"]["values"]["modelArtifacts"]["labels"]["llm-d.ai/model"]: r["inputs"]["values"]
        for r in of_type(doc, RELEASE)
        if r["name"].endswith("-modelservice")
    }
    assert models["qwen3-8b"]["modelArtifacts"]["name"] == "Qwen/Qwen3-8B"
    rules = one(doc, ROUTE)["inputs"]["spec"]["rules"]
    assert len(rules) == 2
    by_header, default = rules
    assert by_header["matches"][0]["headers"] == [{"type": "Exact", "name": MODEL_HEADER, "value": "Qwen/Qwen3-8B"}]
    assert by_header["backendRefs"][0]["name"] == pools["qwen3-8b"]["inputs"]["name"]
    assert "headers" not in default["matches"][0]
    assert default["backendRefs"][0]["name"] == pools["llama-3-1-8b-instruct"]["inputs"]["name"]
    targets = {p["inputs"]["spec"]["targetRef"]["name"] for p in of_type(doc, BACKEND_POLICY)}
    assert targets == {p["inputs"]["name"] for p in pools.values()}


def test_no_delete_time_shortcuts_on_kubernetes_objects(gke):
    """retain_on_delete or deleted_with would skip the delete call and leak GKE's load balancers and NEGs."""
    doc, _, options = gke
    k8s = [r for r in doc["resources"] if r["type"].startswith("kubernetes:")]
    assert k8s and all(r["urn"] in options for r in k8s)
    assert [r["name"] for r in k8s if options[r["urn"]] != (False, "")] == []
