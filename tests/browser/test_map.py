"""The map pages of the shipped data with the shared boundaries, in headless Chromium.

Uses the session's shipped site and browser (tests/browser/conftest.py). Every request the browser
makes is recorded: none may go to another host.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REDDITCH = "path[aria-label='Redditch Borough Council']"
KIRKLEES = "path[aria-label='Kirklees Metropolitan Borough Council']"
BIRMINGHAM = "path[aria-label='Birmingham City Council']"
BASINGSTOKE = "path[aria-label='Basingstoke and Deane Borough Council']"
# the palette's light, middle and dark colours and the two patterns (generator/mapclasses.py)
LIGHT, MIDDLE, DARK = "#fde725", "#21918c", "#440154"
DOTTED, HATCHED = "url(#perfsite-too-few)", "url(#perfsite-no-figures)"


@pytest.fixture
def page(new_page, site_url, boundaries_file):
    """A fresh page of the shipped site (its map drawn from the shared boundaries) that records every
    request; the test fails if any went to another host or the page threw an error."""
    recorded = new_page(width=1280, height=1000)
    recorded.page.requests = recorded.requests
    yield recorded.page
    assert recorded.outside_requests == []
    assert recorded.console_errors == []


def open_map(page, site_url, path="map/2023-24/"):
    page.goto(site_url + path)
    page.wait_for_selector(REDDITCH if "2023-24" in path or path == "map/" else "path.leaflet-interactive")
    # the areas are added in batches; the status line is written once the last is drawn
    page.wait_for_function("document.getElementById('map-status').textContent.length > 0")


def test_polygons_are_drawn_for_the_year(page, site_url):
    # the reference README's counts of English lower-tier areas in force in 2023 and 2019
    open_map(page, site_url)
    assert page.locator("path.leaflet-interactive").count() == 296
    open_map(page, site_url, "map/2019-20/")
    assert page.locator("path.leaflet-interactive").count() == 317


def test_leaflet_comes_from_the_site_and_nothing_from_elsewhere(page, site_url):
    open_map(page, site_url)
    assert site_url + "assets/leaflet/leaflet.js" in page.requests
    assert site_url + "assets/leaflet/leaflet.css" in page.requests
    # the page fixture asserts that no request went to another host


def test_switching_layer_set_statistic_and_view(page, site_url):
    open_map(page, site_url)
    assert page.locator(".legend:visible li").all_inner_texts() == [
        "Lower than the average for its type", "Similar to the average", "Higher than the average for its type",
        "Too few cases to compare", "No figures",
    ]
    assert page.locator(REDDITCH).get_attribute("fill") == DOTTED  # 1 of 2: too few cases to compare
    # 13 of 21 upheld is 62%, interval 41% to 79%, wholly below the metropolitan boroughs' 80%
    assert page.locator(KIRKLEES).get_attribute("fill") == LIGHT
    # 115 of 132 is 87%, interval 80.3% to 92.0%, shown as 80% to 92%: it reaches the 80% average, so similar
    assert page.locator(BIRMINGHAM).get_attribute("fill") == MIDDLE
    assert page.locator(BASINGSTOKE).get_attribute("fill") == HATCHED  # no figures for 2023-24
    page.get_by_role("radio", name="By the figure itself").check()
    assert page.locator(".legend:visible li").all_inner_texts() == ["Under 60%", "60% to 79%", "80% or more", "No figures"]
    assert page.locator(REDDITCH).get_attribute("fill") == LIGHT   # 50% is under 60%
    assert page.locator(".legend:visible .legend-title").inner_text() == "Complaints upheld: by the figure itself"
    page.get_by_role("radio", name="Compliance with recommendations").check()
    assert page.locator(".legend:visible .legend-title").inner_text() == "Compliance with recommendations: by the figure itself"
    assert page.locator(REDDITCH).get_attribute("fill") == DARK    # 1 of 1 is 100%, the top band
    page.get_by_role("radio", name="County councils").check()
    assert page.locator("path.leaflet-interactive").count() == 21
    assert page.locator("path[aria-label='Worcestershire County Council']").count() == 1
    assert page.locator(REDDITCH).count() == 0
    assert "County councils (21)" in page.locator("#map-status").inner_text()


def test_tooltip_on_focus_and_on_hover_shows_figure_count_and_average(page, site_url):
    open_map(page, site_url)
    page.locator(REDDITCH).focus()
    tooltip = page.locator(".leaflet-tooltip")
    assert tooltip.inner_text().split("\n") == [
        "Redditch Borough Council",
        "Complaints upheld: 50% (1 of 2 investigations)",
        "Average for district councils: 63%",
        "Too few cases to compare (2 investigations)",
    ]
    page.locator("h1").click()
    open_map(page, site_url)
    page.locator(REDDITCH).hover()
    assert "Complaints upheld: 50% (1 of 2 investigations)" in page.locator(".leaflet-tooltip").inner_text()


def test_click_and_enter_open_the_councils_page(page, site_url):
    open_map(page, site_url)
    page.locator(REDDITCH).click()
    page.wait_for_url(site_url + "redditch/2023-24/")
    assert "Redditch Borough Council" in page.locator("h1").inner_text()
    open_map(page, site_url, "map/")
    page.locator(REDDITCH).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "redditch/2024-25/")


def axe_violations(page, context: str | None = None) -> list[str]:
    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{violation['id']}: {[node['target'] for node in violation['nodes']]}" for violation in results.response["violations"]]


def test_map_page_passes_axe(page, site_url):
    open_map(page, site_url)
    page.locator(REDDITCH).focus()  # with a tooltip open
    assert axe_violations(page) == []
    # only the map, its controls and key change when switching: check them again, not the whole table
    page.get_by_role("radio", name="County councils").check()
    page.get_by_role("radio", name="By the figure itself").check()
    page.locator("path.leaflet-interactive").first.focus()
    assert axe_violations(page, ".map-layout") == []


def test_without_javascript_the_static_map_shows_and_its_links_work(new_page, site_url, save_screenshot):
    recorded = new_page("map/2023-24/", width=390, height=900, javascript=False)
    page = recorded.page
    static = page.locator("svg.static-map").first
    assert static.is_visible()
    box = static.bounding_box()
    assert box["width"] > 300 and box["height"] > 300  # drawn at the width of a phone, not a thumbnail
    redditch = page.locator("svg.static-map a[aria-label^='Redditch Borough Council']")
    assert redditch.count() == 1
    assert redditch.get_attribute("aria-label").startswith("Redditch Borough Council: complaints upheld")
    save_screenshot(page, "map-static-390")
    redditch.click()
    page.wait_for_url(site_url + "redditch/2023-24/")
    assert "Redditch Borough Council" in page.locator("h1").inner_text()
    assert recorded.outside_requests == []


def test_the_static_map_passes_axe(page, site_url):
    # axe runs as a script, so the page runs scripts; showing the static map again is what a
    # browser without JavaScript sees
    page.goto(site_url + "map/2023-24/")
    page.evaluate("document.documentElement.classList.remove('map-scripted')")
    assert page.locator("svg.static-map").first.is_visible()
    assert axe_violations(page, ".map-static") == []
