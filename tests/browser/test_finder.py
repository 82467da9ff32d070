"""The home page's council finder: typing narrows the list; Enter or a click opens the council."""

from __future__ import annotations


def visible_names(page) -> list[str]:
    return page.locator("#council-list li:visible a").all_inner_texts()


def test_typing_part_of_a_name_narrows_the_list_and_enter_opens_the_first(new_page):
    page = new_page("").page
    search = page.get_by_label("Council name")
    assert search.is_visible()
    search.press_sequentially("reddi")
    assert visible_names(page) == ["Redditch Borough Council"]
    assert page.locator("#finder-status").inner_text() == "1 council matches"
    search.press("Enter")
    page.wait_for_url("**/redditch/")
    assert page.locator("h1").inner_text() == "Redditch Borough Council"


def test_words_in_any_order_narrow_the_list_and_a_click_opens_the_council(new_page):
    page = new_page("").page
    page.get_by_label("Council name").fill("Warwick north")
    assert visible_names(page) == ["North Warwickshire Borough Council"]
    page.get_by_role("link", name="North Warwickshire Borough Council").click()
    page.wait_for_url("**/north-warwickshire/")
    assert page.locator("h1").inner_text() == "North Warwickshire Borough Council"


def test_clearing_the_search_shows_every_council_again(new_page):
    page = new_page("").page
    everyone = page.locator("#council-list li").count()
    search = page.get_by_label("Council name")
    search.fill("zzzz")
    assert visible_names(page) == []
    assert page.locator("#finder-status").inner_text() == "0 councils match"
    search.fill("")
    assert len(visible_names(page)) == everyone
