"""What every layer's rules look at (`Context`), and how a rule runs: it yields every problem it finds and stops
at a value that was itself invalid."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from config.errors import Problem
from config.section import NS, UnknownValue
from stacks.accelerators import AcceleratorProfile

if TYPE_CHECKING:  # the layer packages import this module: only the types, no import cycle
    from config.platform.schema import ClusterSection, GpuPoolSection, ModelSection, NetworkSection

REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]{1,2}$")
PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
HF_PART = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$")
S = TypeVar("S", bound=BaseModel)
PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


@dataclass
class Context:
    """What the rules look at: parsed sections (None where a section itself was invalid)."""

    stack: str
    raw: Mapping[str, Any]
    sections: dict[str, BaseModel | None]
    project: str | None
    region: str | None
    accelerator_name: str | None
    accelerator: AcceleratorProfile | None
    model: ModelSection | None
    network: NetworkSection | None
    gpu_pool: GpuPoolSection | None
    cluster: ClusterSection | None
    # What a layer parsed once and several rules read (extraModels).
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def existing_cluster(self) -> bool:
        """`existingCluster` is set: only the serving layer is deployed, onto a cluster we do not create."""
        return f"{NS}:existingCluster" in self.raw

    def section(self, key: str, cls: type[S]) -> S | None:
        """A layer's parsed section, or None when it was itself invalid."""
        value = self.sections.get(key)
        return value if isinstance(value, cls) else None

    @property
    def machine_type(self) -> str | None:
        if self.accelerator is None:
            return None
        chosen = self.gpu_pool.machine_type if self.gpu_pool else None
        return chosen or self.accelerator.default_machine_type

    @property
    def gpus_per_node(self) -> int | None:
        if self.accelerator is None or not self.accelerator.is_gpu:
            return None
        shape = self.accelerator.machine(self.machine_type or "")
        if shape is None:
            return None
        chosen = self.gpu_pool.gpus_per_node if self.gpu_pool else None
        if chosen is None:
            return shape.gpu_counts[0]
        return chosen if chosen in shape.gpu_counts else None

    @property
    def gpu_zones(self) -> tuple[str, ...]:
        """The GPU pool's zones: as given, or the catalog's zones of the region that offer the accelerator."""
        chosen = tuple(self.gpu_pool.zones) if self.gpu_pool else ()
        catalog = self.accelerator.zones_by_region.get(self.region or "", ()) if self.accelerator else ()
        return chosen or tuple(catalog)

    def max_model_len(self) -> int | None:
        return None if self.accelerator is None else max_model_len(self.model, self.accelerator)

    def gpu_memory_utilization(self) -> float | None:
        return None if self.accelerator is None else gpu_memory_utilization(self.model, self.accelerator)


# The model settings whose unset value comes from the accelerator profile: resolved here only, for the primary
# model and every extra one (rules and resolved settings alike).
def max_model_len(model: ModelSection | None, acc: AcceleratorProfile) -> int:
    return (model.max_model_len if model else None) or acc.default_max_model_len


def gpu_memory_utilization(model: ModelSection | None, acc: AcceleratorProfile) -> float:
    return (model.gpu_memory_utilization if model else None) or acc.default_gpu_memory_utilization


Rule = Callable[[Context], Iterator[Problem]]


def run_rule(rule: Rule, ctx: Context) -> list[Problem]:
    """Every problem `rule` finds; it stops at the first value it reads that was itself invalid (already reported),
    so no problem is judged on a default the user did not choose."""
    found: list[Problem] = []
    try:
        for problem in rule(ctx):
            found.append(problem)
    except UnknownValue:
        pass  # noqa: SIM105 - keep what the rule found before it stopped
    return found


def known(section: Any, name: str) -> Any:
    """`section.name`, or None when the section is missing or that value was invalid."""
    if section is None:
        return None
    try:
        return getattr(section, name)
    except UnknownValue:
        return None
