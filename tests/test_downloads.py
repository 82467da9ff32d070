"""The downloads: JSON and CSV for each council, each year and the whole data set, and their schema.

Numbers on small written data are worked out by hand; on the shipped data the downloads are
checked against what the built pages state.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, build_project, write_council

SCHEMA = json.loads((REPO / "generator" / "schema" / "council-v1.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_year(council: dict) -> dict[str, dict]:
    return {year["year"]: year for year in council["years"]}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("downloads")
    data = root / "data"
    write_council(data, "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district", "aliases": ["alpha-old"],
        "years": {
            "2022-23": {"investigations": 2, "upheld": 2},
            "2023-24": {"population": 300000, "investigations": 8, "upheld": 5, "compliance_outcomes": 3,
                        "complied": 2, "satisfactory_remedies": 1, "letter_date": "2024-07-17",
                        "source": ["https://lgo.example.org/alpha", "Annual review letter, 17 July 2024"]},
        },
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 1, "compliance_outcomes": 0}},
    })
    write_council(data, "gamma", {
        "name": "Gamma County Council", "code": "E10000903", "type": "county", "years": {"2023-24": {}},
    })
    (data / "averages.yaml").write_text("2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")
    return build_project(root)


def test_council_json_states_counts_rounded_and_exact_values(small_site):
    document = read_json(small_site / "alpha" / "data.json")
    assert document["kind"] == "council" and document["schema_version"] == "council-v1"
    [council] = document["councils"]
    assert (council["slug"], council["code"], council["type"], council["aliases"]) == ("alpha", "E07000901", "district", ["alpha-old"])
    year = by_year(council)["2023-24"]
    assert year["counts"] == {"population": 300000, "investigations": 8, "upheld": 5, "compliance_outcomes": 3,
                              "complied": 2, "satisfactory_remedies": 1}
    statistics = year["statistics"]
    # 5 of 8 is 62.5%: shown 63% (halves away from zero)
    assert statistics["upheld_rate"] | {"type_average": None, "comparison": None} == {
        "label": "Complaints upheld", "status": "value", "shown": "63%", "value": 63, "exact": 62.5,
        "numerator": 5, "denominator": 8, "type_average": None, "comparison": None}
    # Wilson's 95% interval for 5 of 8 is 30.57% to 86.32%; 8 investigations are under the threshold of 10
    comparison = statistics["upheld_rate"]["comparison"]
    assert comparison | {"interval_exact": None} == {
        "confidence": 0.95, "interval": [31, 86], "interval_exact": None,
        "verdict": "too few cases to compare", "cases": 8, "min_cases": 10}
    assert comparison["interval_exact"] == [pytest.approx(30.574, abs=0.001), pytest.approx(86.316, abs=0.001)]
    # 5 upheld in 300,000 residents is 1.666... per 100,000
    assert (statistics["upheld_per_100k"]["shown"], statistics["upheld_per_100k"]["value"]) == ("1.7", 1.7)
    assert statistics["upheld_per_100k"]["exact"] == pytest.approx(5 / 3)
    # 2 of 3 is 66.67%
    assert (statistics["compliance_rate"]["value"], statistics["compliance_rate"]["exact"]) == (67, pytest.approx(200 / 3))
    assert (statistics["remedy_rate"]["shown"], statistics["remedy_rate"]["value"], statistics["remedy_rate"]["exact"]) == ("20%", 20, 20.0)
    assert year["letter_date"] == "2024-07-17"
    assert year["sources"] == [{"text": "https://lgo.example.org/alpha", "url": "https://lgo.example.org/alpha"},
                               {"text": "Annual review letter, 17 July 2024", "url": None}]


def test_averages_say_whether_published_or_computed(small_site):
    document = read_json(small_site / "alpha" / "data.json")
    statistics = by_year(document["councils"][0])["2023-24"]["statistics"]
    assert statistics["upheld_rate"]["type_average"] == {"shown": "63%", "value": 63, "basis": "published"}
    # only alpha has a population, so the district average per 100,000 is alpha's own 1.7
    assert statistics["upheld_per_100k"]["type_average"] == {"shown": "1.7", "value": 1.7, "basis": "computed"}
    averages = {(row["year"], row["type"]): row["statistics"] for row in document["type_averages"]}
    assert set(averages) == {("2022-23", "district"), ("2023-24", "district")}
    upheld = averages[("2023-24", "district")]["upheld_rate"]
    # published 63; perfsite's mean of alpha's 62.5% and beta's 25% is 43.75%
    assert upheld == {"shown": "63%", "value": 63, "basis": "published", "published": 63, "computed": 44,
                      "computed_exact": 43.75, "computed_from_councils": 2, "councils_of_type": 2, "mode": "mean"}


def test_missing_and_zero_counts_are_null_with_a_status(small_site):
    beta = by_year(read_json(small_site / "beta" / "data.json")["councils"][0])["2023-24"]
    compliance, remedy = beta["statistics"]["compliance_rate"], beta["statistics"]["remedy_rate"]
    assert (compliance["status"], compliance["value"], compliance["exact"], compliance["denominator"]) == ("not applicable", None, None, 0)
    assert compliance["shown"] == "not applicable (no compliance outcomes)"
    assert (remedy["status"], remedy["value"], remedy["numerator"]) == ("not available", None, None)
    assert beta["counts"]["population"] is None


def test_council_csv_has_one_row_a_year_with_the_same_figures(small_site):
    rows = read_csv(small_site / "alpha" / "data.csv")
    assert [row["year"] for row in rows] == ["2022-23", "2023-24"]
    row = rows[1]
    assert (row["upheld_rate"], row["upheld_rate_exact"], row["upheld_rate_status"]) == ("63", "62.5", "value")
    assert (row["upheld_rate_type_average"], row["upheld_rate_type_average_basis"]) == ("63", "published")
    assert (row["upheld_rate_interval_lower"], row["upheld_rate_interval_upper"], row["upheld_rate_comparison"]) == (
        "31", "86", "too few cases to compare")
    assert (row["upheld_per_100k"], float(row["upheld_per_100k_exact"])) == ("1.7", pytest.approx(5 / 3))
    assert row["sources"] == "https://lgo.example.org/alpha ; Annual review letter, 17 July 2024"
    assert row["page"] == "alpha/2023-24/"
    beta = read_csv(small_site / "beta" / "data.csv")[0]
    assert (beta["compliance_rate"], beta["compliance_rate_status"], beta["population"]) == ("", "not applicable", "")
    assert (beta["compliance_rate_interval_lower"], beta["compliance_rate_comparison"]) == ("", "")


def test_year_downloads_list_every_council_of_the_year_by_type(small_site):
    document = read_json(small_site / "years" / "2023-24" / "councils.json")
    assert document["kind"] == "year" and document["years"] == ["2023-24"]
    assert [council["slug"] for council in document["councils"]] == ["gamma", "alpha", "beta"]
    assert all(len(council["years"]) == 1 for council in document["councils"])
    rows = read_csv(small_site / "years" / "2023-24" / "councils.csv")
    assert [(row["slug"], row["has_figures"]) for row in rows] == [("gamma", "false"), ("alpha", "true"), ("beta", "true")]
    assert [row["slug"] for row in read_csv(small_site / "years" / "2022-23" / "councils.csv")] == ["alpha"]


def test_whole_data_set_is_one_download_and_a_reproducible_zip(small_site):
    downloads = small_site / "downloads"
    document = read_json(downloads / "perfsite-data.json")
    assert document["kind"] == "dataset"
    assert [council["slug"] for council in document["councils"]] == ["alpha", "beta", "gamma"]
    rows = read_csv(downloads / "perfsite-data.csv")
    assert len(rows) == 4  # alpha 2 years, beta 1, gamma 1
    with zipfile.ZipFile(downloads / "perfsite-data.zip") as archive:
        assert sorted(archive.namelist()) == ["README.txt", "council-v1.json", "perfsite-data.csv", "perfsite-data.json"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("perfsite-data.csv") == (downloads / "perfsite-data.csv").read_bytes()
        assert archive.read("perfsite-data.json") == (downloads / "perfsite-data.json").read_bytes()
        assert "Open Government Licence" in archive.read("README.txt").decode()


def test_schema_is_published_and_every_json_download_follows_it(small_site):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert read_json(small_site / "schema" / "council-v1.json") == SCHEMA
    for path in [*small_site.glob("*/data.json"), *small_site.glob("years/*/councils.json"), small_site / "downloads" / "perfsite-data.json"]:
        VALIDATOR.validate(read_json(path))


def test_pages_link_to_their_downloads(small_site):
    council = (small_site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'href="data.csv"' in council and 'href="data.json"' in council
    assert 'href="../schema/council-v1.json"' in council
    year = (small_site / "years" / "2023-24" / "index.html").read_text(encoding="utf-8")
    assert 'href="councils.csv"' in year and 'href="councils.json"' in year
    home = (small_site / "index.html").read_text(encoding="utf-8")
    for target in ("downloads/perfsite-data.csv", "downloads/perfsite-data.json", "downloads/perfsite-data.zip", "feed.xml"):
        assert f'href="{target}"' in home
    about = (small_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../downloads/perfsite-data.csv"' in about and 'href="../schema/council-v1.json"' in about


# The shipped data: the downloads state what the pages state.

FIGURE_ROW = re.compile(
    r'<tr class="figure figure-(?P<key>\w+)"[^>]*>.*?<td><span class="value">(?P<value>[^<]*)</span>.*?'
    r'<td><span class="value">(?P<average>[^<]*)</span>.*?data-verdict="(?P<verdict>[a-z-]+)"', re.S)
YEAR_ROW = re.compile(r'<tr><th scope="row"[^>]*><a href="(?P<year>\d{4}-\d{2})/">.*?</th>(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r"<td>([^<]*)")


def shown_from_value(key: str, value: float | int) -> str:
    """What a page shows for a number: "63%" or "1.2" (the per-100,000 rate has one decimal)."""
    return f"{value:,.1f}" if key == "upheld_per_100k" else f"{value}%"


@pytest.fixture(scope="module")
def shipped_documents(shipped_site) -> dict[str, dict]:
    return {path.parent.name: read_json(path) for path in shipped_site.glob("*/data.json")}


def test_shipped_downloads_follow_the_schema_and_agree_with_each_other(shipped_site, shipped_documents):
    assert len(shipped_documents) == 350
    for document in shipped_documents.values():
        VALIDATOR.validate(document)
    councils = {slug: document["councils"][0] for slug, document in shipped_documents.items()}
    # the year and whole-data files hold the same records as the council files, so they follow the schema too
    dataset = read_json(shipped_site / "downloads" / "perfsite-data.json")
    assert dataset["councils"] == [councils[slug] for slug in sorted(councils)]
    VALIDATOR.validate(dataset | {"councils": dataset["councils"][:3]})
    for path in shipped_site.glob("years/*/councils.json"):
        document = read_json(path)
        year = path.parent.name
        assert document["councils"] == [
            councils[council["slug"]] | {"years": [by_year(councils[council["slug"]])[year]]} for council in document["councils"]
        ]
        assert {council["slug"] for council in document["councils"]} == {slug for slug, council in councils.items() if year in by_year(council)}
        VALIDATOR.validate(document | {"councils": document["councils"][:3]})


def test_shipped_council_pages_and_downloads_state_the_same_numbers(shipped_site, shipped_documents):
    compared, verdicts = 0, set()
    for slug, document in shipped_documents.items():
        page = (shipped_site / slug / "index.html").read_text(encoding="utf-8")
        years = by_year(document["councils"][0])
        for match in YEAR_ROW.finditer(page.split('<table class="years">')[1]):
            cells = [html.unescape(cell).strip() for cell in CELL.findall(match["cells"])]
            statistics = years[match["year"]]["statistics"]
            if not any(figure["status"] == "value" for figure in statistics.values()):
                assert cells == [] and "No figures." in match["cells"], (slug, match["year"])  # one cell says why
                continue
            assert cells == [statistics[key]["shown"] for key in statistics], (slug, match["year"])
            for key, figure in statistics.items():
                if figure["status"] == "value":
                    assert shown_from_value(key, figure["value"]) == figure["shown"]
                    compared += 1
        latest = [year for year in years.values() if any(figure["status"] == "value" for figure in year["statistics"].values())]
        if not latest:
            continue
        statistics = latest[-1]["statistics"]
        rows = {match["key"]: match for match in FIGURE_ROW.finditer(page)}
        assert set(rows) == set(statistics)
        for key, figure in statistics.items():
            assert html.unescape(rows[key]["value"]) == figure["shown"]
            assert html.unescape(rows[key]["average"]) == figure["type_average"]["shown"]
            verdict = figure["comparison"]["verdict"] if figure["comparison"] else "none"
            assert rows[key]["verdict"] == verdict.replace(" ", "-"), (slug, key)
            verdicts.add(verdict)
            if figure["status"] == "value":
                assert shown_from_value(key, figure["value"]) == figure["shown"]
                compared += 1
            if figure["type_average"]["value"] is not None:
                assert shown_from_value(key, figure["type_average"]["value"]) == figure["type_average"]["shown"]
    assert compared > 500, compared
    assert {"higher than", "similar to", "lower than", "too few cases to compare"} <= verdicts


def test_shipped_year_page_and_year_csv_state_the_same_numbers(shipped_site):
    rows = {row["slug"]: row for row in read_csv(shipped_site / "years" / "2023-24" / "councils.csv")}
    page = (shipped_site / "years" / "2023-24" / "index.html").read_text(encoding="utf-8")
    council_rows = re.findall(r'<tr><th scope="row"><a href="\.\./\.\./([a-z0-9-]+)/2023-24/">.*?</th>(.*?)</tr>', page, re.S)
    assert len(council_rows) == len(rows)
    for slug, cells in council_rows:
        shown = [html.unescape(cell).strip() for cell in CELL.findall(cells)]
        row = rows[slug]
        for key, text in zip(("upheld_rate", "upheld_per_100k", "compliance_rate", "remedy_rate"), shown):
            if row[f"{key}_status"] == "value":
                assert shown_from_value(key, float(row[key]) if key == "upheld_per_100k" else int(row[key])) == text, slug
            else:
                assert text.startswith(row[f"{key}_status"]), slug
    redditch = rows["redditch"]
    assert (redditch["investigations"], redditch["upheld"], redditch["upheld_rate"], redditch["upheld_rate_type_average"]) == ("2", "1", "50", "63")
