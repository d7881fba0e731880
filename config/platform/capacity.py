"""The GPU pool's capacity priority list, read once for the rules and the resolved settings."""

from __future__ import annotations

from config.context import Context
from stacks.accelerators import AcceleratorProfile
from stacks.capacity import AUTO_CREATION_WITHOUT_NAP, HYPERDISK_BOOT_MIN_VERSION
from stacks.versions import GKE_FLOOR, gke_version_key


def capacities(ctx: Context) -> tuple[str, ...] | None:
    """`gpuPool.capacity` as given (a list, in priority order), or the profile's default as a one-element list.

    Reads the field itself, so a rule stops (UnknownValue) when the value was invalid and already reported."""
    if ctx.accelerator is None:
        return None
    chosen = ctx.gpu_pool.capacity if ctx.gpu_pool is not None else None
    return tuple(chosen) if chosen is not None else (ctx.accelerator.default_capacity,)


def _at_least(version: str, floor: str) -> bool:
    key, floor_key = gke_version_key(version), gke_version_key(floor)
    assert key is not None and floor_key is not None
    return key >= floor_key


def compute_class_available(acc: AcceleratorProfile) -> bool:
    """Whether a capacity list can be realised by a ComputeClass for `acc` on the program's own cluster: the catalog
    says so, and every control plane the program creates (at least the GKE floor) auto-creates node pools for a
    class without cluster-level node auto-provisioning."""
    return acc.compute_class and acc.is_gpu and _at_least(GKE_FLOOR.exact, AUTO_CREATION_WITHOUT_NAP)


def uses_compute_class(acc: AcceleratorProfile, listed: tuple[str, ...], existing_cluster: bool) -> bool:
    """A ComputeClass, not the fixed node pool, for a list of several types on the program's own cluster.

    With one type the fixed pool is kept: it is simpler (one resource the program sizes, no auto-created pools),
    already scales to zero, and plans exactly as before. An existing cluster gets neither: its nodes are not ours."""
    return len(listed) > 1 and not existing_cluster and compute_class_available(acc)


def hyperdisk_floor_needed(acc: AcceleratorProfile) -> bool:
    """A class whose rules boot from Hyperdisk needs a control plane newer than the GKE floor."""
    return acc.boot_disk_type.startswith("hyperdisk") and not _at_least(GKE_FLOOR.exact, HYPERDISK_BOOT_MIN_VERSION)
