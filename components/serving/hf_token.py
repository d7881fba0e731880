"""The Hugging Face token: from a Pulumi secret to the model server pods, never in plain text.

On GKE the token is a Secret Manager secret version; only the model servers' Workload Identity principals
may read that one secret, and the pods mount it through GKE's Secret Manager add-on (a CSI volume of
in-memory files): no Kubernetes Secret holds it. On an existing cluster (no GCP) it is a Kubernetes
Secret with key HF_TOKEN, which the modelservice chart passes as the HF_TOKEN variable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from components.options import child_options
from stacks.serving import HF_TOKEN_DIR, HF_TOKEN_FILE, HF_TOKEN_SECRET_KEY, SECRET_MANAGER_CSI_DRIVER

TOKEN_NAME = "hf-token"


@dataclass(frozen=True)
class HfTokenMount:
    """How a model server pod receives the token."""

    volumes: list[dict[str, Any]] = field(default_factory=list)
    volume_mounts: list[dict[str, Any]] = field(default_factory=list)
    token_file: str | None = None  # read into HF_TOKEN by the container's start script
    auth_secret_name: str | None = None  # modelservice modelArtifacts.authSecretName


NO_TOKEN = HfTokenMount()


def _principal(project: str, namespace: str, service_account: str, project_number: str) -> str:
    return workload_identity_principal(project_number, project, namespace, service_account)


def workload_identity_principal(project_number: str, project: str, namespace: str, service_account: str) -> str:
    return (
        f"principal://iam.googleapis.com/projects/{project_number}/locations/global/workloadIdentityPools/"
        f"{project}.svc.id.goog/subject/ns/{namespace}/sa/{service_account}"
    )


@dataclass(frozen=True)
class SecretManagerHfTokenArgs:
    project: str
    project_number: pulumi.Input[str]
    secret_id: str
    token: pulumi.Output[str]
    namespace: pulumi.Input[str]
    namespace_name: str  # the same namespace as a plain string, for the IAM principal
    service_accounts: Sequence[str]  # the model servers' Kubernetes service accounts
    labels: dict[str, str]


class SecretManagerHfToken(pulumi.ComponentResource):
    def __init__(self, name: str, args: SecretManagerHfTokenArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:SecretManagerHfToken", name, None, opts)
        child = child_options(self, opts)
        self.secret = gcp.secretmanager.Secret(
            "hf-token",
            project=args.project,
            secret_id=args.secret_id,
            labels=args.labels,
            replication={"auto": {}},
            opts=child,
        )
        self.version = gcp.secretmanager.SecretVersion(
            "hf-token",
            secret=self.secret.id,
            secret_data=pulumi.Output.secret(args.token),  # type: ignore[arg-type]
            opts=child,
        )
        number = pulumi.Output.from_input(args.project_number)
        # secretAccessor on this secret only, for the model servers' own principals (not project-wide).
        self.accessors = [
            gcp.secretmanager.SecretIamMember(
                f"hf-token-{account}",
                project=args.project,
                secret_id=self.secret.secret_id,
                role="roles/secretmanager.secretAccessor",
                member=number.apply(partial(_principal, args.project, args.namespace_name, account)),
                opts=child,
            )
            for account in args.service_accounts
        ]
        secrets = (
            f'- resourceName: "projects/{args.project}/secrets/{args.secret_id}/versions/latest"\n'
            f'  path: "{HF_TOKEN_FILE}"\n'
        )
        self.provider_class = k8s.apiextensions.CustomResource(
            "hf-token",
            api_version="secrets-store.csi.x-k8s.io/v1",
            kind="SecretProviderClass",
            metadata={"name": TOKEN_NAME, "namespace": args.namespace},
            spec={"provider": "gke", "parameters": {"secrets": secrets}},
            opts=child,
        )
        self.mount = HfTokenMount(
            volumes=[
                {
                    "name": TOKEN_NAME,
                    "csi": {
                        "driver": SECRET_MANAGER_CSI_DRIVER,
                        "readOnly": True,
                        "volumeAttributes": {"secretProviderClass": TOKEN_NAME},
                    },
                }
            ],
            volume_mounts=[{"name": TOKEN_NAME, "mountPath": HF_TOKEN_DIR, "readOnly": True}],
            token_file=f"{HF_TOKEN_DIR}/{HF_TOKEN_FILE}",
        )
        # The model servers start only once they may read a version that exists.
        self.ready: list[pulumi.Resource] = [self.version, self.provider_class, *self.accessors]
        self.register_outputs({"secretId": self.secret.secret_id})


class KubernetesHfToken(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        namespace: pulumi.Input[str],
        token: pulumi.Output[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("llmd:serving:KubernetesHfToken", name, None, opts)
        self.secret = k8s.core.v1.Secret(
            "hf-token",
            metadata={"name": TOKEN_NAME, "namespace": namespace},
            type="Opaque",
            string_data={HF_TOKEN_SECRET_KEY: pulumi.Output.secret(token)},  # type: ignore[arg-type]
            opts=child_options(self, opts),
        )
        self.mount = HfTokenMount(auth_secret_name=TOKEN_NAME)
        self.ready: list[pulumi.Resource] = [self.secret]
        self.register_outputs({})
