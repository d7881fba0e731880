"""The GCP platform layer: project APIs, network, node identity, the GKE cluster, its pools and access."""
