"""Playwright driving Debian's Chromium, headless, with no network beyond loopback."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

LAST_BOT_TEXT = """() => {
  const bots = document.querySelectorAll('#chat [data-testid="bot"]');
  return bots.length ? bots[bots.length - 1].innerText : '';
}"""
