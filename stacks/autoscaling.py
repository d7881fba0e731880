"""How model-server replicas follow the load on GKE: the metric, its target and the autoscaler's pace.

GKE's HorizontalPodAutoscaler reads Managed Prometheus series through the Custom Metrics Stackdriver Adapter,
which exposes a GMP series as the Pods metric `prometheus.googleapis.com|<series>|<kind>`. Google's inference
autoscaling guidance scales LLM servers on the server's queue size (throughput and cost) or its batch size
(latency), never on CPU or GPU utilisation. Read 2026-12-01.
"""

from __future__ import annotations

from dataclasses import dataclass

READ_ON = "2026-12-01"
GOOGLE_GUIDANCE = "cloud.google.com/kubernetes-engine/docs/best-practices/machine-learning/inference/autoscaling"
K8S_HPA_DOCS = "kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale (Algorithm details; Support for "
"configurable scaling behavior; Migrating Deployments and StatefulSets to horizontal autoscaling)"


@dataclass(frozen=True)
class ScalingMetric:
    """A vLLM gauge the autoscaler may target, averaged over the pool's pods."""

    name: str  # the config value of llmd:autoscaling.metric
    series: str  # the vLLM series (stacks/metrics.py names it for every version set)
    default_target: float | None  # None: derived from the pool's batch limit (see `batch_target`)
    guidance: str

    @property
    def hpa_metric(self) -> str:
        """The adapter's name for the GMP series: prometheus.googleapis.com|<series>|<kind>."""
        return f"prometheus.googleapis.com|{self.series}|gauge"


METRICS: dict[str, ScalingMetric] = {
    m.name: m
    for m in (
        ScalingMetric(
            "queue-size",
            "vllm:num_requests_waiting",
            3.0,
            "queue size: 'start with a value between 3-5' and raise it until requests reach the latency you want "
            f"({GOOGLE_GUIDANCE})",
        ),
        # vLLM's batch is its running requests: one gauge serves both names of the guidance.
        ScalingMetric(
            "batch-size",
            "vllm:num_requests_running",
            None,
            "batch size: 'slightly beneath' the observed maximum batch, lowered until latency is acceptable "
            f"({GOOGLE_GUIDANCE})",
        ),
    )
}
DEFAULT_METRIC = "queue-size"
# With no observed peak yet, "slightly beneath the maximum" starts at this share of vLLM's max_num_seqs.
BATCH_TARGET_SHARE = 0.8


def batch_target(max_num_seqs: int) -> float:
    return float(max(1, int(max_num_seqs * BATCH_TARGET_SHARE)))


# Kubernetes' own behaviour defaults, which Google's guidance keeps (scale down after 5 min, up at once), with
# Google's reference manifests' 100 %/15 s policies (GoogleCloudPlatform/accelerated-platforms
# vllm-runai/base/hpa.yaml at 057896c; llm-d guides/workload-autoscaling keda-epp uses the same).
SCALE_UP_WINDOW_S = 0
SCALE_DOWN_WINDOW_S = 300
POLICY_PERIOD_S = 15
POLICY_PERCENT = 100
# The HPA acts only when current/target leaves [1 - t, 1 + t] (kube-controller-manager
# --horizontal-pod-autoscaler-tolerance, default 0.1; GKE does not change it).
TOLERANCE = 0.1


@dataclass(frozen=True)
class MetricsAdapter:
    """The Custom Metrics Stackdriver Adapter manifest (namespace, service account, Deployment, APIServices)."""

    version: str
    manifest_url: str
    namespace: str
    service_account: str
    # Read-only access to Cloud Monitoring through Workload Identity: the adapter only reads series.
    roles: tuple[str, ...]
    source: str
    # The image the manifest at the tag pins (its imagePullPolicy is Always).
    image: str


ADAPTER = MetricsAdapter(
    version="cm-sd-adapter-v0.16.9",
    manifest_url="https://raw.githubusercontent.com/GoogleCloudPlatform/k8s-stackdriver/cm-sd-adapter-v0.16.9/"
    "custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml",
    namespace="custom-metrics",
    service_account="custom-metrics-stackdriver-adapter",
    roles=("roles/monitoring.viewer",),
    source="GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/deploy/production/"
    "adapter_new_resource_model.yaml at tag cm-sd-adapter-v0.16.9 (f32cd9c7); cloud.google.com/kubernetes-engine/docs/"
    "tutorials/autoscaling-metrics (the adapter's KSA needs roles/monitoring.viewer through Workload Identity)",
    # At tag cm-sd-adapter-v0.16.9 (f32cd9c7) the manifest still pins v0.16.7-gke.0; v0.16.9-gke.0 came later
    # (af49d863).
    image="gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.16.7-gke.0",
)

# Why the autoscaler's minimum is at least 1: an HPA scales to zero only with the HPAScaleToZero gate (beta and on
# by default from Kubernetes 1.37, GKE availability unverified) and only on Object or External metrics; a Pods
# metric of vLLM has no series once no pod runs, so nothing could ever scale the pool back up.
SCALE_TO_ZERO_SOURCE = "kubernetes.io/blog/2026/09/02/kubernetes-v1-37-hpa-scale-to-zero-beta/"


