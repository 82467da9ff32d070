"""What rebuilds keep: unchanged councils and converted letters are reused, changes are seen."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from conftest import write_council
from generator import downloads, pages
from generator.compute import compute
from generator.letters import LetterRenderer, LetterStore
from generator.pages import site_context
from generator.loader import DataError, load_dataset


def district(investigations: int) -> dict:
    return {"name": "Alpha District Council", "code": "E07000901", "type": "district",
            "years": {"2023-24": {"investigations": investigations, "upheld": 1}}}


def touch_later(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


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
    assert LetterRenderer(letters, store)("a.md") == "<h3>Annual review</h3>\n<p>We upheld <strong>2</strong> complaints.</p>\n"
    store.save()
    (letters / "a.md").write_text("# Annual review\n\nWe upheld **3** complaints.\n", encoding="utf-8")
    store = LetterStore(store_file)
    assert "<strong>3</strong>" in LetterRenderer(letters, store)("a.md")
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
    assert LetterRenderer(letters, store)("a.md") == "<p>Dear Chief Executive</p>\n"
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
