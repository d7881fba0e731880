"""The validated, resolved settings the components receive (plain typed values)."""

from __future__ import annotations

from dataclasses import dataclass, field

from config.edge import EdgeSettings
from config.naming import Names
from config.schema import ClusterSection, NetworkSection, SystemPoolSection
from config.serving import ServingSettings
from stacks.accelerators import AcceleratorProfile, MachineShape
from stacks.models import ModelFacts


@dataclass(frozen=True)
class ModelSettings:
    name: str
    max_model_len: int
    gpu_memory_utilization: float
    replicas: int
    tensor_parallel_size: int
    facts: ModelFacts | None


@dataclass(frozen=True)
class GpuPoolSettings:
    machine: MachineShape
    gpus_per_node: int
    min_nodes: int
    max_nodes: int
    capacity: str
    reservation: str | None
    zones: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    stack: str
    project: str
    region: str
    accelerator: AcceleratorProfile
    model: ModelSettings
    network: NetworkSection
    gpu_pool: GpuPoolSettings
    system_pool: SystemPoolSection
    cluster: ClusterSection
    names: Names
    serving: ServingSettings
    edge: EdgeSettings
    labels: dict[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
