"""make plan STACK=<name> [FORMAT=json] [CONFIG=<Pulumi.<stack>.yaml>]
make plan-diff BASE=<stack or config file> CONFIG=<changed config file> [FORMAT=json]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from config.errors import ConfigError, with_lines
from config.stackfile import read_stack_file
from plan.diff import diff_configs, render
from plan.render import table
from plan.runner import PlanError, load_config_file, plan_stack, run_plan, stack_file


def _stack_from_path(path: Path) -> str:
    name = path.name
    if name.startswith("Pulumi.") and name.endswith((".yaml", ".yml")):
        return name.split(".", 1)[1].rsplit(".", 1)[0]
    return path.stem


def _config_of(path: Path) -> dict:
    if not path.is_file():
        raise PlanError(f"config file not found: {path}", 0)
    return load_config_file(path)


def _base(base: str) -> tuple[str, dict, str]:
    """A stack name or a config file: (stack, config, label)."""
    path = Path(base)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _stack_from_path(path), _config_of(path), str(path)
    if not stack_file(base).exists():
        plan_stack(base)  # raises the "no stack" error with the list of stacks
    return base, load_config_file(stack_file(base)), stack_file(base).name


def _diff(base: str, changed: Path, output: str) -> int:
    stack, base_config, base_label = _base(base)
    # Both plans under the base's stack name: the diff is "this stack, updated with that config".
    result = diff_configs(stack, base_config, _config_of(changed))
    if output == "json":
        document = {
            "stack": stack,
            "base": base_label,
            "changed": str(changed),
            "changes": [c.document() for c in result.changes],
            "unchanged": result.unchanged,
        }
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(stack, base_label, str(changed), result.changes, result.unchanged))
    return 0


def _located(message: str, path: Path | None) -> str:
    """The program's config problems with the stack file's name and the line of each key, where known."""
    if path is None or not path.is_file():
        return message
    try:
        lines = read_stack_file(path)
    except ConfigError:
        return message  # the file's own problems already name it and their lines
    return with_lines(message, path.name, lines.line_of)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plan", description="Offline plan of a stack: no CLI, cloud or network.")
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--config", type=Path, help="a stack config file in Pulumi.<stack>.yaml format")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--diff-base",
        metavar="STACK_OR_FILE",
        help="compare --config against this stack (or config file): what `pulumi up` would create, update, "
        "replace or delete",
    )
    args = parser.parse_args(argv)
    source: Path | None = None
    try:
        if args.diff_base:
            if not args.config:
                raise PlanError("--diff-base needs --config <changed config file> (make plan-diff CONFIG=...)", 0)
            source = args.config
            return _diff(args.diff_base, args.config, args.format)
        if args.config:
            source = args.config
            plan = run_plan(_stack_from_path(args.config), _config_of(args.config))
        else:
            source = stack_file(args.stack)
            plan = plan_stack(args.stack)
    except PlanError as error:
        print(f"error: {_located(str(error), source)}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(plan.document(), sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
