"""Real-browser tests: Playwright drives Debian Chromium against the running apps."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from frontend.devserver import free_port, start_app, start_simulator
from frontend.tests.browser import CHROMIUM, CHROMIUM_ARGS, LAST_BOT_TEXT
from frontend.tests.conftest import MODEL, SLOW_TIMEOUT_S

FULL_REPLY = 15  # filler words after the header of a 16-token reply


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def send(page: Page, text: str) -> None:
    box = page.locator("#prompt textarea")
    box.fill(text)
    box.press("Enter")


def watch_reply(page: Page, header: str, timeout_s: float = 15) -> list[str]:
    """Texts of the last answer as seen while it streams, until it is complete."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = page.evaluate(LAST_BOT_TEXT)
        if text.startswith(header) and (not seen or seen[-1] != text):
            seen.append(text)
            if len(text.split()) >= len(header.split()) + FULL_REPLY:
                return seen
        time.sleep(0.01)
    raise AssertionError(f"no complete answer starting with {header!r} within {timeout_s} s; saw {seen}")


def test_streamed_reply_then_history_reaches_the_model(apps: dict[str, str], page: Page,
                                                       artifacts: Path) -> None:
    page.goto(apps["ok"])
    expect(page.locator("#model-picker input")).to_have_value(MODEL)
    send(page, "What is llm-d?")
    first = watch_reply(page, "[sim] received 1 message;")
    assert len(first) >= 3, f"answer did not stream: {first}"
    send(page, "And how does it schedule?")
    second = watch_reply(page, "[sim] received 3 messages;")
    assert second[-1].endswith("golf")
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(2)
    expect(page.get_by_text("processing", exact=False)).to_have_count(0)
    page.screenshot(path=str(artifacts / "chat.png"), full_page=True)


def test_backend_down_shows_an_error(apps: dict[str, str], page: Page, artifacts: Path) -> None:
    page.goto(apps["down"])
    expect(page.locator("#model-picker input")).to_have_value(MODEL)
    start = time.monotonic()
    send(page, "Is anyone there?")
    expect(page.locator("#chat").get_by_text("The model service is unreachable")).to_be_visible()
    assert time.monotonic() - start < 10
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "backend-down.png"), full_page=True)


def test_slow_backend_shows_a_timeout(apps: dict[str, str], page: Page) -> None:
    page.goto(apps["slow"])
    start = time.monotonic()
    send(page, "Hello?")
    note = page.locator("#chat").get_by_text(f"did not answer within {SLOW_TIMEOUT_S} seconds")
    expect(note).to_be_visible(timeout=(SLOW_TIMEOUT_S + 8) * 1000)
    assert SLOW_TIMEOUT_S <= time.monotonic() - start < SLOW_TIMEOUT_S + 8


@pytest.fixture
def cold_app(artifacts: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """An app and a way to start its gateway: a simulator whose pool is at zero for its first 4 s. The test
    starts it once the page has loaded, so a slow browser start cannot use up the cold start."""
    port = free_port()
    env = {"DEFAULT_MODEL": MODEL, "LOG_LEVEL": "WARNING", "COLD_START_SECONDS": "30",
           "COLD_START_NOTICE_SECONDS": "10"}
    sims: list[Any] = []

    def start_gateway() -> None:
        sims.append(start_simulator(["--model", MODEL, "--ttft-ms", "0", "--itl-ms", "20",
                                     "--cold-start-seconds", "4", "--cold-start-ttl-seconds", "1"], port=port))

    with open(artifacts / "app-cold.log", "w") as log:
        app, url = start_app(f"http://127.0.0.1:{port}", env, log)
        try:
            app.wait_ready(url, "/healthz")
            yield url, start_gateway
        finally:
            for sim in sims:
                sim.stop()
            app.stop()


def test_a_model_starting_from_zero_shows_a_notice_then_the_answer(
    cold_app: tuple[str, Callable[[], None]], page: Page, artifacts: Path
) -> None:
    url, start_gateway = cold_app
    page.goto(url)
    start_gateway()
    send(page, "Are you awake?")
    notice = page.locator("#chat").get_by_text("The model is starting", exact=False)
    expect(notice).to_be_visible(timeout=3000)  # at the first 503, after the 1 s queue TTL
    page.screenshot(path=str(artifacts / "cold-start.png"), full_page=True)
    watch_reply(page, "[sim] received 1 message;")
    expect(notice).to_have_count(0)
