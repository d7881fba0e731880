"""Version sets (stacks/versions.py): the choice by llmd:versionSet, and what each set plans."""

from __future__ import annotations

from config import load_settings
from stacks.versions import DEFAULT_VERSION_SET, PINNED, VERSION_SETS
from tests.refusal import BASE, assert_config_refused


def test_the_default_set_is_2026_04_this_release():
    assert DEFAULT_VERSION_SET == PINNED.name == "2026-04"
    assert set(VERSION_SETS) == {"2026-04", "v0.9.0"}


def test_an_unknown_version_set_is_refused_with_the_sets_as_fix():
    message = assert_config_refused("nvidia-l4", {"llmd:versionSet": "v0.8.0"}, "llmd:versionSet", "v0.9.0")
    assert all(name in message for name in VERSION_SETS)


def test_the_key_resolves_to_the_set_and_its_default_profile():
    default = load_settings(dict(BASE), "nvidia-l4")
    assert (default.serving.version_set, default.serving.scheduler_profile) == ("2026-04", "default")
    chosen = load_settings({**BASE, "llmd:versionSet": "v0.9.0"}, "nvidia-l4")
    assert (chosen.serving.version_set, chosen.serving.scheduler_profile) == ("v0.9.0", "optimized-baseline")


def test_optimized_baseline_is_refused_on_the_2026_04_set():
    assert_config_refused(
        "nvidia-l4", {"llmd:scheduler": {"profile": "optimized-baseline"}}, "llmd:scheduler.profile", "v0.9.0"
    )
