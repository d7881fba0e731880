"""What an update would do: two offline plans of one stack compared resource by resource.

Each resource is created, updated, replaced, deleted or left alone. Which changed inputs force a
replacement is data (stacks/replacement.py, read from the providers' schemas). A replaced resource's
outputs are unknown until it exists again, so every input that came from it counts as changed, as in a
real preview; a replaced provider replaces everything it manages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from plan.mocks import Registration
from stacks.replacement import ReplaceRule, rule_for

CREATE, UPDATE, REPLACE, DELETE = "create", "update", "replace", "delete"
SYMBOLS = {CREATE: "+", UPDATE: "~", REPLACE: "+-", DELETE: "-"}


@dataclass
class Change:
    urn: str
    type: str
    name: str
    action: str
    paths: list[str] = field(default_factory=list)  # changed inputs (for a replacement: those that force it)
    stateful: bool = False
    reason: str = ""

    def document(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "action": self.action,
            "paths": self.paths,
            "stateful": self.stateful,
            "reason": self.reason,
        }


def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths where `new` differs from `old`; list elements are compared in place, unindexed."""
    if isinstance(old, dict) and isinstance(new, dict):
        paths: list[str] = []
        for key in sorted(set(old) | set(new)):
            path = f"{prefix}.{key}" if prefix else key
            if key not in old or key not in new:
                paths.append(path)
            else:
                paths.extend(changed_paths(old[key], new[key], path))
        return paths
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        paths = []
        for a, b in zip(old, new, strict=True):
            paths.extend(p for p in changed_paths(a, b, prefix) if p not in paths)
        return paths
    return [] if old == new else [prefix]


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + ".")


def forces_replacement(path: str, rule: ReplaceRule | None, replace_on_changes: Iterable[str] = ()) -> bool:
    """Whether a change at `path` replaces the resource. A coarse path (a whole unknown input) counts when any
    replace-on path lies inside it."""
    roots = [*(rule.replace_on if rule else ()), *replace_on_changes]
    exceptions = rule.update_in_place if rule else ()
    if any(_under(path, exception) for exception in exceptions):
        return False
    return any(_under(path, root) or (root.startswith(path + ".") and root not in exceptions) for root in roots)


def provider_urn(reference: str) -> str:
    """A provider reference is `<urn>::<id>`; the URN itself contains `::`."""
    return reference.rsplit("::", 1)[0] if reference else ""


def diff(base: list[Registration], new: list[Registration]) -> list[Change]:
    before = {r.urn: r for r in base if r.custom}
    replaced: set[str] = set()
    changes: list[Change] = []
    for resource in (r for r in new if r.custom):
        rule = rule_for(resource.type)
        stateful = bool(rule and rule.stateful)
        old = before.pop(resource.urn, None)
        if old is None:
            changes.append(Change(resource.urn, resource.type, resource.name, CREATE, stateful=stateful))
            continue
        ignored = resource.ignore_changes
        paths = [p for p in changed_paths(old.inputs, resource.inputs) if not any(_under(p, i) for i in ignored)]
        reason = ""
        for prop, urns in resource.property_dependencies.items():
            if set(urns) & replaced and prop not in paths and not any(_under(prop, i) for i in ignored):
                paths.append(prop)
                reason = "an input comes from a replaced resource"
        forcing = [p for p in paths if forces_replacement(p, rule, resource.replace_on_changes)]
        if provider_urn(resource.provider) in replaced:
            forcing, reason = forcing or ["(provider)"], "its provider is replaced"
        if forcing:
            replaced.add(resource.urn)
            changes.append(Change(resource.urn, resource.type, resource.name, REPLACE, forcing, stateful, reason))
        elif paths:
            changes.append(Change(resource.urn, resource.type, resource.name, UPDATE, paths, stateful, reason))
    for old in before.values():
        rule = rule_for(old.type)
        changes.append(Change(old.urn, old.type, old.name, DELETE, stateful=bool(rule and rule.stateful)))
    return changes


@dataclass
class PlanDiff:
    stack: str
    changes: list[Change]
    unchanged: int

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]


def diff_configs(stack: str, base_config: dict[str, Any], new_config: dict[str, Any]) -> PlanDiff:
    """Plan `stack` with each config and compare: what updating a stack deployed with the first would do."""
    from plan.runner import run_plan

    before, after = run_plan(stack, base_config), run_plan(stack, new_config)
    changes = diff(before.registrations, after.registrations)
    touched = {c.urn for c in changes}
    unchanged = sum(1 for r in after.registrations if r.custom and r.urn not in touched)
    return PlanDiff(stack, changes, unchanged)


def missing_rules(registrations: Iterable[Registration]) -> set[str]:
    """Resource types the replacement table does not describe (their changes would be guessed as updates)."""
    return {r.type for r in registrations if r.custom and rule_for(r.type) is None}


def render(stack: str, base_label: str, new_label: str, changes: list[Change], unchanged: int) -> str:
    counts = {action: sum(1 for c in changes if c.action == action) for action in SYMBOLS}
    risky = [c for c in changes if c.stateful and c.action in (REPLACE, DELETE)]
    width = max((len(c.type) for c in changes), default=10)
    lines = [f"plan-diff {stack}: {base_label} -> {new_label}", ""]
    for change in changes:
        mark = "  !! replaces a stateful or name-bearing resource" if change in risky else ""
        detail = ", ".join(change.paths)
        lines.append(f"  {SYMBOLS[change.action]:<2} {change.action:<8} {change.type:<{width}}  {change.name}{mark}")
        if detail:
            lines.append(f"       {'forced by' if change.action == REPLACE else 'changed'}: {detail}")
        if change.reason:
            lines.append(f"       because {change.reason}")
    lines += [
        "",
        f"{counts[CREATE]} to create, {counts[UPDATE]} to update, {counts[REPLACE]} to replace, "
        f"{counts[DELETE]} to delete, {unchanged} unchanged",
    ]
    if risky:
        lines.append(
            f"WARNING: {len(risky)} stateful or name-bearing resource(s) would be replaced or deleted: "
            + ", ".join(f"{c.type} {c.name}" for c in risky)
        )
    return "\n".join(lines) + "\n"
