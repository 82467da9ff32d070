"""A council's embed card and badge inside another site's page, in headless Chromium without JavaScript."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

SNIPPET_HEIGHT = 540  # the height the embed snippet on a council's page gives the iframe


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
    row = frame.locator(".stat", has_text="Complaints upheld").inner_text()
    assert row.split("\n") == ["Complaints upheld", "50% · average 63%", "1 of 2 · too few to compare"]
    assert host.page.evaluate("document.querySelector('img').naturalWidth") > 0
    assert host.outside_requests == []
    frame.locator("h1 a").click()
    host.page.wait_for_url(f"{site_url}redditch/")
    assert host.page.title().startswith("Redditch Borough Council")


def test_embed_card_passes_axe(new_page):
    card = new_page("redditch/embed/")
    results = Axe().run(card.page)
    assert results.violations_count == 0, results.generate_report()


def card_fits(new_page, site_url: str, slug: str, width: int, height: int) -> tuple[float, float]:
    """The card's bottom and the snippet's iframe height, at a given width."""
    host = new_page(width=width, height=900, javascript=False)
    host.page.set_content(f'<iframe src="{site_url}{slug}/embed/" title="card" width="100%" height="{height}" style="border:0"></iframe>')
    host.page.wait_for_load_state("load")
    return host.page.frames[1].evaluate("document.querySelector('main').getBoundingClientRect().bottom"), height


def test_the_snippet_height_fits_the_card_from_phone_to_desktop(new_page, site_url, built_site):
    import html
    import re
    for slug in ("redditch", "birmingham", "cumberland"):  # a card with figures, and one without any yet
        page = html.unescape((built_site / slug / "index.html").read_text(encoding="utf-8"))
        height = int(re.search(r'<iframe src="[^"]*embed/"[^>]* height="(\d+)"', page)[1])
        for width in (320, 390, 640):
            bottom, _ = card_fits(new_page, site_url, slug, width, height)
            assert bottom <= height, (slug, width, bottom, height)
            assert height - bottom < 200, (slug, width, bottom, height)  # no tall empty space under the card


def test_the_copy_button_copies_the_snippet_with_full_addresses(new_page, site_url):
    recorded = new_page("redditch/", width=390)
    recorded.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    snippet = recorded.page.locator("#embed-snippet").inner_text()
    assert f'src="{site_url}redditch/embed/"' in snippet  # the site's address put in front by the script
    assert recorded.page.locator(".snippet-note").is_hidden()
    recorded.page.get_by_role("button", name="Copy the card's HTML").click()
    recorded.page.wait_for_function("document.querySelector('.copy-status').textContent !== ''")
    assert recorded.page.locator(".copy-status").first.inner_text() == "Copied"
    assert recorded.page.evaluate("navigator.clipboard.readText()") == snippet
    assert recorded.console_errors == []


def test_without_javascript_the_snippet_is_text_to_select(new_page):
    recorded = new_page("redditch/", width=390, javascript=False)
    assert recorded.page.locator(".copy-button").count() == 0
    assert recorded.page.locator("#embed-snippet").inner_text().startswith('<iframe src="/redditch/embed/"')
    assert "put this site's web address in front of them" in recorded.page.locator(".snippet-note").inner_text()
