"""Facts the program relies on that no offline test can confirm, each with where it was read and its status.

A live deploy (tests/acceptance) is what settles the `unverified` ones; docs/unverified.md lists them for the
person watching that run, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    key: str
    statement: str
    source: str
    read_on: str
    verified: bool
    watch: str = ""  # what a live run shows if the fact is wrong


FACTS: tuple[Fact, ...] = (
    Fact(
        "alert-metric-validation",
        "Cloud Monitoring refuses a PromQL alert condition whose metrics have no series yet unless "
        "disableMetricValidation is set.",
        "terraform-provider-google website/docs/r/monitoring_alert_policy.html.markdown; pulumi-gcp 10.2 SDK field "
        "disable_metric_validation",
        "2026-12-01",
        True,
    ),
    Fact(
        "gke-inferencepool-crd-floor",
        "GKE installs the Gateway API and InferencePool v1 CRDs itself from 1.34.0-gke.1626000.",
        "llm-d/llm-d docs/infrastructure/gateway/gke.md at the v0.9.0 pin; no Google release note found",
        "2026-12-01",
        False,
        "`kubectl get crd inferencepools.inference.networking.k8s.io` on a new cluster; the inferencepool release "
        "fails on the InferencePool kind if it is missing",
    ),
    Fact(
        "gke-channel-default",
        "A release channel's default version in the region (getServerConfig / google_container_engine_versions "
        "release_channel_default_version) is one a new cluster of that channel may be created at.",
        "cloud.google.com/kubernetes-engine/docs/concepts/release-channels; terraform-provider-google "
        "resource_container_cluster.go (min_master_version becomes initialClusterVersion)",
        "2026-12-01",
        False,
        "cluster create refuses the version; set llmd:cluster.minMasterVersion to one the channel lists",
    ),
    Fact(
        "default-pool-node-config",
        "Changing a cluster's node_config after remove_default_node_pool makes the provider update the deleted "
        "default-pool (terraform-provider-google #24069); the program sets it once and ignores changes.",
        "docs/provider-facts.md (c)",
        "2026-12-01",
        True,
    ),
    Fact(
        "autoscaler-reaches-total-minimum",
        "A node pool created below its autoscaling total minimum (initial nodes per zone rounded down) is brought "
        "up by the cluster autoscaler once pods are pending.",
        "cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler",
        "2026-12-01",
        False,
        "the cpu stack's inference pool (min 1, max 2, three zones) starts with 0 nodes and gains one when the "
        "model server is scheduled",
    ),
    Fact(
        "builder-roles",
        "A Cloud Build run as a user-specified service account, with source and logs in a bucket of the stack's "
        "own, needs only artifactregistry.writer on the repository and objectAdmin on that bucket.",
        "cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts",
        "2026-12-01",
        False,
        "the frontend image build fails with a permission error naming the missing role",
    ),
    Fact(
        "gcpbackendpolicy-attached-condition",
        "GKE reports an applied GCPBackendPolicy as status.conditions[type=Attached]=True (the acceptance test "
        "reads it; the deploy does not wait on it).",
        "GoogleCloudPlatform/gke-gateway-api config/crd (status has conditions and ancestors); GKE docs' describe "
        "output; which list GKE fills is not confirmed",
        "2026-12-01",
        False,
        "the acceptance test's attachment check fails while IAP works: read status.ancestors instead",
    ),
    Fact(
        "google-managed-iap-client",
        "IAP with the Google-managed OAuth client (no client id) admits only users inside the project's "
        "organisation; external users need iap.oauthClientId.",
        "cloud.google.com/iap/docs/custom-oauth-configuration; gke-gateway-api issue #57 vs PR #25 conflict on "
        "whether the GKE controller accepts a policy without a client id",
        "2026-12-01",
        False,
        "the backend policy is not attached, or external users get 'access denied' from IAP",
    ),
    Fact(
        "iap-signed-header",
        "IAP adds x-goog-iap-jwt-assertion (ES256, issuer https://cloud.google.com/iap, audience "
        "/projects/<number>/global/backendServices/<id>) to every request it lets through.",
        "cloud.google.com/iap/docs/signed-headers-howto",
        "2026-12-01",
        True,
    ),
    Fact(
        "istio-crds",
        "Istio installs neither the Gateway API nor the InferencePool CRDs; the existing-cluster stack installs "
        "both at the pinned versions and is written against Istio 1.28.",
        "istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api (CRDs are a prerequisite); the Istio "
        "version is not exercised here",
        "2026-12-01",
        False,
        "the CRD manifests' URLs at the pinned releases, and istiod's inference extension flag",
    ),
    Fact(
        "gpu-zones-us-central1",
        "The catalog's us-central1 zone lists per accelerator.",
        "gcloud compute accelerator-types list (not runnable here); catalog dated stacks/accelerators.ZONES_CHECKED",
        "2026-11-01",
        False,
        "GKE refuses the GPU node pool naming a zone without the accelerator",
    ),
    Fact(
        "vllm-activation-model",
        "vLLM's reserve besides weights and KV cache is modelled from the batch limits, hidden, intermediate and "
        "vocabulary sizes with a 15 % margin plus 0.5 GiB outside PyTorch; CUDA graphs sit outside the budget.",
        "vllm-project/vllm vllm/v1/worker/gpu_worker.py determine_available_memory (read via docs/provider-facts.md h)",
        "2026-12-01",
        False,
        "vLLM's start-up log line 'PyTorch activation peak memory takes ...' against stacks/models.py",
    ),
    Fact(
        "vllm-batch-defaults",
        "vLLM's OpenAI server defaults to 8192 batched tokens and 1024 sequences on GPUs of 70 GiB or more, 2048 "
        "and 256 below; the program passes them explicitly.",
        "vllm-project/vllm vllm/engine/arg_utils.py (usage-context defaults), from memory of the source",
        "2026-12-01",
        False,
        "none: the values are passed explicitly, only the throughput they give is at stake",
    ),
    Fact(
        "model-architecture",
        "Hidden, intermediate, vocabulary and attention-head sizes of the known models.",
        "each model's config.json on Hugging Face, entered without a fresh read in this workplace",
        "2026-12-01",
        False,
        "a fit-check verdict that vLLM contradicts",
    ),
    Fact(
        "replacement-rules-provider-line",
        "stacks/replacement.py's GCP rules come from terraform-provider-google-beta v7.45.0; pulumi-gcp 10.2 bridges "
        "the 8.x line.",
        "stacks/replacement.py module docstring",
        "2026-12-01",
        False,
        "a `pulumi preview` that replaces where plan-diff said update (or the reverse)",
    ),
    Fact(
        "endpoints-empty-paths",
        "Cloud Endpoints accepts an OpenAPI document with empty `paths` and serves DNS for its host.",
        "cloud.google.com/endpoints/docs/openapi/cloud-goog-dns-configure",
        "2026-11-01",
        False,
        "the Endpoints service fails to deploy its configuration",
    ),
)
