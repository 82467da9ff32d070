"""``perfsite import``: write a year's figures from a release spreadsheet into the councils' YAML files.

The spreadsheet (CSV or XLSX) has one row per council, found by its GSS code or by its name. Each
matched council's file is edited with ruamel.yaml's round trip, so its other years, comments, key
order and quoting stay byte for byte as they were; only the imported year's values change.

Nothing is written until everything has been checked: every cell, every match, and the whole data
folder as it would be after the import (run through the loader in memory). The new files are then
written beside the old ones and moved into place only once all of them have been written.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .breakdowns import BREAKDOWN_KINDS
from .loader import PART_OF, YEAR_KEYS, DataError, count_problem, financial_year_problem, load_dataset
from .model import Council, Dataset
from .safefiles import UnsafeFile, printable, read_limited

# The columns understood, by field; headers are compared in lowercase with punctuation as spaces,
# so "GSS_code", "GSS code" and "gss-code" are the same column.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "gss code", "ons code", "la code", "local authority code", "authority code", "council code"),
    "name": ("council", "name", "council name", "authority", "authority name", "local authority", "organisation"),
    "investigations": ("investigations", "detailed investigations", "detailed investigations completed",
                       "number of detailed investigations", "investigations completed"),
    "upheld": ("upheld", "upheld decisions", "complaints upheld", "number upheld", "investigations upheld",
               "detailed investigations upheld"),
    "compliance_outcomes": ("compliance outcomes", "compliance outcomes recorded", "recommendations with compliance outcomes"),
    "complied": ("complied", "complied with", "recommendations complied with", "compliance outcomes complied"),
    "satisfactory_remedies": ("satisfactory remedies", "satisfactory remedy", "satisfactory remedy provided by the council",
                              "satisfactory remedy provided by the authority", "remedied by the council"),
    "population": ("population", "residents"),
    "source": ("source", "source url", "url"),
    "letter_date": ("letter date", "annual review letter date"),
}
COUNT_COLUMNS = ("population", "investigations", "upheld", "compliance_outcomes", "complied", "satisfactory_remedies")
FIGURE_COLUMNS = (*COUNT_COLUMNS, "source", "letter_date")
BLANK_CELLS = frozenset({"", "-", "–", "—", "n/a", "na", "n.a.", "not available"})
HEADER_SEARCH_ROWS = 20
MAX_RELEASE_BYTES = 64 * 1024 * 1024
MAX_RELEASE_ROWS = 100_000
MAX_RELEASE_COLUMNS = 1_000
# Digits only, or digits grouped in threes by commas ("1,234"); ASCII digits only, so neither
# "1,5" nor "1_0" nor another script's digits is read as a number.
PLAIN_COUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")


class ReleaseError(Exception):
    """The release cannot be imported; ``problems`` lists every reason, and nothing was written."""

    def __init__(self, problems: list[str]):
        problems = ["\n".join(printable(line) for line in problem.split("\n")) for problem in problems]
        self.problems = problems
        super().__init__("\n".join(f"  {problem}" for problem in problems))


def header_key(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").casefold()).strip()


def name_key(text: str) -> str:
    """A council's name or slug compared without case, punctuation, '&' versus 'and', or a leading 'the'."""
    text = text.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


COLUMN_BY_HEADER = {header_key(name): key for key, names in COLUMNS.items() for name in names}

# The breakdowns' columns, as "received.<area>" and "decided.<outcome>". decided.upheld is the
# `upheld` column: the ombudsman's upheld decisions are the upheld investigations.
BREAKDOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "received.adult_care": ("adult care services", "adult care", "adult social care"),
    "received.benefits_and_tax": ("benefits and tax", "benefits & tax"),
    "received.corporate_and_other": ("corporate and other services", "corporate and other", "corporate & other services"),
    "received.education_and_childrens": ("education and children's services", "education and childrens services",
                                         "education & children's services", "education and children's", "education and children"),
    "received.environment_and_regulation": ("environmental services, public protection and regulation",
                                            "environmental services & public protection & regulation",
                                            "environment and regulation", "environmental services"),
    "received.highways_and_transport": ("highways and transport", "highways & transport"),
    "received.housing": ("housing",),
    "received.planning_and_development": ("planning and development", "planning & development"),
    "received.other": ("other", "other services"),
    "decided.invalid_or_incomplete": ("invalid or incomplete", "invalid/incomplete", "incomplete or invalid"),
    "decided.advice_given": ("advice given",),
    "decided.referred_back": ("referred back for local resolution", "referred back", "referred back to the council"),
    "decided.closed_after_initial_enquiries": ("closed after initial enquiries", "closed after initial enquiry"),
    "decided.not_upheld": ("not upheld", "investigations not upheld", "decisions not upheld"),
}
COLUMN_BY_HEADER.update({header_key(name): key for key, names in BREAKDOWN_COLUMNS.items() for name in names})


