"""Read and validate a data folder: every problem is collected, each with file, line and field.

The YAML is composed into nodes first so that every message can point at the line it is about;
only once a whole folder is free of problems does it become a :class:`~generator.model.Dataset`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .breakdowns import BREAKDOWN_KINDS
from .metrics import STATISTICS
from .model import COUNCIL_TYPES, Council, CouncilYear, Dataset, Decision, PublicReport, Source
from .safefiles import UnsafeFile, hidden_character, letter_structure_problem, looks_blank, outside, printable, read_limited

# libyaml's parser, about ten times faster, where PyYAML was built with it; its nodes carry the
# same line marks.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 1_048_576
# The bounds every figure is held to, by validate, build and import alike.
FIRST_YEAR = 2000  # the first financial year's first calendar year (2000-01)
MAX_POPULATION = 99_999_999  # below 100 million
MAX_COUNT = MAX_POPULATION  # no count can exceed the number of residents a council could have
MAX_RATE_PER_100K = 100_000
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# A council file is at most a few levels deep; aliases may repeat only so many values.
MAX_DEPTH = 32
MAX_ALIAS_EXPANSION = 100_000
PLAIN_WHOLE_NUMBER = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")
PLAIN_DECIMAL = re.compile(r"\A(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
SLUG_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
GSS_CODE_PATTERN = re.compile(r"\A[EJKLMNSW][0-9]{8}\Z")
SCHEME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]")
WEB_ADDRESS_PATTERN = re.compile(r"\Ahttps?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
YEAR_PATTERN = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
RESERVED_SLUGS = frozenset(
    {"assets", "code", "data", "types", "years", "map", "methodology", "about",
     "accessibility", "downloads", "search", "feed", "schema", "embed"}
)

COUNCIL_KEYS = ("name", "code", "type", "website", "created", "abolished", "replaced_by", "aliases", "years")
YEAR_KEYS = (
    "population", "investigations", "upheld", "compliance_outcomes", "complied",
    "satisfactory_remedies", "received", "decided", "letter", "letter_date", "letter_url", "source", "decisions",
    "public_reports", "service_improvements",
)
DECISION_KEYS = ("reference", "date", "outcome", "summary", "url")
PUBLIC_REPORT_KEYS = ("title", "date", "url")
PUBLISHED_STATISTICS = {statistic.published_key: statistic for statistic in STATISTICS}
AVERAGE_KEYS = tuple(PUBLISHED_STATISTICS)

# A count can never exceed the count it is a part of.
PART_OF = (("upheld", "investigations"), ("complied", "compliance_outcomes"), ("satisfactory_remedies", "upheld"))


@dataclass(frozen=True, order=True)
class DataProblem:
    """One thing wrong with the data, worded for the person who has to fix the file."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{location}: {self.field}: {self.message}" if self.field else f"{location}: {self.message}"
        return printable(text)  # a message quotes the file, which may hold terminal escape codes


class DataError(Exception):
    """The data folder has problems; ``problems`` lists every one found."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the data:"
        super().__init__("\n".join([heading, *(f"  {problem}" for problem in self.problems)]))


def last_financial_year() -> int:
    """The first calendar year of the latest financial year the data may hold: next year's."""
    return dt.date.today().year + 1


