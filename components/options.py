from __future__ import annotations

import pulumi


def child_options(parent: pulumi.Resource, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """Options for a component's children: parented to it and waiting for what the component waits for.

    Pulumi does not pass a component's depends_on to its children, so without this a VPC would not wait
    for the Compute API it needs.
    """
    return pulumi.ResourceOptions(parent=parent, depends_on=opts.depends_on if opts else None)
