"""Generate the config documentation from the config model: the README's table and Pulumi.yaml's config.

Every key is declared once, in `config/` (type, default, bounds, description, secret: see `config.section` and
each layer's `schema` module). This module renders those declarations into the two places a user reads them:

- README.md, between `<!-- config-table:start -->` and `<!-- config-table:end -->`: one row per key and field;
- Pulumi.yaml from its `config:` line on: the project config of keys marked `PROJECT` (with their type and
  default) and the template config (`pulumi new`) of every other key, with its description and secret flag.

`python -m plan.config_docs` (`make config-docs`) rewrites both; `--check` only reports drift (exit 1), as
tests/test_config_docs.py does on every run.
"""

from __future__ import annotations

import json
import sys
import textwrap
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from config.load import LAYERS
from config.section import Keys, Section, marked, section_of

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PULUMI_YAML = ROOT / "Pulumi.yaml"
START = "<!-- config-table:start -->"
END = "<!-- config-table:end -->"
GENERATED = (
    "<!-- Generated from config/ by `make config-docs` (python -m plan.config_docs): edit the model, not this. -->"
)
TEMPLATE_DESCRIPTION = "llm-d on GKE"
WIDTH = 118
# Pulumi project config types (`config:` in Pulumi.yaml) per Python type.
PULUMI_TYPES: dict[Any, str] = {str: "string", int: "integer", bool: "boolean", list: "array"}


# ---- reading the declarations ------------------------------------------------------------------------------


def key_models() -> tuple[type[Keys], ...]:
    """Every layer's key models, in the order of the layers (platform, serving, edge)."""
    return tuple(keys for layer in LAYERS for keys in layer.keys)


def declared_keys() -> Iterator[tuple[str, FieldInfo]]:
    """(`namespace:key`, field) of every top-level key."""
    for keys in key_models():
        for name, info in keys.model_fields.items():
            yield f"{keys.namespace}:{keys.key(name)}", info


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def item_section(annotation: Any) -> type[Section] | None:
    """The section of a list of sections (`list[AuthorizedNetwork]`), or None."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return section_of(item)
    return None


def type_name(annotation: Any) -> str:
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return " | ".join(str(a) for a in typing.get_args(annotation))
    if origin is list:
        item = item_section(annotation)
        return "list of objects" if item else f"list of {type_name(typing.get_args(annotation)[0])}"
    if origin is dict or annotation is dict:
        return "mapping"
    if section_of(annotation) is not None:
        return "object"
    names = {str: "text", int: "integer", float: "number", bool: "true/false"}
    return names.get(annotation, str(annotation))


BOUNDS = (
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Lt, "lt", "<"),
    (annotated_types.Le, "le", "≤"),
)


def bounds(info: FieldInfo) -> str:
    """`> 0, ≤ 1` from the field's constraints."""
    return ", ".join(
        f"{sign} {getattr(meta, attr)}" for meta in info.metadata for cls, attr, sign in BOUNDS if isinstance(meta, cls)
    )


def _default(info: FieldInfo) -> Any:
    if info.default is PydanticUndefined and info.default_factory is None:
        return PydanticUndefined
    return info.get_default(call_default_factory=True)


def default_text(info: FieldInfo) -> str:
    value = _default(info)
    if value is PydanticUndefined:
        return "required"
    if isinstance(value, Section):
        return ""
    if value is None:
        return "unset"
    return f"`{json.dumps(value)}`" if isinstance(value, (bool, list, dict)) or value == "" else f"`{value}`"


def _aliases(section: type[Section]) -> list[tuple[str, FieldInfo]]:
    return [(info.alias or name, info) for name, info in section.model_fields.items()]


# ---- README table ------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def _row(key: str, info: FieldInfo) -> str:
    kind = type_name(info.annotation)
    limit = bounds(info)
    kind += f" {limit}" if limit else ""
    kind += ", **secret**" if marked(info, "secret") else ""
    return f"| `{key}` | {_cell(kind)} | {_cell(default_text(info))} | {_cell(info.description or '')} |"


