"""Every file in tests/bad_configs holds one mistake; `make plan CONFIG=<file>` must refuse it, naming the key,
before any resource, with nothing on stdout."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "bad_configs").glob("Pulumi.*.yaml"))


def expected_key(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <key>'"
    return first.removeprefix("# expect: ").strip()


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
    assert len(CORPUS) >= 12


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_bad_config_fails_before_any_resource(results, path):
    result = results[path]
    key = expected_key(path)
    assert result.returncode != 0
    assert result.stdout == ""
    problem_lines = [line for line in result.stderr.splitlines() if line.strip().startswith("- ")]
    assert len(problem_lines) == 1, result.stderr
    assert problem_lines[0].strip().startswith(f"- {key} ") and "Fix:" in problem_lines[0], result.stderr
    assert "nothing was created" in result.stderr
