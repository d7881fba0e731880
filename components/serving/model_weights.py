"""Weights from Cloud Storage: a bucket, least-privilege access to it, and a Job per model and revision that copies
the model from Hugging Face to gs://<bucket>/<model>/<revision>/, which vLLM then streams (stacks/weights.py).

Who may do what, on that one bucket only, as Workload Identity principals of Kubernetes service accounts:
- the copy Jobs' service account writes (roles/storage.objectUser);
- each model server's service account reads (roles/storage.objectViewer).
On GKE the bucket is the stack's own (uniform access, public access prevention, force_destroy: `pulumi destroy`
leaves nothing behind) unless the user names one, which the program never creates nor deletes. On an existing
cluster there are no GCP resources: the user's bucket and its grants are the user's.

A Job's name carries a hash of what it copies (bucket, model, revision) and of how (image, script): a new model or
revision is a new Job, created before the old one is deleted, and it fills a new path while serving pods keep
reading the old one. A Job finds the path complete (its marker object exists) and exits at once when it runs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from components.options import child_options
from components.platform.target import GcpPlatform
from components.serving.hf_token import HfTokenMount, workload_identity_principal
from components.serving.model_service import service_account_name
from config.serving import ServedModel
from stacks.weights import (
    COMPLETE_MARKER,
    DISTRIBUTED_LOADER_CONFIG,
    DOWNLOAD_IMAGE,
    HUGGINGFACE_HUB_VERSION,
    READER_ROLE,
    RUNAI_LOAD_FORMAT,
    SKIPPED_PREFIXES,
    SKIPPED_SUFFIXES,
    WRITER_ROLE,
)

DOWNLOAD_SERVICE_ACCOUNT = "weights-download"
DEFAULT_REVISION = "main"
# The GKE platform's CPU system pool (components/platform/pools.py system_pool_args node_labels): the copy runs
# there, never on a GPU node (GPU and CPU-inference nodes are tainted, and the Job tolerates neither).
SYSTEM_POOL_SELECTOR = {"llm-d.ai/pool": "system"}
# How long one copy may take (a 70B model is ~140 GiB) before the Job fails, and how long Pulumi waits for it.
JOB_DEADLINE_S = 4 * 3600
JOB_AWAIT_S = JOB_DEADLINE_S + 600
JOB_BACKOFF_LIMIT = 3  # retries, e.g. while a fresh IAM grant propagates
WORK_DIR = "/work"
WORK_VOLUME_GIB = 60  # one file at a time (shards are at most ~10 GiB), Hugging Face's Xet cache and the library


@dataclass(frozen=True)
class GcsModelPath:
    """Where one model's revision lives in the bucket."""

    bucket: str
    model: str  # the Hugging Face id, also the name vLLM serves it under
    revision: str

    @property
    def prefix(self) -> str:
        return f"{self.model}/{self.revision}"

    @property
    def uri(self) -> str:
        return f"gs://{self.bucket}/{self.prefix}/"

    def loader_args(self, tensor_parallel_size: int) -> list[str]:
        """vLLM's flags to stream this path with the Run:ai streamer (each rank its share with TP > 1)."""
        args = ["--load-format", RUNAI_LOAD_FORMAT.value]
        if tensor_parallel_size > 1:
            args += ["--model-loader-extra-config", DISTRIBUTED_LOADER_CONFIG]
        return args


# The copy, as the container's bash script. The token (when mounted) is read into HF_TOKEN, never printed; the
# Python part copies one file at a time so the node's disk holds at most one shard, and writes the marker last.
COPY_PY = """
import json, os, subprocess, sys
from huggingface_hub import HfApi, hf_hub_download

model, revision = os.environ["MODEL"], os.environ["REVISION"]
dest = "gs://" + os.environ["BUCKET"] + "/" + os.environ["PREFIX"]
skip_suffixes = tuple(os.environ["SKIP_SUFFIXES"].split())
skip_prefixes = tuple(os.environ["SKIP_PREFIXES"].split())
info = HfApi().model_info(model, revision=revision)
files = sorted(s.rfilename for s in info.siblings or [])
keep = [f for f in files if not f.endswith(skip_suffixes) and not f.startswith(skip_prefixes)]
if not any(f.endswith(".safetensors") for f in keep):
    sys.exit(model + "@" + revision + " has no .safetensors files, the only ones the Run:ai streamer loads: "
             "set llmd:weights.source huggingface")
for name in keep:
    local = hf_hub_download(model, name, revision=info.sha, local_dir=os.environ["WORK"] + "/model")
    subprocess.run(["gcloud", "storage", "cp", local, dest + "/" + name], check=True)
    os.remove(local)
    print("copied " + name, flush=True)
marker = json.dumps({"model": model, "revision": revision, "commit": info.sha, "files": keep})
subprocess.run(["gcloud", "storage", "cp", "-", dest + "/" + os.environ["MARKER"]], input=marker.encode(), check=True)
print("complete: " + dest + "/", flush=True)
""".strip()