@dataclass
class Row:
    number: int
    code: str | None
    name: str | None
    figures: dict[str, Any]

    @property
    def shown(self) -> str:
        return self.name or self.code or "(no name)"


@dataclass
class Release:
    """The rows of a release spreadsheet, with which column became which field."""

    path: Path
    rows: list[Row]
    columns: dict[str, str]
    ignored: list[str]


class TooLarge(ValueError):
    """The spreadsheet has more rows or columns than a release can."""


@dataclass(frozen=True)
class UncomputedFormula:
    """An .xlsx cell holding a formula whose result was never saved (the file was written by a
    program that does not calculate): its value is unknown, not blank."""

    formula: str


def _bounded(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    cells: list[list[Any]] = []
    for row in rows:
        if len(cells) == MAX_RELEASE_ROWS:
            raise TooLarge(f"has more than {MAX_RELEASE_ROWS:,} rows (expected one row per council)")
        cells.append(list(row))
        if len(cells[-1]) > MAX_RELEASE_COLUMNS:
            raise TooLarge(f"row {len(cells)} has more than {MAX_RELEASE_COLUMNS:,} columns (expected a column per figure)")
    return cells


def _cells_from_csv(content: bytes) -> list[list[Any]]:
    return _bounded(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _sheet_rows(values: Any, formulas: Any) -> list[list[Any]]:
    """A sheet's cells by their saved values, with :class:`UncomputedFormula` where a formula has none.

    The sheet's recorded size is ignored (``reset_dimensions``): a stale ``<dimension>`` would
    otherwise drop the rows past it.
    """
    values.reset_dimensions()
    formulas.reset_dimensions()
    rows = _bounded(values.iter_rows(values_only=True))
    for index, row in enumerate(formulas.iter_rows(values_only=True)):
        if index >= len(rows):
            break
        for position, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("=") and position < len(rows[index]) and rows[index][position] is None:
                rows[index][position] = UncomputedFormula(cell)
    return rows


def _cells_from_xlsx(content: bytes) -> list[list[Any]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheets = list(zip(workbook.worksheets, formulas.worksheets))
        for values, formula_sheet in sheets:
            rows = _sheet_rows(values, formula_sheet)
            if _find_header(rows) is not None:
                return rows
        return _sheet_rows(*sheets[0]) if sheets else []
    finally:
        workbook.close()
        formulas.close()


def _find_header(rows: list[list[Any]]) -> int | None:
    """The index of the first row naming a council column and at least one figure column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {COLUMN_BY_HEADER.get(header_key(cell)) for cell in row}
        if keys & {"code", "name"} and keys & {*FIGURE_COLUMNS, *BREAKDOWN_COLUMNS}:
            return index
    return None


class OutOfBounds(ValueError):
    """A count written well but too large (or too small) to be one; the message says which."""


def _count(value: Any, minimum: int) -> int:
    """A cell as a count: a whole number, or text of ASCII digits perhaps grouped by commas.
    Raises :class:`OutOfBounds` for a number outside the loader's bounds, ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not PLAIN_COUNT.fullmatch(text):
            raise ValueError
        value = int(text.replace(",", ""))
    if not isinstance(value, int):
        raise ValueError
    problem = count_problem(value, minimum)
    if problem is not None:
        raise OutOfBounds(problem)
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in BLANK_CELLS)


def breakdown_header_problems(headers: dict[str, str], where: str) -> list[str]:
    """A breakdown's columns come all together or not at all (decided also needs `upheld`)."""
    problems = []
    for kind in BREAKDOWN_KINDS:
        own = [f"{kind.field}.{key}" for key in kind.keys if not (kind.field == "decided" and key == "upheld")]
        if not any(column in headers for column in own):
            continue
        missing = [column for column in [*own, *(["upheld"] if kind.field == "decided" else [])] if column not in headers]
        if missing:
            problems.append(f"{where}: the {kind.title.lower()} have no column for {', '.join(missing)} "
                            f"(expected a column for each, or none; see README.md for the names understood)")
    return problems


def breakdown_figures(raw: dict[str, Any], headers: dict[str, str], where: str, problems: list[str]) -> dict[str, dict[str, int]]:
    """A row's breakdowns, ``received`` and ``decided``, each a count for every key; a breakdown
    whose cells are all blank is left out."""
    figures = {}
    for kind in BREAKDOWN_KINDS:
        columns = {key: "upheld" if (kind.field, key) == ("decided", "upheld") else f"{kind.field}.{key}" for key in kind.keys}
        if not all(column in headers for column in columns.values()):
            continue
        own = [column for column in columns.values() if column != "upheld"]
        if all(_is_blank(raw.get(column)) for column in own):
            continue
        counts = {}
        for key, column in columns.items():
            value = raw.get(column)
            expected = f"(expected a count in every column of the {kind.title.lower()}, or all of them blank)"
            if _is_blank(value):
                problems.append(f"{where}: {headers[column]}: is blank {expected}")
                continue
            try:
                counts[key] = _count(value, 0)
            except ValueError:
                problems.append(f"{where}: {headers[column]}: {value!r} is not a whole number, 0 or more {expected}")
        if len(counts) == len(columns):
            figures[kind.field] = counts
    return figures


def read_release(path: Path | str) -> Release:
    """Read a release spreadsheet; raise :class:`ReleaseError` naming every cell that is wrong."""
    path = Path(path)
    shown = str(path)
    if not os.path.lexists(path):
        raise ReleaseError([f"{shown}: no such file (expected a .csv or .xlsx release spreadsheet)"])
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ReleaseError([f"{shown}: '{path.suffix}' files are not read (expected a .csv or .xlsx file)"])
    try:
        content = read_limited(path, MAX_RELEASE_BYTES)
    except UnsafeFile as error:
        raise ReleaseError([f"{shown}: {error}"]) from None
    except OSError as error:
        raise ReleaseError([f"{shown}: cannot be read ({error.strerror})"]) from None
    try:
        cells = _cells_from_csv(content) if suffix == ".csv" else _cells_from_xlsx(content)
    except UnicodeDecodeError:
        raise ReleaseError([f"{shown}: is not UTF-8 text (expected a CSV file saved as UTF-8)"]) from None
    except TooLarge as error:
        raise ReleaseError([f"{shown}: {error}"]) from None
    except csv.Error as error:
        raise ReleaseError([f"{shown}: cannot be read as CSV ({error}) (expected a CSV file of one row per council)"]) from None
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook: zip, XML, values
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ReleaseError([f"{shown}: cannot be read as a spreadsheet ({what}) (expected an .xlsx workbook)"]) from None
    header_index = _find_header(cells)
    if header_index is None:
        raise ReleaseError([
            f"{shown}: no header row in the first {HEADER_SEARCH_ROWS} rows (expected a row with a 'code' or "
            "'council' column and figure columns such as 'investigations' and 'upheld'; see README.md for every name understood)"
        ])
    problems: list[str] = []
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored = []
    for position, cell in enumerate(cells[header_index]):
        key = COLUMN_BY_HEADER.get(header_key(cell))
        if key is None:
            if not _is_blank(cell):
                ignored.append(str(cell))
            continue
        if key in headers:
            problems.append(f"{shown}:{header_index + 1}: columns '{headers[key]}' and '{cell}' both give {key} (expected one column for each)")
            continue
        columns[position] = key
        headers[key] = str(cell)
    problems += breakdown_header_problems(headers, f"{shown}:{header_index + 1}")
    rows = []
    for index in range(header_index + 1, len(cells)):
        number = index + 1
        raw = {key: cells[index][position] if position < len(cells[index]) else None for position, key in columns.items()}
        if all(_is_blank(value) for value in raw.values()):
            continue
        figures: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, UncomputedFormula):
                problems.append(f"{shown}:{number}: {headers[key]}: holds the formula {value.formula!r} with no saved "
                                "result (expected a value: open and save the file in a spreadsheet program, or paste values)")
        raw = {key: None if isinstance(value, UncomputedFormula) else value for key, value in raw.items()}
        for key in FIGURE_COLUMNS:
            value = raw.get(key)
            if _is_blank(value):
                continue
            column = headers[key]
            try:
                if key in COUNT_COLUMNS:
                    figures[key] = _count(value, 1 if key == "population" else 0)
                elif key == "letter_date":
                    figures[key] = _date(value)
                else:
                    figures[key] = str(value).strip()
            except OutOfBounds as error:
                problems.append(f"{shown}:{number}: {column}: {error}")
            except ValueError:
                expected = "a date written YYYY-MM-DD" if key == "letter_date" else \
                    f"a whole number, {1 if key == 'population' else 0} or more, in digits (1234 or 1,234), or a blank cell"
                problems.append(f"{shown}:{number}: {column}: {value!r} is not {expected}")
        figures.update(breakdown_figures(raw, headers, f"{shown}:{number}", problems))
        for part, whole in PART_OF:
            if part in figures and whole in figures and figures[part] > figures[whole]:
                problems.append(f"{shown}:{number}: {headers[part]}: {figures[part]} is more than {headers[whole]} ({figures[whole]}) (expected at most {figures[whole]})")
        code = None if _is_blank(raw.get("code")) else str(raw["code"]).strip().upper()
        name = None if _is_blank(raw.get("name")) else str(raw["name"]).strip()
        rows.append(Row(number, code, name, figures))
    if problems:
        raise ReleaseError(problems)
    return Release(path, rows, {header: key for key, header in headers.items()}, ignored)


@dataclass
class Match:
    row: Row
    council: Council


@dataclass
class Unmatched:
    row: Row
    reason: str
    closest: list[Council]


def _councils_by_name(dataset: Dataset) -> dict[str, list[Council]]:
    """Councils by :func:`name_key` of their name, slug and aliases."""
    by_name: dict[str, list[Council]] = {}
    for council in dataset.councils:
        for text in {name_key(council.name), name_key(council.slug), *(name_key(alias) for alias in council.aliases)}:
            by_name.setdefault(text, []).append(council)
    return by_name


def match_rows(release: Release, dataset: Dataset) -> tuple[list[Match], list[Unmatched]]:
    """Each row's council: by GSS code where the row has one, else by name (its name, slug or an alias)."""
    by_code = {council.code: council for council in dataset.councils}
    by_name = _councils_by_name(dataset)
    matched, unmatched = [], []
    for row in release.rows:
        key = name_key(row.name) if row.name else ""
        if row.code:
            if row.code in by_code:
                matched.append(Match(row, by_code[row.code]))
                continue
            reason = f"no council has the code {row.code}"
        elif not key:
            unmatched.append(Unmatched(row, "the row has neither a code nor a name", []))
            continue
        else:
            candidates = by_name.get(key, [])
            if len(candidates) == 1:
                matched.append(Match(row, candidates[0]))
                continue
            reason = "the name fits more than one council" if candidates else "no council has this name"
        close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6) if key else []
        closest = {council.slug: council for text in close for council in by_name[text]}
        unmatched.append(Unmatched(row, reason, list(closest.values())[:3]))
    return matched, unmatched


