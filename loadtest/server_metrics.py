"""What the serving side saw during a run: its Prometheus endpoints, scraped before, during and after.

Each ``--metrics-url`` (a port-forwarded EPP ``:9090/metrics``, a vLLM ``:8000/metrics``, the
simulator's ``/metrics``) is read once before the load starts, every ``interval_s`` while it runs and
once after it ends. The view reads only the series below, by the names of the chosen llm-d version
set (stacks/metrics.py, the program's own record of what each set's components emit; a test checks
every name against it): gauges give their maximum and mean over the scrapes taken during the run,
counters their increase from the scrape before to the scrape after.

A series the endpoint does not expose is reported as "not exposed", never as 0. An endpoint that
cannot be read is a warning naming its URL; the run goes on and its verdict does not change.

Cheap by construction: the scrapes run in their own task with their own connection, and only the
lines of the wanted series are handed to prometheus_client's parser (a vLLM endpoint exposes
hundreds of histogram lines the view never reads).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

# Run from the repository root (make stress, python -m loadtest, pytest): the program's metric names.
from stacks.metrics import COUNTER, EMITTED_BY_SET, GAUGE, epp_name

VERSION_SETS = tuple(EMITTED_BY_SET)
DEFAULT_VERSION_SET = "v0.9.0"
DEFAULT_INTERVAL_S = 5.0
MIN_INTERVAL_S = 0.2
SCRAPE_TIMEOUT_S = 5.0
FIRST_DURING_S = 1.0  # the first scrape during the run, once the load has started; then every interval
ERROR_CHARS = 200
SUM, MAX = "sum", "max"


@dataclass(frozen=True)
class Quantity:
    """One thing the view reports, and the series that give it by the component exposing them.

    ``vllm`` is the model server's series (the same name in both sets); ``epp`` the EPP's, written
    by its 2026-04 name and translated into the set's own name by stacks.metrics.epp_name.
    """

    key: str
    title: str
    kind: str  # GAUGE or COUNTER
    combine: str  # how the label sets of one series add up: SUM (requests) or MAX (a usage fraction)
    vllm: str | None = None
    epp: str | None = None
    fraction: bool = False  # shown as a percentage

    def series(self, version_set: str) -> tuple[str, ...]:
        names = [self.vllm] if self.vllm else []
        if self.epp:
            names.append(epp_name(self.epp, version_set))
        return tuple(names)


QUANTITIES = (
    Quantity("queue", "queue size", GAUGE, SUM, vllm="vllm:num_requests_waiting",
             epp="inference_pool_average_queue_size"),
    Quantity("running", "running requests", GAUGE, SUM, vllm="vllm:num_requests_running",
             epp="inference_objective_running_requests"),
    Quantity("kv_cache", "KV-cache usage", GAUGE, MAX, vllm="vllm:kv_cache_usage_perc",
             epp="inference_pool_average_kv_cache_utilization", fraction=True),
    Quantity("preemptions", "preemptions", COUNTER, SUM, vllm="vllm:num_preemptions_total"),
    Quantity("requests", "requests", COUNTER, SUM, vllm="vllm:request_success_total",
             epp="inference_objective_request_total"),
    Quantity("request_errors", "request errors", COUNTER, SUM, epp="inference_objective_request_error_total"),
    Quantity("prompt_tokens", "prompt tokens", COUNTER, SUM, vllm="vllm:prompt_tokens_total"),
    Quantity("generation_tokens", "generation tokens", COUNTER, SUM, vllm="vllm:generation_tokens_total"),
)


def series_read(version_set: str) -> dict[str, str]:
    """Every series name the view reads for a version set -> the kind it reads it as."""
    return {name: q.kind for q in QUANTITIES for name in q.series(version_set)}


@dataclass(frozen=True)
class MetricsConfig:
    urls: tuple[str, ...]
    version_set: str = DEFAULT_VERSION_SET
    interval_s: float = DEFAULT_INTERVAL_S

    def __post_init__(self) -> None:
        if self.version_set not in VERSION_SETS:
            raise ValueError(f"version set must be one of {VERSION_SETS}, got {self.version_set!r}")
        if not self.interval_s >= MIN_INTERVAL_S:
            raise ValueError(f"metrics interval must be >= {MIN_INTERVAL_S} s")
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"metrics URL must be http(s)://host[:port][/path], got {public_url(url)!r}")
        if len(set(self.urls)) != len(self.urls):
            raise ValueError("metrics URLs must be distinct")


def metrics_url(url: str) -> str:
    """``http://host:port`` means its ``/metrics``; any other path is used as given."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/metrics")) if parts.path in ("", "/") else url


