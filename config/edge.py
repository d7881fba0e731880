"""The public edge layer's config: sections, rules and resolved settings."""

from __future__ import annotations

from dataclasses import dataclass

from config.layers import Layer
from config.rules import Context


@dataclass(frozen=True)
class EdgeSettings:
    pass


EDGE = Layer(name="edge", sections={}, scalars=(), rules=())


def resolve(ctx: Context) -> EdgeSettings:
    return EdgeSettings()
