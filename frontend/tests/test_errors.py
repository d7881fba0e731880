import httpx2
import openai
import pytest

from frontend.errors import EmptyReply, describe

REQUEST = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def status_error(status: int) -> openai.APIStatusError:
    response = httpx2.Response(status, request=REQUEST, json={"error": {"message": "no"}})
    return openai.APIStatusError("no", response=response, body=None)


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [(404, "not_found", "not served"), (429, "busy", "busy"), (500, "server_error", "HTTP 500"),
     (503, "unavailable", "unavailable"), (504, "timeout", "timed out"), (400, "bad_request", "too long"),
     (599, "server_error", "HTTP 599"), (418, "rejected", "HTTP 418")],
)
def test_status_codes(status: int, kind: str, words: str) -> None:
    failure = describe(status_error(status), 600)
    assert (failure.kind, failure.status) == (kind, status)
    assert words in failure.message


def test_timeouts_name_the_limit() -> None:
    for error in (TimeoutError(), openai.APITimeoutError(request=REQUEST), httpx2.ReadTimeout("t")):
        failure = describe(error, 600)
        assert failure.kind == "timeout"
        assert "600 seconds" in failure.message


def test_connection_errors_and_others() -> None:
    assert describe(openai.APIConnectionError(request=REQUEST), 1).kind == "unreachable"
    assert describe(httpx2.RemoteProtocolError("cut"), 1).kind == "unreachable"
    assert describe(EmptyReply(), 1).kind == "empty"
    assert describe(openai.APIError("bad", REQUEST, body=None), 1).kind == "api_error"
    assert describe(KeyError("x"), 1).kind == "internal"


def raised_from(*chain: BaseException) -> BaseException:
    """The first exception, raised from the second, raised from the third..."""
    for outer, inner in zip(chain, chain[1:], strict=False):
        outer.__cause__ = inner
    return chain[0]


def test_refused_connection_reported_as_timeout_is_unreachable() -> None:
    error = raised_from(openai.APITimeoutError(request=REQUEST), httpx2.ConnectTimeout("cannot connect"),
                        ConnectionRefusedError(111, "refused"))
    assert describe(error, 600).kind == "unreachable"


def test_real_connect_timeout_stays_a_timeout() -> None:
    error = raised_from(openai.APITimeoutError(request=REQUEST), httpx2.ConnectTimeout("slow"), TimeoutError())
    assert describe(error, 600).kind == "timeout"
