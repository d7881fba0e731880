"""The shape of the stack config (Pulumi.<stack>.yaml, namespace `llmd`).

Structure only: types, ranges and unknown keys. Rules that relate settings to each other and to the
catalog live in `config.rules`, so every problem is reported in one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


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


class ModelSection(Section):
    name: str = "Qwen/Qwen3-0.6B"
    max_model_len: int | None = Field(default=None, gt=0)
    gpu_memory_utilization: float | None = Field(default=None, gt=0, le=1)
    replicas: int = Field(default=2, ge=0)
    tensor_parallel_size: int = Field(default=1, ge=1)


class NetworkSection(Section):
    node_cidr: str = "10.0.0.0/20"
    pod_cidr: str = "10.16.0.0/14"
    service_cidr: str = "10.20.0.0/20"
    proxy_only_cidr: str = "10.21.0.0/23"
    master_cidr: str = "172.16.0.0/28"


Capacity = Literal["on-demand", "spot", "flex-start", "reservation"]


class GpuPoolSection(Section):
    machine_type: str | None = None
    gpus_per_node: int | None = Field(default=None, ge=1)
    min_nodes: int = Field(default=0, ge=0)
    max_nodes: int = Field(default=2, ge=0)  # in total over the pool's zones; at most NODES_PER_POOL_ZONE per zone
    capacity: Capacity | None = None  # None: the accelerator profile's default
    reservation: str | None = None
    zones: list[str] = Field(default_factory=list)


class SystemPoolSection(Section):
    machine_type: str = "e2-standard-4"
    min_nodes: int = Field(default=1, ge=0)
    max_nodes: int = Field(default=3, ge=1)


class AuthorizedNetwork(Section):
    cidr: str
    name: str = "authorized"


class ClusterSection(Section):
    deletion_protection: bool = False
    release_channel: Literal["RAPID", "REGULAR", "STABLE"] = "REGULAR"
    # The control plane's minimum version (a minor such as "1.35" or an exact GKE version); at least the
    # floor in stacks/versions.py, which is also the default.
    min_master_version: str | None = None
    # "dns": kubectl and Pulumi reach the control plane through its DNS endpoint (IAM-authorised, no IP
    # allow-list needed); "ip": through the IP endpoint, limited to masterAuthorizedNetworks.
    api_endpoint: Literal["dns", "ip"] = "dns"
    master_authorized_networks: list[AuthorizedNetwork] = Field(default_factory=list)


SECTIONS: dict[str, type[Section]] = {
    "model": ModelSection,
    "network": NetworkSection,
    "gpuPool": GpuPoolSection,
    "systemPool": SystemPoolSection,
    "cluster": ClusterSection,
}
SCALARS = ("accelerator", "labels")
