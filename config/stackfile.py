"""Read a stack file (Pulumi.<stack>.yaml) the way Pulumi does, or say exactly what is wrong with it.

Never raises anything but `ConfigError`: a file that is not UTF-8, is not YAML, holds a key twice (Pulumi's YAML
parser refuses duplicates), or has the wrong shape is reported with its file name, line and fix. The YAML is read
with YAML 1.2's core types, as Pulumi's parser (gopkg.in/yaml.v3) does: `yes`, `on` and dates stay text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError, Problem

# The top-level keys of a Pulumi stack settings file (pulumi/sdk/go/common/workspace/project.go, ProjectStack).
STACK_FILE_KEYS = ("config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment")
KNOWN_NAMESPACES = ("llmd", "gcp", "kubernetes", "random", "pulumi")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars: only true/false are booleans, no timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class StackFile:
    """The `config:` mapping of a stack file, with the line of each key path (`llmd:gpuPool.maxNodes`)."""

    config: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        """The line of `key`, or of its nearest enclosing key (`llmd:model.hfToken` -> `llmd:model`)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            cut = max(key.rfind("."), key.rfind("["))
            if cut <= 0:
                return None
            key = key[:cut]
        return None


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _duplicate(key: str, first: int, line: int) -> Problem:
    return Problem(
        key,
        None,
        f"defined twice (first on line {first}); Pulumi's YAML parser refuses the whole file",
        "keep one of the two",
        line=line,
        has_value=False,
    )


def _walk(node: yaml.Node, path: str, lines: dict[str, int], problems: list[Problem]) -> None:
    """Record the line of each key path under `config:` and refuse duplicate keys, at every depth."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            child = f"{path}.{key}" if path else key
            if key in seen:
                problems.append(_duplicate(child, seen[key], line))
            else:
                seen[key] = line
                lines.setdefault(child, line)
            _walk(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = f"{path}[{i}]"
            lines.setdefault(child, item.start_mark.line + 1)
            _walk(item, child, lines, problems)


def _walk_document(node: yaml.Node, lines: dict[str, int], problems: list[Problem]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = key_node.start_mark.line + 1
        if key in seen:
            problems.append(_duplicate(key, seen[key], line))
            continue
        seen[key] = line
        lines[f"<{key}>"] = line
        if key == "config":
            _walk(value_node, "", lines, problems)


def _syntax_problem(name: str, error: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    what = getattr(error, "problem", None) or str(error).splitlines()[0]
    source_line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    if "\t" in source_line[: (column or 1)] or "'\\t'" in str(what):
        fix = "indent with spaces only; YAML does not allow tabs for indentation"
        what = "a tab character in the indentation"
    elif "expected a single document" in str(error):
        fix = "keep one document: remove the '---' separators after the first"
        what = "more than one YAML document"
    else:
        fix = "correct the YAML syntax there (a missing ':' or space after it, or unbalanced quotes or brackets)"
    where = f" at column {column}" if column else ""
    return Problem(name, None, f"not valid YAML{where}: {what}", fix, line=line, has_value=False)


def parse_stack_text(text: str, name: str, stack: str) -> StackFile:
    """Parse a stack file's text; `name` is what messages call the file."""
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _walk_document(node, lines, problems)
        if problems:
            raise ConfigError(stack, problems, source=name)
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise ConfigError(stack, [_syntax_problem(name, error, text)], source=name) from None
    finally:
        loader.dispose()
    return StackFile(_config_of(document, name, stack, lines), lines)


def _config_of(document: Any, name: str, stack: str, lines: dict[str, int]) -> dict[str, Any]:
    def refuse(key: str, message: str, fix: str, line: int | None = None) -> ConfigError:
        return ConfigError(stack, [Problem(key, None, message, fix, line=line, has_value=False)], source=name)

    if document is None:
        return {}
    if not isinstance(document, dict):
        raise refuse(
            name,
            f"the file holds a {type(document).__name__}, not a mapping",
            "start it with 'config:' and list the keys under it, indented (Pulumi.<stack>.yaml format)",
            1,
        )
    problems: list[Problem] = []
    for key in document:
        if not isinstance(key, str) or key not in STACK_FILE_KEYS:
            hint = _suggest(str(key), STACK_FILE_KEYS)
            problems.append(
                Problem(
                    str(key),
                    None,
                    "not a key of a Pulumi stack file",
                    f"{hint}config keys go under 'config:', indented; a stack file's keys are "
                    f"{', '.join(STACK_FILE_KEYS)}",
                    secret=True,
                    line=lines.get(f"<{key}>"),
                    has_value=False,
                )
            )
    config = document.get("config")
    if config is None:
        config = {}
    if not isinstance(config, dict):
        fix = "list the keys under 'config:' as 'namespace:key: value', indented"
        if isinstance(config, str) and ":" in config:
            fix = "put a space after the colon that ends the key ('gcp:region: us-central1')"
        problems.append(
            Problem(
                "config",
                None,
                f"must be a mapping, not a {type(config).__name__}",
                fix,
                line=lines.get("<config>"),
                has_value=False,
            )
        )
        raise ConfigError(stack, problems, source=name)
    out: dict[str, Any] = {}
    for key, value in config.items():
        line = lines.get(str(key))
        if not isinstance(key, str):
            problems.append(
                Problem(
                    str(key),
                    None,
                    "not a config key",
                    "write keys as 'namespace:key' (llmd:model)",
                    secret=True,
                    line=line,
                    has_value=False,
                )
            )
            continue
        namespace, sep, rest = key.partition(":")
        if not sep or not namespace or not rest:
            guess = f"llmd:{key}" if sep == "" else key
            problems.append(
                Problem(
                    key,
                    value,
                    "a config key without its namespace",
                    f"write it as 'namespace:key', for example {guess} or gcp:{key.strip(':')}",
                    secret=True,
                    line=line,
                )
            )
            continue
        if value is None:
            continue  # `key:` with nothing after it: not set, as `pulumi config` reads it
        out[key] = value
    if problems:
        raise ConfigError(stack, problems, source=name)
    return out


def read_stack_file(path: Path, stack: str | None = None) -> StackFile:
    """Read `path`; every problem with the file itself is a `ConfigError` naming it."""
    name = path.name
    stack = stack or (name.split(".", 1)[1].rsplit(".", 1)[0] if name.startswith("Pulumi.") else path.stem)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            stack,
            [
                Problem(
                    name, None, f"cannot be read ({error.strerror})", "check the path and permissions", has_value=False
                )
            ],
            source=name,
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        raise ConfigError(
            stack,
            [
                Problem(
                    name,
                    None,
                    f"not UTF-8 text (byte 0x{data[error.start]:02x}"
                    + (", the file looks like UTF-16)" if utf16 else ")"),
                    "save the file as UTF-8 (Pulumi reads stack files as UTF-8)",
                    line=line,
                    has_value=False,
                )
            ],
            source=name,
        ) from None
    if "\x00" in text:
        raise ConfigError(
            stack,
            [Problem(name, None, "holds NUL bytes: not a text file", "save the file as UTF-8 text", has_value=False)],
            source=name,
        )
    return parse_stack_text(text, name, stack)
