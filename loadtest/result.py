"""What one request produced: timings, token counts and, when it failed, why."""

from __future__ import annotations

from dataclasses import dataclass, field

# Error kinds. HTTP failures are "http_<status>" (see http_kind); the others are fixed names.
TIMEOUT = "timeout"
CONNECTION = "connection"
DROPPED_STREAM = "dropped_stream"
PROTOCOL = "protocol"
APP_ERROR = "app_error"
EMPTY_ANSWER = "empty_answer"
AUTH = "auth"
CLIENT_ERROR = "client_error"

ERROR_KINDS_DOC = {
    "http_<status>": "the server answered with that HTTP status (e.g. http_503, http_401 from IAP)",
    TIMEOUT: "no complete answer within the per-request timeout",
    CONNECTION: "could not connect, or the connection closed before any response",
    DROPPED_STREAM: "the response stream ended before its end marker",
    PROTOCOL: "the response could not be understood (bad JSON, unexpected event)",
    APP_ERROR: "the application reported an error inside a 200 response (Gradio `event: error`)",
    EMPTY_ANSWER: "the answer ended properly but carried no text (only `[DONE]`, or an empty `complete`)",
    AUTH: "a token for the request could not be obtained",
    CLIENT_ERROR: "an unexpected exception in the load generator itself (its type and message are kept)",
}


def http_kind(status: int) -> str:
    return f"http_{status}"


@dataclass(slots=True)
class RequestResult:
    """One request. Times are seconds on the monotonic clock of the run.

    ``error`` is None for a success, an error kind for a failure, and ``"incomplete"`` is never
    used: requests cut short by the end of the run have ``incomplete=True`` instead.
    """

    start: float
    end: float
    ttft: float | None = None
    output_tokens: int = 0
    prompt_tokens: int | None = None
    status: int = 0
    token_times: list[float] = field(default_factory=list)
    tpot: float | None = None
    error: str | None = None
    detail: str = ""
    incomplete: bool = False
    text: str = ""
    model: str | None = None  # None: the target's default model

    @property
    def ok(self) -> bool:
        return self.error is None and not self.incomplete

    @property
    def latency(self) -> float:
        return self.end - self.start
