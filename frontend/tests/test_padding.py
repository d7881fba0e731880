import json

from frontend.padding import pad, rewrite

DEFAULTS = ["", [], "", 512, 0.7]


def test_pad_fills_only_missing_trailing_inputs() -> None:
    assert pad(["hi"], DEFAULTS) == ["hi", [], "", 512, 0.7]
    assert pad(["hi", [], "m"], DEFAULTS) == ["hi", [], "m", 512, 0.7]
    assert pad(["a", [], "m", 5, 0.1], DEFAULTS) == ["a", [], "m", 5, 0.1]


def test_rewrite_keeps_other_fields_and_bad_bodies() -> None:
    body = json.loads(rewrite(json.dumps({"data": ["hi"], "session_hash": "s"}).encode(), DEFAULTS))
    assert body == {"data": ["hi", [], "", 512, 0.7], "session_hash": "s"}
    assert rewrite(b"not json", DEFAULTS) == b"not json"
    full = json.dumps({"data": ["a", [], "m", 5, 0.1]}).encode()
    assert rewrite(full, DEFAULTS) == full
