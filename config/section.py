"""The building blocks every layer declares its keys with: `Section`, `Keys` and their markers.

Each setting is one pydantic field in its layer's schema (`config.platform.schema`, `config.serving.schema`,
`config.edge.schema`): its type, default, bounds, description and whether it is a secret. A layer's top-level
keys are the fields of its `Keys` model; a field typed as a `Section` is a section (`llmd:model`), any other is a
scalar (`llmd:accelerator`). The README's configuration table and Pulumi.yaml's config descriptions are generated
from these declarations (`make config-docs`, checked by tests/test_config_docs.py).
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

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
