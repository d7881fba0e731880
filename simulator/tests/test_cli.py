import json
import re
import signal
import subprocess
import sys
import time

from simulator.tests.helpers import get, post


def test_command_serves_and_stops_on_sigterm() -> None:
    cmd = [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", "0", "--model", "m1",
           "--model", "m2", "--ttft-ms", "0", "--itl-ms", "0", "--output-tokens", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, line
        base = found.group(0)
        assert [m["id"] for m in json.loads(get(base + "/v1/models")[1])["data"]] == ["m1", "m2"]
        reply = json.loads(post(base + "/v1/chat/completions",
                                {"model": "m2", "messages": [{"role": "user", "content": "x"}]})[1])
        assert reply["usage"]["completion_tokens"] == 4
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


def test_command_refuses_bad_settings() -> None:
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "simulator", "--error-rate", "2"],
                          capture_output=True, text=True, timeout=20)
    assert done.returncode == 2
    assert "rates" in done.stderr
    assert time.monotonic() - t0 < 20
