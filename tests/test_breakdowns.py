"""The ombudsman's breakdowns (received by service area, decided by outcome): loading, shares and
pooled type shares, each checked against values worked out by hand."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction

import pytest

from conftest import REPO, build_project, run_perfsite, write_files
from data_errors import GOOD_FILES, alpha_breakdowns

from generator.breakdowns import (
    DECISION_OUTCOMES, RECEIVED_AREAS, breakdown_totals, pooled, share, share_text, shares,
)
from generator.loader import load_dataset
from generator.writer import dump_council

# Alpha's received (tests/data_errors.py): 2+1+0+3+2+1+4+2+0 = 15.
ALPHA_RECEIVED = {"adult_care": 2, "benefits_and_tax": 1, "corporate_and_other": 0, "education_and_childrens": 3,
                  "environment_and_regulation": 2, "highways_and_transport": 1, "housing": 4,
                  "planning_and_development": 2, "other": 0}
ALPHA_DECIDED = {"invalid_or_incomplete": 1, "advice_given": 0, "referred_back": 4,
                 "closed_after_initial_enquiries": 3, "not_upheld": 3, "upheld": 5}


def alpha_folder(tmp_path, **extra):
    data = tmp_path / "data"
    write_files(data, GOOD_FILES)
    write_files(data, alpha_breakdowns())
    write_files(data, extra)
    return data


def test_the_keys_are_the_ombudsmans_lists_in_its_order():
    assert list(RECEIVED_AREAS.values()) == [
        "Adult care services", "Benefits and tax", "Corporate and other services", "Education and children's services",
        "Environmental services, public protection and regulation", "Highways and transport", "Housing",
        "Planning and development", "Other",
    ]
    assert list(DECISION_OUTCOMES.values()) == [
        "Invalid or incomplete", "Advice given", "Referred back for local resolution", "Closed after initial enquiries",
        "Not upheld", "Upheld",
    ]


def test_breakdowns_load_as_counts_in_the_keys_order(tmp_path):
    council = {c.slug: c for c in load_dataset(alpha_folder(tmp_path)).councils}["alpha"]
    record = council.years["2023-24"]
    assert record.received == ALPHA_RECEIVED
    assert list(record.received) == list(RECEIVED_AREAS)
    assert record.decided == ALPHA_DECIDED
    council_without = {c.slug: c for c in load_dataset(tmp_path / "data").councils}["beta"]
    assert council_without.years["2023-24"].received is None and council_without.years["2023-24"].decided is None


def test_decided_agrees_with_upheld_and_investigations_when_they_are_absent_too(tmp_path):
    """Only what is given is compared: without investigations, 5 upheld + 3 not upheld is fine."""
    data = alpha_folder(tmp_path)
    text = (data / "councils" / "alpha.yaml").read_text()
    (data / "councils" / "alpha.yaml").write_text(text.replace("    investigations: 8\n", ""))
    record = {c.slug: c for c in load_dataset(data).councils}["alpha"].years["2023-24"]
    assert record.decided["not_upheld"] == 3


def test_the_writer_writes_breakdowns_back(tmp_path):
    dataset = load_dataset(alpha_folder(tmp_path))
    alpha = dataset.by_slug()["alpha"]
    copy = tmp_path / "copy"
    write_files(copy, {**GOOD_FILES, "councils/alpha.yaml": dump_council(alpha)})
    assert load_dataset(copy).by_slug()["alpha"].years["2023-24"] == alpha.years["2023-24"]


def test_a_valid_breakdown_passes_validate(tmp_path):
    alpha_folder(tmp_path)
    result = run_perfsite("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_shares_of_the_total():
    found = shares(ALPHA_RECEIVED)
    assert found["housing"] == Fraction(4, 15)
    assert found["corporate_and_other"] == 0
    assert sum(found.values()) == 1
    assert share(0, 0) is None


def test_share_text_rounds_whole_percentages_halves_away_from_zero():
    assert share_text(Fraction(4, 15)) == "27%"   # 26.67
    assert share_text(Fraction(2, 15)) == "13%"   # 13.33
    assert share_text(Fraction(1, 8)) == "13%"    # 12.5, a half: away from zero
    assert share_text(Fraction(3, 8)) == "38%"    # 37.5
    assert share_text(Fraction(1, 200)) == "1%"   # 0.5
    assert share_text(Fraction(0)) == "0%"
    assert share_text(None) == "not applicable"


def test_pooled_sums_counts_over_the_councils_that_have_the_breakdown():
    first = {"a": 4, "b": 11}    # a: 4 of 15, 26.7%
    second = {"a": 6, "b": 19}   # a: 6 of 25, 24%
    result = pooled([first, None, second], ["a", "b"])
    assert result.councils == 2
    assert dict(result.counts) == {"a": 10, "b": 30}
    assert result.total == 40
    # pooled: 10 / 40 = 25%, not the mean of the councils' shares (25.33%)
    assert result.shares()["a"] == Fraction(1, 4)


def test_breakdown_totals_by_type_and_year(tmp_path):
    beta = (GOOD_FILES["councils/beta.yaml"].replace(
        "  2023-24: {investigations: 4, upheld: 3}\n",
        "  2023-24:\n    investigations: 4\n    upheld: 3\n"
        "    received: {adult_care: 0, benefits_and_tax: 0, corporate_and_other: 5, education_and_childrens: 0, "
        "environment_and_regulation: 0, highways_and_transport: 0, housing: 6, planning_and_development: 0, other: 9}\n"))
    data = alpha_folder(tmp_path, **{"councils/beta.yaml": beta})
    totals = breakdown_totals(load_dataset(data))
    received = totals.get("received", "2023-24", "district")
    assert received.councils == 2
    assert received.total == 15 + 20
    assert dict(received.counts)["housing"] == 4 + 6
    assert received.shares()["housing"] == Fraction(10, 35)
    assert share_text(received.shares()["housing"]) == "29%"  # 28.57
    decided = totals.get("decided", "2023-24", "district")
    assert decided.councils == 1 and decided.total == 16
    assert totals.get("decided", "2022-23", "district") is None
    assert totals.for_year_all_types("received", "2023-24") == received



# Beta's received: 5 + 6 + 9 = 20; with alpha's 15, the district councils' pooled total is 35.
BETA_WITH_RECEIVED = GOOD_FILES["councils/beta.yaml"].replace(
    "  2023-24: {investigations: 4, upheld: 3}\n",
    "  2023-24:\n    investigations: 4\n    upheld: 3\n"
    "    received: {adult_care: 0, benefits_and_tax: 0, corporate_and_other: 5, education_and_childrens: 0, "
    "environment_and_regulation: 0, highways_and_transport: 0, housing: 6, planning_and_development: 0, other: 9}\n")


@pytest.fixture(scope="module")
def breakdown_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("breakdowns")
    write_files(root / "data", GOOD_FILES)
    write_files(root / "data", {**alpha_breakdowns(), "councils/beta.yaml": BETA_WITH_RECEIVED})
    return build_project(root)


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with ``caption``, each as the text of its cells."""
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start:html.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).replace("&#39;", "'").split()) for cell in cells])
    return rows


