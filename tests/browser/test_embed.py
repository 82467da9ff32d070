"""A council's embed card and badge inside another site's page, in headless Chromium without JavaScript."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

SNIPPET_HEIGHT = 420  # the height the embed snippet on a council's page gives the iframe


def test_embed_works_in_an_iframe_without_javascript(browser, site_url, new_page):
    host = new_page(width=360, height=800, javascript=False)
    host.page.set_content(
        f'<main><iframe src="{site_url}redditch/embed/" title="Redditch" width="100%" height="{SNIPPET_HEIGHT}" style="border:0"></iframe>'
        f'<img src="{site_url}redditch/badge.svg" alt="badge"></main>')
    host.page.wait_for_load_state("load")
    frame = host.page.frames[1]
    # the whole card fits in the snippet's height, even on a narrow phone
    assert frame.evaluate("document.querySelector('main').getBoundingClientRect().bottom") <= SNIPPET_HEIGHT
    assert frame.locator("h1").inner_text() == "Redditch Borough Council"
    # Redditch 2023-24: 1 of 2 investigations upheld, against the published district average of 63%
    assert "Complaints upheld\t50%\t63%" in frame.locator("main").inner_text()
    assert host.page.evaluate("document.querySelector('img').naturalWidth") > 0
    assert host.outside_requests == []
    frame.locator("h1 a").click()
    host.page.wait_for_url(f"{site_url}redditch/")
    assert host.page.title().startswith("Redditch Borough Council")


def test_embed_card_passes_axe(new_page):
    card = new_page("redditch/embed/")
    results = Axe().run(card.page)
    assert results.violations_count == 0, results.generate_report()
