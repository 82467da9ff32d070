"""The breakdowns' pages in headless Chromium: axe-core at WCAG 2.2 AA, chart text of at least
12 px on a 320 px phone, nothing scrolling sideways, and screenshots."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import build_project, write_files
from data_errors import GOOD_FILES, alpha_breakdowns
from test_breakdowns import BETA_WITH_RECEIVED
from browser.test_pages import DESKTOP, NARROW, PHONE, WCAG_22_AA_TAGS

PAGES = ["alpha/2023-24/", "alpha/", "types/district/", "years/2023-24/"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def breakdown_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("breakdown-browser")
    write_files(root / "data", GOOD_FILES)
    write_files(root / "data", {**alpha_breakdowns(), "councils/beta.yaml": BETA_WITH_RECEIVED})
    site = build_project(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_page(browser, breakdown_url):
    contexts = []

    def opened(path: str, viewport: dict):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(urljoin(breakdown_url, path))
        assert response is not None and response.ok
        return page

    yield opened
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations_on_pages_with_breakdowns(path, open_page):
    for viewport in (DESKTOP, NARROW):
        page = open_page(path, viewport)
        assert page.locator("#breakdowns").count() == 1
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}})
        assert results.violations_count == 0, f"{path} at {viewport['width']} px:\n{results.generate_report()}"


def test_chart_text_is_at_least_12_px_at_320_px_and_nothing_scrolls_sideways(open_page):
    page = open_page("alpha/2023-24/", NARROW)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('svg.breakdown-svg text')).map((text) => {
        const svg = text.ownerSVGElement;
        return parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM().a;
    })""")
    assert len(sizes) > 20
    assert min(sizes) >= 12, min(sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    # the chart's name and description are what a screen reader announces
    chart = page.get_by_role("img", name="Alpha District Council: complaints and enquiries received by service area, as shares of 15")
    assert chart.count() == 1


def test_screenshots_of_the_breakdowns(open_page, save_screenshot):
    for viewport, label in ((PHONE, "390"), (DESKTOP, "1280")):
        page = open_page("alpha/2023-24/", viewport)
        page.locator("#breakdowns").scroll_into_view_if_needed()
        assert save_screenshot(page, f"breakdowns-council-year-{label}").is_file()
