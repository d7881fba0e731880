"""Process environment that must be in place before Gradio is imported."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

TUNING = {
    # Gradio recomputes its monitoring summary (a pandas table of up to 10000 past
    # events) after every event unless told otherwise; that dominated CPU under load.
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000",
    "GRADIO_ANALYTICS_MAX_EVENTS": "1000",
}
FORCED = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def prepare_environment(env: MutableMapping[str, str]) -> None:
    """Analytics and telemetry always off; temporary files under a writable temp dir.

    Gradio reads these at import time. With a read-only root filesystem only the
    temp dir (``TMPDIR``, default ``/tmp``) is writable, so Gradio's cache and
    ``HOME`` go there unless set already.
    """
    env.update(FORCED)
    for key, value in TUNING.items():
        env.setdefault(key, value)
    env.setdefault("HF_HUB_OFFLINE", "1")
    tmp = env.get("TMPDIR") or "/tmp"
    env.setdefault("GRADIO_TEMP_DIR", os.path.join(tmp, "gradio"))
    env.setdefault("HOME", tmp)
    env.setdefault("XDG_CACHE_HOME", os.path.join(tmp, ".cache"))
    env.setdefault("MPLCONFIGDIR", os.path.join(tmp, "matplotlib"))
    os.makedirs(env["GRADIO_TEMP_DIR"], exist_ok=True)


def keep_matplotlib_out() -> None:
    """Make ``import matplotlib`` fail at once in the app process.

    The app draws no plots, yet Gradio imports matplotlib around every call to
    switch its backend: when it is installed that switch costs time on each
    streamed update, and when it is absent the failed import searches the whole
    module path again each time (failed imports are not cached). A ``None`` entry
    in ``sys.modules`` ends both.
    """
    if "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
