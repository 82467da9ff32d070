"""Shared fixtures: the repository, the shared reference data, and small projects built for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN_PAGES = ("methodology.md", "about.md", "accessibility.md")


def reference_dir() -> Path:
    return Path(os.environ.get("PERFSITE_REFERENCE", REPO.parent / "shared" / "reference"))


@pytest.fixture(scope="session")
def reference() -> Path:
    """The shared reference folder; CI must have it, elsewhere its tests are skipped.

    PERFSITE_REFERENCE_OPTIONAL=1 skips them in CI too: the GitHub workflow sets it, since the
    reference data is not in the repository.
    """
    folder = reference_dir()
    if not (folder / "councils.csv").is_file():
        if os.environ.get("CI") and not os.environ.get("PERFSITE_REFERENCE_OPTIONAL"):
            pytest.fail(f"the shared reference data is missing at {folder} (set PERFSITE_REFERENCE)")
        pytest.skip(f"no shared reference data at {folder} (set PERFSITE_REFERENCE)")
    return folder


@pytest.fixture(scope="session")
def boundaries_file(reference: Path) -> Path:
    return reference / "boundaries" / "onsvisual-uk-topojson" / "topo.json"


def write_council(data_dir: Path, slug: str, council: dict) -> Path:
    path = data_dir / "councils" / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(council, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_project(root: Path, plugin_options: dict | None = None, extra_config: dict | None = None) -> Path:
    """A copy of the site's configuration and hand-written pages under ``root``; returns mkdocs.yml.

    The theme is the repository's own; generated pages go to ``root/site_src``.
    """
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "theme")
    config["docs_dir"] = "site_src"
    config["site_dir"] = "site"
    for index, plugin in enumerate(config["plugins"]):
        if isinstance(plugin, dict) and "perfsite" in plugin:
            options = dict(plugin["perfsite"] or {})
            options["data_dir"] = "data"
            options.update(plugin_options or {})
            config["plugins"][index] = {"perfsite": options}
    config.update(extra_config or {})
    (root / "site_src").mkdir(parents=True, exist_ok=True)
    for name in HAND_WRITTEN_PAGES:
        shutil.copy(REPO / "site_src" / name, root / "site_src" / name)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def build_project(root: Path, *args: str) -> Path:
    """Build the data folder ``root/data`` with the site's configuration, as `perfsite build` does; returns the site."""
    config = make_project(root)
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "out"), *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The site built once from the shipped data, as `perfsite build` builds it (no site_url)."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run_perfsite("build", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def run_perfsite(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real ``perfsite`` command, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
