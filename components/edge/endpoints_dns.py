"""Cloud Endpoints DNS: `<label>.endpoints.<project>.cloud.goog` resolving to the edge address.

A deleted Endpoints service keeps its name for 30 days, so `pulumi destroy` then `pulumi up` with the
same name fails. The label therefore ends with a random suffix (pulumi_random RandomId) that lives in the
stack's state: stable across updates, deleted by `destroy`, and new on the next `up`. Turning
`edge.randomSuffix` off keeps a fixed name; re-creating it within 30 days then needs
`gcloud endpoints services undelete <host>` first.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random
import yaml

from components.options import child_options
from config.edge import SUFFIX_HEX, endpoints_host, endpoints_label


def openapi_document(host: str, ip: str) -> str:
    """The minimal OpenAPI 2.0 document whose x-google-endpoints entry makes Endpoints serve DNS for host."""
    return yaml.safe_dump(
        {
            "swagger": "2.0",
            "info": {"title": host, "description": "DNS name of the llm-d chat", "version": "1.0.0"},
            "host": host,
            "x-google-endpoints": [{"name": host, "target": ip}],
            "paths": {},
        },
        sort_keys=False,
    )


@dataclass(frozen=True)
class EndpointsDnsArgs:
    project: str
    base: str  # the label without suffix, see config.edge.endpoints_base
    random_suffix: bool
    ip: pulumi.Input[str]


class EndpointsDns(pulumi.ComponentResource):
    def __init__(self, name: str, args: EndpointsDnsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:edge:EndpointsDns", name, None, opts)
        child = child_options(self, opts)
        label: pulumi.Output[str]
        if args.random_suffix:
            self.suffix: random.RandomId | None = random.RandomId(
                "suffix",
                byte_length=SUFFIX_HEX // 2,
                # A new base name (or project) means a new service: give it a new suffix too.
                keepers={"project": args.project, "base": args.base},
                opts=child,
            )
            label = self.suffix.hex.apply(lambda suffix: endpoints_label(args.base, suffix))
        else:
            self.suffix = None
            label = pulumi.Output.from_input(endpoints_label(args.base, None))
        host = label.apply(lambda value: endpoints_host(value, args.project))
        self.service = gcp.endpoints.Service(
            "service",
            project=args.project,
            service_name=host,
            openapi_config=pulumi.Output.all(host, args.ip).apply(lambda v: openapi_document(v[0], v[1])),
            opts=child,
        )
        # The hostname as the service reports it: whatever uses it waits for DNS to exist.
        self.host: pulumi.Output[str] = self.service.service_name
        self.register_outputs({"host": self.host})
