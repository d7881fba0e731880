from typing import Any

from frontend.history import build_messages, content_text, history_to_messages

GRADIO6_HISTORY: list[dict[str, Any]] = [
    {"role": "user", "content": [{"type": "text", "text": "What is llm-d?"}], "metadata": None},
    {"role": "assistant", "content": [{"type": "text", "text": "A scheduler."}], "options": []},
    {"role": "user", "content": "And GKE?"},
    {"role": "assistant", "content": "Google's Kubernetes."},
]


def test_gradio6_message_dicts_become_openai_messages() -> None:
    assert history_to_messages(GRADIO6_HISTORY) == [
        {"role": "user", "content": "What is llm-d?"},
        {"role": "assistant", "content": "A scheduler."},
        {"role": "user", "content": "And GKE?"},
        {"role": "assistant", "content": "Google's Kubernetes."},
    ]


def test_new_message_follows_history_and_system_prompt_leads() -> None:
    msgs = build_messages("Next?", GRADIO6_HISTORY, system_prompt="Be brief.")
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert msgs[0]["content"] == "Be brief."
    assert msgs[-1] == {"role": "user", "content": "Next?"}


def test_thinking_notes_files_and_unknown_roles_are_left_out() -> None:
    history: list[Any] = [
        {"role": "assistant", "content": "tool call", "metadata": {"title": "Using a tool"}},
        {"role": "user", "content": [{"type": "file", "file": {"path": "/tmp/x.png"}}]},
        {"role": "tool", "content": "x"},
        {"role": "user", "content": ""},
        "garbage",
        {"role": "assistant", "content": "kept", "metadata": {"title": ""}},
    ]
    assert history_to_messages(history) == [{"role": "assistant", "content": "kept"}]


def test_pairs_from_scripted_clients() -> None:
    assert history_to_messages([["hi", "hello"], ["again", None]]) == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "again"},
    ]


def test_content_text_variants() -> None:
    assert content_text(None) == ""
    assert content_text({"type": "text", "text": "a"}) == "a"
    assert content_text([{"type": "text", "text": "a"}, {"text": "b"}, {"type": "image"}]) == "a\nb"
    assert history_to_messages(None) == []
    assert build_messages("", []) == []
