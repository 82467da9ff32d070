"""``perfsite import``: a release spreadsheet into the councils' YAML, run as the real command."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import REPO, run_perfsite, write_council

SAMPLE = REPO / "tests" / "samples" / "release-2025-26.csv"
IMPORTED = ("redditch", "adur", "wyre-forest", "brighton-and-hove", "barnet")


def snapshot(data: Path) -> dict[str, bytes]:
    return {str(path.relative_to(data)): path.read_bytes() for path in sorted(data.rglob("*")) if path.is_file()}


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    return data


def test_sample_release_adds_the_year_and_leaves_everything_else_as_it_was(shipped_copy):
    before = snapshot(shipped_copy)
    result = run_perfsite("import", str(SAMPLE), "--year", "2025-26", "--data", str(shipped_copy), cwd=shipped_copy.parent)
    assert result.returncode == 0, result.stderr
    after = snapshot(shipped_copy)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {f"councils/{slug}.yaml" for slug in IMPORTED}
    assert set(after) == set(before), "no temporary file is left behind"
    # the new year goes after the last one, so the old text is kept byte for byte in front of it
    redditch = after["councils/redditch.yaml"].decode()
    assert redditch == before["councils/redditch.yaml"].decode() + (
        "  2025-26:\n"
        "    population: 87611\n"
        "    investigations: 3\n"
        "    upheld: 2\n"
        "    compliance_outcomes: 2\n"
        "    complied: 2\n"
        "    satisfactory_remedies: 1\n"
        "    source: https://www.lgo.org.uk/your-councils-performance/redditch-borough-council/statistics\n"
    )
    brighton = yaml.safe_load(after["councils/brighton-and-hove.yaml"])["years"]["2025-26"]
    assert brighton["source"] == ["Annual review letter to Brighton & Hove City Council",
                                  "https://www.lgo.org.uk/your-councils-performance/brighton-and-hove-city-council/statistics"]
    # "103,900" is a count with a thousands separator; blank and "n/a" cells write nothing
    assert yaml.safe_load(after["councils/wyre-forest.yaml"])["years"]["2025-26"] == {"population": 103900, "investigations": 12, "upheld": 10}
    assert yaml.safe_load(after["councils/barnet.yaml"])["years"]["2025-26"] == {"investigations": 30, "upheld": 24, "satisfactory_remedies": 3}
    assert run_perfsite("validate", "--data", str(shipped_copy), cwd=shipped_copy.parent).returncode == 0


def test_report_names_added_councils_and_unmatched_rows_with_the_closest_names(shipped_copy):
    result = run_perfsite("import", str(SAMPLE), "--year", "2025-26", "--data", str(shipped_copy), cwd=shipped_copy.parent)
    report = result.stdout
    assert "added (5):" in report
    # matched by code, by name in capitals, by a slug-like name, and with '&' written 'and'
    for line in ("Redditch Borough Council (redditch): population 87611, investigations 3",
                 "Adur District Council (adur)", "Wyre Forest District Council (wyre-forest)",
                 "Brighton & Hove City Council (brighton-and-hove)", "London Borough of Barnet (barnet)"):
        assert line in report
    assert "ignored columns: 'Upheld rate (%)'" in report
    assert "not matched (2):" in report
    assert "row 7: 'Redditch Boro Council': no council has this name; closest: Redditch Borough Council (redditch, E07000236)" in report
    assert "row 8: 'Nowhere District Council': no council has the code E07999999" in report
    assert "wrote 5 council files" in report

    again = run_perfsite("import", str(SAMPLE), "--year", "2025-26", "--data", str(shipped_copy), cwd=shipped_copy.parent)
    assert "added (0):" in again.stdout and "unchanged (5):" in again.stdout and "wrote 0 council files" in again.stdout


def test_dry_run_shows_the_changes_and_writes_nothing(shipped_copy):
    before = snapshot(shipped_copy)
    result = run_perfsite("import", str(SAMPLE), "--year", "2025-26", "--data", str(shipped_copy), "--dry-run", cwd=shipped_copy.parent)
    assert result.returncode == 0, result.stderr
    assert "added (5):" in result.stdout
    assert "dry run: 5 council files would change; nothing was written" in result.stdout
    assert snapshot(shipped_copy) == before


HAND_WRITTEN = """\
# Hand-written, with comments that must survive.
name: "Alpha District Council"   # quoted on purpose
type: district
code: E07000901
aliases:
  - alpha-old
years:
  2022-23: {}
  2023-24:
    # counts from the letter
    investigations: 2   # detailed only
    upheld: 1
    source: 'https://lgo.example.org/alpha'
    service_improvements:
      - Train staff.
  2024-25:
    population: 100000
