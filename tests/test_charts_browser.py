"""The charts in real headless Chromium: they render, have accessible names and a table equivalent.

The shipped data is built once for the module with the real ``perfsite build`` and served from
127.0.0.1 by a server in a thread.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, run_perfsite

playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
COUNCIL_PAGE = "kent/"  # four statistics with figures in several years
FUNNEL_PAGE = "types/county/2023-24/funnel/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_perfsite("build", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page that records every host it asks for."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).netloc))
    yield page
    context.close()


def assert_only_local_requests(page, base_url):
    assert page.hosts <= {urlsplit(base_url).netloc}, page.hosts


def assert_no_axe_violations(page):
    results = axe_api.Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_trend_charts_render_with_names_and_tables(page, base_url):
    page.goto(base_url + COUNCIL_PAGE)
    charts = page.locator("svg.chart-svg")
    assert charts.count() == 4
    for index in range(charts.count()):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        title = chart.locator("title").text_content()
        assert title.startswith(("Complaints upheld", "Upheld decisions", "Compliance", "Satisfactory"))
        assert "Kent County Council" in title
        # the accessibility tree names it as an image, by its title
        named = page.get_by_role("img", name=title, exact=True)
        assert named.count() == 1
        assert chart.get_attribute("aria-describedby") == chart.locator("desc").get_attribute("id")
        # the same figures in a table, one click away
        section = page.locator("section.trend").nth(index)
        table = section.locator("table")
        assert not table.is_visible()
        section.locator("summary").click()
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 6  # 2019-20 to 2024-25
    assert_only_local_requests(page, base_url)
    assert_no_axe_violations(page)


def test_funnel_plot_renders_links_every_council_and_has_a_table(page, base_url):
    page.goto(base_url + FUNNEL_PAGE)
    chart = page.locator("svg.funnel-svg")
    box = chart.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 200
    title = chart.locator("title").first.text_content()
    assert title == "Funnel plot: complaints upheld by county councils, 2023-24"
    assert page.get_by_role("group", name=title, exact=True).count() == 1
    points = chart.locator("a")
    rows = page.locator("table.funnel-figures tbody tr")
    assert points.count() == rows.count() > 5
    for index in range(points.count()):
        point_box = points.nth(index).bounding_box()
        assert point_box and point_box["width"] > 0
        name = points.nth(index).get_attribute("aria-label")
        assert page.get_by_role("link", name=name, exact=True).count() == 1
    assert_only_local_requests(page, base_url)
    assert_no_axe_violations(page)
    # a point is a working link to the council's page for that year (Enter, since points can overlap)
    first = points.first
    council = first.get_attribute("aria-label").split(":")[0]
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/2023-24/")
    assert page.locator("h1").text_content() == f"{council}: 2023-24"


def test_funnel_point_can_be_reached_with_the_keyboard(page, base_url):
    page.goto(base_url + FUNNEL_PAGE)
    first_label = page.locator("svg.funnel-svg a").first.get_attribute("aria-label")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == first_label:
            break
    else:
        pytest.fail("the first point of the funnel plot never took the keyboard focus")
