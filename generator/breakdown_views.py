"""What ``templates/_breakdowns.html`` shows of the ombudsman's breakdowns, worked out in Python:
the text of every cell and the geometry of every bar.

A council-year gets a panel for each breakdown it has: a bar chart of its shares beside its type's
pooled shares, and a table of the same figures. A council page gets a table of each breakdown
year by year; a type page one by year for the type; a year page one by type for the year.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from fractions import Fraction

from .breakdowns import BREAKDOWN_KINDS, BreakdownKind, BreakdownTotals, Pooled, share, share_text
from .model import COUNCIL_TYPES
from .views import CouncilView, CouncilYearView

# The chart is drawn at the width a phone gives it, so its 14-unit text is never under 12 px
# there; it may grow wider, never narrower than 280 px (the stylesheet's min-width).
CHART_WIDTH = 320
FONT_SIZE = 14
LINE_HEIGHT = 18
LABEL_CHARACTERS = 38  # a label line at 14 px stays inside the chart's width
COUNCIL_BAR, TYPE_BAR, BAR_GAP, ROW_GAP = 14, 10, 3, 14
VALUE_ROOM = 44  # right of the longest bar, for "100%"
KEY_HEIGHT = 2 * LINE_HEIGHT + 12


@dataclass(frozen=True)
class ChartRow:
    label_lines: tuple[tuple[float, str], ...]  # (y, text)
    council_y: float
    council_width: float
    council_text: str
    type_y: float
    type_width: float | None  # None: no type share to draw
    type_text: str
    text_x_council: float
    text_x_type: float


@dataclass(frozen=True)
class BreakdownChart:
    id: str
    title: str
    description: str
    width: int
    height: float
    font_size: int
    key_council: str
    key_type: str
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class PanelRow:
    label: str
    count_text: str
    share_text: str
    type_share_text: str


@dataclass(frozen=True)
class BreakdownPanel:
    """One breakdown of one council-year: chart and table."""

    kind: str  # received or decided
    id: str
    title: str
    summary: str
    type_note: str
    item_heading: str
    type_heading: str
    rows: tuple[PanelRow, ...]
    total_text: str
    chart: BreakdownChart | None  # None when the total is 0: there are no shares to draw


@dataclass(frozen=True)
class TotalsTable:
    """A breakdown in columns (years, or types of council): each cell a count and its share."""

    kind: str
    id: str
    title: str
    caption: str
    note: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # label, then (count, share) for each column
    total_row: tuple[str, ...]
    councils_row: tuple[str, ...] | None


@dataclass(frozen=True)
class BreakdownsSection:
    """Everything the partial shows on one page; nothing at all when both are empty."""

    intro: str
    panels: tuple[BreakdownPanel, ...] = ()
    tables: tuple[TotalsTable, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.panels or self.tables)

    @property
    def heading(self) -> str:
        """The section's heading, naming only the breakdowns it shows."""
        shown = {item.kind for item in (*self.panels, *self.tables)}
        return HEADINGS[tuple(kind.field for kind in BREAKDOWN_KINDS if kind.field in shown)]


HEADINGS = {
    ("received", "decided"): "Complaints received and decisions made",
    ("received",): "Complaints and enquiries received",
    ("decided",): "Decisions made",
    (): "",
}


def _count(value: int) -> str:
    return f"{value:,}"


def _bar_length(value: Fraction | None, longest: Fraction) -> float | None:
    if value is None:
        return None
    return round(float(value / longest) * (CHART_WIDTH - VALUE_ROOM - 2), 1)


