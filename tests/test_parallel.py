"""A one-off build makes part of the site in a second process: the same site, the same messages,
the same errors as a build in one process."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from conftest import make_project, tree_digest, write_files
from data_errors import GOOD_FILES
from generator import parallel, plugin
from generator.build import BuildFailed, build_site
from generator.parallel import Forked

# The test run itself may have other threads going (the browser tests' driver): the build's own
# check would then keep to one process, so these tests ask only for fork and a second core.
needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2, reason="needs os.fork and a second core")


class CountingForked(Forked):
    """Forked, remembering how each second process ended."""

    outcomes: list[bool] = []

    def result(self):
        succeeded, value = super().result()
        CountingForked.outcomes.append(succeeded)
        return succeeded, value


@pytest.fixture
def counted(monkeypatch):
    CountingForked.outcomes = []
    monkeypatch.setattr(plugin, "Forked", CountingForked)
    monkeypatch.setattr(plugin, "can_fork", lambda: True)
    return CountingForked.outcomes


def built_project(root, monkeypatch, **plugin_options):
    write_files(root / "data", GOOD_FILES)
    make_project(root, plugin_options)
    monkeypatch.chdir(root)
    return build_site(root / "mkdocs.yml", out_dir=root / "site")


@needs_fork
def test_the_second_process_makes_the_same_site_as_one_process(tmp_path, monkeypatch, counted):
    together = built_project(tmp_path / "two", monkeypatch, map=False)
    assert counted == [True]
    monkeypatch.setattr(plugin, "can_fork", lambda: False)
    alone = built_project(tmp_path / "one", monkeypatch, map=False)
    assert counted == [True]  # no second process this time
    assert tree_digest(together) == tree_digest(alone)
    assert tree_digest(tmp_path / "two" / "site_src") == tree_digest(tmp_path / "one" / "site_src")
    # parts made in the second process: the type, year and map pages, the downloads, the embeds
    for made_there in ("types/district/index.html", "years/2023-24/index.html", "map/index.html", "alpha/data.json", "alpha/embed/index.html"):
        assert (together / made_there).is_file(), made_there


@needs_fork
def test_a_warning_in_the_second_process_stops_a_strict_build(tmp_path, monkeypatch, counted, caplog):
    """The map (made in the second process) warns that there is no boundary file: --strict stops."""
    root = tmp_path / "project"
    write_files(root / "data", GOOD_FILES)
    make_project(root, {"boundaries": "missing/topo.json"})
    monkeypatch.chdir(root)
    monkeypatch.delenv("PERFSITE_BOUNDARIES", raising=False)
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(BuildFailed):
        build_site(root / "mkdocs.yml", out_dir=root / "site", strict=True)
    assert counted == [True]
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert any("map: no map is drawn" in record.getMessage() and "missing/topo.json" in record.getMessage() for record in warnings)
    assert not (root / "site").exists()


def test_forked_returns_what_the_work_returns_and_logs_its_messages_here(caplog):
    def work():
        logging.getLogger("mkdocs.plugins.perfsite").warning("from the second process %s", os.getpid())
        return {"pid": os.getpid(), "made": [b"\x00" * 10, "text"]}

    with caplog.at_level(logging.INFO):
        succeeded, value = Forked(work).result()
    assert succeeded
    assert value["made"] == [b"\x00" * 10, "text"]
    assert value["pid"] != os.getpid()
    assert [record.getMessage() for record in caplog.records if record.name == "mkdocs.plugins.perfsite"] == [f"from the second process {value['pid']}"]


def test_forked_work_that_raises_is_reported_without_its_messages(caplog):
    def work():
        logging.getLogger("mkdocs.plugins.perfsite").warning("about to fail")
        raise ValueError("broken")

    with caplog.at_level(logging.INFO):
        assert Forked(work).result() == (False, None)
    assert not [record for record in caplog.records if "about to fail" in record.getMessage()]


def test_a_cancelled_second_process_is_stopped():
    forked = Forked(lambda: __import__("time").sleep(60))
    forked.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(forked.pid, 0)


def test_no_second_process_while_another_thread_runs():
    """A thread holding a lock at the fork would hold it forever in the child."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        release.set()
        other.join()
