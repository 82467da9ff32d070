"""Hostile and broken input that a file of YAML cannot express: links, FIFOs, huge and unreadable
files, output folders that must not be replaced, two builds at once, formulas in downloads, a
letter that crashes the Markdown converter, and releases for ``perfsite import``.

Each test writes the input and checks the outcome: a clear message, and nothing lost.
The cases that are only YAML text are in tests/data_errors.py (the README's "Data errors" table).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from conftest import REPO, make_project, run_perfsite, tree_digest, write_council, write_files
from data_errors import GOOD_FILES
from generator import loader
from generator.build import SITE_MARKER, BuildFailed, build_site
from generator.downloads import spreadsheet_safe
from generator.letters import LetterConverter, LetterError
from generator.loader import DataError, load_dataset
from generator.locks import FolderLock, hold_folder


def problems_of(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


def validate(root: Path) -> subprocess.CompletedProcess:
    return run_perfsite("validate", "--data", "data", cwd=root)


@pytest.fixture
def data(tmp_path) -> Path:
    write_files(tmp_path / "data", GOOD_FILES)
    return tmp_path / "data"


# Files from outside the data folder, and files that are not files

def test_a_council_file_linked_to_outside_the_data_folder_is_refused(tmp_path, data):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((data / "councils" / "beta.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (data / "councils" / "beta.yaml").unlink()
    (data / "councils" / "beta.yaml").symlink_to(outside)
    result = validate(tmp_path)
    assert result.returncode == 1
    assert problems_of(result.stderr) == ["data/councils/beta.yaml: points outside data/ (expected a file inside it)"]


def test_a_letters_folder_linked_to_outside_the_data_folder_is_refused(tmp_path, data):
    shutil.move(data / "letters", tmp_path / "private")
    (data / "letters").symlink_to(tmp_path / "private")
    result = validate(tmp_path)
    assert result.returncode == 1
    assert problems_of(result.stderr) == [
        f"data/letters: is a link to {tmp_path / 'private'}, outside the data folder (expected a folder inside data/)"]


def test_a_link_inside_the_data_folder_is_followed(tmp_path, data):
    shutil.move(data / "councils" / "beta.yaml", data / "beta-original.yaml")
    (data / "councils" / "beta.yaml").symlink_to(data / "beta-original.yaml")
    result = validate(tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_fifo_as_averages_is_refused_without_waiting_for_a_writer(tmp_path, data):
    (data / "averages.yaml").unlink()
    os.mkfifo(data / "averages.yaml")
    result = validate(tmp_path)  # run_perfsite has no timeout: a read that waits would hang the test
    assert result.returncode == 1
    assert problems_of(result.stderr) == ["data/averages.yaml: is a FIFO (named pipe) (expected a regular file)"]


def test_averages_linked_to_dev_zero_is_refused(tmp_path, data):
    (data / "averages.yaml").unlink()
    (data / "averages.yaml").symlink_to("/dev/zero")
    result = validate(tmp_path)
    assert result.returncode == 1
    assert problems_of(result.stderr) == ["data/averages.yaml: points outside data/ (expected a file inside it)"]


def test_a_6_gb_sparse_file_is_refused_by_its_size_unread(tmp_path, data):
    with (data / "councils" / "beta.yaml").open("r+b") as handle:
        handle.truncate(6_000_000_000)
    result = validate(tmp_path)
    assert result.returncode == 1
    assert problems_of(result.stderr) == ["data/councils/beta.yaml: is 6,000,000,000 bytes (expected at most 1,048,576)"]


def test_a_folder_named_like_a_data_file_is_refused(tmp_path, data):
    (data / "averages.yaml").unlink()
    (data / "averages.yaml").mkdir()
    result = validate(tmp_path)
    assert result.returncode == 1
    assert problems_of(result.stderr) == ["data/averages.yaml: is a folder (expected a regular file)"]


def test_an_unreadable_letter_is_a_message_not_a_traceback(data, monkeypatch):
    # CI runs as root, which chmod cannot keep out: the refusal is made where the loader reads.
    real_read = loader.read_limited

    def read_limited(path, *args, **kwargs):
        if Path(path).name == "alpha.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(loader, "read_limited", read_limited)
    with pytest.raises(DataError) as raised:
        load_dataset(data)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{data.name}/councils/alpha.yaml:13: years.2023-24.letter: '2023-24/alpha.md' cannot be read (Permission denied) "
        "(expected a file perfsite may read)"]


# Bounds that validate, build and import share

def test_a_year_up_to_the_one_starting_next_year_is_accepted(tmp_path, data):
    next_year = dt.date.today().year + 1
    accepted = f"{next_year}-{(next_year + 1) % 100:02d}"
    too_late = f"{next_year + 1}-{(next_year + 2) % 100:02d}"
    text = GOOD_FILES["councils/beta.yaml"]
    write_files(data, {"councils/beta.yaml": text.replace("2023-24", accepted)})
    assert validate(tmp_path).returncode == 0
    write_files(data, {"councils/beta.yaml": text.replace("2023-24", too_late)})
    result = validate(tmp_path)
    assert problems_of(result.stderr) == [
        f"data/councils/beta.yaml:5: years.{too_late}: is outside the years the data can hold "
        "(expected a financial year from 2000-01 up to the one that starts next year)"]


def test_an_alias_repeating_a_little_is_still_read(tmp_path, data):
    # anchors and aliases are YAML: a mapping written once and used twice is fine
    text = GOOD_FILES["councils/beta.yaml"].replace(
        "  2023-24: {investigations: 4, upheld: 3}", "  2022-23: &same {investigations: 4, upheld: 3}\n  2023-24: *same")
    write_files(data, {"councils/beta.yaml": text})
    result = validate(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 councils, 3 council-years" in result.stdout


def test_a_noncharacter_in_a_name_is_refused(tmp_path, data):
    write_files(data, {"councils/beta.yaml": GOOD_FILES["councils/beta.yaml"].replace(
        "name: Beta Borough Council", 'name: "Beta Borough Council\\uFFFE"')})
    result = validate(tmp_path)
    assert problems_of(result.stderr) == [
        "data/councils/beta.yaml:1: name: 'Beta Borough Council\\ufffe' holds U+FFFE, a character that is not shown "
        "as written (expected visible text, without control or bidirectional characters)"]


def test_a_name_with_markup_and_accents_is_escaped_in_the_page_and_the_badge(tmp_path):
    name = 'Cyngor Môn & <b>"Ōkami"</b> — Council'
    write_council(tmp_path / "data", "mon", {"name": name, "code": "W06000001", "type": "unitary",
                                            "years": {"2023-24": {"investigations": 2, "upheld": 1}}})
    make_project(tmp_path, {"map": False})
    result = run_perfsite("build", "--config", str(tmp_path / "mkdocs.yml"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    badge = ElementTree.parse(tmp_path / "out" / "mon" / "badge.svg").getroot()  # well-formed XML
    assert name in "".join(badge.itertext())
    page = (tmp_path / "out" / "mon" / "index.html").read_text(encoding="utf-8")
    assert "<b>&#34;Ōkami&#34;</b>" not in page and "&lt;b&gt;" in page


# The Markdown converter

def test_a_letter_that_crashes_the_converter_is_an_error_naming_it():
    converter = LetterConverter()
    try:
        with pytest.raises(LetterError) as raised:
            converter.convert(">" * 100_000, "data/letters/2023-24/alpha.md")
        assert str(raised.value) == (
            "data/letters/2023-24/alpha.md: the Markdown converter crashed on this letter (it was killed by SIGSEGV) "
            "(expected Markdown it can convert: look for something nested or repeated thousands of times)")
        # the next letter gets a new converter process
        assert converter.convert("# Annual review\n\nWe upheld **2** complaints.\n", "next.md") == (
            "<h3>Annual review</h3>\n<p>We upheld <strong>2</strong> complaints.</p>\n")
    finally:
        converter.close()


# Output folders

@pytest.fixture
def project(tmp_path) -> Path:
    write_files(tmp_path / "data", GOOD_FILES)
    make_project(tmp_path, {"map": False})
    return tmp_path


def build_into(project: Path, out: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_perfsite("build", "--config", str(project / "mkdocs.yml"), "--out", str(out), cwd=project, env=env)


@pytest.mark.parametrize(("out", "what"), [
    ("data", "the data folder"),
    ("site_src", "the docs folder"),
    (".", "the data folder"),
])
def test_an_output_folder_holding_the_project_is_refused_and_kept(project, out, what):
    before = tree_digest(project)
    result = build_into(project, project / out)
    assert result.returncode == 1
    target = (project / out).resolve()
    assert f"{target}: holds {what} (" in result.stderr
    assert "which replacing it would delete (expected an output folder of its own, such as site/)" in result.stderr
    assert tree_digest(project) == before


def test_an_output_folder_inside_the_data_is_refused(project):
    result = build_into(project, project / "data" / "site")
    assert result.returncode == 1
    assert f"{project / 'data' / 'site'}: is inside the data folder ({project / 'data'})" in result.stderr
    assert not (project / "data" / "site").exists()


def test_a_folder_of_someone_elses_files_is_left_alone(project, tmp_path):
    theirs = tmp_path / "documents"
    write_files(theirs, {"thesis.docx": b"years of work", "notes/todo.txt": "everything"})
    before = tree_digest(theirs)
    result = build_into(project, theirs)
    assert result.returncode == 1
    assert (f"{theirs}: is not empty and is not a site perfsite built, so it is left alone (expected an empty folder, "
            f"a new name, or a folder an earlier build made, which holds {SITE_MARKER})") in result.stderr
    assert tree_digest(theirs) == before


def test_a_built_site_is_marked_and_rebuilt_in_place_as_is_an_empty_folder(project):
    out = project / "public"
    out.mkdir()
    assert build_into(project, out).returncode == 0
    assert (out / SITE_MARKER).is_file()
    (out / "stale.html").write_text("old", encoding="utf-8")
    assert build_into(project, out).returncode == 0
    assert (out / "alpha" / "index.html").is_file() and not (out / "stale.html").exists()


def test_an_output_path_that_is_a_file_is_refused(project):
    (project / "site").write_text("not a folder", encoding="utf-8")
    result = build_into(project, project / "site")
    assert result.returncode == 1
    assert f"{project / 'site'}: is not a folder" in result.stderr
    assert (project / "site").read_text(encoding="utf-8") == "not a folder"


def test_a_read_only_output_parent_is_a_message(project, monkeypatch):
    def mkdtemp(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("generator.build.tempfile.mkdtemp", mkdtemp)
    monkeypatch.chdir(project)
    with pytest.raises(BuildFailed) as raised:
        build_site(project / "mkdocs.yml", out_dir=project / "out" / "site")
    assert str(raised.value) == (f"{project / 'out'}: cannot make the site's folder there (Permission denied) "
                                 "(expected a folder perfsite may write in)")
    assert not (project / "out" / "site").exists()


def test_folders_a_killed_build_left_are_removed_and_a_running_builds_kept(project):
    abandoned = project / ".site-building-killed"
    write_files(abandoned, {"index.html": "half a site"})
    running = project / ".site-building-running"
    running.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from generator.locks import hold_folder; hold_folder(sys.argv[2]); print('held', flush=True); time.sleep(60)"),
        str(REPO), str(running)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        result = build_into(project, project / "site")
        assert result.returncode == 0, result.stderr
        assert not abandoned.exists()
        assert running.is_dir()
    finally:
        holder.kill()
        holder.wait()


# Two builds at once

def hold_docs_lock(project: Path) -> subprocess.Popen:
    """Another process holding the build lock on the project's docs folder, as a running build does."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
        "from generator.locks import FolderLock; FolderLock.on(Path(sys.argv[2])).acquire(1);"
        "print('held', flush=True); sys.stdin.read()"),
        str(REPO), str(project / "site_src")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_second_build_waits_for_the_first_and_then_builds(project):
    holder = hold_docs_lock(project)
    started = time.monotonic()
    threading.Timer(2.0, holder.stdin.close).start()  # the first build ends two seconds on
    try:
        result = build_into(project, project / "site", env={"PERFSITE_LOCK_WAIT": "120"})
    finally:
        holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert f"perfsite: waiting for another build that is using {project / 'site_src'} to end" in result.stderr
    assert time.monotonic() - started >= 2.0
    assert (project / "site" / "alpha" / "index.html").is_file()


