"""The readable table of a plan."""

from __future__ import annotations

from plan.runner import Plan


def table(plan: Plan) -> str:
    rows = plan.ordered()
    by_urn = {r.urn: r for r in rows}
    depth: dict[str, int] = {}
    for r in rows:
        depth[r.urn] = depth.get(r.parent, -1) + 1 if r.parent in by_urn else 0
    width = max((len(r.type) for r in rows), default=4)
    lines = [f"stack {plan.stack}: {len(rows)} resources", ""]
    lines += [f"  note: {n}" for n in plan.notices]
    lines += ["" if plan.notices else None, f"{'TYPE':<{width}}  NAME (indented under its parent)"]  # type: ignore[list-item]
    lines = [line for line in lines if line is not None]
    for r in rows:
        lines.append(f"{r.type:<{width}}  {'  ' * depth[r.urn]}{r.name}")
    e = plan.estimates
    if e:
        lines += [
            "",
            f"estimated cost: ${e['costPerHourUsd']:.2f}/hour (${e['costPerMonthUsd']}/month) serving, "
            f"${e['idleCostPerHourUsd']:.2f}/hour (${e['idleCostPerMonthUsd']}/month) idle at "
            f"{e['idleReplicas']} replica(s), ${e['parkedCostPerHourUsd']:.2f}/hour "
            f"(${e['parkedCostPerMonthUsd']}/month) with the model pool at replicas 0; {e['pricesRegion']} list "
            f"prices as of {e['pricesAsOf']}",
        ]
        zero = e.get("scaleToZero")
        if zero:
            lines.append(
                f"scale to zero: a pool idle for {zero['idleSeconds']} s stops its GPU nodes; the next request waits "
                f"for a cold start of about {zero['coldStartMinutesEstimate']} min (a GPU node, the image, the "
                f"weights, vLLM's start), for at most {zero['coldStartSeconds']} s"
            )
        lines += [
            f"estimated time to ready: {e['timeToReadyMinutes']} min (the same steps one by one: "
            f"{e['sequentialMinutes']} min); critical path:",
        ]
        lines += [f"    {urn.split('::')[-2].split('$')[-1]} {urn.split('::')[-1]}" for urn in e["criticalPath"]]
    if plan.outputs:
        lines += ["", "outputs:"]
        lines += [f"  {k}: {v}" for k, v in plan.outputs.items()]
    return "\n".join(lines) + "\n"
