"""The charts in headless Chromium: they render, have accessible names and a table equivalent.

Uses the session's shipped site and browser (tests/browser/conftest.py).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

COUNCIL_PAGE = "kent/"  # four statistics with figures in several years
FUNNEL_PAGE = "types/county/2023-24/funnel/"


@pytest.fixture
def recorded(new_page):
    return new_page(width=1024, height=800)


@pytest.fixture
def page(recorded):
    return recorded.page


def assert_no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_trend_charts_render_with_names_and_tables(recorded, page):
    recorded.goto(COUNCIL_PAGE)
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
    assert recorded.outside_requests == []
    assert_no_axe_violations(page)


def test_funnel_plot_renders_links_every_council_and_has_a_table(recorded, page):
    recorded.goto(FUNNEL_PAGE)
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
    assert recorded.outside_requests == []
    assert_no_axe_violations(page)
    # a point is a working link to the council's page for that year (Enter, since points can overlap)
    first = points.first
    council = first.get_attribute("aria-label").split(":")[0]
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/2023-24/")
    assert page.locator("h1").text_content() == f"{council}: 2023-24"


def test_funnel_point_can_be_reached_with_the_keyboard(recorded, page):
    recorded.goto(FUNNEL_PAGE)
    first_label = page.locator("svg.funnel-svg a").first.get_attribute("aria-label")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == first_label:
            break
    else:
        pytest.fail("the first point of the funnel plot never took the keyboard focus")
