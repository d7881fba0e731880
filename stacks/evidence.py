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
    Fact(
        "compute-class-auto-creation",
        "A GKE custom ComputeClass (cloud.google.com/v1) with nodePoolAutoCreation.enabled creates node pools for the "
        "pods that select it without cluster-level node auto-provisioning from 1.33.3-gke.1136000 (below the "
        "program's 1.34 floor); whenUnsatisfiable DoNotScaleUp is the 1.33+ default and is set explicitly.",
        "docs.cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes (2026-04-13); "
        "docs.cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass",
        "2026-12-01",
        True,
    ),
    Fact(
        "compute-class-pod-toleration",
        "Pods that select an auto-creating ComputeClass (nodeSelector cloud.google.com/compute-class) need no "
        "toleration of the class's taint on the pools GKE creates; the model pods tolerate only the GPU taint.",
        "about-custom-compute-classes ('No manual configuration required' for auto-created pools); "
        "accelerated-platforms llmd manifests set only the nodeSelector and GPU requests (commit 9320f3b)",
        "2026-12-01",
        False,
        "model pods stay Pending on a new class node with 'untolerated taint cloud.google.com/compute-class'",
    ),
    Fact(
        "compute-class-service-account",
        "nodePoolConfig.serviceAccount makes the pools a ComputeClass creates run as the program's node service "
        "account (the firewall rules admit the load balancers only to it); whether the cluster's autoprovisioning "
        "defaults would apply instead is not known, so the class sets it.",
        "computeclass CRD reference (nodePoolConfig.serviceAccount); gcloud help (--autoprovisioning-service-account "
        "defaults to the project's default compute account)",
        "2026-12-01",
        False,
        "class nodes run as the default compute service account: health checks to the model pods fail",
    ),
    Fact(
        "compute-class-hyperdisk-boot-version",
        "A ComputeClass rule takes storage.bootDiskType hyperdisk-balanced from GKE 1.34.1-gke.1431000; the program "
        "raises the cluster's floor to it when its class boots from Hyperdisk (G4, A3 Ultra, A4).",
        "research notes beside accelerated-platforms' NAP defaults; not found in the CRD reference",
        "2026-12-01",
        False,
        "GKE rejects the ComputeClass (or its auto-created pool) over the boot disk type",
    ),
    Fact(
        "capacity-offers",
        "Capacity types per machine series (stacks/capacity.py): flex-start and Spot for any GPU machine except "
        "A4X; no plain on-demand for A3 Ultra (H200) and A4 (B200); no flex-start for G4 (the flex-start VM page "
        "excludes it, the newer consumption page and accelerated-platforms' G4 classes include it); flex-start for "
        "N1 + T4 (not an accelerator-optimized series) unconfirmed.",
        "cloud.google.com/ai-hypercomputer/docs/consumption-models; cloud.google.com/compute/docs/instances/"
        "about-flex-start-vms; docs.cloud.google.com/cluster-director/docs/choose-consumption-option",
        "2026-12-01",
        False,
        "a refused capacity type that works (G4 flex-start, A3 Ultra on-demand), or an accepted one GKE refuses "
        "(T4 flex-start)",
    ),
    Fact(
        "h200-b200-shapes",
        "a3-ultragpu-8g: 8 x H200, 224 vCPUs, 2,952 GB, 141 GB per GPU (131.0 GiB usable assumed); a4-highgpu-8g: "
        "8 x B200, 224 vCPUs, 3,968 GB, 180 GB per GPU (167.0 GiB usable assumed); both boot from "
        "hyperdisk-balanced.",
        "Compute Engine GPU machine types (the GPUs per machine); vCPUs, memory and boot disk from secondary "
        "catalogs and the Vertex AI DiskSpec (hyperdisk-balanced default for A3U)",
        "2026-12-01",
        False,
        "vLLM's start-up log reports less GPU memory than the fit check assumed, or the pool is refused its disk",
    ),
    Fact(
        "h200-b200-zones",
        "nvidia-h200-141gb is offered in us-central1-b and nvidia-b200 in us-central1-a.",
        "a third-party gcloud accelerator-types listing (H200, date unknown); a third-party benchmark config (B200)",
        "2026-12-01",
        False,
        "GKE refuses the pool or class in that zone: gcloud compute accelerator-types list "
        '--filter="name=nvidia-b200" gives the zones',
    ),
    Fact(
        "a3-ultra-a4-prices",
        "a3-ultragpu-8g about 84.81 USD and a4-highgpu-8g about 95 USD per hour as list-price equivalents (the "
        "plan's estimate; stacks/prices.py).",
        "third-party price trackers; not Google's price list (these series are not sold as plain on-demand)",
        "2026-12-01",
        False,
        "the bill differs from the plan's estimate",
    ),
    Fact(
        "b200-gpu-driver",
        "GKE's `latest` GPU driver on the program's cluster versions is one B200 runs (NVIDIA: 570.133.20 or later).",
        "NVIDIA cloud-native-docs PR #184 (the driver floor); GKE's per-version driver mapping not read",
        "2026-12-01",
        False,
        "nvidia-smi fails on the node, or the device plugin advertises no nvidia.com/gpu",
    ),
    Fact(
        "pulumi-job-await",
        "pulumi-kubernetes creates a batch/v1 Job only once it reports Complete=True (10 minutes unless "
        "pulumi.com/timeoutSeconds says otherwise), so the model server Deployments that depend on their weights "
        "copy Job start after the copy; a Job keeping its name is deleted before it is replaced.",
        "pulumi/pulumi-kubernetes 94977969 (2026-07-01) provider/pkg/await/job.go, awaiters.go, "
        "metadata/overrides.go, provider/provider.go (deleteBeforeReplace); the program pins 4.34.2",
        "2026-12-01",
        True,
    ),
    Fact(
        "vllm-runai-gcs",
        "vLLM streams gs:// weights with --load-format runai_streamer (and --model-loader-extra-config "
        '{"distributed":true} with tensor parallelism), reads config and tokenizer from the same path, and '
        "authenticates through the metadata server (Workload Identity) from vLLM 0.11.1.",
        "docs.vllm.ai models/extensions/runai_model_streamer; cloud.google.com/kubernetes-engine/docs/how-to/"
        "persistent-volumes/run-ai-model-streamer; run-ai/runai-model-streamer docs/src/usage.md; vllm "
        "ModelConfig.maybe_pull_model_tokenizer_for_runai",
        "2026-12-01",
        True,
    ),
    Fact(
        "vllm-gpu-image-streamer",
        "vllm/vllm-openai:v0.26.0 includes runai-model-streamer with its gcs extra.",
        "vllm docker/Dockerfile of earlier releases (runai-model-streamer[s3,gcs] >= 0.14.0, later >= 0.15.3) and "
        "Google's llm-d example streaming gs:// on v0.2x images; the v0.26.0 Dockerfile itself not read",
        "2026-12-01",
        False,
        "model server pods crash at load with an import error for runai_model_streamer or its gcs backend",
    ),
    Fact(
        "gcs-object-roles-suffice",
        "roles/storage.objectViewer (get and list objects) is all the streamer and vLLM's tokenizer pull need, and "
        "roles/storage.objectUser all the copy Job's gcloud storage describe and cp need; Google's reference grants "
        "a custom role that also holds storage.buckets.get.",
        "cloud.google.com/storage/docs/access-control/iam-roles; accelerated-platforms 9320f3b core/"
        "container_cluster/iam.tf (gcsfuse.user custom role)",
        "2026-12-01",
        False,
        "the copy Job or the model server logs 403 storage.buckets.get on the weights bucket",
    ),
    Fact(
        "copy-job-image",
        "gcr.io/google.com/cloudsdktool/cloud-sdk:570.0.0-slim has python3 and pip3 (Google's reference installs "
        "huggingface_hub with pip3 in it), and gcloud there uses the pod's Workload Identity credentials.",
        "accelerated-platforms 9320f3b model-download/huggingface/{job.yaml,configmap-scripts.yaml}",
        "2026-12-01",
        False,
        "the weights Job fails at pip3 install or at its first gcloud storage call",
    ),
    Fact(
        "runai-vs-fuse",
        "The Run:ai streamer starts vLLM at least as fast as Cloud Storage FUSE (the program streams; no Google "
        "document ranks the two; Google's fast-start reference architecture picks the streamer).",
        "accelerated-platforms docs vllm-fast-start-reference-architecture.md (148d450); GKE Run:ai page compares "
        "with vLLM's default loader only",
        "2026-12-01",
        False,
        "none: only the start-up time is at stake",
    ),
    Fact(
        "vllm-cpu-image-no-streamer",
        "vllm/vllm-openai-cpu:v0.26.0 has no runai-model-streamer, so the cpu accelerator keeps weights from "
        "Hugging Face (gcs is refused there).",
        "vllm docker/Dockerfile.cpu stage vllm-openai installs only the [audio] extra (commit 002c42b, not the tag)",
        "2026-12-01",
        False,
        "none: the program does not stream on CPUs; a CPU image with the streamer would only allow it",
    ),
    Fact(
        "copy-job-non-root-token",
        "The copy Job runs as uid 1000 (non-root): the Secret Manager add-on's token file is readable by it, and "
        "gcloud, pip and huggingface_hub need nothing writable beyond the Job's /work volume.",
        "secrets-store CSI driver and the GKE add-on's docs give no file mode for the add-on's mounts; not read",
        "2026-12-01",
        False,
        "a gated model's copy Job fails with 401 from Hugging Face although hfToken is set (or permission denied "
        "on /var/run/secrets/huggingface)",
    ),
    Fact(
        "hpa-gmp-pods-metric",
        "The Custom Metrics Stackdriver Adapter at cm-sd-adapter-v0.16.9 serves a Managed Prometheus gauge as the "
        "Pods metric prometheus.googleapis.com|vllm:num_requests_waiting|gauge once the vLLM PodMonitoring "
        "collects it, with monitoring.viewer for its Workload Identity principal (Google's reference also grants "
        "monitoring.metricWriter, which reading should not need).",
        "cloud.google.com/kubernetes-engine/docs/tutorials/autoscaling-metrics; GoogleCloudPlatform/k8s-stackdriver "
        "adapter_new_resource_model.yaml (tag cm-sd-adapter-v0.16.9, f32cd9c7); accelerated-platforms "
        "custom_metrics_adapter iam.tf (9320f3b)",
        "2026-12-01",
        False,
        "`kubectl get hpa -n llm-d` shows <unknown> for the metric, or the adapter logs 403 from Cloud Monitoring",
    ),
    Fact(
        "hpa-takes-over-replicas",
        "Turning autoscaling on for a running pool (the Deployment stops setting spec.replicas under server-side "
        "apply) may reset it to one replica until its new HPA scales it back.",
        "kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale (Migrating Deployments and "
        "StatefulSets to horizontal autoscaling)",
        "2026-12-01",
        False,
        "a pool drops to one ready replica during the update that enables autoscaling",
    ),
    Fact(
        "hpa-scale-to-zero-gke",
        "An HPA alone cannot take a pool to zero and back on GKE (HPAScaleToZero is beta from Kubernetes 1.37 and "
        "only for Object or External metrics, and a vLLM gauge vanishes with the last pod), so minReplicas 0 "
        "scales through KEDA, which moves 0 <-> 1 itself.",
        "kubernetes.io/blog/2026/09/02/kubernetes-v1-37-hpa-scale-to-zero-beta/; llm-d guides/workload-autoscaling "
        "keda-epp-queue/README.md (Optional: Scale to Zero); GKE availability of the gate not found",
        "2026-12-01",
        False,
        "none for KEDA; a GKE release enabling the gate would allow the plain HPA a later design",
    ),
    Fact(
        "keda-gmp-workload-identity",
        "KEDA's operator (namespace keda, service account keda-operator) reads Managed Prometheus's PromQL API "
        "with its pod's Google credentials (TriggerAuthentication podIdentity gcp) once that principal holds "
        "roles/monitoring.viewer, with no Google service account or key.",
        "kedacore/keda v2.20.2 pkg/scalers/gcp/gcp_common.go (google.DefaultTokenSource, monitoring.read scope); "
        "cloud.google.com/kubernetes-engine/docs/concepts/workload-identity (principal:// grants)",
        "2026-12-01",
        False,
        "`kubectl describe scaledobject -n llm-d` shows 403 from monitoring.googleapis.com, and the pool never "
        "leaves zero",
    ),
    Fact(
        "gke-gateway-consults-epp-for-empty-pool",
        "GKE's managed internal gateway still calls the endpoint picker for a request to an InferencePool with no "
        "endpoints, so the router's flow-control counter records the attempt that wakes the pool; the callout ends "
        "within the extension's message timeout (1 s unless set) and the request then fails open with a 503.",
        "GoogleCloudPlatform/gke-gateway-api config/crd/networking.gke.io_gcproutingextensions.yaml (timeout "
        "10-1000 ms, default 1000 ms); llm-d/llm-d-router v0.10.0 pkg/epp/flowcontrol/README.md; GKE documentation "
        "of the InferencePool callout for an empty pool not found",
        "2026-12-01",
        False,
        "a chat to a pool at zero shows 'the model is starting' but llm_d_epp_flow_control_requests_total does not "
        "rise and the pool never wakes: set llmd:autoscaling.minReplicas back to 1",
    ),
    Fact(
        "keda-control-plane-ports",
        "A private GKE control plane reaches KEDA's metrics API server (pod port 6443) and admission webhook (9443) "
        "only through an extra firewall rule from the master range; without it the generated HPA cannot read its "
        "External metrics and a pool never grows past one replica.",
        "keda.sh/docs/2.20/operate/cluster (Firewall); kedacore/charts keda/values.yaml (metricsServer "
        "portHttpsTarget 6443, webhooks port 9443)",
        "2026-12-01",
        False,
        "`kubectl get apiservice v1beta1.external.metrics.k8s.io` shows FailedDiscoveryCheck",
    ),
    Fact(
        "cold-start-minutes",
        "A pool at zero answers its first request after about a node pool node's creation time, plus 2 min for "
        "the image, 1 min for weights streamed from Cloud Storage (5 from Hugging Face) and 1.5 min for vLLM's "
        "start (stacks/durations.py).",
        "estimates; Google's reference measured about 20 s to stream 59 GiB on H100 (accelerated-platforms "
        "vllm-runai)",
        "2026-12-01",
        False,
        "the plan's coldStartMinutesEstimate against the time from a chat's start notice to its first token",
    ),
)
