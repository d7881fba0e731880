"""One load test from start to finish: connect, authenticate, run the users, write the reports."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rich.console import Console
from rich.markup import escape

from loadtest import __version__, report
from loadtest.auth import IamCredentialsSigner, JwtSigner, TokenSource, default_audience
from loadtest.progress import ProgressDisplay
from loadtest.server_metrics import MetricsConfig, ServerView
from loadtest.targets import GradioTarget, OpenAITarget, Target
from loadtest.workload import Workload, WorkloadConfig

KINDS = ("openai", "gradio")
TOKENS_OPENAI = "usage.completion_tokens, else content chunks"
TOKENS_GRADIO = "words of the answer (estimate: the app reports no usage); chunks are the app's updates"


class StartError(RuntimeError):
    """The run could not start: no credentials, or the endpoint is unreachable."""


@dataclass(frozen=True)
class TargetConfig:
    kind: str
    url: str
    models: tuple[str, ...] = ()  # empty: openai asks /v1/models for the first, gradio uses the app's default
    api: str = "chat"
    iap_service_account: str | None = None
    iap_audience: str | None = None
    api_key_env: str | None = None
    temperature: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"target must be one of {KINDS}")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"target URL must be http(s)://host[:port][/path], got {self.url!r}")
        if any(not m for m in self.models) or len(set(self.models)) != len(self.models):
            raise ValueError(f"model names must be non-empty and distinct, got {list(self.models)}")

    def public(self) -> dict[str, Any]:
        """The settings as they go into the report: no credentials, no query string."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        auth = "iap-signjwt" if self.iap_service_account else "api-key" if self.api_key_env else "none"
        tokens = (TOKENS_OPENAI if self.kind == "openai" else TOKENS_GRADIO)
        return {"kind": self.kind, "url": urlunsplit((parts.scheme, netloc, parts.path, "", "")),
                "model": self.models[0] if self.models else None, "models": list(self.models),
                "api": self.api if self.kind == "openai" else "gradio-queue",
                "output_tokens_from": tokens,
                "auth": auth, "service_account": self.iap_service_account,
                "audience": self.audience() if self.iap_service_account else None}

    def audience(self) -> str:
        return self.iap_audience or default_audience(self.url)


def make_session(users: int) -> aiohttp.ClientSession:
    """Keep-alive connections, one per user at most; the per-request timeout is ours, not aiohttp's.

    No shared cookie jar: users must not all inherit one affinity cookie (targets pass on the
    cookies a call needs themselves).
    """
    connector = aiohttp.TCPConnector(limit=users, limit_per_host=users, ttl_dns_cache=300,
                                     keepalive_timeout=30)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None),
                                 cookie_jar=aiohttp.DummyCookieJar(), skip_auto_headers=("User-Agent",))


MODELS_TIMEOUT_S = 30.0


async def first_model(session: aiohttp.ClientSession, url: str,
                      headers: dict[str, str] | None = None) -> str:
    root = url.rstrip("/")
    models_url = root + ("/models" if root.endswith("/v1") else "/v1/models")
    timeout = MODELS_TIMEOUT_S
    try:
        async with asyncio.timeout(timeout):
            async with session.get(models_url, headers=headers) as resp:
                if resp.status != 200:
                    raise RuntimeError(f"{models_url} answered HTTP {resp.status}; pass --model")
                data = (await resp.json()).get("data") or []
    except TimeoutError as exc:
        raise RuntimeError(f"GET {models_url} did not answer within {timeout:g} s; "
                           "check the URL, or pass --model") from exc
    if not data:
        raise RuntimeError(f"{models_url} lists no model; pass --model")
    return str(data[0]["id"])


HeaderSource = Callable[[], Awaitable[dict[str, str]]]


def header_source(cfg: TargetConfig, signer: JwtSigner | None) -> HeaderSource | None:
    if cfg.iap_service_account:
        signer = signer or IamCredentialsSigner(cfg.iap_service_account)
        return TokenSource(signer, cfg.iap_service_account, cfg.audience()).headers
    if cfg.api_key_env:
        key = os.environ.get(cfg.api_key_env)
        if not key:
            raise RuntimeError(f"environment variable {cfg.api_key_env} is empty")
        fixed = {"Authorization": f"Bearer {key}"}

        async def api_key() -> dict[str, str]:
            return fixed

        return api_key
    return None


