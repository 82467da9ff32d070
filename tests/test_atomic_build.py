"""A build that fails at any step leaves the previous site byte-for-byte as it was.

A good site is built once; each test copies that project, breaks one step (the data, a theme
template, a page generator, a strict-mode warning, the final swap) and builds again over it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_project, run_perfsite, tree_digest, write_files
from data_errors import GOOD_FILES
from generator import build as build_module
from generator import pages
from generator.build import BuildFailed, build_site


@pytest.fixture(scope="module")
def good_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("good")
    write_files(root / "data", GOOD_FILES)
    config = make_project(root, {"map": False})  # no boundary file: --strict would stop at the map
    result = run_perfsite("build", "--strict", "--config", str(config), "--out", str(root / "site"), cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "alpha" / "index.html").is_file()
    return root


@pytest.fixture
def project(tmp_path, good_project) -> Path:
    """A copy of the good project, site and generated pages included, to break."""
    root = tmp_path / "project"
    shutil.copytree(good_project, root, symlinks=True)
    return root


def build(project: Path, *options: str):
    return run_perfsite("build", *options, "--config", str(project / "mkdocs.yml"), "--out", str(project / "site"), cwd=project)


def assert_untouched(project: Path, good_project: Path) -> None:
    assert tree_digest(project / "site") == tree_digest(good_project / "site")
    assert tree_digest(project / "site_src") == tree_digest(good_project / "site_src")
    assert sorted(path.name for path in project.iterdir()) == sorted(path.name for path in good_project.iterdir())


def use_own_theme(project: Path) -> Path:
    """Give the project its own copy of the theme (to break) and return that folder."""
    theme = project / "theme"
    shutil.copytree(REPO / "theme", theme)
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(theme)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return theme


def test_bad_data_leaves_site_and_pages_alone(project, good_project):
    write_files(project / "data", {"councils/alpha.yaml": GOOD_FILES["councils/alpha.yaml"].replace("upheld: 5", "upheld: 9")})
    result = build(project)
    assert result.returncode == 1
    assert "data/councils/alpha.yaml:9: years.2023-24.upheld: 9 is more than investigations (8)" in result.stderr
    assert_untouched(project, good_project)


def test_template_syntax_error_in_theme(project, good_project):
    theme = use_own_theme(project)
    main = theme / "main.html"
    lines = main.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{% if %}\n")
    main.write_text("".join(lines), encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "the build failed; the previous site is unchanged" in result.stderr
    assert f"{main}:3: template error:" in result.stderr
    assert "Traceback" not in result.stderr
    shutil.rmtree(theme)
    assert_untouched(project, good_project)


def test_error_while_rendering_a_theme_template(project, good_project):
    theme = use_own_theme(project)
    main = theme / "main.html"
    source = main.read_text(encoding="utf-8")
    line = source[: source.index('<main id="main"')].count("\n") + 1
    main.write_text(source.replace('<main id="main"', '{{ config.site_name.no_such_method() }}<main id="main"'), encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert f"{main}:{line}: template error: 'str object' has no attribute 'no_such_method'" in result.stderr
    shutil.rmtree(theme)
    assert_untouched(project, good_project)


def test_exception_in_a_page_generator(project, good_project, monkeypatch):
    """A generator that fails after yielding pages: nothing of its run reaches site_src or the site."""
    def failing_generator(site):
        yield site.page("broken/index.md", "types_index.html", "Broken", "Broken.", types=[])
        raise RuntimeError("generator went wrong")

    monkeypatch.setattr(pages, "PAGE_GENERATORS", [*pages.PAGE_GENERATORS, failing_generator])
    monkeypatch.chdir(project)
    with pytest.raises(BuildFailed, match="RuntimeError: generator went wrong"):
        build_site(project / "mkdocs.yml", out_dir=project / "site")
    assert not (project / "site_src" / "broken").exists()
    assert_untouched(project, good_project)


def test_strict_warning_stops_the_build(project, good_project):
    """A published average that differs from one computed over every council fails only under --strict."""
    # alpha 62.5% and beta 75% upheld: the mean, 68.75%, is shown 69%, not the 74% published here
    write_files(project / "data", {"averages.yaml": "2023-24:\n  district: {upheld_pct: 74}\n"})
    strict = build(project, "--strict")
    assert strict.returncode == 1
    assert ("average differs from the published one: 2023-24 district councils: complaints upheld: "
            "computed 69% (mean), published 74%") in strict.stderr
    assert "Aborted with 1 warnings in strict mode" in strict.stderr
    assert tree_digest(project / "site") == tree_digest(good_project / "site")
    assert [path.name for path in project.iterdir() if path.name.startswith(".")] == []

    relaxed = build(project)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "WARNING" in relaxed.stderr and "published 74%" in relaxed.stderr
    assert "74%" in (project / "site" / "alpha" / "index.html").read_text(encoding="utf-8")


def test_differences_in_incomplete_averages_do_not_stop_a_strict_build(project):
    """Where a council of the type has no counts, the comparison is informative, even under --strict."""
    write_files(project / "data", {
        "averages.yaml": "2023-24:\n  district: {upheld_pct: 74}\n",
        "councils/gamma.yaml": "name: Gamma District Council\ncode: E07000903\ntype: district\nyears:\n  2023-24: {}\n",
    })
    result = build(project, "--strict")
    assert result.returncode == 0, result.stderr
    assert "published 74%" not in result.stderr
    verbose = build(project, "--strict", "-v")
    assert verbose.returncode == 0, verbose.stderr
    assert "only 2 of 3 councils have the counts" in verbose.stderr


def test_failure_to_swap_in_the_new_site_puts_the_old_one_back(project, good_project, monkeypatch):
    real_replace = os.replace

    def replace(source, target):
        if Path(source).name.startswith(".site-building-"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(build_module.os, "replace", replace)
    monkeypatch.chdir(project)
    (project / "data" / "averages.yaml").unlink()  # a real change, so the new site would differ
    with pytest.raises(BuildFailed, match="cannot be replaced \\(No space left on device\\); the previous site is unchanged"):
        build_site(project / "mkdocs.yml", out_dir=project / "site")
    assert tree_digest(project / "site") == tree_digest(good_project / "site")
    assert [path.name for path in project.iterdir() if path.name.startswith(".")] == []


def test_a_good_build_replaces_the_site_whole(project, good_project):
    stale = project / "site" / "stale.html"
    stale.write_text("from an old build", encoding="utf-8")
    write_files(project / "data", {"councils/beta.yaml": None})
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert not (project / "site" / "beta").exists()
    assert (project / "site" / "alpha" / "index.html").is_file()
    assert not (project / "site_src" / "beta").exists()
    assert [path.name for path in project.iterdir() if path.name.startswith(".")] == []
