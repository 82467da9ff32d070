"""What rebuilds keep: unchanged councils and converted letters are reused, changes are seen."""

from __future__ import annotations

import os
import sqlite3

import pytest

from conftest import touch_later, write_council, write_files, write_topology
from generator import downloads, pages
from generator.compute import compute
from generator.letters import LetterRenderer, LetterStore
from generator.pages import site_context
from generator.loader import DataError, load_dataset


def district(investigations: int) -> dict:
    return {"name": "Alpha District Council", "code": "E07000901", "type": "district",
            "years": {"2023-24": {"investigations": investigations, "upheld": 1}}}


def test_cached_load_reuses_unchanged_councils_and_sees_edits(tmp_path):
    data = tmp_path / "data"
    write_council(data, "alpha", district(4))
    write_council(data, "beta", {**district(2), "name": "Beta Borough Council", "code": "E07000902"})
    cache: dict = {}
    first = load_dataset(data, cache=cache).by_slug()
    alpha = write_council(data, "alpha", district(40))
    touch_later(alpha)
    second = load_dataset(data, cache=cache).by_slug()
    assert second["beta"] is first["beta"]
    assert second["alpha"].years["2023-24"].investigations == 40
    write_council(data, "alpha", district(0))  # upheld 1 of 0 investigations
    touch_later(alpha)
    with pytest.raises(DataError, match=r"alpha.yaml:\d+: years.2023-24.upheld: 1 is more than investigations \(0\)"):
        load_dataset(data, cache=cache)


def test_letter_store_keeps_converted_letters_between_builds(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "a.md").write_text("# Annual review\n\nWe upheld **2** complaints.\n", encoding="utf-8")
    store_file = tmp_path / "store.sqlite"
    store = LetterStore(store_file)
    assert str(LetterRenderer(letters, store)("a.md")) == "<h3>Annual review</h3>\n<p>We upheld <strong>2</strong> complaints.</p>\n"
    store.save()
    (letters / "a.md").write_text("# Annual review\n\nWe upheld **3** complaints.\n", encoding="utf-8")
    store = LetterStore(store_file)
    assert "<strong>3</strong>" in str(LetterRenderer(letters, store)("a.md"))
    store.save()
    # the first version is no longer used, so the store let it go
    with sqlite3.connect(store_file) as db:
        assert [row[0] for row in db.execute("SELECT html FROM letters")] == ["<h3>Annual review</h3>\n<p>We upheld <strong>3</strong> complaints.</p>\n"]


def test_a_damaged_letter_store_is_replaced(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "a.md").write_text("Dear Chief Executive\n", encoding="utf-8")
    store_file = tmp_path / "store.sqlite"
    store_file.write_bytes(b"not a database" * 100)
    store = LetterStore(store_file)
    assert str(LetterRenderer(letters, store)("a.md")) == "<p>Dear Chief Executive</p>\n"
    store.save()


def test_kept_renders_and_download_records_follow_an_edit(tmp_path):
    """Under serve, pages and download records are kept between rebuilds; an edit still shows in both."""
    data = tmp_path / "data"
    write_council(data, "alpha", district(4))
    # a county: alpha's edit changes the district average, which every district's page shows
    write_council(data, "beta", {**district(2), "name": "Beta County Council", "code": "E10000902", "type": "county"})
    renders: dict = {}

    def rebuild() -> dict[str, object]:
        results = compute(load_dataset(data), "mean")
        site = site_context(results, {}, renders=renders)
        outputs = [*pages.council_pages(site), *downloads.data_downloads(site)]
        return {output.src_path: output for output in outputs}

    first = rebuild()
    write_council(data, "alpha", district(5))
    second = rebuild()
    # beta is unchanged: the very same page object comes back from the kept renders
    assert second["beta/index.md"] is first["beta/index.md"]
    # alpha: 1 of 5 upheld is 20% (it was 1 of 4, 25%)
    assert "1 of 5 investigations" in second["alpha/index.md"].body
    assert '"shown":"20%"' in second["alpha/data.json"].content
    assert "alpha,Alpha District Council,E07000901,district,2023-24,true,,5,1," in second["years/2023-24/councils.csv"].content
    assert '"shown":"25%"' not in second["downloads/perfsite-data.json"].content


def every_output(site) -> dict[str, bytes]:
    outputs = [output for generator in pages.PAGE_GENERATORS for output in generator(site)]
    return {output.src_path: output.data() for output in outputs}


