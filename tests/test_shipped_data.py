"""The shipped data in data/ agrees with the shared reference data it was made from.

Reads the reference folder from the environment variable PERFSITE_REFERENCE
(default: <repo>/../shared/reference) and the shipped YAML with a plain
yaml.safe_load. The module is skipped when the reference folder is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REFERENCE = Path(os.environ.get("PERFSITE_REFERENCE", REPO.parent / "shared" / "reference"))

if not (REFERENCE / "councils.csv").is_file():
    pytest.skip(
        f"shared reference data not found at {REFERENCE} (set PERFSITE_REFERENCE to the reference folder)",
        allow_module_level=True,
    )

COUNT_FIELDS = ("investigations", "upheld", "compliance_outcomes", "complied", "satisfactory_remedies")
YEAR_KEYS = {"population", "source", "letter", "letter_date", *COUNT_FIELDS}
TOP_KEYS = ("name", "code", "type", "created", "abolished", "replaced_by", "years")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIRST_YEAR, LAST_YEAR = 2019, 2024


def read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def date_or_none(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def fy(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@pytest.fixture(scope="module")
def councils() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in read_csv("councils.csv")}


@pytest.fixture(scope="module")
def published() -> list[dict[str, str]]:
    return read_csv("lgsco-published.csv")


@pytest.fixture(scope="module")
def shipped() -> dict[str, dict]:
    """slug -> document, for every data/councils/*.yaml."""
    files = sorted((DATA / "councils").glob("*.yaml"))
    assert files, "no council files shipped"
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in files}


@pytest.fixture(scope="module")
def by_code(shipped) -> dict[str, dict]:
    codes = Counter(doc["code"] for doc in shipped.values())
    assert not [c for c, n in codes.items() if n > 1], "a code is in more than one file"
    return {doc["code"]: doc for doc in shipped.values()}


@pytest.fixture(scope="module")
def slug_of(shipped) -> dict[str, str]:
    return {doc["code"]: slug for slug, doc in shipped.items()}


def test_every_council_has_exactly_one_file_of_the_right_type(councils, shipped, by_code):
    assert len(shipped) == len(councils)
    assert set(by_code) == set(councils)
    for code, row in councils.items():
        assert by_code[code]["type"] == row["lgsco_type"], code


def test_slugs_are_unique_and_well_formed(shipped):
    for slug in shipped:
        assert SLUG_RE.match(slug), slug
    assert len({s.lower() for s in shipped}) == len(shipped)


def test_files_have_the_documented_shape(shipped):
    for slug, doc in shipped.items():
        keys = list(doc)
        assert keys == [k for k in TOP_KEYS if k in keys], f"{slug}: key order {keys}"
        assert {"name", "code", "type", "years"} <= set(keys), slug
        assert isinstance(doc["name"], str) and doc["name"].strip(), slug
        for year, entry in doc["years"].items():
            assert isinstance(year, str) and re.fullmatch(r"\d{4}-\d{2}", year), (slug, year)
            assert isinstance(entry, dict), (slug, year)
            assert set(entry) <= YEAR_KEYS, (slug, year, set(entry) - YEAR_KEYS)
            for key in ("population", *COUNT_FIELDS):
                if key in entry:
                    assert type(entry[key]) is int and entry[key] >= 0, (slug, year, key)


def test_dates_follow_councils_csv(councils, by_code):
    for code, row in councils.items():
        doc = by_code[code]
        assert doc.get("created") == date_or_none(row["start"]), code
        assert doc.get("abolished") == date_or_none(row["end"]), code


def test_every_year_the_council_existed_is_present(councils, by_code, published):
    published_years = {(r["code"], r["year"]) for r in published}
    for code, row in councils.items():
        start, end = date_or_none(row["start"]), date_or_none(row["end"])
        expected = {
            fy(y)
            for y in range(FIRST_YEAR, LAST_YEAR + 1)
            if (start is None or start <= dt.date(y, 4, 1)) and (end is None or end >= dt.date(y + 1, 3, 31))
        }
        expected |= {y for c, y in published_years if c == code}
        assert set(by_code[code]["years"]) == expected, code


def test_published_counts_match(published, by_code):
    seen = set()
    for r in published:
        entry = by_code[r["code"]]["years"][r["year"]]
        want = {f: int(r[f]) for f in COUNT_FIELDS if r[f].strip()}
        got = {f: entry[f] for f in COUNT_FIELDS if f in entry}
        assert got == want, (r["code"], r["year"])
        sources = entry.get("source")
        sources = [sources] if isinstance(sources, str) else sources
        assert sources == [part.strip() for part in r["source_url"].split(";") if part.strip()], (r["code"], r["year"])
        seen.add((r["code"], r["year"]))
    # and no figures anywhere else
    for code, doc in by_code.items():
        for year, entry in doc["years"].items():
            if (code, year) not in seen:
                assert not (set(entry) & {"source", *COUNT_FIELDS}), (code, year)


def test_population_uses_the_mid_year_before_the_financial_year(by_code):
    population = {(r["code"], int(r["year_mid"])): int(r["population"]) for r in read_csv("population.csv")}
    checked = 0
    for code, doc in by_code.items():
        for year, entry in doc["years"].items():
            expected = population.get((code, int(year[:4]) - 1))
            assert entry.get("population") == expected, (code, year)
            checked += expected is not None
    assert checked == len(population), "some population.csv figures are not used"


def test_replaced_by(councils, by_code, slug_of, shipped):
    for code, doc in by_code.items():
        if "abolished" not in doc:
            assert "replaced_by" not in doc, code
            continue
        successors = doc.get("replaced_by")
        assert successors and isinstance(successors, list), code
        assert successors == sorted(set(successors)), code
        day_after = doc["abolished"] + dt.timedelta(days=1)
        for slug in successors:
            assert slug in shipped, (code, slug)
            succ = shipped[slug]
            # the successor was current when the council was abolished
            assert succ.get("created") is None or succ["created"] <= day_after, (code, slug)
            assert succ.get("abolished") is None or succ["abolished"] >= day_after, (code, slug)


def test_replaced_by_follows_the_ons_changes(councils, by_code, slug_of):
    merged: dict[str, set[str]] = {}
    terminated = set()
    for r in read_csv("boundaries/onsvisual-uk-topojson/changes.csv"):
        if r["oldcd"] not in councils:
            continue
        if r["type"] == "merger" and r["newcd"] in councils:
            merged.setdefault(r["oldcd"], set()).add(slug_of[r["newcd"]])
        elif r["type"] == "termination":
            terminated.add(r["oldcd"])
    for code, slugs in merged.items():
        assert set(by_code[code]["replaced_by"]) == slugs, code
    for county in terminated:
        districts = [c for c, r in councils.items() if r["upper_tier_code"] == county and c != county]
        expected = set().union(*(merged.get(d, set()) for d in districts))
        assert expected and set(by_code[county]["replaced_by"]) == expected, county


def test_titles_of_published_councils_are_the_ombudsmans(published, by_code):
    latest: dict[str, tuple[str, str]] = {}
    for r in published:
        if r["code"] not in latest or r["year"] > latest[r["code"]][0]:
            latest[r["code"]] = (r["year"], r["council"].strip())
    for code, (_, title) in latest.items():
        assert by_code[code]["name"] == title, code


def test_averages_equal_the_published_averages():
    averages = yaml.safe_load((DATA / "averages.yaml").read_text(encoding="utf-8"))
    expected: dict[str, dict[str, dict]] = {}
    for r in read_csv("lgsco-averages.csv"):
        cells = {k: v for k, v in r.items() if k not in ("year", "type") and v.strip()}
        if cells:
            expected.setdefault(r["year"], {})[r["type"]] = {
                k: float(v) if k == "upheld_per_100k" else int(v) for k, v in cells.items()
            }
    assert averages == expected
    for year in averages.values():
        for cells in year.values():
            for key, value in cells.items():
                assert type(value) is (float if key == "upheld_per_100k" else int), key
    assert list(averages) == sorted(averages)
    for year, types in averages.items():
        assert list(types) == sorted(types), year


def test_the_real_redditch_letter_is_shipped_as_the_converter_writes_it(shipped, reference):
    entry = shipped["redditch"]["years"]["2023-24"]
    assert entry["letter"] == "2023-24/redditch.md" and str(entry["letter_date"]) == "2024-07-17"
    shipped_letter = REPO / "data" / "letters" / "2023-24" / "redditch.md"
    assert shipped_letter.read_bytes() == (reference / "letters" / "redditch-2023-24.md").read_bytes()
    assert [path.relative_to(REPO / "data" / "letters").as_posix() for path in (REPO / "data" / "letters").rglob("*.md")] == ["2023-24/redditch.md"]
