"""The container recipe: pinned, non-root, port 8080, only /tmp written, everything it needs is locked."""

import re
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[1]


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned with =="
            found[name.lower().replace("_", "-")] = version
    return found


def test_requirements_are_pinned_and_locked() -> None:
    direct = pins(FRONTEND / "requirements.txt")
    locked = pins(FRONTEND / "requirements.lock")
    assert {"gradio", "aiohttp", "uvicorn"} <= set(direct)
    assert "openai" not in locked, "nothing in the app imports the OpenAI SDK"
    for name, version in direct.items():
        assert locked.get(name) == version, f"{name}=={version} differs in requirements.lock"
    assert "playwright" not in locked and "pytest" not in locked


def test_dockerfile_is_slim_pinned_and_non_root() -> None:
    text = (FRONTEND / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", text, re.M)
    assert base and re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", base.group(1))
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert re.search(r"^EXPOSE 8080$", text, re.M)
    assert "-r requirements.txt -c requirements.lock" in text
    assert "/healthz" in text
    for env in ("HOME=/tmp", "GRADIO_TEMP_DIR=/tmp/gradio", "GRADIO_ANALYTICS_ENABLED=False", "PORT=8080"):
        assert env in text
    assert re.search(r'^CMD \["python", "-m", "frontend"\]$', text, re.M)


def test_dev_tools_stay_out_of_the_image() -> None:
    ignored = (FRONTEND / ".dockerignore").read_text().split()
    for path in ("tests/", "bench/", "devserver.py", "local.py"):
        assert path in ignored
    app_modules = ["__main__.py", "app.py", "backend.py", "chat.py", "environment.py", "errors.py",
                   "history.py", "iap.py", "logs.py", "padding.py", "settings.py", "sse.py", "ui.py"]
    for module in app_modules:
        source = (FRONTEND / module).read_text()
        assert "frontend.devserver" not in source and "frontend.bench" not in source
        assert "import psutil" not in source and "from loadtest" not in source
        # aiohttp is the app's HTTP client (pinned in requirements.txt), used by backend.py alone.
        assert module == "backend.py" or "import aiohttp" not in source
        assert "import openai" not in source and "from openai" not in source
