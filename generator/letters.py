"""Annual review letters: Markdown from the data folder, made into safe HTML for a council page."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from .tables import wrap_tables

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}"


def letter_html(source: str) -> Markup:
    """A letter's Markdown as HTML that can sit under the page's own headings.

    Raw HTML in the letter is removed, scripts and event handlers never survive, links keep only
    http, https and mailto addresses, headings move down two levels (a letter's "#" becomes h3)
    and tables scroll in their own region.
    """
    converted = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    demoted = _HEADING.sub(_demote_heading, converted)
    cleaned = nh3.clean(
        demoted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(wrap_tables(cleaned))


class LetterRenderer:
    """Renders letters from one data folder, each file once per build."""

    def __init__(self, letters_dir: Path):
        self.letters_dir = letters_dir
        self._render = lru_cache(maxsize=None)(self._render_uncached)

    def _render_uncached(self, relative: str) -> Markup:
        return letter_html((self.letters_dir / relative).read_text(encoding="utf-8"))

    def __call__(self, relative: str) -> Markup:
        return self._render(relative)
