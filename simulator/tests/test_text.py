from typing import Any

from simulator import text


def test_chat_header_counts_messages() -> None:
    assert text.chat_header(1) == "[sim] received 1 message;"
    assert text.chat_header(3) == "[sim] received 3 messages;"


def test_reply_has_exactly_the_requested_length() -> None:
    tokens = text.reply_tokens("[h]", 10)
    assert len(tokens) == 10
    assert tokens[0] == "[h]"
    assert tokens[1:3] == [" alpha", " bravo"]
    assert text.reply_tokens("[h]", 1) == ["[h]"]


def test_content_parts_and_token_counts() -> None:
    parts = [{"type": "text", "text": "one two"}, {"type": "image_url", "image_url": {}}]
    assert text.content_text(parts) == "one two "
    assert text.content_text(None) == ""
    msgs: list[dict[str, Any]] = [
        {"role": "user", "content": "a b c"},
        {"role": "assistant", "content": parts},
    ]
    assert text.chat_prompt_tokens(msgs) == 3 + 1 + 2 + 1
    assert text.completion_prompt_tokens("x y") == 2
    assert text.completion_prompt_tokens([[1, 2, 3], "a b"]) == 5