def _utc(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


@dataclass
class Outcome:
    report: dict[str, Any]
    files: dict[str, Path]


async def execute(
    target_cfg: TargetConfig,
    workload_cfg: WorkloadConfig,
    *,
    label: str,
    out_dir: Path | None,
    console: Console | None = None,
    signer: JwtSigner | None = None,
    metrics: MetricsConfig | None = None,
) -> Outcome:
    """Runs one load test and writes report.json, summary.txt and the plots into ``out_dir``.

    With ``metrics``, the serving side's Prometheus endpoints are scraped before, during and after
    the load (loadtest.server_metrics) and the report gains a ``server`` section.
    """
    session = make_session(workload_cfg.users)
    async with session:
        try:  # fail fast, before any load, on credentials and on an unreachable endpoint
            headers = header_source(target_cfg, signer)
            first_headers = await headers() if headers else None
            models = target_cfg.models
            if not models and target_cfg.kind == "openai":
                models = (await first_model(session, target_cfg.url, first_headers),)
        except Exception as exc:
            raise StartError(f"cannot start: {type(exc).__name__}: {exc}") from exc
        target: Target
        if target_cfg.kind == "openai":
            target = OpenAITarget(session, target_cfg.url, models[0], target_cfg.api, headers,
                                  target_cfg.temperature)
        else:
            target = GradioTarget(session, target_cfg.url, models[0] if models else None, headers,
                                  target_cfg.temperature)
        workload = Workload(target, workload_cfg, models=models)
        view = ServerView(metrics) if metrics and metrics.urls else None
        async with view or contextlib.nullcontext():
            if view is not None:
                _warn(console, await view.scrape("before"))
                during = asyncio.create_task(view.run_during())
            wall_start = time.time()
            try:
                reason = await _run_with_interrupts(workload, console)
            finally:
                wall_end = time.time()
                if view is not None:
                    during.cancel()
                    await asyncio.gather(during, return_exceptions=True)
            if view is not None:
                await view.scrape("after")
    run = {"label": label, "tool": f"loadtest {__version__}", "started_at": _utc(wall_start),
           "ended_at": _utc(wall_end), "duration_s": workload.ended_at - workload.started_at,
           "stop_reason": reason}
    scenario = {"target": {**target_cfg.public(), "model": models[0] if models else None,
                           "models": list(models)}, "workload": _workload_dict(workload_cfg)}
    collector = workload.collector
    data = report.build_report(collector.results, collector.itl, scenario=scenario, run=run,
                               origin=workload.started_at)
    if view is not None:
        data["server"] = view.report(origin=workload.started_at)
    files: dict[str, Path] = {}
    if out_dir is not None:
        from loadtest import plots  # matplotlib is slow to import: only when plotting

        out_dir.mkdir(parents=True, exist_ok=True)
        files = {"report": out_dir / "report.json", "summary": out_dir / "summary.txt",
                 "latency_plot": out_dir / "latency.png", "timeline_plot": out_dir / "timeline.png"}
        report.write_json(data, files["report"])
        files["summary"].write_text(report.summary_text(data), encoding="utf-8")
        plots.latency_plot(collector.results, collector.itl, files["latency_plot"], label)
        plots.timeline_plot(data, files["timeline_plot"])
    return Outcome(data, files)


def _warn(console: Console | None, warnings: list[str]) -> None:
    for warning in warnings:
        if console is not None:
            console.print(f"[yellow]warning: {escape(warning)}", highlight=False)
        else:
            print(f"warning: {warning}", file=sys.stderr)


def _workload_dict(cfg: WorkloadConfig) -> dict[str, Any]:
    out = asdict(cfg)
    prompts = out.pop("prompts")
    prompts["file"] = str(prompts["file"]) if prompts["file"] else None
    out["prompts"] = prompts
    return out


async def _run_with_interrupts(workload: Workload, console: Console | None) -> str:
    """Runs the workload; the first Ctrl-C stops it gracefully, a second one is not caught."""
    loop = asyncio.get_running_loop()

    def on_sigint() -> None:
        workload.stop.set()
        loop.remove_signal_handler(signal.SIGINT)
        if console is not None:
            console.print("[yellow]Interrupted: stopping, partial results follow (Ctrl-C again to abort)")

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
        handled = True
    except (RuntimeError, ValueError, NotImplementedError):  # not the main thread, or no signals
        handled = False
    display = ProgressDisplay(workload, console) if console is not None else None
    shown = asyncio.create_task(display.run()) if display else None
    try:
        return await workload.run()
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGINT)
        if display and shown:
            display.stop()
            await shown
