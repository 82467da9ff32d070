"""Machine-readable twins of the pages: JSON and CSV for each council, each year and the whole data set.

Every figure is taken from the same view objects the pages show (:mod:`generator.views`), so a
download can never state a number its page does not. One JSON format serves every file: a list of
councils, each with its years, plus the type averages those years use; it is described by the JSON
Schema in ``generator/schema/council-v1.json``, published at ``/schema/council-v1.json``.

Each statistic is given three ways: ``shown`` (the text on the page), ``value`` (that figure as a
number, rounded as shown) and ``exact`` (the unrounded value, as a double), with the numerator and
denominator it was worked out from, so it can be recomputed exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .breakdowns import BREAKDOWN_KINDS, Pooled, share_text, shares
from .compute import TypeAverage
from .uncertainty import CONFIDENCE, Comparison
from .metrics import STATISTICS, STATISTICS_BY_KEY, Statistic, format_number, round_half_away, scaled
from .model import COUNCIL_TYPES, COUNT_FIELDS
from .pages import GeneratedFile, Output, SiteContext
from .views import AverageView, CouncilView, CouncilYearView, FigureView

SCHEMA_VERSION = "council-v1"
SCHEMA_SOURCE = Path(__file__).parent / "schema" / f"{SCHEMA_VERSION}.json"
SCHEMA_PATH = f"schema/{SCHEMA_VERSION}.json"
DATASET_STEM = "downloads/perfsite-data"
LICENCE = "Open Government Licence v3.0, https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = (
    "Complaint figures: the Local Government and Social Care Ombudsman's published figures, as cited in each year's sources.",
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
)
# A fixed time for every member of the zip, so the same data always gives the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def shown_number(statistic: Statistic, value: Fraction) -> int | float:
    """A statistic in its units, rounded as the site shows it: a whole number, or a float of one decimal."""
    rounded = round_half_away(value, statistic.places)
    return int(rounded) if statistic.places == 0 else float(rounded)


def plain_decimal(statistic: Statistic, value: Fraction) -> str:
    """The rounded figure as a spreadsheet reads it: "63", "1.2", "1234.5" (no % sign, no separators)."""
    return format_number(value, statistic.places).replace(",", "")


def average_basis(average: TypeAverage | None) -> str | None:
    if average is None or average.shown_value is None:
        return None
    return "published" if average.published is not None else "computed"


def average_summary(statistic: Statistic, average: TypeAverage | None, view: AverageView) -> dict[str, Any]:
    """The type average beside a council's figure, as its page shows it."""
    value = average.shown_value if average is not None else None
    return {
        "shown": view.text,
        "value": shown_number(statistic, scaled(statistic, value)) if value is not None else None,
        "basis": average_basis(average),
    }


def figure_record(figure: FigureView) -> dict[str, Any]:
    """One statistic of one council-year: the page's text, the rounded and exact values, its counts."""
    statistic = STATISTICS_BY_KEY[figure.key]
    rate = figure.rate
    exact = scaled(statistic, rate.value) if rate is not None and rate.value is not None else None
    return {
        "label": figure.label,
        "status": figure.status,
        "shown": figure.value_text,
        "value": shown_number(statistic, exact) if exact is not None else None,
        "exact": float(exact) if exact is not None else None,
        "numerator": rate.numerator if rate is not None else None,
        "denominator": rate.denominator if rate is not None else None,
        "type_average": average_summary(statistic, figure.type_average, figure.average),
        "comparison": comparison_record(figure.comparison),
    }


def comparison_record(comparison: Comparison | None) -> dict[str, Any] | None:
    """A figure's 95% interval (rounded as shown, and exact) and its verdict against the type average."""
    if comparison is None:
        return None
    statistic = comparison.statistic
    shown, exact = comparison.shown_interval, comparison.interval
    return {
        "confidence": CONFIDENCE,
        "interval": [shown_number(statistic, scaled(statistic, shown.lower)), shown_number(statistic, scaled(statistic, shown.upper))],
        "interval_exact": [float(exact.lower) * statistic.scale, float(exact.upper) * statistic.scale],
        "verdict": comparison.verdict,
        "cases": comparison.cases,
        "min_cases": comparison.min_cases,
    }


