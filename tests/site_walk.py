"""Read a built site the way a browser would find its links: every tag, id, href and src of a page.

``broken_references(site)`` walks every HTML and CSS file and lists each internal reference that
does not resolve to a file (or to an id on the target page, for a #fragment). External http(s)
and mailto links are not fetched.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, NamedTuple
from urllib.parse import unquote, urlsplit

EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
LOADING_LINK_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"})
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


class Tag(NamedTuple):
    name: str
    attributes: tuple[tuple[str, str | None], ...]
    line: int

    def get(self, attribute: str) -> str | None:
        return next((value for name, value in self.attributes if name == attribute), None)


class ParsedPage(HTMLParser):
    """One HTML page: its start tags in order and the ids a #fragment can point at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.ids: set[str] = set()
        self.text: list[str] = []  # character data outside <script> and <style>, entities decoded
        self.raw_text: list[tuple[str, str]] = []  # (script or style, its content)
        self._raw_element: str | None = None
        self.feed(text)
        self.close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, tuple(attrs), self.lineno))
        for name, value in attrs:
            if value is not None and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag in ("script", "style"):
            self._raw_element = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw_element:
            self._raw_element = None

    def handle_data(self, data: str) -> None:
        if self._raw_element:
            self.raw_text.append((self._raw_element, data))
        else:
            self.text.append(data)

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def references(self) -> list[tuple[str, int]]:
        """Every href, src and refresh target in the page, with its line."""
        found = []
        for tag in self.tags:
            for name, value in tag.attributes:
                if value is not None and name in ("href", "src"):
                    found.append((value, tag.line))
            if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
                match = REFRESH_URL.search(tag.get("content") or "")
                if match:
                    found.append((match.group(1), tag.line))
        return found


def parse_page(path: Path) -> ParsedPage:
    return ParsedPage(path.read_text(encoding="utf-8"))


def css_references(path: Path) -> list[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    found = []
    for match in CSS_URL.finditer(text):
        reference = match.group(2) or match.group(4)
        if not reference.startswith("#"):  # url(#default#VML) is an old IE behaviour, not a file
            found.append((reference.strip(), text[: match.start()].count("\n") + 1))
    return found


def resolve(site: Path, page: Path, reference: str, ids_of: Callable[[Path], set[str]]) -> str | None:
    """Why ``reference`` on ``page`` does not resolve, or None when it does (or is external)."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in EXTERNAL_SCHEMES or parts.scheme.lower() == "data":
            return None
        return f"a {parts.scheme}: link"
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = page.parent / path
    target = Path(os.path.normpath(target))
    if not target.is_relative_to(site):
        return "points outside the site"
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"no file at {target.relative_to(site).as_posix()}"
    if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
        return f"no id '{parts.fragment}' in {target.relative_to(site).as_posix()}"
    return None


def parse_site(site: Path) -> dict[Path, ParsedPage]:
    """Every HTML page of the site, parsed, by resolved path."""
    site = Path(os.path.normpath(site.resolve()))
    return {path: parse_page(path) for path in sorted(site.rglob("*.html"))}


def broken_references(site: Path, pages: dict[Path, ParsedPage] | None = None) -> list[str]:
    """Every internal href, src and CSS url() in the site that does not resolve, as 'page:line: ref: why'."""
    site = Path(os.path.normpath(site.resolve()))
    pages = parse_site(site) if pages is None else pages

    def ids_of(page: Path) -> set[str]:
        return pages[page].ids if page in pages else parse_page(page).ids

    broken = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            references = pages[path].references()
        elif path.suffix == ".css":
            references = css_references(path)
        else:
            continue
        for reference, line in references:
            problem = resolve(site, path, reference, ids_of)
            if problem:
                broken.append(f"{path.relative_to(site).as_posix()}:{line}: {reference}: {problem}")
    return broken


def requests_to_other_hosts(site: Path, pages: dict[Path, ParsedPage] | None = None) -> list[str]:
    """Resources a page would load from another host: any src, and stylesheets, icons and preloads."""
    site = Path(os.path.normpath(site.resolve()))
    pages = parse_site(site) if pages is None else pages
    found = []
    for path, page in pages.items():
        for tag in page.tags:
            loaded = [tag.get("src")]
            if tag.name == "link" and set((tag.get("rel") or "").split()) & LOADING_LINK_RELS:
                loaded.append(tag.get("href"))
            for reference in filter(None, loaded):
                if urlsplit(reference).netloc:
                    found.append(f"{path.relative_to(site).as_posix()}:{tag.line}: {reference}")
    return found
