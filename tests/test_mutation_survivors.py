"""Tests written from mutation-testing survivors (see docs/mutation.md): each one pins a check that a mutant of
config/ or components/ removed or bent without any other test noticing."""

from __future__ import annotations

import pytest

from tests.refusal import BASE, problems_of

# --- config/serving.py: looks_like_kubeconfig_contents ---------------------------------------------------------
# The existing test pastes a multi-line kubeconfig; these are the single-line forms the rule also refuses.
KUBECONFIG_ON_ONE_LINE = [
    ('{"apiVersion": "v1", "kind": "Config"}', "JSON"),
    ("apiVersion: v1", "YAML starting with apiVersion"),
    ("kind: Config", "YAML starting with kind"),
    ("clusters: []", "YAML starting with clusters"),
    ("users: [{user: {client-key-data: LS0tQkVHSU4=}}]", "flow YAML holding a client key"),
    ("current-context: lab\ncontexts: []", "several lines starting with another key"),
]


@pytest.mark.parametrize("contents", [c for c, _ in KUBECONFIG_ON_ONE_LINE], ids=[i for _, i in KUBECONFIG_ON_ONE_LINE])
def test_single_line_kubeconfig_contents_are_refused(contents):
    problems = problems_of("nvidia-l4", {"llmd:existingCluster": {"context": "lab", "kubeconfig": contents}})
    assert [p.key for p in problems] == ["llmd:existingCluster.kubeconfig"]
    assert "path" in problems[0].fix


@pytest.mark.parametrize("path", ["~/.kube/config", "/home/me/kind-config.yaml", "./apiVersion-notes/kube.yaml"])
def test_kubeconfig_paths_that_mention_config_words_are_accepted(path):
    from config import load_settings

    s = load_settings(
        {"llmd:accelerator": "nvidia-l4", "llmd:existingCluster": f'{{"context": "lab", "kubeconfig": "{path}"}}'},
        "byo",
    )
    assert s.serving.existing_cluster is not None and s.serving.existing_cluster.kubeconfig == path


# --- config/rules.py --------------------------------------------------------------------------------------------
def test_hf_id_with_one_slash_gets_the_specific_reason():
    """The first check only catches ids without exactly one '/'; the specific reasons follow it."""
    [long_part] = problems_of("nvidia-l4", {"llmd:model": {"name": "Qwen/" + "a" * 97}})
    assert long_part.key == "llmd:model.name" and "97 characters" in long_part.message
    [dashes] = problems_of("nvidia-l4", {"llmd:model": {"name": "Qwen/Qwen--3"}})
    assert "no '--'" in dashes.fix
    # Not the plain id pattern, but exactly one '/': the per-part check gives the characters allowed.
    [space] = problems_of("nvidia-l4", {"llmd:model": {"name": "Qwen/Qwen 3"}})
    assert "letters, digits" in space.fix


def test_pod_range_counts_a_gpu_pool_at_its_zonal_cap():
    """A GPU pool above GKE's cap (its own problem) counts as the cap when sizing the Pod range: 1000 nodes in its
    one zone plus 24 system nodes fit a /14 exactly (1024 /24 slices), so the range itself is not a problem."""
    problems = problems_of(
        "nvidia-l4",
        {
            "llmd:gpuPool": {"maxNodes": 1001, "zones": ["us-central1-a"]},
            "llmd:systemPool": {"maxNodes": 24},
            "llmd:network": {"podCidr": "10.16.0.0/14"},
        },
    )
    keys = [p.key for p in problems]
    assert "llmd:gpuPool.maxNodes" in keys and "llmd:network.podCidr" not in keys


def test_pod_range_just_too_small_is_refused_with_its_value():
    """One node more than the range holds: 1000 GPU nodes (the zonal cap) plus 25 system nodes need 1025 slices."""
    problems = problems_of(
        "nvidia-l4",
        {
            "llmd:gpuPool": {"maxNodes": 1000, "zones": ["us-central1-a"]},
            "llmd:systemPool": {"maxNodes": 25},
            "llmd:network": {"podCidr": "10.16.0.0/14"},
        },
    )
    [pods] = [p for p in problems if p.key == "llmd:network.podCidr"]
    assert pods.value == "10.16.0.0/14" and "1025 node(s)" in pods.message and "/13" in pods.fix