def conflicting_rows(release: Release, matched: list[Match], dataset: Dataset) -> list[str]:
    """Rows found by their code whose name is that of another council: the row is wrong, and
    which of the two it is about cannot be told."""
    by_name = _councils_by_name(dataset)
    problems = []
    for found in matched:
        if not found.row.code or not found.row.name:
            continue
        named = by_name.get(name_key(found.row.name), [])
        if named and found.council not in named:
            other = named[0]
            problems.append(
                f"{release.path}:{found.row.number}: the code {found.row.code} is {found.council.name} ({found.council.slug}) "
                f"but the name '{found.row.name}' is {other.name} ({other.slug}) (expected the code and name of one council)")
    return problems


@dataclass
class CouncilChange:
    council: Council
    row: Row
    status: str  # "added", "changed" or "unchanged"
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    new_text: str | None = None


@dataclass
class ImportReport:
    release: Release
    year: str
    changes: list[CouncilChange]
    unmatched: list[Unmatched]
    written: bool = False

    def with_status(self, status: str) -> list[CouncilChange]:
        return [change for change in self.changes if change.status == status]

    @property
    def files_to_write(self) -> list[CouncilChange]:
        return [change for change in self.changes if change.new_text is not None]


def _yaml_for(text: str) -> YAML:
    """A round-trip YAML that writes mappings and lists indented the way this file already is."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, offset = 2, 0
    lines = text.splitlines()
    for previous, line in zip(lines, lines[1:]):
        parent = re.match(r"^( *)[^\s#-][^:]*:\s*(?:#.*)?$", previous)
        if not parent:
            continue
        child = re.match(r"^( *)(- )?\S", line)
        if child and len(child.group(1)) > len(parent.group(1)):
            if child.group(2):
                offset = len(child.group(1)) - len(parent.group(1))
            else:
                mapping = len(child.group(1)) - len(parent.group(1))
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def _as_yaml_value(key: str, value: Any) -> Any:
    if key == "source" and " ; " in value:
        return CommentedSeq(part.strip() for part in value.split(" ; ") if part.strip())
    return value


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _insert_position(mapping: CommentedMap, key: str, order: Iterable[str]) -> int:
    """Where ``key`` goes among the mapping's keys, keeping them in ``order`` (others stay where they are)."""
    order = list(order)
    later = set(order[order.index(key) + 1:]) if key in order else set()
    for position, existing in enumerate(mapping):
        if existing in later:
            return position
    return len(mapping)


