"""A Google-managed TLS certificate for the chat hostname, through Certificate Manager.

Certificate Manager (not the classic compute ManagedSslCertificate): the GKE Gateway attaches it through
the `networking.gke.io/certmap` annotation, its resources carry labels, and load balancer authorization
needs no DNS records we could not create in cloud.goog. The certificate provisions (up to ~60 min) once
the Endpoints name resolves to the gateway's address and the gateway serves the map.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.options import child_options


class ManagedCertificate(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        project: str,
        resource_name: str,
        host: pulumi.Input[str],
        labels: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:edge:ManagedCertificate", name, None, opts)
        child = child_options(self, opts)
        self.certificate = gcp.certificatemanager.Certificate(
            "certificate",
            project=project,
            name=resource_name,
            location="global",
            scope="DEFAULT",
            description="Google-managed certificate of the llm-d chat hostname",
            managed={"domains": [host]},
            labels=labels,
            opts=child,
        )
        self.map = gcp.certificatemanager.CertificateMap(
            "map",
            project=project,
            name=resource_name,
            description="Certificates of the llm-d chat gateway",
            labels=labels,
            opts=child,
        )
        self.entry = gcp.certificatemanager.CertificateMapEntry(
            "entry",
            project=project,
            name=resource_name,
            map=self.map.name,
            hostname=host,
            certificates=[self.certificate.id],
            labels=labels,
            opts=child,
        )
        # Read through the entry, so whoever uses the map name waits for the map to hold the certificate.
        self.map_name: pulumi.Output[str] = pulumi.Output.all(self.map.name, self.entry.id).apply(lambda v: v[0])
        self.register_outputs({"mapName": self.map_name})
