"""The real ``perfsite build`` on small data folders written here, and on the shipped data."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_perfsite, write_council


def text_of(page: Path) -> str:
    """A built page's visible text, tags removed and white space folded."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</?(?:a|strong|em|b|i|abbr|code)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small")
    data = root / "data"
    write_council(data, "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district",
        "website": "https://alpha.example.org",
        "years": {
            "2022-23": {"investigations": 8, "upheld": 5, "compliance_outcomes": 3, "complied": 3,
                        "satisfactory_remedies": 1, "population": 100000},
            "2023-24": {"population": 87036, "investigations": 2, "upheld": 1, "compliance_outcomes": 1,
                        "complied": 1, "satisfactory_remedies": 0, "letter": "2023-24/alpha.md",
                        "letter_date": "2024-07-17", "source": "https://lgo.example.org/alpha",
                        "decisions": [{"reference": "23 001 234", "date": "2024-01-05", "outcome": "Upheld",
                                       "summary": "Delay in a housing application."}],
                        "service_improvements": ["Train staff on homelessness duties."]},
        },
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 3, "compliance_outcomes": 0,
                              "satisfactory_remedies": 1, "population": 50000}},
    })
    write_council(data, "gamma-county-council", {
        "name": "Gamma County Council", "code": "E10000901", "type": "county",
        "abolished": "2023-03-31", "replaced_by": ["gamma"],
        "years": {"2022-23": {"investigations": 10, "upheld": 9}},
    })
    write_council(data, "gamma", {
        "name": "Gamma Council", "code": "E06000901", "type": "unitary", "created": "2023-04-01",
        "years": {"2023-24": {}},
    })
    (data / "letters" / "2023-24").mkdir(parents=True)
    (data / "letters" / "2023-24" / "alpha.md").write_text(
        "Dear Chief Executive\n\n## Complaint statistics\n\nWe upheld **1** complaint.\n", encoding="utf-8")
    (data / "averages.yaml").write_text("2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")
    config = make_project(root)
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "out"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "out"


def test_council_page_shows_latest_year_against_type_average(small_site):
    page = text_of(small_site / "alpha" / "index.html")
    assert "Alpha District Council" in page
    assert "District council · GSS code E07000901" in page
    assert "Latest figures: 2023-24" in page
    assert "Complaints upheld 50% 1 of 2 investigations 63% published by the ombudsman" in page
    # 1 upheld among 87,036 residents is 1.149 per 100,000
    assert "Upheld decisions per 100,000 residents 1.1 1 upheld decision, population 87,036" in page
    # beta has a zero compliance denominator, so the computed district average rests on alpha alone
    assert "Compliance with recommendations 100% 1 of 1 compliance outcome 100% the figure of the only one of the district councils with figures" in page
    # remedy: alpha 0 of 1, beta 1 of 3: mean of 0% and 33.3% is 16.7%, shown 17%
    assert "Satisfactory remedy provided by the council 0% 0 of 1 upheld complaint 17% the average of 2 councils' rates" in page
    assert 'href="https://alpha.example.org"' in (small_site / "alpha" / "index.html").read_text()