# --- config/edge.py ---------------------------------------------------------------------------------------------
def test_a_service_account_may_hold_stress_test_tokens():
    from config import load_settings

    sa = "serviceAccount:ci@my-project-1.iam.gserviceaccount.com"
    s = load_settings(
        _raw({**BASE, "llmd:iap": {"members": ["domain:example.com"], "stressTestTokenCreators": [sa]}}),
        "nvidia-l4",
    )
    assert s.edge.token_creators == (sa,)


def test_a_bad_iap_member_names_every_accepted_kind_in_its_fix():
    [problem] = problems_of("nvidia-l4", {"llmd:iap": {"members": ["alice@example.com"]}})
    assert problem.value == "alice@example.com"
    for kind in ("domain:", "group:", "user:", "serviceAccount:"):
        assert kind in problem.fix
    [not_email] = problems_of("nvidia-l4", {"llmd:iap": {"members": ["user:alice"]}})
    assert "(not an email address)" in not_email.message


def test_oauth_client_problems_carry_value_message_and_fix():
    bad_id = "not-a-client"
    problems = problems_of("nvidia-l4", {"llmd:iap": {"members": ["domain:example.com"], "oauthClientId": bad_id}})
    by_message = {p.message: p for p in problems}
    assert by_message["not an OAuth client id"].value == bad_id
    assert "a custom OAuth client id needs its secret" in by_message
    [orphan] = problems_of(
        "nvidia-l4", {"llmd:iap": {"members": ["domain:example.com"]}, "llmd:iapOauthClientSecret": "s3cr3t-value"}
    )
    assert orphan.message == "an OAuth client secret is set without its client id"
    assert orphan.fix.startswith("set llmd:iap.oauthClientId")


def test_a_too_long_endpoints_name_says_how_much_the_suffix_takes():
    [problem] = problems_of("nvidia-l4", {"llmd:edge": {"endpointsName": "a" * 60}})
    assert "the random suffix needs 5" in problem.message and "at most 58" in problem.fix


def test_edge_options_at_non_default_values_reach_the_settings():
    from config import load_settings

    s = load_settings(
        {
            **_raw(BASE),
            "llmd:edge": '{"randomSuffix": false}',
            "llmd:frontend": '{"memoryRequest": "256Mi", "memoryLimit": "2Gi", "cpuRequest": "500m"}',
            "llmd:alerts": '{"enabled": false}',
        },
        "nvidia-l4",
    )
    assert s.edge.random_suffix is False
    assert (s.edge.frontend.memory_request, s.edge.frontend.memory_limit) == ("256Mi", "2Gi")
    assert s.edge.frontend.cpu_request == "500m"
    assert s.edge.alerts.enabled is False


# --- config/serving.py ------------------------------------------------------------------------------------------
def test_extra_models_on_the_cpu_stack_are_accepted():
    from config import load_settings

    s = load_settings(_raw({**BASE, "llmd:extraModels": [{"name": "Qwen/Qwen2.5-0.5B-Instruct"}]}), "cpu")
    assert [m.name for m in s.serving.extra_models] == ["Qwen/Qwen2.5-0.5B-Instruct"]


def test_serving_options_at_non_default_values_reach_the_settings():
    from config import load_settings

    s = load_settings(
        {
            "llmd:accelerator": "nvidia-l4",
            "llmd:existingCluster": '{"context": "lab", "namespace": "team-llm"}',
            "llmd:scheduler": '{"profile": "custom", "plugins": [{"type": "queue-scorer", "weight": 1}]}',
        },
        "byo",
    )
    assert s.serving.namespace == "team-llm"
    assert s.serving.scheduler_profile == "custom"


