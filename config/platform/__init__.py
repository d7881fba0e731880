"""The platform layer's config: schema (project, region, accelerator, network, pools, cluster), rules."""

from config.layers import Layer
from config.platform.rules import (
    RULES,
    SYSTEM_MACHINE,
    accelerator_known,
    capacity_supported,
    cluster_version,
    control_plane_access,
    gpu_zones,
    hf_id_problem,
    machine_carries_accelerator,
    model_fits,
    model_name,
    network_ranges,
    pool_size,
    project_and_region,
    system_pool,
    tensor_parallel_fits_node,
)
from config.platform.schema import (
    AuthorizedNetwork,
    Capacity,
    ClusterSection,
    GcpKeys,
    GpuPoolSection,
    ModelSection,
    NetworkSection,
    PlatformKeys,
    SystemPoolSection,
)

PLATFORM = Layer(name="platform", keys=(GcpKeys, PlatformKeys), rules=RULES)

__all__ = [
    "ModelSection",
    "NetworkSection",
    "Capacity",
    "GpuPoolSection",
    "SystemPoolSection",
    "AuthorizedNetwork",
    "ClusterSection",
    "GcpKeys",
    "PlatformKeys",
    "project_and_region",
    "accelerator_known",
    "machine_carries_accelerator",
    "capacity_supported",
    "pool_size",
    "gpu_zones",
    "SYSTEM_MACHINE",
    "system_pool",
    "tensor_parallel_fits_node",
    "hf_id_problem",
    "model_name",
    "model_fits",
    "network_ranges",
    "control_plane_access",
    "cluster_version",
    "RULES",
]
