"""Which input changes force a REPLACEMENT (delete + create) instead of an in-place update, per resource type.

Used by the offline `plan-diff` tool, which compares two plans (inputs as registered: camelCase wire names,
nested dicts and lists) and classifies each changed resource as update or replace.

How to read a rule
- `replace_on`: dotted camelCase input paths. A change AT or UNDER a path forces a replacement. A path through
  a list applies to every element (lists are not indexed): "nodeConfig.guestAccelerators.count".
- `update_in_place`: exceptions under a `replace_on` path that update in place.
- Paths not covered by `replace_on` update in place.
- Not encoded here, handled by the tool itself: a change of the Pulumi resource name or type (the URN) is a
  delete + create; resource options (`ignoreChanges`, `replaceOnChanges`, `deleteBeforeReplace`) recorded in
  the plan apply on top of these rules; replacing a `pulumi:providers:kubernetes` replaces every resource that
  uses that provider.

How the rules were derived (read 2026-12-01)
- GCP: pulumi-gcp bridges terraform-provider-google-BETA (pulumi/pulumi-gcp .gitmodules: upstream =
  hashicorp/terraform-provider-google-beta). Any schema field with `ForceNew: true` becomes a replace in the
  Pulumi diff. pulumi-gcp 10.2.0 was released after 2026-10-06 (Pulumi changelog "Google Cloud provider v10")
  and bridges the google-beta 8.x line (8.0.0 released 2026-08-26); its exact upstream version and the 8.x
  source were not available here, so every GCP rule below comes from google-beta v7.45.0 (2026-08-18), the
  last release whose source was readable. Unverified for 8.x: a field that 8.x made updatable (or ForceNew)
  would differ. The field NAMES were checked against the installed pulumi_gcp 10.2.0 Python SDK.
- ForceNew on a whole nested block (e.g. node_config, ip_allocation_policy, placement_policy) only forces a
  replacement when the block is added or removed; nested fields follow their own ForceNew. The rules list
  the ForceNew nested fields. A block whose nested fields are all ForceNew is listed as the block itself.
- Conditional replacements (marked "conditional" below) are listed conservatively as replace.
- For every GCP resource, `project` forces replacement; so do `name` and `location`/`region`/`zone` wherever
  the resource has them, unless a rule says otherwise.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReplaceRule:
    type: str  # Pulumi type token, e.g. "gcp:container/cluster:Cluster"
    # Input paths whose change forces replacement; dotted camelCase, a change AT or UNDER a path counts; list
    # elements are not indexed (a path through a list applies to every element), e.g. "nodeConfig.machineType".
    replace_on: tuple[str, ...]
    # Exceptions under a replace_on path that update in place.
    update_in_place: tuple[str, ...] = ()
    # Holds state or a public name users depend on (cluster, node pools, addresses, Endpoints service,
    # certificate, secrets, buckets, namespaces...).
    stateful: bool = False
    source: str = ""  # where read: repo path at a tag/commit, or doc URL
    read_on: str = "2026-12-01"


_TPG = "hashicorp/terraform-provider-google-beta@v7.45.0 google-beta/services/"
_TPG_NOTE = " (schema ForceNew; pulumi-gcp 10.2.0 bridges google-beta 8.x, 8.x unverified)"
_IAM_MEMBER = "hashicorp/terraform-provider-google-beta@v7.45.0 google-beta/tpgiamresource/resource_iam_member.go"
_K8S = "pulumi/pulumi-kubernetes@94977969d (2026-07-01, v4.32.0+; 4.34.2 unverified) "

# nodeConfig fields with ForceNew in node_config.go (schemaNodeConfig), shared by the cluster's own node_config
# and the node pool's. Updatable in place (nodePoolNodeConfigUpdate): diskSizeGb, diskType, machineType,
# storagePools, bootDisk, imageType, nodeImageConfigs, labels, resourceLabels, resourceManagerTags, taints,
# tags, workloadMetadataConfig, gcfsConfig, gvnic, kubeletConfig, linuxNodeConfig, windowsNodeConfig,
# fastSocket, loggingVariant, taintConfig, containerdConfig, confidentialNodes.enabled.
_NODE_CONFIG_FORCE_NEW: tuple[str, ...] = (
    # count, type, gpuDriverInstallationConfig, gpuPartitionSize, gpuSharingConfig: all ForceNew
    "nodeConfig.guestAccelerators",
    "nodeConfig.localSsdCount",
    "nodeConfig.metadata",
    "nodeConfig.minCpuPlatform",
    "nodeConfig.oauthScopes",
    "nodeConfig.preemptible",
    "nodeConfig.spot",
    "nodeConfig.serviceAccount",
    "nodeConfig.shieldedInstanceConfig",  # enableSecureBoot, enableIntegrityMonitoring: both ForceNew
    "nodeConfig.reservationAffinity",
    "nodeConfig.bootDiskKmsKey",
    "nodeConfig.ephemeralStorageConfig",
    "nodeConfig.ephemeralStorageLocalSsdConfig",
    "nodeConfig.localNvmeSsdBlockConfig",
    "nodeConfig.secondaryBootDisks",
    "nodeConfig.nodeGroup",
    "nodeConfig.advancedMachineFeatures.threadsPerCore",
    "nodeConfig.advancedMachineFeatures.enableNestedVirtualization",
    "nodeConfig.soleTenantConfig.nodeAffinities",
    "nodeConfig.hostMaintenancePolicy",
    "nodeConfig.confidentialNodes.confidentialInstanceType",
    "nodeConfig.enableConfidentialStorage",
    "nodeConfig.localSsdEncryptionMode",
    "nodeConfig.maxRunDuration",
    "nodeConfig.sandboxConfig",
    "nodeConfig.flexStart",
)


RULES: tuple[ReplaceRule, ...] = (
    # ---------------------------------------------------------------- GKE
    ReplaceRule(
        type="gcp:container/cluster:Cluster",
        replace_on=(
            "project",
            "name",
            "location",
            "network",
            "subnetwork",
            "initialNodeCount",
            "description",
            "networkingMode",
            "datapathProvider",
            "dataplaneOptimizationMode",
            "defaultMaxPodsPerNode",
            "clusterIpv4Cidr",
            "enableAutopilot",
            "enableKubernetesAlpha",
            "enableTpu",
            "tpuConfig.enabled",
            "tpuConfig.useServiceNetworking",
            "confidentialNodes",
            "nodePools",  # inline node pools: any change replaces the cluster
            "ipAllocationPolicy.clusterSecondaryRangeName",
            "ipAllocationPolicy.servicesSecondaryRangeName",
            "ipAllocationPolicy.clusterIpv4CidrBlock",
            "ipAllocationPolicy.servicesIpv4CidrBlock",
            "ipAllocationPolicy.podCidrOverprovisionConfig",
            "privateClusterConfig.masterIpv4CidrBlock",
            "privateClusterConfig.privateEndpointSubnetwork",
            "masterAuth.clientCertificateConfig",  # issueClientCertificate is ForceNew
            "clusterAutoscaling.autoProvisioningDefaults.bootDiskKmsKey",
            "userManagedKeysConfig.clusterCa",
            "userManagedKeysConfig.etcdApiCa",
            "userManagedKeysConfig.etcdPeerCa",
            "userManagedKeysConfig.aggregationCa",
            # The cluster's own node_config (the default pool's) uses the node pool schema: its ForceNew fields
            # replace the WHOLE CLUSTER. Its updatable fields (e.g. resourceLabels, workloadMetadataConfig.mode)
            # update in place by patching the node pool named "default-pool", which fails once
            # removeDefaultNodePool=true deleted it (terraform-provider-google issue #24069).
            *_NODE_CONFIG_FORCE_NEW,
        ),
        # Updatable in place, among the inputs this program sets: addonsConfig.*, controlPlaneEndpointsConfig.*,
        # costManagementConfig, deletionProtection, enableLegacyAbac, enableShieldedNodes, gatewayApiConfig,
        # ipAllocationPolicy.stackType, loggingConfig, monitoringConfig, masterAuthorizedNetworksConfig.*,
        # minMasterVersion (upgrades the master only if the current version is lower), nodeLocations,
        # privateClusterConfig.enablePrivateEndpoint / enablePrivateNodes, releaseChannel, removeDefaultNodePool,
        # resourceLabels, secretManagerConfig, workloadIdentityConfig, nodePoolDefaults, nodePoolAutoConfig.
        stateful=True,
        source=_TPG + "container/resource_container_cluster.go, container/node_config.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:container/nodePool:NodePool",
        replace_on=(
            "project",
            "cluster",
            "location",
            "name",
            "namePrefix",
            "initialNodeCount",  # per zone in a regional pool
            "maxPodsPerNode",
            "placementPolicy.policyName",
            "queuedProvisioning",
            "networkConfig.acceleratorNetworkProfile",
            "networkConfig.createPodRange",
            "networkConfig.podRange",
            "networkConfig.podIpv4CidrBlock",
            "networkConfig.additionalNodeNetworkConfigs",
            "networkConfig.additionalPodNetworkConfigs",
            "networkConfig.podCidrOverprovisionConfig",
            "networkConfig.subnetwork",
            *_NODE_CONFIG_FORCE_NEW,
        ),
        # Updatable in place: autoscaling.* (minNodeCount, maxNodeCount, totalMinNodeCount, totalMaxNodeCount,
        # locationPolicy), management.*, nodeLocations, nodeCount, upgradeSettings, version, and the node_config
        # fields listed above _NODE_CONFIG_FORCE_NEW (machineType, diskSizeGb, diskType, imageType, labels,
        # resourceLabels, taints, tags, workloadMetadataConfig, gcfsConfig, gvnic, kubeletConfig, ...).
        stateful=True,
        source=_TPG + "container/resource_container_node_pool.go, container/node_config.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- Networking
    ReplaceRule(
        type="gcp:compute/network:Network",
        replace_on=(
            "project",
            "name",
            "autoCreateSubnetworks",
            "description",
            "internalIpv6Range",
            "networkProfile",
            "params",
        ),
        # routingMode, mtu, bgp*, deleteDefaultRoutesOnCreate, networkFirewallPolicyEnforcementOrder: in place.
        stateful=True,
        source=_TPG + "compute/resource_compute_network.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/subnetwork:Subnetwork",
        replace_on=(
            "project",
            "name",
            "region",
            "network",
            "description",
            "externalIpv6Prefix",
            "internalIpv6Prefix",
            "params",
            "reservedInternalRange",
            "resolveSubnetMask",
            # conditional: ForceNewIfChange(ip_cidr_range, IsShrinkageIpCidr) -- shrinking (or moving) the
            # primary range replaces; expanding it updates in place. Listed conservatively.
            "ipCidrRange",
        ),
        # purpose, role, privateIpGoogleAccess, logConfig.*, secondaryIpRanges.*, stackType: in place (the
        # provider sends an update; the API may still reject some, e.g. purpose).
        stateful=True,
        source=_TPG + "compute/resource_compute_subnetwork.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/firewall:Firewall",
        replace_on=("project", "name", "direction", "params"),
        # network (not ForceNew in the schema), allows/denies, description, priority, sourceRanges, sourceTags,
        # sourceServiceAccounts, targetTags, targetServiceAccounts, disabled, logConfig: in place.
        source=_TPG + "compute/resource_compute_firewall.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/router:Router",
        replace_on=("project", "name", "region", "network", "encryptedInterconnectRouter", "nccGateway", "params"),
        # description, bgp: in place.
        source=_TPG + "compute/resource_compute_router.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/routerNat:RouterNat",
        replace_on=("project", "name", "region", "router", "type", "initialNatIps", "endpointTypes"),
        # natIpAllocateOption, sourceSubnetworkIpRangesToNat, subnetworks, natIps, logConfig.*, timeouts,
        # min/maxPortsPerVm, rules: in place.
        source=_TPG + "compute/resource_compute_router_nat.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/address:Address",
        # Everything but labels is ForceNew: even a new description releases the reserved IP.
        replace_on=(
            "project",
            "name",
            "region",
            "address",
            "addressType",
            "description",
            "ipCollection",
            "ipVersion",
            "ipv6EndpointType",
            "network",
            "networkTier",
            "prefixLength",
            "purpose",
            "subnetwork",
        ),
        stateful=True,
        source=_TPG + "compute/resource_compute_address.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:compute/globalAddress:GlobalAddress",
        # Everything but labels is ForceNew: even a new description releases the public IP (and the DNS name
        # pointing at it).
        replace_on=(
            "project",
            "name",
            "address",
            "addressType",
            "description",
            "ipVersion",
            "network",
            "prefixLength",
            "purpose",
        ),
        stateful=True,
        source=_TPG + "compute/resource_compute_global_address.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- Edge: DNS, certificates, IAP
    ReplaceRule(
        type="gcp:endpoints/service:Service",
        replace_on=("project", "serviceName"),
        # openapiConfig / grpcConfig: in place (a new service config rollout).
        stateful=True,
        source=_TPG + "servicemanagement/resource_endpoints_service.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:certificatemanager/certificate:Certificate",
        replace_on=("project", "name", "location", "scope", "managed"),  # managed.domains etc.: all ForceNew
        # description, labels, selfManaged: in place.
        stateful=True,
        source=_TPG + "certificatemanager/resource_certificate_manager_certificate.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:certificatemanager/certificateMap:CertificateMap",
        replace_on=("project", "name"),
        stateful=True,
        source=_TPG + "certificatemanager/resource_certificate_manager_certificate_map.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
        replace_on=("project", "name", "map", "hostname", "matcher"),
        # certificates, description, labels: in place.
        stateful=True,
        source=_TPG + "certificatemanager/resource_certificate_manager_certificate_map_entry.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:iap/webIamMember:WebIamMember",
        replace_on=("project", "role", "member", "condition"),  # every input: an IAM member never updates
        source=_IAM_MEMBER + ", services/iap/iam_iap_web.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- Project, identity, IAM
    ReplaceRule(
        type="gcp:projects/service:Service",
        replace_on=("project", "service"),
        # disableOnDestroy, disableDependentServices, checkIfServiceHasUsageOnDestroy: in place (state only).
        source=_TPG + "resourcemanager/resource_google_project_service.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:projects/iAMMember:IAMMember",
        replace_on=("project", "role", "member", "condition"),
        source=_IAM_MEMBER + ", services/resourcemanager/iam_project.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:serviceaccount/account:Account",
        replace_on=("project", "accountId"),
        # displayName, description, disabled: in place. A replaced account gets a new unique ID: bindings that
        # name it (IAM members, Workload Identity) must be recreated.
        stateful=True,
        source=_TPG + "resourcemanager/resource_google_service_account.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:serviceaccount/iAMMember:IAMMember",
        replace_on=("serviceAccountId", "role", "member", "condition"),
        source=_IAM_MEMBER + ", services/resourcemanager/iam_service_account.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- Monitoring
    ReplaceRule(
        type="gcp:monitoring/alertPolicy:AlertPolicy",
        replace_on=("project",),  # conditions, documentation, displayName, userLabels, ...: in place
        source=_TPG + "monitoring/resource_monitoring_alert_policy.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:monitoring/dashboard:Dashboard",
        replace_on=("project",),  # dashboardJson: in place
        source=_TPG + "monitoring/resource_monitoring_dashboard.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- Images, secrets, buckets
    ReplaceRule(
        type="gcp:artifactregistry/repository:Repository",
        replace_on=(
            "project",
            "location",
            "repositoryId",
            "format",
            "mode",
            "kmsKeyName",
            "mavenConfig",
            "remoteRepositoryConfig",
        ),
        # description, labels, cleanupPolicies, dockerConfig, virtualRepositoryConfig: in place.
        stateful=True,
        source=_TPG + "artifactregistry/resource_artifact_registry_repository.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:secretmanager/secret:Secret",
        replace_on=("project", "secretId", "replication", "tags"),
        # labels, annotations, rotation, topics, ttl, versionAliases, versionDestroyTtl, deletionProtection:
        # in place.
        stateful=True,
        source=_TPG + "secretmanager/resource_secret_manager_secret.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:secretmanager/secretVersion:SecretVersion",
        replace_on=("project", "secret", "secretData", "secretDataWoVersion", "isSecretDataBase64"),
        # enabled, deletionPolicy: in place. (secretDataWo is write-only: bump secretDataWoVersion to replace.)
        stateful=True,
        source=_TPG + "secretmanager/resource_secret_manager_secret_version.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:secretmanager/secretIamMember:SecretIamMember",
        replace_on=("project", "secretId", "role", "member", "condition"),
        source=_IAM_MEMBER + ", services/secretmanager/iam_secret_manager_secret.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:storage/bucket:Bucket",
        replace_on=(
            "project",
            "name",
            "location",
            "enableObjectRetention",
            "customPlacementConfig.dataLocations",
            "hierarchicalNamespace",
            # conditional: ForceNewIfChange(retention_policy.0.is_locked, isPolicyLocked) -- unlocking a locked
            # policy replaces; other retentionPolicy changes update. Listed conservatively.
            "retentionPolicy.isLocked",
        ),
        # labels, lifecycleRules, storageClass, versioning, cors, forceDestroy, softDeletePolicy,
        # uniformBucketLevelAccess, publicAccessPrevention, logging, encryption, autoclass: in place.
        stateful=True,
        source=_TPG + "storage/resource_storage_bucket.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:storage/bucketIAMMember:BucketIAMMember",
        replace_on=("bucket", "role", "member", "condition"),
        source=_IAM_MEMBER + ", services/storage/iam_storage_bucket.go" + _TPG_NOTE,
    ),
    ReplaceRule(
        type="gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        replace_on=("project", "location", "repository", "role", "member", "condition"),
        source=_IAM_MEMBER + ", services/artifactregistry/iam_artifact_registry_repository.go" + _TPG_NOTE,
    ),
    # ---------------------------------------------------------------- random, command
    ReplaceRule(
        type="random:index/randomId:RandomId",
        # keepers: RequiresReplaceIfValuesNotNull (a key added/removed/changed with a non-null value replaces);
        # byteLength, prefix: RequiresReplace. Nothing updates in place.
        replace_on=("keepers", "byteLength", "prefix"),
        stateful=True,  # its value is part of a public name (the Endpoints service name)
        source="hashicorp/terraform-provider-random@v3.9.0 (f8d869dc, pinned by pulumi/pulumi-random master "
        "2026-08-14; 4.21.4 unverified) internal/provider/resource_id.go, "
        "internal/planmodifiers/map/mapplanmodifiers.go",
    ),
    ReplaceRule(
        type="command:local:Command",
        # triggers is tagged replaceOnChanges; every other input (create, update, delete, dir, environment,
        # interpreter, stdin, assetPaths, archivePaths, logging, addPreviousOutputInEnv) updates in place: the
        # Update runs `update`, or `create` again when `update` is unset. No custom Diff.
        replace_on=("triggers",),
        source="pulumi/pulumi-command@v1.2.1 provider/pkg/provider/common/inputs.go, "
        "provider/pkg/provider/local/commandController.go, provider/pkg/provider/local/base.go",
    ),
    # ---------------------------------------------------------------- Kubernetes
    ReplaceRule(
        type="pulumi:providers:kubernetes",
        # DiffConfig: clusterIdentifier changed from one value to another replaces (adding or removing it does
        # not); renderYamlToDirectory replaces. kubeconfig/context/cluster replace when the active cluster in the
        # kubeconfig changes or when they are unknown -- but NOT while clusterIdentifier is set and unchanged
        # (this program sets it), so a kubeconfig change then updates in place. A replaced provider replaces
        # every resource it manages.
        replace_on=("clusterIdentifier", "renderYamlToDirectory"),
        stateful=True,
        source=_K8S + "provider/pkg/provider/provider.go (DiffConfig)",
    ),
    ReplaceRule(
        type="kubernetes:core/v1:Namespace",
        replace_on=("metadata.name",),  # labels, annotations: in place
        stateful=True,
        source=_K8S + "provider/pkg/provider/diff.go, provider.go (Diff)",
    ),
    ReplaceRule(
        type="kubernetes:core/v1:ServiceAccount",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go",
    ),
    ReplaceRule(
        type="kubernetes:core/v1:Service",
        # spec.type, ports, selector: in place (server-side apply); only clusterIP is forceNew.
        replace_on=("metadata.name", "metadata.namespace", "spec.clusterIP"),
        source=_K8S + "provider/pkg/provider/diff.go",
    ),
    ReplaceRule(
        type="kubernetes:core/v1:Secret",
        # With the provider default enableSecretMutable=false (this program does not set it), data and
        # stringData replace; so does type always.
        replace_on=("metadata.name", "metadata.namespace", "type", "data", "stringData"),
        stateful=True,
        source=_K8S + "provider/pkg/provider/diff.go (forceNewProperties, IsSecret)",
    ),
    ReplaceRule(
        type="kubernetes:core/v1:ConfigMap",
        # With the provider default enableConfigMapMutable=false, data and binaryData replace.
        replace_on=("metadata.name", "metadata.namespace", "data", "binaryData"),
        source=_K8S + "provider/pkg/provider/diff.go (forceNewProperties, IsConfigMap)",
    ),
    ReplaceRule(
        type="kubernetes:batch/v1:Job",
        # A Job's pod template, completions, parallelism and selector replace it (`var job`); the copy Jobs are
        # named from what they copy, so a change is a new name anyway.
        replace_on=(
            "metadata.name",
            "metadata.namespace",
            "spec.completions",
            "spec.parallelism",
            "spec.selector",
            "spec.template",
        ),
        source=_K8S + "provider/pkg/provider/diff.go (var job)",
    ),
    ReplaceRule(
        type="kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        # No forceNew properties for HPAs in diff.go: metrics, bounds and behavior update in place.
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go",
    ),
    ReplaceRule(
        type="kubernetes:apps/v1:Deployment",
        # spec.selector (matchLabels, matchExpressions) replaces; spec.template, replicas, strategy: in place
        # (the Pod-level forceNew fields apply to bare Pods, not to a Deployment's template).
        replace_on=("metadata.name", "metadata.namespace", "spec.selector"),
        source=_K8S + "provider/pkg/provider/diff.go",
    ),
    ReplaceRule(
        type="kubernetes:helm.sh/v3:Release",
        # Release Diff: forceNew fields are .name and .namespace; chart, version, values, repositoryOpts,
        # timeout, maxHistory, ...: in place (helm upgrade).
        replace_on=("name", "namespace"),
        stateful=True,
        source=_K8S + "provider/pkg/provider/helm_release.go (Diff)",
    ),
    # Custom resources: only the object's identity replaces (no kind-specific forceNew list).
    ReplaceRule(
        type="kubernetes:gateway.networking.k8s.io/v1:Gateway",
        replace_on=("metadata.name", "metadata.namespace"),
        stateful=True,  # its address and listeners are what clients reach
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:networking.gke.io/v1:HealthCheckPolicy",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:networking.gke.io/v1:GCPBackendPolicy",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:monitoring.googleapis.com/v1:PodMonitoring",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:inference.networking.k8s.io/v1:InferencePool",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    ReplaceRule(
        type="kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
    # Fallback for any other kubernetes type (any CustomResource): identity only. Match it last, by prefix.
    ReplaceRule(
        type="kubernetes:*",
        replace_on=("metadata.name", "metadata.namespace"),
        source=_K8S + "provider/pkg/provider/diff.go (metadataForceNewProperties)",
    ),
)


# Built-in Kubernetes API groups: their kinds have replace-on-change fields of their own (Job spec.template,
# RoleBinding roleRef, ...), so each needs its own rule; only custom resources fall back to `kubernetes:*`.
BUILT_IN_GROUPS = frozenset(
    {
        "core",
        "apps",
        "batch",
        "rbac.authorization.k8s.io",
        "policy",
        "networking.k8s.io",
        "storage.k8s.io",
        "autoscaling",
        "apiextensions.k8s.io",
        "admissionregistration.k8s.io",
        "scheduling.k8s.io",
        "helm.sh",
        "yaml",
        "kustomize",
    }
)


def rule_for(type_token: str) -> ReplaceRule | None:
    """The rule of a type: its own, else (a custom resource's) the `kubernetes:*` one."""
    exact = _BY_TYPE.get(type_token)
    if exact is not None or not type_token.startswith("kubernetes:"):
        return exact
    group = type_token.split(":", 2)[1].split("/", 1)[0]
    return None if group in BUILT_IN_GROUPS else _BY_TYPE.get("kubernetes:*")


_BY_TYPE = {rule.type: rule for rule in RULES}