def type_average_record(average: TypeAverage) -> dict[str, Any]:
    """One type average in full: what is shown, and both the published and the computed values."""
    statistic = average.statistic
    computed = average.computed.value
    return {
        "shown": average.shown_text,
        "value": shown_number(statistic, scaled(statistic, average.shown_value)) if average.shown_value is not None else None,
        "basis": average_basis(average),
        "published": shown_number(statistic, Fraction(repr(average.published))) if average.published is not None else None,
        "computed": shown_number(statistic, scaled(statistic, computed)) if computed is not None else None,
        "computed_exact": float(scaled(statistic, computed)) if computed is not None else None,
        "computed_from_councils": average.computed.councils,
        "councils_of_type": average.councils_in_year,
        "mode": average.computed.mode,
    }


def site_address(site: SiteContext, path: str) -> str | None:
    """The absolute address of a path from the site root, when the site's address (site_url) is set."""
    site_url = site.options.get("site_url") or ""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + path


def council_year_record(site: SiteContext, view: CouncilYearView) -> dict[str, Any]:
    record = view.record
    path = f"{view.council.slug}/{view.year}/"
    return {
        "year": view.year,
        "has_figures": view.has_figures,
        "path": path,
        "url": site_address(site, path),
        "counts": {name: getattr(record, name) for name in COUNT_FIELDS},
        "statistics": {figure.key: figure_record(figure) for figure in view.figures},
        "letter_date": record.letter_date.isoformat() if record.letter_date else None,
        "sources": [{"text": source.text, "url": source.url} for source in record.sources],
        **{kind.field: breakdown_record(getattr(record, kind.field)) for kind in BREAKDOWN_KINDS},
    }


def breakdown_record(counts: dict[str, int] | None) -> dict[str, Any] | None:
    """One of the ombudsman's breakdowns: each count, the total, and each share as a percentage,
    shown (whole, as on the page), and exact."""
    if counts is None:
        return None
    return {
        "total": sum(counts.values()),
        "counts": dict(counts),
        "shares": {key: {
            "shown": share_text(value),
            "value": int(round_half_away(value * 100)) if value is not None else None,
            "exact": float(value * 100) if value is not None else None,
        } for key, value in shares(counts).items()},
    }


def pooled_breakdown_record(pooled: Pooled | None, councils_of_type: int) -> dict[str, Any] | None:
    """A breakdown summed over the councils of a type and year that have it, as the type's shares."""
    if pooled is None:
        return None
    return {**breakdown_record(dict(pooled.counts)), "councils": pooled.councils, "councils_of_type": councils_of_type}


def council_record(site: SiteContext, view: CouncilView, year_records: list[dict[str, Any]]) -> dict[str, Any]:
    council = view.council
    path = f"{council.slug}/"
    return {
        "slug": council.slug,
        "name": council.name,
        "code": council.code,
        "type": council.type,
        "type_label": view.type_label,
        "website": council.website,
        "created": council.created.isoformat() if council.created else None,
        "abolished": council.abolished.isoformat() if council.abolished else None,
        "replaced_by": list(council.replaced_by),
        "aliases": list(council.aliases),
        "path": path,
        "url": site_address(site, path),
        "years": year_records,
    }


def type_averages_record(site: SiteContext, year: str, council_type: str) -> dict[str, Any]:
    averages = site.results.averages[(year, council_type)]
    return {
        "year": year,
        "type": council_type,
        "type_label": COUNCIL_TYPES[council_type],
        "statistics": {statistic.key: type_average_record(averages[statistic.key]) for statistic in STATISTICS},
        **{kind.field: pooled_breakdown_record(site.breakdown_totals.get(kind.field, year, council_type),
                                               site.breakdown_totals.councils_of_type(year, council_type))
           for kind in BREAKDOWN_KINDS},
    }


