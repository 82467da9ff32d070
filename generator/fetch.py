"""``perfsite boundaries fetch``: download the ONS boundary file, check it, and put it in place whole.

The download goes to a temporary file beside the target. Only once it is complete (as long as
the server said it would be) and holds the layers and properties the map needs does it replace
the target, in one rename; otherwise the previous file stays exactly as it was.
"""

from __future__ import annotations

import http.client
import os
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from .boundaries import REQUIRED_LAYERS, BoundaryError, parse_boundaries

DEFAULT_URL = "https://raw.githubusercontent.com/ONSvisual/uk-topojson/main/output/topo.json"
CHUNK_BYTES = 64 * 1024
MAX_BYTES = 200 * 1024 * 1024
DEADLINE = 600.0  # seconds for the whole download: the file is about 20 MB


class FetchError(Exception):
    """The download failed or the file is not usable; the previous file is untouched."""


@dataclass(frozen=True)
class Fetched:
    path: Path
    size: int
    areas: dict[str, int]


class Progress:
    """Download progress on a stream: one updating line on a terminal, a line per quarter otherwise."""

    def __init__(self, stream: TextIO | None, label: str, total: int | None):
        self.stream = stream
        self.label = label
        self.total = total
        self.interactive = bool(stream and stream.isatty())
        self.shown_step = -1

    def update(self, done: int) -> None:
        if self.stream is None:
            return
        if self.total:
            percent = min(100, done * 100 // self.total)
            step = percent if self.interactive else percent // 25
            if step == self.shown_step:
                return
            self.shown_step = step
            text = f"{self.label}: {percent:3d}% ({done // 1024:,} of {self.total // 1024:,} KB)"
        else:
            step = done // (CHUNK_BYTES * (1 if self.interactive else 16))
            if step == self.shown_step:
                return
            self.shown_step = step
            text = f"{self.label}: {done // 1024:,} KB"
        self.stream.write(("\r" + text) if self.interactive else text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None and self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def _download(url: str, destination: BinaryIO, progress_stream: TextIO | None, timeout: float, deadline: float) -> int:
    """Copy ``url`` to ``destination``: ``timeout`` bounds each wait for the server, ``deadline``
    the whole download, give or take one wait (a server sending a byte a minute would otherwise
    never end)."""
    request = urllib.request.Request(url, headers={"User-Agent": "perfsite-boundaries-fetch"})
    ends = time.monotonic() + deadline
    with urllib.request.urlopen(request, timeout=min(timeout, deadline)) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > MAX_BYTES:
            raise FetchError(f"{url}: the server offers {total:,} bytes (expected at most {MAX_BYTES:,} for a boundary file)")
        progress = Progress(progress_stream, "downloading boundaries", total)
        done = 0
        progress.update(0)
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                raise FetchError(f"{url}: the download did not finish within {deadline:g} s ({done:,} bytes so far)")
            chunk = response.read1(CHUNK_BYTES)  # what one wait brings, so a trickle cannot outlast the deadline
            if not chunk:
                break
            destination.write(chunk)
            done += len(chunk)
            if done > MAX_BYTES:
                raise FetchError(f"{url}: more than {MAX_BYTES:,} bytes (expected a boundary file)")
            progress.update(done)
        progress.finish()
        if total is not None and done != total:
            raise FetchError(f"{url}: the connection closed after {done:,} of {total:,} bytes")
        return done


def fetch_boundaries(url: str, target: Path, progress: TextIO | None = sys.stderr, timeout: float = 60,
                     deadline: float = DEADLINE) -> Fetched:
    """Download ``url`` to ``target`` if it is a usable boundary file with areas in every layer the
    map needs; raises :class:`FetchError`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(prefix=f".{target.name}.", suffix=".download", dir=target.parent, delete=False)
    temporary = Path(handle.name)
    try:
        with handle:
            try:
                size = _download(url, handle, progress, timeout, deadline)
            except urllib.error.HTTPError as error:
                raise FetchError(f"{url}: the server answered {error.code} {error.reason} (expected 200 and the file)") from None
            except http.client.IncompleteRead:
                raise FetchError(f"{url}: the connection closed before the end of the file") from None
            except (urllib.error.URLError, socket.timeout, ConnectionError, http.client.HTTPException) as error:
                reason = getattr(error, "reason", error)
                raise FetchError(f"{url}: the download failed ({reason})") from None
        try:
            boundaries = parse_boundaries(temporary.read_bytes(), target, f"{url}")
        except BoundaryError as error:
            raise FetchError(f"the downloaded file is not a usable boundary file:\n{error}") from None
        empty = [layer for layer in REQUIRED_LAYERS if not boundaries.areas[layer]]
        if empty:
            raise FetchError(f"the downloaded file is not a usable boundary file:\n{url}: objects.{empty[0]}: has no areas "
                             "(expected the council areas of England)")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return Fetched(target, size, {layer: len(boundaries.areas[layer]) for layer in REQUIRED_LAYERS})
