"""Tables from Markdown go into their own labelled scrolling region, once."""

from __future__ import annotations

from generator.letters import letter_html
from generator.tables import wrap_tables


def test_table_is_wrapped_in_a_region_named_after_the_heading_above_it():
    page = '<h2 id="s">The four &amp; more</h2>\n<p>Text</p>\n<table><tr><td>1</td></tr></table>\n<p>After</p>'
    assert wrap_tables(page) == (
        '<h2 id="s">The four &amp; more</h2>\n<p>Text</p>\n'
        '<div class="table-wrap" role="region" aria-label="The four &amp; more" tabindex="0">'
        '<table><tr><td>1</td></tr></table></div>\n<p>After</p>'
    )


def test_caption_names_the_region_and_a_table_with_no_heading_is_called_table():
    assert 'aria-label="Rates, 2023"' in wrap_tables("<h2>Other</h2><table><caption>Rates, <b>2023</b></caption></table>")
    assert 'aria-label="Table"' in wrap_tables("<table><tr><td>1</td></tr></table>")


def test_tables_already_in_a_region_and_pages_without_tables_are_left_alone():
    wrapped = '<div class="table-wrap" role="region" aria-label="A" tabindex="0">\n<table></table>\n</div>'
    assert wrap_tables(wrapped) == wrapped
    assert wrap_tables("<p>No tables</p>") == "<p>No tables</p>"


def test_every_table_of_a_letter_gets_its_own_region():
    letter = "# Statistics\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Later\n\n| c |\n|---|\n| 3 |\n"
    rendered = str(letter_html(letter))
    assert rendered.count('<div class="table-wrap" role="region"') == 2
    assert 'aria-label="Statistics"' in rendered and 'aria-label="Later"' in rendered
