"""`make plan-diff`: what an update would do, from the providers' replace-on-change data."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from plan.diff import CREATE, DELETE, REPLACE, UPDATE, changed_paths, diff_configs, forces_replacement, missing_rules
from plan.runner import load_config_file, plan_stack, stack_file
from stacks.replacement import RULES, ReplaceRule
from tests.planview import STACKS

ROOT = Path(__file__).resolve().parent.parent
STACK = "nvidia-l4"


def base() -> dict[str, Any]:
    return load_config_file(stack_file(STACK))


def changed(**updates: Any) -> dict[str, Any]:
    config = copy.deepcopy(base())
    for key, value in updates.items():
        section = key.replace("__", ":")
        if isinstance(value, dict) and isinstance(config.get(section), dict):
            config[section] = {**config[section], **value}
        else:
            config[section] = value
    return config


def stateful_replacements(result) -> list[str]:
    return [f"{c.type} {c.name}" for c in result.of(REPLACE) + result.of(DELETE) if c.stateful]


@pytest.mark.parametrize(
    "updates",
    [
        {"llmd__labels": {"team": "inference"}},
        {"llmd__iap": {"members": ["domain:example.com", "group:ml@example.com"]}},
        {"llmd__alerts": {"ttftP95SloSeconds": 3, "queueSizeThreshold": 20}},
        {"llmd__scheduler": {"profile": "load"}},
        {"llmd__model": {"replicas": 1}},
        {"llmd__model": {"maxModelLen": 4096}},
        {"llmd__gpuPool": {"minNodes": 1, "maxNodes": 4}},
        {"llmd__systemPool": {"minNodes": 2, "maxNodes": 4}},
    ],
    ids=lambda u: next(iter(u.values())) and next(iter(u)).replace("llmd__", ""),
)
def test_routine_changes_replace_nothing_stateful(updates):
    result = diff_configs(STACK, base(), changed(**updates))
    assert result.changes, "the change must show up somewhere"
    assert not stateful_replacements(result), stateful_replacements(result)


def test_labels_update_the_cluster_in_place_without_touching_its_node_config():
    result = diff_configs(STACK, base(), changed(llmd__labels={"team": "inference"}))
    [cluster] = [c for c in result.changes if c.type == "gcp:container/cluster:Cluster"]
    assert cluster.action == UPDATE
    assert cluster.paths and all(not p.startswith("nodeConfig") for p in cluster.paths), cluster.paths


def test_pool_size_changes_update_the_autoscaler_in_place():
    result = diff_configs(STACK, base(), changed(llmd__gpuPool={"minNodes": 1, "maxNodes": 4}))
    [pool] = [c for c in result.changes if c.name == "inference-pool" and c.type.startswith("gcp:container")]
    assert pool.action == UPDATE and all(p.startswith("autoscaling.") for p in pool.paths), pool.paths


def test_a_new_machine_type_updates_only_the_inference_pool():
    # The provider updates machine_type in place (GKE recreates the nodes); nothing else changes.
    result = diff_configs(STACK, base(), changed(llmd__gpuPool={"machineType": "g2-standard-16"}))
    assert not result.of(REPLACE) and not result.of(DELETE) and not result.of(CREATE)
    platform = [(c.action, c.type, c.name) for c in result.changes if c.type.startswith("gcp:")]
    assert platform == [(UPDATE, "gcp:container/nodePool:NodePool", "inference-pool")], platform
    assert "nodeConfig.machineType" in result.changes[0].paths or any(
        "nodeConfig.machineType" in c.paths for c in result.changes
    )


def test_a_machine_with_more_gpus_replaces_only_the_inference_pool():
    result = diff_configs(STACK, base(), changed(llmd__gpuPool={"machineType": "g2-standard-24", "gpusPerNode": 2}))
    replaced = [(c.type, c.name) for c in result.of(REPLACE)]
    assert replaced == [("gcp:container/nodePool:NodePool", "inference-pool")], replaced
    assert result.of(REPLACE)[0].paths == ["nodeConfig.guestAccelerators.count"]


def test_a_new_region_replaces_the_platform_and_says_so(tmp_path):
    result = diff_configs(
        STACK,
        {**base(), "gcp:region": "us-central1"},
        {**base(), "gcp:region": "us-east4", "llmd:gpuPool": {"zones": ["us-east4-a"]}},
    )
    replaced = {c.type for c in result.of(REPLACE)}
    for kind in (
        "gcp:container/cluster:Cluster",
        "gcp:container/nodePool:NodePool",
        "gcp:compute/subnetwork:Subnetwork",
        "pulumi:providers:kubernetes",
        "kubernetes:apps/v1:Deployment",
    ):
        assert kind in replaced, kind
    assert len(stateful_replacements(result)) >= 4


def test_removing_an_extra_model_deletes_only_its_pool():
    extra = {"llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}], "llmd:gpuPool": {"maxNodes": 3}}
    result = diff_configs(STACK, {**base(), **extra}, {**base(), "llmd:gpuPool": {"maxNodes": 3}})
    assert result.of(DELETE) and not result.of(REPLACE) and not result.of(CREATE)
    assert all("qwen3-8b" in c.name for c in result.of(DELETE)), [c.name for c in result.of(DELETE)]


def test_changed_paths_are_dotted_and_unindexed():
    old = {"a": {"b": 1, "c": [{"x": 1}, {"x": 2}]}, "d": 1}
    new = {"a": {"b": 2, "c": [{"x": 1}, {"x": 3}]}, "e": 1}
    assert changed_paths(old, new) == ["a.b", "a.c.x", "d", "e"]


def test_replacement_rules_honour_in_place_exceptions():
    rule = ReplaceRule("t", replace_on=("nodeConfig",), update_in_place=("nodeConfig.labels",))
    assert forces_replacement("nodeConfig.machineType", rule)
    assert not forces_replacement("nodeConfig.labels.team", rule)
    assert forces_replacement("nodeConfig", rule)  # a whole unknown input may hold a forcing field
    assert not forces_replacement("autoscaling.totalMaxNodeCount", rule)
    assert forces_replacement("spec.selector", None, ["spec.selector"])


def test_every_resource_type_the_program_uses_has_replacement_data():
    missing: set[str] = set()
    for stack in STACKS:
        missing |= missing_rules(plan_stack(stack).registrations)
    assert not missing, f"add these to stacks/replacement.py: {sorted(missing)}"


def test_only_custom_resources_fall_back_to_the_kubernetes_wildcard():
    from stacks.replacement import rule_for

    assert rule_for("kubernetes:policy/v1:PodDisruptionBudget") is None
    assert rule_for("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding") is None
    wildcard = rule_for("kubernetes:example.com/v1:Widget")
    assert wildcard is not None and wildcard.type == "kubernetes:*"
    assert rule_for("gcp:compute/unknown:Unknown") is None


def test_every_rule_cites_its_source():
    for rule in RULES:
        assert rule.source and rule.read_on, rule.type


def test_cli_prints_the_diff_and_warns_on_stateful_replacements(tmp_path):
    config = tmp_path / "Pulumi.changed.yaml"
    document = {"config": changed(llmd__gpuPool={"machineType": "g2-standard-24", "gpusPerNode": 2})}
    config.write_text(yaml.safe_dump(document))
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--diff-base", STACK, "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "replace" in result.stdout and "inference-pool" in result.stdout
    assert "WARNING: 1 stateful" in result.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "plan", "--diff-base", STACK, "--config", str(config), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    doc = json.loads(as_json.stdout)
    assert [c["name"] for c in doc["changes"] if c["action"] == REPLACE] == ["inference-pool"]


def test_cli_refuses_a_bad_changed_config_with_exit_2(tmp_path):
    config = tmp_path / "Pulumi.bad.yaml"
    config.write_text(yaml.safe_dump({"config": {"llmd:model": {"replicas": -1}}}))
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--diff-base", STACK, "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "llmd:model.replicas" in result.stderr
