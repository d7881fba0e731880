"""The platform layer's resolved settings: the accelerator, the primary model and the GPU pool, catalog defaults
applied."""

from __future__ import annotations

from dataclasses import dataclass

from config.context import Context
from config.platform.capacity import capacities, uses_compute_class
from config.serving.resolve import ServedModel, served_model
from config.settings import GpuPoolSettings
from stacks.accelerators import AcceleratorProfile


@dataclass(frozen=True)
class InferencePoolSettings(GpuPoolSettings):
    """The GPU pool's settings with the whole capacity priority list (`capacity` is its first entry).

    A subclass only because config/settings.py is not this layer's module: GpuPoolSettings itself is the place for
    these two fields."""

    capacities: tuple[str, ...] = ()
    # The list is realised by a GKE custom ComputeClass instead of the fixed node pool.
    compute_class: bool = False


@dataclass(frozen=True)
class PlatformSettings:
    accelerator: AcceleratorProfile
    model: ServedModel
    gpu_pool: GpuPoolSettings
    notices: tuple[str, ...]


def resolve(ctx: Context) -> PlatformSettings:
    acc, model, pool = ctx.accelerator, ctx.model, ctx.gpu_pool
    assert acc and model and pool
    shape = acc.machine(ctx.machine_type or "")
    listed = capacities(ctx)
    assert shape is not None and listed
    primary = served_model(model, acc)
    notices: tuple[str, ...] = ()
    if primary.facts is None and acc.is_gpu:
        notices = (
            f"model {model.name} is not in the built-in model table: the GPU memory fit check covered only the "
            "CUDA reserve, not weights and KV cache",
        )
    return PlatformSettings(
        accelerator=acc,
        model=primary,
        gpu_pool=InferencePoolSettings(
            machine=shape,
            gpus_per_node=ctx.gpus_per_node or 0,
            min_nodes=pool.min_nodes,
            max_nodes=pool.max_nodes,
            capacity=listed[0],
            reservation=pool.reservation,
            zones=ctx.gpu_zones,
            capacities=listed,
            compute_class=uses_compute_class(acc, listed, ctx.existing_cluster),
        ),
        notices=notices,
    )
