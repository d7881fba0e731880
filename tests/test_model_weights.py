"""Weights from Cloud Storage (llmd:weights): the bucket and its least-privilege grants, the copy Job per model and
revision, the model servers' streaming arguments and order, the defaults per target and version set, and the
refusals. Plans run under Pulumi mocks (plan.runner.run_plan) like every other plan test."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from stacks.weights import COMPLETE_MARKER, DOWNLOAD_IMAGE, HUGGINGFACE_HUB_VERSION
from tests.plangraph import (
    GATED,
    PROJECT,
    ROUTE,
    SM_SECRET_IAM,
    SPC,
    TOKEN,
    children,
    model_servers,
    name_of,
    of_type,
    plan_with,
    transitive_dependencies,
)
from tests.refusal import BASE, assert_config_refused, assert_refused

BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_IAM = "gcp:storage/bucketIAMMember:BucketIAMMember"
JOB = "kubernetes:batch/v1:Job"
NODE_POOL = "gcp:container/nodePool:NodePool"
WEIGHTS = "llmd:serving:ModelWeights"
K8S_SA = "kubernetes:core/v1:ServiceAccount"
EXTRA = "Qwen/Qwen3-8B"
TWO_MODELS = {
    "llmd:model": {"name": GATED, "replicas": 1},
    "llmd:extraModels": [{"name": EXTRA, "replicas": 1}],
    "llmd:hfToken": TOKEN,
}
STACK = "nvidia-a100-80gb"
STACK_BUCKET = f"{PROJECT}-llmd-{STACK}-weights"
WI_MEMBER = re.compile(
    rf"^principal://iam\.googleapis\.com/projects/\d+/locations/global/workloadIdentityPools/"
    rf"{PROJECT}\.svc\.id\.goog/subject/ns/(?P<ns>[a-z0-9-]+)/sa/(?P<sa>[a-z0-9-]+)$"
)


@pytest.fixture(scope="module")
def gke() -> dict[str, Any]:
    """The default on GKE with v0.9.0: weights from the stack's bucket, two models, a gated one with a token."""
    return plan_with(STACK, TWO_MODELS)


@pytest.fixture(scope="module")
def revised() -> dict[str, Any]:
    return plan_with(STACK, {**TWO_MODELS, "llmd:weights": {"revisions": {GATED: "0e9e39f249a16976918f6564b8830bc8"}}})


@pytest.fixture(scope="module")
def from_hf() -> dict[str, Any]:
    return plan_with(STACK, {**TWO_MODELS, "llmd:weights": {"source": "huggingface"}})


@pytest.fixture(scope="module")
def named() -> dict[str, Any]:
    return plan_with(STACK, {**TWO_MODELS, "llmd:weights": {"bucket": "team-model-weights"}})


