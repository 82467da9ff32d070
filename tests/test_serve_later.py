"""Under serve, a rebuild writes the files that are not pages in the background, after MkDocs has
written the pages: they still end up exactly as a fresh build makes them, in the docs folder and in
the served site."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import make_project, run_perfsite, touch_later, tree_digest, write_council, write_files
from data_errors import GOOD_FILES
from generator.pages import MANIFEST_NAME

SERVE_URL = "http://127.0.0.1:8000/"


def non_page_files(site_src: Path) -> list[str]:
    """The generated files that MkDocs copies as they are, from the docs folder's manifest."""
    return [path for path in (site_src / MANIFEST_NAME).read_text(encoding="utf-8").split("\n") if path and not path.endswith(".md")]


def serve_builds(config, served: Path) -> list[str]:
    """A first build and a rebuild after edits, as ``perfsite serve`` makes them; the files the
    rebuild made after the pages."""
    plugin = config.plugins["perfsite"]
    build(config, serve_url=SERVE_URL)
    assert {"data_downloads", "embed_cards", "badges", "feed_files"} <= set(plugin.serve_cache.later)
    assert (served / "site" / "beta" / "data.json").is_file()

    # an edit to alpha, beta gone, gamma new
    alpha = served / "data" / "councils" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("investigations: 8", "investigations: 9"), encoding="utf-8")
    touch_later(alpha)
    (served / "data" / "councils" / "beta.yaml").unlink()
    write_council(served / "data", "gamma", {"name": "Gamma District Council", "code": "E07000903", "type": "district",
                                             "years": {"2023-24": {"investigations": 6, "upheld": 3}}})
    build(config, serve_url=SERVE_URL, dirty=True)
    plugin.finish_later()

    return [path for paths in plugin.serve_cache.later.values() for path in paths]


def test_files_made_after_the_pages_match_a_fresh_build(tmp_path, monkeypatch):
    served = tmp_path / "served"
    write_files(served / "data", GOOD_FILES)
    make_project(served, {"map": False})
    monkeypatch.chdir(served)
    config = load_config(str(served / "mkdocs.yml"), site_dir=str(served / "site"))
    # MkDocs keeps one instance of a plugin with on_startup for the whole process: back to a
    # one-off build's plugin afterwards, for the tests that follow.
    plugin = config.plugins["perfsite"]
    plugin.on_startup(command="serve", dirty=False)
    try:
        made_later = serve_builds(config, served)
    finally:
        plugin.on_startup(command="build", dirty=False)

    fresh = tmp_path / "fresh"
    shutil.copytree(served / "data", fresh / "data")
    config_file = make_project(fresh, {"map": False})
    result = run_perfsite("build", "--config", str(config_file), "--out", str(fresh / "site"), cwd=fresh)  # its own process: nothing kept
    assert result.returncode == 0, result.stderr
    fresh_site = fresh / "site"

    files = non_page_files(fresh / "site_src")
    assert "gamma/data.json" in files and "beta/data.json" not in files
    assert sorted(made_later) == sorted(files)  # every file that is not a page was made after the pages
    assert non_page_files(served / "site_src") == files
    assert {path: digest for path, digest in tree_digest(served / "site").items() if path in files} == \
        {path: digest for path, digest in tree_digest(fresh_site).items() if path in files}
    assert {path: digest for path, digest in tree_digest(served / "site_src").items() if path in files} == \
        {path: digest for path, digest in tree_digest(fresh / "site_src").items() if path in files}
    assert '"investigations":9' in (served / "site" / "alpha" / "data.json").read_text(encoding="utf-8")
    for gone in ("beta/data.json", "beta/embed/index.html", "beta/badge.svg"):
        assert not (served / "site" / gone).exists() and not (served / "site_src" / gone).exists(), gone
