"""Annual review letters: Markdown from the data folder, made into safe HTML for a council page.

The conversion runs in a separate process (:class:`LetterConverter`): a converter written in Rust
can crash on hostile Markdown instead of raising, and a crash there must fail the build with a
message naming the letter, not kill the build without one.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import BinaryIO, Callable, ContextManager

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


class LetterError(Exception):
    """A letter could not be converted; the message names it and says why."""


_FRAME = struct.Struct(">BI")  # a status byte (0: HTML follows, 1: an error message follows) and a length
_LENGTH = struct.Struct(">I")


def serve_conversions(requests: BinaryIO | None = None, replies: BinaryIO | None = None) -> None:
    """The converter process: read letters (a length, then UTF-8 Markdown) until the input ends,
    answering each with its HTML or the error it raised."""
    requests = requests or sys.stdin.buffer
    replies = replies or sys.stdout.buffer
    while True:
        header = requests.read(_LENGTH.size)
        if len(header) < _LENGTH.size:
            return
        source = requests.read(_LENGTH.unpack(header)[0]).decode("utf-8")
        try:
            status, text = 0, str(letter_html(source))
        except Exception as error:  # sent back and raised in the build as a LetterError
            status, text = 1, f"{type(error).__name__}: {error}"
        body = text.encode("utf-8")
        replies.write(_FRAME.pack(status, len(body)) + body)
        replies.flush()


class LetterConverter:
    """Converts letters with :func:`letter_html` in a separate process, started when first needed
    and kept for the letters that follow. If that process crashes or takes longer than
    ``deadline`` seconds on a letter, :class:`LetterError` names the letter, and the next letter
    gets a new process."""

    def __init__(self, deadline: float = 60.0) -> None:
        self.deadline = deadline
        self._process: subprocess.Popen | None = None
        self._owner = 0  # the process that started it: a forked copy of this object starts its own
        self._lock = threading.Lock()

    def convert(self, source: str, shown: str) -> str:
        payload = source.encode("utf-8")
        with self._lock:
            process = self._worker()
            try:
                process.stdin.write(_LENGTH.pack(len(payload)) + payload)
                process.stdin.flush()
                status, length = _FRAME.unpack(self._read(process, _FRAME.size, shown))
                text = self._read(process, length, shown).decode("utf-8")
            except (BrokenPipeError, EOFError):
                raise self._failure(process, shown) from None
        if status:
            raise LetterError(f"{shown}: cannot be converted ({text}) (expected a letter in Markdown)")
        return text

    def _worker(self) -> subprocess.Popen:
        if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from generator.letters import serve_conversions; serve_conversions()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
            self._owner = os.getpid()
        return self._process

    def _read(self, process: subprocess.Popen, size: int, shown: str) -> bytes:
        chunks, remaining = [], size
        ends = time.monotonic() + self.deadline
        descriptor = process.stdout.fileno()
        while remaining:
            left = ends - time.monotonic()
            if left <= 0 or not select.select([descriptor], [], [], left)[0]:
                process.kill()
                process.wait()
                self._process = None
                raise LetterError(f"{shown}: converting it took longer than {self.deadline:g} s, so it was stopped "
                                  "(expected a letter in Markdown that converts in a moment)")
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _failure(self, process: subprocess.Popen, shown: str) -> LetterError:
        code = process.wait()
        self._process = None
        how = f"it was killed by {signal.Signals(-code).name}" if code < 0 else f"it exited with status {code}"
        return LetterError(f"{shown}: the Markdown converter crashed on this letter ({how}) (expected Markdown it can "
                           "convert: look for something nested or repeated thousands of times)")

    def close(self) -> None:
        if self._process is not None and self._owner == os.getpid():
            self._process.stdin.close()
            self._process.wait()
        self._process = None


CONVERTER = LetterConverter()
atexit.register(CONVERTER.close)


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

    def shown(self, path: Path) -> str:
        """A letter's path as messages give it: from the data folder's name, as in data/letters/x.md."""
        return f"{self.letters_dir.parent.name}/letters/{path.relative_to(self.letters_dir).as_posix()}"

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
                    stored = CONVERTER.convert(source.decode("utf-8"), self.shown(letter.path))
                    if self._store:
                        self._store.put(digest, stored)
            html = Markup(stored)
            if not self._keeps_all and len(self._memory) >= self.RECENT:
                del self._memory[next(iter(self._memory))]
            self._memory[key] = html
        return html