def json_value(value: Any) -> str:
    """One JSON value as the downloads write it: compact, UTF-8 text left as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_object(members: list[tuple[str, str]]) -> str:
    """A JSON object from its keys and its values already written, exactly as :func:`json_value`
    would write the whole object."""
    return "{" + ",".join(f"{json_value(key)}:{text}" for key, text in members) + "}"


@dataclass
class Records:
    """Each council-year's JSON record and CSV line, written once for all the files that list it.

    They are kept as text: the whole data set is spliced together from them, so it is written
    without holding every record as Python objects, and under serve they are kept across rebuilds
    while the council-year's view is unchanged.
    """

    site: SiteContext
    years: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[tuple[str, str], str] = field(default_factory=dict)
    councils: dict[str, tuple[str, str]] = field(default_factory=dict)
    averages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def _kept(self, kind: str, year_view: CouncilYearView, make: Callable[[], Any]) -> Any:
        """Kept across rebuilds under serve while the council-year is unchanged."""
        key = ("downloads", kind, year_view.council.slug, year_view.year)
        return self.site.kept(key, (year_view, self.site.options.get("site_url")), make)

    def year(self, view: CouncilView, year_view: CouncilYearView) -> str:
        key = (view.council.slug, year_view.year)
        if key not in self.years:
            self.years[key] = self._kept("json", year_view, lambda: json_value(council_year_record(self.site, year_view)))
        return self.years[key]

    def line(self, view: CouncilView, year_view: CouncilYearView) -> str:
        key = (view.council.slug, year_view.year)
        if key not in self.lines:
            self.lines[key] = self._kept("csv", year_view, lambda: csv_line(csv_row(self.site, view, year_view)))
        return self.lines[key]

    def type_averages(self, year: str, council_type: str) -> dict[str, Any]:
        key = (year, council_type)
        if key not in self.averages:
            self.averages[key] = type_averages_record(self.site, year, council_type)
        return self.averages[key]

    def council(self, view: CouncilView, year_views: list[CouncilYearView]) -> str:
        """A council's JSON record with the years given."""
        slug = view.council.slug
        if slug not in self.councils:
            self.councils[slug] = self.site.kept(("downloads", "council", slug), (view, self.site.options.get("site_url")),
                                                 lambda: self._council_around_years(view))
        before, after = self.councils[slug]
        return before + "[" + ",".join(self.year(view, year_view) for year_view in year_views) + "]" + after

    def _council_around_years(self, view: CouncilView) -> tuple[str, str]:
        """A council's JSON record as the text before its list of years and the text after it."""
        marker = "\x00"
        record = council_record(self.site, view, [])
        text = json_object([(key, marker if key == "years" else json_value(value)) for key, value in record.items()])
        before, after = text.split(marker)
        return before, after

    def document(self, kind: str, title: str, entries: list[tuple[CouncilView, list[CouncilYearView]]]) -> str:
        """A JSON download: the councils given, each with the years given, and the averages those years use."""
        return "".join(self.document_pieces(kind, title, entries))

    def document_pieces(self, kind: str, title: str, entries: list[tuple[CouncilView, list[CouncilYearView]]]) -> Iterator[str]:
        """:meth:`document` a council at a time, for files too big to hold whole."""
        site = self.site
        type_averages = [
            self.type_averages(year, council_type)
            for year, council_type in sorted({(year_view.year, view.council.type) for view, year_views in entries for year_view in year_views})
        ]
        marker = "\x00"
        before, after = json_object([
            ("schema_version", json_value(SCHEMA_VERSION)),
            ("kind", json_value(kind)),
            ("title", json_value(title)),
            ("licence", json_value(LICENCE)),
            ("attribution", json_value(list(ATTRIBUTION))),
            ("average_mode", json_value(site.results.average_mode)),
            ("years", json_value(sorted({year_view.year for _, year_views in entries for year_view in year_views}))),
            ("councils", marker),
            ("type_averages", json_value(type_averages)),
        ]).split(marker)
        yield before + "["
        for index, (view, year_views) in enumerate(entries):
            yield ("," if index else "") + self.council(view, year_views)
        yield "]" + after + "\n"

    def csv(self, entries: list[tuple[CouncilView, list[CouncilYearView]]]) -> str:
        return "".join(self.csv_pieces(entries))

    def csv_pieces(self, entries: list[tuple[CouncilView, list[CouncilYearView]]]) -> Iterator[str]:
        yield CSV_HEADER
        for view, year_views in entries:
            for year_view in year_views:
                yield self.line(view, year_view)


