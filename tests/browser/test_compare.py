"""The compare page: built from the councils' JSON downloads with JavaScript; without it, it explains
and links to the tables."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_compare_shows_the_chosen_councils_side_by_side(new_page, save_screenshot):
    recorded = new_page("compare/?councils=redditch,bury&year=2023-24", width=390)
    page = recorded.page
    table = page.locator("table.compare-table")
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert [header.split("\n")[0] for header in headers] == ["Statistic", "Redditch Borough Council", "Bury Metropolitan Borough Council"]
    upheld = table.locator("tbody tr").first.inner_text()
    # Redditch 2023-24: 1 of 2 upheld (50%), district average 63%; Bury: 23 of 26 (88%)
    assert "Complaints upheld" in upheld and "50%\n1 of 2\nAverage for its type: 63%\nToo few cases to compare" in upheld
    assert "88%\n23 of 26" in upheld
    assert "1.1\n1 upheld decision, population 87,132" in table.locator("tbody tr").nth(1).inner_text()
    assert page.locator("#compare-council-1").input_value() == "Redditch Borough Council"
    assert recorded.outside_requests == [] and recorded.console_errors == []
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, "compare-phone")
    save_screenshot(new_page("compare/?councils=redditch,bury,bromsgrove&year=2023-24", width=1280).page, "compare-desktop")


def test_compare_from_the_form(new_page):
    page = new_page("compare/").page
    page.fill("#compare-council-1", "Redditch Borough Council")
    page.fill("#compare-council-2", "Bury Metropolitan Borough Council")
    page.select_option("#compare-year", "2024-25")
    page.get_by_role("button", name="Compare").click()
    page.locator("table.compare-table").wait_for()
    assert "Showing 2 councils for 2024-25." in page.locator("#compare-status").inner_text()
    assert "councils=redditch,bury&year=2024-25" in page.url


def test_compare_without_javascript_explains_and_links_to_the_tables(new_page):
    page = new_page("compare/", javascript=False).page
    assert page.locator(".compare-tool").is_hidden()
    fallback = page.locator(".compare-fallback")
    assert "JavaScript" in fallback.inner_text()
    assert fallback.get_by_role("link", name="councils by type").get_attribute("href") == "../types/"
    assert fallback.get_by_role("link", name="figures by year").get_attribute("href") == "../years/"


def test_a_council_page_links_to_compare_it_with_councils_like_it(new_page):
    page = new_page("redditch/").page
    link = page.get_by_role("link", name="Compare Redditch Borough Council with them side by side")
    assert link.get_attribute("href").startswith("../compare/?councils=redditch,")
    assert page.locator(".neighbours li").count() == 5