def breakdown_chart(chart_id: str, kind: BreakdownKind, counts: dict[str, int], type_pooled: Pooled | None,
                    council_name: str, type_plural: str) -> BreakdownChart | None:
    """Bars of the council's share of each key, each with its type's pooled share below it."""
    total = sum(counts.values())
    if not total:
        return None
    council_shares = {key: share(count, total) for key, count in counts.items()}
    type_shares = type_pooled.shares() if type_pooled is not None else {}
    longest = max([value for value in [*council_shares.values(), *type_shares.values()] if value is not None] + [Fraction(0)])
    longest = longest or Fraction(1)
    rows = []
    y = float(KEY_HEIGHT)
    for key, label in kind.keys.items():
        lines = []
        for line in textwrap.wrap(label, LABEL_CHARACTERS):
            y += LINE_HEIGHT
            lines.append((y - 4, line))
        council_y = y + 2
        type_y = council_y + COUNCIL_BAR + BAR_GAP
        council_width = _bar_length(council_shares[key], longest) or 0.0
        type_width = _bar_length(type_shares.get(key), longest)
        rows.append(ChartRow(
            label_lines=tuple(lines), council_y=council_y, council_width=council_width,
            council_text=share_text(council_shares[key]), type_y=type_y, type_width=type_width,
            type_text=share_text(type_shares[key]) if key in type_shares else "",
            text_x_council=round(council_width + 6, 1), text_x_type=round((type_width or 0) + 6, 1),
        ))
        y = type_y + TYPE_BAR + ROW_GAP
    what = kind.title[:1].lower() + kind.title[1:]
    return BreakdownChart(
        id=chart_id,
        title=f"{council_name}: {what}, as shares of {_count(total)}",
        description=(f"Bar chart of each share of the {kind.total_noun}, {council_name}'s in a dark bar, "
                     f"with the share for all {type_plural} in an outlined bar below it. The figures are in the table after the chart."),
        width=CHART_WIDTH, height=round(y, 1), font_size=FONT_SIZE,
        key_council=council_name if len(council_name) <= LABEL_CHARACTERS - 3 else "This council",
        key_type=f"All {type_plural}",
        rows=tuple(rows),
    )


def _type_note(kind: BreakdownKind, type_pooled: Pooled | None, councils_of_type: int, type_plural: str, year: str) -> str:
    if type_pooled is None or not type_pooled.total:
        return f"The {type_plural} with this breakdown for {year} have no {kind.total_noun} in it, so it has no shares."
    return (f"The share for all {type_plural} is pooled: the {_count(type_pooled.total)} {kind.total_noun} of the "
            f"{type_pooled.councils} of {councils_of_type} {type_plural} with this breakdown for {year}, added together.")


def council_year_breakdowns(totals: BreakdownTotals, view: CouncilYearView, type_plural: str) -> BreakdownsSection:
    council = view.council
    panels = []
    for kind in BREAKDOWN_KINDS:
        counts = getattr(view.record, kind.field)
        if counts is None:
            continue
        type_pooled = totals.get(kind.field, view.year, council.type)
        type_shares = type_pooled.shares() if type_pooled is not None else {}
        total = sum(counts.values())
        panel_id = f"breakdown-{kind.field}"
        panels.append(BreakdownPanel(
            kind=kind.field,
            id=panel_id,
            title=kind.title,
            summary=f"{_count(total)} {kind.total_noun} in {view.year}.",
            type_note=_type_note(kind, type_pooled, totals.councils_of_type(view.year, council.type), type_plural, view.year),
            item_heading=kind.item_heading,
            type_heading=f"Share for all {type_plural}",
            rows=tuple(PanelRow(label, _count(counts[key]), share_text(share(counts[key], total)),
                                share_text(type_shares.get(key)) if type_shares else "not available")
                       for key, label in kind.keys.items()),
            total_text=_count(total),
            chart=breakdown_chart(f"{panel_id}-chart", kind, counts, type_pooled, council.name, type_plural),
        ))
    return BreakdownsSection(
        intro=("The ombudsman also publishes what the complaints and enquiries it received were about, and how it "
               "decided the cases it closed. Each share is of this council's total; beside it is the share for all "
               f"{type_plural}."),
        panels=tuple(panels),
    )


def _cell(counts: dict[str, int] | None, key: str) -> tuple[str, str]:
    if counts is None:
        return ("not available", "")
    return (_count(counts[key]), share_text(share(counts[key], sum(counts.values()))))


