"""make plan STACK=<name> [FORMAT=json] [CONFIG=<Pulumi.<stack>.yaml>]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plan.render import table
from plan.runner import PlanError, load_config_file, plan_stack, run_plan


def _stack_from_path(path: Path) -> str:
    name = path.name
    if name.startswith("Pulumi.") and name.endswith((".yaml", ".yml")):
        return name.split(".", 1)[1].rsplit(".", 1)[0]
    return path.stem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plan", description="Offline plan of a stack: no CLI, cloud or network.")
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--config", type=Path, help="a stack config file in Pulumi.<stack>.yaml format")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    try:
        if args.config:
            if not args.config.is_file():
                raise PlanError(f"config file not found: {args.config}", 0)
            plan = run_plan(_stack_from_path(args.config), load_config_file(args.config))
        else:
            plan = plan_stack(args.stack)
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(plan.document(), sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
