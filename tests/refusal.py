"""The shared check for bad config: the program refuses it before any resource, naming the key and a fix."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plan.runner import PlanError, run_plan

BASE: dict[str, Any] = {"gcp:project": "my-project-1", "gcp:region": "us-central1"}


def assert_refused(stack: str, config: dict[str, Any], key: str, fix: str) -> str:
    """Plan `stack` with BASE + `config`; return the whole error after checking the line for `key`."""
    with pytest.raises(PlanError) as caught:
        run_plan(stack, {**BASE, **config})
    message = str(caught.value)
    line = next((line for line in message.splitlines() if line.strip().startswith(f"- {key} ")), None)
    assert line is not None, message
    assert "Fix:" in line and fix in line, line
    assert "nothing was created" in message
    assert caught.value.registered == 0
    return message


def problems_of(stack: str, config: dict[str, Any], secret_keys: set[str] | None = None) -> list[Any]:
    """The problems load_settings finds in BASE + `config` (objects as JSON text, as Pulumi passes them)."""
    from config import ConfigError, load_settings

    raw = {k: v if isinstance(v, str) or v is None else json.dumps(v) for k, v in {**BASE, **config}.items()}
    with pytest.raises(ConfigError) as caught:
        load_settings(raw, stack, secret_keys)
    return list(caught.value.problems)


def assert_config_refused(stack: str, config: dict[str, Any], key: str, fix: str) -> str:
    """Like assert_refused, without running the program: the ConfigError's text, after checking `key`'s line."""
    from config import ConfigError, load_settings

    raw = {k: v if isinstance(v, str) or v is None else json.dumps(v) for k, v in {**BASE, **config}.items()}
    with pytest.raises(ConfigError) as caught:
        load_settings(raw, stack)
    message = str(caught.value)
    line = next((line for line in message.splitlines() if line.strip().startswith(f"- {key} ")), None)
    assert line is not None, message
    assert "Fix:" in line and fix in line, line
    return message
