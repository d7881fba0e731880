from __future__ import annotations

import json

import pulumi
import pulumi_gcp as gcp

from components.options import child_options
from stacks.dashboard import SCALE_TO_ZERO, SECTIONS_BY_SET, dashboard


def console_url(dashboard_id: str, project: str) -> str:
    """The Cloud Console address of a dashboard from its resource id (projects/<n>/dashboards/<id>)."""
    short_id = dashboard_id.rsplit("/", 1)[-1]
    return f"https://console.cloud.google.com/monitoring/dashboards/builder/{short_id}?project={project}"


class MonitoringDashboard(pulumi.ComponentResource):
    """The "llm-d" Cloud Monitoring dashboard of one stack (tiles from stacks/dashboard.py)."""

    def __init__(
        self,
        name: str,
        project: str,
        display_name: str,
        cluster: str,
        namespace: pulumi.Input[str],
        labels: dict[str, str],
        metrics: str = "2026-04",  # the version set's metric family (stacks/metrics.py)
        scale_to_zero: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:edge:MonitoringDashboard", name, None, opts)
        sections = SECTIONS_BY_SET[metrics] + ((SCALE_TO_ZERO,) if scale_to_zero else ())
        document = pulumi.Output.from_input(namespace).apply(
            lambda ns: json.dumps(dashboard(display_name, cluster, ns, labels, sections), sort_keys=True)
        )
        self.dashboard = gcp.monitoring.Dashboard(
            "dashboard", project=project, dashboard_json=document, opts=child_options(self, opts)
        )
        self.url: pulumi.Output[str] = self.dashboard.id.apply(lambda i: console_url(i, project))
        self.register_outputs({"url": self.url})