# Scale to zero (llmd:autoscaling.minReplicas 0). An HPA cannot leave or reach zero on a vLLM gauge, so the pools
# then scale through KEDA, as llm-d's own guide does (guides/workload-autoscaling/keda-epp-queue): KEDA moves a pool
# between 0 and 1 itself, with no Kubernetes feature gate, and hands 1..N to the HPA it generates.
@dataclass(frozen=True)
class Keda:
    chart: str
    repository: str
    version: str
    namespace: str
    operator_service_account: str  # the operator evaluates the triggers, so it is the identity that reads metrics
    roles: tuple[str, ...]
    # Pod ports a private cluster's control plane must reach: the metrics API server (the HPA's External metrics)
    # and the admission webhook. GKE's own firewall rule opens 443 and 10250 only.
    control_plane_ports: tuple[int, ...]
    source: str


KEDA = Keda(
    chart="keda",
    repository="https://kedacore.github.io/charts",
    version="2.20.2",
    namespace="keda",
    operator_service_account="keda-operator",
    roles=("roles/monitoring.viewer",),
    control_plane_ports=(6443, 9443),
    source="keda.sh/docs/2.20/operate/cluster (Firewall: 6443 from the control plane on Google Cloud); "
    "kedacore/charts keda/values.yaml (metricsServer portHttpsTarget 6443, webhooks port 9443); "
    "kedacore/charts keda/Chart.yaml at 1444d00d (version and appVersion 2.20.2), keda/values.yaml "
    "(serviceAccount.operator.name keda-operator, crds.install true); kedacore/keda v2.20.2 "
    "pkg/scalers/prometheus_scaler.go and pkg/scalers/gcp/gcp_common.go (podIdentity provider gcp: Google's default "
    "credentials with the monitoring.read scope), apis/keda/v1alpha1/scaledobject_types.go "
    "(restoreToOriginalReplicaCount)",
)

# Managed Prometheus answers PromQL at this base (the scaler appends /api/v1/query), for the project's series of
# every cluster: each query therefore names this stack's cluster and namespace.
GMP_QUERY_URL = "https://monitoring.googleapis.com/v1/projects/{project}/location/global/prometheus"
GMP_QUERY_SOURCE = "cloud.google.com/stackdriver/docs/managed-prometheus/query-api-ui; kedacore/keda-docs #1153"

# The router's flow control (gate "flowControl", off by default): with it on, a request that finds its pool empty
# waits in the EPP ("a scale-from-zero waiting room") and every request is counted by outcome, so the router sees
# demand for a pool with no model pod, which no vLLM gauge can. On GKE the gateway's callout to the EPP is bounded by
# its extension message timeout (10-1000 ms for route extensions, 1000 ms when unset; GoogleCloudPlatform/
# gke-gateway-api config/crd/networking.gke.io_gcproutingextensions.yaml) and the pool fails open, so a request is
# held about a second, not for a cold start: the waiting is the client's (the chat retries), and the counter, which
# records each attempt, is what wakes the pool. llm-d/llm-d-router v0.10.0: pkg/epp/flowcontrol/config.go,
# cmd/epp/runner/runner.go, pkg/epp/flowcontrol/controller/internal/processor.go, pkg/epp/requestcontrol/admission.go,
# pkg/epp/metrics/llm_d_router_metrics.go (both series labelled inference_pool: the release's --pool-name).
FLOW_CONTROL_GATE = "flowControl"
FLOW_CONTROL_QUEUE_SERIES = "llm_d_epp_flow_control_queue_size"
FLOW_CONTROL_REQUESTS_SERIES = "llm_d_epp_flow_control_requests_total"
FLOW_CONTROL_SOURCE = "llm-d/llm-d-router v0.10.0 pkg/epp/flowcontrol, pkg/epp/requestcontrol/admission.go"
DROPPED_REASON_HEADER = "x-llm-d-request-dropped-reason"
# One replica per request waiting in the router, as in llm-d's guide (threshold 1).
FLOW_CONTROL_QUEUE_TARGET = 1.0
# Requests the router saw for the pool in this window wake it and keep it awake; longer than a scrape (10 s) plus
# KEDA's polling, so one attempt of a retrying client is enough.
WAKE_WINDOW = "2m"
# The wake trigger only activates: a target no request rate reaches keeps it from ever sizing the pool.
WAKE_ONLY_TARGET = 1_000_000.0
# How often KEDA reads the triggers (KEDA's default is 30 s; llm-d's guide uses 15 s).
KEDA_POLLING_S = 15
DEFAULT_IDLE_S = 900
DEFAULT_COLD_START_S = 900
# The least time a request must have left for its answer after waiting out a cold start.
MIN_ANSWER_S = 300
# The chat's own deadline ends this long before the load balancer's, so the user reads the chat's message.
CHAT_DEADLINE_MARGIN_S = 30