def _field_rows(prefix: str, section: type[Section]) -> Iterator[str]:
    for alias, info in _aliases(section):
        key = f"{prefix}.{alias}"
        yield _row(key, info)
        item = item_section(info.annotation)
        if item is not None:
            yield from _field_rows(f"{key}[]", item)


def readme_table() -> str:
    lines = [GENERATED, "", "| key | type | default | description |", "|---|---|---|---|"]
    for key, info in declared_keys():
        lines.append(_row(key, info))
        section = section_of(info.annotation) or item_section(info.annotation)
        if section is not None:
            lines.extend(_field_rows(key if section_of(info.annotation) else f"{key}[]", section))
    return "\n".join(lines)


def rendered_readme(text: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"{README.name}: the markers {START} and {END} are missing")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{readme_table()}\n{END}{tail}"


# ---- Pulumi.yaml -------------------------------------------------------------------------------------------


def _brief(alias: str, info: FieldInfo) -> str:
    """A field as the one-line template description lists it: `releaseChannel (RAPID | REGULAR | STABLE)`."""
    annotation = _unwrap(info.annotation)
    item = item_section(annotation)
    if item is not None:
        return f"{alias} [{{{', '.join(a for a, _ in _aliases(item))}}}]"
    value = _default(info)
    parts = []
    if typing.get_origin(annotation) is Literal:
        parts.append(" | ".join(str(a) for a in typing.get_args(annotation)))
    if bounds(info):
        parts.append(bounds(info))
    if value is PydanticUndefined:
        parts.append("required")
    elif value not in (None, "", [], {}):
        parts.append(f"default {json.dumps(value).strip(chr(34))}")
    return f"{alias} ({', '.join(parts)})" if parts else alias


def template_description(info: FieldInfo) -> str:
    text = info.description or ""
    section = section_of(info.annotation)
    item = item_section(info.annotation)
    if section is not None:
        return f"Object. {text} Fields: {', '.join(_brief(a, f) for a, f in _aliases(section))}."
    if item is not None:
        return f"List of {{{', '.join(_brief(a, f) for a, f in _aliases(item))}}}. {text}"
    return text


def _folded(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(text, width=WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


def pulumi_config() -> str:
    """Pulumi.yaml from its `config:` line on."""
    project: list[str] = ["config:"]
    template: list[str] = ["template:", f"  description: {TEMPLATE_DESCRIPTION}", "  config:"]
    for key, info in declared_keys():
        default = _default(info)
        if marked(info, "project"):
            pulumi_type = PULUMI_TYPES[typing.get_origin(_unwrap(info.annotation)) or _unwrap(info.annotation)]
            project += [f"  {key}:", f"    type: {pulumi_type}", f"    default: {json.dumps(default)}"]
            project += _folded("description", info.description or "", 4)
            if marked(info, "secret"):
                project.append("    secret: true")
            continue
        template += [f"    {key}:", *_folded("description", template_description(info), 6)]
        if isinstance(default, str) and default:
            template.append(f"      default: {json.dumps(default)}")
        if marked(info, "secret"):
            template.append("      secret: true")
    return "\n".join(project + template) + "\n"


def rendered_pulumi_yaml(text: str) -> str:
    head, sep, _ = text.partition("\nconfig:\n")
    if not sep:
        raise SystemExit(f"{PULUMI_YAML.name}: no top-level config: block")
    return f"{head}\n{pulumi_config()}"


# ---- command -----------------------------------------------------------------------------------------------


def targets() -> list[tuple[Path, str, str]]:
    """(file, its text now, its text as generated)."""
    readme, pulumi_yaml = README.read_text(), PULUMI_YAML.read_text()
    return [(README, readme, rendered_readme(readme)), (PULUMI_YAML, pulumi_yaml, rendered_pulumi_yaml(pulumi_yaml))]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drifted = []
    for path, now, generated in targets():
        if now == generated:
            continue
        drifted.append(path.name)
        if not check:
            path.write_text(generated)
            sys.stdout.write(f"wrote {path.name}\n")
    if check and drifted:
        sys.stdout.write(f"{', '.join(drifted)} drifted from the config model: run make config-docs\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
