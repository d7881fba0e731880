"""docs/unverified.md from stacks/evidence.py: `python -m plan.evidence_doc` rewrites it, a test keeps it current."""

from __future__ import annotations

import sys
from pathlib import Path

from stacks.evidence import FACTS

DOC = Path(__file__).resolve().parent.parent / "docs" / "unverified.md"


def render() -> str:
    lines = [
        "# Facts a live deploy still has to confirm",
        "",
        "Generated from `stacks/evidence.py` by `python -m plan.evidence_doc`; do not edit by hand.",
        "Each fact is one the program relies on and no offline test can check. Watch for the symptom during the",
        "first real `pulumi up` (the acceptance test in `tests/acceptance/` exercises most of them).",
        "",
        "| fact | statement | read in | on | a live run shows it wrong by |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{f.key}` | {f.statement} | {f.source} | {f.read_on} | {f.watch} |" for f in FACTS if not f.verified]
    lines += ["", "Verified against the provider or Google's documentation:", ""]
    lines += [f"- `{f.key}`: {f.statement} ({f.source}, {f.read_on})" for f in FACTS if f.verified]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render())
    sys.stdout.write(f"wrote {DOC.relative_to(DOC.parent.parent)}\n")
