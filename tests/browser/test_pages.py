"""Every kind of page in headless Chromium: WCAG 2.2 AA by axe-core, nothing from other hosts, no
console errors, no sideways scrolling at 320 px, a working keyboard path, and figures without
JavaScript. Screenshots of each kind go to test-output/screenshots/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python
import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import REPO

WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NARROW = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHIPPED_COUNCILS = len(list((REPO / "data" / "councils").glob("*.yaml")))


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str
    figures: str
    """A selector for what must be visible with or without JavaScript."""
    shows: str
    """Text that element must contain, read by hand from the shipped data."""


PAGE_KINDS = [
    PageKind("home", "", "#council-list", "Redditch Borough Council"),
    # Redditch 2023-24: 1 of 2 investigations upheld; 1 upheld among 87,132 residents is 1.15 per 100,000.
    PageKind("council", "redditch/", "table.figures", "1 of 2 investigations"),
    PageKind("council-year", "redditch/2023-24/", "table.figures", "1.1"),
    # Cumbria County Council, abolished 31 March 2023; 2023-24: 9 of 10 investigations upheld, 90%.
    PageKind("abolished-council", "cumbria/", "table.years", "90%"),
    PageKind("type", "types/district/", "table.councils", "Redditch Borough Council"),
    # The ombudsman's published 2023-24 average for district councils, in data/averages.yaml.
    PageKind("year", "years/2023-24/", "table.averages", "63%"),
    PageKind("map", "map/", "main table", ""),
    PageKind("methodology", "methodology/", "main table", "upheld ÷ detailed investigations"),
    PageKind("accessibility", "accessibility/", "main h1", "Accessibility statement"),
    # Without JavaScript the compare page explains itself and links to the tables.
    PageKind("compare", "compare/", ".compare-fallback", "councils by type"),
]

# Finds what Tab can reach, as the browser does: in the document, shown, not disabled, not tabindex=-1,
# one radio button per group.
# It remembers each one's outline and box-shadow before anything has focus, to compare when focused.
COLLECT_FOCUSABLE = """() => {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable="true"]';
  // Of a group of radio buttons, Tab stops only at the checked one (or the first, if none is).
  const radioStop = (el) => {
    if (el.type !== 'radio' || !el.name) return true;
    const group = Array.from(document.getElementsByName(el.name)).filter((other) => other.type === 'radio' && other.form === el.form);
    return el === (group.find((other) => other.checked) || group[0]);
  };
  const reachable = (el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
    && el.checkVisibility({visibilityProperty: true}) && radioStop(el);
  const look = (el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '); };
  document.activeElement.blur();
  window.__focusable = Array.from(document.querySelectorAll(selector)).filter(reachable);
  window.__unfocusedLook = window.__focusable.map(look);
  return window.__focusable.length;
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  const index = window.__focusable.indexOf(el);
  const s = getComputedStyle(el);
  const look = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
  const hasOutline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const hasShadow = s.boxShadow !== 'none';
  return {
    index,
    html: el.outerHTML.slice(0, 100),
    styled: (hasOutline || hasShadow) && index >= 0 && look !== window.__unfocusedLook[index],
  };
}"""
# Elements sticking out of the viewport sideways, unless a scrolling or clipping box holds them.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll('*'))
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5) && !clipped(el); })
    .map((el) => el.outerHTML.slice(0, 100));
}"""
SCROLLING_REGIONS = """() => Array.from(document.querySelectorAll('main *'))
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .map((el) => ({className: el.className, tabIndex: el.tabIndex, role: el.getAttribute('role'), label: el.getAttribute('aria-label')}))"""


@pytest.fixture(params=PAGE_KINDS, ids=lambda kind: kind.name)
def kind(request, built_site: Path) -> PageKind:
    page_kind = request.param
    if page_kind.name == "map" and not (built_site / page_kind.path / "index.html").is_file():
        pytest.skip("no map page in this build")
    return page_kind


def test_axe_finds_no_wcag_22_aa_violations(kind, new_page):
    for viewport in (DESKTOP, NARROW):
        page = new_page(kind.path, **viewport).page
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}})
        assert results.violations_count == 0, f"{kind.path} at {viewport['width']} px:\n{results.generate_report()}"


def test_no_request_leaves_the_test_server_and_no_console_errors(kind, new_page):
    opened = new_page(kind.path)
    opened.page.wait_for_load_state("networkidle")
    assert opened.requests, "the request recorder saw nothing"
    assert opened.outside_requests == []
    assert opened.console_errors == []


def test_nothing_scrolls_sideways_at_320_px_except_tables_in_their_own_region(kind, new_page):
    page = new_page(kind.path, **NARROW).page
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], page.evaluate(OVERFLOWING)
    for region in page.evaluate(SCROLLING_REGIONS):
        assert "table-wrap" in region["className"].split(), region
        assert region["tabIndex"] == 0 and region["role"] == "region" and region["label"], region


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(kind, new_page):
    page = new_page(kind.path).page
    page.keyboard.press("Tab")
    skip = page.evaluate("({text: document.activeElement.textContent, href: document.activeElement.getAttribute('href'), top: document.activeElement.getBoundingClientRect().top})")
    assert skip["text"] == "Skip to main content" and skip["href"] == "#main"
    assert skip["top"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_tab_reaches_every_link_and_control_in_order_with_a_visible_focus_style(kind, new_page):
    page = new_page(kind.path).page
    if kind.name == "map":  # the map is made once it nears the screen, and its areas drawn in batches
        page.wait_for_function("document.getElementById('map-status').textContent.length > 0")
    count = page.evaluate(COLLECT_FOCUSABLE)
    assert count > 1
    stops = []
    for _ in range(count + 2):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["index"] < 0 or (stops and stop["index"] == stops[0]["index"]):
            break
        stops.append(stop)
    reached = [stop["index"] for stop in stops]
    assert reached == list(range(count)), (
        f"Tab reached {len(reached)} of {count} focusable elements; then it went to {stop['html']!r}"
    )
    unstyled = [stop["html"] for stop in stops if not stop["styled"]]
    assert unstyled == [], "no visible focus style"


def test_figures_show_without_javascript(kind, new_page):
    page = new_page(kind.path, javascript=False).page
    figures = page.locator(kind.figures).first
    assert figures.is_visible()
    assert re.search(r"\w", figures.inner_text())
    assert kind.shows in figures.inner_text()


def test_home_without_javascript_is_a_plain_list_of_links(new_page):
    page = new_page("", javascript=False).page
    assert page.locator("#finder-input").is_hidden()
    links = page.locator("#council-list a")
    assert links.count() == SHIPPED_COUNCILS
    assert links.first.is_visible() and links.last.is_visible()


def test_screenshots_at_phone_and_desktop_widths(kind, new_page, save_screenshot):
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(kind.path, **viewport).page
        path = save_screenshot(page, f"{kind.name}-{label}")
        assert path.stat().st_size > 0


def test_accessibility_statement_names_the_axe_core_version_these_tests_run(built_site):
    axe_source = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    version = re.match(r"/\*! axe v(\d+\.\d+\.\d+)", axe_source).group(1)
    statement = (built_site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"axe-core</a> {re.escape(version)} finds no failures", statement), f"the statement should name axe-core {version}"
    assert re.search(r"This statement was prepared on \d{1,2} \w+ \d{4}", statement)