def _table(kind: BreakdownKind, table_id: str, caption: str, note: str,
           columns: list[str], column_counts: list[dict[str, int] | None], councils: list[str] | None) -> TotalsTable:
    return TotalsTable(
        kind=kind.field, id=table_id, title=kind.title, caption=caption, note=note, row_heading=kind.item_heading,
        columns=tuple(columns),
        rows=tuple((label, tuple(_cell(counts, key) for counts in column_counts)) for key, label in kind.keys.items()),
        total_row=tuple(_count(sum(counts.values())) if counts is not None else "not available" for counts in column_counts),
        councils_row=tuple(councils) if councils is not None else None,
    )


def council_breakdowns(view: CouncilView) -> BreakdownsSection:
    """Each breakdown year by year, for the years that have it."""
    council = view.council
    tables = []
    for kind in BREAKDOWN_KINDS:
        years = [year_view for year_view in view.years if getattr(year_view.record, kind.field) is not None]
        if not years:
            continue
        tables.append(_table(
            kind, f"breakdown-{kind.field}-years", f"{council.name}: {kind.title.lower()}, year by year",
            "Each cell is the count and its share of the year's total.",
            [year_view.year for year_view in years], [getattr(year_view.record, kind.field) for year_view in years], None,
        ))
    return BreakdownsSection(
        intro=("What the complaints and enquiries the ombudsman received were about, and how it decided the cases it "
               f"closed, in each year the ombudsman's breakdowns of {council.name} are in this data."),
        tables=tuple(tables),
    )


def _pooled_counts(pooled_value: Pooled | None) -> dict[str, int] | None:
    return dict(pooled_value.counts) if pooled_value is not None else None


def type_breakdowns(totals: BreakdownTotals, council_type: str) -> BreakdownsSection:
    """Each breakdown summed over the type's councils that have it, year by year."""
    plural = COUNCIL_TYPES[council_type].lower()
    tables = []
    for kind in BREAKDOWN_KINDS:
        found = [(year, pooled_value) for (field, year, _), pooled_value in totals.of_type(council_type) if field == kind.field]
        if not found:
            continue
        tables.append(_table(
            kind, f"breakdown-{kind.field}-years", f"All {plural}: {kind.title.lower()}, year by year",
            "Each cell is the total over the councils with this breakdown that year, and its share.",
            [year for year, _ in found], [_pooled_counts(value) for _, value in found],
            [f"{value.councils} of {totals.councils_of_type(year, council_type)}" for year, value in found],
        ))
    return BreakdownsSection(
        intro=(f"The ombudsman's breakdowns added up over the {plural} that have them: what the complaints and "
               "enquiries it received were about, and how it decided the cases it closed."),
        tables=tuple(tables),
    )


def year_breakdowns(totals: BreakdownTotals, year: str) -> BreakdownsSection:
    """Each breakdown of a year summed over each type's councils that have it, and over all of them."""
    tables = []
    for kind in BREAKDOWN_KINDS:
        types = [council_type for council_type in COUNCIL_TYPES if totals.get(kind.field, year, council_type) is not None]
        if not types:
            continue
        everything = totals.for_year_all_types(kind.field, year)
        assert everything is not None
        all_councils = sum(totals.councils_of_type(year, council_type) for council_type in COUNCIL_TYPES)
        tables.append(_table(
            kind, f"breakdown-{kind.field}-types", f"{kind.title} in {year}, by type of council",
            "Each cell is the total over the councils of the type with this breakdown, and its share.",
            [COUNCIL_TYPES[council_type] for council_type in types] + ["All councils"],
            [_pooled_counts(totals.get(kind.field, year, council_type)) for council_type in types] + [_pooled_counts(everything)],
            [f"{totals.get(kind.field, year, council_type).councils} of {totals.councils_of_type(year, council_type)}" for council_type in types]
            + [f"{everything.councils} of {all_councils}"],
        ))
    return BreakdownsSection(
        intro=(f"The ombudsman's breakdowns for {year} added up over the councils that have them: what the complaints "
               "and enquiries it received were about, and how it decided the cases it closed."),
        tables=tuple(tables),
    )
