"""Locks that keep two builds from working in one place at once.

A build writes its generated pages into the docs folder before MkDocs reads them back: two builds
sharing that folder would each publish a mix of both data sets. :class:`FolderLock` is held on the
docs folder for the whole of a build, by ``perfsite build`` and, under ``serve`` or a plain
``mkdocs build``, by the plugin for each rebuild. A build that finds it held waits for it.

The locks are ``flock`` locks: the system lets them go when their process ends, however it ends,
so a killed build never leaves a folder locked. That also tells a folder a killed build left behind
from one a running build is using (:func:`is_abandoned`).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Callable

LOCK_NAME = ".perfsite-build.lock"  # in the docs folder; MkDocs leaves out names starting with a dot


class LockTimeout(Exception):
    """Another build held the lock for longer than the wait allowed."""


class FolderLock:
    """An exclusive lock on a folder's lock file, taken again by the same process without waiting
    (``perfsite build`` holds it, and the plugin it runs asks for it too)."""

    _held: dict[Path, "FolderLock"] = {}

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder).resolve() / LOCK_NAME
        self._descriptor: int | None = None
        self._depth = 0

    @classmethod
    def on(cls, folder: Path) -> "FolderLock":
        """The process's lock for ``folder``: the same object each time it is asked for."""
        path = Path(folder).resolve() / LOCK_NAME
        lock = cls._held.get(path)
        if lock is None or lock._owner != os.getpid():
            lock = cls._held[path] = cls(folder)
            lock._owner = os.getpid()
        return lock

    _owner = 0

    def acquire(self, timeout: float, waiting: Callable[[], None] | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` seconds for another process to let it go;
        ``waiting`` is called once if it has to wait. Raises :class:`LockTimeout`."""
        if self._depth:
            self._depth += 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        ends = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= ends:
                    os.close(descriptor)
                    raise LockTimeout(f"{self.path.parent}: another build has been using this folder for {timeout:g} s") from None
                if waiting is not None and not told:
                    waiting()
                    told = True
                time.sleep(0.1)
        self._descriptor = descriptor
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth and self._descriptor is not None:
            os.close(self._descriptor)  # closing lets the flock go
            self._descriptor = None


def hold_folder(folder: Path) -> int:
    """Lock ``folder`` itself for as long as this process keeps the returned descriptor open
    (a build's temporary folder: see :func:`is_abandoned`)."""
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor


def is_abandoned(folder: Path) -> bool:
    """Whether no running process holds ``folder`` (see :func:`hold_folder`): its build has ended."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
