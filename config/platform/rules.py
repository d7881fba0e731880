"""The platform layer's rules: settings against each other and against the catalog. Each yields every problem
it finds."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from itertools import combinations

from config.context import (
    HF_ID,
    HF_PART,
    PRIVATE_RANGES,
    PROJECT_ID,
    Context,
    Rule,
    gpu_memory_utilization,
    known,
    max_model_len,
)
from config.errors import Problem
from config.partial import did_you_mean
from config.platform.capacity import capacities, compute_class_available, hyperdisk_floor_needed
from config.platform.schema import (
    GcpKeys,
    ModelSection,
    NetworkSection,
    SystemPoolSection,
)
from config.section import NS
from stacks.accelerators import CATALOG, CUDA_RESERVE_GIB, AcceleratorProfile, batch_limits
from stacks.capacity import CAPACITY_TYPES, HYPERDISK_BOOT_MIN_VERSION, HYPERDISK_CLASS_FLOOR, phrase
from stacks.limits import (
    BROADEST_PUBLIC_AUTHORIZED_PREFIX,
    DEFAULT_MAX_PODS_PER_NODE,
    HF_NAME_MAX_CHARS,
    NODES_PER_POOL_ZONE,
    POD_SLICE_PREFIX,
    REGIONAL_POOL_ZONES,
)
from stacks.models import KNOWN_MODELS
from stacks.regions import REGIONS, ZONES, region_of_zone
from stacks.regions import SOURCE as REGIONS_SOURCE
from stacks.versions import GKE_FLOOR, gke_version_below_floor, gke_version_key

_REGION = GcpKeys.default("region")


def project_and_region(ctx: Context) -> Iterator[Problem]:
    if ctx.existing_cluster:
        return  # no GCP resources at all
    if not ctx.project:
        yield Problem("gcp:project", ctx.project, "no GCP project is set", "pulumi config set gcp:project <project-id>")
    elif not PROJECT_ID.match(ctx.project):
        yield Problem(
            "gcp:project",
            ctx.project,
            "not a valid project id",
            "use the project id (6-30 lowercase letters, digits, hyphens), not its name or number",
        )
    if not ctx.region:
        yield Problem("gcp:region", ctx.region, "no region is set", f"pulumi config set gcp:region {_REGION}")
    elif ctx.region not in ZONES:
        zone_hint = re.match(r"^([a-z]+-[a-z]+[0-9]{1,2})-[a-z]$", ctx.region)
        guess = did_you_mean(ctx.region, REGIONS)
        if zone_hint and zone_hint.group(1) in ZONES:
            fix = f"that is a zone; use its region '{zone_hint.group(1)}'"
        elif guess:
            fix = f"did you mean '{guess}'? Regions: {', '.join(REGIONS)}"
        else:
            fix = f"use one of the Compute Engine regions ({REGIONS_SOURCE}): {', '.join(REGIONS)}"
        yield Problem("gcp:region", ctx.region, "not a GCP region", fix)


def accelerator_known(ctx: Context) -> Iterator[Problem]:
    if ctx.accelerator is None and ctx.accelerator_name is not None:
        yield Problem(
            f"{NS}:accelerator",
            ctx.accelerator_name,
            "unknown accelerator",
            f"use one of: {', '.join(CATALOG)}",
        )


def machine_carries_accelerator(ctx: Context) -> Iterator[Problem]:
    acc, pool = ctx.accelerator, ctx.gpu_pool
    if acc is None or pool is None:
        return
    shape = acc.machine(ctx.machine_type or "")
    if shape is None:
        yield Problem(
            f"{NS}:gpuPool.machineType",
            pool.machine_type,
            f"this machine type does not carry {acc.gke_accelerator or 'the cpu profile'}",
            f"use one of: {', '.join(acc.machine_types)}",
        )
        return
    if acc.is_gpu and pool.gpus_per_node is not None and pool.gpus_per_node not in shape.gpu_counts:
        yield Problem(
            f"{NS}:gpuPool.gpusPerNode",
            pool.gpus_per_node,
            f"{shape.machine_type} carries {' or '.join(map(str, shape.gpu_counts))} {acc.gke_accelerator} GPU(s)",
            f"use {' or '.join(map(str, shape.gpu_counts))}, or pick another machine type",
        )
    if not acc.is_gpu and pool.gpus_per_node is not None:
        yield Problem(f"{NS}:gpuPool.gpusPerNode", pool.gpus_per_node, "the cpu stack has no GPUs", "remove the key")


def capacity_supported(ctx: Context) -> Iterator[Problem]:
    acc, pool = ctx.accelerator, ctx.gpu_pool
    if acc is None or pool is None:
        return
    listed = capacities(ctx)
    assert listed is not None
    key = f"{NS}:gpuPool.capacity"
    offered = acc.capacity.types
    if not listed:
        yield Problem(
            key,
            [],
            "the list names no capacity type",
            f"list one or more of {phrase(offered)} in priority order, or remove the key for the profile's default "
            f"({acc.default_capacity})",
        )
        return
    shape = acc.machine(ctx.machine_type or "")
    seen: set[str] = set()
    for entry in listed:
        if entry not in CAPACITY_TYPES:
            guess = did_you_mean(str(entry), CAPACITY_TYPES)
            yield Problem(
                key,
                entry,
                "not a capacity type",
                (f"did you mean '{guess}'? " if guess else "")
                + f"use {phrase(offered)} (the types {acc.name} machines are sold as)",
            )
        elif entry in seen:
            yield Problem(
                key,
                entry,
                "listed more than once: a priority list tries each type once",
                f"list each type once: [{', '.join(dict.fromkeys(t for t in listed if t in CAPACITY_TYPES))}]",
            )
        elif entry == "flex-start" and not acc.is_gpu:
            yield Problem(key, entry, "flex-start is for GPU machines", f"use {phrase(offered)}")
        elif not acc.capacity.offers(entry):
            yield Problem(
                key,
                entry,
                f"{acc.name} machines are not sold as {entry} capacity (the catalog, stacks/capacity.py, lists "
                f"{phrase(offered)})",
                f"use {phrase(offered)}",
            )
        elif shape is not None and shape.spot_or_flex_only and entry == "on-demand":
            yield Problem(
                key,
                entry,
                f"{shape.machine_type} is sold only as spot or flex-start",
                "use capacity spot or flex-start, or the 8-GPU machine type for on-demand",
            )
        seen.add(str(entry))
    if "reservation" in listed and not pool.reservation:
        yield Problem(
            f"{NS}:gpuPool.reservation",
            pool.reservation,
            "capacity 'reservation' needs a reservation name",
            "set gpuPool.reservation to the Compute Engine reservation's name",
        )
    if pool.reservation and "reservation" not in listed:
        yield Problem(
            key,
            list(listed) if len(listed) > 1 else listed[0],
            "a reservation name is set but capacity is not 'reservation' and does not list it",
            "set gpuPool.capacity to reservation (or add it to the list), or remove gpuPool.reservation",
        )
    if len(set(listed)) > 1 and not ctx.existing_cluster:
        yield from _several_capacities(ctx, acc, list(listed))


def _several_capacities(ctx: Context, acc: AcceleratorProfile, listed: list[str]) -> Iterator[Problem]:
    """A list of several types needs a ComputeClass: the accelerator must have one, and what the class cannot do
    (keep a minimum of nodes, boot from Hyperdisk below its version) is refused."""
    key = f"{NS}:gpuPool.capacity"
    if not compute_class_available(acc):
        why = (
            "the cpu stack's node pool buys its nodes one way"
            if not acc.is_gpu
            else f"the catalog has no GKE ComputeClass for {acc.name}, so its node pool buys nodes one way"
        )
        yield Problem(key, listed, f"several capacity types, but {why}", f"list one type, such as {listed[0]}")
        return
    pool = ctx.gpu_pool
    if pool is not None and pool.min_nodes > 0:
        yield Problem(
            f"{NS}:gpuPool.minNodes",
            pool.min_nodes,
            "with several capacity types a GKE ComputeClass creates and sizes the node pools to the pods waiting; "
            "it keeps no minimum of nodes",
            "set gpuPool.minNodes to 0, or list one capacity type for a fixed pool with a minimum",
        )
    version = ctx.cluster.min_master_version if ctx.cluster else None
    if (
        hyperdisk_floor_needed(acc)
        and version is not None
        and gke_version_key(version) is not None
        and gke_version_below_floor(version, HYPERDISK_CLASS_FLOOR)
    ):
        yield Problem(
            f"{NS}:cluster.minMasterVersion",
            version,
            f"{acc.name} boots from {acc.boot_disk_type}, which a ComputeClass rule takes only from GKE "
            f"{HYPERDISK_BOOT_MIN_VERSION}",
            f"use {HYPERDISK_BOOT_MIN_VERSION} or newer (or a minor such as 1.34), or list one capacity type",
        )


def _node_limit(key: str, max_nodes: int, zones: int) -> Iterator[Problem]:
    limit = NODES_PER_POOL_ZONE * zones
    if max_nodes > limit:
        yield Problem(
            key,
            max_nodes,
            f"GKE allows at most {NODES_PER_POOL_ZONE} nodes per zone in a node pool, and this pool spans {zones} "
            f"zone(s): at most {limit} nodes",
            f"use maxNodes <= {limit} (a pool that large also needs the GPU quota; this is the pool's total over "
            "its zones)",
        )


def _gpu_zone_count(ctx: Context) -> int:
    return len(set(ctx.gpu_zones)) or REGIONAL_POOL_ZONES


def pool_size(ctx: Context) -> Iterator[Problem]:
    pool, model, gpus = ctx.gpu_pool, ctx.model, ctx.gpus_per_node
    if pool is None:
        return
    if pool.min_nodes > pool.max_nodes:
        yield Problem(
            f"{NS}:gpuPool.minNodes",
            pool.min_nodes,
            f"more than maxNodes ({pool.max_nodes})",
            "make minNodes <= maxNodes",
        )
    yield from _node_limit(f"{NS}:gpuPool.maxNodes", pool.max_nodes, _gpu_zone_count(ctx))
    if ctx.region and ctx.region in ZONES:
        offered = ctx.accelerator.zones_by_region.get(ctx.region) if ctx.accelerator else None
        for zone in pool.zones:
            if zone not in ZONES[ctx.region]:
                other = region_of_zone(zone)
                yield Problem(
                    f"{NS}:gpuPool.zones",
                    zone,
                    f"a zone of {other}, not of region {ctx.region}" if other else f"not a zone of region {ctx.region}",
                    f"use zones of {ctx.region}"
                    + (
                        f" that offer the accelerator: {', '.join(offered)}"
                        if offered
                        else f": {', '.join(ZONES[ctx.region])}"
                    ),
                )
            elif offered is not None and ctx.accelerator is not None and ctx.accelerator.is_gpu and zone not in offered:
                yield Problem(
                    f"{NS}:gpuPool.zones",
                    zone,
                    f"{zone} does not offer {ctx.accelerator.gke_accelerator} "
                    f"(the catalog lists {', '.join(offered)}); "
                    "GKE refuses a pool with a zone that lacks its GPU",
                    f"use {', '.join(offered)}, or check gcloud compute accelerator-types list "
                    f'--filter="name={ctx.accelerator.gke_accelerator} AND zone:{zone}"',
                )
    for zone in sorted({z for z in pool.zones if pool.zones.count(z) > 1}):
        yield Problem(f"{NS}:gpuPool.zones", zone, "listed more than once", "list each zone once")
    if model is None or gpus is None:
        return
    needed = model.replicas * model.tensor_parallel_size
    if needed > pool.max_nodes * gpus:
        yield Problem(
            f"{NS}:model.replicas",
            model.replicas,
            f"{model.replicas} replica(s) x {model.tensor_parallel_size} GPU(s) need {needed} GPUs but the pool "
            f"holds at most {pool.max_nodes} node(s) x {gpus} GPU(s)",
            f"raise gpuPool.maxNodes to {-(-needed // gpus)} or lower model.replicas",
        )


def gpu_zones(ctx: Context) -> Iterator[Problem]:
    acc, pool = ctx.accelerator, ctx.gpu_pool
    if acc is None or pool is None or not acc.is_gpu or pool.zones or (ctx.region or "") not in ZONES:
        return
    lookup = f'gcloud compute accelerator-types list --filter="name={acc.gke_accelerator} AND zone~{ctx.region}"'
    if "reservation" in (capacities(ctx) or ()):
        yield Problem(
            f"{NS}:gpuPool.zones",
            [],
            "a reservation is zonal: the pool must name the reservation's zone(s)",
            "set gpuPool.zones to the zones of the reservation",
        )
    elif ctx.region not in acc.zones_by_region:
        yield Problem(
            f"{NS}:gpuPool.zones",
            [],
            f"the catalog lists no zones offering {acc.gke_accelerator} in {ctx.region}, and a regional pool "
            "spread over a zone without it is refused",
            f"set gpuPool.zones to the zones {lookup} lists",
        )


# General-purpose families that boot from pd-balanced (N4 and C4 boot only from Hyperdisk).
SYSTEM_MACHINE = re.compile(r"^(e2|n1|n2|n2d|c2|c2d|c3|c3d|t2d)-(standard|highmem|highcpu)-[0-9]+$")


def system_pool(ctx: Context) -> Iterator[Problem]:
    pool = ctx.section("systemPool", SystemPoolSection)
    if pool is None:
        return
    if not SYSTEM_MACHINE.match(pool.machine_type):
        yield Problem(
            f"{NS}:systemPool.machineType",
            pool.machine_type,
            "not a general-purpose machine type that boots from pd-balanced",
            "use a type such as e2-standard-4, n2-standard-4 or c3-standard-4",
        )
    if pool.min_nodes > pool.max_nodes:
        yield Problem(
            f"{NS}:systemPool.minNodes",
            pool.min_nodes,
            f"more than maxNodes ({pool.max_nodes})",
            "make minNodes <= maxNodes",
        )
    if pool.max_nodes < 1:
        yield Problem(
            f"{NS}:systemPool.maxNodes", pool.max_nodes, "the system pool runs the endpoint picker", "use 1 or more"
        )
    yield from _node_limit(f"{NS}:systemPool.maxNodes", pool.max_nodes, REGIONAL_POOL_ZONES)


# The checks of one model pool: run on `llmd:model` and on every `llmd:extraModels[i]`, with `key` naming it.
ModelCheck = Callable[[Context, ModelSection, str], Iterator[Problem]]


def tensor_parallel_fits_node(ctx: Context, model: ModelSection, key: str) -> Iterator[Problem]:
    if ctx.accelerator is None:
        return
    tp = model.tensor_parallel_size
    if not ctx.accelerator.is_gpu:
        if tp != 1:
            yield Problem(f"{key}.tensorParallelSize", tp, "the cpu stack runs one process per replica", "use 1")
        return
    gpus = ctx.gpus_per_node
    if gpus is not None and tp > gpus:
        bigger = [m.machine_type for m in ctx.accelerator.machines if max(m.gpu_counts) >= tp]
        yield Problem(
            f"{key}.tensorParallelSize",
            tp,
            f"above the {gpus} GPU(s) per node of {ctx.machine_type}",
            f"use tensorParallelSize <= {gpus}"
            + (f", or a machine type with more GPUs: {', '.join(bigger)}" if bigger else ""),
        )


def hf_id_problem(name: str) -> tuple[str, str] | None:
    """Why `name` is not a Hugging Face model id (huggingface_hub's validate_repo_id rules), and the fix."""
    example = "use <organisation>/<model>, for example Qwen/Qwen3-0.6B"
    if not HF_ID.match(name) and name.count("/") != 1:
        return "not a Hugging Face model id", example
    org, _, repo = name.partition("/")
    if len(repo) > HF_NAME_MAX_CHARS:
        return (
            f"the model part has {len(repo)} characters; Hugging Face allows at most {HF_NAME_MAX_CHARS}",
            f"use the model's id as Hugging Face shows it (at most {HF_NAME_MAX_CHARS} characters after the '/')",
        )
    for part in (org, repo):
        if not HF_PART.match(part) or "--" in part or ".." in part:
            return "not a Hugging Face model id", example + " (letters, digits, '-', '_' and '.'; no '--' or '..')"
    return None


def model_name(ctx: Context, model: ModelSection, key: str) -> Iterator[Problem]:
    problem = hf_id_problem(model.name)
    if problem:
        yield Problem(f"{key}.name", model.name, *problem)


def model_fits(ctx: Context, model: ModelSection, key: str) -> Iterator[Problem]:
    acc = ctx.accelerator
    if acc is None or not acc.is_gpu:
        return
    util = gpu_memory_utilization(model, acc)
    max_len = max_model_len(model, acc)
    reserve = acc.gpu_memory_gib * (1 - util)
    if reserve < CUDA_RESERVE_GIB:
        highest = 1 - CUDA_RESERVE_GIB / acc.gpu_memory_gib
        yield Problem(
            f"{key}.gpuMemoryUtilization",
            util,
            f"leaves {reserve:.2f} GiB of a {acc.gpu_memory_gib} GiB {acc.gke_accelerator} for the CUDA context "
            f"and graphs, below the {CUDA_RESERVE_GIB} GiB they need",
            f"use gpuMemoryUtilization <= {int(highest * 100) / 100:.2f}",
        )
    facts = KNOWN_MODELS.get(model.name)
    if facts is None:
        return
    if max_len > facts.max_context:
        yield Problem(
            f"{key}.maxModelLen",
            max_len,
            f"longer than {model.name}'s context of {facts.max_context} tokens",
            f"use maxModelLen <= {facts.max_context}",
        )
    tp = model.tensor_parallel_size
    if tp > 1 and facts.attention_heads % tp:
        yield Problem(
            f"{key}.tensorParallelSize",
            tp,
            f"does not divide {model.name}'s {facts.attention_heads} attention heads (vLLM refuses to start)",
            "use one of: "
            + ", ".join(
                str(n) for n in range(1, facts.attention_heads + 1) if facts.attention_heads % n == 0 and n <= 8
            ),
        )
        return
    # Per GPU (tensor-parallel rank): vLLM sizes its KV cache from what is left of utilization x memory once
    # weights and the profile run's peak are taken, and refuses to start without room for one full sequence.
    budget = util * acc.gpu_memory_gib
    tokens, rows = batch_limits(acc)
    weights = facts.weights_gib / tp
    reserve = facts.activation_gib(tokens, rows, tp)
    kv = facts.kv_cache_gib(max_len, tp)
    need = weights + reserve + kv
    if need > budget:
        room = int((budget - weights - reserve) / facts.kv_cache_gib(1, tp))
        if room >= 1:
            fix = f"lower maxModelLen to <= {room}, raise tensorParallelSize, or use a larger GPU"
        else:
            fix = "raise tensorParallelSize or use an accelerator with more memory"
        yield Problem(
            f"{key}.maxModelLen",
            max_len,
            f"per GPU, {model.name} needs {weights:.1f} GiB of weights + {reserve:.1f} GiB for activations and "
            f"buffers ({tokens} batched tokens) + {kv:.1f} GiB of KV cache for one {max_len}-token sequence = "
            f"{need:.1f} GiB, more than {util} x {acc.gpu_memory_gib} GiB = {budget:.1f} GiB",
            fix,
        )


MODEL_CHECKS: tuple[ModelCheck, ...] = (model_name, tensor_parallel_fits_node, model_fits)


def for_primary_model(check: ModelCheck) -> Rule:
    """`check` as a rule over `llmd:model`."""

    def rule(ctx: Context) -> Iterator[Problem]:
        if ctx.model is not None:
            yield from check(ctx, ctx.model, f"{NS}:model")

    return rule


def for_model(check: ModelCheck, model: ModelSection, key: str) -> Rule:
    """`check` as a rule over one model pool, named by `key` (an `llmd:extraModels[i]` entry)."""

    def rule(ctx: Context) -> Iterator[Problem]:
        yield from check(ctx, model, key)

    return rule


def _network(value: str, key: str) -> tuple[ipaddress.IPv4Network | None, Problem | None]:
    try:
        return ipaddress.IPv4Network(value), None
    except ValueError as exc:
        return None, Problem(key, value, f"not a valid IPv4 CIDR ({exc})", "use a network address like 10.0.0.0/20")


_NETWORK_DEFAULTS = ", ".join(str(info.default) for info in NetworkSection.model_fields.values())


def network_ranges(ctx: Context) -> Iterator[Problem]:
    if ctx.network is None:
        return
    parsed: dict[str, ipaddress.IPv4Network] = {}
    for name, info in NetworkSection.model_fields.items():
        field_name = info.alias or name
        value = known(ctx.network, name)
        if value is None:
            continue
        key = f"{NS}:network.{field_name}"
        net, problem = _network(value, key)
        if problem:
            yield problem
            continue
        assert net is not None
        if not any(net.subnet_of(p) for p in PRIVATE_RANGES):
            yield Problem(
                key,
                value,
                "not a private (RFC 1918) range",
                "use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
            )
            continue
        parsed[field_name] = net
    for (a, na), (b, nb) in combinations(parsed.items(), 2):
        if na.overlaps(nb):
            yield Problem(
                f"{NS}:network.{b}",
                str(nb),
                f"overlaps network.{a} ({na})",
                f"give every range its own space; the defaults are {_NETWORK_DEFAULTS}",
            )
    master = parsed.get("masterCidr")
    if master is not None and master.prefixlen != 28:
        yield Problem(f"{NS}:network.masterCidr", str(master), "GKE needs a /28 for the control plane", "use a /28")
    pods = parsed.get("podCidr")
    if pods is not None:
        yield from _pod_range(ctx, pods)
    proxy = parsed.get("proxyOnlyCidr")
    if proxy is not None and proxy.prefixlen > 26:
        yield Problem(
            f"{NS}:network.proxyOnlyCidr",
            str(proxy),
            "too small for the regional Envoy proxies",
            "use a /26 or larger (Google recommends /23)",
        )


def _pod_range(ctx: Context, pods: ipaddress.IPv4Network) -> Iterator[Problem]:
    """Each node takes a /24 of the Pod range: the range must hold every node both pools can grow to."""
    # Each pool at most at GKE's cap (a maximum above it is its own problem).
    gpu_max = known(ctx.gpu_pool, "max_nodes")
    gpu_zones = known(ctx.gpu_pool, "zones")
    if gpu_max and gpu_zones is not None and ctx.gpu_pool is not None:
        gpu_max = min(gpu_max, NODES_PER_POOL_ZONE * _gpu_zone_count(ctx))
    system_max = known(ctx.section("systemPool", SystemPoolSection), "max_nodes")
    if system_max:
        system_max = min(system_max, NODES_PER_POOL_ZONE * REGIONAL_POOL_ZONES)
    nodes = (gpu_max or 0) + (system_max or 0) or 1
    room = 2 ** max(0, POD_SLICE_PREFIX - pods.prefixlen) if pods.prefixlen <= POD_SLICE_PREFIX else 0
    if room >= nodes:
        return
    need = POD_SLICE_PREFIX - max(0, (nodes - 1).bit_length())
    yield Problem(
        f"{NS}:network.podCidr",
        str(pods),
        f"a /{pods.prefixlen} holds {pods.num_addresses} addresses, but GKE gives each node a /{POD_SLICE_PREFIX} of "
        f"the Pod range ({DEFAULT_MAX_PODS_PER_NODE} Pods per node), and the pools can grow to {nodes} node(s)",
        f"use a /{need} or larger (the default is {NetworkSection.model_fields['pod_cidr'].default})",
    )


def control_plane_access(ctx: Context) -> Iterator[Problem]:
    if ctx.cluster is None:
        return
    for entry in ctx.cluster.master_authorized_networks:
        key = f"{NS}:cluster.masterAuthorizedNetworks"
        net, problem = _network(entry.cidr, key)
        if problem:
            yield problem
        elif net is not None and net.prefixlen == 0:
            yield Problem(key, entry.cidr, "opens the control plane to the whole internet", "list your own ranges")
        elif (
            net is not None
            and net.prefixlen < BROADEST_PUBLIC_AUTHORIZED_PREFIX
            and not any(net.subnet_of(p) for p in PRIVATE_RANGES)
        ):
            share = net.num_addresses / 2**32
            yield Problem(
                key,
                entry.cidr,
                f"a public /{net.prefixlen} is {share:.1%} of all IPv4 addresses: it opens the control plane to "
                "much of the internet",
                f"list your own ranges (a /{BROADEST_PUBLIC_AUTHORIZED_PREFIX} or narrower), or use apiEndpoint dns",
            )
    if ctx.cluster.api_endpoint == "ip" and not ctx.cluster.master_authorized_networks:
        yield Problem(
            f"{NS}:cluster.apiEndpoint",
            "ip",
            "the IP endpoint with no authorized networks is unreachable",
            "add cluster.masterAuthorizedNetworks, or use apiEndpoint dns",
        )


def cluster_version(ctx: Context) -> Iterator[Problem]:
    version = ctx.cluster.min_master_version if ctx.cluster else None
    if version is None:
        return
    key = f"{NS}:cluster.minMasterVersion"
    if gke_version_key(version) is None:
        yield Problem(
            key,
            version,
            "not a GKE version",
            f"use a minor such as {GKE_FLOOR.minor} or a version like {GKE_FLOOR.exact}, or leave it unset",
        )
    elif gke_version_below_floor(version):
        yield Problem(
            key,
            version,
            f"older than {GKE_FLOOR.exact}: {GKE_FLOOR.reason}",
            f"use {GKE_FLOOR.minor} or newer, or leave it unset",
        )


RULES: tuple[Rule, ...] = (
    project_and_region,
    accelerator_known,
    machine_carries_accelerator,
    capacity_supported,
    pool_size,
    gpu_zones,
    system_pool,
    *(for_primary_model(check) for check in MODEL_CHECKS),
    network_ranges,
    control_plane_access,
    cluster_version,
)