def public_url(url: str) -> str:
    """The URL as reports and warnings show it: no user, password or query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


Samples = dict[str, dict[tuple[tuple[str, str], ...], float]]  # series -> label set -> value


def parse_wanted(text: str, wanted: Sequence[str]) -> Samples:
    """The samples of the ``wanted`` series in a Prometheus text exposition (prometheus_client's parser).

    Only the sample lines of those series are parsed; ValueError if one of them is malformed.
    """
    prefixes = tuple(f"{name}{sep}" for name in wanted for sep in ("{", " "))
    lines = [line for line in text.splitlines() if line.startswith(prefixes)]
    found: Samples = {}
    if not lines:
        return found
    for family in text_string_to_metric_families("\n".join(lines) + "\n"):
        for sample in family.samples:
            labels = tuple(sorted(sample.labels.items()))
            found.setdefault(sample.name, {})[labels] = float(sample.value)
    return found


def increase(values: Sequence[float]) -> float:
    """How much a counter grew over consecutive readings; a drop is a restart, counted from 0."""
    total = 0.0
    for prev, now in zip(values, values[1:], strict=False):
        total += now - prev if now >= prev else now
    return total


@dataclass
class Scrape:
    at: float  # perf_counter
    phase: str  # before, during, after
    samples: Samples


@dataclass
class Endpoint:
    url: str
    scrapes: list[Scrape] = field(default_factory=list)
    failures: int = 0
    first_error: str = ""
    attempts: int = 0

    def warning(self) -> str | None:
        if not self.failures:
            return None
        return (f"metrics endpoint {public_url(self.url)}: {self.failures} of {self.attempts} scrapes failed "
                f"({self.first_error})")


class ServerView:
    """Scrapes every endpoint; ``report()`` turns the readings into the report's ``server`` section."""

    def __init__(self, config: MetricsConfig) -> None:
        self.config = config
        self.endpoints = [Endpoint(metrics_url(url)) for url in config.urls]
        self._wanted = tuple(series_read(config.version_set))
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> ServerView:
        # Its own small connection pool: never one of the users' connections, never their credentials.
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=SCRAPE_TIMEOUT_S),
            connector=aiohttp.TCPConnector(limit=max(1, len(self.endpoints))),
            cookie_jar=aiohttp.DummyCookieJar())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def scrape(self, phase: str) -> list[str]:
        """Reads every endpoint once; returns a warning for each one that failed this time."""
        results = await asyncio.gather(*(self._scrape_one(ep, phase) for ep in self.endpoints))
        return [warning for warning in results if warning]

    async def _scrape_one(self, endpoint: Endpoint, phase: str) -> str | None:
        assert self._session is not None, "use ServerView as an async context manager"
        endpoint.attempts += 1
        try:
            async with self._session.get(endpoint.url) as resp:
                if resp.status != 200:
                    raise ValueError(f"HTTP {resp.status}")
                text = await resp.text(errors="replace")
            samples = parse_wanted(text, self._wanted)
            if not samples and "# TYPE " not in text:
                raise ValueError("the answer is not in the Prometheus text format")
        except Exception as exc:  # any failure is a warning about this endpoint, never the run's end
            endpoint.failures += 1
            detail = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
            endpoint.first_error = endpoint.first_error or detail
            return f"metrics endpoint {public_url(endpoint.url)} could not be read ({phase}): {detail}"
        endpoint.scrapes.append(Scrape(time.perf_counter(), phase, samples))
        return None

    async def run_during(self) -> None:
        """Scrapes every ``interval_s`` (the first after FIRST_DURING_S) until cancelled."""
        await asyncio.sleep(min(FIRST_DURING_S, self.config.interval_s))
        while True:
            started = time.perf_counter()
            await self.scrape("during")
            await asyncio.sleep(max(0.0, self.config.interval_s - (time.perf_counter() - started)))

    def warnings(self) -> list[str]:
        return [w for w in (ep.warning() for ep in self.endpoints) if w]

    def report(self, origin: float) -> dict[str, Any]:
        """The ``server`` section; ``origin`` is the run's start (perf_counter)."""
        return {
            "version_set": self.config.version_set,
            "interval_s": self.config.interval_s,
            "endpoints": [self._endpoint_report(ep, origin) for ep in self.endpoints],
            "warnings": self.warnings(),
        }

    def _endpoint_report(self, endpoint: Endpoint, origin: float) -> dict[str, Any]:
        phases = [s.phase for s in endpoint.scrapes]
        out: dict[str, Any] = {
            "url": public_url(endpoint.url),
            "scrapes": {"ok": len(endpoint.scrapes), "failed": endpoint.failures,
                        "before": "before" in phases, "during": phases.count("during"), "after": "after" in phases},
            "quantities": {},
        }
        for q in QUANTITIES:
            out["quantities"][q.key] = _quantity(q, q.series(self.config.version_set), endpoint.scrapes, origin)
        return out


