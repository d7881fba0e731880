"""Process environment that must be in place before Gradio is imported."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

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
    env.setdefault("HF_HUB_OFFLINE", "1")
    tmp = env.get("TMPDIR") or "/tmp"
    env.setdefault("GRADIO_TEMP_DIR", os.path.join(tmp, "gradio"))
    env.setdefault("HOME", tmp)
    env.setdefault("XDG_CACHE_HOME", os.path.join(tmp, ".cache"))
    env.setdefault("MPLCONFIGDIR", os.path.join(tmp, "matplotlib"))
    os.makedirs(env["GRADIO_TEMP_DIR"], exist_ok=True)
