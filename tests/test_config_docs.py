"""The config is declared once (config/): the README's table and Pulumi.yaml are generated from it and must not drift,
every setting carries its description, secrets are marked, and resolved settings add no defaults of their own."""

from __future__ import annotations

import dataclasses
import difflib
import typing

import pytest
import yaml
from pydantic import BaseModel

from config import load
from config.edge import AlertSettings, AlertsSection, EdgeSettings
from config.errors import is_secret_key
from config.platform.schema import GcpKeys
from config.section import Keys, marked
from config.serving import ServingSettings
from config.settings import GpuPoolSettings, Settings
from plan import config_docs

# Pulumi's project file schema (sdk/go/common/workspace/project.json): a project config type declaration, and a
# template's config value.
PROJECT_CONFIG_FIELDS = {"type", "default", "description", "secret", "items", "value"}
PROJECT_CONFIG_TYPES = {"string", "integer", "boolean", "array"}
TEMPLATE_CONFIG_FIELDS = {"description", "default", "secret"}


def _diff(now: str, generated: str) -> str:
    return "".join(difflib.unified_diff(now.splitlines(True), generated.splitlines(True), "file", "model", n=1))


@pytest.mark.parametrize("index", [0, 1], ids=["README.md", "Pulumi.yaml"])
def test_generated_file_matches_the_model(index):
    path, now, generated = config_docs.targets()[index]
    assert now == generated, f"{path.name} drifted from config/ (run make config-docs):\n{_diff(now, generated)[:4000]}"


def test_check_mode_reports_no_drift():
    assert config_docs.main(["--check"]) == 0


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    if model in seen:
        return seen
    seen.add(model)
    for info in model.model_fields.values():
        for arg in (info.annotation, *typing.get_args(info.annotation)):
            for inner in (arg, *typing.get_args(arg)):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    _models(inner, seen)
    return seen


def all_models() -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    for keys in config_docs.key_models():
        _models(keys, seen)
    return seen


def test_every_setting_has_a_description():
    missing = [
        f"{model.__name__}.{name}"
        for model in all_models()
        for name, info in model.model_fields.items()
        if not (info.description or "").strip()
    ]
    assert missing == []


def test_every_section_and_scalar_the_loader_reads_is_declared_once():
    keys = [key for key, _ in config_docs.declared_keys()]
    assert len(keys) == len(set(keys))
    llmd = {key.removeprefix("llmd:") for key in keys if key.startswith("llmd:")}
    assert llmd == set(load.SECTIONS) | set(load.SCALARS)
    assert {key.removeprefix("gcp:") for key in keys if key.startswith("gcp:")} <= set(load.GCP_KEYS)


def test_secrets_are_marked_warned_about_and_masked():
    secrets = {key for key, info in config_docs.declared_keys() if marked(info, "secret")}
    assert secrets == {"llmd:hfToken", "llmd:iapOauthClientSecret"}
    assert {f"llmd:{key}" for key in load.PLAIN_SECRET_WARNED} == secrets
    # The error path masks a value under any declared secret key, however it is misplaced.
    for key in secrets:
        name = key.split(":", 1)[1]
        assert is_secret_key(key) and is_secret_key(f"llmd:model.{name}") and is_secret_key(f"llmd:iap.{name}")


def test_pulumi_yaml_is_a_valid_project_file():
    project = yaml.safe_load(config_docs.PULUMI_YAML.read_text())
    assert project["name"] == "llmd" and project["runtime"]["name"] == "python"
    declared = dict(config_docs.declared_keys())
    for key, entry in project["config"].items():
        assert key.startswith(f"{project['name']}:"), "project config keys live in the project's namespace"
        assert set(entry) <= PROJECT_CONFIG_FIELDS and entry["type"] in PROJECT_CONFIG_TYPES
        # A typed project key without a default would be required in every stack.
        assert "default" in entry and entry["default"] == declared[key].get_default(call_default_factory=True)
    for key, entry in project["template"]["config"].items():
        assert set(entry) <= TEMPLATE_CONFIG_FIELDS and entry["description"].strip()
        assert isinstance(entry.get("default", ""), str) and entry.get("secret", False) in (True, False)
        assert entry.get("secret", False) == marked(declared[key], "secret")
    # Every declared key is listed once: in the project config (marked PROJECT) or the template.
    listed = [*project["config"], *project["template"]["config"]]
    assert sorted(listed) == sorted(declared)
    assert set(project["config"]) == {key for key, info in declared.items() if marked(info, "project")}


def test_descriptions_in_pulumi_yaml_are_the_models():
    project = yaml.safe_load(config_docs.PULUMI_YAML.read_text())
    for key, info in config_docs.declared_keys():
        entry = project["config"].get(key) or project["template"]["config"][key]
        assert (info.description or "") in entry["description"]


def test_readme_lists_every_key_and_field_with_its_default():
    table = config_docs.README.read_text().split(config_docs.START, 1)[1].split(config_docs.END, 1)[0]
    for key, _ in config_docs.declared_keys():
        assert f"| `{key}` |" in table
    for section_key, section in load.SECTIONS.items():
        for name, info in section.model_fields.items():
            assert f"| `llmd:{section_key}.{info.alias or name}` |" in table
    assert "| `llmd:model.replicas` | integer ≥ 0 | `2` |" in table
    assert "| `gcp:region` | text | `us-central1` |" in table
    assert "| `llmd:hfToken` | text, **secret** | unset |" in table


@pytest.mark.parametrize(
    ("model", "field", "attribute", "value"),
    [
        (load.SECTIONS["model"], "replicas", "default", 3),
        (config_docs.key_models()[1], "model", "description", "changed in the model only"),
    ],
    ids=["default", "description"],
)
def test_drift_is_detected(monkeypatch, model, field, attribute, value):
    """A default or description changed in the model (and not regenerated) shows up as drift of both files."""
    monkeypatch.setattr(model.model_fields[field], attribute, value)
    drifted = [path.name for path, now, generated in config_docs.targets() if now != generated]
    assert drifted == ["README.md", "Pulumi.yaml"]
    assert config_docs.main(["--check"]) == 1


# ---- defaults resolve in one place -------------------------------------------------------------------------

# Values that are not config: filled in from Pulumi when the program runs (secret Outputs), None offline.
RUNTIME_FIELDS = {"hf_token", "oauth_client_secret_output"}


@pytest.mark.parametrize("cls", [Settings, GpuPoolSettings, ServingSettings, EdgeSettings, AlertSettings])
def test_resolved_settings_have_no_defaults_of_their_own(cls):
    with_defaults = [
        f.name
        for f in dataclasses.fields(cls)
        if f.name not in RUNTIME_FIELDS
        and (f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING)
    ]
    assert with_defaults == [], f"{cls.__name__} repeats defaults the config model declares"


def test_alert_settings_mirror_the_section_by_name():
    assert [f.name for f in dataclasses.fields(AlertSettings)] == list(AlertsSection.model_fields)


def test_keys_models_are_the_loaders_source():
    assert issubclass(config_docs.key_models()[0], Keys)
    assert GcpKeys.default("region") == "us-central1"