def _has_figures(year_map: Any) -> bool:
    return isinstance(year_map, dict) and any(year_map.get(name) is not None for name in COUNT_COLUMNS if name != "population")


def apply_row(council: Council, year: str, row: Row) -> CouncilChange:
    """The council's file with the row's figures written into ``year``; its text only when it changes."""
    path = council.source_file
    assert path is not None
    text = path.read_text(encoding="utf-8")
    yaml = _yaml_for(text)
    document = yaml.load(text)
    years = document["years"]
    had_figures = year in years and _has_figures(years[year])
    if year not in years or years[year] is None:
        if year not in years:
            years.insert(_insert_position(years, year, sorted({*years, year})), year, CommentedMap())
        else:
            years[year] = CommentedMap()
    year_map = years[year]
    changes = []
    for key in FIGURE_COLUMNS:
        if key not in row.figures:
            continue
        value = _as_yaml_value(key, row.figures[key])
        before = year_map.get(key)
        if key in year_map and _plain(before) == _plain(value):
            continue
        changes.append((key, _plain(before) if key in year_map else None, _plain(value)))
        if key in year_map:
            year_map[key] = value
        else:
            year_map.insert(_insert_position(year_map, key, YEAR_KEYS), key, value)
    changes += apply_breakdowns(year_map, row)
    if not changes:
        return CouncilChange(council, row, "unchanged")
    if year_map.fa.flow_style():
        year_map.fa.set_block_style()
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    status = "changed" if had_figures or not _has_figures(year_map) else "added"
    return CouncilChange(council, row, status, changes, buffer.getvalue())


