"""Each validation rule: the bad value is named with its fix, and nothing is registered."""

from __future__ import annotations

import json

import pytest

from config import ConfigError, load_settings
from plan.runner import run_plan
from tests.refusal import BASE, assert_config_refused, assert_refused, problems_of

CASES = [
    ("unknown accelerator", "dev", {"llmd:accelerator": "nvidia-h200"}, "llmd:accelerator", "nvidia-rtx-pro"),
    (
        "machine type of another GPU",
        "nvidia-l4",
        {"llmd:gpuPool": {"machineType": "a2-highgpu-1g"}},
        "llmd:gpuPool.machineType",
        "g2-standard-4",
    ),
    (
        "GPU count the machine cannot carry",
        "nvidia-tesla-t4",
        {"llmd:gpuPool": {"machineType": "n1-standard-64", "gpusPerNode": 2}},
        "llmd:gpuPool.gpusPerNode",
        "use 4",
    ),
    (
        "tensor parallel above GPUs per node",
        "nvidia-l4",
        {"llmd:model": {"tensorParallelSize": 2, "replicas": 1}},
        "llmd:model.tensorParallelSize",
        "g2-standard-24",
    ),
    (
        "invalid CIDR",
        "nvidia-l4",
        {"llmd:network": {"nodeCidr": "10.0.0.300/20"}},
        "llmd:network.nodeCidr",
        "network address",
    ),
    (
        "overlapping CIDRs",
        "nvidia-l4",
        {"llmd:network": {"proxyOnlyCidr": "10.0.2.0/23"}},
        "llmd:network.proxyOnlyCidr",
        "overlaps network.nodeCidr",
    ),
    ("public CIDR", "nvidia-l4", {"llmd:network": {"podCidr": "34.0.0.0/14"}}, "llmd:network.podCidr", "RFC 1918"),
    (
        "master range not /28",
        "nvidia-l4",
        {"llmd:network": {"masterCidr": "172.16.0.0/24"}},
        "llmd:network.masterCidr",
        "/28",
    ),
    (
        "proxy-only range too small",
        "nvidia-l4",
        {"llmd:network": {"proxyOnlyCidr": "10.21.0.0/28"}},
        "llmd:network.proxyOnlyCidr",
        "/23",
    ),
    (
        "T4 at 0.90 leaves no room for CUDA graphs",
        "nvidia-tesla-t4",
        {
            "llmd:hfToken": "token-for-a-gated-model",
            "llmd:model": {"name": "google/gemma-2b-it", "maxModelLen": 4096, "gpuMemoryUtilization": 0.9},
        },
        "llmd:model.gpuMemoryUtilization",
        "<= 0.86",
    ),
    (
        "model too large for the GPU",
        "nvidia-l4",
        {"llmd:model": {"name": "Qwen/Qwen3-32B"}},
        "llmd:model.maxModelLen",
        "raise tensorParallelSize",
    ),
    (
        "KV cache of one sequence does not fit",
        "nvidia-tesla-t4",
        {"llmd:model": {"name": "meta-llama/Llama-3.1-8B-Instruct", "maxModelLen": 2048}},
        "llmd:model.maxModelLen",
        "more than",
    ),
    (
        "context longer than the model's",
        "nvidia-a100-80gb",
        {"llmd:model": {"maxModelLen": 65536}},
        "llmd:model.maxModelLen",
        "<= 40960",
    ),
    (
        "utilisation above 1",
        "nvidia-l4",
        {"llmd:model": {"gpuMemoryUtilization": 1.2}},
        "llmd:model.gpuMemoryUtilization",
        "less than or equal to 1",
    ),
    (
        "utilisation of zero",
        "nvidia-l4",
        {"llmd:model": {"gpuMemoryUtilization": 0}},
        "llmd:model.gpuMemoryUtilization",
        "greater than 0",
    ),
    (
        "negative replicas",
        "nvidia-l4",
        {"llmd:model": {"replicas": -1}},
        "llmd:model.replicas",
        "greater than or equal to 0",
    ),
    (
        "more GPUs than the pool holds",
        "nvidia-l4",
        {"llmd:model": {"replicas": 5}},
        "llmd:model.replicas",
        "maxNodes to 5",
    ),
    ("not a region", "nvidia-l4", {"gcp:region": "mars-north9x"}, "gcp:region", "us-central1"),
    ("a zone given as region", "nvidia-l4", {"gcp:region": "europe-west4-a"}, "gcp:region", "'europe-west4'"),
    ("misspelled key", "nvidia-l4", {"llmd:model": {"replicaz": 2}}, "llmd:model.replicaz", "replicas"),
    ("misspelled section", "nvidia-l4", {"llmd:gpupool": {"maxNodes": 2}}, "llmd:gpupool", "gpuPool"),
    (
        "flex-start on G4",
        "nvidia-rtx-pro",
        {"llmd:gpuPool": {"capacity": "flex-start"}},
        "llmd:gpuPool.capacity",
        "on-demand, spot or reservation",
    ),
    (
        "reservation without a name",
        "nvidia-l4",
        {"llmd:gpuPool": {"capacity": "reservation"}},
        "llmd:gpuPool.reservation",
        "reservation's name",
    ),
    (
        "on-demand single-GPU H100",
        "nvidia-h100-80gb",
        {"llmd:gpuPool": {"capacity": "on-demand"}},
        "llmd:gpuPool.capacity",
        "spot or flex-start",
    ),
    (
        "zone of another region",
        "nvidia-l4",
        {"llmd:gpuPool": {"zones": ["us-east1-b"]}},
        "llmd:gpuPool.zones",
        "us-central1-a",
    ),
    (
        "model name not a Hugging Face id",
        "nvidia-l4",
        {"llmd:model": {"name": "qwen3"}},
        "llmd:model.name",
        "<organisation>/<model>",
    ),
    (
        "open control plane",
        "nvidia-l4",
        {"llmd:cluster": {"apiEndpoint": "ip", "masterAuthorizedNetworks": [{"cidr": "0.0.0.0/0"}]}},
        "llmd:cluster.masterAuthorizedNetworks",
        "your own ranges",
    ),
    (
        "system pool machine type misspelled",
        "nvidia-l4",
        {"llmd:systemPool": {"machineType": "e2-standrd-4"}},
        "llmd:systemPool.machineType",
        "e2-standard-4",
    ),
    (
        "system pool on a Hyperdisk-only family",
        "nvidia-l4",
        {"llmd:systemPool": {"machineType": "n4-standard-4"}},
        "llmd:systemPool.machineType",
        "pd-balanced",
    ),
    (
        "system pool min above max",
        "nvidia-l4",
        {"llmd:systemPool": {"minNodes": 5, "maxNodes": 2}},
        "llmd:systemPool.minNodes",
        "minNodes <= maxNodes",
    ),
    (
        "GPU region without catalog zones",
        "nvidia-l4",
        {"gcp:region": "europe-west4"},
        "llmd:gpuPool.zones",
        "gcloud compute accelerator-types list",
    ),
    (
        "reservation without zones",
        "nvidia-l4",
        {"llmd:gpuPool": {"capacity": "reservation", "reservation": "my-l4s"}},
        "llmd:gpuPool.zones",
        "zones of the reservation",
    ),
    ("project id with capitals", "nvidia-l4", {"gcp:project": "My Project"}, "gcp:project", "project id"),
    (
        "min above max nodes",
        "nvidia-l4",
        {"llmd:gpuPool": {"minNodes": 3, "maxNodes": 2}},
        "llmd:gpuPool.minNodes",
        "minNodes <= maxNodes",
    ),
]


