"""Each layer of the product (platform, serving, edge) contributes config keys and rules.

A layer's keys are declared once, as the fields of its `Keys` models (`config.section.Keys`): its sections and
scalars, and which of them are secrets, are read from those declarations. `config.load` parses every layer's
sections and runs every layer's rules in one pass, so a stack with problems in several layers hears about all of
them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from config.section import NS, Keys, Section

if TYPE_CHECKING:  # the layer packages import this module while config.context loads
    from config.context import Rule


@dataclass(frozen=True)
class Layer:
    name: str
    keys: tuple[type[Keys], ...]
    rules: tuple[Rule, ...]

    @property
    def _own(self) -> tuple[type[Keys], ...]:
        return tuple(k for k in self.keys if k.namespace == NS)

    @property
    def sections(self) -> dict[str, type[Section]]:
        """The layer's `llmd:` sections, key -> section model, in declaration order."""
        return {key: section for keys in self._own for key, section in keys.sections().items()}

    @property
    def scalars(self) -> tuple[str, ...]:
        """The layer's `llmd:` keys that are not sections."""
        return tuple(key for keys in self._own for key in keys.scalars())

    @property
    def secrets(self) -> tuple[str, ...]:
        """The layer's `llmd:` keys declared secret."""
        return tuple(key for keys in self._own for key in keys.secrets())