def apply_breakdowns(year_map: CommentedMap, row: Row) -> list[tuple[str, Any, Any]]:
    """Write the row's breakdowns into the year, each as one flow mapping; the changes made."""
    changes = []
    for kind in BREAKDOWN_KINDS:
        counts = row.figures.get(kind.field)
        if counts is None:
            continue
        before = year_map.get(kind.field)
        if isinstance(before, dict) and dict(before) == counts:
            continue
        value = CommentedMap(counts)
        value.fa.set_flow_style()
        changes.append((kind.field, dict(before) if isinstance(before, dict) else None, dict(counts)))
        if kind.field in year_map:
            year_map[kind.field] = value
        else:
            year_map.insert(_insert_position(year_map, kind.field, YEAR_KEYS), kind.field, value)
    return changes


def import_release(release_file: Path | str, year: str, data_dir: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one year's figures; raise :class:`ReleaseError` (nothing written) if anything is wrong."""
    year_problem = financial_year_problem(year)
    if year_problem is not None:
        raise ReleaseError([f"--year: '{year}' {year_problem}"])
    data_dir = Path(data_dir)
    release = read_release(release_file)
    try:
        dataset = load_dataset(data_dir)
    except DataError as error:
        raise ReleaseError([f"the data folder has problems before the import:\n{error}"]) from None
    matched, unmatched = match_rows(release, dataset)
    problems = []
    first_row: dict[str, Row] = {}
    for found in matched:
        slug = found.council.slug
        if slug in first_row:
            problems.append(f"{release.path}:{found.row.number}: '{found.row.shown}' is {found.council.name} ({slug}) again (row {first_row[slug].number} is too; expected one row for each council)")
        else:
            first_row[slug] = found.row
    problems.extend(conflicting_rows(release, matched, dataset))
    if problems:
        raise ReleaseError(problems)
    changes = [apply_row(found.council, year, found.row) for found in matched]
    report = ImportReport(release, year, changes, unmatched)
    replacements = {change.council.source_file: change.new_text.encode("utf-8") for change in report.files_to_write}
    try:
        load_dataset(data_dir, replacements)
    except DataError as error:
        raise ReleaseError([f"the data would have problems after the import, so nothing was written:\n{error}"]) from None
    if not dry_run:
        _write_all(replacements)
        report.written = True
    return report


def _write_all(contents: dict[Path, bytes]) -> None:
    """Write every file beside its old self first; move them all into place only once all are written."""
    temporary: dict[Path, Path] = {}
    try:
        for path, content in contents.items():
            staged = path.with_name(f".{path.name}.import")
            staged.write_bytes(content)
            temporary[path] = staged
    except OSError as error:
        for staged in temporary.values():
            staged.unlink(missing_ok=True)
        raise ReleaseError([f"{error.filename}: cannot be written ({error.strerror}); nothing was changed"]) from None
    for path, staged in temporary.items():
        os.replace(staged, path)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} {count}" for key, count in value.items()) + "}"
    if isinstance(value, list):
        return " ; ".join(str(item) for item in value)
    return str(value)