@pytest.mark.parametrize("name", ["-llm", "llm-"])
def test_a_namespace_with_an_edge_dash_says_so(name):
    [problem] = problems_of("nvidia-l4", {"llmd:existingCluster": {"context": "lab", "namespace": name}})
    assert problem.key == "llmd:existingCluster.namespace"
    assert "not an RFC 1123 label" in problem.message and "'-'" in problem.message
    assert "such as 'llm'" in problem.fix


def _raw(config):
    import json

    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


# --- every problem the known bad configs produce is complete ----------------------------------------------------
def _known_bad_configs():
    from tests import test_config_validation as platform_cases
    from tests import test_edge_config as edge_cases
    from tests import test_serving_config as serving_cases

    for module in (platform_cases, serving_cases, edge_cases):
        for name in ("CASES", "CLOSER", "SERVING_CLOSER"):
            for case in getattr(module, name, []):
                stacks = [c for c in case if isinstance(c, str) and c in ("nvidia-l4", "cpu", "nvidia-h100-80gb")]
                configs = [c for c in case if isinstance(c, dict)]
                if stacks and configs:
                    yield stacks[0], configs[0]
    yield from MORE_BAD


def _problems_or_none(stack, config):
    from config import ConfigError, load_settings

    try:
        load_settings(_raw({**BASE, **config}), stack)
    except ConfigError as e:
        return list(e.problems)
    return None


def test_every_problem_has_a_key_a_message_and_a_fix():
    """A mutant that drops a Problem's key, message or fix (or crashes building it) shows here."""
    seen = 0
    for stack, config in _known_bad_configs():
        for p in _problems_or_none(stack, config) or []:
            seen += 1
            assert isinstance(p.key, str) and ":" in p.key, (config, p)
            assert isinstance(p.message, str) and p.message.strip(), (config, p)
            assert isinstance(p.fix, str) and p.fix.strip(), (config, p)
    assert seen > 50


# Bad configs of rules the existing tests did not reach (mutation survivors), each with the key and a fragment
# of the message that the problem must carry, and the value it must show.
MORE_BAD: list[tuple[str, dict]] = []


def _bad(stack, config, key, fragment, value=...):
    MORE_BAD.append((stack, config))
    return pytest.param(stack, config, key, fragment, value, id=f"{key}:{fragment}")


