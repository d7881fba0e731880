from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options


class LlmdNamespace(pulumi.ComponentResource):
    """The namespace of the stack's llm-d objects; every other serving object lives in it."""

    def __init__(self, name: str, namespace: str, labels: dict[str, str], opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:Namespace", name, None, opts)
        self.namespace = k8s.core.v1.Namespace(
            "namespace",
            metadata={"name": namespace, "labels": labels},
            opts=child_options(self, opts),
        )
        # An Output, so everything placed in the namespace waits for it (and is deleted before it).
        self.name: pulumi.Output[str] = self.namespace.metadata.apply(lambda m: m.name or namespace)
        self.register_outputs({"name": self.name})
