"""Project roles for a Kubernetes service account, granted to its Workload Identity principal (no Google service
account, no key): what the metrics readers of the autoscaling engines (the metrics adapter, KEDA) need."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from components.serving.hf_token import workload_identity_principal


def workload_identity_grants(
    name: str,
    project: str,
    project_number: pulumi.Input[str],
    namespace: str,
    service_account: str,
    roles: Sequence[str],
    opts: pulumi.ResourceOptions,
) -> list[gcp.projects.IAMMember]:
    """One IAMMember per role, named `<name>-<role's last part>`."""
    principal = pulumi.Output.from_input(project_number).apply(
        lambda n: workload_identity_principal(n, project, namespace, service_account)
    )
    return [
        gcp.projects.IAMMember(
            f"{name}-{role.rsplit('/', 1)[-1].replace('.', '-')}",
            project=project,
            role=role,
            member=principal,
            opts=opts,
        )
        for role in roles
    ]