def csv_columns() -> list[str]:
    columns = ["slug", "name", "code", "type", "year", "has_figures", *COUNT_FIELDS]
    for statistic in STATISTICS:
        key = statistic.key
        columns += [key, f"{key}_exact", f"{key}_status", f"{key}_type_average", f"{key}_type_average_basis",
                    f"{key}_interval_lower", f"{key}_interval_upper", f"{key}_comparison"]
    for kind in BREAKDOWN_KINDS:
        columns += [*(f"{kind.field}_{key}" for key in kind.keys), f"{kind.field}_total"]
    return [*columns, "sources", "page"]


CSV_COLUMNS = csv_columns()


def csv_row(site: SiteContext, view: CouncilView, year_view: CouncilYearView) -> dict[str, Any]:
    """One council-year as a CSV row; empty cells where the JSON has null."""
    council = view.council
    row: dict[str, Any] = {
        "slug": council.slug, "name": council.name, "code": council.code, "type": council.type,
        "year": year_view.year, "has_figures": "true" if year_view.has_figures else "false",
    }
    row.update({name: getattr(year_view.record, name) for name in COUNT_FIELDS})
    for figure in year_view.figures:
        statistic = STATISTICS_BY_KEY[figure.key]
        rate, average = figure.rate, figure.type_average
        exact = scaled(statistic, rate.value) if rate is not None and rate.value is not None else None
        shown_average = average.shown_value if average is not None else None
        row[figure.key] = plain_decimal(statistic, exact) if exact is not None else None
        row[f"{figure.key}_exact"] = repr(float(exact)) if exact is not None else None
        row[f"{figure.key}_status"] = figure.status
        row[f"{figure.key}_type_average"] = plain_decimal(statistic, scaled(statistic, shown_average)) if shown_average is not None else None
        row[f"{figure.key}_type_average_basis"] = average_basis(average)
        comparison = figure.comparison
        if comparison is not None:
            row[f"{figure.key}_interval_lower"] = plain_decimal(statistic, scaled(statistic, comparison.shown_interval.lower))
            row[f"{figure.key}_interval_upper"] = plain_decimal(statistic, scaled(statistic, comparison.shown_interval.upper))
            row[f"{figure.key}_comparison"] = comparison.verdict
    for kind in BREAKDOWN_KINDS:
        counts = getattr(year_view.record, kind.field)
        if counts is not None:
            row.update({f"{kind.field}_{key}": count for key, count in counts.items()})
            row[f"{kind.field}_total"] = sum(counts.values())
    row["sources"] = " ; ".join(source.url or source.text for source in year_view.record.sources)
    path = f"{council.slug}/{year_view.year}/"
    row["page"] = site_address(site, path) or path
    return row


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?")


