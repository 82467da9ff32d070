"""What the page templates show, worked out in Python: every figure already formatted.

Templates only lay these out; they do no arithmetic and make no decisions about numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from .compute import Results, TypeAverage
from .change import change_text, year_change
from .headlines import Headline, headline
from .letters import Letter
from .metrics import NOT_APPLICABLE, STATISTICS, Rate, Statistic, count_text, format_rate, format_statistic
from .model import COUNCIL_TYPE_PLURAL_IN_TEXT, COUNCIL_TYPE_SINGULAR, COUNCIL_TYPES, Council, CouncilYear, Dataset
from .reuse import kept
from .uncertainty import CONFIDENCE, HIGHER, LOWER, NO_AVERAGE, SIMILAR, TOO_FEW, Comparison, Interval, cases_text

VERDICT_TEXT = {
    HIGHER: "Higher than the average",
    SIMILAR: "Similar to the average",
    LOWER: "Lower than the average",
    TOO_FEW: "Too few cases to compare",
    NO_AVERAGE: "No average to compare with",
}
NO_FIGURE_TO_COMPARE = "No figure to compare"
# What each statistic means, in a sentence, after the ombudsman's own descriptions in its letters.
EXPLANATIONS = {
    "upheld_rate": "Of the complaints the ombudsman investigated in detail, the share where it found the council at fault "
                   "(including fault the council had accepted before the investigation).",
    "upheld_per_100k": "Upheld complaints for every 100,000 people living in the council's area, so that councils of different sizes can be compared.",
    "compliance_rate": "How often the council did what the ombudsman recommended to put things right, when the ombudsman checked.",
    "remedy_rate": "Of the upheld complaints, the share where the council had already put things right, in a way the ombudsman "
                   "agreed with, before the complaint reached the ombudsman.",
}
CONFIDENCE_TEXT = f"{CONFIDENCE:.0%}"


@dataclass(frozen=True, slots=True)
class AverageView:
    text: str
    note: str


@dataclass(frozen=True, slots=True)
class IntervalView:
    """A confidence interval as shown: "95% confidence interval 9% to 91%"."""

    lower_text: str
    upper_text: str
    text: str


@dataclass(frozen=True, slots=True)
class VerdictView:
    """How a figure compares with its average, in words; ``verdict`` is one of uncertainty.VERDICTS."""

    verdict: str | None
    text: str
    note: str


@dataclass(frozen=True, slots=True)
class FigureView:
    """One statistic of one council-year, as shown, with the numbers behind it for the downloads.

    ``comparison`` keeps the exact interval and verdict behind ``interval`` and ``verdict``; both
    are None where the rate has no value.
    """

    key: str
    label: str
    value_text: str
    count_text: str
    status: str
    average: AverageView
    rate: Rate | None = None
    type_average: TypeAverage | None = None
    interval: IntervalView | None = None
    verdict: VerdictView = VerdictView(None, NO_FIGURE_TO_COMPARE, "")
    comparison: Comparison | None = None
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class CouncilLink:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One statistic since the year before, in words: "50%, from 63% in 2022-23: no clear change ..."."""

    key: str
    label: str
    change: str
    text: str


@dataclass(slots=True)
class CouncilYearView:
    council: Council
    year: str
    record: CouncilYear
    figures: list[FigureView]
    has_figures: bool
    previous_year: str | None = None
    next_year: str | None = None
    letter_html: Letter | None = None  # its HTML is made when a page shows it
    headline: Headline | None = None
    changes: list[ChangeView] = field(default_factory=list)

    @property
    def has_rates(self) -> bool:
        """Whether any statistic has a figure (a count alone, such as investigations, is not one)."""
        return any(figure.status == "value" for figure in self.figures)


@dataclass(slots=True)
class CouncilView:
    council: Council
    type_label: str
    years: list[CouncilYearView]
    latest: CouncilYearView
    successors: list[CouncilLink] = field(default_factory=list)
    predecessors: list[CouncilLink] = field(default_factory=list)

    def year(self, year: str) -> CouncilYearView:
        return next(view for view in self.years if view.year == year)


def long_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def average_view(average: TypeAverage | None, council_type: str) -> AverageView:
    plural = COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]
    if average is None or average.shown_text is None:
        return AverageView("not available", f"no {plural} have figures for this")
    if average.published is not None:
        return AverageView(average.shown_text, "published by the ombudsman")
    return AverageView(average.shown_text, computed_average_note(average.computed.councils, average.computed.mode, plural))


def computed_average_note(councils: int, mode: str, type_plural: str) -> str:
    """Where an average the ombudsman did not publish comes from, in words for the public."""
    if councils == 1:
        return f"the figure of the only one of the {type_plural} with figures"
    if mode == "pooled":
        return f"all {councils:,} councils' cases taken together"
    return f"the average of {councils:,} councils' rates"


def interval_view(statistic: Statistic, shown_interval: Interval) -> IntervalView:
    """The interval as rounded for the page (the verdict is made on these same rounded ends)."""
    lower = format_statistic(statistic, shown_interval.lower)
    upper = format_statistic(statistic, shown_interval.upper)
    return IntervalView(lower, upper, f"{CONFIDENCE_TEXT} confidence interval {lower} to {upper}")


def verdict_view(comparison: Comparison | None) -> VerdictView:
    if comparison is None:
        return VerdictView(None, NO_FIGURE_TO_COMPARE, "")
    note = ""
    if comparison.verdict == TOO_FEW:
        note = f"{cases_text(comparison.statistic, comparison.cases)}; at least {comparison.min_cases} needed"
    return VerdictView(comparison.verdict, VERDICT_TEXT[comparison.verdict], note)