def financial_year_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a financial year ('2023-24'), worded for a message; None if nothing."""
    match = YEAR_PATTERN.match(text)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return "is not a financial year (expected 'YYYY-YY' with consecutive years, e.g. 2023-24)"
    first, last = FIRST_YEAR, last_financial_year()
    if not first <= int(match.group(1)) <= last:
        return (f"is outside the years the data can hold (expected a financial year from "
                f"{first}-{(first + 1) % 100:02d} up to the one that starts next year)")
    return None


def count_problem(value: int, minimum: int = 0) -> str | None:
    """What is wrong with a whole number as a count, worded for a message; None if nothing."""
    expected = f"(expected a whole number, {minimum} or more)"
    if value < minimum:
        return f"{value} is {'negative' if value < 0 else f'below {minimum}'} {expected}"
    if value > MAX_COUNT:
        shown = f"{value:,}" if value < 10**30 else f"a number of {len(str(value))} digits"
        return f"{shown} is too large (expected at most {MAX_COUNT:,})"
    return None


def _python_parser_error(text: str) -> yaml.MarkedYAMLError | None:
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        return error
    except RecursionError:
        return None
    return None


def _too_deep(expected: str) -> str:
    return f"nests more than {MAX_DEPTH} levels deep (expected {expected}, a few levels deep)"


def _structure_problem(root: Node, expected: str) -> str | None:
    """Whether the composed file nests too deeply or has aliases that repeat too much, which would
    make reading it recurse without end or take memory without bound (a "billion laughs" file).

    Worked out without recursion, each node once: an alias is the same node object again.
    """
    expanded: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if depth > MAX_DEPTH:
            return _too_deep(expected)
        if isinstance(node, ScalarNode):
            if id(node) not in expanded:
                distinct += 1
                expanded[id(node)] = 1
            continue
        children = [item for pair in node.value for item in pair] if isinstance(node, MappingNode) else node.value
        if children_done:
            expanded[id(node)] = 1 + sum(expanded[id(child)] for child in children)
            continue
        if id(node) in expanded:
            continue
        expanded[id(node)] = 0  # on the stack: a node that contains itself counts nothing more
        distinct += 1
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in expanded)
    repeated = expanded[id(root)] - distinct
    if repeated > MAX_ALIAS_EXPANSION:
        return (f"uses aliases (*name) that repeat more than {MAX_ALIAS_EXPANSION:,} values (expected fewer; "
                "write the values out instead)")
    return None


class _FileChecker:
    """Validation of one YAML file, recording problems against that file."""

    def __init__(self, path: Path, shown_path: str, problems: list[DataProblem], content: bytes | None = None,
                 root: Path | None = None, root_shown: str = "the data folder"):
        self.path = path
        self.shown_path = shown_path
        self.problems = problems
        self.content = content
        self.root = root  # the data folder: links may not lead out of it
        self.root_shown = root_shown
        self._constructor = SafeConstructor()

    def problem(self, node: Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append(DataProblem(self.shown_path, line, field, message))

    def compose(self, expected: str) -> Node | None:
        """The file's YAML as nodes; ``expected`` says what an empty file should have held."""
        try:
            raw = read_limited(self.path, MAX_FILE_BYTES, self.root, self.root_shown) if self.content is None else self.content
        except UnsafeFile as error:
            self.problem(None, "", str(error))
            return None
        except OSError as error:
            self.problem(None, "", f"cannot be read ({error.strerror}) (expected a file perfsite may read)")
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.problem(None, "", f"is {len(raw):,} bytes (expected at most {MAX_FILE_BYTES:,})")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problems.append(DataProblem(self.shown_path, line, "", "is not valid UTF-8 (expected a UTF-8 text file)"))
            return None
        try:
            node = yaml.compose(text, Loader=YAML_LOADER)
        except RecursionError:
            self.problem(None, "", _too_deep(expected))
            return None
        except yaml.MarkedYAMLError as error:
            if YAML_LOADER is not yaml.SafeLoader:
                error = _python_parser_error(text) or error  # its messages say what was found as well as what was expected
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 0
            detail = error.problem or str(error)
            if "maximum nesting depth" in detail:  # libyaml stops at 1,000 levels
                self.problem(None, "", _too_deep(expected))
                return None
            self.problems.append(DataProblem(self.shown_path, line, "", f"is not valid YAML ({detail})"))
            return None
        except yaml.YAMLError as error:
            self.problem(None, "", f"is not valid YAML ({error})")
            return None
        if node is None:
            self.problem(None, "", f"is empty (expected {expected})")
            return None
        problem = _structure_problem(node, expected)
        if problem is not None:
            self.problem(None, "", problem)
            return None
        return node

    def value(self, node: Node) -> Any:
        """The node's Python value; a scalar YAML cannot construct (such as 2024-13-01) stays text."""
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
            return node.value if isinstance(node, ScalarNode) else None

    def mapping(self, node: Node, field: str, allowed: tuple[str, ...], what: str) -> dict[str, Node] | None:
        """The entries of a mapping node by key, reporting duplicate, unknown and misspelt keys."""
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return {}
        if not isinstance(node, MappingNode):
            self.problem(node, field, f"must be a mapping of {what}")
            return None
        entries: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node) if isinstance(key_node, ScalarNode) else None
            key_text = str(key)
            shown = f"{field}.{key_text}" if field else key_text
            if not isinstance(key, str) or key not in allowed:
                guess = difflib.get_close_matches(key_text, allowed, n=1, cutoff=0.75)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                self.problem(key_node, shown, f"unknown key{hint} (expected one of: {', '.join(allowed)})")
                continue
            if key in entries:
                self.problem(key_node, shown, "appears twice (expected each key once)")
                continue
            entries[key] = value_node
        return entries

    def required(self, entries: dict[str, Node], parent: Node, field: str, keys: dict[str, str]) -> bool:
        """Report each of ``keys`` (key -> what it should hold) missing from ``entries``."""
        missing = [key for key in keys if key not in entries]
        for key in missing:
            self.problem(parent, f"{field}.{key}" if field else key, f"is missing (expected {keys[key]})")
        return not missing

    def string(self, node: Node, field: str, pattern: re.Pattern[str] | None = None, expected: str = "",
               long_text: bool = False) -> str | None:
        """Text; ``long_text`` (a summary) may hold line breaks and tabs."""
        expected = f"(expected {expected or 'non-empty text'})"
        value = self.value(node) if isinstance(node, ScalarNode) else None
        hidden = hidden_character(value, long_text) if isinstance(value, str) else None
        if not isinstance(node, ScalarNode):
            self.problem(node, field, f"is a {_kind(node)} {expected}")
        elif value is None or (isinstance(value, str) and not value.strip()):
            self.problem(node, field, f"is empty {expected}")
        elif not isinstance(value, str):
            self.problem(node, field, f"{node.value} is {_type_name(value)}, not text {expected}")
        elif hidden is not None:
            self.problem(node, field, f"'{_excerpt(value)}' holds {hidden}, a character that is not shown as written "
                                      "(expected visible text, without control or bidirectional characters)")
        elif looks_blank(value):
            self.problem(node, field, f"'{value}' shows as nothing {expected}")
        elif pattern is not None and not pattern.match(value):
            self.problem(node, field, f"'{value}' is not valid {expected}")
        else:
            return value
        return None

    def count(self, node: Node, field: str, minimum: int = 0) -> int | None:
        expected = f"(expected a whole number, {minimum} or more)"
        if not isinstance(node, ScalarNode):
            self.problem(node, field, f"is a {_kind(node)} {expected}")
            return None
        value = self.value(node)
        if value is None:
            self.problem(node, field, f"is empty (expected a whole number, {minimum} or more; leave the key out when the figure is not available)")
        elif isinstance(value, bool):
            self.problem(node, field, f"{node.value} is a yes/no value {expected}")
        elif isinstance(value, str):
            self.problem(node, field, f"'{value}' is text {expected}")
        elif not isinstance(value, int):
            self.problem(node, field, f"{node.value} is not a whole number {expected}")
        elif value >= 0 and not PLAIN_WHOLE_NUMBER.match(node.value):
            self.problem(node, field, f"{node.value} is not written as a plain whole number (expected digits only, with no "
                                      "leading zero, sign, underscore or colon: YAML reads 017 as 15 and 1:20 as 80)")
        elif (problem := count_problem(value, minimum)) is not None:
            self.problem(node, field, problem)
        else:
            return value
        return None

    def date(self, node: Node, field: str) -> dt.date | None:
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, dt.date):
            shown = f"is a {_kind(node)}" if not isinstance(node, ScalarNode) else "is empty" if not node.value else f"{_as_written(node, node.value)} is not a date"
            self.problem(node, field, f"{shown} (expected a date written YYYY-MM-DD)")
            return None
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            self.problem(node, field, f"{value} is not a likely date (expected a date from {EARLIEST_DATE} to {LATEST_DATE})")
            return None
        return value

    def url(self, node: Node, field: str) -> str | None:
        value = self.string(node, field, expected="a web address")
        if value is None:
            return None
        if not WEB_ADDRESS_PATTERN.match(value):
            self.problem(node, field, f"'{value}' is not a web address (expected one starting http:// or https://)")
            return None
        return value

    def https_url(self, node: Node, field: str) -> str | None:
        value = self.string(node, field, expected="a web address starting https://")
        if value is None:
            return None
        if not WEB_ADDRESS_PATTERN.match(value) or not value[:8].lower() == "https://":
            self.problem(node, field, f"'{value}' is not an https web address (expected one starting https://)")
            return None
        return value

    def sequence(self, node: Node, field: str, what: str) -> list[Node] | None:
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, field, f"must be a list of {what}")
            return None
        return list(node.value)

    def located_strings(self, node: Node, field: str, pattern: re.Pattern[str] | None = None, expected: str = "",
                        long_text: bool = False) -> list[tuple[str, int]]:
        """The valid strings of a list, each with its line."""
        items = self.sequence(node, field, expected or "text")
        values = []
        for index, item in enumerate(items or []):
            value = self.string(item, f"{field}[{index}]", pattern, expected, long_text)
            if value is not None:
                values.append((value, item.start_mark.line + 1))
        return values

    def string_list(self, node: Node, field: str, pattern: re.Pattern[str] | None = None, expected: str = "",
                    long_text: bool = False) -> list[str]:
        return [value for value, _ in self.located_strings(node, field, pattern, expected, long_text)]


