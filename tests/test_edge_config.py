"""The edge layer's config: bad input is named with its fix before any resource; names are valid and new
after a re-create."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from config import ConfigError, load_settings
from config.edge import SUFFIX_HEX, endpoints_base, endpoints_host, endpoints_label, member_problem
from config.naming import dns_label
from tests.planview import GKE_STACKS
from tests.refusal import BASE, assert_config_refused, assert_refused, problems_of

DNS_LABEL = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"

CASES = [
    (
        "member without a kind",
        {"llmd:iap": {"members": ["alice@example.com"]}},
        "llmd:iap.members",
        "domain:example.com",
    ),
    ("unknown member kind", {"llmd:iap": {"members": ["team:ml"]}}, "llmd:iap.members", "group:team@example.com"),
    ("user that is not an email", {"llmd:iap": {"members": ["user:alice"]}}, "llmd:iap.members", "user:me@"),
    ("domain that is not a domain", {"llmd:iap": {"members": ["domain:example"]}}, "llmd:iap.members", "domain:"),
    ("public access", {"llmd:iap": {"members": ["allUsers"]}}, "llmd:iap.members", "domain:example.com"),
    ("empty member list", {"llmd:iap": {"members": []}}, "llmd:iap.members", "allowNoMembers"),
    (
        "token creator that is a domain",
        {"llmd:iap": {"members": ["domain:example.com"], "stressTestTokenCreators": ["domain:example.com"]}},
        "llmd:iap.stressTestTokenCreators",
        "user:me@example.com",
    ),
    (
        "endpoints name not a DNS label",
        {"llmd:edge": {"endpointsName": "My_Chat"}},
        "llmd:edge.endpointsName",
        "lowercase letters",
    ),
    (
        "endpoints name ending with a hyphen",
        {"llmd:edge": {"endpointsName": "chat-"}},
        "llmd:edge.endpointsName",
        "not ending with '-'",
    ),
    (
        "endpoints name without room for the suffix",
        {"llmd:edge": {"endpointsName": "a" * 60}},
        "llmd:edge.endpointsName",
        f"at most {63 - SUFFIX_HEX - 1} characters",
    ),
    (
        "OAuth client id without its secret",
        {"llmd:iap": {"members": ["domain:example.com"], "oauthClientId": "1-abc.apps.googleusercontent.com"}},
        "llmd:iapOauthClientSecret",
        "pulumi config set --secret",
    ),
    ("OAuth secret without a client id", {"llmd:iapOauthClientSecret": "s3cret"}, "llmd:iap.oauthClientId", "set"),
    (
        "malformed OAuth client id",
        {"llmd:iap": {"oauthClientId": "my-client"}, "llmd:iapOauthClientSecret": "s3cret"},
        "llmd:iap.oauthClientId",
        "apps.googleusercontent.com",
    ),
    ("misspelled iap key", {"llmd:iap": {"member": ["domain:example.com"]}}, "llmd:iap.member", "members"),
    ("zero frontend replicas", {"llmd:frontend": {"replicas": 0}}, "llmd:frontend.replicas", "greater than"),
    ("bad memory quantity", {"llmd:frontend": {"memoryLimit": "1 GB"}}, "llmd:frontend.memoryLimit", "512Mi"),
    (
        "backend timeout too short for streaming",
        {"llmd:edge": {"backendTimeoutSeconds": 5}},
        "llmd:edge.backendTimeoutSeconds",
        "greater than or equal to 30",
    ),
    (
        "notification channel by display name",
        {"llmd:alerts": {"notificationChannels": ["oncall"]}},
        "llmd:alerts.notificationChannels",
        "projects/<project>/notificationChannels/<id>",
    ),
    ("negative SLO", {"llmd:alerts": {"ttftP95SloSeconds": -1}}, "llmd:alerts.ttftP95SloSeconds", "greater than 0"),
]


@pytest.mark.parametrize(("config", "key", "fix"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_edge_value_is_named_with_its_fix_and_nothing_is_registered(config, key, fix):
    assert_refused("nvidia-l4", config, key, fix)


def _load(config: dict[str, Any], stack: str = "nvidia-l4"):
    raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in {**BASE, **config}.items()}
    return load_settings(raw, stack)


def test_every_bad_member_is_reported_together():
    with pytest.raises(ConfigError) as caught:
        _load({"llmd:iap": {"members": ["bad", "user:x", "domain:example.com", "group:"]}})
    bad = [p.value for p in caught.value.problems if p.key == "llmd:iap.members"]
    assert bad == ["bad", "user:x", "group:"]


def test_empty_members_are_accepted_when_explicitly_allowed():
    settings = _load({"llmd:iap": {"members": [], "allowNoMembers": True}})
    assert settings.edge.members == ()


def test_no_iap_section_plans_with_a_notice_and_only_the_stress_test_account():
    settings = _load({})
    assert settings.edge.members == ()
    assert any("llmd:iap.members is empty" in notice for notice in settings.edge.notices)


def test_valid_members_and_oauth_client_resolve():
    settings = _load(
        {
            "llmd:iap": {
                "members": [
                    "domain:example.com",
                    "group:a@example.com",
                    "user:b@example.com",
                    "serviceAccount:c@p.com",
                ],
                "oauthClientId": "42-xyz.apps.googleusercontent.com",
            },
            "llmd:iapOauthClientSecret": "s3cret",
        }
    )
    assert len(settings.edge.members) == 4 and not settings.edge.notices
    assert settings.edge.oauth_client_secret == "s3cret"
    assert "s3cret" not in repr(settings.edge) and "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    "member",
    [
        "domain:example.com",
        "group:g@example.com",
        "user:u@example.co.uk",
        "serviceAccount:sa@p.iam.gserviceaccount.com",
    ],
)
def test_member_kinds_accepted(member):
    assert member_problem(member, ("domain", "group", "user", "serviceAccount")) is None


@pytest.mark.parametrize("stack", [*GKE_STACKS, "a-very-long-stack-name-for-the-team-" * 3])
def test_default_endpoints_label_is_a_dns_label_with_room_for_the_suffix(stack):
    base = endpoints_base(stack, None, True)
    label = endpoints_label(base, "0a1b")
    assert re.fullmatch(DNS_LABEL, base) and re.fullmatch(DNS_LABEL, label)
    assert len(label) <= 30
    assert base.startswith("llmd-")


def test_endpoints_names_differ_per_stack_and_per_suffix():
    bases = {endpoints_base(stack, None, True) for stack in GKE_STACKS}
    assert len(bases) == len(GKE_STACKS)
    # destroy + up: the RandomId is re-created, so the same base yields a new service name.
    assert endpoints_label("llmd-dev", "0a1b") != endpoints_label("llmd-dev", "c2d3")
    assert endpoints_label("chat", None) == "chat"
    assert endpoints_host("llmd-dev-0a1b", "my-project-1") == "llmd-dev-0a1b.endpoints.my-project-1.cloud.goog"


def test_configured_endpoints_name_is_used_as_given():
    assert _load({"llmd:edge": {"endpointsName": "chat"}}).edge.endpoints_base == "chat"
    assert endpoints_base("x", "chat", False) == "chat"
    long_ok = "a" * 63
    assert _load({"llmd:edge": {"endpointsName": long_ok, "randomSuffix": False}}).edge.endpoints_base == long_ok


def test_truncated_names_stay_unique():
    a = endpoints_base("team-alpha-" + "x" * 40, None, True)
    b = endpoints_base("team-alpha-" + "x" * 40 + "y", None, True)
    assert a != b and a == dns_label("llmd", "team-alpha-" + "x" * 40, max_len=30 - SUFFIX_HEX - 1)


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers"])
def test_public_members_are_refused_as_public(member):
    with pytest.raises(ConfigError) as caught:
        _load({"llmd:iap": {"members": [member]}})
    [problem] = caught.value.problems
    assert problem.key == "llmd:iap.members" and "everyone" in problem.message


def test_duplicate_members_are_named():
    with pytest.raises(ConfigError) as caught:
        _load({"llmd:iap": {"members": ["user:a@example.com", "user:a@example.com"]}})
    [problem] = caught.value.problems
    assert (problem.key, problem.value, problem.message) == (
        "llmd:iap.members",
        "user:a@example.com",
        "listed more than once",
    )


def test_frontend_memory_request_above_its_limit_is_refused():
    assert_config_refused(
        "nvidia-l4",
        {"llmd:frontend": {"memoryRequest": "2Gi", "memoryLimit": "1Gi"}},
        "llmd:frontend.memoryRequest",
        "memoryRequest <= memoryLimit",
    )
    # Units differ, amounts compare: 1024Mi is 1Gi.
    assert (
        _load({"llmd:frontend": {"memoryRequest": "1024Mi", "memoryLimit": "1Gi"}}).edge.frontend.memory_limit == "1Gi"
    )


def test_an_invalid_iap_section_makes_no_false_oauth_problem():
    # members is not a list, but the client id is set and valid: no "secret without its client id".
    problems = problems_of(
        "nvidia-l4",
        {
            "llmd:iap": {"members": "domain:example.com", "oauthClientId": "1-abc.apps.googleusercontent.com"},
            "llmd:iapOauthClientSecret": "s3cret",
        },
    )
    assert [p.key for p in problems] == ["llmd:iap.members"]


def test_an_oauth_secret_inside_iap_is_never_printed():
    problems = problems_of(
        "nvidia-l4", {"llmd:iap": {"members": ["domain:example.com"], "oauthClientSecret": "GOCSPX-NeverPrinted123"}}
    )
    assert [p.key for p in problems] == ["llmd:iap.oauthClientSecret"]
    assert "NeverPrinted" not in str(problems[0]) and "llmd:iapOauthClientSecret" in problems[0].fix


def test_a_plain_text_oauth_secret_warns_like_hf_token():
    config = {
        "llmd:iap": {"members": ["domain:example.com"], "oauthClientId": "42-xyz.apps.googleusercontent.com"},
        "llmd:iapOauthClientSecret": "s3cret",
    }
    plain = _load_with_secrets(config, set())
    assert any("iapOauthClientSecret is stored in plain text" in n for n in plain.notices)
    secret = _load_with_secrets(config, {"llmd:iapOauthClientSecret"})
    assert not any("plain text" in n for n in secret.notices)
    assert all("s3cret" not in n for n in plain.notices)


def test_edge_timeout_gives_the_reason_for_its_cap():
    [problem] = problems_of("nvidia-l4", {"llmd:edge": {"backendTimeoutSeconds": 100000}})
    assert "24 hours" in problem.message and "86400" in problem.fix


def _load_with_secrets(config: dict[str, Any], secret_keys: set[str]):
    raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in {**BASE, **config}.items()}
    return load_settings(raw, "nvidia-l4", secret_keys)
