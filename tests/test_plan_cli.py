"""The `make plan` contract: one JSON document on stdout, errors on stderr, identical reruns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from config.naming import dns_label
from plan.wire import SECRET_SIG, SECRET_VALUE, UNKNOWN, plain

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plan", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_json_output_is_one_document_with_the_documented_fields():
    result = run_cli("--stack", "nvidia-tesla-t4", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["stack"] == "nvidia-tesla-t4"
    assert set(doc) >= {"stack", "resources", "outputs"}
    for resource in doc["resources"]:
        fields = {"urn", "type", "name", "parent", "provider", "dependencies", "inputs"}
        # `options` (ignoreChanges, replaceOnChanges, deleteBeforeReplace) appears only where one is set.
        assert fields <= set(resource) <= fields | {"options"}
    k8s = next(r for r in doc["resources"] if r["type"] == "pulumi:providers:kubernetes")
    assert k8s["inputs"]["kubeconfig"] == "[secret]"


def test_wire_values_become_markers():
    secret = {SECRET_SIG: SECRET_VALUE, "value": "hf_abc"}
    assert plain({"a": UNKNOWN, "b": secret, "c": [2.0, 2.5], "d": {"z": 1, "a": True}}) == {
        "a": "[unknown]",
        "b": "[secret]",
        "c": [2, 2.5],
        "d": {"a": True, "z": 1},
    }


def test_invalid_config_file_fails_before_any_resource(tmp_path):
    bad = tmp_path / "Pulumi.broken.yaml"
    bad.write_text(
        "config:\n  gcp:region: us-central1\n  llmd:accelerator: nvidia-l4\n  llmd:model:\n    replicas: -1\n"
    )
    result = run_cli("--config", str(bad), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "llmd:model.replicas" in result.stderr and "nothing was created" in result.stderr


def test_config_file_plan_uses_the_file_name_as_stack(tmp_path):
    good = tmp_path / "Pulumi.team-a.yaml"
    good.write_text(
        "config:\n  gcp:project: team-a-project\n  gcp:region: europe-west4\n  llmd:accelerator: nvidia-l4\n"
        "  llmd:gpuPool:\n    zones: [europe-west4-a, europe-west4-b]\n"
    )
    result = run_cli("--config", str(good), "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["stack"] == "team-a"
    assert doc["outputs"]["clusterName"] == "llmd-team-a"
    assert doc["outputs"]["clusterLocation"] == "europe-west4"
    pool = next(r for r in doc["resources"] if r["name"] == "inference-pool" and r["type"].startswith("gcp:"))
    assert pool["inputs"]["nodeLocations"] == ["europe-west4-a", "europe-west4-b"]


def test_unknown_stack_lists_the_stacks():
    result = run_cli("--stack", "nvidia-h200")
    assert result.returncode == 2 and "nvidia-l4" in result.stderr and result.stdout == ""


def test_table_lists_every_resource_under_its_parent():
    result = run_cli("--stack", "cpu")
    assert result.returncode == 0, result.stderr
    assert "gcp:container/cluster:Cluster" in result.stdout
    assert "llmd:platform:Network" in result.stdout
    assert "outputs:" in result.stdout


def test_same_stack_twice_gives_the_same_document():
    first = run_cli("--stack", "dev", "--format", "json")
    second = run_cli("--stack", "dev", "--format", "json")
    assert first.stdout == second.stdout and first.returncode == 0


@pytest.mark.parametrize("limit", [30, 40, 63])
def test_long_names_are_shortened_with_a_stable_hash(limit):
    long = dns_label("llmd", "a-very-long-team-stack-name-for-the-h100-fleet", "proxy-only", max_len=limit)
    assert len(long) <= limit and long == long.lower() and long[0].isalpha() and not long.endswith("-")
    assert long == dns_label("llmd", "a-very-long-team-stack-name-for-the-h100-fleet", "proxy-only", max_len=limit)
    other = dns_label("llmd", "a-very-long-team-stack-name-for-the-h100-fleet", "nodes-only", max_len=limit)
    assert long != other


def test_names_are_sanitised():
    assert dns_label("llmd", "Team_A", "VPC") == "llmd-team-a-vpc"
    assert dns_label("9lives") == "x-9lives"
