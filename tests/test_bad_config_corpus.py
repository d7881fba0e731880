"""Every file in tests/bad_configs holds one mistake; `make plan CONFIG=<file>` must refuse it, naming the key,
before any resource, with nothing on stdout."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "bad_configs").glob("Pulumi.*.yaml"))


def _header(path: Path) -> list[str]:
    # Bytes, not text: some files in the corpus are deliberately not UTF-8.
    return [line.decode("utf-8", "replace") for line in path.read_bytes().splitlines() if line.startswith(b"# ")]


def expected_key(path: Path) -> str:
    first = _header(path)[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <key>'"
    return first.removeprefix("# expect: ").strip()


def secrets_in(path: Path) -> list[str]:
    """Values a file marks with `# secret: <value>`: they must never be printed."""
    return [line.removeprefix("# secret: ").strip() for line in _header(path) if line.startswith("# secret: ")]


def make_plan(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "plan", f"CONFIG={path}", "FORMAT=json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def results() -> dict[Path, subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(CORPUS, pool.map(make_plan, CORPUS), strict=True))


def test_corpus_is_not_empty():
    assert len(CORPUS) >= 36


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_bad_config_fails_before_any_resource(results, path):
    result = results[path]
    key = expected_key(path)
    assert result.returncode == 2, result.stderr  # the documented exit status for bad config, never 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for secret in secrets_in(path):
        assert secret not in result.stderr and secret[4:16] not in result.stderr
    problem_lines = [line for line in result.stderr.splitlines() if line.strip().startswith("- ")]
    assert len(problem_lines) == 1, result.stderr
    assert problem_lines[0].strip().startswith(f"- {key} ") and "Fix:" in problem_lines[0], result.stderr
    assert "nothing was created" in result.stderr


# ---- the loader never crashes: each file-level mistake exits 2 naming the file, the line and the fix ---------------

LOADER_CASES = [
    ("tab indentation", b"config:\n  gcp:region: us-central1\n\tllmd:accelerator: nvidia-l4\n", "(line 3)", "spaces"),
    ("not UTF-8", b"config:\n  gcp:region: us-central1\n  llmd:labels:\n    team: caf\xe9\n", "(line 4)", "UTF-8"),
    ("UTF-16", "config:\n  gcp:region: us-central1\n".encode("utf-16"), "not UTF-8", "save the file as UTF-8"),
    (
        "duplicate key",
        b"config:\n  gcp:region: us-central1\n  gcp:region: europe-west4\n",
        "gcp:region (line 3): defined twice (first on line 2)",
        "keep one",
    ),
    (
        "duplicate nested key",
        b"config:\n  llmd:model:\n    replicas: 1\n    replicas: 2\n",
        "llmd:model.replicas (line 4): defined twice",
        "keep one",
    ),
    ("a list, not a mapping", b"- gcp:region: us-central1\n", "not a mapping", "start it with 'config:'"),
    (
        "config as a list",
        b"config:\n  - gcp:region: us-central1\n",
        "config (line 1): must be a mapping",
        "namespace:key",
    ),
    (
        "no space after the colon",
        b"config:\n  gcp:region:us-central1\n",
        "config (line 1): must be a mapping",
        "space after the colon",
    ),
    ("a misspelled config section", b"confg:\n  gcp:region: us-central1\n", "confg (line 1)", "did you mean 'config'"),
    ("a key without namespace", b"config:\n  region: us-central1\n", "region (line 2)", "gcp:region"),
    ("two documents", b"config: {}\n---\nconfig: {}\n", "more than one YAML document", "---"),
    ("unbalanced bracket", b"config:\n  llmd:gpuPool: {maxNodes: 2\n", "not valid YAML", "brackets"),
    ("a non-string key", b"config:\n  1: x\n", "1 (line 2)", "namespace:key"),
]


@pytest.mark.parametrize(("text", "where", "fix"), [c[1:] for c in LOADER_CASES], ids=[c[0] for c in LOADER_CASES])
def test_file_level_mistakes_exit_2_with_file_line_and_fix(tmp_path, capsys, text, where, fix):
    from plan.__main__ import main

    path = tmp_path / "Pulumi.bad.yaml"
    path.write_bytes(text)
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Pulumi.bad.yaml" in err and where in err and fix in err, err
    assert "Traceback" not in err and "nothing was created" in err


def test_problems_of_the_program_carry_the_line_of_their_key(tmp_path, capsys):
    from plan.__main__ import main

    path = tmp_path / "Pulumi.lines.yaml"
    path.write_text(
        "config:\n  gcp:region: us-central1\n  llmd:accelerator: nvidia-l4\n  llmd:gpuPool:\n    maxNodes: 100000\n"
    )
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Pulumi.lines.yaml (stack 'lines')" in err
    assert "- llmd:gpuPool.maxNodes (line 5) = 100000" in err


def test_dates_and_yes_are_text_as_in_pulumis_yaml_parser(tmp_path):
    from plan.runner import load_config_file

    path = tmp_path / "Pulumi.x.yaml"
    path.write_text("config:\n  llmd:labels:\n    since: 2024-01-01\n    on-call: yes\n  llmd:hfToken:\n")
    config = load_config_file(path)
    assert config == {"llmd:labels": {"since": "2024-01-01", "on-call": "yes"}}  # an empty hfToken is not set


def test_the_cli_exits_2_without_a_traceback_on_a_tab_indented_file(tmp_path):
    path = tmp_path / "Pulumi.tabs.yaml"
    path.write_bytes(b"config:\n\tgcp:region: us-central1\n")
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--config", str(path)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr and "(line 2)" in result.stderr
