"""Every stack is planned once per session, offline, through the same code as `make plan`."""

from __future__ import annotations

from typing import Any

import pytest

from plan.runner import load_config_file, plan_stack, run_plan, stack_file
from tests.planview import STACKS


@pytest.fixture(scope="session")
def plans() -> dict[str, dict[str, Any]]:
    return {stack: plan_stack(stack).document() for stack in STACKS}


# The 2026-04 version set stays a tested choice: the tests of its Helm-release shapes read these plans.
SET_2026_04 = {"llmd:versionSet": "2026-04"}


@pytest.fixture(scope="session")
def plans_2026_04() -> dict[str, dict[str, Any]]:
    return {
        stack: run_plan(stack, {**load_config_file(stack_file(stack)), **SET_2026_04}).document() for stack in STACKS
    }
