"""Facts of the llm-d v0.9.0 release set, as plain data (no imports from config/ or components/).

Every value was read upstream on READ_ON from the sources named in SOURCES (repo, path, tag or commit); the
companion note is docs/llm-d-v0.9.0.md. A value marked `verified=False` (or listed in UNVERIFIED) could not be
confirmed from a primary source and must not be relied on without a check. Nothing here is copied upstream code:
it is a record of names, numbers and shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

READ_ON = "2026-12-01"

# Where each fact was read. Keys are used as `source=` below.
SOURCES: dict[str, str] = {
    "router": "llm-d/llm-d-router tag v0.10.0 (annotated tag 0b43c187, commit 71f4f0999f95, 2026-08-17)",
    "router-chart": "llm-d/llm-d-router v0.10.0 config/charts/{llm-d-router-gateway,routerlib}; rendered with helm "
    "v4.1.4 "
    "after reproducing hack/push-chart.sh (image tag/chart version v0.10.0)",
    "router-registry": "llm-d/llm-d-router v0.10.0 cmd/epp/runner/runner.go registerInTreePlugins() and each plugin's "
    "factory/parameter struct under pkg/epp/framework/plugins/",
    "router-config": "llm-d/llm-d-router v0.10.0 apix/config/v1alpha1/endpointpickerconfig_types.go, "
    "pkg/epp/config/loader/{configloader,defaults}.go, pkg/epp/framework/interface/plugin/registry.go",
    "router-metrics": "llm-d/llm-d-router v0.10.0 pkg/epp/metrics/{llm_d_router_metrics,metrics}.go, "
    "pkg/epp/metrics/collectors/inference_pool.go, plugin metrics.go files, docs/metrics.md",
    "router-crds": "llm-d/llm-d-router v0.10.0 "
    "config/crd/bases/llm-d.ai_{inferenceobjectives,inferencemodelrewrites}.yaml, "
    "Makefile target `artifacts`, .github/workflows/ci-release.yaml",
    "guides": "llm-d/llm-d guides at the v0.9.0 pin (fork scydas/llm-d, commit e3dbeca185fa, 2026-08-18, PR #2315): "
    "guides/env.sh, guides/optimized-baseline/, guides/recipes/{router,modelserver,gateway}/; kustomize v5.5.0 render",
    "gke-docs": "llm-d/llm-d e3dbeca1 docs/infrastructure/gateway/gke.md, docs/infrastructure/providers/gke/README.md, "
    "docs/infrastructure/README.md",
    "gke-crd": "GoogleCloudPlatform/gke-gateway-api HEAD fc40d606 (2026-04-29) config/crd/networking.gke.io_"
    "{healthcheckpolicies,gcpbackendpolicies}.yaml",
    "google-ref": "GoogleCloudPlatform/accelerated-platforms HEAD 9320f3b2 (2026-08-20) platforms/gke/base/use-cases/"
    "inference-ref-arch/examples/llmd/ and kubernetes-manifests/online-inference-gpu/llmd-optimized-baseline/",
}


@dataclass(frozen=True)
class Ref:
    value: str
    source: str
    verified: bool = True
    note: str = ""


# --- Images and charts --------------------------------------------------------------------------------------
ROUTER_CHART = Ref("oci://ghcr.io/llm-d/charts/llm-d-router-gateway", "guides", note="version v0.10.0; `v0` is rolling")
ROUTER_CHART_VERSION = Ref("v0.10.0", "router-chart", note="Chart.yaml in git says 0.0.0; push-chart.sh sets the tag")
ROUTER_STANDALONE_CHART = Ref("oci://ghcr.io/llm-d/charts/llm-d-router-standalone", "guides")
EPP_IMAGE = Ref(
    "ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0",
    "router-chart",
    note="git values say tag `main`, pullPolicy Always; the published chart has v0.10.0/IfNotPresent",
)
VLLM_CUDA_IMAGE = Ref(
    "docker.io/vllm/vllm-openai:v0.26.0", "guides", note="recipes/modelserver/components/images/gpu-vllm/release"
)
VLLM_CPU_IMAGE = Ref(
    "docker.io/vllm/vllm-openai-cpu:v0.26.0", "guides", note="recipes/modelserver/components/images/cpu-vllm/release"
)
LLMD_CUDA_IMAGE_OPTIONAL = Ref(
    "ghcr.io/llm-d/llm-d-cuda:v0.9.0",
    "guides",
    note="recipes/modelserver/components/images/gpu-vllm/llm-d/release (alternative)",
)
TOKENIZER_SIDECAR_IMAGE_DEFAULT = Ref(
    "docker.io/vllm/vllm-openai-cpu:v0.19.1", "router-chart", note="router.tokenizer.image; disabled by default"
)
GATEWAY_API_VERSION = Ref("v1.5.1", "guides", note="guides/env.sh GATEWAY_API_VERSION")
GAIE_VERSION = Ref("v1.5.0", "guides", note="guides/env.sh GAIE_VERSION; InferencePool CRD from its v1-manifests.yaml")
ROUTER_CRDS_URL = Ref(
    "https://github.com/llm-d/llm-d-router/releases/download/v0.10.0/manifests.yaml",
    "router-crds",
    verified=False,
    note="URL built from guides/env.sh ROUTER_RELEASE_URL + guides/flow-control/README.md; the asset "
    "itself (built by `make artifacts`: CRDs of group llm-d.ai only) was not downloaded",
)
GAIE_CRDS_URL = Ref(
    "https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.5.0/v1-manifests.yaml",
    "guides",
    note="guides/optimized-baseline/guide.yaml prerequisites.gaie",
)

# The minimum GKE control plane: GKE installs the GA Gateway API and InferencePool CRDs itself from this version.
MIN_GKE_VERSION = Ref("1.34.0-gke.1626000", "gke-docs", note="docs/infrastructure/gateway/gke.md; older: install CRDs")

# --- CRDs ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crd:
    group: str
    version: str
    kind: str
    plural: str
    spec_fields: dict[str, str]
    source: str
    installed_by_chart: bool = False


CRDS: dict[str, Crd] = {
    "InferencePool": Crd(
        "inference.networking.k8s.io",
        "v1",
        "InferencePool",
        "inferencepools",
        {
            "selector.matchLabels": "map[string]string (required)",
            "targetPorts[].number": "int (required)",
            "appProtocol": "http | kubernetes.io/h2c (chart sets it from router.modelServers.protocol)",
            "endpointPickerRef.name": "string",
            "endpointPickerRef.port.number": "int (9002)",
            "endpointPickerRef.failureMode": "FailOpen | FailClose",
        },
        "router-chart (routerlib/templates/_inferencepool.yaml)",
        installed_by_chart=False,
    ),
    "InferenceObjective": Crd(
        "llm-d.ai",
        "v1alpha2",
        "InferenceObjective",
        "inferenceobjectives",
        {
            "poolRef.name": "string (required)",
            "poolRef.group": "string, default inference.networking.k8s.io",
            "poolRef.kind": "string, default InferencePool",
            "priority": "int (optional, no default; negative allowed)",
        },
        "router-crds",
    ),
    "InferenceModelRewrite": Crd(
        "llm-d.ai",
        "v1alpha2",
        "InferenceModelRewrite",
        "inferencemodelrewrites",
        {
            "poolRef.name": "string (required)",
            "poolRef.group": "string, default inference.networking.k8s.io",
            "poolRef.kind": "string, default InferencePool",
            "rules": "array (required)",
            "rules[].matches[].model": "object",
            "rules[].targets[].modelRewrite": "string (required)",
            "rules[].targets[].weight": "int 1..1000000",
        },
        "router-crds",
    ),
}
# The chart creates one InferenceObjective per router.inferenceObjectives[] entry ({name, priority}) with
# poolRef {group: inference.networking.k8s.io, name: <release>} — only when router.inferencePool.create is true.
# The EPP Role also reads the legacy inference.networking.x-k8s.io group; with both CRD groups installed the EPP
# reconciles only llm-d.ai (RELEASE-NOTES.md, PR #1449).

# --- EndpointPickerConfig -----------------------------------------------------------------------------------
EPP_CONFIG_API_VERSION = "llm-d.ai/v1alpha1"
EPP_CONFIG_DEPRECATED_API_VERSION = "inference.networking.x-k8s.io/v1alpha1"  # accepted, logs a DEPRECATION line
EPP_CONFIG_KIND = "EndpointPickerConfig"
EPP_CONFIG_SCHEMA: dict[str, str] = {
    "featureGates": "[]string, 'name' or 'name=true|false'",
    "plugins": "[]{name?: string (defaults to type), type: string, parameters?: object} (required)",
    "schedulingProfiles": "[]{name: string, plugins: []{pluginRef: string, weight?: float64}} (required)",
    "dataLayer": "{injectDefaults?: bool (default true), sources?: []{pluginRef, extractors: []{pluginRef}}, "
    "discovery?: {pluginRef}, crossReplicaSyncerPluginRef?: string, crossReplicaSyncInterval?: duration}",
    "flowControl": "{maxBytes?, maxRequests?: quantity, defaultRequestTTL?: duration (60s), defaultPriorityBand?, "
    "defaultNegativePriorityBand?, priorityBands?: []{priority: int, maxBytes?, maxRequests?, fairnessPolicyRef?, "
    "orderingPolicyRef?}, usageLimitPolicyPluginRef?: string, saturationDetector?: {pluginRef}, "
    "enableEviction?: bool}; only honoured with feature gate flowControl (default off), except saturationDetector",
    "requestHandler": "{parsers?: []{pluginRef}} (default openai-parser, anthropic-parser, vllmhttp-parser)",
    "saturationDetector": "DEPRECATED top-level; moved to flowControl.saturationDetector",
    "parser": "DEPRECATED top-level; moved to requestHandler.parsers",
}
# The envelope is decoded strictly (serializer.EnableStrict: unknown or duplicate fields fail). Plugin parameters
# go through a json.Decoder with DisallowUnknownFields; a plugin whose factory ignores its decoder (see
# Plugin.note) accepts any parameters silently. Alpha plugins need the EPP flag --allow-experimental-plugins.
EPP_CONFIG_DEFAULTS: dict[str, str] = {
    "plugin name": "type, when omitted",
    "scorer weight": "1.0 when omitted",
    "picker": "max-score-picker appended to every profile without a picker",
    "profile handler": "single-profile-handler when there is one profile and no handler",
    "saturation detector": "utilization-detector",
    "flow-control policies": "fcfs-ordering-policy, global-strict-fairness-policy, static-usage-limit-policy",
    "data producers": "a consumer's missing default producer is created (runner.go CreateMissingDataProducers): "
    "approx-prefix-cache-producer, inflight-load-producer, token-producer, session-id-producer, ...",
    "data layer": "metrics-data-source + core-metrics-extractor injected unless dataLayer.injectDefaults is false",
}

# --- Plugin registry ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plugin:
    """One registered plugin type: its kind (by package), stability, parameters {json name: Go type}, file."""

    kind: str
    stability: str  # alpha plugins need --allow-experimental-plugins
    parameters: dict[str, str] | None  # None: not extracted (see note); {}: factory ignores its parameters
    file: str
    deprecated: tuple[str, str] | None = None  # (deprecated in, scheduled removal in)
    note: str = ""


# Every type registered by cmd/epp/runner/runner.go registerInTreePlugins() at v0.10.0 (96 distinct types;
# prefill-filter and decode-filter are registered twice). Kinds are read from the package path
# (pkg/epp/framework/plugins/<area>/<kind>/...). Parameter names/types come from each factory's decode target;
# defaults are in PLUGIN_DEFAULTS for the plugins the program can use.
PLUGINS: dict[str, Plugin] = {
    "active-request-scorer": Plugin(
        "scorer",
        "beta",
        {
            "requestTimeout": "string",
            "idleThreshold": "int",
            "maxBusyScore": "*float64",
            "inFlightLoadProducerName": "string",
        },
        "pkg/epp/framework/plugins/scheduling/scorer/activerequest/active_request.go",
    ),
    "agent-identity": Plugin(
        "request-header-processor",
        "alpha",
        {"additionalSessionHeaders": "[]string"},
        "pkg/epp/framework/plugins/requestcontrol/requestheader/agentidentity/agent_identity.go",
    ),
    "always-disagg-multimodal-decider": Plugin(
        "pd-decider",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/always_disagg_mm_decider.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "always-disagg-pd-decider": Plugin(
        "pd-decider",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/always_disagg_pd_decider.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "anthropic-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/anthropic/anthropic.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "approx-prefix-cache-producer": Plugin(
        "data-producer",
        "beta",
        {
            "autoTune": "bool",
            "blockSizeTokens": "int",
            "blockSize": "int (deprecated, mapped to blockSizeTokens)",
            "maxPrefixBlocksToMatch": "int",
            "maxPrefixTokensToMatch": "int",
            "lruCapacityPerServer": "int",
        },
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/approximateprefix/plugin.go",
    ),
    "burst-prefix-cache-producer": Plugin(
        "data-producer",
        "alpha",
        None,
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/burstprefix/types.go",
        note="parameters not extracted (unverified)",
    ),
    "by-label": Plugin(
        "filter",
        "beta",
        {"label": "string", "validValues": "[]string", "allowsNoLabel": "bool"},
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/filter.go",
        deprecated=("v0.9.0", "v0.11.0"),
    ),
    "by-label-selector": Plugin(
        "filter",
        "beta",
        None,
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/selector.go",
        deprecated=("v0.9.0", "v0.11.0"),
        note="delegates to label-selector-filter",
    ),
    "concurrency-detector": Plugin(
        "saturation-detector",
        "beta",
        {
            "maxConcurrency": "*int64",
            "headroom": "*float64",
            "concurrencyMode": "*concurrencyMode",
            "maxTokenConcurrency": "*int64",
            "inFlightLoadProducerName": "string",
        },
        "pkg/epp/framework/plugins/flowcontrol/saturationdetector/concurrency/detector.go",
    ),
    "context-length-aware": Plugin(
        "scorer",
        "beta",
        {"label": "string", "enableFiltering": "bool"},
        "pkg/epp/framework/plugins/scheduling/scorer/contextlengthaware/context_length_aware.go",
    ),
    "core-metrics-extractor": Plugin(
        "data-extractor",
        "beta",
        {"engineLabelKey": "string", "defaultEngine": "string", "engineConfigs": "[]engineConfigParams"},
        "pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go",
    ),
    "data-parallel-profile-handler": Plugin(
        "profile-handler",
        "beta",
        {"primaryPort": "int"},
        "pkg/epp/framework/plugins/scheduling/profilehandler/dataparallel/dp_profile_handler.go",
    ),
    "dcgm-data-source": Plugin(
        "data-source",
        "alpha",
        {
            "scheme": "string",
            "path": "string",
            "port": "int",
            "insecureSkipVerify": "bool",
            "useNodeAddress": "bool",
            "interval": "string",
        },
        "pkg/epp/framework/plugins/datalayer/source/dcgm/datasource.go",
    ),
    "dcgm-extractor": Plugin(
        "data-extractor",
        "alpha",
        {},
        "pkg/epp/framework/plugins/datalayer/attribute/gpu/data_types.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "decode-filter": Plugin(
        "filter",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/roles.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "destination-endpoint-served-verifier": Plugin(
        "response-verifier",
        "beta",
        {},
        "pkg/epp/framework/plugins/requestcontrol/test/responsereceived/destination_endpoint_served_verifier.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "disagg-headers-handler": Plugin(
        "profile-handler",
        "beta",
        {"prefillProfile": "string", "encodeProfile": "string"},
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/disagg_headers_handler.go",
        deprecated=("v0.9.0", "v0.11.0"),
    ),
    "disagg-profile-handler": Plugin(
        "profile-handler",
        "beta",
        None,
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/disagg_profile_handler.go",
        note="delegates to own config parser (DisaggProfileHandlerConfigParser)",
    ),
    "disaggregatedset-rollout-screener": Plugin(
        "request-screener",
        "alpha",
        {"scope": "Scope", "headerSelectors": "[]HeaderSelector", "revisionGating": "*RevisionGating"},
        "pkg/epp/framework/plugins/requestcontrol/screener/disaggregatedsetrollout/plugin.go",
    ),
    "edf-ordering-policy": Plugin(
        "ordering-policy",
        "beta",
        {},
        "pkg/epp/framework/plugins/flowcontrol/ordering/edf/edf.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "encode-filter": Plugin(
        "filter",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/roles.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "endpoint-attribute-filter": Plugin(
        "filter",
        "alpha",
        {"attribute": "string", "onMissing": "string", "fallbackOnEmpty": "bool", "algorithm": "algorithmParameters"},
        "pkg/epp/framework/plugins/scheduling/filter/endpointattribute/filter.go",
    ),
    "endpoint-attribute-scorer": Plugin(
        "scorer",
        "alpha",
        {"attributeKey": "string", "algorithm": "algorithmParameters"},
        "pkg/epp/framework/plugins/scheduling/scorer/endpointattribute/endpointattribute.go",
    ),
    "endpoint-notification-source": Plugin(
        "data-source",
        "beta",
        {},
        "pkg/epp/framework/plugins/datalayer/source/notifications/endpoint_datasource.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "fcfs-ordering-policy": Plugin(
        "ordering-policy",
        "beta",
        {},
        "pkg/epp/framework/plugins/flowcontrol/ordering/fcfs/fcfs.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "file-discovery": Plugin(
        "endpoint-discovery",
        "beta",
        None,
        "pkg/epp/framework/plugins/datalayer/discovery/file/plugin.go",
        note="delegates to own factory (not decoded inline)",
    ),
    "global-strict-fairness-policy": Plugin(
        "fairness-policy",
        "beta",
        {},
        "pkg/epp/framework/plugins/flowcontrol/fairness/globalstrict/global_strict.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "header-based-testing-filter": Plugin(
        "filter",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/test/filter/request_header_based_filter.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "header-label-affinity-scorer": Plugin(
        "scorer",
        "alpha",
        {"headerName": "string", "labelKey": "string"},
        "pkg/epp/framework/plugins/scheduling/scorer/headerlabelaffinity/plugin.go",
    ),
    "header-profile-handler": Plugin(
        "profile-handler",
        "alpha",
        {"headerName": "string", "defaultProfile": "string"},
        "pkg/epp/framework/plugins/scheduling/profilehandler/headerprofile/header_profile_handler.go",
    ),
    "inflight-load-producer": Plugin(
        "data-producer",
        "beta",
        {
            "addEstimatedOutputTokens": "bool",
            "outputRatio": "*float64",
            "maxEstimatedOutputTokens": "*int64",
            "prefixMatchInfoProducerName": "string",
            "syncCrossReplicaState": "*bool",
        },
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/inflightload/producer.go",
    ),
    "k8s-notification-source": Plugin(
        "data-source",
        "beta",
        {"group": "string", "version": "string", "kind": "string"},
        "pkg/epp/framework/plugins/datalayer/source/notifications/factory.go",
    ),
    "kv-cache-utilization-scorer": Plugin(
        "scorer",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/scorer/kvcacheutilization/kvcache_utilization.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "label-selector-filter": Plugin(
        "filter",
        "beta",
        {"matchLabels": "map[string]string", "matchExpressions": "[]LabelSelectorRequirement"},
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/selector.go",
    ),
    "latency-scorer": Plugin(
        "scorer",
        "beta",
        None,
        "pkg/epp/framework/plugins/scheduling/scorer/latency/plugin.go",
        note="parameters not extracted (unverified)",
    ),
    "latency-slo-admitter": Plugin(
        "admitter",
        "beta",
        None,
        "pkg/epp/framework/plugins/requestcontrol/admitter/latencyslo/plugin.go",
        note="parameters not extracted (unverified)",
    ),
    "load-aware-scorer": Plugin(
        "scorer", "beta", {"threshold": "int"}, "pkg/epp/framework/plugins/scheduling/scorer/loadaware/load_aware.go"
    ),
    "lora-affinity-scorer": Plugin(
        "scorer",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/scorer/loraaffinity/lora_affinity.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "max-score-picker": Plugin(
        "picker", "beta", {"maxNumOfEndpoints": "int"}, "pkg/epp/framework/plugins/scheduling/picker/maxscore/picker.go"
    ),
    "metrics-data-source": Plugin(
        "data-source",
        "beta",
        {
            "scheme": "string",
            "path": "string",
            "port": "*int",
            "insecureSkipVerify": "bool",
            "caCertPath": "string",
            "clientCertPath": "string",
            "clientKeyPath": "string",
            "interval": "string",
        },
        "pkg/epp/framework/plugins/datalayer/source/metrics/datasource.go",
    ),
    "mm-embeddings-cache-producer": Plugin(
        "data-producer",
        "beta",
        {"cacheSizeInMBPerServer": "int"},
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/multimodal/producer.go",
    ),
    "mm-embeddings-cache-scorer": Plugin(
        "scorer",
        "beta",
        {"producerName": "string"},
        "pkg/epp/framework/plugins/scheduling/scorer/mmcacheaffinity/scorer.go",
    ),
    "models-data-extractor": Plugin(
        "data-extractor",
        "beta",
        {},
        "pkg/epp/framework/plugins/datalayer/attribute/models/data_types.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "models-data-source": Plugin(
        "data-source",
        "beta",
        {
            "scheme": "string",
            "path": "string",
            "insecureSkipVerify": "bool",
            "caCertPath": "string",
            "clientCertPath": "string",
            "clientKeyPath": "string",
            "interval": "string",
        },
        "pkg/epp/framework/plugins/datalayer/source/models/datasource.go",
    ),
    "multicluster-approx-prefix-cache-producer": Plugin(
        "data-producer",
        "alpha",
        None,
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/approximateprefix/multicluster.go",
        note="delegates to approx-prefix-cache-producer",
    ),
    "multicluster-file-discovery": Plugin(
        "endpoint-discovery",
        "alpha",
        None,
        "pkg/epp/framework/plugins/datalayer/discovery/file/multicluster.go",
        note="delegates to own factory (not decoded inline)",
    ),
    "multicluster-kv-cache-utilization-scorer": Plugin(
        "scorer",
        "alpha",
        None,
        "pkg/epp/framework/plugins/scheduling/scorer/kvcacheutilization/multicluster.go",
        note="delegates to another factory",
    ),
    "multicluster-metrics-data-source": Plugin(
        "data-source",
        "alpha",
        {
            "scheme": "string",
            "path": "string",
            "port": "*int",
            "insecureSkipVerify": "bool",
            "caCertPath": "string",
            "clientCertPath": "string",
            "clientKeyPath": "string",
            "interval": "string",
        },
        "pkg/epp/framework/plugins/datalayer/source/metrics/multicluster.go",
    ),
    "multicluster-metrics-extractor": Plugin(
        "data-extractor",
        "alpha",
        {"kvCacheUtilizationMetric": "string", "queueSizeMetric": "string"},
        "pkg/epp/framework/plugins/datalayer/extractor/metrics/multicluster.go",
    ),
    "multicluster-prefix-cache-scorer": Plugin(
        "scorer",
        "alpha",
        None,
        "pkg/epp/framework/plugins/scheduling/scorer/prefix/multicluster.go",
        note="delegates to prefix-cache-scorer",
    ),
    "multicluster-queue-scorer": Plugin(
        "scorer",
        "alpha",
        None,
        "pkg/epp/framework/plugins/scheduling/scorer/queuedepth/multicluster.go",
        note="delegates to another factory",
    ),
    "multicluster-session-affinity-filter": Plugin(
        "filter",
        "alpha",
        None,
        "pkg/epp/framework/plugins/scheduling/filter/sessionaffinity/multicluster.go",
        note="delegates to session-affinity-filter",
    ),
    "no-hit-lru-scorer": Plugin(
        "scorer",
        "beta",
        {
            "prefixPluginType": "string",
            "prefixPluginName": "string",
            "lruSize": "int",
            "prefixMatchInfoProducerName": "string",
        },
        "pkg/epp/framework/plugins/scheduling/scorer/nohitlru/no_hit_lru.go",
    ),
    "openai-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/openai/openai.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "p2p-source-producer": Plugin(
        "data-producer",
        "alpha",
        {"prefixMatchInfoProducerName": "string", "minCachedTokenDelta": "int", "prefillProfileName": "string"},
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/p2psource/producer.go",
    ),
    "passthrough-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/passthrough/passthrough.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "pd-profile-handler": Plugin(
        "profile-handler",
        "beta",
        None,
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/pd_profile_handler.go",
        deprecated=("v0.7.0", "v0.9.0"),
        note="delegates to disagg-profile-handler (own config parser)",
    ),
    "precise-prefix-cache-producer": Plugin(
        "data-producer",
        "beta",
        {
            "tokenProcessorConfig": "*kvblock.TokenProcessorConfig",
            "indexerConfig": "*kvcache.Config",
            "kvEventsConfig": "*kvevents.Config",
            "speculativeIndexing": "bool",
            "speculativeTTL": "string",
        },
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/preciseprefixcache/producer.go",
    ),
    "precise-prefix-cache-scorer": Plugin(
        "scorer",
        "beta",
        {
            "tokenProcessorConfig": "*kvblock.TokenProcessorConfig",
            "indexerConfig": "*kvcache.Config",
            "kvEventsConfig": "*kvevents.Config",
            "speculativeIndexing": "bool",
            "speculativeTTL": "string",
        },
        "pkg/epp/framework/plugins/scheduling/scorer/preciseprefixcache/precise_prefix_cache.go",
    ),
    "predicted-latency-producer": Plugin(
        "data-producer",
        "beta",
        None,
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/predictedlatency/plugin.go",
        note="parameters not extracted (unverified)",
    ),
    "prefill-filter": Plugin(
        "filter",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/filter/bylabel/roles.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "prefill-header-handler": Plugin(
        "profile-handler",
        "beta",
        {"prefillProfile": "string", "encodeProfile": "string"},
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/disagg_headers_handler.go",
        deprecated=("v0.9.0", "v0.11.0"),
    ),
    "prefix-based-pd-decider": Plugin(
        "pd-decider",
        "beta",
        {"nonCachedTokens": "int", "promptTokens": "int"},
        "pkg/epp/framework/plugins/scheduling/profilehandler/disagg/prefix_based_pd_decider.go",
    ),
    "prefix-cache-affinity-filter": Plugin(
        "filter",
        "beta",
        {
            "affinityThreshold": "float64",
            "explorationProbability": "float64",
            "maxTTFTPenaltyMs": "float64",
            "ttftSource": "string (prefillThroughput|latencyPredictor)",
            "peakPrefillThroughput": "float64",
            "prefixMatchInfoProducerName": "string",
            "latencyPredictionInfoProducerName": "string",
            "inFlightLoadProducerName": "string",
        },
        "pkg/epp/framework/plugins/scheduling/filter/prefixcacheaffinity/plugin.go",
    ),
    "prefix-cache-scorer": Plugin(
        "scorer",
        "beta",
        {"prefixMatchInfoProducerName": "string", "matchLengthWeight": "float64", "matchLengthScaleTokens": "int"},
        "pkg/epp/framework/plugins/scheduling/scorer/prefix/plugin.go",
    ),
    "priority-holdback-policy": Plugin(
        "usage-limit-policy",
        "alpha",
        {"shape": "*string", "domain": "*string", "minCeiling": "*float64", "maxCeiling": "*float64"},
        "pkg/epp/framework/plugins/flowcontrol/usagelimits/priorityholdback/priority_holdback.go",
    ),
    "priority-then-time-eviction-order-policy": Plugin(
        "eviction-ordering",
        "alpha",
        {},
        "pkg/epp/framework/plugins/flowcontrol/eviction/ordering/priority_time.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "probabilistic-admitter": Plugin(
        "admitter",
        "beta",
        {"queueDepthThreshold": "int", "kvCacheUtilThreshold": "float64", "power": "float64", "k": "float64"},
        "pkg/epp/framework/plugins/requestcontrol/admitter/probabilisticadmitter/plugin.go",
    ),
    "program-aware-fairness": Plugin(
        "fairness-policy",
        "beta",
        {
            "strategy": "string",
            "evictionTtlSeconds": "float64",
            "evictionSweepSeconds": "float64",
            "lasWeightService": "float64",
            "lasWeightHeadWait": "float64",
            "lasDecayFactor": "float64",
            "lasHalfLifeSeconds": "float64",
        },
        "pkg/epp/framework/plugins/flowcontrol/fairness/program-aware/plugin.go",
    ),
    "queue-scorer": Plugin(
        "scorer",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/scorer/queuedepth/queue.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "random-picker": Plugin(
        "picker", "beta", {"maxNumOfEndpoints": "int"}, "pkg/epp/framework/plugins/scheduling/picker/random/picker.go"
    ),
    "request-attribute-reporter": Plugin(
        "request-attribute-reporter",
        "beta",
        {"attributes": "[]Attribute"},
        "pkg/epp/framework/plugins/requestcontrol/requestattributereporter/plugin.go",
    ),
    "round-robin-fairness-policy": Plugin(
        "fairness-policy",
        "beta",
        {},
        "pkg/epp/framework/plugins/flowcontrol/fairness/roundrobin/roundrobin.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "running-requests-size-scorer": Plugin(
        "scorer",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/scorer/runningrequests/runningrequest.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "session-affinity-filter": Plugin(
        "filter",
        "alpha",
        {
            "strategy": "string",
            "encodedEndpointHeaderConfig": "sessionutil.EncodedEndpointHeaderConfig",
            "sessionIdConfig": "sessionutil.SessionIDConfig",
            "profileName": "string",
        },
        "pkg/epp/framework/plugins/scheduling/filter/sessionaffinity/session_affinity.go",
    ),
    "session-affinity-scorer": Plugin(
        "scorer",
        "alpha",
        {
            "strategy": "string",
            "encodedEndpointHeaderConfig": "sessionutil.EncodedEndpointHeaderConfig",
            "sessionIdConfig": "sessionutil.SessionIDConfig",
            "profileName": "string",
        },
        "pkg/epp/framework/plugins/scheduling/scorer/sessionaffinity/session_affinity.go",
    ),
    "session-id-producer": Plugin(
        "data-producer",
        "beta",
        {"headerName": "string", "cookieName": "string"},
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/sessionid/producer.go",
    ),
    "sheddable-eviction-filter": Plugin(
        "eviction-filter",
        "alpha",
        {},
        "pkg/epp/framework/plugins/flowcontrol/eviction/filtering/sheddable.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "single-profile-handler": Plugin(
        "profile-handler",
        "beta",
        {},
        "pkg/epp/framework/plugins/scheduling/profilehandler/single/single_profile_handler.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "slo-deadline-ordering-policy": Plugin(
        "ordering-policy",
        "beta",
        {},
        "pkg/epp/framework/plugins/flowcontrol/ordering/slodeadline/slo_deadline.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "slo-headroom-tier-filter": Plugin(
        "filter",
        "beta",
        None,
        "pkg/epp/framework/plugins/scheduling/filter/sloheadroomtier/plugin.go",
        note="parameters not extracted (unverified)",
    ),
    "soft-reflective-ceiling-policy": Plugin(
        "usage-limit-policy",
        "alpha",
        None,
        "pkg/epp/framework/plugins/flowcontrol/usagelimits/softreflectiveceiling/policy.go",
        note="parameters not extracted (unverified)",
    ),
    "static-usage-limit-policy": Plugin(
        "usage-limit-policy",
        "beta",
        {"threshold": "*float64"},
        "pkg/epp/framework/plugins/flowcontrol/usagelimits/usagelimitpolicy.go",
    ),
    "token-load-scorer": Plugin(
        "scorer",
        "beta",
        {"queueThresholdTokens": "int64", "inFlightLoadProducerName": "string"},
        "pkg/epp/framework/plugins/scheduling/scorer/tokenload/token_load.go",
    ),
    "token-producer": Plugin(
        "data-producer",
        "beta",
        {
            "udsTokenizerConfig": "kvctok.UdsTokenizerConfig",
            "vllm": "*vllmConfig",
            "estimate": "*estimateConfig",
            "modelName": "string",
        },
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/tokenizer/tokenizer.go",
    ),
    "tokenizer": Plugin(
        "data-producer",
        "beta",
        None,
        "pkg/epp/framework/plugins/requestcontrol/dataproducer/tokenizer/tokenizer.go",
        deprecated=("v0.9.0", "v0.11.0"),
        note="delegates to token-producer",
    ),
    "topology-affinity-filter": Plugin(
        "filter",
        "alpha",
        {"minAffinity": "string", "topologyProducerName": "string"},
        "pkg/epp/framework/plugins/scheduling/filter/topologyaffinity/filter.go",
    ),
    "topology-affinity-scorer": Plugin(
        "scorer",
        "alpha",
        {"topologyProducerName": "string"},
        "pkg/epp/framework/plugins/scheduling/scorer/topologyaffinity/scorer.go",
    ),
    "topology-extractor": Plugin(
        "data-extractor",
        "alpha",
        {"hostname": "string", "rack": "string", "zone": "string", "region": "string"},
        "pkg/epp/framework/plugins/datalayer/attribute/topology/data_types.go",
    ),
    "utilization-detector": Plugin(
        "saturation-detector",
        "beta",
        {
            "queueDepthThreshold": "*int",
            "kvCacheUtilThreshold": "*float64",
            "metricsStalenessThreshold": "*metav1.Duration",
            "headroom": "*float64",
        },
        "pkg/epp/framework/plugins/flowcontrol/saturationdetector/utilization/detector.go",
    ),
    "utilization-filter": Plugin(
        "filter",
        "alpha",
        {"conditions": "[]condition", "fallbackOnEmpty": "bool", "inFlightLoadProducerName": "string"},
        "pkg/epp/framework/plugins/scheduling/filter/utilization/filter.go",
    ),
    "vertexai-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/vertexai/vertexai.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "vllmgrpc-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/vllmgrpc/vllmgrpc.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "vllmhttp-parser": Plugin(
        "parser",
        "beta",
        {},
        "pkg/epp/framework/plugins/requesthandling/parsers/vllmhttp/vllmhttp.go",
        note="factory ignores parameters (decoder unused)",
    ),
    "weighted-random-picker": Plugin(
        "picker",
        "beta",
        {"maxNumOfEndpoints": "int"},
        "pkg/epp/framework/plugins/scheduling/picker/weightedrandom/picker.go",
    ),
}
PLUGINS_SOURCE = "router-registry"

# Defaults read from the factories (values used when a parameter is omitted).
PLUGIN_DEFAULTS: dict[str, dict[str, object]] = {
    "prefix-cache-scorer": {
        "prefixMatchInfoProducerName": "approx-prefix-cache-producer (default producer)",
        "matchLengthWeight": 0.0,
        "matchLengthScaleTokens": 8192,
    },
    "approx-prefix-cache-producer": {
        "autoTune": True,
        "blockSizeTokens": 16,
        "maxPrefixBlocksToMatch": 2048,
        "maxPrefixTokensToMatch": 131072,
        "lruCapacityPerServer": 31250,
    },
    "inflight-load-producer": {"addEstimatedOutputTokens": False, "outputRatio": 1.5, "syncCrossReplicaState": True},
    "prefix-cache-affinity-filter": {
        "affinityThreshold": 0.80,
        "explorationProbability": 0.0,
        "maxTTFTPenaltyMs": 18000.0,
        "ttftSource": "prefillThroughput",
        "peakPrefillThroughput": 15928.0,
    },
    "token-load-scorer": {"queueThresholdTokens": 4194304},
    "load-aware-scorer": {"threshold": 128},
    "no-hit-lru-scorer": {"lruSize": 1024},
    "active-request-scorer": {"idleThreshold": 0, "maxBusyScore": 1.0},
    "session-affinity-scorer": {"strategy": "encoded_endpoint_header"},
    "max-score-picker": {"maxNumOfEndpoints": 1},
    "random-picker": {"maxNumOfEndpoints": 1},
    "weighted-random-picker": {"maxNumOfEndpoints": 1},
    "metrics-data-source": {"scheme": "http", "path": "/metrics", "insecureSkipVerify": True},
    "core-metrics-extractor": {"engineLabelKey": "llm-d.ai/engine-type", "defaultEngine": "vllm"},
    "utilization-detector": {
        "queueDepthThreshold": 5,
        "kvCacheUtilThreshold": 0.8,
        "metricsStalenessThreshold": "200ms",
        "headroom": 0.0,
    },
    "concurrency-detector": {
        "maxConcurrency": 100,
        "headroom": 0.0,
        "concurrencyMode": "requests",
        "maxTokenConcurrency": 1000000,
    },
    "static-usage-limit-policy": {"threshold": 1.0},
}

# Types named in the 2026-04 program or docs that are gone or renamed at v0.10.0.
RENAMED_PLUGINS: dict[str, str] = {
    "active-request-filter": "utilization-filter (release-notes.d/unreleased/2218.md; never in v0.6.0's registry)",
    "tokenizer": "token-producer (tokenizer still registered, deprecated v0.9.0, removal v0.11.0)",
    "by-label": "label-selector-filter, or decode-filter/prefill-filter/encode-filter (deprecated v0.9.0)",
    "by-label-selector": "label-selector-filter (deprecated v0.9.0)",
    "pd-profile-handler": "disagg-profile-handler (deprecated v0.7.0, removal v0.9.0, still registered)",
    "prefill-header-handler": "disagg-profile-handler (deprecated v0.9.0)",
    "precise-prefix-cache-scorer": "precise-prefix-cache-producer + prefix-cache-scorer (wrapper, logs DEPRECATION)",
}
# prefix-cache-scorer's 2026-04 parameters (autoTune, blockSizeTokens, maxPrefixBlocksToMatch,
# lruCapacityPerServer) now belong to approx-prefix-cache-producer; on prefix-cache-scorer they fail strict parsing.
NEEDS_DISAGGREGATION_V0_10: tuple[str, ...] = (
    "disagg-profile-handler",
    "pd-profile-handler",
    "disagg-headers-handler",
    "prefill-header-handler",
    "always-disagg-pd-decider",
    "prefix-based-pd-decider",
    "always-disagg-multimodal-decider",
    "prefill-filter",
    "encode-filter",
    "data-parallel-profile-handler",
    "p2p-source-producer",
    "disaggregatedset-rollout-screener",
)
NEEDS_LATENCY_PREDICTOR: tuple[str, ...] = (
    "predicted-latency-producer",
    "latency-scorer",
    "slo-headroom-tier-filter",
    "latency-slo-admitter",
)
TEST_ONLY: tuple[str, ...] = ("header-based-testing-filter", "destination-endpoint-served-verifier")

# --- Profiles -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfilePlugin:
    type: str
    weight: float | None = None  # None: not a scorer, or the guide gives no weight (the loader then uses 1.0)
    in_profile: bool = True  # False: declared under `plugins` only (a data producer)


# guides/optimized-baseline/router/optimized-baseline.values.yaml at e3dbeca1 (file optimized-baseline-plugins.yaml,
# router.epp.pluginsConfigFile). No parameters, no weights; one profile `default`.
OPTIMIZED_BASELINE: tuple[ProfilePlugin, ...] = (
    ProfilePlugin("approx-prefix-cache-producer", in_profile=False),
    ProfilePlugin("inflight-load-producer", in_profile=False),
    ProfilePlugin("prefix-cache-affinity-filter"),
    ProfilePlugin("token-load-scorer"),
)
OPTIMIZED_BASELINE_SOURCE = "guides (guides/optimized-baseline/router/optimized-baseline.values.yaml)"

# The chart's own default-plugins.yaml (routerlib/templates/_config.yaml) for modelServers.type vllm / http,
# latencyPredictor off; identical to the loader's built-in default (pkg/epp/config/loader/defaults.go).
CHART_DEFAULT_PROFILE: tuple[ProfilePlugin, ...] = (
    ProfilePlugin("queue-scorer", 2),
    ProfilePlugin("kv-cache-utilization-scorer", 2),
    ProfilePlugin("prefix-cache-scorer", 3),
    ProfilePlugin("metrics-data-source", in_profile=False),  # parameters scheme/path/insecureSkipVerify
    ProfilePlugin("core-metrics-extractor", in_profile=False),
)
# The chart also ships payload-agnostic.yaml: passthrough-parser + active-request-scorer 1 + session-affinity-scorer 1
# (session-affinity-scorer is Alpha: needs --allow-experimental-plugins; not rendered with it by the chart).

# The program's existing profiles (stacks/scheduler_plugins.py) against the v0.10.0 registry.
PROGRAM_PROFILE_MAP: dict[str, dict[str, object]] = {
    "default (prefix 3, kv 2, queue 2)": {
        "v0.10.0": ["prefix-cache-scorer 3", "kv-cache-utilization-scorer 2", "queue-scorer 2"],
        "status": "all registered (beta); same as the chart's default-plugins.yaml profile; prefix-cache-scorer now "
        "reads approx-prefix-cache-producer (auto-created); keep under a new name, optimized-baseline becomes default",
    },
    "load (queue 1, kv 1)": {
        "v0.10.0": ["queue-scorer 1", "kv-cache-utilization-scorer 1"],
        "status": "registered (beta); factories ignore parameters",
    },
    "random": {"v0.10.0": ["random-picker"], "status": "registered (beta), parameter maxNumOfEndpoints (default 1)"},
    "optimized-baseline (new default)": {
        "v0.10.0": [
            "approx-prefix-cache-producer",
            "inflight-load-producer",
            "prefix-cache-affinity-filter",
            "token-load-scorer",
        ],
        "status": "the guide's profile; max-score-picker and single-profile-handler are added by the loader",
    },
    "custom": {
        "v0.10.0": "any PLUGINS type",
        "status": "reject types not in PLUGINS, the disaggregation/latency "
        "predictor/test-only sets, and Alpha types unless --allow-experimental-plugins is passed",
    },
}

# --- Metrics ------------------------------------------------------------------------------------------------
COUNTER, GAUGE, HISTOGRAM = "counter", "gauge", "histogram"

# Every llm_d_epp_* series the EPP v0.10.0 registers (Go client: names are exposed as written, counters already end
# in _total; histograms add _bucket/_sum/_count). Labels of the request metrics: model_name, target_model_name,
# fairness_id, priority (+ error_code on request_error_total, + streaming on request_ttft_seconds). Plugin metrics
# (prefix_indexer_*, inflight_*, encoder_cache_*, disagg/pd, program_aware_*, predicted latency) appear only when
# that plugin runs; extproc_* only with --enable-grpc-stream-metrics. The two disaggregatedset metrics are
# llm_d_epp_disaggregatedset_strict_header_no_match_total (counter) and ..._revision_gating_share (gauge).
EPP_METRICS: dict[str, str] = {
    "llm_d_epp_average_kv_cache_utilization": GAUGE,
    "llm_d_epp_average_queue_size": GAUGE,
    "llm_d_epp_average_running_requests": GAUGE,
    "llm_d_epp_datalayer_extract_errors_total": COUNTER,
    "llm_d_epp_datalayer_poll_errors_total": COUNTER,
    "llm_d_epp_disagg_decision_total": COUNTER,
    "llm_d_epp_encoder_cache_hit_ratio": HISTOGRAM,
    "llm_d_epp_encoder_cache_hits_total": COUNTER,
    "llm_d_epp_encoder_cache_queries_total": COUNTER,
    "llm_d_epp_extproc_stream_duration_seconds": HISTOGRAM,
    "llm_d_epp_extproc_streams_inflight": GAUGE,
    "llm_d_epp_extproc_streams_total": COUNTER,
    "llm_d_epp_flow_control_dispatch_cycle_duration_seconds": HISTOGRAM,
    "llm_d_epp_flow_control_pending_reclaim": GAUGE,
    "llm_d_epp_flow_control_pool_saturation": GAUGE,
    "llm_d_epp_flow_control_queue_bytes": GAUGE,
    "llm_d_epp_flow_control_queue_size": GAUGE,
    "llm_d_epp_flow_control_reclaim_target": GAUGE,
    "llm_d_epp_flow_control_request_enqueue_duration_seconds": HISTOGRAM,
    "llm_d_epp_flow_control_request_queue_duration_seconds": HISTOGRAM,
    "llm_d_epp_flow_control_requests_total": COUNTER,
    "llm_d_epp_flow_control_revocation_confirmation_seconds": HISTOGRAM,
    "llm_d_epp_flow_control_revocations_issued_total": COUNTER,
    "llm_d_epp_flow_control_revocations_total": COUNTER,
    "llm_d_epp_flow_control_stale_endpoints": GAUGE,
    "llm_d_epp_inference_request_metric": GAUGE,
    "llm_d_epp_inflight_requests": GAUGE,
    "llm_d_epp_inflight_tokens": GAUGE,
    "llm_d_epp_info": GAUGE,
    "llm_d_epp_model_rewrite_decisions_total": COUNTER,
    "llm_d_epp_pd_decision_total": COUNTER,
    "llm_d_epp_per_endpoint_queue_size": GAUGE,
    "llm_d_epp_plugin_duration_seconds": HISTOGRAM,
    "llm_d_epp_prefix_indexer_hit_bytes": HISTOGRAM,
    "llm_d_epp_prefix_indexer_hit_ratio": HISTOGRAM,
    "llm_d_epp_prefix_indexer_size": GAUGE,
    "llm_d_epp_program_aware_attained_service_tokens": GAUGE,
    "llm_d_epp_program_aware_avg_wait_time_milliseconds": GAUGE,
    "llm_d_epp_program_aware_jains_fairness_index": GAUGE,
    "llm_d_epp_ready_endpoints": GAUGE,
    "llm_d_epp_request_cached_tokens": HISTOGRAM,
    "llm_d_epp_request_duration_seconds": HISTOGRAM,
    "llm_d_epp_request_error_total": COUNTER,
    "llm_d_epp_request_input_tokens": HISTOGRAM,
    "llm_d_epp_request_ntpot_seconds": HISTOGRAM,
    "llm_d_epp_request_output_tokens": HISTOGRAM,
    "llm_d_epp_request_predicted_tpot_seconds": HISTOGRAM,
    "llm_d_epp_request_predicted_ttft_seconds": HISTOGRAM,
    "llm_d_epp_request_processing_duration_seconds": HISTOGRAM,
    "llm_d_epp_request_running": GAUGE,
    "llm_d_epp_request_size_bytes": HISTOGRAM,
    "llm_d_epp_request_slo_violation_total": COUNTER,
    "llm_d_epp_request_streaming_itl_seconds": HISTOGRAM,
    "llm_d_epp_request_streaming_tpot_seconds": HISTOGRAM,
    "llm_d_epp_request_total": COUNTER,
    "llm_d_epp_request_tpot_prediction_duration_seconds": HISTOGRAM,
    "llm_d_epp_request_ttft_prediction_duration_seconds": HISTOGRAM,
    "llm_d_epp_request_ttft_seconds": HISTOGRAM,
    "llm_d_epp_response_processing_duration_seconds": HISTOGRAM,
    "llm_d_epp_response_size_bytes": HISTOGRAM,
    "llm_d_epp_scheduler_attempts_total": COUNTER,
    "llm_d_epp_scheduler_e2e_duration_seconds": HISTOGRAM,
    "llm_d_epp_std_dev_kv_cache_utilization": GAUGE,
    "llm_d_epp_std_dev_queue_size": GAUGE,
    "llm_d_epp_std_dev_running_requests": GAUGE,
    "llm_d_epp_disaggregatedset_strict_header_no_match_total": COUNTER,
    "llm_d_epp_disaggregatedset_revision_gating_share": GAUGE,
}
EPP_METRICS_SOURCE = "router-metrics"

# The 2026-04 names the program queries -> their v0.10.0 twin. docs/metrics.md: every deprecated series is still
# emitted next to its twin (dual emission), checked in pkg/epp/metrics/metrics.go Register() (e.g. requestCounter and
# llmdRequestCounter both registered and incremented). Old label sets differ (no fairness_id; per-pod queue size
# uses label model_server_pod, the new one model_server_endpoint).
DEPRECATED_EPP_METRICS: dict[str, str] = {
    "inference_objective_request_total": "llm_d_epp_request_total",
    "inference_objective_request_error_total": "llm_d_epp_request_error_total",
    "inference_objective_request_duration_seconds": "llm_d_epp_request_duration_seconds",
    "inference_objective_running_requests": "llm_d_epp_request_running",
    "inference_objective_input_tokens": "llm_d_epp_request_input_tokens",
    "inference_objective_output_tokens": "llm_d_epp_request_output_tokens",
    "inference_objective_prompt_cached_tokens": "llm_d_epp_request_cached_tokens",
    "inference_objective_normalized_time_per_output_token_seconds": "llm_d_epp_request_ntpot_seconds",
    "inference_objective_request_sizes": "llm_d_epp_request_size_bytes",
    "inference_objective_response_sizes": "llm_d_epp_response_size_bytes",
    "inference_pool_average_kv_cache_utilization": "llm_d_epp_average_kv_cache_utilization",
    "inference_pool_average_queue_size": "llm_d_epp_average_queue_size",
    "inference_pool_average_running_requests": "llm_d_epp_average_running_requests",
    "inference_pool_ready_pods": "llm_d_epp_ready_endpoints",
    "inference_pool_per_pod_queue_size": "llm_d_epp_per_endpoint_queue_size",
    "inference_extension_scheduler_e2e_duration_seconds": "llm_d_epp_scheduler_e2e_duration_seconds",
    "inference_extension_scheduler_attempts_total": "llm_d_epp_scheduler_attempts_total",
    "inference_extension_plugin_duration_seconds": "llm_d_epp_plugin_duration_seconds",
    "inference_extension_prefix_indexer_hit_ratio": "llm_d_epp_prefix_indexer_hit_ratio",
    "inference_extension_prefix_indexer_hit_bytes": "llm_d_epp_prefix_indexer_hit_bytes",
    "inference_extension_prefix_indexer_size": "llm_d_epp_prefix_indexer_size",
    "inference_extension_flow_control_queue_size": "llm_d_epp_flow_control_queue_size",
    "inference_extension_flow_control_pool_saturation": "llm_d_epp_flow_control_pool_saturation",
    "llm_d_inference_scheduler_datalayer_poll_errors_total": "llm_d_epp_datalayer_poll_errors_total",
    "llm_d_inference_scheduler_datalayer_extract_errors_total": "llm_d_epp_datalayer_extract_errors_total",
}
# Not deprecated, still emitted under the legacy prefix only: inference_extension_info (twin llm_d_epp_info exists),
# inference_extension_model_rewrite_decisions_total (twin llm_d_epp_model_rewrite_decisions_total exists).
# inference_objective_request_ttft_seconds / _tpot_seconds are now registered only by predicted-latency-producer.

# vLLM series the program's dashboard queries. verified=False: vLLM v0.26.0's source was not readable here (the
# stored vLLM snapshot is older and too large to fetch). `seen_in_llmd_v0_9_dashboard` marks names that llm-d's own
# v0.9.0 dashboard (guides/recipes/observability/grafana/dashboards/llm-d-vllm-overview.json at e3dbeca1), written
# for the vllm-openai v0.26.0 guides, queries.


@dataclass(frozen=True)
class VllmMetric:
    kind: str
    seen_in_llmd_v0_9_dashboard: bool
    verified: bool = False


VLLM_METRICS: dict[str, VllmMetric] = {
    "vllm:num_requests_running": VllmMetric(GAUGE, True),
    "vllm:num_requests_waiting": VllmMetric(GAUGE, True),
    "vllm:kv_cache_usage_perc": VllmMetric(GAUGE, True),
    "vllm:num_preemptions_total": VllmMetric(COUNTER, False),
    "vllm:prompt_tokens_total": VllmMetric(COUNTER, True),
    "vllm:generation_tokens_total": VllmMetric(COUNTER, True),
    "vllm:request_success_total": VllmMetric(COUNTER, True),
    "vllm:prefix_cache_queries_total": VllmMetric(COUNTER, False),
    "vllm:prefix_cache_hits_total": VllmMetric(COUNTER, False),
    "vllm:time_to_first_token_seconds": VllmMetric(HISTOGRAM, True),
    "vllm:inter_token_latency_seconds": VllmMetric(HISTOGRAM, True),
    "vllm:e2e_request_latency_seconds": VllmMetric(HISTOGRAM, False),
    "vllm:request_queue_time_seconds": VllmMetric(HISTOGRAM, True),
}
# The EPP itself scrapes vllm:num_requests_waiting, vllm:num_requests_running, vllm:kv_cache_usage_perc,
# vllm:lora_requests_info, vllm:cache_config_info (pkg/epp/server/options.go defaults) — it depends on those names.

# --- Labels and ports ---------------------------------------------------------------------------------------
LABELS: dict[str, str] = {
    "role": "llm-d.ai/role",  # value `decode` in recipes/modelserver/base/single-host/default
    "guide": "llm-d.ai/guide",  # the guide's pool selector: llm-d.ai/guide: optimized-baseline
    "model": "llm-d.ai/model",  # e.g. Qwen3-32B (guide overlay labels, includeSelectors)
    "accelerator_variant": "llm-d.ai/accelerator-variant",  # gpu | cpu
    "accelerator_vendor": "llm-d.ai/accelerator-vendor",  # nvidia | intel
    "engine_type": "llm-d.ai/engine-type",  # read by core-metrics-extractor; absent => vllm (not set by the guide)
    "engine_type_legacy": "inference.networking.k8s.io/engine-type",  # still read as a fallback, deprecated
    "active_ports_annotation": "llm-d.ai/active-ports",  # legacy inference.networking.k8s.io/active-ports
    "epp_selector": "llm-d-router-gateway",  # value <release>-epp on EPP pods (gateway chart)
    "epp_mode": "llm-d.ai/igw-mode",  # value llm-d-router-gateway
}
# Gone from the guide's selector: llm-d.ai/inference-serving (the modelservice chart's label).
PORTS: dict[str, int] = {
    "modelserver": 8000,  # container port name `modelserver`; InferencePool targetPorts[0]
    "epp_ext_proc": 9002,  # container port `grpc`, Service port `grpc-ext-proc` (appProtocol kubernetes.io/h2c)
    "epp_grpc_health": 9003,  # container port `grpc-health`; router.epp.grpcHealthPort
    "epp_metrics": 9090,  # container port `metrics`, Service port `http-metrics`
    "gateway_listener": 80,
}

# --- Router chart values (llm-d-router-gateway v0.10.0) -----------------------------------------------------
# No values.schema.json in the chart or routerlib: unknown keys are accepted silently (rendered: router.epp.bogusKey
# and a top-level bogusTop render fine). The chart FAILS on: top-level inferenceExtension, inferencePool,
# inferenceObjectives, experimentalHttpRoute; a missing router.modelServers.matchLabels; missing
# router.epp.resources.requests.{cpu,memory}; router.inferenceObjectives with inferencePool.create=false.
CHART_VALUE_KEYS: dict[str, str] = {
    "router.epp.replicas": "1 (>1 adds --ha-enable-leader-election and a leader-election Role)",
    "router.epp.image.{registry,repository,tag,pullPolicy}": "ghcr.io/llm-d, llm-d-router-endpoint-picker, v0.10.0, "
    "IfNotPresent (published chart; git: main/Always)",
    "router.epp.extProcPort": "9002",
    "router.epp.grpcHealthPort": "9003 when unset",
    "router.epp.parsers": "[] (auto: openai, anthropic, vllmhttp in the EPP)",
    "router.epp.metricsDataSource.{scheme,path,insecureSkipVerify}": "http, /metrics, true",
    "router.epp.flags": "map rendered as --key=value",
    "router.epp.env / volumes / volumeMounts / extraContainerPorts / affinity / tolerations / podAnnotations": "",
    "router.epp.pluginsConfigFile": "default-plugins.yaml (passed as --config-file /config/<file>)",
    "router.epp.pluginsCustomConfig": "{file name: YAML text} added to the EPP ConfigMap (keys default-plugins.yaml "
    "and payload-agnostic.yaml already exist)",
    "router.epp.resources": "requests cpu 8, memory 8Gi; limits memory 16Gi (guide base.values.yaml: cpu 4)",
    "router.inferencePool.create": "true",
    "router.inferencePool.failureMode": "FailOpen",
    "router.inferenceObjectives": "[] of {name, priority}",
    "router.modelServers.matchLabels": "REQUIRED",
    "router.modelServers.type": "vllm (vllm, sglang, triton-tensorrt-llm, trtllm-serve, triton)",
    "router.modelServers.protocol": "http (http, grpc)",
    "router.modelServers.targetPorts": "[{number: 8000}]",
    "router.modelServers.targetPortNumber": "legacy fallback for the GKE health-check port",
    "router.monitoring.interval": "10s",
    "router.monitoring.provider.name": "'' => prometheusoperator, or gmp when provider.name=gke",
    "router.monitoring.provider.gmp.autopilot": "false (true: collector namespace gke-gmp-system)",
    "router.monitoring.prometheus.enabled": "false",
    "router.monitoring.prometheus.auth.enabled": "true (false adds --metrics-endpoint-auth=false)",
    "router.monitoring.prometheus.auth.secretName": "inference-gateway-sa-metrics-reader-secret (prometheusoperator "
    "only)",
    "router.tracing.enabled": "false (renders --tracing=false)",
    "router.tokenizer.*": "vllm render sidecar, disabled",
    "router.latencyPredictor.enabled": "false",
    "router.proxy.enabled": "false (proxy is a standalone-chart feature)",
    "router.extraServicePorts": "[] (the guide adds http 80->8081 for the standalone proxy)",
    "provider.name": "none | gke | istio",
    "provider.gke.preferredBackends.*": "enabled false (StatefulSet EPP with per-ordinal Services when true)",
    "provider.istio.destinationRule.{host,trafficPolicy.connectionPool}": "",
    "httpRoute.*": "create false, inferenceGatewayName inference-gateway, inferenceGatewayNamespace '', "
    "requestTimeout 300s (omitted when provider gke), baseModel, headerMatches",
}

# What each provider renders on top of the common objects (ServiceAccount <r>-epp, Roles <r>-epp-sa (pods) and
# <r>-epp-non-sa (inferenceobjectives/inferencemodelrewrites in llm-d.ai and the legacy group, inferencepools),
# RoleBindings, ConfigMap <r>-epp, Deployment <r>-epp (strategy Recreate, terminationGracePeriodSeconds 130),
# Service <r>-epp, InferencePool <r>, optional HTTPRoute <r>):
PROVIDER_OBJECTS: dict[str, list[str]] = {
    "gke": [
        "HealthCheckPolicy <release> -> InferencePool: timeoutSec 2, checkIntervalSec 2, type HTTP, "
        "httpHealthCheck {requestPath /health, port <targetPorts[0]>} WITHOUT portSpecification",
        "GCPBackendPolicy <release> -> InferencePool: timeoutSec 300 (hard-coded), logging.enabled true",
        "HealthCheckPolicy <release>-epp (GRPC, USE_FIXED_PORT) only when grpcHealthPort != 9003",
        "HTTPRoute without timeouts (GKE uses the backend policy timeout)",
        "GMP objects, see GMP_MONITORING",
    ],
    "istio": [
        "DestinationRule <release>-epp: host <release>-epp.<ns>.svc.cluster.local, tls SIMPLE, insecureSkipVerify true",
        "HTTPRoute with timeouts.request <httpRoute.requestTimeout>",
    ],
    "none": ["nothing provider-specific; HTTPRoute with timeouts.request"],
}
# GKE's HealthCheckPolicy CRD (gke-crd) has CEL rules on http/https/http2/grpc health checks: port or portName
# must be unset unless portSpecification is USE_FIXED_PORT/USE_NAMED_PORT. The chart's HTTP policy (port set,
# no portSpecification) violates them; a policy with portSpecification USE_FIXED_PORT + port 8000 passes. Whether a
# live GKE cluster serves this exact CRD revision is unverified. GCPBackendPolicy.timeoutSec: int64 1..2147483647.

# Monitoring: a GMP PodMonitoring renders only when ALL hold (routerlib/templates/_gke.yaml is included from the
# gateway chart's gke.yaml, inside `if provider.name == gke`):
GMP_MONITORING: dict[str, object] = {
    "requires": {
        "provider.name": "gke",
        "router.monitoring.provider.name": "'' or gmp",
        "router.monitoring.prometheus.enabled": True,
        "router.monitoring.prometheus.auth.enabled": True,
    },
    "guide_values_render_it": False,  # features/monitoring.values.yaml sets auth.enabled false -> nothing
    "monitoring_provider_gmp_with_provider_none": "renders nothing",
    "objects": [
        "ServiceAccount <r>-metrics-reader-sa",
        "Secret <r>-metrics-reader-secret (kubernetes.io/service-account-token for that SA)",
        "PodMonitoring <r>: endpoint port `metrics`, scheme http, path /metrics, interval 10s, authorization Bearer "
        "from secret <r>-metrics-reader-secret key token; selector llm-d-router-gateway: <r>-epp",
        "ClusterRole <ns>-<r>-metrics-reader (nonResourceURLs /metrics get) + ClusterRoleBinding to the SA",
        "Role <r>-metrics-reader-secret-read (get/list/watch that secret; no namespace in metadata) + RoleBinding "
        "gmp-system:collector:<ns>-<r>-metrics-reader-secret-read for SA collector in gmp-system (gke-gmp-system on "
        "Autopilot)",
        "plus, whenever prometheus.enabled: ClusterRole/Binding <r>-<ns>-epp (tokenreviews, subjectaccessreviews, "
        "/metrics) for the EPP SA",
    ],
    "prometheusoperator": "ServiceMonitor <r>-epp-monitor (+ Secret auth.secretName when auth enabled)",
}

# --- Model server recipe (guides/recipes/modelserver/base/single-host/default + optimized-baseline gpu/vllm/gke) --
MODEL_SERVER_RECIPE: dict[str, object] = {
    "kind": "Deployment",
    "name": "decode (guide prefixes it: optimized-baseline-nvidia-gpu-vllm-decode)",
    "labels": {
        "llm-d.ai/role": "decode",
        "llm-d.ai/guide": "optimized-baseline",
        "llm-d.ai/model": "Qwen3-32B",
        "llm-d.ai/accelerator-variant": "gpu",
        "llm-d.ai/accelerator-vendor": "nvidia",
    },
    "engine_type_label": "not set (EPP defaults to vllm)",
    "service_account": "sa (automountServiceAccountToken false), prefixed by the guide",
    "container": "modelserver",
    "ports": [{"name": "modelserver", "containerPort": 8000, "protocol": "TCP"}],
    "probes": {
        "startup": {
            "httpGet": "/v1/models on modelserver",
            "initialDelaySeconds": 15,
            "periodSeconds": 30,
            "timeoutSeconds": 5,
            "failureThreshold": 120,
        },
        "liveness": {
            "httpGet": "/health on modelserver",
            "periodSeconds": 10,
            "timeoutSeconds": 5,
            "failureThreshold": 3,
        },
        "readiness": {
            "httpGet": "/v1/models on modelserver",
            "periodSeconds": 5,
            "timeoutSeconds": 2,
            "failureThreshold": 3,
        },
    },
    "command": ["vllm", "serve"],
    "args": [
        "<model id, positional>",
        "--disable-access-log-for-endpoints=/health,/metrics,/v1/models",
        "--tensor-parallel-size=2",
    ],  # no --port: vLLM's default 8000
    "env": [
        {"HF_TOKEN": "secretKeyRef llm-d-hf-token/HF_TOKEN"},
        {"USER": "llm-d (images component; vLLM issue 44548 workaround for v0.20.0+)"},
        {"NCCL_TUNER_PLUGIN": "none (GKE overlay: disable-gke-nccl-tuner-patch)"},
        {"NCCL_NET_PLUGIN": "'' (GKE overlay)"},
    ],
    "resources_gpu_guide": {
        "requests": {"cpu": "8", "memory": "96Gi", "nvidia.com/gpu": 2},
        "limits": {"cpu": "16", "memory": "128Gi", "nvidia.com/gpu": 2},
    },
    "volumes": {
        "shm": "emptyDir Memory sizeLimit 20Gi -> /dev/shm",
        "torch-compile-cache": "emptyDir -> /.cache",
        "triton-cache": "emptyDir -> /.triton",
        "vllm-config": "emptyDir -> /.config",
    },
    "model_cache": "none by default; component model-cache: PVC model-pvc (RWX 200Gi) at /model-cache, HF_HOME",
    "graceful_shutdown": "none: no terminationGracePeriodSeconds (Kubernetes default 30 s), no preStop "
    "(tiered-prefix-cache guide uses 130 s; the EPP Deployment uses 130 s)",
    "replicas_guide": 8,
    "gke_overlay": "only disable-gke-nccl-tuner-patch; no LD_LIBRARY_PATH, no nodeSelector/tolerations",
    "monitoring": "components/monitoring: a Prometheus-Operator PodMonitor `decode` (port modelserver, /metrics, 30s) "
    "— not GMP",
}
MODEL_SERVER_RECIPE_CPU: dict[str, object] = {
    "image": "docker.io/vllm/vllm-openai-cpu:v0.26.0",
    "name": "optimized-baseline-cpu-vllm-decode",
    "replicas": 2,
    "labels": {"llm-d.ai/accelerator-variant": "cpu", "llm-d.ai/accelerator-vendor": "intel"},
    "command": ["vllm", "serve"],
    "args": [
        "meta-llama/Llama-3.2-3B-Instruct",
        "--disable-access-log-for-endpoints=/health,/metrics,/v1/models",
        "--disable-hybrid-kv-cache-manager",
        "--max_model_len=8192",
    ],
    "env": {"VLLM_CPU_KVCACHE_SPACE": "32", "VLLM_CPU_NUM_OF_RESERVED_CPU": "1", "USER": "llm-d"},
    "securityContext": {"seccompProfile": "Unconfined", "capabilities.add": ["SYS_NICE"]},
    "resources": {"requests": {"cpu": "64", "memory": "64Gi"}, "limits": {"cpu": "64", "memory": "64Gi"}},
    "shm": "emptyDir Memory 4Gi (volume name dshm)",
}
# GKE NVIDIA driver path: GKE mounts the driver at /usr/local/nvidia; llm-d's GKE doc says vLLM images after vLLM
# commit 5546acb4 carry the LD_LIBRARY_PATH workaround and custom images must include /usr/local/nvidia/lib64.
# The v0.9.0 GKE overlay sets nothing for vllm-openai:v0.26.0 (it does set LD_LIBRARY_PATH for TensorRT-LLM).
GKE_NVIDIA_LD_LIBRARY_PATH = Ref(
    "/usr/local/nvidia/lib64",
    "gke-docs",
    verified=False,
    note="not read from vLLM v0.26.0's Dockerfile; setting LD_LIBRARY_PATH to include it "
    "is harmless if the image already does",
)

GATEWAY_RECIPE: dict[str, object] = {
    "name": "llm-d-inference-gateway",
    "gatewayClassName": "gke-l7-rilb",
    "listeners": [{"name": "default", "port": 80, "protocol": "HTTP", "allowedRoutes": "namespaces from All"}],
    "httproute": "chart httpRoute.create=true, inferenceGatewayName llm-d-inference-gateway: parentRef Gateway, "
    "rule PathPrefix / -> backendRef {group inference.networking.k8s.io, kind InferencePool, name <release>}",
    "llm_d_infra": "unused by guides/ at e3dbeca1 (only docs/infrastructure/providers/minikube mentions it)",
}

# Google's reference (google-ref) — for cross-checking only.
GOOGLE_REFERENCE: dict[str, str] = {
    "router_chart": "oci://ghcr.io/llm-d/charts llm-d-router-gateway-dev version v0 (rolling; -dev charts no longer "
    "published from v0.10.0, release-notes.d/unreleased/2048.md)",
    "router_values": "llm-d guides base.values.yaml + optimized-baseline.values.yaml fetched from branch main, "
    "provider.name gke, httpRoute.create true, inferenceGatewayName llm-d-inference-gateway",
    "backend_policy": "its own GCPBackendPolicy named like the chart's (optimized-baseline), timeoutSec 3600, "
    "logging on, applied server-side after the chart manifests (overwrites the chart object)",
    "model_server": "llm-d guide gpu/vllm/base from ref=main + patches: nodeSelector cloud.google.com/compute-class, "
    "args --model=gs://$(MODEL_BUCKET_NAME)/$(MODEL_ID) --load-format=runai_streamer "
    '--model-loader-extra-config={"distributed":true}, --served-model-name, --max-model-len, '
    "--gpu-memory-utilization, no LD_LIBRARY_PATH",
    "gateway": "gke-l7-rilb (llmd_ob_gateway_type)",
}

UNVERIFIED: tuple[str, ...] = (
    "vLLM v0.26.0 metric names (VLLM_METRICS): source not readable; 9 of 13 seen in llm-d's v0.9.0 dashboard",
    "vLLM v0.26.0 image's LD_LIBRARY_PATH on GKE (GKE_NVIDIA_LD_LIBRARY_PATH)",
    "the v0.10.0 release asset manifests.yaml (ROUTER_CRDS_URL) exists with exactly the two llm-d.ai CRDs",
    "the published OCI chart equals the git tree + push-chart.sh edits (not pulled)",
    "the HealthCheckPolicy CRD on a live GKE cluster matches gke-gateway-api HEAD fc40d606",
    "parameters of burst-prefix-cache-producer, soft-reflective-ceiling-policy, latency-slo-admitter, "
    "slo-headroom-tier-filter, latency-scorer, predicted-latency-producer, disagg/pd handlers, file-discovery",
)
