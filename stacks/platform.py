"""Facts about the GCP platform every stack shares."""

REQUIRED_APIS = (
    "artifactregistry.googleapis.com",
    "certificatemanager.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "containerfilesystem.googleapis.com",  # image streaming (node pools' gcfs_config)
    "endpoints.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "iap.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "networkservices.googleapis.com",
    "secretmanager.googleapis.com",
    "servicecontrol.googleapis.com",
    "servicemanagement.googleapis.com",
    "storage.googleapis.com",  # the frontend build's staging bucket
)

# Least privilege for GKE nodes (Google's hardening guide); never the default compute service account.
NODE_SERVICE_ACCOUNT_ROLES = (
    "roles/container.defaultNodeServiceAccount",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
    # Image streaming from Artifact Registry with a custom node service account needs it (GKE docs).
    "roles/serviceusage.serviceUsageConsumer",
)

# Google Cloud load balancer health checks come from these ranges.
HEALTH_CHECK_RANGES = ("35.191.0.0/16", "130.211.0.0/22")

# A node pool of a regional cluster without node_locations runs in three of the region's zones; its
# initial_node_count counts per zone (cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters,
# "node pools"; terraform-provider-google resource_container_node_pool.go, read 2026-12-01).
REGIONAL_POOL_DEFAULT_ZONES = 3

POD_RANGE_NAME = "pods"
SERVICE_RANGE_NAME = "services"

GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
CPU_INFERENCE_TAINT = {"key": "llm-d.ai/inference", "value": "cpu", "effect": "NO_SCHEDULE"}
INFERENCE_POOL_LABEL = {"llm-d.ai/pool": "inference"}
OAUTH_SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
