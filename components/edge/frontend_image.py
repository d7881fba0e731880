"""The chat app's container image: an Artifact Registry repository and a Cloud Build build run by `pulumi up`.

Why Cloud Build through pulumi-command: the deployer's machine needs no Docker engine (pulumi-docker-build
would), only gcloud, which the cluster's kubeconfig already needs (gke-gcloud-auth-plugin). The image tag
is a hash of the app's source, so an unchanged app is not rebuilt and a changed one gets a new tag and a
rolling update. A prebuilt image from config (`frontend.image`) skips all of this.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_gcp as gcp
from pulumi_command import local

from components.options import child_options

PROJECT_DIR = Path(__file__).resolve().parents[2]
# The app's folder is the build context (frontend/Dockerfile: `docker build frontend/`); the Docker build
# in Cloud Build honours its .dockerignore.
SOURCE_DIR = "frontend"
DOCKERIGNORE = ".dockerignore"

# Enabling the Cloud Build API here (idempotent) keeps the project API list of the platform layer unchanged
# for stacks that use a prebuilt image; like every API, it stays enabled after `pulumi destroy`.
# The build runs as this stack's own builder account, never the project's default build identity (which new
# projects may not have, or may hold far more than a push needs), with its source and logs in this stack's
# bucket. The source folder is relative: Pulumi runs commands from the project folder, and no machine path
# belongs in an input (it would differ between two checkouts).
BUILD_SCRIPT = """set -euo pipefail
if [ ! -f "$SOURCE_DIR/Dockerfile" ]; then
  echo "frontend image: $SOURCE_DIR/Dockerfile not found; run pulumi from the folder that holds Pulumi.yaml" >&2
  exit 1
fi
gcloud services enable cloudbuild.googleapis.com --project "$PROJECT" --quiet
# The builder's grants were made moments ago and IAM takes a while to apply them everywhere: retry, then fail.
for attempt in 1 2 3 4; do
  if gcloud builds submit "$SOURCE_DIR" --tag "$IMAGE" --project "$PROJECT" --region "$REGION" \\
      --service-account "projects/$PROJECT/serviceAccounts/$BUILDER" \\
      --gcs-source-staging-dir "gs://$BUCKET/source" --gcs-log-dir "gs://$BUCKET/logs" --quiet; then
    exit 0
  fi
  [ "$attempt" = 4 ] && exit 1
  echo "frontend image: build attempt $attempt failed, retrying in $((attempt * 30)) s" >&2
  sleep $((attempt * 30))
done
"""
# What the builder may do: push to this stack's repository; read its uploaded source and write its logs in this
# stack's staging bucket (Storage Admin on that bucket alone, as Google's "store and view build logs" asks of a
# user-created logs bucket); write log entries (builds also stream to Cloud Logging). Sources:
# cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts and
# .../build/docs/securing-builds/store-manage-build-logs, read 2026-12-01.
BUILDER_REPOSITORY_ROLE = "roles/artifactregistry.writer"
BUILDER_BUCKET_ROLE = "roles/storage.admin"
BUILDER_PROJECT_ROLE = "roles/logging.logWriter"
STAGING_RETENTION_DAYS = 7


def ignore_patterns(root: Path) -> list[str]:
    path = root / DOCKERIGNORE
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line.rstrip("/") for line in lines if line and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `relative` (a path inside the context) out of the image."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        if pattern.startswith("**/"):
            name = pattern[3:]
            if any(fnmatch.fnmatch(part, name) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            return True
    return False


def source_hash(root: Path = PROJECT_DIR / SOURCE_DIR) -> str:
    """A content hash of what goes into the image (paths and bytes), 12 hex characters: the image tag."""
    patterns = ignore_patterns(root)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative != "Dockerfile" and ignored(relative, patterns):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class FrontendImageArgs:
    project: str
    region: str
    repository_id: str
    image_name: str
    builder_account_id: str  # 6-30 characters
    staging_bucket: str  # globally unique bucket name
    labels: dict[str, str]


class FrontendImage(pulumi.ComponentResource):
    def __init__(self, name: str, args: FrontendImageArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("llmd:edge:FrontendImage", name, None, opts)
        child = child_options(self, opts)
        self.repository = gcp.artifactregistry.Repository(
            "repository",
            project=args.project,
            location=args.region,
            repository_id=args.repository_id,
            format="DOCKER",
            description="Images of the llm-d chat frontend",
            labels=args.labels,
            opts=child,
        )
        self.builder = gcp.serviceaccount.Account(
            "builder",
            project=args.project,
            account_id=args.builder_account_id,
            display_name="Builds the llm-d chat image",
            opts=child,
        )
        self.staging = gcp.storage.Bucket(
            "build-staging",
            project=args.project,
            name=args.staging_bucket,
            location=args.region,
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            # Only uploaded build sources and logs live here; `pulumi destroy` removes them with the bucket.
            force_destroy=True,
            lifecycle_rules=[{"action": {"type": "Delete"}, "condition": {"age": STAGING_RETENTION_DAYS}}],
            labels=args.labels,
            opts=child,
        )
        grants = [
            gcp.artifactregistry.RepositoryIamMember(
                "builder-push",
                project=args.project,
                location=args.region,
                repository=self.repository.repository_id,
                role=BUILDER_REPOSITORY_ROLE,
                member=self.builder.member,
                opts=child,
            ),
            gcp.storage.BucketIAMMember(
                "builder-staging",
                bucket=self.staging.name,
                role=BUILDER_BUCKET_ROLE,
                member=self.builder.member,
                opts=child,
            ),
            gcp.projects.IAMMember(
                "builder-logs", project=args.project, role=BUILDER_PROJECT_ROLE, member=self.builder.member, opts=child
            ),
        ]
        tag = source_hash()
        registry = f"{args.region}-docker.pkg.dev/{args.project}/{args.repository_id}"
        image = f"{registry}/{args.image_name}:{tag}"
        self.build = local.Command(
            "build",
            create=BUILD_SCRIPT,
            interpreter=["/bin/bash", "-c"],
            environment={
                "IMAGE": image,
                "PROJECT": args.project,
                "REGION": args.region,
                "SOURCE_DIR": SOURCE_DIR,
                "BUILDER": self.builder.email,
                "BUCKET": self.staging.name,
            },
            # A new source hash is a new image: build again. Nothing to undo on delete (the repository goes).
            triggers=[image],
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.repository, self.staging, *grants])
            ),
        )
        # The reference, readable once the build has pushed it.
        self.image: pulumi.Output[str] = pulumi.Output.all(self.build.id, image).apply(lambda v: v[1])
        self.register_outputs({"image": self.image})
