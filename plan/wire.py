"""Turn Pulumi wire values into plain JSON: secrets and unknowns become markers, whole floats ints."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REF_VALUE = "5cf8f73096256a8f31e491e813e4eb8e"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_MARK = "[secret]"
UNKNOWN_MARK = "[unknown]"


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        sig = value.get(SECRET_SIG)
        if sig == SECRET_VALUE:
            return SECRET_MARK
        if sig == RESOURCE_REF_VALUE:
            return {"resourceRef": value.get("urn")}
        return {k: plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value == UNKNOWN:
        return UNKNOWN_MARK
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def struct_to_plain(struct: struct_pb2.Struct) -> dict[str, Any]:
    result = plain(json_format.MessageToDict(struct))
    assert isinstance(result, dict)
    return result
