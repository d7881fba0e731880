from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from components.options import child_options


class NodeServiceAccount(pulumi.ComponentResource):
    """A dedicated least-privilege service account for GKE nodes."""

    def __init__(
        self,
        name: str,
        project: str,
        account_id: str,
        roles: Sequence[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:platform:NodeServiceAccount", name, None, opts)
        child = child_options(self, opts)
        self.account = gcp.serviceaccount.Account(
            "nodes",
            project=project,
            account_id=account_id,
            display_name=f"GKE nodes of {account_id}",
            opts=child,
        )
        self.email = self.account.email
        member = self.account.email.apply(lambda email: f"serviceAccount:{email}")
        self.bindings = [
            gcp.projects.IAMMember(
                role.removeprefix("roles/").replace(".", "-"), project=project, role=role, member=member, opts=child
            )
            for role in roles
        ]
        self.register_outputs({"email": self.email})
