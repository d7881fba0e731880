"""The llm-d serving layer's config: sections, rules and resolved settings."""

from __future__ import annotations

from dataclasses import dataclass

from config.layers import Layer
from config.rules import Context


@dataclass(frozen=True)
class ServingSettings:
    pass


SERVING = Layer(name="serving", sections={}, scalars=(), rules=())


def resolve(ctx: Context) -> ServingSettings:
    return ServingSettings()
