"""make bench-plan: the offline plan's wall time per stack against a bare process that only imports
the modules the program uses. Prints a table and the median ratio (target <= 1.3)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from plan.runner import PROJECT_DIR, stack_names

RUNS = 3

_DISCOVER = """
import json, sys
from plan.runner import plan_stack
plan_stack({stack!r})
own = ("plan", "config", "components", "stacks", "__main__")
used = sorted(m for m in sys.modules if m.split(".")[0] not in own and not m.startswith("_"))
print(json.dumps(used))
"""


BARE_IMPORTS = """
import importlib
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
"""


def _wall(args: list[str]) -> float:
    best = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL)
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def _modules_used(stack: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _DISCOVER.format(stack=stack)],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    print(f"{'stack':<20} {'plan s':>8} {'imports s':>10} {'ratio':>6}   (median of {RUNS} runs each)")
    ratios = []
    for stack in stack_names():
        modules = _modules_used(stack)
        plan_s = _wall([sys.executable, "-m", "plan", "--stack", stack, "--format", "json"])
        bare = BARE_IMPORTS.format(modules=modules)
        bare_s = _wall([sys.executable, "-c", bare])
        ratios.append(plan_s / bare_s)
        print(f"{stack:<20} {plan_s:>8.2f} {bare_s:>10.2f} {plan_s / bare_s:>6.2f}")
    median = statistics.median(ratios)
    print(f"median ratio {median:.2f} (target <= 1.3): {'met' if median <= 1.3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
