"""Each validation rule: the bad value is named with its fix, and nothing is registered."""

from __future__ import annotations

import pytest

from config import ConfigError, load_settings
from plan.runner import run_plan
from tests.refusal import BASE, assert_refused

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