def jobs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The copy Jobs by the model label of their pods."""
    return {j["inputs"]["spec"]["template"]["metadata"]["labels"]["llm-d.ai/model"]: j for j in of_type(doc, JOB)}


def job_pod(job: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = job["inputs"]["spec"]["template"]["spec"]
    return spec


def env_of(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


def member_account(member: str) -> tuple[str, str]:
    match = WI_MEMBER.match(member)
    assert match, member
    return match["ns"], match["sa"]


def servers_by_model(doc: dict[str, Any]) -> dict[str, Any]:
    return {s.model: s for s in model_servers(doc)}


# ----------------------------------------------------------------------------------------- bucket and IAM


def test_the_stack_gets_one_private_regional_bucket_that_destroy_empties(gke):
    weights = [b for b in of_type(gke, BUCKET) if b["name"] == "weights"]
    assert len(weights) == 1, [b["name"] for b in of_type(gke, BUCKET)]
    inputs = weights[0]["inputs"]
    assert inputs["name"] == STACK_BUCKET
    assert inputs["uniformBucketLevelAccess"] is True
    assert inputs["publicAccessPrevention"] == "enforced"
    assert inputs["forceDestroy"] is True
    assert inputs["location"] == "us-central1" and inputs["project"] == PROJECT


def test_only_the_copy_job_writes_and_only_the_model_servers_read_that_bucket(gke):
    grants = [
        (g["inputs"]["role"], member_account(g["inputs"]["member"]))
        for g in of_type(gke, BUCKET_IAM)
        if g["inputs"]["bucket"] == STACK_BUCKET
    ]
    [job_account] = {job_pod(j)["serviceAccountName"] for j in jobs(gke).values()}
    server_accounts = {s.service_account for s in model_servers(gke)}
    assert len(server_accounts) == 2 and job_account not in server_accounts
    assert sorted(grants) == sorted(
        [("roles/storage.objectUser", ("llm-d", job_account))]
        + [("roles/storage.objectViewer", ("llm-d", sa)) for sa in server_accounts]
    )
    # Nothing else grants these accounts storage anywhere: no other bucket, no project role.
    accounts = {job_account, *server_accounts}
    for grant in of_type(gke, BUCKET_IAM):
        member = grant["inputs"]["member"]
        if WI_MEMBER.match(member) and member_account(member)[1] in accounts:
            assert grant["inputs"]["bucket"] == STACK_BUCKET, grant
    for grant in of_type(gke, "gcp:projects/iAMMember:IAMMember"):
        assert not any(f"/sa/{a}" in grant["inputs"]["member"] for a in accounts), grant


def test_the_token_is_read_by_the_copy_job_only_and_never_mounted_on_model_servers(gke):
    accessors = {member_account(g["inputs"]["member"])[1] for g in of_type(gke, SM_SECRET_IAM)}
    [job_account] = {job_pod(j)["serviceAccountName"] for j in jobs(gke).values()}
    assert accessors == {job_account}
    [spc] = of_type(gke, SPC)
    for job in jobs(gke).values():
        csi = [v for v in job_pod(job)["volumes"] if "csi" in v]
        assert [v["csi"]["volumeAttributes"]["secretProviderClass"] for v in csi] == [name_of(spc)]
        [container] = job_pod(job)["containers"]
        assert "HF_TOKEN_FILE" in env_of(container) and TOKEN not in json.dumps(job)
    for server in model_servers(gke):
        assert not [v for v in server.pod.get("volumes", []) if "csi" in v], server.model
        assert "HF_TOKEN" not in env_of(server.container)


def test_with_huggingface_the_model_servers_read_the_token_and_nothing_of_gcs_is_planned(from_hf):
    assert not of_type(from_hf, WEIGHTS) and not of_type(from_hf, JOB)
    assert not [b for b in of_type(from_hf, BUCKET) if b["name"] == "weights"]
    accessors = {member_account(g["inputs"]["member"])[1] for g in of_type(from_hf, SM_SECRET_IAM)}
    assert accessors == {s.service_account for s in model_servers(from_hf)}
    for server in model_servers(from_hf):
        assert server.vllm_words[2] == server.model and "--load-format" not in server.vllm_words


def test_a_named_bucket_is_granted_on_but_never_created(named):
    assert not [b for b in of_type(named, BUCKET) if b["name"] == "weights"]
    weights_grants = [g for g in of_type(named, BUCKET_IAM) if g["name"].startswith("weights-")]
    assert len(weights_grants) == 3
    assert {g["inputs"]["bucket"] for g in weights_grants} == {"team-model-weights"}
    for server in model_servers(named):
        assert server.vllm_words[2].startswith("gs://team-model-weights/")
    assert named["outputs"]["modelWeightsBucket"] == "team-model-weights"


# --------------------------------------------------------------------------------------------- copy Jobs


def test_one_job_per_model_on_the_system_pool_with_pinned_image_and_explicit_limits(gke):
    by_model = jobs(gke)
    assert set(by_model) == {"llama-3-1-8b-instruct", "qwen3-8b"}
    [system_pool] = [p for p in of_type(gke, NODE_POOL) if p["name"] == "system-pool"]
    system_labels = system_pool["inputs"]["nodeConfig"]["labels"]
    for job in by_model.values():
        spec, pod = job["inputs"]["spec"], job_pod(job)
        assert pod["nodeSelector"] == system_labels and "tolerations" not in pod
        assert pod["restartPolicy"] == "Never"
        [container] = pod["containers"]
        image = container["image"]
        assert image == DOWNLOAD_IMAGE.value and re.search(r":\d+\.\d+\.\d+-slim$", image), image
        assert "nvidia.com/gpu" not in json.dumps(container["resources"])
        # No TTL: a Job the cluster deleted would be recreated by every refresh (it is in Pulumi's state).
        assert spec["backoffLimit"] >= 1 and "ttlSecondsAfterFinished" not in spec
        assert (
            int(job["inputs"]["metadata"]["annotations"]["pulumi.com/timeoutSeconds"]) > spec["activeDeadlineSeconds"]
        )
        assert pod["securityContext"]["runAsNonRoot"] is True


def test_the_job_copies_to_model_and_revision_and_skips_a_complete_path(gke):
    job = jobs(gke)["llama-3-1-8b-instruct"]
    [container] = job_pod(job)["containers"]
    env = env_of(container)
    assert (env["BUCKET"], env["MODEL"], env["REVISION"]) == (STACK_BUCKET, GATED, "main")
    assert env["PREFIX"] == f"{GATED}/main" and env["MARKER"] == COMPLETE_MARKER
    assert env["HUB_VERSION"] == HUGGINGFACE_HUB_VERSION.value and re.fullmatch(r"\d+\.\d+\.\d+", env["HUB_VERSION"])
    [script] = container["args"]
    lines = script.splitlines()
    check = next(i for i, line in enumerate(lines) if "objects describe" in line and "${MARKER}" in line)
    assert lines[check + 2].strip() == "exit 0"
    install = next(i for i, line in enumerate(lines) if "pip3 install" in line)
    assert check < install and '"huggingface_hub==${HUB_VERSION}"' in lines[install]
    # The marker is written once every file is in the bucket.
    assert script.rindex('os.environ["MARKER"]') > script.index("for name in keep:")
    assert "set -x" not in script and "echo $HF_TOKEN" not in script and "${HF_TOKEN}" not in script


def test_a_new_revision_is_a_new_job_for_that_model_only(gke, revised):
    before, after = jobs(gke), jobs(revised)
    assert name_of(before["qwen3-8b"]) == name_of(after["qwen3-8b"])
    assert name_of(before["llama-3-1-8b-instruct"]) != name_of(after["llama-3-1-8b-instruct"])
    revision = env_of(job_pod(after["llama-3-1-8b-instruct"])["containers"][0])["REVISION"]
    assert revision == "0e9e39f249a16976918f6564b8830bc8"
    server = servers_by_model(revised)[GATED]
    assert server.vllm_words[2] == f"gs://{STACK_BUCKET}/{GATED}/{revision}/"


def test_adding_a_model_adds_its_job_and_keeps_the_others(gke):
    one = plan_with(STACK, {k: v for k, v in TWO_MODELS.items() if k != "llmd:extraModels"})
    assert set(jobs(one)) == {"llama-3-1-8b-instruct"}
    assert name_of(jobs(one)["llama-3-1-8b-instruct"]) == name_of(jobs(gke)["llama-3-1-8b-instruct"])


# ------------------------------------------------------------------------------------------ model servers


def test_model_servers_stream_their_path_under_the_hugging_face_name(gke):
    for model, server in servers_by_model(gke).items():
        words = server.vllm_words
        assert words[1:3] == ["serve", f"gs://{STACK_BUCKET}/{model}/main/"]
        assert words[words.index("--served-model-name") + 1] == model
        assert words[words.index("--load-format") + 1] == "runai_streamer"
        assert "--model-loader-extra-config" not in words  # tensor parallelism 1


def test_tensor_parallel_model_servers_stream_distributed():
    doc = plan_with("nvidia-tesla-t4", {"llmd:gpuPool": {"gpusPerNode": 2}, "llmd:model": {"tensorParallelSize": 2}})
    [server] = model_servers(doc)
    words = server.vllm_words
    assert words[words.index("--model-loader-extra-config") + 1] == '{"distributed":true}'
    assert words[words.index("--tensor-parallel-size") + 1] == "2"


def test_each_deployment_waits_for_its_own_job_and_read_grant(gke):
    by_model = jobs(gke)
    readers = {g["name"]: g["urn"] for g in of_type(gke, BUCKET_IAM)}
    for server in model_servers(gke):
        slug = server.labels["llm-d.ai/model"]
        deps = set(server.resource["dependencies"])
        assert by_model[slug]["urn"] in deps, slug
        assert readers[f"weights-reader-{slug}"] in deps, slug
        other = next(j for s, j in by_model.items() if s != slug)
        assert other["urn"] not in transitive_dependencies(gke, server.resource["urn"])


def test_pools_routes_and_outputs_serve_the_same_names_whichever_the_source(gke, from_hf):
    def routed(doc: dict[str, Any]) -> Any:
        return sorted((name_of(r), json.dumps(r["inputs"]["spec"], sort_keys=True)) for r in of_type(doc, ROUTE))

    def pickers(doc: dict[str, Any]) -> Any:
        return sorted(json.dumps(r["inputs"], sort_keys=True) for r in children(doc, "llmd:serving:Router"))

    assert routed(gke) == routed(from_hf) and routed(gke)
    assert pickers(gke) == pickers(from_hf) and pickers(gke)
    assert gke["outputs"]["servedModel"] == from_hf["outputs"]["servedModel"] == GATED
    assert set(servers_by_model(gke)) == set(servers_by_model(from_hf)) == {GATED, EXTRA}


# ------------------------------------------------------------------------------------- other targets, sets


def test_an_existing_cluster_downloads_from_hugging_face_and_gets_no_gcp_resource():
    doc = plan_with("existing-cluster", {})
    assert not of_type(doc, WEIGHTS) and not of_type(doc, JOB)
    assert not [r for r in doc["resources"] if r["type"].startswith("gcp:")]
    for server in model_servers(doc):
        assert server.vllm_words[2] == server.model and "--load-format" not in server.vllm_words


def test_an_existing_cluster_with_a_named_bucket_copies_there_and_grants_nothing():
    doc = plan_with("existing-cluster", {"llmd:weights": {"bucket": "team-model-weights"}})
    assert not [r for r in doc["resources"] if r["type"].startswith("gcp:")]
    [job] = of_type(doc, JOB)
    assert "nodeSelector" not in job_pod(job) or job_pod(job)["nodeSelector"] == {}
    [server] = model_servers(doc)
    assert server.vllm_words[2] == f"gs://team-model-weights/{server.model}/main/"
    assert any("grants nothing" in n and "team-model-weights" in n for n in doc["notices"]), doc["notices"]
    accounts = [name_of(sa) for sa in of_type(doc, K8S_SA)]
    assert job_pod(job)["serviceAccountName"] in accounts


@pytest.mark.parametrize("stack", ["cpu", "nvidia-l4"])
def test_2026_04_and_the_cpu_backend_default_to_hugging_face(stack):
    extra = {"llmd:versionSet": "2026-04"} if stack == "nvidia-l4" else {}
    doc = plan_with(stack, extra)
    assert not of_type(doc, WEIGHTS) and not of_type(doc, JOB)
    for server in model_servers(doc):
        assert server.vllm_words[2] == server.model


def test_huggingface_revisions_reach_vllm():
    doc = plan_with("nvidia-l4", {"llmd:weights": {"source": "huggingface", "revisions": {"Qwen/Qwen3-0.6B": "v1.0"}}})
    [server] = model_servers(doc)
    assert server.vllm_words[server.vllm_words.index("--revision") + 1] == "v1.0"


# --------------------------------------------------------------------------------------------- refusals


def test_gcs_is_refused_on_the_2026_04_set_before_anything_is_created():
    message = assert_refused(
        "nvidia-l4",
        {"llmd:versionSet": "2026-04", "llmd:weights": {"source": "gcs"}},
        "llmd:weights.source",
        "llmd:versionSet to v0.9.0",
    )
    assert "0.11.1" in message


def test_a_bucket_named_on_the_2026_04_set_is_refused_not_ignored():
    assert_config_refused(
        "nvidia-l4",
        {"llmd:versionSet": "2026-04", "llmd:weights": {"bucket": "team-model-weights"}},
        "llmd:weights.bucket",
        "llmd:versionSet to v0.9.0",
    )


def test_gcs_is_refused_on_the_cpu_backend():
    assert_config_refused("cpu", {"llmd:weights": {"source": "gcs"}}, "llmd:weights.source", "huggingface")


LETTERS_FIX = "use 3-63 lowercase letters"


@pytest.mark.parametrize(
    ("bucket", "reason", "fix"),
    [
        ("gs://team-weights", "not a URL", "such as 'team-weights'"),
        ("Team-Weights", "capital letters", LETTERS_FIX),
        ("ab", "at least 3", LETTERS_FIX),
        ("a" * 64, "at most 63", LETTERS_FIX),
        ("weights-", "an end", LETTERS_FIX),
        ("team weights", "characters other than", LETTERS_FIX),
        ("192.168.5.4", "IP address", LETTERS_FIX),
        ("goog-weights", "goog", "does not start with goog"),
        ("my-g00gle-weights", "google", "without google"),
        ("a." + "b" * 64, "dot-separated part", LETTERS_FIX),
    ],
)
def test_bad_bucket_names_are_refused_with_the_reason(bucket, reason, fix):
    message = assert_config_refused(STACK, {"llmd:weights": {"bucket": bucket}}, "llmd:weights.bucket", fix)
    line = next(line for line in message.splitlines() if "llmd:weights.bucket" in line)
    assert reason in line.split("Fix:")[0], line


@pytest.mark.parametrize("bucket", ["team-model-weights", "a_b-1", "weights.example.com", "abc"])
def test_good_bucket_names_are_accepted(bucket):
    from config import load_settings

    raw = {**BASE, "llmd:weights": json.dumps({"bucket": bucket})}
    assert load_settings(raw, STACK).serving.weights.bucket == bucket


def test_a_bucket_with_source_huggingface_is_refused():
    assert_config_refused(
        STACK,
        {"llmd:weights": {"source": "huggingface", "bucket": "team-model-weights"}},
        "llmd:weights.bucket",
        "remove llmd:weights.bucket",
    )


def test_gcs_on_an_existing_cluster_needs_a_named_bucket():
    config = {"llmd:existingCluster": {"context": "kind-llmd"}, "llmd:accelerator": "nvidia-l4"}
    assert_config_refused(
        "existing-cluster", {**config, "llmd:weights": {"source": "gcs"}}, "llmd:weights.source", "llmd:weights.bucket"
    )


def test_revisions_of_unserved_models_and_bad_revisions_are_refused():
    assert_config_refused(
        STACK,
        {"llmd:weights": {"revisions": {"Qwen/Qwen3-32B": "main"}}},
        "llmd:weights.revisions.Qwen/Qwen3-32B",
        "Qwen/Qwen3-0.6B",
    )
    assert_config_refused(
        STACK,
        {"llmd:weights": {"revisions": {"Qwen/Qwen3-0.6B": "refs/pr/1"}}},
        "llmd:weights.revisions.Qwen/Qwen3-0.6B",
        "commit hash",
    )


def test_an_unknown_source_is_refused():
    assert_config_refused(STACK, {"llmd:weights": {"source": "s3"}}, "llmd:weights.source", "gcs")


def test_every_shipped_stack_takes_the_default_of_its_target(plans):
    # No stack file sets llmd:weights: GPU stacks on the program's GKE platform stream from the stack's bucket; the
    # cpu stack and the existing cluster download from Hugging Face.
    for stack, doc in plans.items():
        streams = stack not in ("cpu", "existing-cluster")
        for server in model_servers(doc):
            expected = f"gs://{PROJECT}-llmd-{stack}-weights/{server.model}/main/" if streams else server.model
            assert server.vllm_words[2] == expected, stack
        assert bool(of_type(doc, JOB)) is streams, stack