def _kind(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "mapping" if isinstance(node, MappingNode) else "value"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return "another kind of value"


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _as_written(node: Node, value: Any) -> str:
    """A scalar as the file spells it, quoted when it is text."""
    if isinstance(value, str):
        return f"'{value}'"
    return node.value if isinstance(node, ScalarNode) else _kind(node)


def _check_year_key(checker: _FileChecker, key_node: Node) -> str | None:
    key = checker.value(key_node) if isinstance(key_node, ScalarNode) else None
    text = str(key) if isinstance(key_node, ScalarNode) else f"({_kind(key_node)})"
    problem = financial_year_problem(text) if isinstance(key, str) else financial_year_problem("")
    if problem is not None:
        checker.problem(key_node, f"years.{_excerpt(text)}", problem)
        return None
    return text


def _load_year(checker: _FileChecker, year: str, node: Node, letters_dir: Path) -> CouncilYear | None:
    field = f"years.{year}"
    entries = checker.mapping(node, field, YEAR_KEYS, "figures for the year")
    if entries is None:
        return None
    record = CouncilYear(year=year)
    for name in ("population", "investigations", "upheld", "compliance_outcomes", "complied", "satisfactory_remedies"):
        if name in entries:
            setattr(record, name, checker.count(entries[name], f"{field}.{name}", minimum=1 if name == "population" else 0))
    for part, whole in PART_OF:
        part_value, whole_value = getattr(record, part), getattr(record, whole)
        if part_value is not None and whole_value is not None and part_value > whole_value:
            checker.problem(entries[part], f"{field}.{part}", f"{part_value} is more than {whole} ({whole_value}) (expected at most {whole_value})")
    _load_breakdowns(checker, record, entries, field)
    if "letter" in entries:
        record.letter = _check_letter(checker, entries["letter"], f"{field}.letter", letters_dir)
    if "letter_date" in entries:
        record.letter_date = checker.date(entries["letter_date"], f"{field}.letter_date")
    if "letter_url" in entries:
        record.letter_url = checker.https_url(entries["letter_url"], f"{field}.letter_url")
    if "source" in entries:
        record.sources = _check_sources(checker, entries["source"], f"{field}.source")
    if "decisions" in entries:
        for index, item in enumerate(checker.sequence(entries["decisions"], f"{field}.decisions", "decisions") or []):
            item_field = f"{field}.decisions[{index}]"
            decision = checker.mapping(item, item_field, DECISION_KEYS, "decision details")
            if decision is None:
                continue
            record.decisions.append(Decision(
                reference=checker.string(decision["reference"], f"{item_field}.reference") if "reference" in decision else None,
                date=checker.date(decision["date"], f"{item_field}.date") if "date" in decision else None,
                outcome=checker.string(decision["outcome"], f"{item_field}.outcome") if "outcome" in decision else None,
                summary=checker.string(decision["summary"], f"{item_field}.summary", long_text=True) if "summary" in decision else None,
                url=checker.url(decision["url"], f"{item_field}.url") if "url" in decision else None,
            ))
    if "public_reports" in entries:
        for index, item in enumerate(checker.sequence(entries["public_reports"], f"{field}.public_reports", "reports") or []):
            item_field = f"{field}.public_reports[{index}]"
            report = checker.mapping(item, item_field, PUBLIC_REPORT_KEYS, "report details")
            if report is None or not checker.required(report, item, item_field, {"title": "the report's title"}):
                continue
            title = checker.string(report["title"], f"{item_field}.title")
            if title is None:
                continue
            record.public_reports.append(PublicReport(
                title=title,
                date=checker.date(report["date"], f"{item_field}.date") if "date" in report else None,
                url=checker.url(report["url"], f"{item_field}.url") if "url" in report else None,
            ))
    if "service_improvements" in entries:
        record.service_improvements = checker.string_list(entries["service_improvements"], f"{field}.service_improvements", long_text=True)
    return record


def _load_breakdowns(checker: _FileChecker, record: CouncilYear, entries: dict[str, Node], field: str) -> None:
    """``received`` and ``decided``: a count for every key of each, and upheld and not upheld
    decisions that agree with the year's ``upheld`` and ``investigations``."""
    for kind in BREAKDOWN_KINDS:
        if kind.field not in entries:
            continue
        node, kind_field = entries[kind.field], f"{field}.{kind.field}"
        items = checker.mapping(node, kind_field, tuple(kind.keys), kind.title.lower())
        if not items:
            continue
        counts = {key: checker.count(items[key], f"{kind_field}.{key}") for key in kind.keys if key in items}
        missing = [key for key in kind.keys if key not in items]
        if missing:
            checker.problem(node, kind_field, f"has no count for {', '.join(missing)} "
                                              f"(expected a count for each of: {', '.join(kind.keys)}; 0 where there were none)")
        if not missing and None not in counts.values():
            setattr(record, kind.field, counts)
    decided = record.decided
    if decided is None:
        return
    items = entries["decided"].value
    line_of = {key_node.value: value_node for key_node, value_node in items}
    if record.upheld is not None and decided["upheld"] != record.upheld:
        checker.problem(line_of["upheld"], f"{field}.decided.upheld", f"{decided['upheld']} is not upheld ({record.upheld}) "
                                                                       f"(expected {record.upheld}, the same count)")
    elif record.investigations is not None and decided["upheld"] + decided["not_upheld"] != record.investigations:
        checker.problem(line_of["not_upheld"], f"{field}.decided.not_upheld",
                        f"{decided['not_upheld']} and upheld ({decided['upheld']}) make {decided['upheld'] + decided['not_upheld']}, "
                        f"not investigations ({record.investigations}) (expected upheld + not_upheld = {record.investigations})")


def _check_sources(checker: _FileChecker, node: Node, field: str) -> list[Source]:
    """One source or a list of them; each a web address, or a citation that has none."""
    items = [(node, field)] if isinstance(node, ScalarNode) else [
        (item, f"{field}[{index}]") for index, item in enumerate(checker.sequence(node, field, "sources") or [])
    ]
    sources = []
    for item, item_field in items:
        text = checker.string(item, item_field, expected="a web address or a citation")
        if text is None:
            continue
        if SCHEME_PATTERN.match(text):
            url = checker.url(item, item_field)
            if url is not None:
                sources.append(Source(url, url))
        else:
            sources.append(Source(text))
    return sources


def _check_letter(checker: _FileChecker, node: Node, field: str, letters_dir: Path) -> str | None:
    relative = checker.string(node, field, expected="a path under data/letters/")
    if relative is None:
        return None
    posix = PurePosixPath(relative)
    if posix.is_absolute() or ".." in posix.parts or "\\" in relative or posix.suffix != ".md":
        checker.problem(node, field, f"'{relative}' is not a Markdown file inside data/letters/ (expected a relative path such as 2023-24/redditch.md)")
        return None
    target = letters_dir / posix
    if not os.path.lexists(target):
        checker.problem(node, field, f"'{relative}' does not exist (expected a file at data/letters/{relative})")
        return None
    try:
        raw = read_limited(target, MAX_FILE_BYTES, letters_dir, "data/letters")
    except UnsafeFile as error:
        checker.problem(node, field, f"'{relative}' {error}")
        return None
    except OSError as error:
        checker.problem(node, field, f"'{relative}' cannot be read ({error.strerror}) (expected a file perfsite may read)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        checker.problem(node, field, f"'{relative}' is not valid UTF-8 at its line {line} (expected a UTF-8 text file)")
        return None
    problem = letter_structure_problem(text)
    if problem is not None:
        checker.problem(node, field, f"'{relative}' {problem}")
        return None
    return relative


@dataclass
class _Identity:
    """Where one council file names what other files are checked against: its code, aliases and successors."""

    slug: str
    path: str
    code: tuple[str, int] | None = None
    aliases: list[tuple[str, int]] = field(default_factory=list)
    replaced_by: list[tuple[str, int]] = field(default_factory=list)


REQUIRED_COUNCIL_KEYS = {
    "name": "the council's name",
    "code": "its GSS code, e.g. E07000236",
    "type": f"one of: {', '.join(COUNCIL_TYPES)}",
    "years": "at least one financial year ('YYYY-YY') with its figures",
}


def _load_council(checker: _FileChecker, slug: str, letters_dir: Path) -> tuple[Council | None, _Identity]:
    identity = _Identity(slug, checker.shown_path)
    root = checker.compose("a council's name, code, type and years")
    if root is None:
        return None, identity
    entries = checker.mapping(root, "", COUNCIL_KEYS, "council details")
    if entries is None:
        return None, identity
    complete = checker.required(entries, root, "", REQUIRED_COUNCIL_KEYS)
    name = checker.string(entries["name"], "name") if "name" in entries else None
    code = checker.string(entries["code"], "code", GSS_CODE_PATTERN, "a GSS code: a letter and 8 digits, e.g. E07000236") if "code" in entries else None
    if code is not None:
        identity.code = (code, entries["code"].start_mark.line + 1)
    council_type = None
    if "type" in entries:
        value = checker.value(entries["type"]) if isinstance(entries["type"], ScalarNode) else None
        if value in COUNCIL_TYPES:
            council_type = value
        else:
            checker.problem(entries["type"], "type", f"{_as_written(entries['type'], value)} is not a council type (expected one of: {', '.join(COUNCIL_TYPES)})")
    website = checker.url(entries["website"], "website") if "website" in entries else None
    created = checker.date(entries["created"], "created") if "created" in entries else None
    abolished = checker.date(entries["abolished"], "abolished") if "abolished" in entries else None
    if created and abolished and abolished < created:
        checker.problem(entries["abolished"], "abolished", f"{abolished} is before created ({created}) (expected a later date)")
    if "replaced_by" in entries:
        identity.replaced_by = checker.located_strings(entries["replaced_by"], "replaced_by", SLUG_PATTERN, "a council slug: lowercase letters, digits and hyphens")
    if "aliases" in entries:
        identity.aliases = checker.located_strings(entries["aliases"], "aliases", SLUG_PATTERN, "a slug: lowercase letters, digits and hyphens")
    years: dict[str, CouncilYear] = {}
    if "years" in entries:
        years_node = entries["years"]
        if not isinstance(years_node, MappingNode) or not years_node.value:
            checker.problem(years_node, "years", "must map at least one financial year ('YYYY-YY') to its figures")
        else:
            for key_node, value_node in years_node.value:
                year = _check_year_key(checker, key_node)
                if year is None:
                    continue
                if year in years:
                    checker.problem(key_node, f"years.{year}", "appears twice (expected each year once)")
                    continue
                record = _load_year(checker, year, value_node, letters_dir)
                if record is not None:
                    years[year] = record
    if not complete or None in (name, code, council_type):
        return None, identity
    council = Council(
        slug=slug, name=name, code=code, type=council_type, years=dict(sorted(years.items())),
        website=website, created=created, abolished=abolished,
        replaced_by=[value for value, _ in identity.replaced_by],
        aliases=[value for value, _ in identity.aliases], source_file=checker.path,
    )
    return council, identity


def _load_averages(path: Path, shown: str, problems: list[DataProblem], root: Path | None = None,
                   root_shown: str = "the data folder") -> dict[str, dict[str, dict[str, float]]]:
    checker = _FileChecker(path, shown, problems, root=root, root_shown=root_shown)
    root = checker.compose("published averages by financial year and council type")
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        checker.problem(root, "", "must be a mapping of financial years to council types")
        return {}
    averages: dict[str, dict[str, dict[str, float]]] = {}
    for year_node, types_node in root.value:
        year = _check_year_key(checker, year_node)
        if year is None:
            continue
        types = checker.mapping(types_node, year, tuple(COUNCIL_TYPES), "council types")
        for council_type, figures_node in (types or {}).items():
            field = f"{year}.{council_type}"
            figures = checker.mapping(figures_node, field, AVERAGE_KEYS, "published averages")
            for key, node in (figures or {}).items():
                value = checker.value(node) if isinstance(node, ScalarNode) else None
                percentage = PUBLISHED_STATISTICS[key].unit == "%"
                expected = "(expected a percentage, 0 to 100)" if percentage else "(expected a number, 0 or more)"
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    checker.problem(node, f"{field}.{key}", f"{_as_written(node, value)} is not a number {expected}")
                elif value >= 0 and not PLAIN_DECIMAL.match(node.value):
                    checker.problem(node, f"{field}.{key}", f"{node.value} is not written as a plain decimal number "
                                                          f"{expected[:-1]}, written with digits and a decimal point only)")
                elif value < 0:
                    checker.problem(node, f"{field}.{key}", f"{node.value} is negative {expected}")
                elif percentage and value > 100:
                    checker.problem(node, f"{field}.{key}", f"{node.value} is more than 100 {expected}")
                elif value > MAX_RATE_PER_100K:
                    checker.problem(node, f"{field}.{key}", f"{node.value} is more than {MAX_RATE_PER_100K:,} (expected a number of upheld decisions per 100,000 residents)")
                else:
                    averages.setdefault(year, {}).setdefault(council_type, {})[key] = value
    return averages


def _load_council_cached(checker: _FileChecker, slug: str, letters_dir: Path, cache: dict | None) -> tuple[Council | None, _Identity]:
    """A council file, parsed again only if its size or modification time changed or a letter it names went."""
    if cache is None or checker.content is not None:
        return _load_council(checker, slug, letters_dir)
    try:
        status = checker.path.stat()
    except OSError:
        return _load_council(checker, slug, letters_dir)
    key = (status.st_mtime_ns, status.st_size)
    hit = cache.get(checker.path)
    if hit and hit[0] == key and all((letters_dir / record.letter).is_file() for record in hit[1].years.values() if record.letter):
        return hit[1], hit[2]
    problems_before = len(checker.problems)
    council, identity = _load_council(checker, slug, letters_dir)
    if council is not None and len(checker.problems) == problems_before:
        cache[checker.path] = (key, council, identity)
    return council, identity


def load_dataset(data_dir: Path | str, replacements: Mapping[Path, bytes] | None = None, cache: dict | None = None) -> Dataset:
    """Load and check a whole data folder; raise :class:`DataError` listing every problem.

    ``replacements`` gives new content for some council files, read in their place: a change can
    be checked before it is written. Pass the same ``cache`` to later calls (``perfsite serve``
    does) to reuse the councils whose files have not changed; the checks across files always run
    again.
    """
    data_dir = Path(data_dir)
    replaced = {path.resolve(): content for path, content in (replacements or {}).items()}
    problems: list[DataProblem] = []
    councils_dir = data_dir / "councils"
    letters_dir = data_dir / "letters"

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(data_dir.parent)) if data_dir.parent != Path("") else str(path)
        except ValueError:
            return str(path)

    if not councils_dir.is_dir():
        raise DataError([DataProblem(shown(councils_dir), 0, "", "is not a folder (expected data/councils/ holding one <slug>.yaml per council)")])
    for folder in (councils_dir, letters_dir):
        if os.path.lexists(folder) and outside(folder, data_dir):
            raise DataError([DataProblem(shown(folder), 0, "", f"is a link to {folder.resolve()}, outside the data folder (expected a folder inside {shown(data_dir)}/)")])
    councils: list[Council] = []
    identities: list[_Identity] = []
    file_of_slug: dict[str, str] = {}
    paths = sorted(councils_dir.iterdir())
    for path in paths:
        if path.name.startswith("."):
            continue
        if path.suffix not in (".yaml", ".yml"):
            problems.append(DataProblem(shown(path), 0, "", "is not a council file (expected <slug>.yaml)"))
            continue
        slug = path.stem
        if not SLUG_PATTERN.match(slug):
            problems.append(DataProblem(shown(path), 0, "slug", f"'{slug}' is not a slug (expected a file name of lowercase letters, digits and hyphens)"))
            continue
        if slug in RESERVED_SLUGS:
            problems.append(DataProblem(shown(path), 0, "slug", f"'{slug}' is used by the site itself (expected a name other than {', '.join(sorted(RESERVED_SLUGS))})"))
            continue
        if slug in file_of_slug:
            problems.append(DataProblem(shown(path), 0, "slug", f"'{slug}' is also the slug of {file_of_slug[slug]} (expected one file per council)"))
            continue
        file_of_slug[slug] = shown(path)
        checker = _FileChecker(path, shown(path), problems, replaced.get(path.resolve()), root=data_dir, root_shown=shown(data_dir))
        council, identity = _load_council_cached(checker, slug, letters_dir, cache)
        identities.append(identity)
        if council is not None:
            councils.append(council)
    if not paths:
        problems.append(DataProblem(shown(councils_dir), 0, "", "holds no council files (expected at least one <slug>.yaml)"))

    _check_across_files(identities, problems)

    averages: dict[str, dict[str, dict[str, float]]] = {}
    averages_path = data_dir / "averages.yaml"
    if os.path.lexists(averages_path):
        averages = _load_averages(averages_path, shown(averages_path), problems, root=data_dir, root_shown=shown(data_dir))

    if problems:
        raise DataError(problems)
    return Dataset(data_dir=data_dir, councils=councils, published_averages=averages)


def _check_across_files(identities: list[_Identity], problems: list[DataProblem]) -> None:
    """Codes, slugs, aliases and successors checked across every council file, each problem at its line.

    Every file with a usable name counts as a council here, even one with problems of its own,
    so a mistake in one file is not reported again as a missing council in another.
    """
    slugs = {identity.slug for identity in identities}
    first_with_code: dict[str, tuple[_Identity, int]] = {}
    claimed: dict[str, tuple[_Identity, str]] = {identity.slug: (identity, "slug") for identity in identities}
    for identity in identities:
        if identity.code is not None:
            code, line = identity.code
            if code in first_with_code:
                other, other_line = first_with_code[code]
                problems.append(DataProblem(identity.path, line, "code", f"{code} is also the code of {other.slug} ({other.path}:{other_line}) (expected each GSS code once)"))
            else:
                first_with_code[code] = (identity, line)
        for index, (successor, line) in enumerate(identity.replaced_by):
            field_name = f"replaced_by[{index}]"
            if successor == identity.slug:
                problems.append(DataProblem(identity.path, line, field_name, f"'{successor}' is this council itself (expected the slug of a successor)"))
            elif successor not in slugs:
                close = difflib.get_close_matches(successor, sorted(slugs), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(DataProblem(identity.path, line, field_name, f"'{successor}' is not a council in this data{hint} (expected the slug of a council file)"))
        for index, (alias, line) in enumerate(identity.aliases):
            field_name = f"aliases[{index}]"
            if alias == identity.slug:
                problems.append(DataProblem(identity.path, line, field_name, f"'{alias}' is this council's own slug (expected a former slug)"))
            elif alias in claimed:
                other, kind = claimed[alias]
                problems.append(DataProblem(identity.path, line, field_name, f"'{alias}' is already the {kind} of {other.slug} ({other.path}) (expected a slug no other council uses)"))
            elif alias in RESERVED_SLUGS:
                problems.append(DataProblem(identity.path, line, field_name, f"'{alias}' is used by the site itself (expected a name other than {', '.join(sorted(RESERVED_SLUGS))})"))
            else:
                claimed[alias] = (identity, "alias")
