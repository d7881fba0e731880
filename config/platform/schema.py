"""The platform layer's keys: project, region, accelerator, model, network, node pools, cluster, labels."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from config.section import PROGRAM_LABELS, PROJECT, Keys, Section
from stacks.accelerators import CATALOG
from stacks.limits import NODES_PER_POOL_ZONE
from stacks.regions import DEFAULT_REGION
from stacks.versions import GKE_FLOOR


class ModelSection(Section):
    name: str = Field(
        default="Qwen/Qwen3-0.6B", description="Hugging Face model id (<organisation>/<model>) of the primary pool."
    )
    max_model_len: int | None = Field(
        default=None,
        gt=0,
        description="Longest sequence (prompt and output tokens) vLLM serves; unset: the accelerator profile's. "
        "Weights and one such sequence of KV cache must fit in gpuMemoryUtilization x GPU memory.",
    )
    gpu_memory_utilization: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Share of each GPU's memory vLLM may use; unset: the accelerator profile's. The rest must hold "
        "the CUDA context and graphs.",
    )
    replicas: int = Field(default=2, ge=0, description="Model server replicas (pods) of the pool.")
    tensor_parallel_size: int = Field(
        default=1,
        ge=1,
        description="GPUs per replica (vLLM tensor parallelism): at most the GPUs per node, and a divisor of the "
        "model's attention heads.",
    )


class NetworkSection(Section):
    node_cidr: str = Field(default="10.0.0.0/20", description="The subnet's primary range, for nodes.")
    pod_cidr: str = Field(
        default="10.16.0.0/14",
        description="Secondary range for Pods: each node takes a /24, for every node both pools can grow to.",
    )
    service_cidr: str = Field(default="10.20.0.0/20", description="Secondary range for Services.")
    proxy_only_cidr: str = Field(
        default="10.21.0.0/23",
        description="Proxy-only subnet of the internal gateway's regional Envoy proxies (a /26 or larger).",
    )
    master_cidr: str = Field(default="172.16.0.0/28", description="The control plane's private range (a /28).")


Capacity = Literal["on-demand", "spot", "flex-start", "reservation"]


class GpuPoolSection(Section):
    machine_type: str | None = Field(
        default=None,
        description="Machine type of the inference pool; unset: the accelerator profile's. It must carry the "
        "accelerator.",
    )
    gpus_per_node: int | None = Field(
        default=None, ge=1, description="GPUs per node; unset: the machine type's smallest count."
    )
    min_nodes: int = Field(default=0, ge=0, description="Nodes the autoscaler keeps, over all the pool's zones.")
    max_nodes: int = Field(
        default=2,
        ge=0,
        description=f"Autoscaler maximum over all the pool's zones (GKE: at most {NODES_PER_POOL_ZONE} per zone); "
        "it must hold every replica's GPUs.",
    )
    capacity: list[str] | None = Field(
        default=None,
        description="How nodes are bought, as a priority list of reservation, on-demand, flex-start and spot (one "
        "value is a one-element list); unset: the accelerator profile's (usually on-demand). One type: a node pool "
        "of that type. Several (GPU stacks on the program's cluster): a GKE custom ComputeClass tries them in this "
        "order and creates the node pools itself.",
    )
    reservation: str | None = Field(
        default=None, description="The Compute Engine reservation's name (with capacity reservation)."
    )
    zones: list[str] = Field(
        default_factory=list,
        description="Zones of the pool; empty: the catalog's zones of the region that offer the accelerator.",
    )

    @field_validator("capacity", mode="before")
    @classmethod
    def _one_type_is_a_list(cls, value: Any) -> Any:
        """`capacity: spot` (every stack file written before the list) reads as `[spot]`."""
        return [value] if isinstance(value, str) else value


class SystemPoolSection(Section):
    machine_type: str = Field(
        default="e2-standard-4",
        description="General-purpose machine type that boots from pd-balanced (e2, n1, n2, n2d, c2, c2d, c3, c3d, "
        "t2d).",
    )
    min_nodes: int = Field(default=1, ge=0, description="Nodes the autoscaler keeps, over all the pool's zones.")
    max_nodes: int = Field(default=3, ge=1, description="Autoscaler maximum, over all the pool's zones.")


class AuthorizedNetwork(Section):
    cidr: str = Field(description="An IPv4 range allowed to reach the control plane's IP endpoint.")
    name: str = Field(default="authorized", description="The range's display name.")


class ClusterSection(Section):
    deletion_protection: bool = Field(default=False, description="Refuse to delete the cluster (Pulumi and GKE).")
    release_channel: Literal["RAPID", "REGULAR", "STABLE"] = Field(
        default="REGULAR", description="GKE release channel."
    )
    min_master_version: str | None = Field(
        default=None,
        description=f"The control plane's minimum version: a minor such as {GKE_FLOOR.minor} or an exact GKE "
        f"version, at least {GKE_FLOOR.exact}; unset: the channel's default version.",
    )
    api_endpoint: Literal["dns", "ip"] = Field(
        default="dns",
        description="How kubectl and Pulumi reach the control plane: dns, its DNS endpoint (IAM-authorised, no IP "
        "allow-list); ip, its IP endpoint, limited to masterAuthorizedNetworks.",
    )
    master_authorized_networks: list[AuthorizedNetwork] = Field(
        default_factory=list,
        description="Ranges allowed to the IP endpoint (with apiEndpoint ip); never much of the internet.",
    )


class GcpKeys(Keys):
    """The Google provider's keys the program reads (namespace `gcp`)."""

    namespace: ClassVar[str] = "gcp"

    project: str | None = Field(
        default=None,
        description="The GCP project id to deploy into (6-30 lowercase letters, digits and hyphens). Not read "
        "with existingCluster.",
    )
    region: str = Field(
        default=DEFAULT_REGION,
        description="The GCP region (a Compute Engine region, such as the default). Not read with existingCluster.",
    )


class PlatformKeys(Keys):
    """The platform layer's keys: GKE, network and node pools."""

    accelerator: str = Field(
        default="",
        description=f"Accelerator profile from stacks/accelerators.py ({', '.join(CATALOG)}). Empty means the "
        "stack's name.",
        json_schema_extra=PROJECT,
    )
    model: ModelSection = Field(
        default_factory=ModelSection,
        description="The primary model pool. Unset fields come from the accelerator profile.",
    )
    network: NetworkSection = Field(
        default_factory=NetworkSection,
        description="The VPC's ranges: private (RFC 1918) and non-overlapping.",
    )
    gpu_pool: GpuPoolSection = Field(
        default_factory=GpuPoolSection,
        description="The inference node pool (GPU nodes; CPU nodes for the cpu profile).",
    )
    system_pool: SystemPoolSection = Field(
        default_factory=SystemPoolSection,
        description="The CPU system pool: endpoint pickers, the frontend and system pods.",
    )
    cluster: ClusterSection = Field(default_factory=ClusterSection, description="The GKE cluster.")
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Extra labels for every GCP resource that takes labels (lowercase; not "
        f"{', '.join(PROGRAM_LABELS)}, which the program sets).",
    )
