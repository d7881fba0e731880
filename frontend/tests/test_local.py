"""``make chat-local`` runs ``python -m frontend.local``: both servers up, URL printed, both stopped."""

import re
import signal
import subprocess
import sys
import time
import urllib.request


def test_local_runner_prints_a_working_url_and_stops() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "frontend.local", "--port", "0", "--ttft-ms", "0",
                             "--itl-ms", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        url = ""
        while time.monotonic() < deadline and not url:
            line = proc.stdout.readline()
            if not line:
                break
            found = re.match(r"chat app:\s+(http://127\.0\.0\.1:\d+)/", line)
            url = found.group(1) if found else ""
        assert url, "no URL printed"
        with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
            assert r.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
