from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the stack config: where, what was given, and how to fix it."""

    key: str
    value: Any
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r}: {self.message}. Fix: {self.fix}"


class ConfigError(Exception):
    def __init__(self, stack: str, problems: list[Problem]) -> None:
        self.stack = stack
        self.problems = problems
        lines = [f"stack '{stack}': {len(problems)} config problem(s); nothing was created."]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))