def test_rebuilds_that_keep_what_is_unchanged_give_exactly_a_fresh_build(tmp_path):
    """Under serve each rebuild reuses last time's results, views, charts, maps and pages where
    their inputs are unchanged; after every kind of edit the site is byte for byte a fresh build's."""
    data = tmp_path / "data"
    boundaries = write_topology(tmp_path / "topo.json", [
        {"layer": "ltla", "code": "E07000901", "name": "Alpha", "cell": (0, 0)},
        {"layer": "ltla", "code": "E07000902", "name": "Beta", "cell": (1, 0)},
        {"layer": "ltla", "code": "E07000903", "name": "Delta", "cell": (2, 0)},
        {"layer": "cty", "code": "E10000902", "name": "Gamma", "cell": (0, 1)},
    ])
    options = {"site_url": "https://example.org/", "boundaries": str(boundaries), "boundaries_shown": "topo.json"}
    alpha = {"name": "Alpha District Council", "code": "E07000901", "type": "district", "years": {
        "2022-23": {"investigations": 12, "upheld": 6, "compliance_outcomes": 6, "complied": 5, "satisfactory_remedies": 1, "population": 90000, "letter": "alpha.md"},
        "2023-24": {"investigations": 20, "upheld": 15, "compliance_outcomes": 10, "complied": 10, "satisfactory_remedies": 3, "population": 91000},
    }}
    beta = {"name": "Beta District Council", "code": "E07000902", "type": "district", "aliases": ["beta-old"], "years": {
        "2022-23": {"investigations": 30, "upheld": 9}, "2023-24": {"investigations": 25, "upheld": 10}}}
    gamma = {"name": "Gamma County Council", "code": "E10000902", "type": "county", "years": {"2023-24": {"investigations": 40, "upheld": 30}}}
    write_files(data, {"letters/alpha.md": "# Annual review\n\nWe upheld **6** complaints.\n"})
    for slug, council in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        write_council(data, slug, council)

    cache: dict = {}
    letters: dict = {}
    renders: dict = {}
    previous = None
    edits = [
        ("nothing", lambda: None),
        ("a count", lambda: write_council(data, "alpha", {**alpha, "years": {**alpha["years"], "2023-24": {**alpha["years"]["2023-24"], "upheld": 16}}})),
        ("a name", lambda: write_council(data, "beta", {**beta, "name": "Beta Borough Council"})),
        ("a letter", lambda: write_files(data, {"letters/alpha.md": "# Annual review\n\nWe upheld **seven** complaints.\n"})),
        ("published averages", lambda: write_files(data, {"averages.yaml": "2023-24:\n  district:\n    upheld_pct: 61\n"})),
        ("a council added", lambda: write_council(data, "delta", {**beta, "name": "Delta District Council", "code": "E07000903", "aliases": []})),
        ("a council removed", lambda: (data / "councils" / "gamma.yaml").unlink()),
        ("min_cases", lambda: None),
    ]
    for what, edit in edits:
        edit()
        for path in data.rglob("*"):
            if path.is_file():
                touch_later(path)
        min_cases = 30 if what == "min_cases" else 10
        results = compute(load_dataset(data, cache=cache), "mean", min_cases, previous)
        kept_site = site_context(results, options, LetterRenderer(data / "letters", memory=letters), renders)
        fresh_results = compute(load_dataset(data), "mean", min_cases)
        fresh_site = site_context(fresh_results, options)
        kept_outputs, fresh_outputs = every_output(kept_site), every_output(fresh_site)
        assert sorted(kept_outputs) == sorted(fresh_outputs), what
        differing = [path for path in fresh_outputs if kept_outputs[path] != fresh_outputs[path]]
        assert differing == [], f"after {what}: {differing}"
        previous = results


def test_generated_files_are_rewritten_only_when_their_bytes_change(tmp_path):
    """A file with the same bytes is left alone; one of the same size but other bytes is rewritten,
    also when it is written from pieces a megabyte at a time."""
    docs = tmp_path / "docs"
    big = ["x" * 700_000, "y" * 700_000]  # more than one megabyte: compared and written in parts
    first = [pages.GeneratedFile("a/one.txt", "first"), pages.GeneratedFile.from_pieces("b/big.json", big)]
    pages.write_pages(first, docs)
    assert (docs / "b" / "big.json").read_text() == "".join(big)
    for path in (docs / "a" / "one.txt", docs / "b" / "big.json"):
        os.utime(path, ns=(0, 0))

    same_size = ["x" * 700_000, "y" * 699_999 + "z"]
    pages.write_pages([pages.GeneratedFile("a/one.txt", "first"), pages.GeneratedFile.from_pieces("b/big.json", same_size)], docs)
    assert (docs / "a" / "one.txt").stat().st_mtime_ns == 0
    assert (docs / "b" / "big.json").read_text() == "".join(same_size)

    pages.write_pages([pages.GeneratedFile("a/one.txt", "first")], docs)
    assert not (docs / "b").exists()  # no longer generated: removed with its folder
