"""OpenAI wire format of the simulator's answers: JSON bodies and SSE chunks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class Job:
    """One generation request, parsed."""

    chat: bool
    model: str
    stream: bool
    include_usage: bool
    prompt_tokens: int
    tokens: list[str]
    truncated: bool


def error_response(status: int, message: str, kind: str) -> web.Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": status}}
    return web.json_response(body, status=status)


class Stream:
    """Writes the SSE chunks of one streamed reply."""

    def __init__(self, job: Job, rid: str, created: int) -> None:
        self.job = job
        obj = "chat.completion.chunk" if job.chat else "text_completion"
        self.prefix = (f'{{"id":"{rid}","object":"{obj}","created":{created},'
                       f'"model":{json.dumps(job.model)},"choices":[')

    def chunk(self, piece: str | None, finish: str | None = None) -> bytes:
        fin = "null" if finish is None else f'"{finish}"'
        if self.job.chat:
            if piece is None:
                delta = "{}" if finish else '{"role":"assistant","content":""}'
            else:
                delta = '{"content":' + json.dumps(piece) + "}"
            choice = f'{{"index":0,"delta":{delta},"logprobs":null,"finish_reason":{fin}}}'
        else:
            choice = f'{{"index":0,"text":{json.dumps(piece or "")},"logprobs":null,"finish_reason":{fin}}}'
        return ("data: " + self.prefix + choice + "]}\n\n").encode()

    def usage_chunk(self, usage: dict[str, int]) -> bytes:
        return ("data: " + self.prefix + '],"usage":' + json.dumps(usage) + "}\n\n").encode()


def usage_of(job: Job) -> dict[str, int]:
    n = len(job.tokens)
    return {"prompt_tokens": job.prompt_tokens, "completion_tokens": n,
            "total_tokens": job.prompt_tokens + n}


def full_body(job: Job, rid: str, created: int, finish: str) -> dict[str, Any]:
    reply = "".join(job.tokens)
    if job.chat:
        choice: dict[str, Any] = {"index": 0, "message": {"role": "assistant", "content": reply},
                                  "logprobs": None, "finish_reason": finish}
    else:
        choice = {"index": 0, "text": reply, "logprobs": None, "finish_reason": finish}
    return {"id": rid, "object": "chat.completion" if job.chat else "text_completion",
            "created": created, "model": job.model, "choices": [choice], "usage": usage_of(job)}
