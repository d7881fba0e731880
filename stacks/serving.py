"""Facts the serving layer shares: ports, labels, gateway classes, mount paths."""

from __future__ import annotations

NAMESPACE = "llm-d"

# vLLM serves the OpenAI API, /health and /metrics on one port (no routing sidecar: routing.proxy off).
VLLM_PORT = 8000
EPP_EXT_PROC_PORT = 9002
EPP_HEALTH_PORT = 9003  # the EPP's gRPC health service, which GKE's InferencePool health check probes
FRONTEND_PORT = 8080  # the chat app (frontend/README.md)
EPP_METRICS_PORT_NAME = "metrics"  # the EPP container's 9090 port name in the inferencepool chart

# modelservice v0.4 labels every model pod with this (renamed from llm-d.ai/inferenceServing in v0.4).
SERVING_LABEL = {"llm-d.ai/inference-serving": "true"}
# Our per-model label: without it two model pools would share one InferencePool.
MODEL_LABEL_KEY = "llm-d.ai/model"

# The header GAIE's body-based router sets from the request's "model" field; a client may also set it.
MODEL_HEADER = "X-Gateway-Base-Model-Name"

# Gateway classes per gateway provider. The internal gateway on GKE must be the regional internal
# Application Load Balancer; an existing cluster uses Istio (OpenShift AI names its Istio class
# data-science-gateway-class).
GATEWAY_CLASSES: dict[str, tuple[str, ...]] = {
    "gke": ("gke-l7-rilb",),
    "istio": ("istio", "data-science-gateway-class"),
}

# Where the Hugging Face token file is mounted (Secret Manager add-on volume).
HF_TOKEN_DIR = "/var/run/secrets/huggingface"
HF_TOKEN_FILE = "hf_token"
HF_TOKEN_SECRET_KEY = "HF_TOKEN"  # the key modelservice's authSecretName expects

# GKE's Secret Manager add-on CSI driver.
SECRET_MANAGER_CSI_DRIVER = "secrets-store-gke.csi.k8s.io"

# What Google's load balancers (their health checks, and the internal gateway's proxies in the proxy-only subnet)
# connect to on the nodes: container-native NEGs send to these pod ports, nothing else needs to be open.
LOAD_BALANCED_PORTS = (VLLM_PORT, FRONTEND_PORT, EPP_EXT_PROC_PORT, EPP_HEALTH_PORT)

# The backend timeout must cover the longest generation: the reference's 300 s produced 504s.
MIN_BACKEND_TIMEOUT_S = 600
DEFAULT_BACKEND_TIMEOUT_S = 3600
