"""Turn Gradio 6 chat history into OpenAI chat messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROLES = {"user", "assistant", "system"}


def content_text(content: Any) -> str:
    """Text of one Gradio message content.

    Gradio 6 gives either a string or a list of parts such as
    ``{"type": "text", "text": "..."}``; files and other components have no text
    for a text-only model and are left out.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        text = content.get("text")
        if content.get("type", "text") == "text" and isinstance(text, str):
            return text
        return ""
    if isinstance(content, Sequence):
        return "\n".join(t for t in (content_text(p) for p in content) if t)
    return ""


def _message(role: Any, content: Any) -> dict[str, str] | None:
    text = content_text(content)
    if role not in ROLES or not text.strip():
        return None
    return {"role": str(role), "content": text}


def history_to_messages(history: Any) -> list[dict[str, str]]:
    """OpenAI messages for a Gradio history.

    Accepts the message format (a list of ``{"role", "content"}`` dicts, with
    Gradio's ``metadata`` entries such as tool or thinking notes skipped) and,
    for scripted clients, the older list of ``[user, assistant]`` pairs.
    """
    messages: list[dict[str, str]] = []
    if not isinstance(history, list):
        return messages
    for item in history:
        if isinstance(item, dict):
            metadata = item.get("metadata")
            if isinstance(metadata, dict) and metadata.get("title"):
                continue
            msg = _message(item.get("role"), item.get("content"))
            if msg:
                messages.append(msg)
        elif isinstance(item, list | tuple) and len(item) == 2:
            for role, content in zip(("user", "assistant"), item, strict=True):
                msg = _message(role, content)
                if msg:
                    messages.append(msg)
    return messages


def build_messages(message: Any, history: Any, system_prompt: str = "") -> list[dict[str, str]]:
    """The whole conversation to send: optional system prompt, history, the new message."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    messages.extend(history_to_messages(history))
    text = content_text(message)
    if text.strip():
        messages.append({"role": "user", "content": text})
    return messages