def test_council_year_page_shows_each_share_beside_the_pooled_type_share(breakdown_site):
    html = (breakdown_site / "alpha" / "2023-24" / "index.html").read_text()
    rows = table_rows(html, "Complaints and enquiries received by service area: figures")
    assert rows[0] == ["Service area", "Count", "Share", "Share for all district councils"]
    by_area = {row[0]: row[1:] for row in rows[1:]}
    # alpha's housing: 4 of 15 = 26.7%; the district councils': (4 + 6) of (15 + 20) = 28.6%
    assert by_area["Housing"] == ["4", "27%", "29%"]
    # corporate: alpha 0 of 15; districts 5 of 35 = 14.3%
    assert by_area["Corporate and other services"] == ["0", "0%", "14%"]
    # other: 0; districts 9 of 35 = 25.7%
    assert by_area["Other"] == ["0", "0%", "26%"]
    assert by_area["Total"][0] == "15"
    assert "the 35 complaints and enquiries received of the 2 of 2 district councils" in html
    decided = {row[0]: row[1:] for row in table_rows(html, "Decisions made by outcome: figures")[1:]}
    # 16 decisions; upheld 5 of 16 = 31.25%; only alpha has decided, so the type's share is the same
    assert decided["Upheld"] == ["5", "31%", "31%"]
    assert decided["Referred back for local resolution"] == ["4", "25%", "25%"]


