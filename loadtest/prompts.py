"""Prompt sets: short questions, long documents, and shared-prefix prompts for prefix-cache routing.

Text is synthetic (words built from syllables) and deterministic for a given seed, so two runs
with the same settings send the same prompts. ``shared-prefix`` prompts are one of
``prefix_groups`` long preambles followed by a short question: requests in the same group share
their first ``prefix_words`` words, which is what llm-d's prefix-cache-aware scorer rewards by
sending them to the replica that already holds that prefix in its KV cache.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

SETS = ("short", "long", "shared-prefix", "mixed")
_SYLLABLES = ("ka", "lo", "mi", "ten", "ra", "vo", "shi", "den", "pu", "ar", "el", "son", "tri", "ga", "ny")
_TOPICS = ("caching", "routing", "batching", "latency", "throughput", "queues", "replicas", "tokens")
_QUESTIONS = (
    "Explain {t} in one paragraph.",
    "What limits {t} in a serving system?",
    "Give three tips about {t}.",
    "How would you measure {t}?",
    "Summarise the trade-offs of {t}.",
)
_FOLLOW_UPS = ("Tell me more.", "Can you give an example?", "Why is that?", "Shorter, please.")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(n)
    )


def _question(rng: random.Random) -> str:
    return rng.choice(_QUESTIONS).format(t=rng.choice(_TOPICS))


@dataclass(frozen=True)
class PromptConfig:
    kind: str = "short"
    long_words: int = 1000
    prefix_words: int = 800
    prefix_groups: int = 4
    file: Path | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.file is None and self.kind not in SETS:
            raise ValueError(f"prompt set must be one of {SETS}")
        if min(self.long_words, self.prefix_words, self.prefix_groups) < 1:
            raise ValueError("long_words, prefix_words and prefix_groups must be >= 1")


class PromptSet:
    """The shared material of a prompt set, built once per run."""

    def __init__(self, config: PromptConfig) -> None:
        self.config = config
        shared = random.Random(config.seed)
        self.prefixes = [
            f"Reference document {g}: {_words(shared, config.prefix_words)}\n\n"
            for g in range(config.prefix_groups)
        ]
        self.lines = load_lines(config.file) if config.file else []

    def for_user(self, user: int) -> PromptSource:
        return PromptSource(self, random.Random(self.config.seed * 1_000_003 + user))


class PromptSource:
    """Hands out first-turn prompts and follow-ups; one instance per virtual user."""

    def __init__(self, prompt_set: PromptSet, rng: random.Random) -> None:
        self.set = prompt_set
        self.rng = rng

    def first(self) -> str:
        if self.set.lines:
            return self.rng.choice(self.set.lines)
        config = self.set.config
        kind = config.kind
        if kind == "mixed":
            kind = self.rng.choice(SETS[:3])
        if kind == "short":
            return _question(self.rng)
        if kind == "long":
            return f"{_words(self.rng, config.long_words)}\n\n{_question(self.rng)}"
        return self.rng.choice(self.set.prefixes) + _question(self.rng)

    def follow_up(self) -> str:
        return self.rng.choice(_FOLLOW_UPS)


def load_lines(path: Path) -> list[str]:
    """One prompt per non-empty line of a UTF-8 text file."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    prompts = [line for line in lines if line]
    if not prompts:
        raise ValueError(f"{path} has no prompts")
    return prompts
