"""Deterministic reply text and rough token counting."""

from __future__ import annotations

from typing import Any

FILLER = (" alpha", " bravo", " charlie", " delta", " echo", " foxtrot", " golf", " hotel")


def content_text(content: Any) -> str:
    """Text of an OpenAI message ``content`` (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict)]
        return " ".join(p for p in parts if isinstance(p, str))
    return ""


def count_tokens(text: str) -> int:
    """A cheap stand-in for a tokenizer: whitespace-separated words."""
    return len(text.split())


def chat_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return max(1, sum(count_tokens(content_text(m.get("content"))) + 1 for m in messages))


def completion_prompt_tokens(prompt: Any) -> int:
    if isinstance(prompt, list):
        return max(1, sum(count_tokens(p) if isinstance(p, str) else len(p) for p in prompt))
    return max(1, count_tokens(str(prompt)))


def reply_tokens(header: str, length: int) -> list[str]:
    """``header`` as the first token, then filler words up to ``length`` tokens."""
    tokens = [header]
    tokens.extend(FILLER[i % len(FILLER)] for i in range(length - 1))
    return tokens[:length]


def chat_header(n_messages: int) -> str:
    noun = "message" if n_messages == 1 else "messages"
    return f"[sim] received {n_messages} {noun};"


def completion_header(prompt_tokens: int) -> str:
    return f"[sim] completing a prompt of {prompt_tokens} tokens;"