def test_council_year_chart_is_an_accessible_svg_with_its_bars_to_scale(breakdown_site):
    html = (breakdown_site / "alpha" / "2023-24" / "index.html").read_text()
    start = html.index('<svg class="breakdown-svg"')
    svg = html[start:html.index("</svg>", start)]
    assert 'role="img"' in svg and 'aria-labelledby="breakdown-received-chart-title"' in svg
    assert "<title id=\"breakdown-received-chart-title\">Alpha District Council: complaints and enquiries received by service area" in svg
    assert re.search(r'font-size="(\d+)"', svg).group(1) == "14"
    bars = [float(width) for width in re.findall(r'<rect x="1" y="[\d.]+" width="([\d.]+)" height="14" fill="#12436d"', svg)]
    # the dark bars: shares 2,1,(0),3,2,1,4,2,(0) of 15; the longest share drawn is the districts'
    # housing, 10/35, so alpha's housing bar (4/15) is (4/15) / (10/35) = 0.9333 of the full length
    council_bars = bars
    assert len(council_bars) == 7  # the two zero shares draw no bar
    full = 320 - 44 - 2
    assert council_bars[5] == pytest.approx(full * 0.93333, abs=0.06)
    assert council_bars[0] == pytest.approx(council_bars[5] / 2, abs=0.06)


def test_council_type_and_year_pages_show_the_breakdowns(breakdown_site):
    council = (breakdown_site / "alpha" / "index.html").read_text()
    rows = {row[0]: row[1:] for row in table_rows(council, "Alpha District Council: complaints and enquiries received by service area, year by year")}
    assert rows["Service area"] == ["2023-24"]
    assert rows["Housing"] == ["4 27%"]
    district = (breakdown_site / "types" / "district" / "index.html").read_text()
    rows = {row[0]: row[1:] for row in table_rows(district, "All district councils: complaints and enquiries received by service area, year by year")}
    assert rows["Housing"] == ["10 29%"]
    assert rows["Total"] == ["35"]
    assert rows["Councils with this breakdown"] == ["2 of 2"]
    year = (breakdown_site / "years" / "2023-24" / "index.html").read_text()
    rows = {row[0]: row[1:] for row in table_rows(year, "Decisions made by outcome in 2023-24, by type of council")}
    assert rows["Outcome"] == ["District councils", "All councils"]
    assert rows["Not upheld"] == ["3 19%", "3 19%"]  # 3 of 16 = 18.75%
    assert rows["Councils with this breakdown"] == ["1 of 2", "1 of 2"]


def test_pages_without_breakdowns_say_nothing_of_them(breakdown_site, tmp_path):
    write_files(tmp_path / "data", GOOD_FILES)
    site = build_project(tmp_path)
    for page in ("alpha/2023-24/index.html", "alpha/index.html", "types/district/index.html", "years/2023-24/index.html"):
        assert 'id="breakdowns"' not in (site / page).read_text(), page
    assert 'id="breakdowns"' in (breakdown_site / "alpha" / "2023-24" / "index.html").read_text()


def test_downloads_carry_both_breakdowns_and_follow_the_schema(breakdown_site):
    import csv
    import json

    import jsonschema

    schema = json.loads((breakdown_site / "schema" / "council-v1.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    document = json.loads((breakdown_site / "alpha" / "data.json").read_text())
    validator.validate(document)
    year = document["councils"][0]["years"][0]
    assert year["received"]["counts"] == ALPHA_RECEIVED
    assert year["received"]["total"] == 15
    assert year["received"]["shares"]["housing"] == {"shown": "27%", "value": 27, "exact": pytest.approx(400 / 15)}
    assert year["decided"]["total"] == 16
    assert year["decided"]["shares"]["upheld"]["value"] == 31  # 31.25
    district = next(entry for entry in document["type_averages"] if entry["type"] == "district")
    assert district["received"]["total"] == 35
    assert district["received"]["councils"] == 2 and district["received"]["councils_of_type"] == 2
    assert district["received"]["counts"]["other"] == 9
    assert district["received"]["shares"]["other"]["value"] == 26  # 9 of 35 = 25.7%
    assert district["decided"]["councils"] == 1
    dataset = json.loads((breakdown_site / "downloads" / "perfsite-data.json").read_text())
    validator.validate(dataset)
    beta = next(council for council in dataset["councils"] if council["slug"] == "beta")
    assert beta["years"][0]["decided"] is None
    with (breakdown_site / "years" / "2023-24" / "councils.csv").open(newline="") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle)}
    assert rows["alpha"]["received_housing"] == "4" and rows["alpha"]["received_total"] == "15"
    assert rows["alpha"]["decided_not_upheld"] == "3" and rows["alpha"]["decided_total"] == "16"
    assert rows["beta"]["received_other"] == "9" and rows["beta"]["decided_upheld"] == ""


