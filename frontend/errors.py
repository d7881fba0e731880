"""Map failures of the model service to messages a person understands.

``backend.py`` turns every transport failure into one of the exceptions below (raised from the
HTTP client's own exception), so this module knows nothing of the HTTP client.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str
    status: int | None = None


class EmptyReply(Exception):
    """The model service ended the answer without any text."""


class BackendError(Exception):
    """The model service answered something the app cannot use (a broken answer)."""


class StatusError(BackendError):
    """The model service answered with an HTTP error status.

    ``detail`` is the start of the body and ``headers`` the response's headers (names in lower case):
    together they tell who answered, e.g. llm-d's router (its ``x-llm-d-request-dropped-reason``) or
    the load balancer in front of it. Neither is logged.
    """

    def __init__(self, status: int, detail: str = "", headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}: {detail}" if detail else f"HTTP {status}")
        self.status = status
        self.detail = detail
        self.headers: Mapping[str, str] = headers or {}


class BrokenStream(BackendError):
    """The model service's event stream is not a chat completion stream (bad chunk, no ``[DONE]``,
    or an error object inside the stream)."""


class ColdStartTimeout(BackendError):
    """The model's servers, scaled to zero, were not ready within ``COLD_START_SECONDS``."""

    def __init__(self, budget_s: float) -> None:
        super().__init__(f"no model server ready within {budget_s:g} s")
        self.budget_s = budget_s


class Unreachable(BackendError):
    """The connection to the model service could not be made, or was reset or cut mid-answer."""


UNREACHABLE = Failure("unreachable", "The model service is unreachable or the connection was cut. "
                                    "Please try again in a moment.")
STATUS_MESSAGES = {
    400: ("bad_request", "The model service rejected the request (HTTP 400). "
                         "The conversation may be too long: start a new chat or lower max tokens."),
    401: ("unauthorized", "The chat app is not allowed to use the model service (HTTP 401)."),
    403: ("unauthorized", "The chat app is not allowed to use the model service (HTTP 403)."),
    404: ("not_found", "The selected model is not served right now (HTTP 404). Pick another model."),
    408: ("timeout", "The model service timed out (HTTP 408). Please try again."),
    413: ("too_large", "The conversation is too long for the model service (HTTP 413). Start a new chat."),
    422: ("bad_request", "The model service could not process the request (HTTP 422)."),
    429: ("busy", "The model service is busy (HTTP 429). Please try again in a moment."),
    500: ("server_error", "The model service failed (HTTP 500). Please try again."),
    502: ("unavailable", "The model service is unavailable (HTTP 502). Please try again in a moment."),
    503: ("unavailable", "The model service is unavailable (HTTP 503). Please try again in a moment."),
    504: ("timeout", "The model service timed out (HTTP 504). Please try again."),
}


def about(seconds: float) -> str:
    """A duration as a person would say it: seconds below two minutes, whole minutes (rounded up) above."""
    count, unit = (math.ceil(seconds), "second") if seconds < 120 else (math.ceil(seconds / 60), "minute")
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def starting_notice(budget_s: float) -> str:
    """What the page shows once the model service said that the model has no server yet (a 503)."""
    return (f"The model is starting (its servers were scaled to zero while idle). This can take up to "
            f"about {about(budget_s)}; the answer will appear here.")


SLOW_NOTICE = ("The model is taking longer than usual to answer; it may be starting. "
               "The answer will appear here.")


def causes(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def refused(error: BaseException) -> bool:
    """True when a connection failure (not a timeout) lies underneath ``error``.

    A refused connection can surface as a connect timeout; the operating system's error
    further down says what really happened.
    """
    return any(isinstance(c, OSError) and not isinstance(c, TimeoutError) for c in causes(error))


def describe(error: BaseException, timeout_s: float) -> Failure:
    """A user-facing description of ``error``; never includes the conversation."""
    if isinstance(error, Unreachable | TimeoutError) and refused(error):
        return UNREACHABLE
    if isinstance(error, TimeoutError):
        return Failure("timeout", f"The model did not answer within {timeout_s:g} seconds. Please try again.")
    if isinstance(error, ColdStartTimeout):
        return Failure("cold_start", f"The model did not start within {about(error.budget_s)}: its servers "
                                     "were scaled to zero while idle and are not ready yet. Please try "
                                     "again in a few minutes.", 503)
    if isinstance(error, StatusError):
        status = error.status
        if status in STATUS_MESSAGES:
            kind, message = STATUS_MESSAGES[status]
            return Failure(kind, message, status)
        if status >= 500:
            return Failure("server_error", f"The model service failed (HTTP {status}). Please try again.", status)
        return Failure("rejected", f"The model service refused the request (HTTP {status}).", status)
    if isinstance(error, Unreachable):
        return UNREACHABLE
    if isinstance(error, EmptyReply):
        return Failure("empty", "The model returned an empty answer. Please try again.")
    if isinstance(error, BackendError):
        return Failure("api_error", "The model service sent a broken answer. Please try again.")
    return Failure("internal", "Something went wrong in the chat app. Please try again.")
