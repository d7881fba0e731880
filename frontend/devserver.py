"""Start the app (and a simulator) as child processes on loopback: for tests, benchmarks, local use."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Child:
    """A child process that serves HTTP on loopback; stopped by ``stop``."""

    def __init__(self, name: str, proc: subprocess.Popen[str]) -> None:
        self.name = name
        self.proc = proc
        self.url = ""

    @classmethod
    def launch(cls, name: str, cmd: list[str], env: Mapping[str, str], log: IO[str] | None) -> Child:
        out = log if log is not None else subprocess.DEVNULL
        return cls(name, subprocess.Popen(cmd, env=dict(env), stdout=out, stderr=subprocess.STDOUT, text=True))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, url: str, path: str, timeout_s: float = READY_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.proc.returncode} before it was ready")
            try:
                with urllib.request.urlopen(url + path, timeout=2) as r:
                    if r.status == 200:
                        self.url = url
                        return url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} was not ready within {timeout_s:g} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT_S)


def app_env(gateway_url: str, port: int, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    # Loopback development servers have no IAP in front (override with ``extra``).
    env.update({"GATEWAY_URL": gateway_url, "HOST": "127.0.0.1", "PORT": str(port),
                "PYTHONUNBUFFERED": "1", "IAP_REQUIRED": "false", "IAP_AUDIENCE_PREFIX": ""})
    env.update(extra or {})
    return env


def start_app(gateway_url: str, extra: Mapping[str, str] | None = None,
              log: IO[str] | None = None, port: int = 0) -> tuple[Child, str]:
    """Launch ``python -m frontend``; return the child and its URL (not yet waited for)."""
    port = port or free_port()
    child = Child.launch("chat app", [sys.executable, "-m", "frontend"], app_env(gateway_url, port, extra), log)
    return child, f"http://127.0.0.1:{port}"


def start_simulator(args: list[str], log: IO[str] | None = None, port: int = 0,
                    timeout_s: float = READY_TIMEOUT_S) -> Child:
    """Launch ``python -m simulator`` and wait until it serves; ``child.url`` is its base URL."""
    cmd = [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(port), *args]
    err = log if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=dict(os.environ, PYTHONUNBUFFERED="1"), stdout=subprocess.PIPE,
                            stderr=err, text=True)
    child = Child("simulator", proc)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not found:
        child.stop()
        raise RuntimeError(f"simulator did not start: {line.strip()!r}")
    child.wait_ready(found.group(0), "/health", timeout_s)
    return child


@contextmanager
def running_apps(configs: Mapping[str, tuple[str, Mapping[str, str]]],
                 log_dir: Path | None = None) -> Iterator[dict[str, Child]]:
    """Start one app per ``name -> (gateway_url, extra env)`` at once; yield the ready children.

    Each child's ``url`` is its base URL; all are stopped on exit.
    """
    with ExitStack() as stack:
        started: list[tuple[Child, str]] = []
        for name, (gateway, extra) in configs.items():
            log = stack.enter_context(open(log_dir / f"app-{name}.log", "w")) if log_dir else None
            child, url = start_app(gateway, extra, log)
            child.name = f"chat app '{name}'"
            stack.callback(child.stop)
            started.append((child, url))
        for child, url in started:
            child.wait_ready(url, "/healthz")
        yield {name: child for name, (child, _) in zip(configs, started, strict=True)}
