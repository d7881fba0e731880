"""Each layer of the product (platform, serving, edge) contributes config sections, scalar keys and rules.

`config.load` parses every layer's sections and runs every layer's rules in one pass, so a stack with
problems in several layers hears about all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.rules import Rule
from config.schema import Section


@dataclass(frozen=True)
class Layer:
    name: str
    sections: dict[str, type[Section]]
    scalars: tuple[str, ...]
    rules: tuple[Rule, ...]
