"""`llmd:weights`: where the model servers' weights come from (a Cloud Storage bucket, or Hugging Face), its rule
and its resolved setting."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from config.context import Context, known
from config.errors import Problem
from config.section import NS
from config.serving.rules import _extra_models, chosen_version_set
from config.serving.schema import WeightsSection
from stacks.weights import (
    BUCKET_NAME,
    BUCKET_NAME_MAX,
    DOTTED_BUCKET_NAME_MAX,
    GCS_STREAMING_VLLM,
    GOOGLE_LOOKALIKE,
    MIN_VLLM_FOR_GCS,
)

KEY = f"{NS}:weights"
GCS, HUGGINGFACE = "gcs", "huggingface"
DEFAULT_REVISION = "main"
# A branch, tag or commit of a Hugging Face repository, usable as one path segment of gs://<bucket>/<model>/<rev>/.
REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class WeightsSettings:
    source: str  # gcs | huggingface
    bucket: str | None  # the user's own bucket; None: the stack's bucket (created on GKE with source gcs)
    revisions: tuple[tuple[str, str], ...]  # (Hugging Face model id, revision) as set

    @property
    def from_gcs(self) -> bool:
        return self.source == GCS

    def revision(self, model: str) -> str | None:
        """The revision set for `model`, or None (Hugging Face's main)."""
        return dict(self.revisions).get(model)


def bucket_name_problem(name: str) -> tuple[str, str] | None:
    """Why `name` is not a Cloud Storage bucket name (stacks/weights.py BUCKET_NAMING), and the fix, or None."""
    fix = "use 3-63 lowercase letters, digits, '-' and '_', starting and ending with a letter or digit"
    if name.startswith("gs://") or "/" in name:
        return "a bucket name, not a URL or path", f"write only the bucket's name, such as '{_bare(name)}'"
    if len(name) < 3:
        return f"{len(name)} characters; a bucket name has at least 3", fix
    dotted = "." in name
    limit = DOTTED_BUCKET_NAME_MAX if dotted else BUCKET_NAME_MAX
    if len(name) > limit:
        return f"{len(name)} characters; a bucket name{' with dots' if dotted else ''} has at most {limit}", fix
    if not BUCKET_NAME.match(name):
        wrong = []
        if name != name.lower():
            wrong.append("capital letters")
        if re.search(r"[^A-Za-z0-9._-]", name):
            wrong.append("characters other than letters, digits, '-', '_' and '.'")
        if not name[:1].isalnum() or not name[-1:].isalnum():
            wrong.append("no letter or digit at an end")
        return "not a bucket name" + (f" ({', '.join(wrong)})" if wrong else ""), fix
    if dotted and any(len(part) > BUCKET_NAME_MAX or not part for part in name.split(".")):
        return f"each dot-separated part of a bucket name has 1 to {BUCKET_NAME_MAX} characters", fix
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "an IP address is not a bucket name", fix
    if name.startswith("goog"):
        return "bucket names cannot begin with 'goog'", "choose a name that does not start with goog"
    if GOOGLE_LOOKALIKE.search(name):
        return "bucket names cannot contain 'google' or a close misspelling", "choose a name without google"
    return None


def _bare(name: str) -> str:
    return name.removeprefix("gs://").split("/", 1)[0] or "my-bucket"


def _streams_gcs(ctx: Context) -> tuple[bool, str, str]:
    """Whether this stack's model servers can stream from gs://, and if not why and the fix."""
    versions = chosen_version_set(ctx)
    if versions.name not in GCS_STREAMING_VLLM:
        return (
            False,
            f"version set {versions.name}'s vLLM images predate the Run:ai streamer's built-in Cloud Storage "
            f"authentication (vLLM >= {MIN_VLLM_FOR_GCS.value}), and its model servers are the modelservice chart's",
            f"set {NS}:versionSet to {', '.join(GCS_STREAMING_VLLM)}, or {KEY}.source to {HUGGINGFACE}",
        )
    if ctx.accelerator is not None and not ctx.accelerator.is_gpu:
        return (
            False,
            "vLLM's CPU image has no Run:ai streamer, so CPU model servers cannot read gs://",
            f"set {KEY}.source to {HUGGINGFACE} (or remove it) on the {ctx.accelerator.name} accelerator",
        )
    return True, "", ""


def _default_source(ctx: Context, bucket: str | None) -> str:
    if not _streams_gcs(ctx)[0]:
        return HUGGINGFACE
    if ctx.existing_cluster:
        # No GCP resources on an existing cluster: only a bucket the user names.
        return GCS if bucket else HUGGINGFACE
    return GCS


def _served_names(ctx: Context) -> list[str]:
    models, _ = _extra_models(ctx)
    names = [known(ctx.model, "name"), *(known(m, "name") for m in models or [])]
    return [n for n in names if isinstance(n, str)]


def weights(ctx: Context) -> Iterator[Problem]:
    section = ctx.section("weights", WeightsSection)
    if section is None:
        return
    source, bucket = known(section, "source"), known(section, "bucket")
    if bucket is not None:
        reason = bucket_name_problem(bucket)
        if reason:
            yield Problem(f"{KEY}.bucket", bucket, *reason)
    streams, why, fix = _streams_gcs(ctx)
    if source == GCS and not streams:
        yield Problem(f"{KEY}.source", source, why, fix)
    elif source == GCS and ctx.existing_cluster and bucket is None:
        yield Problem(
            f"{KEY}.source",
            source,
            "an existing cluster gets no GCP resources, so there is no bucket of the stack's own",
            f"name your bucket in {KEY}.bucket (and grant its service accounts access), or set {KEY}.source "
            f"to {HUGGINGFACE}",
        )
    elif bucket is not None and source == HUGGINGFACE:
        yield Problem(
            f"{KEY}.bucket",
            bucket,
            f"only read with source {GCS}: the model servers download from Hugging Face",
            f"remove {KEY}.bucket, or set {KEY}.source to {GCS}",
        )
    elif bucket is not None and source is None and not streams:
        yield Problem(f"{KEY}.bucket", bucket, f"never read: {why}", fix)
    revisions = known(section, "revisions")
    if not isinstance(revisions, dict):
        return
    served = _served_names(ctx)
    for model, revision in revisions.items():
        if served and model not in served:
            yield Problem(
                f"{KEY}.revisions.{model}",
                revision,
                "not a model this stack serves",
                f"use one of: {', '.join(served)} (the model's Hugging Face id)",
            )
        if not REVISION.match(revision):
            yield Problem(
                f"{KEY}.revisions.{model}",
                revision,
                "not a branch, tag or commit name usable as one path segment",
                "use a commit hash, a tag or a branch without '/' (letters, digits, '.', '_', '-')",
            )


def resolve_weights(ctx: Context) -> WeightsSettings:
    section = ctx.section("weights", WeightsSection)
    assert section is not None
    source = section.source or _default_source(ctx, section.bucket)
    return WeightsSettings(
        source=source,
        bucket=section.bucket,
        revisions=tuple(sorted(section.revisions.items())),
    )
