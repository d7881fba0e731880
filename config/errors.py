"""Problems with a stack config, and how they are printed: never a value that could be a secret."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Words in a key that mark its value as a secret (matched per word of camelCase, snake_case or kebab-case keys),
# and fragments that do so inside a single lowercase word ("hftoken", "apikey").
SECRET_WORDS = frozenset(
    {
        "token",
        "tokens",
        "secret",
        "secrets",
        "password",
        "passwd",
        "pwd",
        "key",
        "keys",
        "kubeconfig",
        "credential",
        "credentials",
        "passphrase",
        "bearer",
        "auth",
    }
)
SECRET_FRAGMENTS = ("token", "secret", "password", "passwd", "kubeconfig", "credential", "apikey", "privatekey")
# Known keys whose names contain a secret word but whose values are not secrets.
NOT_SECRET_KEYS = frozenset({"stressTestTokenCreators"})
# Values that are secrets whatever key they sit under: token prefixes, PEM blocks, kubeconfig contents.
SECRET_VALUE = re.compile(
    r"(^(hf_|ya29\.|GOCSPX-|ghp_|gho_|github_pat_|glpat-|sk-|xox[abp]-|AIza)[A-Za-z0-9_\-.]{8,})"
    r"|-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----"
    r"|(client-key-data|client-certificate-data|certificate-authority-data|\btoken:\s)",
)
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_PARTS = re.compile(r"[:.\[\]]+")


class Hidden:
    """Stands in for a value that must not be printed."""

    def __repr__(self) -> str:
        return "<hidden>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hidden)

    def __hash__(self) -> int:
        return 0


HIDDEN = Hidden()


def _secret_part(part: str) -> bool:
    if part in NOT_SECRET_KEYS:
        return False
    words = [w.lower() for w in _WORDS.findall(part)]
    lowered = part.lower()
    return any(w in SECRET_WORDS for w in words) or any(f in lowered for f in SECRET_FRAGMENTS)


def is_secret_key(key: str) -> bool:
    """True when any part of a config key path (`llmd:model.hfToken`, `llmd:iap.oauthClientSecret`) names a secret."""
    return any(_secret_part(part) for part in _PARTS.split(str(key)) if part)


def looks_secret(value: Any) -> bool:
    """A value that is a secret by its shape: a token, a PEM block, kubeconfig contents, or any multi-line text."""
    if isinstance(value, str):
        return "\n" in value.strip() or bool(SECRET_VALUE.search(value))
    if isinstance(value, Mapping):
        return any(looks_secret(v) or (isinstance(k, str) and is_secret_key(k)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(looks_secret(v) for v in value)
    return False


def masked(key: str, value: Any) -> Any:
    """`value` as it may be printed under `key`: secret-looking keys and values hidden, at any depth."""
    if isinstance(value, Hidden) or is_secret_key(key):
        return HIDDEN if value not in (None, "", [], {}) else value
    if isinstance(value, Mapping):
        return {k: masked(f"{key}.{k}", v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(f"{key}[{i}]", v) for i, v in enumerate(value)]
    if isinstance(value, str) and looks_secret(value):
        return HIDDEN
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the stack config: where, what was given, and how to fix it.

    The value is masked when the problem is made: under a secret-looking key, when it looks like a secret, or
    when `secret` is set (unknown keys: a misplaced token must not be echoed back).
    """

    key: str
    value: Any
    message: str
    fix: str
    secret: bool = False
    line: int | None = None
    # False for problems about the file itself (YAML syntax, encoding), which have no value to show.
    has_value: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        shown = HIDDEN if self.secret and self.value not in (None, "", [], {}) else masked(self.key, self.value)
        object.__setattr__(self, "value", shown)

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        value = f" = {self.value!r}" if self.has_value else ""
        return f"{self.key}{where}{value}: {self.message}. Fix: {self.fix}"


class ConfigError(Exception):
    def __init__(self, stack: str, problems: list[Problem], source: str | None = None) -> None:
        self.stack = stack
        self.problems = problems
        self.source = source
        where = f"{source} (stack '{stack}')" if source else f"stack '{stack}'"
        lines = [f"{where}: {len(problems)} config problem(s); nothing was created."]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


_PROBLEM_LINE = re.compile(r"^(  - )(\S+)( = | \(line |: )")
_HEADER = re.compile(r"^stack '([^']*)': (\d+ config problem)")


def with_lines(message: str, source: str, line_of: Callable[[str], int | None]) -> str:
    """A `ConfigError` message from the program, with the stack file's name and each problem key's line added."""
    out = []
    for text in message.splitlines():
        text = _HEADER.sub(lambda m: f"{source} (stack '{m.group(1)}'): {m.group(2)}", text)
        match = _PROBLEM_LINE.match(text)
        if match and match.group(3) != " (line ":
            line = line_of(match.group(2))
            if line:
                text = f"{match.group(1)}{match.group(2)} (line {line}){text[match.end(2) :]}"
        out.append(text)
    return "\n".join(out)
