"""Run part of a build in a second process, so that a one-off build keeps two cores busy.

The second process is forked, so it starts with everything the build has made so far (the data,
the figures, the views) without copying or pickling any of it; only what it makes comes back,
pickled through a pipe (the objects named ``shared``, made before the fork, by reference: this
process has them too), with the messages it logged, which are then logged here as if this
process had logged them (so ``--strict`` counts their warnings). If its work raises, the caller
is told so and runs the same work itself, which raises the same error here with its whole
traceback; a second process is only ever a way to save time.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import sys
import threading
from typing import Callable, Generic, Sequence, TypeVar

Result = TypeVar("Result")


class _Records(logging.Handler):
    """Keeps every record logged in the second process, made fit to pickle."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def can_fork() -> bool:
    """Whether a second process would help and is safe: a system that forks, a second core to run
    it on, and only one thread here (a thread holding a lock at the fork would hold it forever)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1


class Forked(Generic[Result]):
    """``work()`` running in a forked process; :meth:`result` waits for what it returns."""

    def __init__(self, work: Callable[[], Result], shared: Sequence[object] = ()) -> None:
        self._shared = list(shared)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        # What exists now is only read by the second process: kept out of its garbage
        # collections, its memory stays shared with this process instead of being copied.
        gc.freeze()
        self.pid = os.fork()
        if self.pid == 0:  # the second process: never returns
            os.close(read_end)
            self._run(work, write_end)
        gc.unfreeze()
        os.close(write_end)
        self._source = os.fdopen(read_end, "rb")

    def _run(self, work: Callable[[], Result], write_end: int) -> None:
        status = 1
        try:
            capture = _Records()
            for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
            logging.getLogger().addHandler(capture)
            logging.getLogger("mkdocs").propagate = True
            try:
                outcome = (True, work())
            except BaseException:  # the caller runs the work itself, and sees the error there
                outcome = (False, None)
            with os.fdopen(write_end, "wb") as sink:
                pickler = pickle.Pickler(sink, protocol=pickle.HIGHEST_PROTOCOL)
                by_id = {id(item): index for index, item in enumerate(self._shared)}
                pickler.persistent_id = lambda item: by_id.get(id(item))
                pickler.dump((outcome, capture.records))
            status = 0
        finally:
            os._exit(status)

    def result(self) -> tuple[bool, Result | None]:
        """(True, what ``work()`` returned), or (False, None) if it raised or the process died.

        Only when it succeeded are its log messages logged here: on failure the caller runs the
        work again, which logs them itself.
        """
        try:
            with self._source:
                # Read as it comes: what the second process made is never held twice here.
                unpickler = pickle.Unpickler(self._source)
                unpickler.persistent_load = self._shared.__getitem__
                (succeeded, value), records = unpickler.load()
        except Exception:  # nothing, or not all of it, came: the caller does the work itself
            succeeded, value, records = False, None, []
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0:
            return False, None
        if succeeded:
            for record in records:
                logging.getLogger(record.name).handle(record)
        return succeeded, value

    def cancel(self) -> None:
        """Stop the second process (when this one failed and its result is no longer wanted)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._source.close()
        os.waitpid(self.pid, 0)
