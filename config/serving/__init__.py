"""The serving layer's config: schema (its keys), rules, resolve (the served models and serving settings)."""

from config.layers import Layer
from config.serving.autoscaling import AutoscalingSettings, autoscaling
from config.serving.resolve import (
    ExistingClusterSettings,
    ServedModel,
    ServingSettings,
    resolve,
    served_model,
)
from config.serving.rules import (
    CONTEXT_PLACEHOLDER,
    chosen_version_set,
    existing_cluster_context,
    extra_models,
    gateway_class,
    hf_token_for_gated_models,
    looks_like_kubeconfig_contents,
    model_slug,
    namespace_problem,
    scheduler_plugins,
    version_set,
)
from config.serving.schema import (
    BACKEND_TIMEOUT_WHY,
    HF_TOKEN,
    K8S_LABEL,
    AutoscalingSection,
    ExistingClusterSection,
    ExtraModelSection,
    GatewaySection,
    PluginSection,
    SchedulerSection,
    ServingKeys,
    WeightsSection,
)
from config.serving.weights import WeightsSettings, bucket_name_problem, weights

RULES = (
    version_set,
    scheduler_plugins,
    gateway_class,
    extra_models,
    hf_token_for_gated_models,
    existing_cluster_context,
    weights,
    autoscaling,
)
SERVING = Layer(name="serving", keys=(ServingKeys,), rules=RULES)

__all__ = [
    "BACKEND_TIMEOUT_WHY",
    "K8S_LABEL",
    "PluginSection",
    "SchedulerSection",
    "GatewaySection",
    "ExistingClusterSection",
    "ExtraModelSection",
    "HF_TOKEN",
    "ServingKeys",
    "model_slug",
    "scheduler_plugins",
    "version_set",
    "chosen_version_set",
    "gateway_class",
    "extra_models",
    "hf_token_for_gated_models",
    "CONTEXT_PLACEHOLDER",
    "looks_like_kubeconfig_contents",
    "namespace_problem",
    "existing_cluster_context",
    "ServedModel",
    "ExistingClusterSettings",
    "ServingSettings",
    "served_model",
    "resolve",
    "WeightsSection",
    "WeightsSettings",
    "bucket_name_problem",
    "weights",
    "AutoscalingSection",
    "AutoscalingSettings",
    "autoscaling",
]
