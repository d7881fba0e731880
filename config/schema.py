"""The shape of the stack config: every key, declared once.

Each setting is one pydantic field here or in its layer's module (`config.serving`, `config.edge`): its type,
default, bounds, description and whether it is a secret (`json_schema_extra=SECRET`). A layer's top-level keys are
the fields of its `Keys` model; a field typed as a `Section` is a section (`llmd:model`), any other is a scalar
(`llmd:accelerator`). The README's configuration table and Pulumi.yaml's config descriptions are generated from
these declarations (`make config-docs`, checked by tests/test_config_docs.py).

Structure only: types, ranges and unknown keys. Rules that relate settings to each other and to the
catalog live in `config.rules`, so every problem is reported in one pass.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

from stacks.accelerators import CATALOG
from stacks.limits import NODES_PER_POOL_ZONE
from stacks.regions import DEFAULT_REGION
from stacks.versions import GKE_FLOOR

NS = "llmd"
# Field markers (`json_schema_extra`). SECRET: set with `pulumi config set --secret`, read as a secret Output,
# never printed. PROJECT: also declared in Pulumi.yaml's project `config:` block (so it needs a default there).
SECRET: dict[str, Any] = {"secret": True}
PROJECT: dict[str, Any] = {"project": True}
# Labels the program sets itself on every resource: a user label may not replace them.
PROGRAM_LABELS = ("app", "llmd-stack", "managed-by")


def marked(info: FieldInfo, marker: str) -> bool:
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(marker))


def section_of(annotation: Any) -> type[Section] | None:
    """The `Section` class a field holds (`ModelSection`, `ExistingClusterSection | None`), or None."""
    if isinstance(annotation, type) and issubclass(annotation, Section):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        found = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, Section)]
        return found[0] if len(found) == 1 else None
    return None


class UnknownValue(Exception):  # noqa: N818 - not an error: a rule stops at a value the user got wrong
    """Raised when a rule reads a field whose given value was invalid (and is already reported)."""


class Section(BaseModel):
    """A config section. One parsed from partly invalid input lacks its invalid fields: reading one raises
    `UnknownValue`, so a rule stops there instead of judging a default the user did not choose."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name in type(self).model_fields:
                raise UnknownValue(name)
            return super().__getattr__(name)


class Keys(BaseModel):
    """A layer's top-level keys in one namespace: each field one key (its camelCase alias)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    namespace: ClassVar[str] = NS

    @classmethod
    def key(cls, name: str) -> str:
        """The key of field `name` (`hf_token` -> `hfToken`)."""
        return cls.model_fields[name].alias or name

    @classmethod
    def sections(cls) -> dict[str, type[Section]]:
        found = {cls.key(n): section_of(f.annotation) for n, f in cls.model_fields.items()}
        return {key: section for key, section in found.items() if section is not None}

    @classmethod
    def scalars(cls) -> tuple[str, ...]:
        return tuple(cls.key(n) for n, f in cls.model_fields.items() if section_of(f.annotation) is None)

    @classmethod
    def secrets(cls) -> tuple[str, ...]:
        return tuple(cls.key(n) for n, f in cls.model_fields.items() if marked(f, "secret"))

    @classmethod
    def default(cls, name: str) -> Any:
        return cls.model_fields[name].get_default(call_default_factory=True)


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
    capacity: Capacity | None = Field(
        default=None, description="How nodes are bought; unset: the accelerator profile's (usually on-demand)."
    )
    reservation: str | None = Field(
        default=None, description="The Compute Engine reservation's name (with capacity reservation)."
    )
    zones: list[str] = Field(
        default_factory=list,
        description="Zones of the pool; empty: the catalog's zones of the region that offer the accelerator.",
    )


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
