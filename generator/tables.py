"""Wide tables written in Markdown (hand-written pages, letters) go in their own scrolling region,
as the generated tables do, so that on a narrow screen the table scrolls, not the page."""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S | re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
_LAST_TAG = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*>\s*$", re.I)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _label(table: str, before: str) -> str:
    """The table's caption, else the nearest heading above it, else "Table"."""
    caption = _CAPTION.search(table)
    if caption and _text(caption.group(1)):
        return _text(caption.group(1))
    headings = _HEADING.findall(before)
    return _text(headings[-1]) if headings and _text(headings[-1]) else "Table"


def wrap_tables(page_html: str) -> str:
    """Put each table not already in a ``.table-wrap`` into one: a labelled region that can be
    scrolled sideways with the keyboard (it takes focus)."""
    parts: list[str] = []
    position = 0
    for match in _TABLE.finditer(page_html):
        before = page_html[: match.start()]
        opening = _LAST_TAG.search(before)
        parts.append(page_html[position: match.start()])
        if opening and "table-wrap" in opening.group(0):
            parts.append(match.group(0))
        else:
            label = html.escape(_label(match.group(0), before), quote=True)
            parts.append(f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">{match.group(0)}</div>')
        position = match.end()
    parts.append(page_html[position:])
    return "".join(parts)