COPY_SCRIPT = "\n".join(
    [
        "set -euo pipefail",
        'dest="gs://${BUCKET}/${PREFIX}"',
        'if gcloud storage objects describe "${dest}/${MARKER}" >/dev/null 2>&1; then',
        '  echo "${dest}/ is complete (${MARKER} exists): nothing to copy"',
        "  exit 0",
        "fi",
        'if [ -n "${HF_TOKEN_FILE:-}" ] && [ -s "${HF_TOKEN_FILE}" ]; then',
        '  HF_TOKEN="$(cat "${HF_TOKEN_FILE}")"',
        "  export HF_TOKEN",
        "fi",
        'mkdir -p "${WORK}/py" "${WORK}/model" "${CLOUDSDK_CONFIG}"',
        'pip3 install --quiet --disable-pip-version-check --no-cache-dir --target "${WORK}/py" '
        '"huggingface_hub==${HUB_VERSION}"',
        'export PYTHONPATH="${WORK}/py"',
        "exec python3 - <<'PY'",
        COPY_PY,
        "PY",
    ]
)


def job_name(model: ServedModel, path: GcsModelPath) -> str:
    """weights-<slug>-<hash>: the hash of what is copied where, and how."""
    what = "\n".join([path.bucket, path.model, path.revision, DOWNLOAD_IMAGE.value, HUGGINGFACE_HUB_VERSION.value])
    digest = hashlib.sha256(f"{what}\n{COPY_SCRIPT}".encode()).hexdigest()[:8]
    return f"weights-{model.slug}-{digest}"


