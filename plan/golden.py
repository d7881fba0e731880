"""Golden plans: a sanitised snapshot of every stack's offline plan under tests/golden/.

`make golden` (python -m plan.golden) rewrites them; tests/test_golden_plans.py compares every run against them,
so a change shows exactly which resources and inputs moved, and regenerating is one command and a reviewed diff.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from components.edge.frontend_image import source_hash
from plan.runner import plan_stack, stack_names

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"


def sanitised(document: dict[str, Any]) -> dict[str, Any]:
    """The plan without what changes on its own: the chat image's source hash follows frontend/'s files."""
    text = json.dumps(document, indent=2, sort_keys=True)
    text = re.sub(re.escape(source_hash()), "<frontend-source-hash>", text)
    result: dict[str, Any] = json.loads(text)
    return result


def golden_path(stack: str) -> Path:
    return GOLDEN_DIR / f"{stack}.json"


def render(stack: str) -> str:
    return json.dumps(sanitised(plan_stack(stack).document()), indent=2, sort_keys=True) + "\n"


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for stack in stack_names():
        golden_path(stack).write_text(render(stack))
        sys.stdout.write(f"wrote tests/golden/{stack}.json\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
