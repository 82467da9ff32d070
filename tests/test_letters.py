"""Hostile letters and hostile text in the data never put a script, handler or unsafe link on a page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import make_project, run_perfsite, write_files
from data_errors import GOOD_FILES
from generator.letters import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, letter_html
from site_walk import ParsedPage, parse_page

# Each piece of hostile Markdown, with text that must still be shown from it (or "" if none).
HOSTILE_PIECES: dict[str, tuple[str, str]] = {
    "script tag": ('<script>alert("script")</script>', ""),
    "onerror handler": ('<img src="x" onerror="alert(\'img\')">', ""),
    "raw javascript: link": ("<a href=\"javascript:alert('raw')\">raw javascript link</a>", "raw javascript link"),
    "Markdown javascript: link": ("[markdown javascript link](javascript:alert(1))", "markdown javascript link"),
    "mixed-case scheme": ("[mixed case](JaVaScRiPt:alert(1))", "mixed case"),
    "entity-encoded scheme": ("<a href=\"&#106;avascript:alert('entity')\">entity encoded</a>", "entity encoded"),
    "tab inside the scheme": ("<a href=\"jav&#x09;ascript:alert('tab')\">tab in scheme</a>", "tab in scheme"),
    "reference-style javascript: link": ("[reference link][evil]\n\n[evil]: javascript:alert(1)", "reference link"),
    "javascript: autolink": ("<javascript:alert('autolink')>", ""),
    "data: URL link": ("[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data link"),
    "data: URL image": ("![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", ""),
    "iframe": ('<iframe src="https://evil.example.org/"></iframe>', ""),
    "style element": ("<style>body { display: none }</style>", ""),
    "style attribute": ('<p style="position:fixed;top:0">styled</p>', "styled"),
    "svg with onload": ("<svg onload=\"alert('svg')\"><circle r=\"1\"/></svg>", ""),
    "form with javascript: formaction": ('<form action="https://evil.example.org/"><button formaction="javascript:alert(1)">go</button></form>', "go"),
    "object and embed": ('<object data="https://evil.example.org/x.swf"></object><embed src="https://evil.example.org/x.swf">', ""),
    "event handlers on a div": ("<div onclick=\"alert('div')\" onmouseover=\"alert('over')\">hover text</div>", "hover text"),
    "handler on a good link": ("<a href=\"https://www.lgo.org.uk/\" onclick=\"alert('click')\">the ombudsman</a>", "the ombudsman"),
    "escaped HTML written as entities": ('&lt;script&gt;alert("shown as text")&lt;/script&gt;', '<script>alert("shown as text")</script>'),
    "script in a comment": ('<!-- <script>alert("comment")</script> -->', ""),
    "base element": ('<base href="https://evil.example.org/">', ""),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ""),
    "external stylesheet": ('<link rel="stylesheet" href="https://evil.example.org/x.css">', ""),
}
SAFE_SCHEMES = {"http", "https", "mailto"}
UNSAFE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "svg", "math", "form"}
# The site draws its own charts and chart keys as inline SVG; any other <svg> came from the data.
OWN_SVG_CLASSES = {"chart-svg", "map-patterns"}


def is_own_svg(tag) -> bool:
    classes = set((tag.get("class") or "").split())
    return bool(classes & OWN_SVG_CLASSES) or (tag.get("aria-hidden") == "true" and tag.get("focusable") == "false")


def unsafe_markup(page: ParsedPage, own_scripts: tuple[str, ...] = (), own_svg: bool = False) -> list[str]:
    """Everything in a page that could run code, restyle the page, or send the reader elsewhere unsafely.

    With ``own_svg`` (a whole built page), the site's own chart SVG is allowed; its attributes are
    still checked like every other tag's.
    """
    found = []
    for tag in page.tags:
        if (tag.name in UNSAFE_ELEMENTS and not (tag.name == "svg" and own_svg and is_own_svg(tag))) or (
                tag.name == "meta" and tag.get("http-equiv")):
            found.append(f"<{tag.name}> at line {tag.line}")
        if tag.name == "script" and not any((tag.get("src") or "").endswith(script) for script in own_scripts):
            found.append(f"script {tag.get('src')!r} at line {tag.line}")
        for name, value in tag.attributes:
            if name.startswith("on") or name == "style":
                found.append(f"{name} on <{tag.name}> at line {tag.line}")
            if name in ("href", "src", "action", "formaction", "data", "poster", "background", "xlink:href") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in SAFE_SCHEMES and not (tag.name == "link" and value == "data:,"):
                    found.append(f"{name}={value!r} on <{tag.name}> at line {tag.line}")
    found.extend(f"{element} content {content[:40]!r}" for element, content in page.raw_text if "alert" in content)
    return found


@pytest.mark.parametrize("name", HOSTILE_PIECES)
def test_letter_html_removes_each_hostile_piece(name):
    markdown_text, kept_text = HOSTILE_PIECES[name]
    html = letter_html(f"Dear Chief Executive\n\n{markdown_text}\n")
    page = ParsedPage(str(html))
    assert unsafe_markup(page) == []
    assert {tag.name for tag in page.tags} <= ALLOWED_TAGS
    for tag in page.tags:
        allowed = ALLOWED_ATTRIBUTES.get(tag.name, set()) | ({"rel"} if tag.name == "a" else set())
        assert {name for name, _ in tag.attributes} <= allowed, tag
    assert page.raw_text == []
    assert kept_text in page.visible_text()
    assert "Dear Chief Executive" in page.visible_text()


def test_letter_keeps_safe_links_and_formatting():
    html = str(letter_html(
        "# Heading\n\nWe upheld **5** complaints; see [the ombudsman](https://www.lgo.org.uk/) "
        "or [write to us](mailto:advice@lgo.org.uk).\n"))
    assert "<h3>Heading</h3>" in html
    assert "<strong>5</strong>" in html
    assert '<a href="https://www.lgo.org.uk/" rel="noopener noreferrer">the ombudsman</a>' in html
    assert '<a href="mailto:advice@lgo.org.uk" rel="noopener noreferrer">write to us</a>' in html


HOSTILE_NAME = 'Beta <script>alert("name")</script> Council'
HOSTILE_TEXT = '<img src=x onerror=alert("text")>'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A real build whose letter holds every hostile piece and whose other text holds HTML."""
    root = tmp_path_factory.mktemp("hostile")
    letter = "# Annual review letter\n\nDear Chief Executive\n\n" + "\n\n".join(
        markdown_text for markdown_text, _ in HOSTILE_PIECES.values()) + "\n\nYours sincerely\n"
    beta = GOOD_FILES["councils/beta.yaml"].replace("name: Beta Borough Council", f"name: '{HOSTILE_NAME}'")
    beta = beta.replace("2023-24: {investigations: 4, upheld: 3}", (
        "2023-24:\n    investigations: 4\n    upheld: 3\n"
        f"    source: '{HOSTILE_TEXT} citation'\n"
        f"    decisions: [{{reference: '{HOSTILE_TEXT}', outcome: '<b>Upheld</b>', summary: '{HOSTILE_TEXT} summary'}}]\n"
        f"    public_reports: [{{title: '{HOSTILE_TEXT} report'}}]\n"
        f"    service_improvements: ['{HOSTILE_TEXT} improvement']\n"
    ))
    write_files(root / "data", {**GOOD_FILES, "letters/2023-24/alpha.md": letter, "councils/beta.yaml": beta})
    config = make_project(root)
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "site"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


