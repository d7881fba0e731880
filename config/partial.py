"""Parse a config section as far as it is valid, and say what is wrong with the rest in the user's terms.

A section with one bad field still yields every other field, so every rule that does not read the bad one runs
(see `Section`): all problems of a file are reported together, and none is reported that the user did not make.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from config.errors import Problem, is_secret_key
from config.section import Section

S = TypeVar("S", bound=Section)
# Mistakes people copy from runbooks, per (section, key), with what to do instead.
KNOWN_MISTAKES: dict[tuple[str, str], str] = {
    ("gateway", "routePort"): "remove it: an HTTPRoute to an InferencePool takes no port (54321 is Istio's "
    "placeholder port, not a serving port)",
    ("gateway", "port"): "remove it: the route reaches the InferencePool, whose targetPorts come from the model server",
}


def key_path(prefix: str, loc: Sequence[Any]) -> str:
    """`llmd:scheduler` + ('plugins', 0, 'weight') -> `llmd:scheduler.plugins[0].weight`."""
    return prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def decode(value: Any) -> Any:
    """Pulumi passes objects to the program as JSON text."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def aliases(cls: type[Section]) -> list[str]:
    return [f.alias or n for n, f in cls.model_fields.items()]


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _example(cls: type[Section] | None, field: str) -> str:
    if cls is not None:
        info = next((f for n, f in cls.model_fields.items() if (f.alias or n) == field), None)
        if info is not None and isinstance(info.default, (int, float)) and not isinstance(info.default, bool):
            return str(info.default)
    return "2"


def _why(cls: type[Section] | None, field: str) -> str | None:
    """The reason a field's bound is what it is (`Field(json_schema_extra={"why": ...})`), if it has one."""
    info = next((f for n, f in cls.model_fields.items() if (f.alias or n) == field), None) if cls else None
    extra = info.json_schema_extra if info is not None else None
    why = extra.get("why") if isinstance(extra, dict) else None
    return str(why) if why else None


def _field_class(cls: type[Section], loc: Sequence[Any]) -> tuple[type[Section] | None, str]:
    """The section class that holds the last named field of `loc`, and that field's alias."""
    current: Any = cls
    name = ""
    for part in loc:
        if isinstance(part, int):
            continue
        name = str(part)
        if not (isinstance(current, type) and issubclass(current, Section)):
            return None, name
        info = next((f for n, f in current.model_fields.items() if (f.alias or n) == name), None)
        if info is None:
            return current, name
        inner = info.annotation
        args = getattr(inner, "__args__", ()) or ()
        nested = next((a for a in (inner, *args) if isinstance(a, type) and issubclass(a, Section)), None)
        if nested is not None and part is not loc[-1]:
            current = nested
    return current, name


def pydantic_problems(prefix: str, section: str, cls: type[Section], error: ValidationError) -> list[Problem]:
    """Each validation error of `cls` (the section `section`, keys under `prefix`) as a Problem with a fix."""
    problems = []
    for err in error.errors():
        loc = err["loc"]
        key = key_path(prefix, loc)
        owner, name = _field_class(cls, loc)
        given = err.get("input")
        kind = err["type"]
        msg = err["msg"]
        if kind == "extra_forbidden":
            valid = aliases(owner) if owner else []
            guess = did_you_mean(name, valid)
            hint = KNOWN_MISTAKES.get((section, name))
            if hint is None and is_secret_key(name):
                from config.load import PLAIN_SECRET_WARNED  # the keys declared secret (config.load imports this)

                secrets = " or ".join(f"llmd:{key}" for key in PLAIN_SECRET_WARNED)
                hint = (
                    f"secrets are top-level keys, set with pulumi config set --secret: {secrets}; remove it from here"
                )
            fix = hint or (f"did you mean {guess}?" if guess else "check the spelling;")
            fix += f" valid keys: {', '.join(valid)}" if valid else ""
            problems.append(Problem(key, given, "unknown key", fix, secret=True))
        elif kind == "missing":
            problems.append(Problem(key, None, "required", f"add {name}", has_value=False))
        elif given is None:
            problems.append(
                Problem(key, None, "empty (a YAML null)", "give it a value, or remove the key to use the default")
            )
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            problems.append(Problem(key, given, "not a whole number", f"use a number such as {_example(owner, name)}"))
        elif kind in ("float_parsing", "float_type"):
            problems.append(Problem(key, given, "not a number", f"use a number such as {_example(owner, name)}"))
        elif kind in ("bool_parsing", "bool_type"):
            problems.append(Problem(key, given, "not true or false", "use true or false"))
        elif kind in ("string_type",):
            problems.append(Problem(key, given, "not text", "quote it, or give a text value"))
        elif kind in ("list_type",):
            problems.append(Problem(key, given, "must be a list", f"write {name} as a YAML list (- item per line)"))
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            problems.append(Problem(key, given, "must be a mapping", f"write {name} as a YAML mapping (key: value)"))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()]
            same_but_case = [o for o in options if isinstance(given, str) and o.lower() == given.lower()]
            fix = f"write it as '{same_but_case[0]}' (letter case matters)" if same_but_case else f"use {expected}"
            problems.append(Problem(key, given, f"invalid ({msg})", fix))
        else:
            wanted = msg.removeprefix("Input should be ").removeprefix("Value error, ")
            why = _why(owner, name) if kind.startswith(("less_than", "greater_than")) else None
            problems.append(
                Problem(key, given, f"invalid ({msg})" + (f": {why}" if why else ""), f"use a value that is {wanted}")
            )
    return problems


def unknown(cls: type[S]) -> S:
    """An instance of `cls` with every field unknown (the section itself was not a mapping)."""
    obj = cls.model_construct()
    obj.__dict__.clear()
    return obj


def parse_partial(cls: type[S], value: Any, prefix: str, section: str, problems: list[Problem]) -> S:
    """`value` validated as `cls`; fields that fail (and fields whose key was misspelled) are left unknown."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        problems.append(
            Problem(prefix, value, f"must be a mapping, not a {_kind(value)}", f"write {section}: as a YAML mapping")
        )
        return unknown(cls)
    try:
        return cls.model_validate(value)
    except ValidationError as error:
        problems += pydantic_problems(prefix, section, cls, error)
        bad: set[str] = set()
        valid = aliases(cls)
        for err in error.errors():
            if not err["loc"]:
                continue
            top = str(err["loc"][0])
            if err["type"] == "extra_forbidden" and len(err["loc"]) == 1:
                # A misspelled key: the field it was meant for is unknown too (its default was not chosen).
                guess = did_you_mean(top, valid)
                if guess:
                    bad.add(guess)
            else:
                bad.add(top)
        accepted = set(valid) | set(cls.model_fields)
        good = {k: v for k, v in value.items() if k in accepted and k not in bad}
        try:
            obj = cls.model_validate(good)
        except ValidationError:
            return unknown(cls)  # a required field was among the bad ones
        names = {f.alias or n: n for n, f in cls.model_fields.items()}
        for alias in bad:
            obj.__dict__.pop(names.get(alias, alias), None)
        return obj


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text value"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__
