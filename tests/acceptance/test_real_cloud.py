"""Real-cloud acceptance test (Pulumi Automation API) for people with the Pulumi CLI and a GCP project.

    LLMD_ACCEPTANCE_PROJECT=<project> [LLMD_ACCEPTANCE_STACK=nvidia-l4] [LLMD_ACCEPTANCE_REGION=us-central1] \
        .venv/bin/python -m pytest -q tests/acceptance -s

It deploys a throwaway copy of a shipped stack (`acceptance-<stack>`), checks that a second preview
shows no changes, that the chat URL answers through IAP (the stress tool's JWT path) and that the
internal gateway serves /v1/models, then destroys it and checks that no load balancer, NEG, firewall
rule or address of the stack is left. Elsewhere every test skips and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT = os.environ.get("LLMD_ACCEPTANCE_PROJECT", "")
SOURCE_STACK = os.environ.get("LLMD_ACCEPTANCE_STACK", "nvidia-l4")
REGION = os.environ.get("LLMD_ACCEPTANCE_REGION", "us-central1")
STACK = f"acceptance-{SOURCE_STACK}"
COMPUTE = "https://compute.googleapis.com/compute/v1/projects/{project}"


def skip_reason() -> str | None:
    if not PROJECT:
        return "set LLMD_ACCEPTANCE_PROJECT=<gcp project> to run the real-cloud acceptance test (billable resources)"
    if shutil.which("pulumi") is None:
        return "the Pulumi CLI is not installed"
    if shutil.which("gcloud") is None or shutil.which("gke-gcloud-auth-plugin") is None:
        return "gcloud and gke-gcloud-auth-plugin are needed"
    try:
        import google.auth

        google.auth.default()
    except Exception as error:  # noqa: BLE001 - any credential failure means: skip
        return f"no GCP application default credentials ({type(error).__name__})"
    return None


pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def flatten(prefix: str, value: Any) -> dict[str, str]:
    """Stack config as Automation API path keys (llmd:model.replicas, llmd:gpuPool.zones[0])."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flatten(f"{prefix}.{key}", item).items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in flatten(f"{prefix}[{i}]", item).items()}
    return {prefix: str(value).lower() if isinstance(value, bool) else str(value)}


@pytest.fixture(scope="module")
def stack():
    from pulumi import automation as auto

    shipped = yaml.safe_load((ROOT / f"Pulumi.{SOURCE_STACK}.yaml").read_text())["config"]
    config = {k: v for key, value in shipped.items() for k, v in flatten(key, value).items()}
    config.update(
        {"gcp:project": PROJECT, "gcp:region": REGION, "llmd:accelerator": config.get("llmd:accelerator", SOURCE_STACK)}
    )
    deployment = auto.create_or_select_stack(stack_name=STACK, work_dir=str(ROOT))
    deployment.set_all_config({k: auto.ConfigValue(value=v) for k, v in config.items()}, path=True)
    deployment.up(on_output=print)
    try:
        yield deployment
    finally:
        # Whatever failed above, never leave a billable deployment behind.
        if deployment.outputs():
            deployment.destroy(on_output=print)
        if STACK in {s.name for s in deployment.workspace.list_stacks()}:
            deployment.workspace.remove_stack(STACK)


def test_second_preview_shows_no_changes(stack):
    result = stack.preview(on_output=print)
    changes = {op: n for op, n in result.change_summary.items() if op != "same" and n}
    assert changes == {}, changes


def test_chat_url_answers_through_iap(stack):
    outputs = stack.outputs()
    command = [
        sys.executable,
        "-m",
        "loadtest",
        "run",
        "--target",
        "gradio",
        "--url",
        outputs["chatUrl"].value,
        "--iap-service-account",
        outputs["stressTestServiceAccount"].value,
        "--users",
        "2",
        "--requests",
        "4",
        "--duration",
        "300",
        "--timeout",
        "120",
        "--no-progress",
        "--min-success-rate",
        "1.0",
        "--label",
        "acceptance",
    ]
    assert subprocess.run(command, cwd=ROOT, timeout=600, check=False).returncode == 0