def _combined(q: Quantity, values: dict[tuple[tuple[str, str], ...], float]) -> float | None:
    finite = [v for v in values.values() if not math.isnan(v)]
    if not finite:
        return None
    return sum(finite) if q.combine == SUM else max(finite)


def _quantity(q: Quantity, names: tuple[str, ...], scrapes: list[Scrape], origin: float) -> dict[str, Any]:
    row: dict[str, Any] = {"title": q.title, "kind": q.kind, "fraction": q.fraction, "looked_for": list(names),
                           "series": {}}
    for name in names:
        seen = [s for s in scrapes if name in s.samples]
        if not seen:
            continue
        if q.kind == GAUGE:
            during = [(s.at - origin, _combined(q, s.samples[name])) for s in seen if s.phase == "during"]
            values = [v for _, v in during if v is not None]
            row["series"][name] = {
                "samples": len(values),
                "max": max(values) if values else None,
                "mean": sum(values) / len(values) if values else None,
                "timeline": [[round(t, 3), v] for t, v in during],
            }
        else:
            first = scrapes[0].samples.get(name, {})  # the endpoint's first reading: the baseline
            label_sets = {labels for s in seen for labels in s.samples[name]}
            total = 0.0
            for labels in label_sets:  # a series absent from the first reading started from 0 since
                readings = [] if labels in first else [0.0]
                readings += [s.samples[name][labels] for s in seen if labels in s.samples[name]]
                total += increase([v for v in readings if not math.isnan(v)])
            row["series"][name] = {"increase": total, "from_before": scrapes[0].phase == "before",
                                   "to_after": scrapes[-1].phase == "after"}
    row["exposed"] = bool(row["series"])
    return row


def summary_lines(server: dict[str, Any]) -> list[str]:
    """The text summary's server-side section."""
    lines = [f"Server side (llm-d version set {server['version_set']}; scraped before, every "
             f"{server['interval_s']:g} s during, and after the run):"]
    for ep in server["endpoints"]:
        sc = ep["scrapes"]
        lines.append(f"  {ep['url']}: {sc['ok']} scrapes ({sc['during']} during the run), {sc['failed']} failed")
        if not sc["ok"]:
            continue
        for q in ep["quantities"].values():
            if not q["exposed"]:
                lines.append(f"    {q['title']:<18} not exposed ({', '.join(q['looked_for']) or 'no such series'})")
                continue
            for name, s in q["series"].items():
                lines.append(f"    {q['title']:<18} {_cells(q, s):<34} {name}")
    lines.extend(f"  warning: {w}" for w in server["warnings"])
    return lines


def _cells(q: dict[str, Any], s: dict[str, Any]) -> str:
    if q["kind"] == COUNTER:
        partial = "" if s["from_before"] and s["to_after"] else " (partial: a scrape before or after failed)"
        return f"+{s['increase']:g} during the run{partial}"
    if not s["samples"]:
        return "no scrape during the run"
    if q["fraction"]:
        return f"max {s['max'] * 100:.1f} %, mean {s['mean'] * 100:.1f} %"
    return f"max {s['max']:g}, mean {s['mean']:.2f}"