def copy_job_spec(
    model: ServedModel, path: GcsModelPath, token: HfTokenMount, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    env: list[dict[str, Any]] = [
        {"name": "BUCKET", "value": path.bucket},
        {"name": "MODEL", "value": path.model},
        {"name": "REVISION", "value": path.revision},
        {"name": "PREFIX", "value": path.prefix},
        {"name": "MARKER", "value": COMPLETE_MARKER},
        {"name": "HUB_VERSION", "value": HUGGINGFACE_HUB_VERSION.value},
        {"name": "SKIP_SUFFIXES", "value": " ".join(SKIPPED_SUFFIXES)},
        {"name": "SKIP_PREFIXES", "value": " ".join(SKIPPED_PREFIXES)},
        {"name": "WORK", "value": WORK_DIR},
        # A non-root user: gcloud's config, pip's packages and Hugging Face's cache live on the work volume.
        {"name": "HOME", "value": WORK_DIR},
        {"name": "CLOUDSDK_CONFIG", "value": f"{WORK_DIR}/gcloud"},
        {"name": "HF_HOME", "value": f"{WORK_DIR}/hf"},
        {"name": "HF_HUB_DISABLE_PROGRESS_BARS", "value": "1"},
    ]
    if token.token_file:
        env.append({"name": "HF_TOKEN_FILE", "value": token.token_file})
    if token.auth_secret_name:
        env.append(
            {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": token.auth_secret_name, "key": "HF_TOKEN"}}}
        )
    container = {
        "name": "copy",
        "image": DOWNLOAD_IMAGE.value,
        "command": ["/bin/bash", "-c"],
        "args": [COPY_SCRIPT],
        "env": env,
        "resources": {
            "requests": {"cpu": "1", "memory": "2Gi", "ephemeral-storage": "20Gi"},
            "limits": {"memory": "4Gi"},
        },
        "volumeMounts": [{"name": "work", "mountPath": WORK_DIR}, *token.volume_mounts],
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    }
    labels = {"app.kubernetes.io/name": "model-weights", "llm-d.ai/model": model.slug}
    return {
        "backoffLimit": JOB_BACKOFF_LIMIT,
        "activeDeadlineSeconds": JOB_DEADLINE_S,
        "template": {
            "metadata": {"labels": labels},
            "spec": {
                "serviceAccountName": DOWNLOAD_SERVICE_ACCOUNT,
                "restartPolicy": "Never",
                "securityContext": {
                    "runAsNonRoot": True,
                    "runAsUser": 1000,
                    "runAsGroup": 1000,
                    "fsGroup": 1000,
                    "seccompProfile": {"type": "RuntimeDefault"},
                },
                "containers": [container],
                "volumes": [
                    {"name": "work", "emptyDir": {"sizeLimit": f"{WORK_VOLUME_GIB}Gi"}},
                    *token.volumes,
                ],
                "nodeSelector": dict(node_selector),
            },
        },
    }


@dataclass(frozen=True)
class ModelWeightsArgs:
    models: Sequence[ServedModel]
    namespace: pulumi.Input[str]
    namespace_name: str  # the same namespace as a plain string, for the IAM principals
    revisions: Mapping[str, str]  # Hugging Face id -> revision, as set (others: main)
    user_bucket: str | None  # a bucket the user named; None: the stack's own (GKE only)
    stack_bucket: str  # the name of the stack's own bucket
    gcp: GcpPlatform | None  # None: an existing cluster, no GCP resources
    token: HfTokenMount
    token_ready: Sequence[pulumi.Resource]
    node_selector: Mapping[str, str]
    labels: dict[str, str] = field(default_factory=dict)


class ModelWeights(pulumi.ComponentResource):
    """Exposes `paths` (slug -> GcsModelPath) and `ready` (slug -> what that pool's model servers wait for)."""

    def __init__(self, name: str, args: ModelWeightsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:serving:ModelWeights", name, None, opts)
        child = child_options(self, opts)
        self.bucket: gcp.storage.Bucket | None = None
        bucket_name = args.user_bucket or args.stack_bucket
        bucket_ref: pulumi.Input[str] = bucket_name
        if args.gcp is not None and args.user_bucket is None:
            self.bucket = gcp.storage.Bucket(
                "weights",
                project=args.gcp.project,
                name=args.stack_bucket,
                location=args.gcp.region,
                uniform_bucket_level_access=True,
                public_access_prevention="enforced",
                # Only copies of public or licensed Hugging Face models live here: `pulumi destroy` removes them.
                force_destroy=True,
                labels=args.labels,
                opts=child,
            )
            bucket_ref = self.bucket.name
        writers: list[pulumi.Resource] = []
        self.readers: dict[str, gcp.storage.BucketIAMMember] = {}
        if args.gcp is not None:
            project = args.gcp.project
            number = pulumi.Output.from_input(args.gcp.project_number)

            def member(account: str) -> pulumi.Output[str]:
                return number.apply(
                    partial(
                        workload_identity_principal,
                        project=project,
                        namespace=args.namespace_name,
                        service_account=account,
                    )
                )

            writers.append(
                gcp.storage.BucketIAMMember(
                    "weights-writer",
                    bucket=bucket_ref,
                    role=WRITER_ROLE.value,
                    member=member(DOWNLOAD_SERVICE_ACCOUNT),
                    opts=child,
                )
            )
            for m in args.models:
                self.readers[m.slug] = gcp.storage.BucketIAMMember(
                    f"weights-reader-{m.slug}",
                    bucket=bucket_ref,
                    role=READER_ROLE.value,
                    member=member(service_account_name(m)),
                    opts=child,
                )
        else:
            readers = ", ".join(f"{args.namespace_name}/{service_account_name(m)}" for m in args.models)
            pulumi.log.warn(
                f"weights from gs://{bucket_name}: on an existing cluster the program grants nothing; give "
                f"{args.namespace_name}/{DOWNLOAD_SERVICE_ACCOUNT} {WRITER_ROLE.value} and {readers} "
                f"{READER_ROLE.value} on that bucket (Workload Identity or your cluster's equivalent)",
                resource=self,
            )
        self.service_account = k8s.core.v1.ServiceAccount(
            "weights-download",
            metadata={"name": DOWNLOAD_SERVICE_ACCOUNT, "namespace": args.namespace},
            opts=child,
        )
        after = pulumi.ResourceOptions.merge(
            child,
            pulumi.ResourceOptions(
                depends_on=[self.service_account, *writers, *args.token_ready, *([self.bucket] if self.bucket else [])]
            ),
        )
        self.paths: dict[str, GcsModelPath] = {}
        self.jobs: dict[str, k8s.batch.v1.Job] = {}
        self.ready: dict[str, list[pulumi.Resource]] = {}
        for m in args.models:
            path = GcsModelPath(bucket_name, m.name, args.revisions.get(m.name) or DEFAULT_REVISION)
            self.paths[m.slug] = path
            # Plain mappings in Kubernetes' own field names (the API server validates them).
            metadata: Any = {
                "name": job_name(m, path),
                "namespace": args.namespace,
                "labels": {"app.kubernetes.io/name": "model-weights", "llm-d.ai/model": m.slug},
                # pulumi-kubernetes waits for Complete (stacks/weights.py JOB_AWAIT), 10 minutes by default.
                "annotations": {"pulumi.com/timeoutSeconds": str(JOB_AWAIT_S)},
            }
            spec: Any = copy_job_spec(m, path, args.token, args.node_selector)
            self.jobs[m.slug] = k8s.batch.v1.Job(
                f"weights-{m.slug}",
                metadata=metadata,
                spec=spec,
                opts=after,
            )
            reader = [self.readers[m.slug]] if m.slug in self.readers else []
            self.ready[m.slug] = [self.jobs[m.slug], *reader]
        self.bucket_name = bucket_name
        self.register_outputs({"bucket": bucket_name})
