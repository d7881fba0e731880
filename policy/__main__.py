"""CrossGuard policy pack: `pulumi preview --policy-pack policy` runs the same rules as the tests."""

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from rules import RESOURCE_RULES, STACK_RULES, Resource, ResourceRule, StackRule


def resource_policy(rule: ResourceRule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation) -> None:
        for message in rule(Resource(args.resource_type, args.name, dict(args.props))):
            report_violation(message)

    return ResourceValidationPolicy(
        name=rule.__name__.replace("_", "-"), description=rule.__doc__ or "", validate=validate
    )


def stack_policy(rule: StackRule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation) -> None:
        resources = [Resource(r.resource_type, r.name, dict(r.props)) for r in args.resources]
        for message in rule(resources):
            report_violation(message)

    return StackValidationPolicy(
        name=rule.__name__.replace("_", "-"), description=rule.__doc__ or "", validate=validate
    )


PolicyPack(
    name="llmd-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[*map(resource_policy, RESOURCE_RULES), *map(stack_policy, STACK_RULES)],
)