def test_internal_gateway_serves_models(stack, tmp_path):
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is needed to reach the internal gateway from inside the VPC")
    outputs = stack.outputs()
    env = {**os.environ, "KUBECONFIG": str(tmp_path / "kubeconfig")}
    subprocess.run(outputs["getCredentialsCommand"].value.split(), env=env, check=True, timeout=120)
    probe = subprocess.run(
        [
            "kubectl",
            "run",
            "acceptance-curl",
            "--rm",
            "-i",
            "--restart=Never",
            "--image=curlimages/curl:8.11.1",
            "--",
            "curl",
            "-sf",
            "--max-time",
            "60",
            f"http://{outputs['internalGatewayAddress'].value}/v1/models",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert probe.returncode == 0 and '"data"' in probe.stdout, probe.stderr


def _kubectl(outputs: Any, tmp_path: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(tmp_path / "kubeconfig")}
    if not (tmp_path / "kubeconfig").exists():
        subprocess.run(outputs["getCredentialsCommand"].value.split(), env=env, check=True, timeout=120)
    return subprocess.run(["kubectl", *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def test_iap_policy_is_attached_and_the_app_refuses_unsigned_requests(stack, tmp_path):
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is needed to read the policy status and reach the frontend Service")
    outputs = stack.outputs()
    namespace = outputs["llmdNamespace"].value
    status = _kubectl(
        outputs,
        tmp_path,
        "get",
        "gcpbackendpolicy",
        "llmd-chat",
        "-n",
        namespace,
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Attached')].status}",
    )
    assert status.stdout.strip() == "True", status.stdout + status.stderr
    # Past the load balancer, the app itself answers 401 to a request without IAP's signed header.
    probe = _kubectl(
        outputs,
        tmp_path,
        "run",
        "acceptance-unsigned",
        "--rm",
        "-i",
        "--restart=Never",
        "-n",
        namespace,
        "--image=curlimages/curl:8.11.1",
        "--",
        "curl",
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "--max-time",
        "30",
        "http://llmd-chat:8080/",
    )
    assert probe.stdout.strip().endswith("401"), probe.stdout + probe.stderr


def test_alert_policies_exist(stack):
    outputs = stack.outputs()
    listed = subprocess.run(
        [
            "gcloud",
            "alpha",
            "monitoring",
            "policies",
            "list",
            f"--project={PROJECT}",
            f"--filter=displayName:'llm-d {STACK}'",
            "--format=value(displayName)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 4, listed.stdout + listed.stderr
    assert outputs["dashboardUrl"].value


def _leftovers(vpc: str, stack_label: str) -> list[str]:
    import google.auth
    from google.auth.transport.requests import AuthorizedSession

    credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    session = AuthorizedSession(credentials)
    base = COMPUTE.format(project=PROJECT)
    found = []
    for kind, url in (
        ("forwarding rule", f"{base}/aggregated/forwardingRules"),
        ("network endpoint group", f"{base}/aggregated/networkEndpointGroups"),
        ("address", f"{base}/aggregated/addresses"),
        ("firewall rule", f"{base}/global/firewalls"),
        ("global address", f"{base}/global/addresses"),
    ):
        items = session.get(url, timeout=60).json().get("items", [])
        if isinstance(items, dict):  # aggregated lists: {scope: {"<kind>s": [...]}}
            items = [
                i for scope in items.values() for listed in scope.values() if isinstance(listed, list) for i in listed
            ]
        for item in items:
            on_vpc = str(item.get("network", "")).endswith(f"/networks/{vpc}")
            labelled = item.get("labels", {}).get("llmd-stack") == stack_label
            if on_vpc or labelled:
                found.append(f"{kind} {item.get('name')}")
    return found


def test_destroy_leaves_nothing_behind(stack):
    vpc = stack.outputs()["networkName"].value
    stack.destroy(on_output=print)
    assert _leftovers(vpc, STACK) == []
