"""How GKE buys inference nodes (capacity types), which types each machine series is sold as, and the GKE custom
ComputeClass that tries several types in a priority order.

The accelerator catalog (stacks/accelerators.py) names one `CapacityOffer` per accelerator; the config rules refuse
a type the accelerator's offer lacks, and components/platform/compute_class.py writes the ComputeClass from the
facts here. What could not be confirmed in a primary source is marked `verified=False` and listed in
stacks/evidence.py (docs/unverified.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from stacks.versions import GkeVersionFloor

# Every capacity type, in the order a priority list usually takes them: capacity already paid for first, then the
# standard price, then the discounted kinds that are harder to get or preemptible.
CAPACITY_TYPES = ("reservation", "on-demand", "flex-start", "spot")
# The order refusals suggest types in (the order the config key has always listed them).
SUGGESTED_ORDER = ("on-demand", "spot", "flex-start", "reservation")

CONSUMPTION_OPTIONS = "https://cloud.google.com/ai-hypercomputer/docs/consumption-models"
CLUSTER_DIRECTOR_OPTIONS = "https://docs.cloud.google.com/cluster-director/docs/choose-consumption-option"
FLEX_START_VMS = "https://cloud.google.com/compute/docs/instances/about-flex-start-vms"
GKE_SPOT = "https://cloud.google.com/kubernetes-engine/docs/concepts/spot-vms"
GKE_RESERVATIONS = "https://cloud.google.com/kubernetes-engine/docs/how-to/consuming-reservations"
GKE_DWS = "https://cloud.google.com/kubernetes-engine/docs/concepts/dws"
READ_ON = "2026-12-01"


@dataclass(frozen=True)
class CapacityOffer:
    """The capacity types Compute Engine sells a machine series as, where that was read, and whether every type's
    presence or absence was confirmed in a primary source."""

    types: tuple[str, ...]
    source: str
    verified: bool
    note: str = ""

    def offers(self, capacity: str) -> bool:
        return capacity in self.types


# General-purpose CPU machines: no flex-start (a GPU/TPU provisioning model).
CPU_OFFER = CapacityOffer(
    ("reservation", "on-demand", "spot"),
    f"{GKE_SPOT}; {GKE_RESERVATIONS}; {GKE_DWS} (flex-start is for GPUs and TPUs)",
    verified=True,
)
# G2 (L4), A2 (A100), A3 High (H100): every type. Flex-start and Spot: "any GPU machine except A4X".
ACCELERATOR_OPTIMIZED_OFFER = CapacityOffer(
    CAPACITY_TYPES,
    f"{CONSUMPTION_OPTIONS} (flex-start and Spot: any GPU machine except A4X); {FLEX_START_VMS} (all "
    "accelerator-optimized machine types except A4X and G4)",
    verified=True,
)
# N1 with attached T4s: not an accelerator-optimized series, so the flex-start VM page does not name it; the newer
# consumption page says "any GPU machine except A4X". Kept as offered (the program always allowed it), unverified.
N1_T4_OFFER = CapacityOffer(
    CAPACITY_TYPES,
    f"{CONSUMPTION_OPTIONS} (flex-start: any GPU machine except A4X); {FLEX_START_VMS} lists accelerator-optimized "
    "series only, so flex-start for N1 + T4 is not confirmed",
    verified=False,
    note="flex-start for N1 + T4",
)
# G4 (RTX PRO 6000): the Compute Engine flex-start page excludes G4; the newer consumption page ("any GPU machine
# except A4X") and accelerated-platforms' G4 classes (commit 20a6d580, 2026-06) say it is offered now. The sources
# conflict: the catalog keeps flex-start off until a live run shows it.
G4_OFFER = CapacityOffer(
    ("reservation", "on-demand", "spot"),
    f"{FLEX_START_VMS} (all accelerator-optimized machine types except A4X and G4); conflicting: "
    f"{CONSUMPTION_OPTIONS} (any GPU machine except A4X)",
    verified=False,
    note="G4 without flex-start",
)
# A3 Ultra (H200) and A4 (B200): reservations (future reservations, calendar mode), flex-start and Spot. Plain
# on-demand is not in the consumption table, and Cluster Director lists on-demand for N2 only: treated as not sold.
RESERVATION_FLEX_SPOT_OFFER = CapacityOffer(
    ("reservation", "flex-start", "spot"),
    f"{CONSUMPTION_OPTIONS} (future reservations: A4X, A4, A3 Ultra; flex-start and Spot: any GPU machine except "
    f"A4X); {CLUSTER_DIRECTOR_OPTIONS} (on-demand: N2 only)",
    verified=False,
    note="no plain on-demand for A3 Ultra and A4",
)


def phrase(types: tuple[str, ...]) -> str:
    """`on-demand, spot or reservation`, in the suggested order."""
    ordered = [t for t in SUGGESTED_ORDER if t in types]
    return ordered[0] if len(ordered) == 1 else f"{', '.join(ordered[:-1])} or {ordered[-1]}"


# ---- the GKE custom ComputeClass ------------------------------------------------------------------------------
# https://docs.cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass (CRD reference) and
# https://docs.cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes (2026-04-13).
COMPUTE_CLASS_API_VERSION = "cloud.google.com/v1"
COMPUTE_CLASS_KIND = "ComputeClass"
COMPUTE_CLASS_SOURCE = (
    "https://docs.cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass; "
    "https://docs.cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes"
)
# A Pod selects a class with this node label; GKE rejects a Pod that also selects the labels a class decides
# (gke-spot, gke-accelerator, machine-family, reservation-*), so the model pods select the class alone.
COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class"
# Class names may not start with these.
RESERVED_CLASS_PREFIXES = ("gke", "autopilot")
# From this control plane version nodePoolAutoCreation needs no cluster-level node auto-provisioning.
AUTO_CREATION_WITHOUT_NAP = "1.33.3-gke.1136000"
# The default from 1.33 (ScaleUpAnyway before); the docs advise setting it explicitly. With DoNotScaleUp, pods wait
# rather than land on a node outside the listed priorities.
WHEN_UNSATISFIABLE = "DoNotScaleUp"
# `gpu.driverVersion` takes default or latest (1.31.1-gke.1858000 on); latest matches the fixed pools' LATEST.
GPU_DRIVER_VERSION = "latest"
# `storage.bootDiskType: hyperdisk-balanced` in a priority rule needs this control plane version or later.
# Read only in research notes next to accelerated-platforms' NAP defaults, not in the CRD reference: unverified.
HYPERDISK_BOOT_MIN_VERSION = "1.34.1-gke.1431000"
# The cluster's own floor when its ComputeClass boots from Hyperdisk (above stacks/versions.GKE_FLOOR): a new
# cluster asks for the 1.34 minor's newest patch, or its channel's default if newer.
HYPERDISK_CLASS_FLOOR = GkeVersionFloor(
    exact=HYPERDISK_BOOT_MIN_VERSION,
    minor="1.34",
    reason="a ComputeClass rule takes storage.bootDiskType hyperdisk-balanced only from this version",
    source="research notes on the ComputeClass CRD (storage.bootDiskType); not read in the CRD reference itself",
    read_on=READ_ON,
)
