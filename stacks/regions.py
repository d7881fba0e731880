"""Compute Engine regions and their zones.

Source: the "Available regions and zones" table of https://cloud.google.com/compute/docs/regions-zones (the same
list `gcloud compute regions list` and `gcloud compute zones list` print), transcribed 2025-06; the Stockholm region
(europe-north2) is named on https://cloud.google.com/docs/geography-and-regions. Regions Google adds later are
refused until they are added here: `gcloud compute zones list --filter="region:<name>"` gives the zones to add.
Which accelerators each zone offers is in stacks/accelerators.py (zones_by_region).
"""

from __future__ import annotations

CHECKED = "2025-06"
SOURCE = "https://cloud.google.com/compute/docs/regions-zones"
# The region the program uses when gcp:region is not set (Pulumi.yaml's template declares the same default).
DEFAULT_REGION = "us-central1"

_ABC = ("a", "b", "c")
_ZONE_LETTERS: dict[str, tuple[str, ...]] = {
    "africa-south1": _ABC,
    "asia-east1": _ABC,
    "asia-east2": _ABC,
    "asia-northeast1": _ABC,
    "asia-northeast2": _ABC,
    "asia-northeast3": _ABC,
    "asia-south1": _ABC,
    "asia-south2": _ABC,
    "asia-southeast1": _ABC,
    "asia-southeast2": _ABC,
    "australia-southeast1": _ABC,
    "australia-southeast2": _ABC,
    "europe-central2": _ABC,
    "europe-north1": _ABC,
    "europe-north2": _ABC,
    "europe-southwest1": _ABC,
    "europe-west1": ("b", "c", "d"),
    "europe-west10": _ABC,
    "europe-west12": _ABC,
    "europe-west2": _ABC,
    "europe-west3": _ABC,
    "europe-west4": _ABC,
    "europe-west6": _ABC,
    "europe-west8": _ABC,
    "europe-west9": _ABC,
    "me-central1": _ABC,
    "me-central2": _ABC,
    "me-west1": _ABC,
    "northamerica-northeast1": _ABC,
    "northamerica-northeast2": _ABC,
    "northamerica-south1": _ABC,
    "southamerica-east1": _ABC,
    "southamerica-west1": _ABC,
    "us-central1": ("a", "b", "c", "f"),
    "us-east1": ("b", "c", "d"),
    "us-east4": _ABC,
    "us-east5": _ABC,
    "us-south1": _ABC,
    "us-west1": _ABC,
    "us-west2": _ABC,
    "us-west3": _ABC,
    "us-west4": _ABC,
}

ZONES: dict[str, tuple[str, ...]] = {
    region: tuple(f"{region}-{letter}" for letter in letters) for region, letters in _ZONE_LETTERS.items()
}
REGIONS: tuple[str, ...] = tuple(sorted(ZONES))


def region_of_zone(zone: str) -> str | None:
    """The region a zone belongs to, or None when it is not a known zone."""
    return next((region for region, zones in ZONES.items() if zone in zones), None)
