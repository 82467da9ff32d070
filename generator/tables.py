"""Wide tables written in Markdown (hand-written pages, letters) go in their own scrolling region,
as the generated tables do, so that on a narrow screen the table scrolls, not the page."""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S | re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
_OPENING_TAG = re.compile(r"<([a-z][a-z0-9]*)\b[^<>]*>\s*\Z", re.I)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _label(table: str, heading: str | None) -> str:
    """The table's caption, else the nearest heading above it, else "Table"."""
    caption = _CAPTION.search(table)
    if caption and _text(caption.group(1)):
        return _text(caption.group(1))
    return _text(heading) if heading and _text(heading) else "Table"


def _tag_before(page_html: str, position: int) -> str:
    """The opening tag that ends just before ``position`` (white space aside), or ""."""
    start = page_html.rfind("<", 0, position)
    if start < 0:
        return ""
    match = _OPENING_TAG.match(page_html, start, position)
    return match.group(0) if match else ""


def wrap_tables(page_html: str) -> str:
    """Put each table not already in a ``.table-wrap`` into one: a labelled region that can be
    scrolled sideways with the keyboard (it takes focus).

    One pass over the page: the headings are read once, in order, beside the tables.
    """
    parts: list[str] = []
    position = 0
    headings = _HEADING.finditer(page_html)
    next_heading = next(headings, None)
    last_heading: str | None = None
    for match in _TABLE.finditer(page_html):
        while next_heading is not None and next_heading.end() <= match.start():
            last_heading = next_heading.group(1)
            next_heading = next(headings, None)
        parts.append(page_html[position: match.start()])
        if "table-wrap" in _tag_before(page_html, match.start()):
            parts.append(match.group(0))
        else:
            label = html.escape(_label(match.group(0), last_heading), quote=True)
            parts.append(f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">{match.group(0)}</div>')
        position = match.end()
    parts.append(page_html[position:])
    return "".join(parts)