def comparison_phrase(figure: FigureView) -> str:
    """The verdict as a phrase to follow the figure: "similar to the average (63%)",
    "too few cases to compare (2 investigations)"; empty without a figure."""
    comparison = figure.comparison
    if comparison is None:
        return ""
    text = VERDICT_TEXT[comparison.verdict]
    phrase = text[:1].lower() + text[1:]
    if comparison.verdict == TOO_FEW:
        return f"{phrase} ({cases_text(comparison.statistic, comparison.cases)})"
    if comparison.verdict == NO_AVERAGE:
        return phrase
    return f"{phrase} ({figure.average.text})"


def figure_view(
    statistic: Statistic, value: Rate, average: TypeAverage | None, council_type: str, comparison: Comparison | None = None
) -> FigureView:
    shown = format_rate(statistic, value)
    if value.status == NOT_APPLICABLE:
        shown = f"{NOT_APPLICABLE} (no {statistic.denominator_noun})"
    return FigureView(
        key=statistic.key,
        label=statistic.label,
        value_text=shown,
        count_text=count_text(statistic, value),
        status=value.status,
        average=average_view(average, council_type),
        rate=value,
        type_average=average,
        interval=interval_view(statistic, comparison.shown_interval) if comparison else None,
        verdict=verdict_view(comparison),
        comparison=comparison,
        explanation=EXPLANATIONS.get(statistic.key, ""),
    )


def council_facts(council: Council) -> tuple:
    """What a council-year's view takes from its council besides that year's record: every field
    but the other years' records, and which years there are."""
    return (*(getattr(council, name.name) for name in fields(Council) if name.name != "years"), tuple(council.sorted_years()))


def council_year_view(results: Results, council: Council, year: str, render_letter, memory: dict | None = None) -> CouncilYearView:
    """One council-year as its pages show it.

    With ``memory`` (under serve), last build's view when the council's facts, the year's record,
    its rates, its type's averages, its comparisons and its letter are unchanged: an edit to one
    year of a council leaves its other years' views as they were (holding the council as loaded now).
    """
    record = council.years[year]
    rates = results.council_rates(council, year)
    averages = results.averages.get((year, council.type), {})
    comparisons = results.council_comparisons(council, year)
    letter_html = render_letter(record.letter) if record.letter else None
    years = council.sorted_years()
    index = years.index(year)
    previous_year = years[index - 1] if index > 0 else None
    previous_rates = results.council_rates(council, previous_year) if previous_year else {}

    def make() -> CouncilYearView:
        figures = [
            figure_view(statistic, rates[statistic.key], averages.get(statistic.key), council.type, comparisons[statistic.key])
            for statistic in STATISTICS
        ]
        changes = []
        for statistic in STATISTICS:
            change = year_change(statistic, previous_rates[statistic.key], rates[statistic.key], results.min_cases) if previous_year else None
            if change is not None:
                changes.append(ChangeView(statistic.key, statistic.label, change.change, change_text(change, previous_year)))
        return CouncilYearView(
            council=council,
            year=year,
            record=record,
            figures=figures,
            has_figures=record.has_figures,
            previous_year=previous_year,
            next_year=years[index + 1] if index + 1 < len(years) else None,
            letter_html=letter_html,
            headline=headline(council.name, year, record.counts(), comparisons, COUNCIL_TYPE_PLURAL_IN_TEXT[council.type]),
            changes=changes,
        )

    view = kept(memory, ("year view", council.slug, year), (council_facts(council), record, rates, averages, comparisons, letter_html, previous_rates), make)
    view.council = council
    return view


@dataclass(frozen=True)
class Succession:
    """Every council's successors and predecessors as links, worked out once for the whole data."""

    successors: dict[str, list[CouncilLink]]
    predecessors: dict[str, list[CouncilLink]]


def succession(dataset: Dataset) -> Succession:
    by_slug = dataset.by_slug()
    successors = {council.slug: [CouncilLink(slug, by_slug[slug].name) for slug in council.replaced_by] for council in dataset.councils}
    predecessors: dict[str, list[CouncilLink]] = {}
    for council in dataset.councils:
        for slug in council.replaced_by:
            predecessors.setdefault(slug, []).append(CouncilLink(council.slug, council.name))
    return Succession(successors, {slug: sorted(links, key=lambda link: link.name) for slug, links in predecessors.items()})


def council_view(results: Results, council: Council, render_letter, links: Succession | None = None, memory: dict | None = None) -> CouncilView:
    """A council as its pages show it; with ``memory`` (under serve), last build's view when every
    year's view and its links to successors and predecessors are unchanged."""
    links = links or succession(results.dataset)
    years = [council_year_view(results, council, year, render_letter, memory) for year in council.sorted_years()]
    successors = links.successors[council.slug]
    predecessors = links.predecessors.get(council.slug, [])

    def make() -> CouncilView:
        with_figures = [view for view in years if view.has_rates] or [view for view in years if view.has_figures] or years
        return CouncilView(
            council=council,
            type_label=COUNCIL_TYPE_SINGULAR[council.type],
            years=years,
            latest=with_figures[-1],
            successors=successors,
            predecessors=predecessors,
        )

    return kept(memory, ("view", council.slug), (years, successors, predecessors), make)


@dataclass(frozen=True)
class TypeAverageRow:
    year: str
    council_type: str
    type_label: str
    cells: list[AverageView]


def type_average_row(results: Results, year: str, council_type: str) -> TypeAverageRow:
    averages = results.averages.get((year, council_type), {})
    return TypeAverageRow(
        year=year,
        council_type=council_type,
        type_label=COUNCIL_TYPES[council_type],
        cells=[average_view(averages.get(statistic.key), council_type) for statistic in STATISTICS],
    )