def test_a_second_build_gives_up_with_a_message_when_the_first_does_not_end(project):
    holder = hold_docs_lock(project)
    try:
        result = build_into(project, project / "site", env={"PERFSITE_LOCK_WAIT": "1"})
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.returncode == 1
    assert (f"{project / 'site_src'}: another build has been using this folder for 1 s; it may have stopped "
            "responding (expected one build of a project at a time)") in result.stderr
    assert not (project / "site").exists()


def test_the_lock_is_taken_again_by_the_process_holding_it(tmp_path):
    lock = FolderLock.on(tmp_path)
    lock.acquire(0)
    try:
        FolderLock.on(tmp_path).acquire(0)  # perfsite build holds it and its plugin asks again
        FolderLock.on(tmp_path).release()
    finally:
        lock.release()


# Formulas in downloads

FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


def test_formulas_in_names_and_sources_are_neutralised_in_every_csv(tmp_path):
    data = tmp_path / "data"
    write_council(data, "alpha", {
        "name": FORMULA_NAME, "code": "E07000901", "type": "district",
        "years": {"2023-24": {"investigations": 8, "upheld": 5, "source": ["@SUM(1+1)*cmd|' /C calc'!A0", "+44 1234"]}},
    })
    make_project(tmp_path, {"map": False})
    result = build_into(tmp_path, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    csv_files = [out / "alpha" / "data.csv", out / "years" / "2023-24" / "councils.csv", *out.glob("downloads/*.csv")]
    assert len(csv_files) == 3
    with zipfile.ZipFile(next(out.glob("downloads/*.zip"))) as archive:
        zipped = [archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".csv")]
    for text in [path.read_text(encoding="utf-8") for path in csv_files] + zipped:
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert row["name"] == "'" + FORMULA_NAME
        assert row["sources"] == "'@SUM(1+1)*cmd|' /C calc'!A0 ; +44 1234"
        assert (row["upheld_rate"], row["upheld_rate_exact"]) == ("63", "62.5")  # 5 of 8; numbers stay numbers
    # the JSON keeps the name as written: it is data, not a spreadsheet
    document = json.loads((out / "alpha" / "data.json").read_text(encoding="utf-8"))
    assert document["councils"][0]["name"] == FORMULA_NAME


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+44 1234", "'+44 1234"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-1.5", "-1.5"), ("-3", "-3"), ("a=b", "a=b"), (12, 12), (None, None),
])
def test_spreadsheet_safe_prefixes_only_what_a_spreadsheet_would_run(cell, written):
    assert spreadsheet_safe(cell) == written


