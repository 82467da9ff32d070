"""Bytes held in a temporary file instead of in memory.

A one-off build holds every generated page from its generation until MkDocs writes it (so that a
generator that fails leaves the docs folder as it was). At thousands of councils even the
compressed bodies come to hundreds of MiB; held here, they are in the operating system's file
cache, which it can write out to disk when memory runs short, and not in the build's own memory.
The file has no name (it is gone once closed, or if the build dies) and lives in the system's
temporary folder (``TMPDIR``). A process forked after a spill was made can put bytes in it for
the parent to read (see :class:`generator.parallel.Forked`).
"""

from __future__ import annotations

import os
import tempfile


class Spill:
    """An append-only temporary file; :meth:`hold` puts bytes in it and says where they are."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="perfsite-held-")
        self._end = 0  # only one process writes to a spill
        self._unflushed = False

    def hold(self, data: bytes) -> "Held":
        held = Held(self, self._end, len(data))
        self._file.write(data)
        self._end += len(data)
        self._unflushed = True
        return held

    def read(self, offset: int, length: int) -> bytes:
        self.flush()
        return os.pread(self._file.fileno(), length, offset)

    def flush(self) -> None:
        """Put what :meth:`hold` was given into the file, where another process can read it."""
        if self._unflushed:
            self._file.flush()
            self._unflushed = False

    @property
    def size(self) -> int:
        """How many bytes it holds, whichever process put them there."""
        self.flush()
        return os.fstat(self._file.fileno()).st_size

    def __reduce__(self):
        raise TypeError("a Spill is a temporary file of this process: "
                        "it can only be handed, by reference, to a process forked after it was made")


class Held:
    """Bytes held in a :class:`Spill`; the file stays open while any of them is referred to."""

    __slots__ = ("spill", "offset", "length")

    def __init__(self, spill: Spill, offset: int, length: int) -> None:
        self.spill, self.offset, self.length = spill, offset, length

    def __bytes__(self) -> bytes:
        return self.spill.read(self.offset, self.length)

    def __len__(self) -> int:
        return self.length
