"""Provider and API semantics a mock cannot see, pinned as tests (issue: the first `pulumi up` and every update)."""

from __future__ import annotations

from typing import Any

import pytest

from components.platform.node_pool import initial_nodes_per_zone
from plan.runner import run_plan
from stacks.platform import REGIONAL_POOL_DEFAULT_ZONES
from stacks.versions import GKE_FLOOR, VERSION_SETS, gke_version_below_floor
from tests.plangraph import endpoint_pickers, model_servers
from tests.planview import CLUSTER, GKE_STACKS, NODE_POOL, of_type, one
from tests.refusal import BASE, assert_refused

ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"
FIREWALL = "gcp:compute/firewall:Firewall"
COMMAND = "command:local:Command"
ENDPOINTS = "gcp:endpoints/service:Service"


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_alert_conditions_skip_metric_validation(plans, stack):
    # Cloud Monitoring refuses a PromQL condition whose metric has no series yet unless validation is off.
    for alert in of_type(plans[stack], ALERT):
        [condition] = alert["inputs"]["conditions"]
        assert condition["conditionPrometheusQueryLanguage"]["disableMetricValidation"] is True, alert["name"]


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_cluster_starts_at_its_channels_default_and_keeps_it(plans, stack):
    from plan.mocks import INVOKE_RESULTS

    cluster = one(plans[stack], CLUSTER)
    defaults = INVOKE_RESULTS["gcp:container/getEngineVersions:getEngineVersions"]["releaseChannelDefaultVersion"]
    assert cluster["inputs"]["minMasterVersion"] == defaults[cluster["inputs"]["releaseChannel"]["channel"]]
    # Read at create, then the channel's upgrades move the cluster on: a newer default must not upgrade it.
    assert "minMasterVersion" in cluster["options"]["ignoreChanges"]


def test_a_channel_default_below_the_floor_gives_way_to_the_floor():
    from stacks.versions import initial_master_version

    assert initial_master_version("1.33.5-gke.100") == GKE_FLOOR.minor
    assert initial_master_version("1.35.1-gke.200") == "1.35.1-gke.200"


def test_a_user_version_above_the_floor_is_used_and_followed():
    doc = run_plan("nvidia-l4", {**BASE, "llmd:cluster": {"minMasterVersion": "1.35"}}).document()
    cluster = one(doc, CLUSTER)
    assert cluster["inputs"]["minMasterVersion"] == "1.35"
    assert "minMasterVersion" not in cluster["options"]["ignoreChanges"]


@pytest.mark.parametrize(
    ("version", "fix"),
    [("1.33", GKE_FLOOR.minor), ("1.34.0-gke.1000", GKE_FLOOR.minor), ("latest-ish", "a minor such as")],
)
def test_a_version_below_the_floor_or_malformed_is_refused(version, fix):
    assert_refused("nvidia-l4", {"llmd:cluster": {"minMasterVersion": version}}, "llmd:cluster.minMasterVersion", fix)


@pytest.mark.parametrize(
    ("version", "below"),
    [("1.33", True), ("1.34", False), ("1.34.0-gke.1625999", True), (GKE_FLOOR.exact, False), ("1.35.1", False)],
)
def test_version_floor_comparison(version, below):
    assert gke_version_below_floor(version) is below


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_cluster_node_config_is_create_only(plans, stack):
    cluster = one(plans[stack], CLUSTER)
    # The default pool is removed at once: its node_config must not carry what users change (labels), and a
    # change to it must never reach the provider (which would update a default-pool that no longer exists).
    assert cluster["inputs"]["removeDefaultNodePool"] is True
    assert "resourceLabels" not in cluster["inputs"]["nodeConfig"]
    assert {"nodeConfig", "initialNodeCount"} <= set(cluster.get("options", {}).get("ignoreChanges", []))


