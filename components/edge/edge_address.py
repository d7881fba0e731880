from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.options import child_options


class EdgeAddress(pulumi.ComponentResource):
    """The global static IPv4 address of the public gateway (the Endpoints hostname points at it)."""

    def __init__(
        self,
        name: str,
        project: str,
        address_name: str,
        labels: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:edge:EdgeAddress", name, None, opts)
        self.address = gcp.compute.GlobalAddress(
            "ip",
            project=project,
            name=address_name,
            address_type="EXTERNAL",
            ip_version="IPV4",
            description="Public address of the llm-d chat gateway",
            labels=labels,
            opts=child_options(self, opts),
        )
        self.name: pulumi.Output[str] = self.address.name
        self.ip: pulumi.Output[str] = self.address.address
        self.register_outputs({"name": self.name, "ip": self.ip})