def report_text(report: ImportReport, dry_run: bool) -> str:
    release = report.release
    lines = [f"perfsite import: {release.path}, {report.year}: {len(release.rows)} rows"]
    lines.append("  columns: " + ", ".join(f"'{header}' -> {key}" for header, key in release.columns.items()))
    if release.ignored:
        lines.append("  ignored columns: " + ", ".join(f"'{header}'" for header in release.ignored))
    for status in ("added", "changed", "unchanged"):
        found = report.with_status(status)
        lines.append(f"{status} ({len(found)}):")
        for change in found:
            detail = ""
            if status == "added":
                detail = ": " + ", ".join(f"{key} {_value_text(after)}" for key, _, after in change.changes)
            elif status == "changed":
                detail = ": " + ", ".join(
                    f"{key} {_value_text(before) if before is not None else '(none)'} -> {_value_text(after)}"
                    for key, before, after in change.changes
                )
            lines.append(f"  {change.council.name} ({change.council.slug}){detail}")
    lines.append(f"not matched ({len(report.unmatched)}):")
    for missing in report.unmatched:
        closest = "; closest: " + ", ".join(f"{council.name} ({council.slug}, {council.code})" for council in missing.closest) if missing.closest else ""
        lines.append(f"  row {missing.row.number}: '{missing.row.shown}': {missing.reason}{closest}")
    count = len(report.files_to_write)
    if dry_run:
        lines.append(f"dry run: {count} council file{'s' if count != 1 else ''} would change; nothing was written")
    else:
        lines.append(f"wrote {count} council file{'s' if count != 1 else ''}")
    return "\n".join(printable(line) for line in lines) + "\n"