def spreadsheet_safe(cell: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text that starts like one (=, +, -, @, tab,
    carriage return) gets a leading apostrophe, as the OWASP CSV-injection guidance advises;
    plain numbers such as -1.5 are left as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_line(row: dict[str, Any]) -> str:
    """One CSV record in the columns' order; empty cells for None and for columns the row lacks."""
    buffer = io.StringIO()
    cells = ("" if row.get(column) is None else spreadsheet_safe(row[column]) for column in CSV_COLUMNS)
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


CSV_HEADER = csv_line({column: column for column in CSV_COLUMNS})


def year_entries(site: SiteContext, year: str) -> list[tuple[CouncilView, list[CouncilYearView]]]:
    """The councils that existed in a year, in the order of the year's page: by type, then by name."""
    in_year = [view for view in site.council_views if year in view.council.years]
    order = list(COUNCIL_TYPES)
    in_year.sort(key=lambda view: (order.index(view.council.type), view.council.name))
    return [(view, [view.year(year)]) for view in in_year]


def data_downloads(site: SiteContext) -> Iterator[Output]:
    """JSON and CSV for each council (/<slug>/data.json, data.csv), each year
    (/years/<year>/councils.json, councils.csv) and the whole data set (/downloads/), which has
    them in a zip too, with the schema and a read-me."""
    records = Records(site)

    def council_files(view: CouncilView) -> tuple[GeneratedFile, GeneratedFile]:
        entries = [(view, view.years)]
        return (
            GeneratedFile(f"{view.council.slug}/data.json", records.document("council", view.council.name, entries)),
            GeneratedFile(f"{view.council.slug}/data.csv", records.csv(entries)),
        )

    for view in site.council_views:
        # the type's breakdowns are in type_averages, but not in the view
        basis = (view, site.options.get("site_url"), site.breakdown_totals.of_type(view.council.type))
        yield from site.kept(("council downloads", view.council.slug), basis, lambda: council_files(view))
    for year in site.years:
        entries = year_entries(site, year)
        yield GeneratedFile(f"years/{year}/councils.json", records.document("year", f"Figures for {year}", entries))
        yield GeneratedFile(f"years/{year}/councils.csv", records.csv(entries))
    # The whole data set is written a council at a time, never held whole (4,000 councils: 74 MB of JSON).
    entries = [(view, view.years) for view in sorted(site.council_views, key=lambda view: view.council.slug)]

    def as_json() -> Iterator[str]:
        return records.document_pieces("dataset", "Every council, every year", entries)

    def as_csv() -> Iterator[str]:
        return records.csv_pieces(entries)

    yield GeneratedFile.from_pieces(f"{DATASET_STEM}.json", as_json())
    yield GeneratedFile.from_pieces(f"{DATASET_STEM}.csv", as_csv())
    yield GeneratedFile(f"{DATASET_STEM}.zip", deterministic_zip({
        "perfsite-data.json": as_json,
        "perfsite-data.csv": as_csv,
        f"{SCHEMA_VERSION}.json": lambda: [schema_text(site)],
        "README.txt": lambda: [readme_text(site)],
    }))


def deterministic_zip(members: dict[str, Callable[[], Iterable[str]]]) -> bytes:
    """A zip of text files, each given as its pieces, whose bytes depend only on the names and contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED  # at zlib's default level, 6
            info.external_attr = 0o644 << 16
            info.create_system = 3
            with archive.open(info, "w") as member:
                for piece in members[name]():
                    member.write(piece.encode("utf-8"))
    return buffer.getvalue()


def readme_text(site: SiteContext) -> str:
    return "\n".join([
        "perfsite: England's councils' complaint figures, every council and every year",
        "",
        "perfsite-data.csv   one row per council and financial year",
        "perfsite-data.json  the same figures with the type averages in full",
        f"{SCHEMA_VERSION}.json      the JSON Schema of the JSON file",
        "",
        "For each statistic: the value rounded as the site shows it, the exact (unrounded) value,",
        "its status (value, not applicable, not available) and the average for the council's type,",
        "with its basis: published by the ombudsman, or computed by perfsite "
        f"({site.results.average_mode} of the councils' rates).",
        
        "received_* and decided_*: the ombudsman's counts of complaints and enquiries received by service",
        "area and of decisions by outcome, where the data has them; the JSON adds each share and the",
        "type's shares, pooled over the councils of the type that have them.",
        "",
        f"Licence: {LICENCE}",
        *ATTRIBUTION,
        "",
    ])


def schema_text(site: SiteContext) -> str:
    """The JSON Schema, with its ``$id`` set to its published address when the site's address is known."""
    schema = json.loads(SCHEMA_SOURCE.read_text(encoding="utf-8"))
    address = site_address(site, SCHEMA_PATH)
    if address:
        schema = {"$schema": schema["$schema"], "$id": address, **{key: value for key, value in schema.items() if key != "$schema"}}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_files(site: SiteContext) -> Iterator[Output]:
    yield GeneratedFile(SCHEMA_PATH, schema_text(site))
