"""Shared fixtures: the repository, the shared reference data, and small projects built for real."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# How long an example takes is for bench/, not the tests: no per-example deadline.
settings.register_profile("perfsite", deadline=None)
settings.load_profile("perfsite")

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


def run_perfsite(*args: str, cwd: Path, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """The real ``perfsite`` command, as a user runs it; ``env`` adds variables (None removes one)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd, capture_output=True, text=True, env=environment,
    )


def touch_later(path: Path) -> None:
    """Move a file's modification time a second on, so that a rebuild sees it changed."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def write_files(data: Path, files: dict[str, str | bytes | None]) -> None:
    """Write files under ``data`` (path -> text or bytes); None removes the file."""
    for relative, content in files.items():
        path = data / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with the SHA-256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def shipped_build_env(**extra: str | None) -> dict[str, str | None]:
    """The environment for building the shipped data: the shared boundaries when there are some."""
    boundaries = reference_dir() / "boundaries" / "onsvisual-uk-topojson" / "topo.json"
    return {"PERFSITE_BOUNDARIES": str(boundaries) if boundaries.is_file() else None, **extra}


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped data built once for the session, as a user builds it (``perfsite build`` in the repo),
    with the map drawn from the shared boundaries when they are there."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run_perfsite("build", "--out", str(out), cwd=REPO, env=shipped_build_env(SOURCE_DATE_EPOCH=None, PYTHONHASHSEED="1"))
    assert result.returncode == 0, result.stderr
    return out


# A quantised TopoJSON like the ONS file's: 0.00015 by 0.0001 degrees a step, so 4 decimals.
TINY_TRANSFORM = {"scale": [0.00015, 0.0001], "translate": [-2.0, 52.0]}


def write_topology(path: Path, areas: list[dict], extra_objects: dict | None = None) -> Path:
    """A small boundary file: each area a square of 1000 by 1000 steps at its ``cell`` (column, row).

    ``areas`` are dicts with layer, code, name, cell and optional start and end; every layer the
    map needs (ltla, cty) is written even when empty.
    """
    arcs, objects = [], {"ltla": [], "cty": []}
    for area in areas:
        column, row = area["cell"]
        arcs.append([[column * 1000, row * 1000], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]])
        properties = {"areacd": area["code"], "areanm": area["name"]}
        properties.update({key: area[key] for key in ("start", "end") if key in area})
        objects.setdefault(area["layer"], []).append({"type": "Polygon", "arcs": [[len(arcs) - 1]], "properties": properties})
    topology = {
        "type": "Topology",
        "transform": TINY_TRANSFORM,
        "arcs": arcs,
        "objects": {layer: {"type": "GeometryCollection", "geometries": geometries} for layer, geometries in objects.items()},
    }
    topology["objects"].update(extra_objects or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path
