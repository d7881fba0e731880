from __future__ import annotations

import re
from functools import partial

import pulumi
import pulumi_gcp as gcp

from components.options import child_options
from config.edge import AlertSettings
from stacks.alerts import rules
from stacks.dashboard import render


def prometheus_name(value: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", value)


class AlertPolicies(pulumi.ComponentResource):
    """One Cloud Monitoring alert policy per rule in stacks/alerts.py, PromQL over this stack's series."""

    def __init__(
        self,
        name: str,
        project: str,
        stack: str,
        settings: AlertSettings,
        cluster: str,
        namespace: pulumi.Input[str],
        labels: dict[str, str],
        metrics: str = "2026-04",  # the version set's metric family (stacks/metrics.py)
        cold_start_s: int = 0,  # pools that scale to zero: how long a request may wait for a pod
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:edge:AlertPolicies", name, None, opts)
        child = child_options(self, opts)
        ns = pulumi.Output.from_input(namespace)
        self.policies = [
            gcp.monitoring.AlertPolicy(
                rule.key,
                project=project,
                display_name=f"llm-d {stack}: {rule.title}",
                combiner="OR",
                severity=rule.severity,
                enabled=settings.enabled,
                conditions=[
                    gcp.monitoring.AlertPolicyConditionArgs(
                        display_name=rule.title,
                        condition_prometheus_query_language=gcp.monitoring.AlertPolicyConditionConditionPrometheusQueryLanguageArgs(
                            query=ns.apply(partial(render, rule.promql, cluster)),
                            duration=rule.duration,
                            evaluation_interval="60s",
                            # Prometheus rule names: letters, digits, underscores.
                            rule_group=prometheus_name(f"llmd_{stack}"),
                            alert_rule=prometheus_name(rule.key),
                            # Cloud Monitoring refuses a PromQL condition whose metrics do not exist yet unless
                            # this is set; no vLLM or EPP series exists when the stack is created, and an error
                            # counter appears only after the first error (stacks/api_behaviour.py).
                            disable_metric_validation=True,
                        ),
                    )
                ],
                notification_channels=list(settings.notification_channels),
                alert_strategy=gcp.monitoring.AlertPolicyAlertStrategyArgs(auto_close="1800s"),
                documentation=gcp.monitoring.AlertPolicyDocumentationArgs(
                    content=rule.runbook, mime_type="text/markdown", subject=rule.title
                ),
                user_labels=labels,
                opts=child,
            )
            for rule in rules(settings, metrics, cold_start_s)
        ]
        self.register_outputs({"policies": [p.name for p in self.policies]})
