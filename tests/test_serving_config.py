"""The serving layer's config: each bad input is named with its fix before any resource; profiles render
as EndpointPickerConfig; chart values are typed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.serving.chart_values import ModelArtifacts
from components.serving.inference_pool import SCHEDULER_CONFIG_FILE, InferencePoolArgs, inference_pool_values
from config import ConfigError, load_settings
from stacks.scheduler_plugins import PLUGIN_TYPES
from stacks.versions import PINNED
from tests.refusal import BASE, assert_refused

EXISTING = {"llmd:existingCluster": {"context": "lab"}}

CASES = [
    (
        "unknown plugin type (the seeds' round-robin-picker)",
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "round-robin-picker"}]}},
        "llmd:scheduler.plugins[0].type",
        "max-score-picker",
    ),
    (
        "weight of zero",
        "nvidia-l4",
        {
            "llmd:scheduler": {
                "profile": "custom",
                "plugins": [{"type": "queue-scorer", "weight": 1}, {"type": "prefix-cache-scorer", "weight": 0}],
            }
        },
        "llmd:scheduler.plugins[1].weight",
        "positive weight",
    ),
    (
        "negative weight",
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "queue-scorer", "weight": -2}]}},
        "llmd:scheduler.plugins[0].weight",
        "positive weight",
    ),
    (
        "weight on a picker",
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "random-picker", "weight": 2}]}},
        "llmd:scheduler.plugins[0].weight",
        "remove the weight",
    ),
    ("unknown profile", "nvidia-l4", {"llmd:scheduler": {"profile": "fastest"}}, "llmd:scheduler.profile", "custom"),
    (
        "custom profile without plugins",
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom"}},
        "llmd:scheduler.plugins",
        "list plugins",
    ),
    (
        "plugins with a built-in profile",
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "load", "plugins": [{"type": "queue-scorer"}]}},
        "llmd:scheduler.plugins",
        "profile: custom",
    ),
    (
        "gateway class that does not exist",
        "nvidia-l4",
        {"llmd:gateway": {"className": "gke-l7-internal"}},
        "llmd:gateway.className",
        "gke-l7-rilb",
    ),
    (
        "external class for the internal gateway",
        "nvidia-l4",
        {"llmd:gateway": {"className": "gke-l7-global-external-managed"}},
        "llmd:gateway.className",
        "gke-l7-rilb",
    ),
    (
        "GKE class on an existing cluster",
        "nvidia-l4",
        {**EXISTING, "llmd:gateway": {"className": "gke-l7-rilb"}},
        "llmd:gateway.className",
        "istio",
    ),
    (
        "backend timeout that produced 504s",
        "nvidia-l4",
        {"llmd:gateway": {"timeoutSeconds": 300}},
        "llmd:gateway.timeoutSeconds",
        "greater than or equal to 600",
    ),
    (
        "gated model without a token",
        "nvidia-a100-80gb",
        {"llmd:model": {"name": "meta-llama/Llama-3.1-8B-Instruct"}},
        "llmd:model.name",
        "--secret llmd:hfToken",
    ),
    (
        "gated extra model without a token",
        "nvidia-a100-80gb",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "google/gemma-2b-it"}]},
        "llmd:extraModels[0].name",
        "--secret llmd:hfToken",
    ),
    (
        "extra model name not a Hugging Face id",
        "nvidia-l4",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "qwen3"}]},
        "llmd:extraModels[0].name",
        "<organisation>/<model>",
    ),
    (
        "all model pools above the GPU pool",
        "nvidia-l4",
        {"llmd:model": {"replicas": 2}, "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": 1}]},
        "llmd:extraModels",
        "maxNodes to 3",
    ),
    (
        "the same model twice",
        "nvidia-l4",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "Qwen/Qwen3-0.6B"}]},
        "llmd:extraModels[0].name",
        "serve each model once",
    ),
    (
        "extra model too large for the GPU",
        "nvidia-l4",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "Qwen/Qwen3-32B"}]},
        "llmd:extraModels[0].maxModelLen",
        "raise tensorParallelSize",
    ),
    (
        "extra model entry with a misspelled key",
        "nvidia-l4",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replica": 1}]},
        "llmd:extraModels[0].replica",
        "extraModels as a list",
    ),
    (
        "replicas x GPUs above the pool (the platform rule)",
        "nvidia-l4",
        {"llmd:model": {"replicas": 3}},
        "llmd:model.replicas",
        "maxNodes to 3",
    ),
]


@pytest.mark.parametrize(("stack", "config", "key", "fix"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_serving_value_is_named_with_its_fix_and_nothing_is_registered(stack, config, key, fix):
    assert_refused(stack, config, key, fix)


def _settings(stack: str, config: dict[str, Any]):
    return load_settings({**BASE, **{k: json.dumps(v) for k, v in config.items()}}, stack)


def test_unknown_plugin_fix_lists_every_valid_type_of_the_pinned_scheduler():
    with pytest.raises(ConfigError) as caught:
        _settings("nvidia-l4", {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "round-robin-picker"}]}})
    [problem] = caught.value.problems
    assert all(t in problem.fix for t in PLUGIN_TYPES[PINNED.scheduler_version])
    assert PINNED.scheduler_version in problem.message


def test_every_problem_of_the_layer_is_reported_together():
    with pytest.raises(ConfigError) as caught:
        _settings(
            "nvidia-a100-80gb",
            {
                "llmd:model": {"name": "meta-llama/Llama-3.1-8B-Instruct", "replicas": 1},
                "llmd:scheduler": {"profile": "custom", "plugins": [{"type": "round-robin-picker", "weight": 0}]},
                "llmd:gateway": {"className": "nginx"},
            },
        )
    assert {p.key for p in caught.value.problems} == {
        "llmd:model.name",
        "llmd:scheduler.plugins[0].type",
        "llmd:scheduler.plugins[0].weight",
        "llmd:gateway.className",
    }


def _epp_config(stack: str, scheduler: dict[str, Any]) -> dict[str, Any]:
    s = _settings(stack, {"llmd:scheduler": scheduler})
    values = inference_pool_values(
        InferencePoolArgs(
            release_name="pool",
            namespace="llm-d",
            chart=PINNED.inferencepool_chart,
            epp_image=PINNED.epp_image,
            match_labels={"a": "b"},
            plugins=s.serving.plugins,
            scheduler_version=PINNED.scheduler_version,
            provider="none",
        )
    ).to_values()
    extension = values["inferenceExtension"]
    # Both keys: the custom file is added to the EPP's ConfigMap AND named as the file to load.
    assert extension["pluginsConfigFile"] == SCHEDULER_CONFIG_FILE != "default-plugins.yaml"
    config = json.loads(extension["pluginsCustomConfig"][SCHEDULER_CONFIG_FILE])  # JSON is YAML
    assert config["apiVersion"] == "inference.networking.x-k8s.io/v1alpha1"
    assert config["kind"] == "EndpointPickerConfig"
    [profile] = config["schedulingProfiles"]
    assert profile["name"] == "default"
    declared = {p.get("name") or p["type"] for p in config["plugins"]}
    assert {ref["pluginRef"] for ref in profile["plugins"]} <= declared
    return {"types": [p["type"] for p in config["plugins"]], "refs": profile["plugins"], "plugins": config["plugins"]}


def test_default_profile_weights_prefix_cache_kv_cache_and_queue():
    config = _epp_config("nvidia-l4", {})
    assert config["refs"] == [
        {"pluginRef": "prefix-cache-scorer", "weight": 3},
        {"pluginRef": "kv-cache-utilization-scorer", "weight": 2},
        {"pluginRef": "queue-scorer", "weight": 2},
        {"pluginRef": "max-score-picker"},
    ]
    assert "single-profile-handler" in config["types"]


def test_load_profile_has_no_cache_affinity():
    config = _epp_config("nvidia-l4", {"profile": "load"})
    scorers = {r["pluginRef"] for r in config["refs"] if "weight" in r}
    assert scorers == {"queue-scorer", "kv-cache-utilization-scorer"}


def test_random_profile_picks_at_random():
    config = _epp_config("cpu", {"profile": "random"})
    assert config["refs"] == [{"pluginRef": "random-picker"}]
    assert "max-score-picker" not in config["types"]


def test_custom_profile_keeps_types_weights_names_and_parameters():
    config = _epp_config(
        "nvidia-l4",
        {
            "profile": "custom",
            "plugins": [
                {"type": "prefix-cache-scorer", "weight": 5, "parameters": {"blockSizeTokens": 32}},
                {"type": "load-aware-scorer", "name": "load", "weight": 1.5, "parameters": {"threshold": 64}},
                {"type": "weighted-random-picker"},
            ],
        },
    )
    assert config["refs"] == [
        {"pluginRef": "prefix-cache-scorer", "weight": 5},
        {"pluginRef": "load", "weight": 1.5},
        {"pluginRef": "weighted-random-picker"},
    ]
    assert {"type": "load-aware-scorer", "name": "load", "parameters": {"threshold": 64}} in config["plugins"]
    assert {"type": "prefix-cache-scorer", "parameters": {"blockSizeTokens": 32}} in config["plugins"]


def test_existing_cluster_needs_no_gcp_project_or_region():
    s = load_settings({"llmd:accelerator": "nvidia-l4", "llmd:existingCluster": json.dumps({"context": "lab"})}, "byo")
    assert s.serving.existing_cluster is not None and s.serving.existing_cluster.context == "lab"
    assert (s.serving.gateway_provider, s.serving.gateway_class) == ("istio", "istio")
    with pytest.raises(ConfigError) as caught:
        load_settings({"llmd:accelerator": "nvidia-l4"}, "gke")
    assert {p.key for p in caught.value.problems} == {"gcp:project", "gcp:region"}


def test_a_misspelled_chart_key_is_a_python_error():
    with pytest.raises(TypeError):
        ModelArtifacts(uri="hf://a/b", name="a/b", size="1Gi", labels={}, authSecretNmae="x")  # type: ignore[call-arg]
