"""Council and council-year pages on phones: every figure, average and verdict in view without
scrolling sideways; wide tables scroll in their own labelled region, with a visible cue."""

from __future__ import annotations

import pytest

PAGES = ["redditch/", "redditch/2023-24/", "birmingham/", "birmingham/2024-25/", "cumbria/", "worcestershire/"]
WIDTHS = [320, 390]

# Every figure, average, verdict and interval of the figures tables, with where it is on screen.
FIGURE_PARTS = """() => Array.from(document.querySelectorAll('table.figures tr.figure')).flatMap((row) =>
  Array.from(row.querySelectorAll('td .value, .verdict, .interval')).map((el) => {
    const r = el.getBoundingClientRect();
    return {row: row.className, text: el.textContent, left: r.left, right: r.right, width: r.width, height: r.height};
  }))"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_every_figure_average_and_verdict_is_in_view_without_scrolling_sideways(new_page, path, width):
    page = new_page(path, width=width, height=800).page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    parts = page.evaluate(FIGURE_PARTS)
    assert len(parts) >= 4 * 3  # at least a figure, an average and a verdict for each of the four statistics
    for part in parts:
        assert part["width"] > 0 and part["height"] > 0, part
        assert part["left"] >= 0 and part["right"] <= width, part
    # the figures never scroll inside their region either
    assert page.evaluate("Array.from(document.querySelectorAll('table.figures')).every((t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1)")


def test_a_wide_table_scrolls_in_a_labelled_region_with_a_visible_cue(new_page):
    page = new_page("redditch/", width=320, height=800).page
    region = page.locator(".table-wrap", has=page.locator("table.years"))
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") == "Redditch Borough Council: figures for every year"
    assert page.evaluate("(el) => el.scrollWidth > el.clientWidth", region.element_handle())
    hint = region.locator("xpath=preceding-sibling::*[1]")
    assert hint.get_attribute("class") == "scroll-hint" and hint.is_visible()
    assert "scroll it sideways" in hint.inner_text()
    # at desktop width the same table fits, and says nothing
    wide = new_page("redditch/", width=1280).page
    assert wide.locator(".scroll-hint:visible").count() == 0


def test_the_headline_and_explanations_are_beside_the_figures(new_page):
    page = new_page("redditch/2023-24/", width=390).page
    headline = page.locator(".headline-lead")
    assert headline.inner_text() == ("The ombudsman upheld 1 of 2 complaints it investigated about Redditch Borough Council in 2023-24. "
                                     "That is too few to compare with other district councils.")
    assert headline.bounding_box()["y"] < page.locator("table.figures").bounding_box()["y"]
    explain = page.locator(".explanations .figure-upheld_rate")
    assert explain.is_visible() and "found the council at fault" in explain.inner_text()
    link = page.get_by_role("link", name="What these figures mean and how they are worked out")
    assert link.get_attribute("href") == "../../methodology/#what-the-figures-mean"


# Each SVG text's size on screen: its font size in the SVG's units times the SVG's scale.
TEXT_SIZES = """() => Array.from(document.querySelectorAll('svg.chart-svg text')).filter((el) => el.getBBox().width > 0 && getComputedStyle(el).display !== 'none')
  .map((el) => ({text: el.textContent, size: parseFloat(getComputedStyle(el).fontSize) * el.ownerSVGElement.getScreenCTM().a}))"""


@pytest.mark.parametrize("path", ["redditch/", "types/county/2023-24/funnel/"])
def test_chart_text_is_at_least_12_px_on_a_390_px_phone(new_page, path):
    page = new_page(path, width=390, height=800).page
    sizes = page.evaluate(TEXT_SIZES)
    assert len(sizes) > 5
    small = [entry for entry in sizes if entry["size"] < 12]
    assert small == [], small


def test_funnel_points_at_the_same_place_can_each_be_pointed_at(new_page):
    page = new_page("types/county/2023-24/funnel/", width=1280).page
    centres = page.evaluate("""() => Array.from(document.querySelectorAll('.funnel-points circle')).map((c) => [c.getAttribute('cx'), c.getAttribute('cy')].join(' '))""")
    assert len(centres) == len(set(centres)), "two points drawn on top of each other"
    # each point is the topmost element at its own centre, so a pointer reaches it
    hidden = page.evaluate("""() => Array.from(document.querySelectorAll('.funnel-points circle')).filter((c) => {
      const r = c.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top !== c;
    }).map((c) => c.parentElement.getAttribute('aria-label'))""")
    assert hidden == []
