"""Every stack's plan against its golden snapshot: a refactor that moves nothing leaves these green."""

from __future__ import annotations

import difflib
import json

import pytest

from plan.golden import golden_path, sanitised
from tests.planview import STACKS


@pytest.mark.parametrize("stack", STACKS)
def test_plan_matches_its_golden_snapshot(plans, stack):
    path = golden_path(stack)
    assert path.exists(), f"no golden plan for {stack}: run make golden"
    actual = json.dumps(sanitised(plans[stack]), indent=2, sort_keys=True) + "\n"
    expected = path.read_text()
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), "golden", "now", n=2
            )
        )
        pytest.fail(f"{stack}'s plan moved (review, then `make golden`):\n{diff[:6000]}")