# perfsite import

@pytest.fixture
def two_councils(tmp_path) -> Path:
    data = tmp_path / "data"
    write_council(data, "alpha", {"name": "Alpha District Council", "code": "E07000901", "type": "district",
                                  "years": {"2023-24": {"investigations": 8, "upheld": 5}}})
    write_council(data, "beta", {"name": "Beta Borough Council", "code": "E07000902", "type": "district",
                                 "years": {"2023-24": {"investigations": 4, "upheld": 3}}})
    return data


def import_release(data: Path, release: Path, year: str = "2024-25") -> subprocess.CompletedProcess:
    return run_perfsite("import", str(release), "--year", year, "--data", str(data), cwd=data.parent)


def council_files(data: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((data / "councils").iterdir())}


def refused_release(data: Path, folder: Path, text: str) -> tuple[Path, str]:
    """Import a CSV release of ``text`` that must be refused with no council file changed; its path and stderr."""
    release = folder / "release.csv"
    release.write_text(text, encoding="utf-8")
    before = council_files(data)
    result = import_release(data, release)
    assert result.returncode == 1
    assert council_files(data) == before
    return release, result.stderr


@pytest.mark.parametrize(("cell", "shown"), [
    ("1,5", "'1,5'"), ("\u0661\u0662", "'\u0661\u0662'"), ("1_0", "'1_0'"), ("12,34,567", "'12,34,567'"), ("0x10", "'0x10'"),
])
def test_import_refuses_counts_not_written_in_plain_digits(two_councils, tmp_path, cell, shown):
    release, stderr = refused_release(two_councils, tmp_path, f'code,investigations,upheld\nE07000901,"{cell}",1\n')
    assert (f"{release}:2: investigations: {shown} is not a whole number, 0 or more, in digits (1234 or 1,234), "
            "or a blank cell") in stderr


