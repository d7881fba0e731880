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
from stacks.versions import DEFAULT_VERSION_SET, PINNED, VERSION_SETS
from tests.conftest import SET_2026_04
from tests.refusal import BASE, assert_config_refused, assert_refused, problems_of

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
        "did you mean replicas?",
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
    default = VERSION_SETS[DEFAULT_VERSION_SET]
    assert all(t in problem.fix for t in PLUGIN_TYPES[default.scheduler_version])
    assert default.scheduler_version in problem.message


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
    s = load_settings({**BASE, **SET_2026_04, "llmd:scheduler": json.dumps(scheduler)}, stack)
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
    # gcp:region has a default (us-central1); the project has none.
    assert {p.key for p in caught.value.problems} == {"gcp:project"}


def test_a_misspelled_chart_key_is_a_python_error():
    with pytest.raises(TypeError):
        ModelArtifacts(uri="hf://a/b", name="a/b", size="1Gi", labels={}, authSecretNmae="x")  # type: ignore[call-arg]


# ---- closer checks and secrets -----------------------------------------------------------------------------------

KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster: {server: https://10.0.0.1}\n"
    "users:\n- name: admin\n  user: {token: BearerTokenNeverPrinted42}\n"
)
SERVING_CLOSER = [
    (
        "existingCluster without a context",
        {"llmd:existingCluster": {}},
        "llmd:existingCluster.context",
        "kubectl config get-contexts",
    ),
    (
        "namespace LLM_D",
        {"llmd:existingCluster": {"context": "lab", "namespace": "LLM_D"}},
        "llmd:existingCluster.namespace",
        "such as 'llm-d'",
    ),
    (
        "gateway timeout of 100000 s",
        {"llmd:gateway": {"timeoutSeconds": 100000}},
        "llmd:gateway.timeoutSeconds",
        "less than or equal to 86400",
    ),
    (
        "extra model whose tensor parallelism does not divide its attention heads",
        {
            "llmd:gpuPool": {"machineType": "g2-standard-48"},
            "llmd:model": {"replicas": 1},
            "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "tensorParallelSize": 3}],
        },
        "llmd:extraModels[0].tensorParallelSize",
        "use one of: 1, 2, 4, 8",
    ),
    (
        "extra model with a 100-character name",
        {"llmd:model": {"replicas": 1}, "llmd:extraModels": [{"name": "org/" + "b" * 100}]},
        "llmd:extraModels[0].name",
        "at most 96",
    ),
]


@pytest.mark.parametrize(("config", "key", "fix"), [c[1:] for c in SERVING_CLOSER], ids=[c[0] for c in SERVING_CLOSER])
def test_closer_serving_check_names_the_key_with_its_fix(config, key, fix):
    assert_config_refused("nvidia-l4", config, key, fix)


def test_a_long_namespace_gets_a_length_fix_not_a_case_fix():
    [problem] = problems_of("nvidia-l4", {"llmd:existingCluster": {"context": "lab", "namespace": "n" * 70}})
    assert "at most 63" in problem.message and "lowercase" not in problem.fix


def test_a_gateway_timeout_gives_the_reason_for_its_cap():
    [problem] = problems_of("nvidia-l4", {"llmd:gateway": {"timeoutSeconds": 100000}})
    assert "24 hours" in problem.message


def test_kubeconfig_contents_are_refused_and_never_echoed():
    problems = problems_of("nvidia-l4", {"llmd:existingCluster": {"context": "lab", "kubeconfig": KUBECONFIG}})
    [problem] = problems
    assert problem.key == "llmd:existingCluster.kubeconfig" and "path" in problem.fix
    assert "BearerTokenNeverPrinted42" not in str(problem) and "apiVersion" not in str(problem)


def test_a_kubeconfig_path_is_accepted():
    s = load_settings(
        {
            "llmd:accelerator": "nvidia-l4",
            "llmd:existingCluster": json.dumps({"context": "lab", "kubeconfig": "~/.kube/lab.yaml"}),
        },
        "byo",
    )
    assert s.serving.existing_cluster is not None and s.serving.existing_cluster.kubeconfig == "~/.kube/lab.yaml"


@pytest.mark.parametrize(
    "config",
    [
        {"llmd:model": {"hfToken": "hf_NestedTokenNeverPrinted0123456"}},
        {
            "llmd:scheduler": {
                "profile": "custom",
                "plugins": [{"type": "queue-scorer", "apiKey": "hf_NestedTokenNeverPrinted0123456"}],
            }
        },
        {"llmd:model": [{"name": "x", "hfToken": "hf_NestedTokenNeverPrinted0123456"}]},
        {"llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "token": "hf_NestedTokenNeverPrinted0123456"}]},
        {"llmd:hftoken": "hf_NestedTokenNeverPrinted0123456"},
        {"llmd:accelerator": "hf_NestedTokenNeverPrinted0123456"},
        {"llmd:existingCluster": {"context": "lab", "password": "NestedTokenNeverPrinted0123456"}},
    ],
    ids=[
        "under model",
        "in a plugin",
        "in a section given as a list",
        "in an extra model",
        "misspelled key",
        "under a known key",
        "password in existingCluster",
    ],
)
def test_a_secret_anywhere_is_never_printed(config):
    problems = problems_of("nvidia-l4", config)
    text = "\n".join(str(p) for p in problems) + repr(problems)
    assert "NestedTokenNeverPrinted" not in text


def test_a_token_under_model_is_told_where_secrets_go():
    [problem] = problems_of("nvidia-l4", {"llmd:model": {"hfToken": "hf_NestedTokenNeverPrinted0123456"}})
    assert "pulumi config set --secret" in problem.fix and "llmd:hfToken" in problem.fix


def test_an_empty_hf_token_is_not_set():
    # `llmd:hfToken:` in YAML: a null, never the token "None".
    problems = problems_of(
        "nvidia-a100-80gb", {"llmd:hfToken": None, "llmd:model": {"name": "meta-llama/Llama-3.1-8B-Instruct"}}
    )
    assert [p.key for p in problems] == ["llmd:model.name"]
    settings = load_settings({**BASE, "llmd:hfToken": None}, "nvidia-l4")
    assert settings.serving.hf_token_set is False


def test_one_bad_extra_model_does_not_hide_another_ones_problem():
    problems = problems_of(
        "nvidia-l4",
        {
            "llmd:model": {"replicas": 1},
            "llmd:extraModels": [{"name": "Qwen/Qwen3-8B", "replicas": "one"}, {"name": "qwen3"}],
        },
    )
    assert {p.key for p in problems} == {"llmd:extraModels[0].replicas", "llmd:extraModels[1].name"}
