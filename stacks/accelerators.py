"""The accelerator catalog: one entry per accelerator stack.

Adding a GPU (say H200) is one `AcceleratorProfile` entry in `CATALOG`; the config model, the node
pools, the fit check and the plan all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MachineShape:
    """A Compute Engine machine type and the GPU counts it can carry."""

    machine_type: str
    vcpus: int
    memory_gib: float
    gpu_counts: tuple[int, ...] = ()
    # Per Google's docs some shapes are sold only as Spot or flex-start capacity.
    spot_or_flex_only: bool = False


@dataclass(frozen=True)
class AcceleratorProfile:
    name: str
    gke_accelerator: str | None
    gpu_memory_gib: float
    machines: tuple[MachineShape, ...]
    default_machine_type: str
    default_max_model_len: int
    default_gpu_memory_utilization: float
    boot_disk_type: str = "pd-balanced"
    boot_disk_gib: int = 200
    flex_start_supported: bool = True
    default_capacity: str = "on-demand"
    # Zones per region that offer this accelerator. A regional GPU pool must list only such zones, or GKE refuses
    # the whole pool. Other regions need gpuPool.zones in the stack config.
    zones_by_region: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_gpu(self) -> bool:
        return self.gke_accelerator is not None

    def machine(self, machine_type: str) -> MachineShape | None:
        return next((m for m in self.machines if m.machine_type == machine_type), None)

    @property
    def machine_types(self) -> list[str]:
        return [m.machine_type for m in self.machines]


def _fixed(
    machine_type: str, vcpus: int, memory_gib: float, gpus: int, *, spot_or_flex_only: bool = False
) -> MachineShape:
    return MachineShape(machine_type, vcpus, memory_gib, (gpus,), spot_or_flex_only)


_N1_T4_COUNTS = (1, 2, 4)

CATALOG: dict[str, AcceleratorProfile] = {
    p.name: p
    for p in (
        AcceleratorProfile(
            name="cpu",
            gke_accelerator=None,
            gpu_memory_gib=0.0,
            machines=(
                MachineShape("n2-standard-16", 16, 64),
                MachineShape("n2-standard-32", 32, 128),
                MachineShape("c3-standard-22", 22, 88),
                MachineShape("c3-standard-44", 44, 176),
            ),
            default_machine_type="n2-standard-16",
            default_max_model_len=4096,
            default_gpu_memory_utilization=0.9,
            boot_disk_gib=100,
        ),
        AcceleratorProfile(
            name="nvidia-l4",
            gke_accelerator="nvidia-l4",
            gpu_memory_gib=22.0,
            machines=(
                _fixed("g2-standard-4", 4, 16, 1),
                _fixed("g2-standard-8", 8, 32, 1),
                _fixed("g2-standard-12", 12, 48, 1),
                _fixed("g2-standard-16", 16, 64, 1),
                _fixed("g2-standard-24", 24, 96, 2),
                _fixed("g2-standard-32", 32, 128, 1),
                _fixed("g2-standard-48", 48, 192, 4),
                _fixed("g2-standard-96", 96, 384, 8),
            ),
            default_machine_type="g2-standard-32",
            default_max_model_len=8192,
            default_gpu_memory_utilization=0.9,
            zones_by_region={"us-central1": ("us-central1-a", "us-central1-b", "us-central1-c")},
        ),
        AcceleratorProfile(
            name="nvidia-tesla-t4",
            gke_accelerator="nvidia-tesla-t4",
            gpu_memory_gib=14.6,
            machines=(
                MachineShape("n1-standard-4", 4, 15, _N1_T4_COUNTS),
                MachineShape("n1-standard-8", 8, 30, _N1_T4_COUNTS),
                MachineShape("n1-standard-16", 16, 60, _N1_T4_COUNTS),
                MachineShape("n1-standard-32", 32, 120, _N1_T4_COUNTS),
                MachineShape("n1-standard-64", 64, 240, (4,)),
                MachineShape("n1-standard-96", 96, 360, (4,)),
            ),
            default_machine_type="n1-standard-8",
            default_max_model_len=2048,
            # Seed runbook: 0.90 on a 14.6 GiB T4 crashed in CUDA graph capture, 0.85 ran.
            default_gpu_memory_utilization=0.85,
            zones_by_region={"us-central1": ("us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f")},
        ),
        AcceleratorProfile(
            name="nvidia-tesla-a100",
            gke_accelerator="nvidia-tesla-a100",
            gpu_memory_gib=39.4,
            machines=(
                _fixed("a2-highgpu-1g", 12, 85, 1),
                _fixed("a2-highgpu-2g", 24, 170, 2),
                _fixed("a2-highgpu-4g", 48, 340, 4),
                _fixed("a2-highgpu-8g", 96, 680, 8),
                _fixed("a2-megagpu-16g", 96, 1360, 16),
            ),
            default_machine_type="a2-highgpu-1g",
            default_max_model_len=16384,
            default_gpu_memory_utilization=0.9,
            zones_by_region={"us-central1": ("us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f")},
        ),
        AcceleratorProfile(
            name="nvidia-a100-80gb",
            gke_accelerator="nvidia-a100-80gb",
            gpu_memory_gib=79.1,
            machines=(
                _fixed("a2-ultragpu-1g", 12, 170, 1),
                _fixed("a2-ultragpu-2g", 24, 340, 2),
                _fixed("a2-ultragpu-4g", 48, 680, 4),
                _fixed("a2-ultragpu-8g", 96, 1360, 8),
            ),
            default_machine_type="a2-ultragpu-1g",
            default_max_model_len=32768,
            default_gpu_memory_utilization=0.9,
            zones_by_region={"us-central1": ("us-central1-a", "us-central1-c")},
        ),
        AcceleratorProfile(
            name="nvidia-h100-80gb",
            gke_accelerator="nvidia-h100-80gb",
            gpu_memory_gib=79.6,
            machines=(
                _fixed("a3-highgpu-1g", 26, 234, 1, spot_or_flex_only=True),
                _fixed("a3-highgpu-2g", 52, 468, 2, spot_or_flex_only=True),
                _fixed("a3-highgpu-4g", 104, 936, 4, spot_or_flex_only=True),
                _fixed("a3-highgpu-8g", 208, 1872, 8),
            ),
            default_machine_type="a3-highgpu-1g",
            default_max_model_len=32768,
            default_gpu_memory_utilization=0.9,
            default_capacity="spot",
            zones_by_region={"us-central1": ("us-central1-a", "us-central1-c")},
        ),
        AcceleratorProfile(
            name="nvidia-rtx-pro",
            gke_accelerator="nvidia-rtx-pro-6000",
            gpu_memory_gib=95.6,
            machines=(
                _fixed("g4-standard-48", 48, 180, 1),
                _fixed("g4-standard-96", 96, 360, 2),
                _fixed("g4-standard-192", 192, 720, 4),
                _fixed("g4-standard-384", 384, 1440, 8),
            ),
            default_machine_type="g4-standard-48",
            default_max_model_len=32768,
            default_gpu_memory_utilization=0.9,
            # G4 machines boot only from Hyperdisk and are not offered through flex-start.
            boot_disk_type="hyperdisk-balanced",
            flex_start_supported=False,
            zones_by_region={"us-central1": ("us-central1-b",)},
        ),
    )
}

SYSTEM_POOL_MACHINE = MachineShape("e2-standard-4", 4, 16)

# GPU memory outside --gpu-memory-utilization must hold the CUDA context, CUDA graphs and
# activation peaks. 0.90 on a 14.6 GiB T4 (1.46 GiB left) crashed; 0.85 (2.19 GiB left) ran.
CUDA_RESERVE_GIB = 2.0

# vLLM's own batch limits for an OpenAI server (vllm/engine/arg_utils.py EngineArgs.get_batch_defaults): the large
# ones on GPUs with 70 GiB or more except A100s (vLLM PR #17885: large batches cut A100 throughput). The program
# passes them explicitly, so the fit check's assumptions are what runs.
LARGE_GPU_GIB = 70
BATCH_LIMITS = {"small": (2048, 256), "large": (8192, 1024)}  # (max_num_batched_tokens, max_num_seqs)


def batch_limits(profile: AcceleratorProfile) -> tuple[int, int]:
    large = profile.gpu_memory_gib >= LARGE_GPU_GIB and "a100" not in (profile.gke_accelerator or "")
    return BATCH_LIMITS["large" if large else "small"]


# When the zone lists above were last checked against `gcloud compute accelerator-types list`.
ZONES_CHECKED = "2026-11"