def test_the_schema_refuses_a_breakdown_without_every_key(breakdown_site):
    import json

    import jsonschema

    schema = json.loads((breakdown_site / "schema" / "council-v1.json").read_text())
    document = json.loads((breakdown_site / "alpha" / "data.json").read_text())
    del document["councils"][0]["years"][0]["received"]["counts"]["other"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)
    document["councils"][0]["years"][0]["received"]["counts"]["other"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)


BREAKDOWN_SAMPLE = REPO / "tests" / "samples" / "release-2025-26-breakdowns.csv"


def test_import_reads_both_breakdowns_from_a_release(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    before = (data / "councils" / "redditch.yaml").read_text()
    result = run_perfsite("import", str(BREAKDOWN_SAMPLE), "--year", "2025-26", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "'Housing' -> received.housing" in result.stdout and "'Not upheld' -> decided.not_upheld" in result.stdout
    assert "ignored columns" not in result.stdout
    text = (data / "councils" / "redditch.yaml").read_text()
    assert text == before + (
        "  2025-26:\n"
        "    investigations: 3\n"
        "    upheld: 2\n"
        "    received: {adult_care: 1, benefits_and_tax: 3, corporate_and_other: 2, education_and_childrens: 0, "
        "environment_and_regulation: 4, highways_and_transport: 2, housing: 9, planning_and_development: 5, other: 1}\n"
        "    decided: {invalid_or_incomplete: 2, advice_given: 1, referred_back: 9, closed_after_initial_enquiries: 6, "
        "not_upheld: 1, upheld: 2}\n"
    )
    dataset = load_dataset(data)
    totals = breakdown_totals(dataset)
    received = totals.get("received", "2025-26", "district")
    # Redditch 27, Adur 22, Wyre Forest 32 received; housing 9 + 6 + 7 = 22 of 81
    assert received.councils == 3 and received.total == 81
    assert share_text(received.shares()["housing"]) == "27%"
    assert dataset.by_slug()["brighton-and-hove"].years["2025-26"].decided["not_upheld"] == 16
    again = run_perfsite("import", str(BREAKDOWN_SAMPLE), "--year", "2025-26", "--data", str(data), cwd=tmp_path)
    assert again.returncode == 0 and "unchanged (4)" in again.stdout


def test_import_changes_a_breakdown_and_reports_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    assert run_perfsite("import", str(BREAKDOWN_SAMPLE), "--year", "2025-26", "--data", str(data), cwd=tmp_path).returncode == 0
    changed = tmp_path / "changed.csv"
    changed.write_text(BREAKDOWN_SAMPLE.read_text().replace("E07000236,Redditch Borough Council,3,2,1,2,1,9,6,1,3,2,0,4,2,9,5,1",
                                                            "E07000236,Redditch Borough Council,3,2,1,2,1,9,6,1,3,2,0,4,2,10,5,1"))
    result = run_perfsite("import", str(changed), "--year", "2025-26", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "housing 9" in result.stdout and "housing 10" in result.stdout
    assert load_dataset(data).by_slug()["redditch"].years["2025-26"].received["housing"] == 10


@pytest.mark.parametrize(("old", "new", "message"), [
    # a breakdown's columns come all together
    (",Other\n", ",Others\n", "release.csv:1: the complaints and enquiries received by service area have no column for received.other"),
    # a cell of a breakdown left blank while the others are not
    ("E07000236,Redditch Borough Council,3,2,1,2,1,9,6,", "E07000236,Redditch Borough Council,3,2,1,2,,9,6,",
     "release.csv:2: Advice given: is blank (expected a count in every column of the decisions made by outcome, or all of them blank)"),
    ("E07000236,Redditch Borough Council,3,2,1,2,1,9,6,1,3,", "E07000236,Redditch Borough Council,3,2,1,2,1,9,6,1,three,",
     "release.csv:2: Benefits and tax: 'three' is not a whole number, 0 or more"),
])
def test_import_refuses_bad_breakdown_columns_and_cells(tmp_path, old, new, message):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    release = tmp_path / "release.csv"
    text = BREAKDOWN_SAMPLE.read_text()
    assert old in text
    release.write_text(text.replace(old, new, 1))
    result = run_perfsite("import", "release.csv", "--year", "2025-26", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert (data / "councils" / "redditch.yaml").read_text() == (REPO / "data" / "councils" / "redditch.yaml").read_text()


def test_import_refuses_decisions_that_disagree_with_investigations(tmp_path):
    """The loader's check, run on the data as it would be after the import."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    release = tmp_path / "release.csv"
    release.write_text(BREAKDOWN_SAMPLE.read_text().replace("E07000236,Redditch Borough Council,3,2,1,", "E07000236,Redditch Borough Council,3,2,2,"))
    result = run_perfsite("import", "release.csv", "--year", "2025-26", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1
    assert "years.2025-26.decided.not_upheld: 2 and upheld (2) make 4, not investigations (3)" in result.stderr


def test_readme_documents_every_key_with_the_ombudsmans_wording_and_every_column_name():
    from generator.importer import BREAKDOWN_COLUMNS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for key, wording in RECEIVED_AREAS.items():
        assert re.search(rf"^\| `{key}` \| {re.escape(wording)} \|", readme, re.M), key
    for key, wording in DECISION_OUTCOMES.items():
        assert re.search(rf"\| `{key}` \| {re.escape(wording)} \|$", readme, re.M), key
    for field, names in BREAKDOWN_COLUMNS.items():
        assert f"| `{field}` | " + ", ".join(f"`{name}`" for name in names) + " |" in readme, field


def test_under_serve_an_edit_to_one_councils_breakdown_shows_on_its_type_neighbours_pages(tmp_path):
    """Alpha's pages and downloads show the district councils' pooled shares, so an edit to beta's
    breakdown must reach them even though alpha's own view is unchanged."""
    from generator import downloads, pages
    from generator.compute import compute
    from generator.pages import site_context

    data = tmp_path / "data"
    write_files(data, GOOD_FILES)
    write_files(data, {**alpha_breakdowns(), "councils/beta.yaml": BETA_WITH_RECEIVED})
    renders: dict = {}
    previous = None

    def outputs(kept: bool) -> dict[str, bytes]:
        nonlocal previous
        results = compute(load_dataset(data), "mean", previous=previous if kept else None)
        site = site_context(results, {}, renders=renders if kept else None)
        if kept:
            previous = results
        made = [*pages.council_pages(site), *pages.type_pages(site), *pages.year_pages(site), *downloads.data_downloads(site)]
        return {output.src_path: output.data() for output in made}

    outputs(kept=True)
    # beta's housing 6 -> 16: the districts' housing is (4 + 16) of (15 + 30), 44%
    write_files(data, {"councils/beta.yaml": BETA_WITH_RECEIVED.replace("housing: 6", "housing: 16")})
    kept, fresh = outputs(kept=True), outputs(kept=False)
    assert [path for path in fresh if kept[path] != fresh[path]] == []
    by_area = {row[0]: row[1:] for row in table_rows(kept["alpha/2023-24/index.md"].decode(),
                                                       "Complaints and enquiries received by service area: figures")}
    assert by_area["Housing"] == ["4", "27%", "44%"]
    assert b'"councils":2,"councils_of_type":2' in kept["alpha/data.json"]
    assert b'"housing":{"shown":"44%"' in kept["alpha/data.json"]


def test_a_breakdown_of_nothing_has_no_chart_and_shares_not_applicable(tmp_path):
    from generator.breakdown_views import council_year_breakdowns
    from generator.compute import compute
    from generator.pages import site_context

    zeros = "    received: {" + ", ".join(f"{key}: 0" for key in RECEIVED_AREAS) + "}\n"
    data = tmp_path / "data"
    write_files(data, GOOD_FILES)
    write_files(data, {"councils/alpha.yaml": GOOD_FILES["councils/alpha.yaml"].replace(
        "    satisfactory_remedies: 1\n", "    satisfactory_remedies: 1\n" + zeros)})
    site = site_context(compute(load_dataset(data), "mean"), {})
    view = next(view for view in site.council_views if view.council.slug == "alpha").year("2023-24")
    section = council_year_breakdowns(site.breakdown_totals, view, "district councils")
    assert section.heading == "Complaints and enquiries received"
    (panel,) = section.panels
    assert panel.chart is None
    assert panel.total_text == "0"
    assert {row.share_text for row in panel.rows} == {"not applicable"}
    assert {row.type_share_text for row in panel.rows} == {"not applicable"}
    assert panel.type_note == "The district councils with this breakdown for 2023-24 have no complaints and enquiries received in it, so it has no shares."
