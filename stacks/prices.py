"""Approximate on-demand list prices (USD per hour) in us-central1, for the plan's cost estimate.

Dated data, not a quote: check the Google Cloud pricing calculator before budgeting. GPU machine prices
include their GPUs (N1 + T4 lists the GPU separately). Spot prices vary daily; SPOT_FACTOR is the typical
share of the on-demand price.
"""

PRICES_AS_OF = "2026-11-01"
PRICES_REGION = "us-central1"

MACHINE_HOURLY_USD: dict[str, float] = {
    "e2-standard-4": 0.134,
    "n2-standard-16": 0.777,
    "n2-standard-32": 1.554,
    "c3-standard-22": 1.062,
    "c3-standard-44": 2.124,
    "g2-standard-4": 0.707,
    "g2-standard-8": 0.854,
    "g2-standard-12": 1.000,
    "g2-standard-16": 1.147,
    "g2-standard-24": 2.001,
    "g2-standard-32": 1.734,
    "g2-standard-48": 4.002,
    "g2-standard-96": 8.003,
    "n1-standard-4": 0.190,
    "n1-standard-8": 0.380,
    "n1-standard-16": 0.760,
    "n1-standard-32": 1.520,
    "n1-standard-64": 3.040,
    "n1-standard-96": 4.560,
    "a2-highgpu-1g": 3.673,
    "a2-highgpu-2g": 7.347,
    "a2-highgpu-4g": 14.694,
    "a2-highgpu-8g": 29.387,
    "a2-megagpu-16g": 55.740,
    "a2-ultragpu-1g": 5.069,
    "a2-ultragpu-2g": 10.138,
    "a2-ultragpu-4g": 20.275,
    "a2-ultragpu-8g": 40.550,
    "a3-highgpu-1g": 11.061,
    "a3-highgpu-2g": 22.123,
    "a3-highgpu-4g": 44.246,
    "a3-highgpu-8g": 88.491,
    "g4-standard-48": 4.500,
    "g4-standard-96": 9.000,
    "g4-standard-192": 18.000,
    "g4-standard-384": 36.000,
    # Not read on Google's price list: A3 Ultra and A4 are sold as reservations, flex-start and Spot, not plain
    # on-demand (stacks/capacity.py). Rough list-price equivalents from third-party price trackers, to size the
    # bill; unverified (stacks/evidence.py: a3-ultra-a4-prices).
    "a3-ultragpu-8g": 84.806,
    "a4-highgpu-8g": 95.000,
}
# Machine types whose price above is not from Google's price list.
UNVERIFIED_MACHINE_PRICES = ("a3-ultragpu-8g", "a4-highgpu-8g")

# GPUs priced apart from their machine (attached to N1).
ATTACHED_GPU_HOURLY_USD: dict[str, float] = {"nvidia-tesla-t4": 0.35}

SPOT_FACTOR = 0.35
# The estimate prices flex-start and reservation capacity at the on-demand list price: flex-start's discount varies
# and a reservation is billed whether or not its nodes run.
GKE_CLUSTER_FEE = 0.10  # Standard cluster management fee
FORWARDING_RULE = 0.025  # each load balancer forwarding rule
NAT_PER_VM = 0.0014  # Cloud NAT gateway, per VM using it
IN_USE_EXTERNAL_IP = 0.005
DISK_GB_MONTH: dict[str, float] = {"pd-balanced": 0.10, "hyperdisk-balanced": 0.08}
HOURS_PER_MONTH = 730
