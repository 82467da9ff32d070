"""Fixtures for every browser test: the shipped site built once, served from 127.0.0.1, and one
headless Chromium (Debian's, never a downloaded one) for the whole session.

- ``built_site``: the folder ``perfsite build --out`` wrote, from the shipped data;
- ``site_url``: that folder served by http.server on a free port, e.g. ``http://127.0.0.1:41234/``;
- ``browser``: Playwright's Chromium;
- ``new_page``: opens a page in a fresh context and records every request and console error;
- ``save_screenshot``: saves a page's screenshot in ``test-output/screenshots/`` in the repository.

Without /usr/bin/chromium the browser tests are skipped, except under CI (env ``CI`` set), where
they fail: ``.ci/run`` installs the ``chromium`` package.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
LOCAL_SCHEMES = {"data", "blob", "about"}
SCREENSHOT_DIR = REPO / "test-output" / "screenshots"
_SAVED_SCREENSHOTS = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def built_site(shipped_site: Path) -> Path:
    """The session's one build of the shipped data (tests/conftest.py), map included when the
    shared boundaries are there."""
    return shipped_site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def is_outside(url: str) -> bool:
    """Whether a request goes to another host than the test server's."""
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname != LOCAL_HOST


@dataclass
class RecordedPage:
    """A page in its own browser context, with every request it made and every console error."""

    page: Page
    site_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Page:
        """Open ``path`` (relative to the site root) and wait for the load event."""
        response = self.page.goto(urljoin(self.site_url, path))
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        return self.page

    @property
    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if is_outside(url)]


@pytest.fixture
def new_page(browser: Browser, site_url: str):
    """``new_page(path=None, width=1280, height=900, javascript=True)``: a RecordedPage, opened at
    ``path`` when given; its context is closed after the test."""
    contexts = []

    def open_page(path: str | None = None, *, width: int = 1280, height: int = 900, javascript: bool = True) -> RecordedPage:
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        recorded = RecordedPage(context.new_page(), site_url)
        recorded.page.on("request", lambda request: recorded.requests.append(request.url))
        recorded.page.on("console", lambda message: recorded.console_errors.append(message.text) if message.type == "error" else None)
        recorded.page.on("pageerror", lambda error: recorded.console_errors.append(f"uncaught: {error}"))
        if path is not None:
            recorded.goto(path)
        return recorded

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def save_screenshot(request):
    """``save_screenshot(page, name)``: a full-page screenshot saved as ``<name>.png`` in
    test-output/screenshots/; returns its path. The folder is named at the end of the run."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        request.config.stash.setdefault(_SAVED_SCREENSHOTS, []).append(path)
        return path

    return save


def pytest_terminal_summary(terminalreporter, config) -> None:
    saved = config.stash.get(_SAVED_SCREENSHOTS, [])
    if saved:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(saved)} screenshots in {SCREENSHOT_DIR}")
