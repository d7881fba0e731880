"""The validated, resolved settings the components receive (plain typed values).

Nothing here has a default of its own: every value is resolved from a declared key (each layer's `schema` module) in
`config.load` and the layers' `resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.edge import EdgeSettings
from config.naming import Names
from config.platform.schema import ClusterSection, NetworkSection, SystemPoolSection
from config.serving import ServedModel, ServingSettings
from stacks.accelerators import AcceleratorProfile, MachineShape

# The primary model is a model pool like every extra one (`config.serving.served_model` resolves both).
ModelSettings = ServedModel


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
    model: ServedModel
    network: NetworkSection
    gpu_pool: GpuPoolSettings
    system_pool: SystemPoolSection
    cluster: ClusterSection
    names: Names
    serving: ServingSettings
    edge: EdgeSettings
    labels: dict[str, str]
    notices: tuple[str, ...]
