"""The accelerator catalog: one entry per accelerator stack.

Adding a GPU is one `AcceleratorProfile` entry in `CATALOG`; the config model, the node
pools, the fit check and the plan all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stacks.capacity import (
    ACCELERATOR_OPTIMIZED_OFFER,
    CPU_OFFER,
    G4_OFFER,
    N1_T4_OFFER,
    RESERVATION_FLEX_SPOT_OFFER,
    CapacityOffer,
)


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
    # The capacity types Compute Engine sells these machines as (stacks/capacity.py, with sources).
    capacity: CapacityOffer
    # Whether a gpuPool.capacity list of several types is realised by a GKE custom ComputeClass with node pool
    # auto-creation (components/platform/compute_class.py); without it the pool takes one capacity type.
    compute_class: bool
    # Where the ComputeClass facts for this accelerator were read (a class of this shape in the wild, or none).
    compute_class_source: str = ""
    boot_disk_type: str = "pd-balanced"
    boot_disk_gib: int = 200
    # The capacity when gpuPool.capacity is unset (a one-element list).
    default_capacity: str = "on-demand"
    # Zones per region that offer this accelerator. A regional GPU pool must list only such zones, or GKE refuses
    # the whole pool. Other regions need gpuPool.zones in the stack config.
    zones_by_region: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_gpu(self) -> bool:
        return self.gke_accelerator is not None

    @property
    def flex_start_supported(self) -> bool:
        """False for a GPU whose machines flex-start leaves out (README's "no flex-start"). The cpu profile's
        offer has no flex-start either, but it is refused by the rule for every CPU stack (flex-start is for GPU
        machines), not as a limit of one accelerator."""
        return not self.is_gpu or self.capacity.offers("flex-start")

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
# accelerated-platforms (GoogleCloudPlatform) ships ComputeClasses of these shapes, with gpu {type, count,
# driverVersion: latest} and machineType per rule: platforms/gke/base/core/custom_compute_class/templates/manifests/
# gpu/<gpu>/custom-compute-gpu-*.yaml (commit 9320f3b and later). It has none for T4 (N1) or B200 (A4).
_AP_CLASSES = "accelerated-platforms platforms/gke/base/core/custom_compute_class/templates/manifests/gpu/"

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
            capacity=CPU_OFFER,
            # The cpu stack keeps its one node pool: CPU nodes need no capacity fallback.
            compute_class=False,
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
            capacity=ACCELERATOR_OPTIMIZED_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}l4-24gb",
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
            capacity=N1_T4_OFFER,
            # No ComputeClass found for N1 + attached T4s: the pool takes one capacity type.
            compute_class=False,
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
            capacity=ACCELERATOR_OPTIMIZED_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}a100-40gb",
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
            capacity=ACCELERATOR_OPTIMIZED_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}a100-80gb",
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
            capacity=ACCELERATOR_OPTIMIZED_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}h100-80gb",
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
            capacity=G4_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}rtx-pro-6000-96gb",
            # G4 machines boot only from Hyperdisk; flex-start is left out (G4_OFFER: the sources conflict).
            boot_disk_type="hyperdisk-balanced",
            zones_by_region={"us-central1": ("us-central1-b",)},
        ),
        AcceleratorProfile(
            name="nvidia-h200-141gb",
            gke_accelerator="nvidia-h200-141gb",
            # 141 GB per GPU (the accelerator's name; secondary catalogs agree) is 131.3 GiB; what CUDA reports is
            # a little less, as for the H100 (80 GB, 79.6 GiB usable): 131.0 GiB, unverified on a live node.
            gpu_memory_gib=131.0,
            # A3 Ultra: a3-ultragpu-8g only, 8 x H200 (Compute Engine GPU machine types: "A3 Ultra: NVIDIA H200 SXM
            # GPUs"); 224 vCPUs and 2,952 GB from secondary catalogs (unverified).
            machines=(_fixed("a3-ultragpu-8g", 224, 2952, 8),),
            default_machine_type="a3-ultragpu-8g",
            default_max_model_len=32768,
            default_gpu_memory_utilization=0.9,
            capacity=RESERVATION_FLEX_SPOT_OFFER,
            compute_class=True,
            compute_class_source=f"{_AP_CLASSES}h200-141gb (gpu-h200-141gb-x8-ultra)",
            # Flex-start by default: no plain on-demand for A3 Ultra, a reservation needs a name, and flex-start
            # nodes (up to 7 days) are not preempted the way Spot nodes are.
            default_capacity="flex-start",
            # Hyperdisk: the Vertex AI DiskSpec's default for A3U machines is hyperdisk-balanced (unverified that
            # it is the only choice). 500 GiB holds a 70B-class model's weights next to the images.
            boot_disk_type="hyperdisk-balanced",
            boot_disk_gib=500,
            # A third-party gcloud listing (date unknown) names us-central1-b: unverified.
            zones_by_region={"us-central1": ("us-central1-b",)},
        ),
        AcceleratorProfile(
            name="nvidia-b200",
            gke_accelerator="nvidia-b200",
            # 180 GB per GPU (secondary catalogs) is 167.6 GiB; 167.0 GiB usable, unverified on a live node.
            gpu_memory_gib=167.0,
            # A4: a4-highgpu-8g, 8 x B200 (Compute Engine GPU machine types: "A4: NVIDIA B200 Blackwell GPUs
            # (nvidia-b200)"); 224 vCPUs and 3,968 GB from two secondary catalogs (unverified).
            machines=(_fixed("a4-highgpu-8g", 224, 3968, 8),),
            default_machine_type="a4-highgpu-8g",
            default_max_model_len=32768,
            default_gpu_memory_utilization=0.9,
            capacity=RESERVATION_FLEX_SPOT_OFFER,
            # GKE's ComputeClass takes any GPU type and machine type; no published class of this shape was found.
            compute_class=True,
            default_capacity="flex-start",
            boot_disk_type="hyperdisk-balanced",
            boot_disk_gib=500,
            # Not confirmed: a third-party benchmark config runs a4-highgpu-8g in us-central1-a. Check with
            # gcloud compute accelerator-types list --filter="name=nvidia-b200".
            zones_by_region={"us-central1": ("us-central1-a",)},
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