@pytest.mark.parametrize(
    ("minimum", "maximum", "zones", "per_zone"),
    [(0, 2, 3, 0), (1, 3, 3, 0), (1, 2, 3, 0), (2, 2, 1, 2), (4, 8, 3, 1), (3, 3, 3, 1), (6, 6, 3, 2)],
)
def test_initial_nodes_per_zone_stay_within_the_totals(minimum, maximum, zones, per_zone):
    assert initial_nodes_per_zone(minimum, maximum, zones) == per_zone
    # Never above the minimum in total (the system pool started with one node per zone).
    assert per_zone * zones <= minimum <= maximum


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_node_pools_start_within_their_totals_and_resize_in_place(plans, stack):
    for pool in of_type(plans[stack], NODE_POOL):
        inputs = pool["inputs"]
        zones = len(inputs.get("nodeLocations") or []) or REGIONAL_POOL_DEFAULT_ZONES
        total = inputs["initialNodeCount"] * zones
        assert total <= inputs["autoscaling"]["totalMaxNodeCount"], (pool["name"], total)
        assert "initialNodeCount" in pool.get("options", {}).get("ignoreChanges", []), pool["name"]
        # A fixed name: the old pool must go before its replacement is created.
        assert pool.get("options", {}).get("deleteBeforeReplace") is True, pool["name"]


def test_cpu_inference_pool_does_not_start_above_its_maximum(plans):
    pool = one(plans["cpu"], NODE_POOL, "inference-pool")
    assert pool["inputs"]["autoscaling"]["totalMaxNodeCount"] == 2
    assert pool["inputs"]["initialNodeCount"] * REGIONAL_POOL_DEFAULT_ZONES <= 2


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_firewall_rules_open_only_the_serving_ports_of_our_nodes(plans, stack):
    node_sa = one(plans[stack], "gcp:serviceaccount/account:Account", "nodes")
    rules = of_type(plans[stack], FIREWALL)
    assert len(rules) == 2
    for rule in rules:
        [allow] = rule["inputs"]["allows"]
        assert allow["protocol"] == "tcp" and sorted(allow["ports"]) == ["8000", "8080", "9002", "9003"]
        [target] = rule["inputs"]["targetServiceAccounts"]
        assert target.startswith(node_sa["inputs"]["accountId"] + "@")


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_endpoints_document_is_readable_in_the_plan(plans, stack):
    document = one(plans[stack], ENDPOINTS)["inputs"]["openapiConfig"]
    assert "[unknown]" not in document and "target: 203.0.113.10" in document


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_frontend_build_has_its_own_identity_and_no_machine_path(plans, stack):
    doc = plans[stack]
    build = one(doc, COMMAND)
    assert "dir" not in build["inputs"]
    assert all("/work" not in str(value) for value in build["inputs"].values())
    builder = one(doc, "gcp:serviceaccount/account:Account", "builder")
    email = build["inputs"]["environment"]["BUILDER"]
    assert email.startswith(builder["inputs"]["accountId"] + "@")
    assert "--service-account" in build["inputs"]["create"]
    grants = {
        (r["type"], r["inputs"]["role"])
        for r in doc["resources"]
        if isinstance(r["inputs"].get("member"), str) and email in r["inputs"]["member"]
    }
    assert grants == {
        ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "roles/artifactregistry.writer"),
        ("gcp:storage/bucketIAMMember:BucketIAMMember", "roles/storage.admin"),
        ("gcp:projects/iAMMember:IAMMember", "roles/logging.logWriter"),
    }
    assert "retrying" in build["inputs"]["create"]
    bucket = one(doc, "gcp:storage/bucket:Bucket", "build-staging")
    assert build["inputs"]["environment"]["BUCKET"] == bucket["inputs"]["name"]
    assert bucket["inputs"]["publicAccessPrevention"] == "enforced"
    grant_urns = {r["urn"] for r in doc["resources"] if r["type"].endswith("IamMember") or "IAMMember" in r["type"]}
    assert grant_urns & set(build["dependencies"]), "the build must wait for its grants"


def test_plans_of_two_checkouts_are_identical(plans, tmp_path):
    # No machine path reaches an input: a teammate's `pulumi up` from another folder changes nothing.
    import json
    import shutil
    import subprocess
    import sys

    from plan.runner import PROJECT_DIR

    listed = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    other = tmp_path / "another-checkout"
    for name in listed.stdout.splitlines():
        if (PROJECT_DIR / name).is_file() and not name.startswith("tests/golden/"):
            (other / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_DIR / name, other / name)
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--stack", "nvidia-l4", "--format", "json"],
        cwd=other,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["resources"] == plans["nvidia-l4"]["resources"]
    assert str(PROJECT_DIR) not in result.stdout and str(other) not in result.stdout


def test_custom_profile_refuses_prefill_decode_handlers():
    assert_refused(
        "nvidia-l4",
        {
            "llmd:scheduler": {
                "profile": "custom",
                "plugins": [{"type": "queue-scorer", "weight": 1}, {"type": "pd-profile-handler"}],
            }
        },
        "llmd:scheduler.plugins[1].type",
        "single-profile-handler",
    )


CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile"
EXISTING = {"llmd:existingCluster": {"context": "lab"}, "llmd:accelerator": "nvidia-l4"}


@pytest.mark.parametrize("version_set", sorted(VERSION_SETS))
def test_existing_cluster_installs_the_pinned_crds_before_the_releases(version_set):
    versions = VERSION_SETS[version_set]
    bundles = [versions.gateway_api_crds, versions.inference_crds, *filter(None, [versions.router_crds])]
    config = {
        **EXISTING,
        "llmd:existingCluster": {"context": "lab", "installCrds": True},
        "llmd:versionSet": version_set,
    }
    doc = run_plan("existing-cluster", config).document()
    files = {r["inputs"]["file"]: r for r in of_type(doc, CONFIG_FILE)}
    assert set(files) == {b.url for b in bundles}
    assert all(f"/{b.version}/" in b.url for b in bundles)
    file_urns = {r["urn"] for r in files.values()}
    releases = of_type(doc, "kubernetes:helm.sh/v3:Release")
    # The gateway and the pool's picker, and on the 2026-04 set its model servers' chart.
    assert len(releases) == (2 if versions.router_chart else 3)
    for release in releases:
        if not release["name"].endswith("-modelservice"):  # vLLM pods need none of these CRDs
            assert file_urns <= set(release["dependencies"]), release["name"]


def test_existing_cluster_leaves_crds_to_the_cluster_by_default(plans):
    # A server-side-apply create of a CRD that already exists fails: installing them is an explicit choice.
    assert not of_type(plans["existing-cluster"], CONFIG_FILE)


