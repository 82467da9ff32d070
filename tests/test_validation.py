"""Bad data stops ``perfsite validate`` and ``perfsite build`` with every problem named exactly.

The cases live in tests/data_errors.py; the README's "Data errors" table is checked against them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_perfsite, tree_digest, write_files
from data_errors import CASES, GOOD_FILES, BadInput


def write_case(root: Path, case: BadInput | None) -> Path:
    data = root / "data"
    write_files(data, GOOD_FILES)
    if case is not None:
        write_files(data, case.files)
    return data


def reported_problems(stderr: str) -> list[str]:
    """The problem lines perfsite printed, without their indentation."""
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


def test_the_good_data_is_valid(tmp_path):
    write_case(tmp_path, None)
    result = run_perfsite("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "data is valid: 2 councils, 2 council-years" in result.stdout


@pytest.mark.parametrize("case", CASES, ids=[case.bad_input for case in CASES])
def test_validate_names_file_line_field_and_expectation(tmp_path, case):
    write_case(tmp_path, case)
    result = run_perfsite("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1
    count = len(case.messages)
    assert f"{count} problem{'s' if count != 1 else ''} in the data:" in result.stderr
    assert reported_problems(result.stderr) == list(case.messages)


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A site built from the good data, to be left alone by every failed build."""
    root = tmp_path_factory.mktemp("previous")
    write_case(root, None)
    config = make_project(root)
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "site"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("case", [case for case in CASES if case.build_too], ids=lambda case: case.bad_input)
def test_build_stops_on_bad_data_and_writes_nothing(tmp_path, previous_site, case):
    root = tmp_path / "project"
    shutil.copytree(previous_site, root)
    write_files(root / "data", case.files)
    site_before, pages_before = tree_digest(root / "site"), tree_digest(root / "site_src")

    result = run_perfsite("build", "--config", str(root / "mkdocs.yml"), "--out", str(root / "site"), cwd=root)
    assert result.returncode == 1
    assert "the data has problems; nothing was built" in result.stderr
    assert reported_problems(result.stderr) == list(case.messages)
    assert tree_digest(root / "site") == site_before
    assert tree_digest(root / "site_src") == pages_before
    assert sorted(path.name for path in root.iterdir()) == ["data", "mkdocs.yml", "site", "site_src"]

    fresh = run_perfsite("build", "--config", str(root / "mkdocs.yml"), "--out", str(tmp_path / "new-site"), cwd=root)
    assert fresh.returncode == 1
    assert not (tmp_path / "new-site").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path):
    """Several problems in several files: one run of validate, and one of build, lists them all."""
    combined = [case for case in CASES if case.bad_input in (
        "upheld more than investigations", "a duplicate GSS code", "an unknown council type",
        "a published average that is not a number",
    )]
    files: dict[str, str | bytes | None] = {}
    expected: list[str] = []
    for case in combined:
        files.update(case.files)
        expected.extend(case.messages)
    # alpha.yaml carries two of the changes at once; with its type wrong alpha does not load,
    # yet beta's copy of its code is still found
    files["councils/alpha.yaml"] = GOOD_FILES["councils/alpha.yaml"].replace("upheld: 5", "upheld: 9").replace("type: district", "type: borough")
    data = write_case(tmp_path, None)
    write_files(data, files)
    config = make_project(tmp_path)
    for command in (["validate", "--data", "data"], ["build", "--config", str(config), "--out", str(tmp_path / "site")]):
        result = run_perfsite(*command, cwd=tmp_path)
        assert result.returncode == 1
        assert "4 problems in the data:" in result.stderr
        assert sorted(reported_problems(result.stderr)) == sorted(expected)
    assert not (tmp_path / "site").exists()


def test_a_letter_that_links_outside_letters_is_refused(tmp_path):
    data = write_case(tmp_path, None)
    (tmp_path / "secret.md").write_text("not for publication\n", encoding="utf-8")
    (data / "letters" / "2023-24" / "alpha.md").unlink()
    (data / "letters" / "2023-24" / "alpha.md").symlink_to(tmp_path / "secret.md")
    result = run_perfsite("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert reported_problems(result.stderr) == [
        "data/councils/alpha.yaml:13: years.2023-24.letter: '2023-24/alpha.md' points outside data/letters/ (expected a file inside it)"
    ]


def readme_data_errors_rows() -> list[tuple[str, str]]:
    """The rows of the table under the README's "Data errors" heading: (bad input, message)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Data errors\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")] if line.startswith("|") else []
        if len(cells) == 2 and not set(cells[1]) <= set("-: ") and cells[0] != "bad input":
            rows.append((cells[0], cells[1]))
    return rows


def readme_cell(messages: tuple[str, ...]) -> str:
    return "<br>".join(f"`{message}`" for message in messages)


def test_readme_table_lists_every_case_with_its_messages():
    expected = [(case.bad_input, readme_cell(case.messages)) for case in CASES]
    assert readme_data_errors_rows() == expected, (
        "README.md's Data errors table differs from tests/data_errors.py; the rows should be:\n"
        + "\n".join(f"| {bad_input} | {cell} |" for bad_input, cell in expected)
    )


def test_no_message_needs_escaping_in_the_readme_table():
    for case in CASES:
        for message in case.messages:
            assert "|" not in message and "`" not in message, message
            assert re.match(r"^data/[^:]+(:\d+)?: ", message), message


@pytest.mark.parametrize(("old", "new", "message"), [
    ("code: E07000901", "code: E0700090\u0661",
     "data/councils/alpha.yaml:2: code: 'E0700090\u0661' is not valid (expected a GSS code: a letter and 8 digits, e.g. E07000236)"),
    ("2023-24:", "\u0662\u0660\u0662\u0663-\u0662\u0664:",
     "data/councils/alpha.yaml:6: years.\u0662\u0660\u0662\u0663-\u0662\u0664: is not a financial year (expected 'YYYY-YY' with consecutive years, e.g. 2023-24)"),
    ("code: E07000901", 'code: "E07000901\\n"',
     "data/councils/alpha.yaml:2: code: 'E07000901\\n' holds U+000A, a character that is not shown as written "
     "(expected visible text, without control or bidirectional characters)"),
])
def test_patterns_take_ascii_digits_and_no_trailing_line_break(tmp_path, old, new, message):
    """Python's \\d and $ would accept other scripts' digits and a final line break; the loader does not."""
    write_case(tmp_path, BadInput("", {"councils/alpha.yaml": GOOD_FILES["councils/alpha.yaml"].replace(old, new)}, ()))
    result = run_perfsite("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