def test_council_page_renders_letter_documents_and_source(small_site):
    source = (small_site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "<h4>Complaint statistics</h4>" in source  # the letter's ## sits under the page's h2
    assert "<strong>1</strong>" in source
    page = text_of(small_site / "alpha" / "index.html")
    assert "Sent 17 July 2024" in page
    assert "23 001 234 (5 January 2024): Upheld. Delay in a housing application." in page
    assert "Train staff on homelessness duties." in page
    assert 'href="https://lgo.example.org/alpha"' in source


def test_every_year_table_links_each_year(small_site):
    source = (small_site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert '<a href="2023-24/">2023-24</a>' in source
    assert '<a href="2022-23/">2022-23</a>' in source
    page = text_of(small_site / "alpha" / "index.html")
    assert "2022-23 63% 5 of 8 investigations 5.0 5 upheld decisions, population 100,000 100% 3 of 3 compliance outcomes 20% 1 of 5 upheld complaints" in page


def test_council_year_page_has_its_figures_and_neighbours(small_site):
    page = text_of(small_site / "alpha" / "2022-23" / "index.html")
    assert "Alpha District Council: 2022-23" in page
    assert "Complaints upheld 63% 5 of 8 investigations" in page
    source = (small_site / "alpha" / "2022-23" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2023-24/"' in source
    assert 'rel="prev"' not in source


def test_zero_denominator_says_not_applicable(small_site):
    page = text_of(small_site / "beta" / "index.html")
    assert "Compliance with recommendations not applicable (no compliance outcomes)" in page


def test_missing_figures_say_not_available(small_site):
    page = text_of(small_site / "gamma" / "index.html")
    assert "2023-24 No figures. The ombudsman's figures are not in this data yet" in page
    year_page = text_of(small_site / "gamma" / "2023-24" / "index.html")
    assert "The ombudsman's figures for Gamma Council in 2023-24 are not in this data yet" in year_page
    assert "Complaints upheld not available" in year_page
    assert not re.search(r"(?<![\d.])0%", page)  # no figure of 0% (the embed snippet's width="100%" is not one)
    county = text_of(small_site / "gamma-county-council" / "2022-23" / "index.html")
    assert "Compliance with recommendations not available" in county


def test_abolished_council_links_to_successor_and_back(small_site):
    page = text_of(small_site / "gamma-county-council" / "index.html")
    assert "Abolished council." in page
    assert "31 March 2023 was its last day" in page
    assert 'href="../gamma/"' in (small_site / "gamma-county-council" / "index.html").read_text()
    successor = (small_site / "gamma" / "index.html").read_text(encoding="utf-8")
    assert 'href="../gamma-county-council/"' in successor
    assert "Created on 1 April 2023, replacing" in text_of(small_site / "gamma" / "index.html")


def test_type_year_and_home_pages(small_site):
    district = text_of(small_site / "types" / "district" / "index.html")
    assert "Alpha District Council" in district and "Beta Borough Council" in district
    assert "Gamma" not in district
    year = text_of(small_site / "years" / "2023-24" / "index.html")
    assert "2 of 3 councils in this data have figures for 2023-24" in year
    home = (small_site / "index.html").read_text(encoding="utf-8")
    for slug in ("alpha", "beta", "gamma", "gamma-county-council"):
        assert f'<a href="{slug}/">' in home
    assert 'id="finder-input"' in home


def test_methodology_and_attribution(small_site):
    methodology = text_of(small_site / "methodology" / "index.html")
    assert "mid-2022" in methodology and "halves rounded up" in methodology
    home = text_of(small_site / "index.html")
    assert "Office for National Statistics licensed under the Open Government Licence v.3.0" in home
    assert "Contains OS data © Crown copyright and database right 2025" in home


def test_pooled_average_setting(tmp_path):
    data = tmp_path / "data"
    write_council(data, "one", {"name": "One Council", "code": "E07000001", "type": "district",
                                "years": {"2023-24": {"investigations": 1, "upheld": 1}}})
    write_council(data, "two", {"name": "Two Council", "code": "E07000002", "type": "district",
                                "years": {"2023-24": {"investigations": 99, "upheld": 0}}})
    config = make_project(tmp_path, {"average_mode": "pooled"})
    result = run_perfsite("build", "--config", str(config), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = text_of(tmp_path / "out" / "one" / "index.html")
    assert "Complaints upheld 100% 1 of 1 investigation 1% all 2 councils' cases taken together" in page


def test_bad_data_fails_with_file_field_and_expectation(tmp_path):
    data = tmp_path / "data"
    write_council(data, "bad", {"name": "Bad Council", "code": "E07000003", "type": "district",
                                "years": {"2023-24": {"investigations": 2, "upheld": 3}}})
    config = make_project(tmp_path)
    result = run_perfsite("build", "--config", str(config), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "data/councils/bad.yaml:7: years.2023-24.upheld: 3 is more than investigations (2)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_shipped_data_builds_a_page_for_every_council(tmp_path, reference):
    result = run_perfsite("build", "--out", str(tmp_path / "site"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    with open(reference / "councils.csv", encoding="utf-8") as handle:
        councils = list(csv.DictReader(handle))
    assert len(councils) == 350
    pages = {}
    for page in (tmp_path / "site").glob("*/index.html"):
        match = re.search(r'GSS code <span class="code">(E\d{8})</span>', page.read_text(encoding="utf-8"))
        if match:
            pages[match.group(1)] = page
    assert set(pages) == {row["code"] for row in councils}
    redditch = text_of(pages["E07000236"])
    assert "Complaints upheld 50% 1 of 2 investigations 63% published by the ombudsman" in redditch
    # the example: 50% resting on 2 cases is not compared (Wilson 9.45% to 90.55%)
    assert ("63% published by the ombudsman Too few cases to compare 2 investigations; at least 10 needed "
            "95% confidence interval 9% to 91%") in redditch
