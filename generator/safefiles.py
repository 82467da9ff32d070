"""Reading files that come with the data, which may be hostile: only regular files, only up to a
size, only from inside the folder they belong to.

A FIFO or a device would block or never end, a sparse file of gigabytes would be read whole, and a
link could publish a file from anywhere on the machine. :func:`read_limited` refuses each of these
with a reason worded for the message, before reading a byte more than the limit.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path


class UnsafeFile(Exception):
    """The file was not read; the message says why, without the file's name (the caller adds it)."""


def outside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link in it followed, is not inside ``root``."""
    return not path.resolve().is_relative_to(root.resolve())


def read_limited(path: Path, limit: int, root: Path | None = None, root_shown: str = "") -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (inside ``root``
    once links are followed, when given: ``root_shown`` names it in the message); raises
    :class:`UnsafeFile` or :class:`OSError`."""
    if root is not None and outside(path, root):
        raise UnsafeFile(f"points outside {root_shown or root}/ (expected a file inside it)")
    # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeFile(f"is {_kind(status.st_mode)} (expected a regular file)")
        if status.st_size > limit:
            raise UnsafeFile(f"is {status.st_size:,} bytes (expected at most {limit:,})")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise UnsafeFile(f"is more than {limit:,} bytes (expected at most {limit:,})")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


# Characters that change how text around them is shown without being seen themselves.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BLANK_LOOKALIKES = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control, bidirectional and other invisible format
    characters are shown as escapes (``\\x1b``, ``\\u202e``), so no escape code reaches the terminal."""
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() or character == " " else _escape(character)
        for character in text
    )


def _escape(character: str) -> str:
    if character in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def hidden_character(text: str, long_text: bool = False) -> str | None:
    """The first character of ``text`` that a reader would not see as written, as ``U+XXXX``, or None.

    That is a control character, a bidirectional control (such as U+202E, which shows the text
    after it backwards) or, in short text such as a name, any other invisible format character
    (zero-width spaces and joiners, soft hyphens). ``long_text`` (a summary) may hold tabs and line
    breaks, and format characters other than bidirectional controls.
    """
    for character in text:
        if character in BIDI_CONTROLS:
            return f"U+{ord(character):04X}"
        if long_text and character in "\n\t":
            continue
        category = unicodedata.category(character)
        if category in ("Cc", "Cs", "Co") or character in "\u2028\u2029" or _is_noncharacter(character) \
                or (category == "Cf" and not long_text):
            return f"U+{ord(character):04X}"
    return None


def _is_noncharacter(character: str) -> bool:
    """U+FDD0 to U+FDEF and the last two code points of every plane, which XML may not hold."""
    code = ord(character)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def looks_blank(text: str) -> bool:
    """Whether ``text`` shows as nothing: only spaces and characters drawn blank."""
    return all(character.isspace() or character in BLANK_LOOKALIKES or unicodedata.category(character) in ("Cf", "Zs", "Mn")
               for character in text)


# Markdown nested deeper than this is no letter; the converter recurses once a level.
MAX_LETTER_NESTING = 20
MAX_EMPHASIS_RUN = 100
_CONTAINER_MARKER = re.compile(r"[ \t]{0,3}(?:>[ \t]?|[-+*](?:[ \t]+|$)|[0-9]{1,9}[.)](?:[ \t]+|$))")
_EMPHASIS_RUN = re.compile(r"[*_]{%d,}" % (MAX_EMPHASIS_RUN + 1))


def letter_structure_problem(text: str) -> str | None:
    """Whether a letter's Markdown nests quotes or lists more than :data:`MAX_LETTER_NESTING`
    deep on a line, or has a run of emphasis marks longer than :data:`MAX_EMPHASIS_RUN`, worded
    for a message; None if neither. Such input makes Markdown converters recurse without bound.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        depth, position = 0, 0
        while depth <= MAX_LETTER_NESTING and (marker := _CONTAINER_MARKER.match(line, position)) and marker.end() > position:
            depth, position = depth + 1, marker.end()
        if depth > MAX_LETTER_NESTING:
            return (f"nests quotes or lists more than {MAX_LETTER_NESTING} levels deep at its line {number} "
                    f"(expected a letter nested at most {MAX_LETTER_NESTING} levels)")
        run = _EMPHASIS_RUN.search(line)
        if run:
            return (f"has a run of more than {MAX_EMPHASIS_RUN} '*' or '_' at its line {number} "
                    f"(expected at most {MAX_EMPHASIS_RUN} in a row)")
    return None
