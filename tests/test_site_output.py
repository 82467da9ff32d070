"""The built site: byte-for-byte reproducible, no build date unless SOURCE_DATE_EPOCH, no broken links."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest

from conftest import HAND_WRITTEN_PAGES, REPO, make_project, run_perfsite, shipped_build_env, tree_digest, write_files
from data_errors import GOOD_FILES
from site_walk import ParsedPage, broken_references, parse_site, requests_to_other_hosts
from generator.views import long_date


@pytest.fixture(scope="module")
def second_shipped_build(tmp_path_factory) -> Path:
    """The shipped data built again, from another folder, into a fresh docs folder, with another hash seed."""
    root = tmp_path_factory.mktemp("again")
    config = make_project(root, {"data_dir": str(REPO / "data")})
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "site"), cwd=root,
                          env=shipped_build_env(SOURCE_DATE_EPOCH=None, PYTHONHASHSEED="2"))
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_two_builds_of_the_same_data_are_identical(shipped_site, second_shipped_build):
    first, second = tree_digest(shipped_site), tree_digest(second_shipped_build)
    assert len(first) > 2000
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


def test_no_build_date_in_the_site(shipped_site):
    """Nothing the build writes carries its date (hand-written pages may state dates they were written)."""
    today = dt.date.today()
    stamps = {today.isoformat(), long_date(today), today.strftime("%d %B %Y")}
    hand_written = {shipped_site / Path(name).stem / "index.html" for name in HAND_WRITTEN_PAGES}
    for path in sorted(shipped_site.rglob("*")):
        if path.suffix in (".html", ".xml", ".css", ".js", ".json", ".txt") and path not in hand_written:
            text = path.read_text(encoding="utf-8")
            assert not any(stamp in text for stamp in stamps), path


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sitemap")
    write_files(root / "data", GOOD_FILES)
    make_project(root, extra_config={"site_url": "https://complaints.example.org/"})
    return root


def build_small(project: Path, out: str, **env: str | None):
    result = run_perfsite("build", "--config", str(project / "mkdocs.yml"), "--out", str(project / out), cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    return project / out


def test_sitemap_has_no_lastmod_without_source_date_epoch(small_project):
    site = build_small(small_project, "plain", SOURCE_DATE_EPOCH=None)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://complaints.example.org/alpha/</loc>" in sitemap
    assert "<lastmod>" not in sitemap
    with gzip.open(site / "sitemap.xml.gz", "rb") as handle:
        assert handle.read().decode("utf-8") == sitemap
    assert (site / "sitemap.xml.gz").read_bytes()[4:8] == b"\0\0\0\0"


def test_source_date_epoch_dates_the_sitemap_and_builds_stay_identical(small_project):
    # 1700000000 seconds after 1970-01-01 is 2023-11-14 22:13:20 UTC
    first = build_small(small_project, "dated-1", SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED="1")
    second = build_small(small_project, "dated-2", SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED="2")
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<url><loc>([^<]+)</loc><lastmod>2023-11-14</lastmod></url>", sitemap)
    assert "https://complaints.example.org/alpha/2023-24/" in locations
    assert len(locations) == sitemap.count("<url>")
    assert tree_digest(first) == tree_digest(second)


@pytest.fixture(scope="module")
def shipped_pages(shipped_site) -> dict[Path, ParsedPage]:
    return parse_site(shipped_site)


def test_every_internal_link_and_asset_resolves(shipped_site, shipped_pages):
    assert len(shipped_pages) > 2000
    assert broken_references(shipped_site, shipped_pages) == []


def test_no_page_loads_anything_from_another_host(shipped_site, shipped_pages):
    assert requests_to_other_hosts(shipped_site, shipped_pages) == []


def test_the_link_checker_finds_broken_links(tmp_path):
    """The checker itself: each kind of broken reference is caught, and good ones pass."""
    site = tmp_path / "site"
    write_files(site, {
        "index.html": (
            '<main id="main"><a href="#main">skip</a> <a href="a/">a</a> <a href="/a/#part">part</a>'
            ' <a href="https://example.org/missing">external</a> <a href="mailto:x@example.org">mail</a>'
            ' <img src="assets/logo.png"> <link rel="stylesheet" href="assets/site.css"></main>\n'
            '<a href="b/">missing page</a> <a href="a/#nowhere">missing id</a> <a href="#top">missing here</a>\n'
            '<script src="assets/missing.js"></script> <a href="javascript:alert(1)">js</a> <a href="../../etc/passwd">out</a>\n'
        ),
        "a/index.html": '<h2 id="part">Part</h2><a href="../">home</a><a href="../index.html#main">main</a>',
        "assets/logo.png": b"\x89PNG",
        "assets/site.css": "a { background: url('images/icon.png') } b { behavior: url(#default#VML) }\n",
    })
    assert broken_references(site) == [
        "assets/site.css:1: images/icon.png: no file at assets/images/icon.png",
        "index.html:2: b/: no file at b/index.html",
        "index.html:2: a/#nowhere: no id 'nowhere' in a/index.html",
        "index.html:2: #top: no id 'top' in index.html",
        "index.html:3: assets/missing.js: no file at assets/missing.js",
        "index.html:3: javascript:alert(1): a javascript: link",
        "index.html:3: ../../etc/passwd: points outside the site",
    ]
    assert requests_to_other_hosts(site) == []
    write_files(site, {"c.html": '<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" href="//fonts.example.org/f.css">'})
    assert requests_to_other_hosts(site) == ["c.html:1: https://cdn.example.org/x.js", "c.html:1: //fonts.example.org/f.css"]