PAGES_WITH_DATA_TEXT = (
    "alpha/index.html", "alpha/2023-24/index.html", "beta/index.html", "beta/2023-24/index.html",
    "index.html", "types/district/index.html", "years/2023-24/index.html",
)


@pytest.mark.parametrize("page_path", PAGES_WITH_DATA_TEXT)
def test_no_hostile_markup_reaches_a_built_page(hostile_site, page_path):
    page = parse_page(hostile_site / page_path)
    assert unsafe_markup(page, own_scripts=("assets/perfsite.js",), own_svg=True) == []


def test_built_letter_shows_its_text_and_safe_links(hostile_site):
    for page_path in ("alpha/index.html", "alpha/2023-24/index.html"):
        page = parse_page(hostile_site / page_path)
        text = page.visible_text()
        assert "Dear Chief Executive" in text and "Yours sincerely" in text
        for _, kept_text in HOSTILE_PIECES.values():
            assert kept_text in text
        assert 'alert("script")' not in text  # removed with its element, not shown
        links = [tag.get("href") for tag in page.tags if tag.name == "a"]
        assert "https://www.lgo.org.uk/" in links


def test_other_text_from_the_data_is_shown_as_text(hostile_site):
    page = parse_page(hostile_site / "beta" / "2023-24" / "index.html")
    text = page.visible_text()
    assert HOSTILE_NAME in text
    for suffix in ("citation", "summary", "report", "improvement"):
        assert f"{HOSTILE_TEXT} {suffix}" in text
    assert "<b>Upheld</b>" in text
    assert not any(tag.name in ("img", "b") for tag in page.tags)
    home = parse_page(hostile_site / "index.html")
    assert HOSTILE_NAME in home.visible_text()