@pytest.mark.parametrize(("stack", "config", "key", "fix"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_value_is_named_with_its_fix_and_nothing_is_registered(stack, config, key, fix):
    assert_refused(stack, config, key, fix)


def test_all_problems_are_reported_together():
    bad = {
        "gcp:region": "us-central1-b",
        "llmd:accelerator": "tpu",
        "llmd:model": {"gpuMemoryUtilization": 2, "replicas": -3},
        "llmd:network": {"podCidr": "8.8.0.0/14"},
    }
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {**BASE, **{k: v if isinstance(v, str) else __import__("json").dumps(v) for k, v in bad.items()}}, "x"
        )
    keys = {p.key for p in caught.value.problems}
    assert keys >= {
        "gcp:region",
        "llmd:accelerator",
        "llmd:model.gpuMemoryUtilization",
        "llmd:model.replicas",
        "llmd:network.podCidr",
    }


def test_unknown_model_is_planned_with_a_clear_notice():
    plan = run_plan("nvidia-l4", {**BASE, "llmd:model": {"name": "example-org/unlisted-7b"}})
    assert any("example-org/unlisted-7b is not in the built-in model table" in n for n in plan.notices)


def test_seed_runbook_t4_settings_that_ran_are_accepted():
    settings = load_settings(
        {
            **BASE,
            "llmd:hfToken": "token-for-a-gated-model",
            "llmd:model": '{"name": "google/gemma-2b-it", "maxModelLen": 2048, "gpuMemoryUtilization": 0.85}',
        },
        "nvidia-tesla-t4",
    )
    assert settings.model.gpu_memory_utilization == 0.85


def test_every_catalog_default_passes_the_fit_check():
    from stacks.accelerators import CATALOG

    for name in CATALOG:
        settings = load_settings({**BASE, "llmd:model": '{"replicas": 1}'}, name)
        assert settings.accelerator.name == name


# ---- closer checks: values that were accepted although wrong ---------------------------------------------------

CLOSER = [
    (
        "node pool maximum of 100000",
        "nvidia-l4",
        {"llmd:gpuPool": {"maxNodes": 100000}},
        "llmd:gpuPool.maxNodes",
        "maxNodes <= 3000",
    ),
    (
        "single-zone pool above 1000 nodes",
        "nvidia-rtx-pro",
        {"llmd:gpuPool": {"maxNodes": 1001}},
        "llmd:gpuPool.maxNodes",
        "maxNodes <= 1000",
    ),
    (
        "system pool of 5000 nodes",
        "nvidia-l4",
        {"llmd:systemPool": {"maxNodes": 5000}},
        "llmd:systemPool.maxNodes",
        "maxNodes <= 3000",
    ),
    ("a /28 pod range", "nvidia-l4", {"llmd:network": {"podCidr": "10.16.0.0/28"}}, "llmd:network.podCidr", "a /21"),
    ("a misspelled region", "nvidia-l4", {"gcp:region": "us-centrall1"}, "gcp:region", "did you mean 'us-central1'"),
    ("a region that does not exist", "nvidia-l4", {"gcp:region": "mars-north9"}, "gcp:region", "europe-west4"),
    (
        "a zone without the accelerator",
        "nvidia-rtx-pro",
        {"llmd:gpuPool": {"zones": ["us-central1-a"]}},
        "llmd:gpuPool.zones",
        "use us-central1-b",
    ),
    (
        "a zone that does not exist",
        "nvidia-l4",
        {"llmd:gpuPool": {"zones": ["us-central1-z"]}},
        "llmd:gpuPool.zones",
        "us-central1-a, us-central1-b, us-central1-c",
    ),
    (
        "a 100-character model name",
        "nvidia-l4",
        {"llmd:model": {"name": "example-org/" + "a" * 100}},
        "llmd:model.name",
        "at most 96 characters",
    ),
    (
        "a model id with '--'",
        "nvidia-l4",
        {"llmd:model": {"name": "example--org/model"}},
        "llmd:model.name",
        "no '--'",
    ),
    (
        "an authorised network of 0.0.0.0/1",
        "nvidia-l4",
        {"llmd:cluster": {"apiEndpoint": "ip", "masterAuthorizedNetworks": [{"cidr": "0.0.0.0/1"}]}},
        "llmd:cluster.masterAuthorizedNetworks",
        "your own ranges",
    ),
    (
        "a user label replacing the program's",
        "nvidia-l4",
        {"llmd:labels": {"app": "chat"}},
        "llmd:labels.app",
        "use another key",
    ),
    (
        "a label value too long (lowercase already)",
        "nvidia-l4",
        {"llmd:labels": {"team": "a" * 64}},
        "llmd:labels.team",
        "shorten it to at most 63",
    ),
    (
        "a label value in capitals",
        "nvidia-l4",
        {"llmd:labels": {"team": "ML"}},
        "llmd:labels.team",
        "lowercase: 'ml'",
    ),
    (
        "a release channel in lowercase",
        "nvidia-l4",
        {"llmd:cluster": {"releaseChannel": "rapid"}},
        "llmd:cluster.releaseChannel",
        "write it as 'RAPID'",
    ),
    (
        "replicas as a word",
        "nvidia-l4",
        {"llmd:model": {"replicas": "two"}},
        "llmd:model.replicas",
        "use a number such as 2",
    ),
    ("a misspelled gcp key", "nvidia-l4", {"gcp:regoin": "europe-west4"}, "gcp:regoin", "did you mean gcp:region"),
    (
        "a misspelled llmd key",
        "nvidia-l4",
        {"llmd:gpuPol": {"maxNodes": 2}},
        "llmd:gpuPol",
        "did you mean llmd:gpuPool",
    ),
    ("a misspelled namespace", "nvidia-l4", {"lmd:model": {"replicas": 1}}, "lmd:model", "did you mean llmd:model"),
]


@pytest.mark.parametrize(("stack", "config", "key", "fix"), [c[1:] for c in CLOSER], ids=[c[0] for c in CLOSER])
def test_closer_check_names_the_key_with_its_fix(stack, config, key, fix):
    assert_config_refused(stack, config, key, fix)


def test_enum_messages_keep_pydantic_case_and_the_length_fix_is_not_a_case_fix():
    problems = {
        p.key: p
        for p in problems_of(
            "nvidia-l4", {"llmd:cluster": {"releaseChannel": "rapid"}, "llmd:labels": {"team": "a" * 64}}
        )
    }
    assert "Input should be 'RAPID', 'REGULAR' or 'STABLE'" in problems["llmd:cluster.releaseChannel"].message
    assert "lowercase" not in problems["llmd:labels.team"].fix


def test_a_number_fix_names_a_number_not_the_parser():
    [problem] = problems_of("nvidia-l4", {"llmd:model": {"replicas": "two"}})
    assert str(problem).endswith("Fix: use a number such as 2")
    assert "unable to parse" not in str(problem)


def test_a_misspelled_top_level_key_is_not_reported_as_a_missing_one():
    problems = problems_of("nvidia-l4", {"gcp:regoin": "europe-west4"})
    assert [p.key for p in problems] == ["gcp:regoin"]


def test_region_defaults_to_us_central1_as_the_readme_and_pulumi_yaml_say():
    import yaml

    from stacks.regions import DEFAULT_REGION

    settings = load_settings({"gcp:project": "my-project-1"}, "nvidia-l4")
    assert settings.region == DEFAULT_REGION == "us-central1"
    project = yaml.safe_load(open("Pulumi.yaml").read())  # noqa: SIM115
    assert project["template"]["config"]["gcp:region"]["default"] == DEFAULT_REGION


def test_authorised_networks_narrower_than_a_slash_8_or_private_are_accepted():
    nets = [{"cidr": "8.0.0.0/8"}, {"cidr": "10.0.0.0/8"}, {"cidr": "203.0.113.0/24"}]
    settings = load_settings(
        {**BASE, "llmd:cluster": json.dumps({"apiEndpoint": "ip", "masterAuthorizedNetworks": nets})}, "nvidia-l4"
    )
    assert len(settings.cluster.master_authorized_networks) == 3


def test_every_catalog_zone_list_names_real_zones_of_its_region():
    from stacks.accelerators import CATALOG
    from stacks.regions import ZONES

    for profile in CATALOG.values():
        for region, zones in profile.zones_by_region.items():
            assert set(zones) <= set(ZONES[region]), (profile.name, region)


# ---- every rule runs on whatever parsed --------------------------------------------------------------------------


def test_a_type_error_in_a_section_does_not_skip_its_other_checks():
    problems = problems_of("nvidia-l4", {"llmd:model": {"replicas": "two", "name": "qwen3"}})
    assert {p.key for p in problems} == {"llmd:model.replicas", "llmd:model.name"}


def test_a_misspelled_key_makes_no_false_problem_from_the_default_it_left():
    # maxNode is not maxNodes: the pool's default of 2 nodes is not what the user chose, so 4 replicas are not
    # judged against it.
    problems = problems_of("nvidia-l4", {"llmd:gpuPool": {"maxNode": 4}, "llmd:model": {"replicas": 4}})
    assert [p.key for p in problems] == ["llmd:gpuPool.maxNode"]
    assert "did you mean maxNodes?" in problems[0].fix


def test_a_section_that_is_a_list_is_named_and_other_sections_are_still_checked():
    problems = problems_of("nvidia-l4", {"llmd:model": [{"name": "x"}], "llmd:network": {"podCidr": "8.8.0.0/14"}})
    assert {p.key for p in problems} == {"llmd:model", "llmd:network.podCidr"}


def test_list_indices_are_printed_in_brackets():
    [problem] = problems_of(
        "nvidia-l4", {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "queue-scorer", "weight": "x"}]}}
    )
    assert problem.key == "llmd:scheduler.plugins[0].weight"