"""


def test_changed_year_keeps_comments_quotes_order_and_other_years(tmp_path):
    data = tmp_path / "data"
    (data / "councils").mkdir(parents=True)
    council_file = data / "councils" / "alpha.yaml"
    council_file.write_text(HAND_WRITTEN, encoding="utf-8")
    release = tmp_path / "release.csv"
    release.write_text("Name,Investigations,Upheld,Complied,Compliance outcomes\nalpha,2,2,1,1\n", encoding="utf-8")
    result = run_perfsite("import", str(release), "--year", "2023-24", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "changed (1):" in result.stdout
    assert "Alpha District Council (alpha): upheld 1 -> 2, compliance_outcomes (none) -> 1, complied (none) -> 1" in result.stdout
    expected = HAND_WRITTEN.replace("    upheld: 1\n", "    upheld: 2\n    compliance_outcomes: 1\n    complied: 1\n")
    assert council_file.read_text(encoding="utf-8") == expected

    release.write_text("Name,Investigations,Upheld\nAlpha District Council,4,3\n", encoding="utf-8")
    result = run_perfsite("import", str(release), "--year", "2022-23", "--data", str(data), cwd=tmp_path)
    assert "added (1):" in result.stdout
    assert council_file.read_text(encoding="utf-8") == expected.replace(
        "  2022-23: {}\n", "  2022-23:\n    investigations: 4\n    upheld: 3\n")


def test_xlsx_release_with_a_title_row(shipped_copy, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Annual review statistics 2025-26"])
    sheet.append([])
    sheet.append(["Authority", "GSS_code", "Detailed investigations", "Upheld decisions", "Letter date"])
    sheet.append(["Redditch Borough Council", "e07000236", 3.0, 2, dt.datetime(2026, 7, 15)])
    sheet.append(["Kings Lynn and West Norfolk", None, 7, 5, "2026-07-20"])
    sheet.append(["Total", None, 10, 7, None])
    release = tmp_path / "release.xlsx"
    workbook.save(release)
    result = run_perfsite("import", str(release), "--year", "2025-26", "--data", str(shipped_copy), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "added (2):" in result.stdout and "row 6: 'Total': no council has this name" in result.stdout
    redditch = yaml.safe_load((shipped_copy / "councils" / "redditch.yaml").read_text())["years"]["2025-26"]
    assert redditch == {"investigations": 3, "upheld": 2, "letter_date": dt.date(2026, 7, 15)}
    lynn = yaml.safe_load((shipped_copy / "councils" / "kings-lynn-and-west-norfolk.yaml").read_text())["years"]["2025-26"]
    assert lynn == {"investigations": 7, "upheld": 5, "letter_date": dt.date(2026, 7, 20)}


def test_a_failure_part_way_writes_nothing(shipped_copy, tmp_path):
    before = snapshot(shipped_copy)
    release = tmp_path / "release.csv"
    # Redditch's row is fine, but Barnet's upheld would exceed the 27 investigations already in its file
    release.write_text("code,upheld\nE07000236,2\nE09000003,500\n", encoding="utf-8")
    result = run_perfsite("import", str(release), "--year", "2023-24", "--data", str(shipped_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert "barnet.yaml" in result.stderr and "years.2023-24.upheld: 500 is more than investigations (27)" in result.stderr
    assert snapshot(shipped_copy) == before


def test_bad_cells_are_named_by_file_row_and_column(shipped_copy, tmp_path):
    before = snapshot(shipped_copy)
    release = tmp_path / "release.csv"
    release.write_text("Council,Investigations,Upheld\nRedditch,lots,1\nAdur,2,3\n", encoding="utf-8")
    result = run_perfsite("import", str(release), "--year", "2025-26", "--data", str(shipped_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{release}:2: Investigations: 'lots' is not a whole number, 0 or more, in digits (1234 or 1,234), or a blank cell" in result.stderr
    assert f"{release}:3: Upheld: 3 is more than Investigations (2) (expected at most 2)" in result.stderr
    assert snapshot(shipped_copy) == before


def test_two_rows_for_one_council_and_a_bad_year_are_refused(tmp_path):
    data = tmp_path / "data"
    write_council(data, "alpha", {"name": "Alpha Council", "code": "E07000901", "type": "district", "years": {"2023-24": {}}})
    release = tmp_path / "release.csv"
    release.write_text("code,name,upheld\nE07000901,,1\n,Alpha Council,2\n", encoding="utf-8")
    result = run_perfsite("import", str(release), "--year", "2023-24", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1 and "(row 2 is too; expected one row for each council)" in result.stderr
    result = run_perfsite("import", str(release), "--year", "2023-25", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1 and "--year: '2023-25' is not a financial year" in result.stderr
    headerless = tmp_path / "numbers.csv"
    headerless.write_text("1,2,3\n", encoding="utf-8")
    result = run_perfsite("import", str(headerless), "--year", "2023-24", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1 and "no header row" in result.stderr
