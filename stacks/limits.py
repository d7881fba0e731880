"""Limits of the services the program configures, with where each comes from (checked 2025-06).

The config rules (config/) refuse values beyond these before anything is created, and name the limit in the fix.
"""

from __future__ import annotations

# GKE quotas and limits (https://cloud.google.com/kubernetes-engine/quotas): "Nodes per node pool zone: 1,000".
# A regional pool's total maximum is therefore at most 1,000 x its zones.
NODES_PER_POOL_ZONE = 1000
# Zones a regional node pool spans when the config names none (GKE's default: three of the region's zones).
REGIONAL_POOL_ZONES = 3

# GKE gives each node a slice of the Pod range sized for twice its maximum Pods
# (https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr): at the default of 110 Pods per node,
# a /24 per node.
POD_SLICE_PREFIX = 24
DEFAULT_MAX_PODS_PER_NODE = 110

# Backend service timeout (https://cloud.google.com/load-balancing/docs/https#timeout-bes): the API accepts up to
# 2,147,483,647 s, but Google does not recommend more than 24 hours (86,400 s) because GFEs and Envoy proxies are
# restarted for maintenance, which ends longer requests anyway.
MAX_BACKEND_TIMEOUT_S = 86400

# Labels on Google Cloud resources (https://cloud.google.com/compute/docs/labeling-resources#requirements): at most
# 64 per resource; keys and values at most 63 characters of lowercase letters, digits, '_' and '-'; keys start with a
# lowercase letter.
MAX_LABELS = 64
LABEL_MAX_CHARS = 63

# Hugging Face repository ids (huggingface_hub.utils.validate_repo_id): `<namespace>/<name>`, each part of letters,
# digits, '-', '_' and '.', neither starting nor ending with '-' or '.', no '--' or '..', the name at most 96 chars.
HF_NAME_MAX_CHARS = 96

# Kubernetes namespace names are RFC 1123 labels
# (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names).
K8S_LABEL_MAX_CHARS = 63

# Authorised networks for the control plane: Google's guidance is to list only the ranges you administer. A public
# range broader than this prefix length is refused as "most of the internet".
BROADEST_PUBLIC_AUTHORIZED_PREFIX = 8