def test_existing_cluster_placeholder_context_is_refused_by_a_real_deploy():
    from plan.runner import PlanError

    config = {"llmd:existingCluster": {"context": "<your-kube-context>"}, "llmd:accelerator": "nvidia-l4"}
    with pytest.raises(PlanError) as caught:
        run_plan("existing-cluster", config, stand_ins=False)
    assert "llmd:existingCluster.context" in str(caught.value) and "kubectl config get-contexts" in str(caught.value)
    assert caught.value.registered == 0
    # The offline plan renders the stack file as shipped, and says what it replaced.
    plan = run_plan("existing-cluster", config)
    assert any("placeholder" in notice for notice in plan.notices)


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_outputs_name_node_pool_and_inference_pool_for_what_they_are(plans, stack):
    outputs = plans[stack]["outputs"]
    pool = one(plans[stack], NODE_POOL, "inference-pool")
    assert outputs["inferenceNodePoolName"] == pool["inputs"]["name"]
    [picker] = endpoint_pickers(plans[stack])
    assert outputs["inferencePoolName"] == picker.name


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_frontend_requires_iap_assertions_for_the_project(plans, stack):
    [deployment] = [d for d in of_type(plans[stack], "kubernetes:apps/v1:Deployment") if "::llmd:edge:" in d["urn"]]
    env = {e["name"]: e["value"] for e in deployment["inputs"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["IAP_REQUIRED"] == "true"
    assert env["IAP_AUDIENCE_PREFIX"] == "/projects/123456789012/global/backendServices/"


def _fit_problem(stack: str, model: dict[str, Any], token: bool = True) -> str | None:
    from plan.runner import PlanError

    config = {**BASE, "llmd:model": model, **({"llmd:hfToken": "hf_placeholder"} if token else {})}
    try:
        run_plan(stack, config)
    except PlanError as error:
        return str(error)
    return None


def _suggested_limit(message: str) -> int:
    import re

    match = re.search(r"maxModelLen to <= (\d+)", message)
    assert match, message
    return int(match.group(1))


@pytest.mark.parametrize(
    ("stack", "model"),
    [
        ("nvidia-l4", "meta-llama/Llama-3.1-8B-Instruct"),
        ("nvidia-a100-80gb", "Qwen/Qwen3-32B"),
        ("nvidia-h100-80gb", "Qwen/Qwen3-32B"),
    ],
)
def test_suggested_context_limits_fit_on_both_sides_of_the_boundary(stack, model):
    too_long = _fit_problem(stack, {"name": model, "maxModelLen": 40960, "replicas": 1})
    assert too_long is not None and "activations" in too_long
    limit = _suggested_limit(too_long)
    assert _fit_problem(stack, {"name": model, "maxModelLen": limit, "replicas": 1}) is None
    assert _fit_problem(stack, {"name": model, "maxModelLen": limit + 1, "replicas": 1}) is not None


def test_activation_reserve_counts_against_a_near_full_gpu():
    # Weights + one 32k sequence alone leave ~2.5 GiB of 0.9 x 79.6 GiB; an H100's profile run over 8192 batched
    # tokens takes more than that. (An A100 profiles 2048 tokens and keeps ~0.7 GiB spare.)
    assert _fit_problem("nvidia-h100-80gb", {"name": "Qwen/Qwen3-32B", "maxModelLen": 32768, "replicas": 1}) is not None
    assert _fit_problem("nvidia-a100-80gb", {"name": "Qwen/Qwen3-32B", "maxModelLen": 32768, "replicas": 1}) is None


def test_kv_heads_replicate_when_fewer_than_ranks():
    from stacks.models import KNOWN_MODELS

    gemma = KNOWN_MODELS["google/gemma-2b-it"]  # one KV head
    assert gemma.kv_cache_gib(4096, tp=2) == gemma.kv_cache_gib(4096, tp=1)
    qwen = KNOWN_MODELS["Qwen/Qwen3-8B"]  # eight KV heads
    assert qwen.kv_cache_gib(4096, tp=2) == pytest.approx(qwen.kv_cache_gib(4096) / 2)


def test_tensor_parallelism_must_divide_the_attention_heads():
    # Qwen3-0.6B has 16 attention heads; 3 ranks cannot split them (an nvidia-tesla-t4 node carries up to 4).
    assert_refused(
        "nvidia-tesla-t4",
        {
            "llmd:model": {"tensorParallelSize": 3, "replicas": 1},
            "llmd:gpuPool": {"machineType": "n1-standard-16", "gpusPerNode": 4},
        },
        "llmd:model.tensorParallelSize",
        "use one of: 1, 2, 4, 8",
    )


# vLLM's EngineArgs.get_batch_defaults for the OpenAI server, per GPU of our catalog (>= 70 GiB and not an A100).
VLLM_BATCH_DEFAULTS = {
    "nvidia-l4": (2048, 256),
    "nvidia-tesla-t4": (2048, 256),
    "nvidia-tesla-a100": (2048, 256),
    "nvidia-a100-80gb": (2048, 256),
    "nvidia-h100-80gb": (8192, 1024),
    "nvidia-rtx-pro": (8192, 1024),
    "nvidia-h200-141gb": (8192, 1024),
    "nvidia-b200": (8192, 1024),
}


def test_batch_limits_follow_vllms_own_table():
    from stacks.accelerators import CATALOG, batch_limits

    assert {name: batch_limits(p) for name, p in CATALOG.items() if p.is_gpu} == VLLM_BATCH_DEFAULTS


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_vllm_runs_the_batch_limits_the_fit_check_assumed(plans, stack):
    from stacks.accelerators import CATALOG, batch_limits

    [server] = model_servers(plans[stack])
    script = server.container["args"][0]
    accelerator = CATALOG[stack if stack != "dev" else "nvidia-l4"]
    if accelerator.is_gpu:
        tokens, seqs = batch_limits(accelerator)
        assert f"--max-num-batched-tokens {tokens} --max-num-seqs {seqs}" in script
    else:
        assert "--max-num-batched-tokens" not in script


@pytest.mark.parametrize("stack", GKE_STACKS)
def test_external_route_comes_after_the_iap_policy(plans, stack):
    doc = plans[stack]
    policy = one(doc, "kubernetes:networking.gke.io/v1:GCPBackendPolicy", "backend-policy")
    assert policy["inputs"]["spec"]["default"]["iap"]["enabled"] is True
    # No wait on attachment (an unconfirmed status could hang every first deploy): see stacks/evidence.py.
    assert "annotations" not in policy["inputs"]["metadata"]
    routes = of_type(doc, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
    chat_routes = [r for r in routes if "ExternalGateway" in r["urn"]]
    assert chat_routes and all(policy["urn"] in r["dependencies"] for r in chat_routes)


def test_unverified_facts_document_is_current():
    from plan.evidence_doc import DOC, render

    assert DOC.read_text() == render(), "run: python -m plan.evidence_doc"


def test_every_fact_names_its_source_and_what_to_watch():
    from stacks.evidence import FACTS

    keys = [f.key for f in FACTS]
    assert len(keys) == len(set(keys))
    for fact in FACTS:
        assert fact.source and fact.read_on
        assert fact.verified or fact.watch, fact.key
