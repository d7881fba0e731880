"""Invariants of the catalog data (stacks/accelerators.py, stacks/models.py) that a mistyped entry breaks.

The config rules, the node pools and the fit check all read the catalog; a machine listed under the wrong
accelerator, a GPU count that does not match the shape's name, a zone of another region or a model whose
architecture does not add up to its parameter count would be planned without complaint.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from config.context import REGION
from plan.runner import load_config_file, stack_file
from stacks.accelerators import CATALOG, SYSTEM_POOL_MACHINE, AcceleratorProfile, MachineShape
from stacks.models import KNOWN_MODELS, ModelFacts
from tests.planview import GKE_STACKS

README = Path(__file__).resolve().parent.parent / "README.md"
PROFILES = list(CATALOG.values())
GPU_PROFILES = [p for p in PROFILES if p.is_gpu]
MACHINES = [(p, m) for p in PROFILES for m in p.machines]
CAPACITIES = ("on-demand", "spot", "flex-start", "reservation")
BOOT_DISKS = ("pd-balanced", "pd-ssd", "hyperdisk-balanced")
# Compute Engine series that boot only from Hyperdisk (machine-resource docs: G4 supports Hyperdisk only).
HYPERDISK_ONLY_SERIES = ("g4",)
# Models whose config.json sets head_dim explicitly, unequal to hidden_size / num_attention_heads.
EXPLICIT_HEAD_DIM = ("Qwen/Qwen3-",)
# Organisations whose models on Hugging Face need an accepted licence (and so a token).
GATED_ORGS = ("meta-llama", "google")


def family(machine_type: str) -> str:
    """`g2-standard-24` -> `g2-standard`, `a2-ultragpu-1g` -> `a2-ultragpu`."""
    return machine_type.rsplit("-", 1)[0]


def readme_row(profile: AcceleratorProfile) -> str:
    """The profile's row in README's table of stacks (`| stack | accelerator | default machine (GPUs) | notes |`)."""
    lines = README.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("| stack | accelerator |")]
    assert len(starts) == 1, "README has no single table of stacks and accelerators"
    table = []
    for line in lines[starts[0] :]:
        if not line.startswith("|"):
            break
        table.append(line)
    rows = [line for line in table if line.startswith(f"| `{profile.name}` |")]
    assert len(rows) == 1, f"README's table of stacks has {len(rows)} rows for {profile.name}"
    return rows[0]


class TestMachines:
    def test_each_machine_family_belongs_to_exactly_one_accelerator(self):
        owners: dict[str, set[str]] = defaultdict(set)
        for profile, machine in MACHINES:
            owners[family(machine.machine_type)].add(profile.name)
        assert {f: sorted(o) for f, o in owners.items() if len(o) > 1} == {}

    def test_machine_types_are_listed_once(self):
        types = [m.machine_type for _, m in MACHINES]
        assert sorted({t for t in types if types.count(t) > 1}) == []
        assert SYSTEM_POOL_MACHINE.machine_type not in types

    @pytest.mark.parametrize(("profile", "machine"), MACHINES, ids=[m.machine_type for _, m in MACHINES])
    def test_gpu_counts_match_the_accelerator(self, profile, machine):
        if profile.is_gpu:
            assert machine.gpu_counts, "a GPU machine without GPU counts"
            assert all(n > 0 for n in machine.gpu_counts)
            assert list(machine.gpu_counts) == sorted(set(machine.gpu_counts))
        else:
            assert machine.gpu_counts == ()
            assert not machine.spot_or_flex_only

    @pytest.mark.parametrize(("profile", "machine"), MACHINES, ids=[m.machine_type for _, m in MACHINES])
    def test_shape_matches_its_name(self, profile, machine):
        size = machine.machine_type.rsplit("-", 1)[1]
        if size.endswith("g"):  # a2-highgpu-4g, a3-highgpu-8g: the GPU count is in the name
            assert machine.gpu_counts == (int(size[:-1]),)
        else:  # n2-standard-16, g2-standard-24: the vCPU count is in the name
            assert machine.vcpus == int(size)
        assert machine.vcpus > 0 and machine.memory_gib > 0

    def test_memory_per_vcpu_is_one_ratio_per_family(self):
        ratios: dict[str, set[float]] = defaultdict(set)
        for _, machine in MACHINES:
            ratios[family(machine.machine_type)].add(round(machine.memory_gib / machine.vcpus, 2))
        assert {f: sorted(r) for f, r in ratios.items() if len(r) > 1} == {}

    def test_vcpus_per_gpu_is_one_ratio_per_fixed_gpu_family(self):
        ratios: dict[str, set[float]] = defaultdict(set)
        for _, machine in MACHINES:
            if machine.machine_type.endswith("g"):
                [gpus] = machine.gpu_counts
                ratios[family(machine.machine_type)].add(machine.vcpus / gpus)
        assert ratios and {f: sorted(r) for f, r in ratios.items() if len(r) > 1} == {}


class TestProfiles:
    @pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
    def test_profile_is_self_consistent(self, profile):
        assert CATALOG[profile.name] is profile
        assert profile.machine(profile.default_machine_type) is not None, "the default machine is not in the profile"
        assert 0 < profile.default_gpu_memory_utilization <= 1
        assert profile.default_max_model_len > 0
        assert profile.default_capacity in CAPACITIES
        assert profile.boot_disk_type in BOOT_DISKS and profile.boot_disk_gib >= 50
        assert (profile.gpu_memory_gib > 0) == profile.is_gpu

    @pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
    def test_default_capacity_is_sold_for_the_default_machine(self, profile):
        shape = profile.machine(profile.default_machine_type)
        assert shape is not None
        if shape.spot_or_flex_only:
            assert profile.default_capacity in ("spot", "flex-start")
        if profile.default_capacity == "flex-start":
            assert profile.flex_start_supported

    @pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
    def test_hyperdisk_only_series_boot_from_hyperdisk(self, profile):
        series = {m.machine_type.split("-", 1)[0] for m in profile.machines}
        if series & set(HYPERDISK_ONLY_SERIES):
            assert profile.boot_disk_type.startswith("hyperdisk")

    def test_gke_accelerator_types_are_unique(self):
        types = [p.gke_accelerator for p in GPU_PROFILES]
        assert len(types) == len(set(types))

    @pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
    def test_flex_start_and_spot_only_limits_are_the_documented_ones(self, profile):
        row = readme_row(profile)
        assert profile.flex_start_supported == ("no flex-start" not in row), row
        spot_only = any(m.spot_or_flex_only for m in profile.machines)
        assert spot_only == ("spot/flex-start only" in row), row


class TestZones:
    @pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
    def test_zones_are_zones_of_their_region(self, profile):
        for region, zones in profile.zones_by_region.items():
            assert REGION.match(region), region
            assert zones, f"{profile.name}: no zones listed for {region}"
            assert len(zones) == len(set(zones))
            for zone in zones:
                assert re.fullmatch(rf"{re.escape(region)}-[a-z]", zone), f"{zone} is not a zone of {region}"

    @pytest.mark.parametrize("profile", GPU_PROFILES, ids=[p.name for p in GPU_PROFILES])
    def test_every_gpu_is_listed_in_some_region(self, profile):
        assert profile.zones_by_region

    @pytest.mark.parametrize("stack", GKE_STACKS)
    def test_shipped_stacks_plan_in_a_region_the_catalog_lists(self, stack):
        config = load_config_file(stack_file(stack))
        profile = CATALOG[config.get("llmd:accelerator") or stack]
        region = config.get("gcp:region", "us-central1")
        if profile.is_gpu and not (config.get("llmd:gpuPool") or {}).get("zones"):
            assert region in profile.zones_by_region


def estimated_params_billion(m: ModelFacts, tied_embeddings: bool) -> float:
    attention = m.hidden_size * m.head_dim * (2 * m.attention_heads + 2 * m.kv_heads)  # q, o, k, v
    mlp = 3 * m.hidden_size * m.intermediate_size  # gate, up, down
    embeddings = m.vocab_size * m.hidden_size * (1 if tied_embeddings else 2)
    return (m.layers * (attention + mlp) + embeddings) / 1e9


MODELS = list(KNOWN_MODELS.values())


class TestModels:
    @pytest.mark.parametrize("model", MODELS, ids=[m.hf_id for m in MODELS])
    def test_attention_shape_adds_up(self, model):
        assert KNOWN_MODELS[model.hf_id] is model
        assert model.kv_heads > 0 and model.attention_heads % model.kv_heads == 0
        assert model.head_dim in (64, 80, 96, 128, 256)
        if not model.hf_id.startswith(EXPLICIT_HEAD_DIM):
            assert model.head_dim * model.attention_heads == model.hidden_size

    @pytest.mark.parametrize("model", MODELS, ids=[m.hf_id for m in MODELS])
    def test_parameter_count_matches_the_architecture(self, model):
        """Within 10 % of the count the layer sizes give (with tied or separate input and output embeddings)."""
        estimates = [estimated_params_billion(model, tied) for tied in (True, False)]
        assert any(abs(model.params_billion - e) <= 0.10 * e for e in estimates), (model.params_billion, estimates)

    @pytest.mark.parametrize("model", MODELS, ids=[m.hf_id for m in MODELS])
    def test_sizes_are_sane(self, model):
        assert model.layers > 0 and model.vocab_size > 0 and model.max_context >= 2048
        assert model.intermediate_size > model.hidden_size
        assert model.bytes_per_param in (1, 2, 4) and model.kv_bytes in (1, 2, 4)
        assert model.gated == model.hf_id.startswith(tuple(f"{org}/" for org in GATED_ORGS))


def test_machine_shape_defaults_are_cpu_shapes():
    """A shape built without GPU counts is a CPU shape (the catalog relies on it for the CPU profile)."""
    shape = MachineShape("n2-standard-8", 8, 32)
    assert shape.gpu_counts == () and not shape.spot_or_flex_only


def test_the_catalog_does_not_depend_on_the_config_model():
    import ast
    from pathlib import Path

    for path in (Path(__file__).resolve().parent.parent / "stacks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("config", "components")), f"{path.name} imports {node.module}"