def test_import_reads_digits_grouped_by_commas(two_councils, tmp_path):
    release = tmp_path / "release.csv"
    release.write_text('code,population,investigations,upheld\nE07000901,"103,900",12,10\n', encoding="utf-8")
    result = import_release(two_councils, release)
    assert result.returncode == 0, result.stderr
    assert "population: 103900\n" in (two_councils / "councils" / "alpha.yaml").read_text(encoding="utf-8")


def test_import_applies_the_loaders_bounds(two_councils, tmp_path):
    release = tmp_path / "release.csv"
    release.write_text("code,population,investigations\nE07000901,100000000,2\n", encoding="utf-8")
    result = import_release(two_councils, release)
    assert result.returncode == 1
    assert f"{release}:2: population: 100,000,000 is too large (expected at most 99,999,999)" in result.stderr
    result = import_release(two_councils, release, year="9999-00")
    assert result.returncode == 1
    assert ("--year: '9999-00' is outside the years the data can hold "
            "(expected a financial year from 2000-01 up to the one that starts next year)") in result.stderr


def test_import_refuses_a_row_whose_code_and_name_are_two_councils(two_councils, tmp_path):
    release, stderr = refused_release(two_councils, tmp_path, "code,council,investigations,upheld\nE07000901,Beta Borough Council,3,1\n")
    assert (f"{release}:2: the code E07000901 is Alpha District Council (alpha) but the name 'Beta Borough Council' "
            "is Beta Borough Council (beta) (expected the code and name of one council)") in stderr


