"""The real ``perfsite serve``: an edit to the data shows, and a rebuild's own writes start no other rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, make_project, write_council

sys.path.insert(0, str(REPO / "bench"))
from run import fetch, free_port, stop_server  # noqa: E402  the benchmark starts and stops perfsite serve the same way

WAIT = 90  # seconds: generous, as this is no timing test


def district(name: str, code: str, investigations: int, upheld: int) -> dict:
    return {"name": name, "code": code, "type": "district", "years": {"2023-24": {"investigations": investigations, "upheld": upheld}}}


def wait_for(url: str, text: str, server: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = fetch(url) or ""
        if text in found:
            return found
        assert server.poll() is None, log.read_text()
        time.sleep(0.1)
    pytest.fail(f"{url} did not show {text!r} within {WAIT} s:\n{log.read_text()}")


def builds(log: Path) -> int:
    return log.read_text().count("Building documentation")


@pytest.fixture
def served(tmp_path):
    data = tmp_path / "data"
    write_council(data, "alpha", district("Alpha District Council", "E07000901", 10, 4))
    write_council(data, "beta", district("Beta District Council", "E07000902", 10, 6))
    config = make_project(tmp_path, {"map": False})
    log = tmp_path / "serve.log"
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "serve", "--config", str(config), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    try:
        yield f"http://127.0.0.1:{port}/", data, tmp_path / "site_src", server, log
    finally:
        stop_server(server)


def test_an_edit_shows_on_every_page_it_changes_after_one_rebuild(served):
    base, data, docs, server, log = served
    wait_for(base + "alpha/", "4 of 10 investigations", server, log)
    time.sleep(2)  # the watcher polls every 0.5 s: time enough to start a rebuild the first build caused
    before = builds(log)

    write_council(data, "alpha", district("Alpha District Council", "E07000901", 20, 4))
    wait_for(base + "alpha/", "4 of 20 investigations", server, log)
    # beta's page shows the district average, which alpha's edit changed: (4/20 + 6/10) / 2 = 40%
    assert "40%" in wait_for(base + "beta/", "6 of 10 investigations", server, log)
    time.sleep(2)
    # the rebuild rewrote the generated feed at the top of the docs folder; that started no other rebuild
    assert builds(log) == before + 1, log.read_text()

    # a hand-written page at the top of the docs folder is still watched
    about = docs / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
    wait_for(base + "about/", "A sentence added while serving.", server, log)
