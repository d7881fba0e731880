"""Run the Pulumi program offline for one stack config and collect the plan document."""

from __future__ import annotations

import asyncio
import json
import logging
import runpy
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import run_in_stack
from pulumi.runtime import settings as runtime_settings

from config import ConfigError, load_settings
from config.serving import CONTEXT_PLACEHOLDER
from config.stackfile import read_stack_file
from plan.estimates import estimates
from plan.mocks import PlanMocks, RecordingMonitor, Registration

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLACEHOLDER_PROJECT = "example-project"
SECRET_PLACEHOLDER = "offline-plan-placeholder"
PLACEHOLDER_CONTEXT = "example-context"


class PlanError(Exception):
    """The program refused the config; `registered` counts resources created before it stopped."""

    def __init__(self, message: str, registered: int) -> None:
        super().__init__(message)
        self.registered = registered


@dataclass
class Plan:
    stack: str
    registrations: list[Registration]
    outputs: dict[str, Any]
    notices: list[str] = field(default_factory=list)
    estimates: dict[str, Any] = field(default_factory=dict)

    def ordered(self) -> list[Registration]:
        """Parents before children, siblings by type then name: the same order on every run."""
        children: dict[str, list[Registration]] = {}
        urns = {r.urn for r in self.registrations}
        for r in self.registrations:
            children.setdefault(r.parent if r.parent in urns else "", []).append(r)
        ordered: list[Registration] = []

        def visit(parent: str) -> None:
            for r in sorted(children.get(parent, []), key=lambda r: (r.type, r.name)):
                ordered.append(r)
                visit(r.urn)

        visit("")
        return ordered

    def document(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "resources": [
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "parent": r.parent,
                    "provider": r.provider,
                    "dependencies": r.dependencies,
                    "inputs": r.inputs,
                    **({"options": r.options()} if r.options() else {}),
                }
                for r in self.ordered()
            ],
            "outputs": self.outputs,
            "notices": self.notices,
            "estimates": self.estimates,
        }


def _flatten(config: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Pulumi's config map: objects as JSON text, `secure:` values replaced by a secret placeholder."""
    flat: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in (config or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            flat[key] = SECRET_PLACEHOLDER
            secret_keys.append(key)
        elif isinstance(value, (dict, list)):
            flat[key] = json.dumps(value)
        elif isinstance(value, bool):
            flat[key] = "true" if value else "false"
        else:
            flat[key] = str(value)
    return flat, secret_keys


def _project() -> tuple[str, dict[str, str]]:
    project = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())
    defaults = {
        key: str(spec["default"])
        for key, spec in (project.get("config") or {}).items()
        if isinstance(spec, dict) and "default" in spec
    }
    return project["name"], defaults


def stack_file(stack: str) -> Path:
    return PROJECT_DIR / f"Pulumi.{stack}.yaml"


def stack_names() -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))


def load_config_file(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a stack file; any problem with the file itself is a `PlanError` naming it."""
    try:
        return read_stack_file(path).config
    except ConfigError as error:
        raise PlanError(str(error), 0) from None


def _event_loop() -> asyncio.AbstractEventLoop:
    """The thread's event loop, which the SDK's outputs also use (one is made on first use, as the SDK does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            return loop


def _run_program() -> None:
    runpy.run_path(str(PROJECT_DIR / "__main__.py"), run_name="__main__")


class _NoticeLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def offline_stand_ins(config: dict[str, Any], notices: list[str]) -> dict[str, Any]:
    """What a stack file leaves for the user to fill in, replaced so the plan renders (a real deploy refuses it)."""
    existing = config.get("llmd:existingCluster")
    if isinstance(existing, dict) and existing.get("context") == CONTEXT_PLACEHOLDER:
        notices.append(
            f"llmd:existingCluster.context is the placeholder {CONTEXT_PLACEHOLDER}; planned with "
            f"'{PLACEHOLDER_CONTEXT}' (pulumi up refuses it until you set yours)"
        )
        return {**config, "llmd:existingCluster": {**existing, "context": PLACEHOLDER_CONTEXT}}
    return config


def run_plan(stack: str, config: dict[str, Any], *, stand_ins: bool = True) -> Plan:
    """Run __main__.py for `stack` with `config` (the `config:` mapping of a stack file) under mocks.

    With `stand_ins`, placeholders a stack file leaves for the user are replaced (with a notice) so the plan
    renders; without, the program sees them as `pulumi up` would.
    """
    project, defaults = _project()
    notices: list[str] = []
    if stand_ins:
        config = offline_stand_ins(config, notices)
    flat, secret_keys = _flatten(config)
    if "gcp:project" not in flat and "llmd:existingCluster" not in flat:
        flat["gcp:project"] = PLACEHOLDER_PROJECT
        notices.append(f"gcp:project is not set; planned with the placeholder '{PLACEHOLDER_PROJECT}'")
    full_config = {**defaults, **flat}
    runtime_config.set_all_config(full_config, secret_keys)

    notice_log = _NoticeLog()
    logger = logging.getLogger(f"llmd.plan.{stack}")
    logger.propagate = False
    logger.handlers = [notice_log]
    mocks = PlanMocks()
    monitor = RecordingMonitor(mocks)
    pulumi_mocks.set_mocks(mocks, project=project, stack=stack, preview=True, logger=logger, monitor=monitor)
    # set_mocks makes a root stack of its own; the program runs in a fresh one whose outputs we record.
    runtime_settings.ROOT.set(None)
    try:
        _event_loop().run_until_complete(run_in_stack(_run_program))
    except pulumi.RunError as error:
        raise PlanError(str(error), len(monitor.registrations)) from None
    settings = load_settings(full_config, stack)
    return Plan(
        stack,
        monitor.registrations,
        monitor.stack_outputs,
        notices + notice_log.messages,
        estimates(monitor.registrations, settings),
    )


def plan_stack(stack: str) -> Plan:
    path = stack_file(stack)
    if not path.exists():
        raise PlanError(f"no stack '{stack}': expected {path.name}; stacks: {', '.join(stack_names())}", 0)
    return run_plan(stack, load_config_file(path))
