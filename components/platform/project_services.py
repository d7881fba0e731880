from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from components.options import child_options


class ProjectServices(pulumi.ComponentResource):
    """Enables the project APIs the platform needs; destroy leaves them enabled for other users."""

    def __init__(self, name: str, project: str, services: Sequence[str], opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:platform:ProjectServices", name, None, opts)
        child = child_options(self, opts)
        self.services = [
            gcp.projects.Service(
                service.split(".")[0],
                project=project,
                service=service,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=child,
            )
            for service in services
        ]
        self.register_outputs({"services": [s.service for s in self.services]})
