from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s

from components.options import child_options


def kubeconfig(cluster_name: str, server: str, ca_certificate: str | None) -> str:
    """A kubeconfig that authenticates through gke-gcloud-auth-plugin (short-lived tokens, refreshed)."""
    cluster: dict[str, str] = {"server": server}
    if ca_certificate:
        cluster["certificate-authority-data"] = ca_certificate
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": cluster_name, "cluster": cluster}],
            "users": [
                {
                    "name": cluster_name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "gke-gcloud-auth-plugin",
                            "installHint": "gcloud components install gke-gcloud-auth-plugin",
                            "provideClusterInfo": True,
                            "interactiveMode": "Never",
                        }
                    },
                }
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
            "current-context": cluster_name,
        }
    )


class ClusterAccess(pulumi.ComponentResource):
    """The Kubernetes provider every in-cluster object of the next layers uses."""

    def __init__(
        self,
        name: str,
        cluster_name: pulumi.Input[str],
        api_endpoint: str,
        endpoint: pulumi.Input[str],
        dns_endpoint: pulumi.Input[str | None],
        ca_certificate: pulumi.Input[str | None],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:platform:ClusterAccess", name, None, opts)
        config: pulumi.Output[str]
        if api_endpoint == "dns":
            # The DNS endpoint presents a publicly trusted certificate and is authorised by IAM.
            config = pulumi.Output.all(cluster_name, dns_endpoint).apply(
                lambda v: kubeconfig(v[0], f"https://{v[1]}", None)
            )
        else:
            config = pulumi.Output.all(cluster_name, endpoint, ca_certificate).apply(
                lambda v: kubeconfig(v[0], f"https://{v[1]}", v[2])
            )
        self.kubeconfig: pulumi.Output[str] = pulumi.Output.secret(config)
        self.provider = k8s.Provider(
            "gke",
            kubeconfig=self.kubeconfig,
            # A stable identity: a new endpoint or token must not replace every object on this provider.
            cluster_identifier=cluster_name,
            enable_server_side_apply=True,
            delete_unreachable=False,
            opts=child_options(self, opts),
        )
        self.register_outputs({})
