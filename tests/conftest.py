"""Every stack is planned once per session, offline, through the same code as `make plan`."""

from __future__ import annotations

from typing import Any

import pytest

from plan.runner import plan_stack
from tests.planview import STACKS


@pytest.fixture(scope="session")
def plans() -> dict[str, dict[str, Any]]:
    return {stack: plan_stack(stack).document() for stack in STACKS}
