"""The Gateway API and InferencePool CRDs on a cluster that does not manage them (an existing Istio cluster).

GKE installs both itself from the version floor in stacks/versions.py on; Istio installs neither, and the
inferencepool chart ships none, so without them the release fails on the InferencePool kind and the gateway on
Gateway/HTTPRoute. The manifests are the upstream release files at the pinned versions.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options
from stacks.versions import CrdBundle


def _retain(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
    # Deleting a CRD deletes every object of its kind in the cluster, other teams' included: `pulumi destroy`
    # leaves the definitions (and only them) in place.
    return pulumi.ResourceTransformResult(
        props=args.props, opts=pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(retain_on_delete=True))
    )


class ClusterCrds(pulumi.ComponentResource):
    def __init__(self, name: str, bundles: tuple[CrdBundle, ...], opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:ClusterCrds", name, None, opts)
        child = child_options(self, opts)
        self.files = [
            k8s.yaml.v2.ConfigFile(
                bundle.name,
                file=bundle.url,
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(transforms=[_retain])),
            )
            for bundle in bundles
        ]
        self.register_outputs({"versions": {b.name: b.version for b in bundles}})
