"""Annual review letters: Markdown from the data folder, made into safe HTML for a council page."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from importlib import metadata
from pathlib import Path

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


class LetterRenderer:
    """Renders letters from one data folder, each file once.

    With a ``store``, letters converted by an earlier build are taken from it. Give several
    renderers one ``memory`` (as ``perfsite serve`` does across rebuilds) and a letter is not even
    read again until its file's size or modification time changes.
    """

    def __init__(self, letters_dir: Path, store: LetterStore | None = None, memory: dict | None = None):
        self.letters_dir = letters_dir
        self._store = store
        self._memory = {} if memory is None else memory

    def __call__(self, relative: str) -> Markup:
        path = self.letters_dir / relative
        status = path.stat()
        key = (str(path), status.st_mtime_ns, status.st_size)
        html = self._memory.get(key)
        if html is None:
            source = path.read_bytes()
            digest = hashlib.sha256(source).hexdigest()
            stored = self._store.get(digest) if self._store else None
            if stored is None:
                stored = letter_html(source.decode("utf-8"))
                if self._store:
                    self._store.put(digest, stored)
            html = self._memory[key] = Markup(stored)
        return html
