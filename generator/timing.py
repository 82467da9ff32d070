"""Wall time of each phase of a build, logged and, for the benchmark, written as JSON.

Set the environment variable ``PERFSITE_TIMINGS`` to a file path to have each build write
``{"phases": {"<phase>": seconds, ...}, "parallel": ["<phase>", ...], "held_bytes": n}`` there,
phases in the order they first ran; ``parallel`` names the phases that ran in a second process,
beside the others, and ``held_bytes`` is what the build held in a temporary file until written.
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

TIMINGS_ENV = "PERFSITE_TIMINGS"
Item = TypeVar("Item")
_END = object()


class PhaseTimer:
    """Seconds spent in each named phase; a phase entered again adds to its total.

    Time is counted once: a phase that runs inside another is taken out of the outer one's time.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.parallel: set[str] = set()  # phases that ran in a second process, at the same time as others
        self.held_bytes = 0  # pages and files held in a temporary file until written (generator.spill)
        self._marks: dict[str, float] = {}
        self._inner: list[float] = []

    def add(self, phase: str, seconds: float, parallel: bool = False) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds
        if parallel:
            self.parallel.add(phase)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.add(name, elapsed - self._inner.pop())
            if self._inner:
                self._inner[-1] += elapsed

    def timed(self, name: str, items: Iterable[Item]) -> Iterator[Item]:
        """Yield ``items``, counting only the time spent producing them towards ``name``."""
        iterator = iter(items)
        while True:
            with self.phase(name):
                item = next(iterator, _END)
            if item is _END:
                return
            yield item

    def start(self, name: str) -> None:
        """Start a phase that :meth:`stop` ends, for phases that begin and end in different hooks."""
        self._marks[name] = time.perf_counter()

    def stop(self, name: str) -> None:
        if name in self._marks:
            self.add(name, time.perf_counter() - self._marks.pop(name))

    def report(self, log: logging.Logger) -> None:
        """Log every phase at INFO and write them to ``$PERFSITE_TIMINGS`` when it is set."""
        log.info("build phases: " + ", ".join(
            f"{name} {seconds:.2f} s" + (" (second process)" if name in self.parallel else "") for name, seconds in self.seconds.items())
            + (f"; held in a temporary file: {self.held_bytes / 2**20:.1f} MiB" if self.held_bytes else ""))
        target = os.environ.get(TIMINGS_ENV)
        if target:
            timings = {"phases": self.seconds, "parallel": [name for name in self.seconds if name in self.parallel], "held_bytes": self.held_bytes}
            Path(target).write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
