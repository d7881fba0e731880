"""Facts behind "weights from Cloud Storage": how vLLM streams a model from gs://, what copies it there, and the
Cloud Storage and pulumi-kubernetes behaviour the program relies on. Plain data, each fact with where it was read
(no imports from config/ or components/).

Why the Run:ai Model Streamer and not Cloud Storage FUSE: vLLM reads gs:// itself with `--load-format
runai_streamer`, authenticated by the pod's Workload Identity through the metadata server, so a model server needs
no CSI volume, no gcsfuse sidecar (with its CPU, memory and cache sizing) and no mount options; config and tokenizer
files are pulled from the same path. Google's own fast-start reference architecture picks it over FUSE for vLLM.
No Google document ranks the two directly (see UNVERIFIED below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

READ_ON = "2026-12-01"


@dataclass(frozen=True)
class Sourced:
    value: str
    source: str
    verified: bool = True


# ------------------------------------------------------------------------------------------------ vLLM side

RUNAI_LOAD_FORMAT = Sourced(
    "runai_streamer",
    "vllm-project/vllm docs/models/extensions/runai_model_streamer.md (docs.vllm.ai stable: `vllm serve "
    "gs://<bucket>/<path> --load-format runai_streamer`; `--model-loader-extra-config '{\"distributed\":true}'` "
    "for tensor parallelism); GoogleCloudPlatform/accelerated-platforms 9320f3b2 "
    "kubernetes-manifests/online-inference-gpu/llmd-optimized-baseline/vllm/h200-qwen3-32b/patch-vllm-args.yaml",
)
# With tensor parallelism each rank streams its part instead of every rank reading the whole file.
DISTRIBUTED_LOADER_CONFIG = '{"distributed":true}'

# Built-in Cloud Storage authentication of the streamer (no HMAC keys) needs this vLLM.
MIN_VLLM_FOR_GCS = Sourced(
    "0.11.1",
    'cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/run-ai-model-streamer ("built-in Cloud '
    'Storage authentication support ... requires vLLM version 0.11.1 or later")',
)
GCS_CREDENTIALS = Sourced(
    "metadata server (Workload Identity) when neither RUNAI_STREAMER_GCS_CREDENTIAL_FILE nor "
    "GOOGLE_APPLICATION_CREDENTIALS is set",
    'run-ai/runai-model-streamer docs/src/usage.md, "Streaming from Google cloud storage", SDK authentication',
)
TOKENIZER_FROM_SAME_PATH = Sourced(
    "vLLM pulls config and tokenizer files (not *.safetensors, *.bin, *.pt, *.pth, *.tensors) from the gs:// "
    "model path into a local directory and streams the weights",
    "vllm-project/vllm vllm/config/model.py ModelConfig.maybe_pull_model_tokenizer_for_runai (file index)",
)

# The version sets whose model servers may stream from gs://, and the vLLM their GPU image runs. The 2026-04 set is
# absent: its CPU image is vLLM v0.11.0, below MIN_VLLM_FOR_GCS, and its model servers are the modelservice chart's.
GCS_STREAMING_VLLM: dict[str, str] = {"v0.9.0": "0.26.0"}  # docker.io/vllm/vllm-openai:v0.26.0 (stacks/llmd_v0_9.py)
# vLLM's CPU release image installs only the `[audio]` extra, not `[runai]` (docker/Dockerfile.cpu, stage
# vllm-openai), so the CPU backend keeps downloading from Hugging Face.
CPU_IMAGE_HAS_NO_STREAMER = Sourced(
    "pip install dist/*.whl[audio]",
    "vllm-project/vllm docker/Dockerfile.cpu stage vllm-openai (file index, commit 002c42b2; not read at the "
    "v0.26.0 tag)",
    verified=False,
)

# ------------------------------------------------------------------------------------------- the copy Job

# Google's reference Job that copies a Hugging Face model into a bucket runs this image and installs
# huggingface_hub at start (model-download/huggingface/{job.yaml,configmap-scripts.yaml}); the program pins the
# library's version, which the reference leaves open.
DOWNLOAD_IMAGE = Sourced(
    "gcr.io/google.com/cloudsdktool/cloud-sdk:570.0.0-slim",
    "GoogleCloudPlatform/accelerated-platforms 9320f3b2 platforms/gke/base/use-cases/inference-ref-arch/"
    "kubernetes-manifests/model-download/huggingface/job.yaml",
)
HUGGINGFACE_HUB_VERSION = Sourced(
    "1.1.2",
    "pypi.org huggingface-hub 1.1.2 (wheel read: HfApi.model_info(..).siblings, hf_hub_download(local_dir=), "
    "HF_TOKEN read from the environment; Requires-Python >= 3.9)",
)
# The object written last: its presence means every file of <model>/<revision>/ is in the bucket.
COMPLETE_MARKER = ".llmd-complete"
# Weight formats other than safetensors (the streamer reads only safetensors) and Meta's original/ checkpoints are
# not copied; everything else (config, tokenizer, generation config) is.
SKIPPED_SUFFIXES = (".bin", ".pt", ".pth", ".h5", ".msgpack", ".ot", ".gguf", ".onnx", ".tflite")
SKIPPED_PREFIXES = ("original/",)

# ------------------------------------------------------------------------------------------ Cloud Storage

# Least privilege on the one bucket: the copy Job writes (create, overwrite, list, read objects), model servers read.
WRITER_ROLE = Sourced(
    "roles/storage.objectUser",
    "cloud.google.com/storage/docs/access-control/iam-roles (Storage Object User: create, delete, get, list, "
    "update objects; no bucket or IAM administration)",
)
READER_ROLE = Sourced(
    "roles/storage.objectViewer",
    "cloud.google.com/storage/docs/access-control/iam-roles (Storage Object Viewer: get and list objects)",
)
WORKLOAD_IDENTITY_MEMBER = Sourced(
    "principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<project>.svc.id.goog/"
    "subject/ns/<namespace>/sa/<service account>",
    "GoogleCloudPlatform/accelerated-platforms 9320f3b2 core/huggingface/hub_downloader/iam.tf and "
    "use-cases/inference-ref-arch/terraform/online_gpu/iam.tf (bucket IAM for the downloader's and the model "
    "server's Kubernetes service accounts)",
)
BUCKET_NAMING = Sourced(
    "3-63 characters of a-z 0-9 - _ . (up to 222 with dots, each dot-separated part at most 63), starting and "
    "ending with a letter or digit; not an IPv4 address; not starting with goog; not containing google or a close "
    "misspelling",
    "cloud.google.com/storage/docs/buckets#naming (Bucket names)",
)
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")
BUCKET_NAME_MAX = 63
DOTTED_BUCKET_NAME_MAX = 222
# "google" and the close misspellings Google names ("g00gle"): o and 0 mixed.
GOOGLE_LOOKALIKE = re.compile(r"g[o0][o0]gle")

# --------------------------------------------------------------------------------------- pulumi-kubernetes

PULUMI_K8S = "pulumi/pulumi-kubernetes at 94977969 (2026-07-01, after v4.32.0; the program pins 4.34.2)"
JOB_AWAIT = Sourced(
    "a batch/v1 Job is created only once .status.conditions has Complete=True (Failed=True fails the update), "
    "within 10 minutes unless the pulumi.com/timeoutSeconds annotation says otherwise; resources that depend on "
    "it are registered after that",
    f"{PULUMI_K8S} provider/pkg/await/job.go (jobInitAwaiter, DefaultJobTimeoutMins = 10), awaiters.go "
    "(batch/v1/Job -> jobAwaiter), metadata/overrides.go (TimeoutDuration)",
)
JOB_REPLACE = Sourced(
    "a Job's spec is replace-only; a replaced object that keeps its metadata.name is deleted before it is "
    "created again, one with a new name is created first",
    f"{PULUMI_K8S} provider/pkg/provider/diff.go (Job fields force new) and provider.go (deleteBeforeReplace only "
    "when the new name equals the old)",
)

# What no source settled (the image contents, the two object roles, FUSE against the streamer) is listed with its
# symptom in stacks/evidence.py (keys vllm-gpu-image-streamer, gcs-object-roles-suffice, copy-job-image,
# runai-vs-fuse, vllm-cpu-image-no-streamer) and docs/unverified.md.
