import aiohttp
import pytest

from frontend.errors import BackendError, BrokenStream, EmptyReply, StatusError, Unreachable, describe


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [(404, "not_found", "not served"), (429, "busy", "busy"), (500, "server_error", "HTTP 500"),
     (503, "unavailable", "unavailable"), (504, "timeout", "timed out"), (400, "bad_request", "too long"),
     (599, "server_error", "HTTP 599"), (418, "rejected", "HTTP 418")],
)
def test_status_codes(status: int, kind: str, words: str) -> None:
    failure = describe(StatusError(status, '{"error": {"message": "no"}}'), 600)
    assert (failure.kind, failure.status) == (kind, status)
    assert words in failure.message


def test_timeouts_name_the_limit() -> None:
    for error in (TimeoutError(), aiohttp.ServerTimeoutError("read"), aiohttp.ConnectionTimeoutError("c")):
        failure = describe(error, 600)
        assert failure.kind == "timeout"
        assert "600 seconds" in failure.message


def test_connection_errors_and_others() -> None:
    assert describe(Unreachable("refused"), 1).kind == "unreachable"
    assert describe(raised_from(Unreachable("cut"), aiohttp.ClientPayloadError("cut")), 1).kind == "unreachable"
    assert describe(EmptyReply(), 1).kind == "empty"
    assert describe(BrokenStream("bad"), 1).kind == "api_error"
    assert describe(BackendError("bad"), 1).kind == "api_error"
    assert describe(KeyError("x"), 1).kind == "internal"


def raised_from(*chain: BaseException) -> BaseException:
    """The first exception, raised from the second, raised from the third..."""
    for outer, inner in zip(chain, chain[1:], strict=False):
        outer.__cause__ = inner
    return chain[0]


def test_refused_connection_reported_as_timeout_is_unreachable() -> None:
    error = raised_from(aiohttp.ConnectionTimeoutError("cannot connect"), ConnectionRefusedError(111, "refused"))
    assert describe(error, 600).kind == "unreachable"


def test_real_connect_timeout_stays_a_timeout() -> None:
    error = raised_from(aiohttp.ConnectionTimeoutError("slow"), TimeoutError())
    assert describe(error, 600).kind == "timeout"