CLOSER_CASES = [
    _bad("cpu", {"llmd:gpuPool": {"gpusPerNode": 1}}, "llmd:gpuPool.gpusPerNode", "no GPUs", 1),
    _bad("cpu", {"llmd:gpuPool": {"capacity": "flex-start"}}, "llmd:gpuPool.capacity", "flex-start is for GPU"),
    _bad("cpu", {"llmd:model": {"tensorParallelSize": 2}}, "llmd:model.tensorParallelSize", "one process", 2),
    _bad("nvidia-l4", {"llmd:gpuPool": {"reservation": "my-res"}}, "llmd:gpuPool.capacity", "reservation name is set"),
    _bad(
        "nvidia-l4",
        {"llmd:gpuPool": {"capacity": "reservation", "reservation": "my-res"}},
        "llmd:gpuPool.zones",
        "reservation is zonal",
        [],
    ),
    _bad(
        "nvidia-l4",
        {"llmd:gpuPool": {"zones": ["us-central1-a", "us-central1-a"]}},
        "llmd:gpuPool.zones",
        "more than once",
        "us-central1-a",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:gpuPool": {"zones": ["europe-west4-a"]}},
        "llmd:gpuPool.zones",
        "not of region us-central1 | use zones of us-central1 that offer the accelerator: us-central1-a",
        "europe-west4-a",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:gpuPool": {"maxNodes": 1}, "llmd:model": {"replicas": 3}},
        "llmd:model.replicas",
        "need 3 GPUs",
    ),
    _bad("nvidia-l4", {"llmd:systemPool": {"maxNodes": 0}}, "llmd:systemPool.maxNodes", ""),
    _bad("nvidia-l4", {"llmd:network": {"proxyOnlyCidr": "10.21.0.0/27"}}, "llmd:network.proxyOnlyCidr", ""),
    _bad(
        "nvidia-l4",
        {"llmd:network": {"masterCidr": "172.16.0.0/27"}},
        "llmd:network.masterCidr",
        "/28",
        "172.16.0.0/27",
    ),
    _bad("nvidia-l4", {"llmd:cluster": {"apiEndpoint": "ip"}}, "llmd:cluster", "unreachable"),
    _bad(
        "nvidia-l4",
        {"llmd:cluster": {"apiEndpoint": "ip", "masterAuthorizedNetworks": [{"cidr": "0.0.0.0/0"}]}},
        "llmd:cluster.masterAuthorizedNetworks",
        "whole internet",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:cluster": {"apiEndpoint": "ip", "masterAuthorizedNetworks": [{"cidr": "0.0.0.0/2"}]}},
        "llmd:cluster.masterAuthorizedNetworks",
        "25",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:cluster": {"minMasterVersion": "banana"}},
        "llmd:cluster.minMasterVersion",
        "not a GKE version",
        "banana",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:cluster": {"minMasterVersion": "1.20"}},
        "llmd:cluster.minMasterVersion",
        "older than",
        "1.20",
    ),
    _bad("nvidia-l4", {"gcp:region": "us-central1-a"}, "gcp:region", "use its region 'us-central1'"),
    _bad(
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "queue-scorer"}, {"type": "queue-scorer"}]}},
        "llmd:scheduler.plugins[1]",
        "listed twice",
    ),
    _bad("nvidia-l4", {"llmd:frontend": {"image": "my image"}}, "llmd:frontend.image", "", "my image"),
    _bad("byo", {"llmd:existingCluster": {"context": "<context>"}}, "llmd:existingCluster.context", "placeholder"),
    _bad(
        "byo",
        {"llmd:existingCluster": {"context": "lab", "kubeconfig": "apiVersion: v1"}},
        "llmd:existingCluster.kubeconfig",
        "instead of a path",
    ),
    _bad(
        "nvidia-l4",
        {"llmd:extraModels": [{"name": 123}, {"name": "Qwen/Qwen3-0.6B"}]},
        "llmd:extraModels[1].name",
        "is taken by llmd:model",
        "Qwen/Qwen3-0.6B",
    ),
    _bad("nvidia-l4", {"llmd:extraModels": {"name": "x"}}, "llmd:extraModels", "must be a list", {"name": "x"}),
    _bad(
        "nvidia-l4",
        {"llmd:extraModels": [{"name": "Qwen/Qwen2.5-0.5B-Instruct", "replicas": 3}]},
        "llmd:extraModels",
        "all model pools together need",
        "...",
    ),
    _bad("nvidia-l4", {"llmd:gateway": {"className": "nope"}}, "llmd:gateway.className", "internal gateway on GKE"),
    _bad(
        "nvidia-l4",
        {"llmd:scheduler": {"profile": "custom", "plugins": [{"type": "pd-profile-handler"}]}},
        "llmd:scheduler.plugins[0].type",
        "one `default` profile",
    ),
]


@pytest.mark.parametrize(("stack", "config", "key", "fragment", "value"), CLOSER_CASES)
def test_rule_reached_only_by_this_config_names_key_message_and_value(stack, config, key, fragment, value):
    problems = _problems_or_none(stack, config)
    assert problems, f"{config} was accepted"
    found = [p for p in problems if p.key == key or p.key.startswith(key + ".") or p.key.startswith(key + "[")]
    assert found, [(p.key, p.message) for p in problems]
    assert any(fragment in f"{p.message} | {p.fix}" for p in found), [(p.message, p.fix) for p in found]
    if value is not ...:
        assert any(p.value == value for p in found), [p.value for p in found]


def test_a_valid_frontend_image_is_accepted_and_members_leave_no_notice():
    from config import load_settings

    image = "us-docker.pkg.dev/my-project-1/llmd/frontend:1.2"
    s = load_settings(
        _raw({**BASE, "llmd:frontend": {"image": image}, "llmd:iap": {"members": ["domain:example.com"]}}), "nvidia-l4"
    )
    assert s.edge.frontend.image == image
    assert s.edge.notices == ()
