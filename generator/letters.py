"""Annual review letters: Markdown from the data folder, made into safe HTML for a council page."""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from importlib import metadata
from pathlib import Path
from typing import Callable, ContextManager

import nh3
from markdown_it_pyrs import MarkdownIt
from markupsafe import Markup

from .tables import wrap_tables

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")
# CommonMark with tables, by markdown-it.rs (Rust): the same HTML as markdown-it-py once cleaned,
# in a fifteenth of the time. (cmarkgfm was as fast but its Python wrapper never frees what it
# renders: 25 KB a letter.) Raw HTML is let through here only for nh3 to remove it below.
_MARKDOWN = MarkdownIt("commonmark").enable("table")


def _demote_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}"


def letter_html(source: str) -> Markup:
    """A letter's Markdown as HTML that can sit under the page's own headings.

    Raw HTML in the letter is removed, scripts and event handlers never survive, links keep only
    http, https and mailto addresses, headings move down two levels (a letter's "#" becomes h3)
    and tables scroll in their own region.
    """
    converted = _MARKDOWN.render(source)
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


class LetterStore:
    """Letters' HTML kept between builds in an SQLite file, by the SHA-256 of their Markdown.

    A rebuild converts only letters that are new or changed. The store is emptied when the
    converter changes, letters no build has used since the store was opened are dropped on
    :meth:`save`, and a damaged store file is replaced by an empty one.
    """

    VERSION = f"1 markdown-it-pyrs {metadata.version('markdown-it-pyrs')} nh3 {metadata.version('nh3')}"

    def __init__(self, path: Path):
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:  # a damaged store is only a lost cache: start a new one
            path.unlink(missing_ok=True)
            self._db = self._open(path)
        self._used: set[str] = set()

    @classmethod
    def _open(cls, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        # A cache: losing it costs only time, so it is written without waiting for the disk.
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("CREATE TABLE IF NOT EXISTS letters (digest TEXT PRIMARY KEY, html TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        version = db.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
        if version != (cls.VERSION,):
            db.execute("DELETE FROM letters")
            db.execute("INSERT OR REPLACE INTO settings VALUES ('version', ?)", (cls.VERSION,))
        return db

    def get(self, digest: str) -> str | None:
        self._used.add(digest)
        row = self._db.execute("SELECT html FROM letters WHERE digest = ?", (digest,)).fetchone()
        return row[0] if row else None

    def put(self, digest: str, html: str) -> None:
        self._used.add(digest)
        self._db.execute("INSERT OR REPLACE INTO letters VALUES (?, ?)", (digest, html))

    def save(self) -> None:
        self._db.execute("CREATE TEMP TABLE used (digest TEXT PRIMARY KEY)")
        self._db.executemany("INSERT INTO used VALUES (?)", ((digest,) for digest in self._used))
        self._db.execute("DELETE FROM letters WHERE digest NOT IN (SELECT digest FROM used)")
        self._db.commit()
        self._db.close()


class Letter:
    """A letter as a view holds it: its file and that file's state, not its HTML.

    The HTML is made when a page shows the letter (Jinja asks for ``__html__``), so a large site
    never holds every letter's HTML at once. Two are equal when they are the same file unchanged.
    """

    __slots__ = ("renderer", "path", "state")

    def __init__(self, renderer: "LetterRenderer", path: Path, state: tuple[int, int]) -> None:
        self.renderer, self.path, self.state = renderer, path, state

    def __html__(self) -> str:
        return self.renderer.html(self)

    __str__ = __html__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Letter) and (self.path, self.state) == (other.path, other.state)

    def __hash__(self) -> int:
        return hash((self.path, self.state))


class LetterRenderer:
    """Renders letters from one data folder.

    With a ``store``, letters converted by an earlier build are taken from it. Give several
    renderers one ``memory`` (as ``perfsite serve`` does across rebuilds) and a letter is not even
    read again until its file's size or modification time changes; without one, only the last few
    letters are kept (a council's latest letter is on two pages). ``timed`` wraps each conversion,
    for the build's timings.
    """

    RECENT = 16

    def __init__(self, letters_dir: Path, store: LetterStore | None = None, memory: dict | None = None,
                 timed: Callable[[], ContextManager] | None = None):
        self.letters_dir = letters_dir
        self._store = store
        self._keeps_all = memory is not None
        self._memory = {} if memory is None else memory
        self._timed = timed or contextlib.nullcontext

    def __call__(self, relative: str) -> Letter:
        path = self.letters_dir / relative
        status = path.stat()
        return Letter(self, path, (status.st_mtime_ns, status.st_size))

    def html(self, letter: Letter) -> Markup:
        key = (str(letter.path), *letter.state)
        html = self._memory.get(key)
        if html is None:
            with self._timed():
                source = letter.path.read_bytes()
                digest = hashlib.sha256(source).hexdigest()
                stored = self._store.get(digest) if self._store else None
                if stored is None:
                    stored = letter_html(source.decode("utf-8"))
                    if self._store:
                        self._store.put(digest, stored)
            html = Markup(stored)
            if not self._keeps_all and len(self._memory) >= self.RECENT:
                del self._memory[next(iter(self._memory))]
            self._memory[key] = html
        return html