def test_import_refuses_a_formula_with_no_saved_result(two_councils, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "investigations", "upheld"])
    sheet.append(["E07000901", "=2+1", 1])  # openpyxl saves formulas without a result, as some exporters do
    release = tmp_path / "release.xlsx"
    workbook.save(release)
    result = import_release(two_councils, release)
    assert result.returncode == 1
    assert (f"{release}:2: investigations: holds the formula '=2+1' with no saved result (expected a value: "
            "open and save the file in a spreadsheet program, or paste values)") in result.stderr


def rewrite_sheet(path: Path, change) -> None:
    """Rewrite the first worksheet's XML of an .xlsx file with ``change`` (bytes -> bytes)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = change(members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def test_import_reads_rows_past_a_stale_sheet_dimension(two_councils, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["code", "investigations", "upheld"], ["E07000901", 6, 2], ["E07000902", 5, 4]):
        sheet.append(row)
    release = tmp_path / "release.xlsx"
    workbook.save(release)
    rewrite_sheet(release, lambda xml: xml.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:C2"/>'))
    result = import_release(two_councils, release)
    assert result.returncode == 0, result.stderr
    assert "investigations: 5\n" in (two_councils / "councils" / "beta.yaml").read_text(encoding="utf-8")


def test_import_reports_malformed_sheet_xml(two_councils, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "investigations"])
    release = tmp_path / "release.xlsx"
    workbook.save(release)
    rewrite_sheet(release, lambda xml: xml[: len(xml) // 2])
    result = import_release(two_councils, release)
    assert result.returncode == 1
    assert f"{release}: cannot be read as a spreadsheet (" in result.stderr
    assert "(expected an .xlsx workbook)" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_reports_a_200_kb_csv_cell(two_councils, tmp_path):
    release = tmp_path / "release.csv"
    release.write_text('code,council\nE07000901,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    result = import_release(two_councils, release)
    assert result.returncode == 1
    assert (f"{release}: cannot be read as CSV (field larger than field limit (131072)) "
            "(expected a CSV file of one row per council)") in result.stderr


def test_import_refuses_a_fifo_without_waiting(two_councils, tmp_path):
    release = tmp_path / "release.csv"
    os.mkfifo(release)
    result = import_release(two_councils, release)
    assert result.returncode == 1
    assert f"{release}: is a FIFO (named pipe) (expected a regular file)" in result.stderr


def test_import_report_shows_terminal_escapes_as_text(two_councils, tmp_path):
    release = tmp_path / "release.csv"
    release.write_text("council,investigations\n\x1b[2J\x1b[31mEvil Council,2\n", encoding="utf-8")
    result = import_release(two_councils, release)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "row 2: '\\x1b[2J\\x1b[31mEvil Council': no council has this name" in result.stdout
