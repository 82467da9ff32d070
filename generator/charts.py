"""The geometry of the charts: trend charts on council pages and funnel plots, ready to draw.

Everything a chart template needs is worked out here: positions in SVG user units (as text, to one
decimal place), path data, tick labels, the chart's title and description, and the rows of the
table that carries the same figures. The templates in ``templates/_charts.html`` only lay them out.
"""

from __future__ import annotations

import dataclasses

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

from .compute import Results
from .metrics import STATISTICS, UPHELD_RATE, Statistic, format_number, format_statistic
from .model import COUNCIL_TYPE_PLURAL_IN_TEXT, COUNCIL_TYPES
from .uncertainty import (
    ABOVE_95,
    ABOVE_998,
    BELOW_95,
    BELOW_998,
    WITHIN_95,
    ControlLimits,
    control_limits,
    funnel_position,
)
from .views import CouncilView, FigureView


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the SVG's view box."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def tick_label_x(self) -> int:
        return self.left - 6

    @property
    def tick_label_y(self) -> int:
        return self.bottom + 18

    @property
    def axis_title_y(self) -> int:
        return self.bottom + 40

    @property
    def centre_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def centre_y(self) -> int:
        return (self.top + self.bottom) // 2


def coordinate(value: float) -> str:
    return f"{value:.1f}"


def path_data(points: Sequence[tuple[float, float]]) -> str:
    """SVG path data through the points: "M x y L x y ..."."""
    return "M" + " L".join(f"{coordinate(x)} {coordinate(y)}" for x, y in points)


def lines_data(runs_of_points: Iterable[Sequence[tuple[float, float]]]) -> str:
    """One path's data for several separate lines: each run starts with its own "M", so gaps stay gaps."""
    return " ".join(path_data(run) for run in runs_of_points if len(run) > 1)


def circles_data(points: Iterable[tuple[float, float]], radius: float) -> str:
    """Path data for a circle at each point, as two arcs, so many markers are one element."""
    return " ".join(
        f"M{coordinate(x - radius)} {coordinate(y)} a{radius} {radius} 0 1 0 {2 * radius} 0 a{radius} {radius} 0 1 0 {-2 * radius} 0"
        for x, y in points
    )


def squares_data(points: Iterable[tuple[float, float]], side: float) -> str:
    return " ".join(f"M{coordinate(x - side / 2)} {coordinate(y - side / 2)} h{side} v{side} h{-side} z" for x, y in points)


def gridlines_data(positions: Iterable[float], left: float, right: float) -> str:
    return " ".join(f"M{left} {coordinate(y)} H{right}" for y in positions)


def nice_ceiling(value: float, minimum: float, whole: bool = False) -> tuple[float, float]:
    """An axis maximum at or above ``value`` and a tick step giving at most five steps.

    ``whole`` keeps the step a whole number (for counts), so it never steps by 2.5.
    """
    value = max(value, minimum)
    magnitude = 10 ** math.floor(math.log10(value / 4))
    multiples = (1, 2, 5, 10) if whole and magnitude >= 1 else (1, 2, 2.5, 5, 10)
    for multiple in multiples:
        step = multiple * magnitude
        if value / step <= 5:
            return step * math.ceil(value / step - 1e-9), step
    raise AssertionError(value)


def linear_scale(domain_max: float, start: float, end: float):
    """A function from 0..domain_max to start..end (end may be less than start, as for SVG's y)."""
    span = (end - start) / domain_max
    return lambda value: start + float(value) * span


@functools.lru_cache(maxsize=1024)
def tick_label(statistic: Statistic, ratio: float) -> str:
    """An axis label for a value in ratio units, written as the statistic is shown: "25%", "2.5"."""
    return format_statistic(statistic, Fraction(ratio).limit_denominator(10**9))


def tick_values(maximum: float, step: float) -> list[float]:
    count = round(maximum / step)
    return [step * index for index in range(count + 1)]


# -- Trend charts ------------------------------------------------------------------------------

TREND_FRAME = Frame(width=440, height=230, left=52, right=428, top=14, bottom=196)


@dataclass(frozen=True)
class TrendRow:
    """One year of a trend chart's table."""

    year: str
    figure: FigureView


@dataclass(frozen=True)
class TrendChart:
    """One statistic of one council, year by year, beside the average for its type."""

    id: str
    statistic: Statistic
    title: str
    description: str
    frame: Frame
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    gridlines: str
    council_lines: str
    council_markers: str
    intervals: str
    average_lines: str
    average_markers: str
    rows: list[TrendRow]


def runs(points: Iterable[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Consecutive points split at the gaps (None), so missing years are never joined."""
    found: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if found[-1]:
                found.append([])
        else:
            found[-1].append(point)
    return [run for run in found if run]


def trend_chart(results: Results, view: CouncilView, statistic: Statistic, index: int) -> TrendChart | None:
    """The trend chart of one statistic, or None when no year has a value for it."""
    council = view.council
    years = [year_view.year for year_view in view.years]
    values = [results.rates[(council.slug, year)][statistic.key].value for year in years]
    if all(value is None for value in values):
        return None
    comparisons = [results.comparisons[(council.slug, year)][statistic.key] for year in years]
    averages = [results.averages[(year, council.type)][statistic.key].shown_value for year in years]
    frame = TREND_FRAME

    if statistic.unit == "%":
        y_max, y_step = 1.0, 0.25
    else:
        highest = max(
            [float(value) for value in values if value is not None]
            + [float(comparison.interval.upper) for comparison in comparisons if comparison is not None]
            + [float(average) for average in averages if average is not None]
        )
        y_max, y_step = nice_ceiling(highest * statistic.scale, 1.0)
        y_max, y_step = y_max / statistic.scale, y_step / statistic.scale
    y = linear_scale(y_max, frame.bottom, frame.top)
    slot = (frame.right - frame.left) / len(years)
    x_positions = [frame.left + slot * (position + 0.5) for position in range(len(years))]

    council_points = [(x, y(value)) if value is not None else None for x, value in zip(x_positions, values)]
    average_points = [(x, y(average)) if average is not None else None for x, average in zip(x_positions, averages)]
    y_tick_values = tick_values(y_max, y_step)
    type_plural = COUNCIL_TYPE_PLURAL_IN_TEXT[council.type]
    with_values = sum(value is not None for value in values)
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return TrendChart(
        id=f"trend-{statistic.key}",
        statistic=statistic,
        title=f"{statistic.label}: {council.name} and the average for {type_plural}, {span}",
        description=(
            f"{council.name}: solid line, round markers, bars for 95% confidence intervals; figures for "
            f"{with_values} of {len(years)} years, gaps where there are none. Average for {type_plural}: "
            f"dashed line, square markers. The figures are in the table after the chart."
        ),
        frame=frame,
        x_ticks=[Tick(coordinate(x), year) for x, year in zip(x_positions, years)],
        y_ticks=[
            Tick(coordinate(y(tick)), tick_label(statistic, tick))
            for tick in y_tick_values
        ],
        gridlines=gridlines_data((y(tick) for tick in y_tick_values), frame.left, frame.right),
        council_lines=lines_data(runs(council_points)),
        council_markers=circles_data(filter(None, council_points), 5),
        intervals=" ".join(
            f"M{coordinate(x)} {coordinate(y(comparison.interval.upper))} V{coordinate(y(comparison.interval.lower))} "
            f"m-5 0 h10 M{coordinate(x - 5)} {coordinate(y(comparison.interval.upper))} h10"
            for x, comparison in zip(x_positions, comparisons)
            if comparison is not None
        ),
        average_lines=lines_data(runs(average_points)),
        average_markers=squares_data(filter(None, average_points), 9),
        rows=[TrendRow(year_view.year, year_view.figures[index]) for year_view in reversed(view.years)],
    )


def trend_charts(results: Results, view: CouncilView) -> list[TrendChart]:
    """A trend chart for each statistic that has a value in at least one year."""
    charts = (trend_chart(results, view, statistic, index) for index, statistic in enumerate(STATISTICS))
    return [chart for chart in charts if chart is not None]


# -- Funnel plots ------------------------------------------------------------------------------

FUNNEL_FRAME = Frame(width=640, height=400, left=64, right=624, top=16, bottom=344)
# Limits are worked out at every number of investigations up to FUNNEL_EVERY_UP_TO, where they
# bend most, and at about FUNNEL_SAMPLES evenly spaced numbers beyond it.
FUNNEL_EVERY_UP_TO = 40
FUNNEL_SAMPLES = 60


@dataclass(frozen=True)
class FunnelPoint:
    """One council on a funnel plot, and its row in the table beside it."""

    slug: str
    name: str
    x: str
    y: str
    investigations: int
    upheld: int
    figure: FigureView
    position: str
    label: str
    cx: str = ""
    cy: str = ""
    shares_point_with: int = 0


FUNNEL_POINT_RADIUS = 6


def spread_points(centres: Sequence[tuple[float, float]], radius: float = FUNNEL_POINT_RADIUS) -> list[tuple[float, float]]:
    """Where to draw points, so that points at the very same place stay apart and each can be
    pointed at: a point alone stays where it is; n points sharing a place go round a ring about it,
    the first at the top and on clockwise, far enough apart that their centres are a diameter apart."""
    groups: dict[tuple[float, float], list[int]] = {}
    for index, centre in enumerate(centres):
        groups.setdefault(centre, []).append(index)
    drawn = list(centres)
    for (x, y), members in groups.items():
        count = len(members)
        if count == 1:
            continue
        # n centres on a ring of radius R are 2 R sin(pi / n) apart: at least 2 * radius.
        ring = max(radius, radius / math.sin(math.pi / count))
        for order, index in enumerate(members):
            angle = 2 * math.pi * order / count
            drawn[index] = (x + ring * math.sin(angle), y - ring * math.cos(angle))
    return drawn


@dataclass(frozen=True)
class FunnelChart:
    """The upheld rate of every council of one type in one year, against its number of investigations."""

    id: str
    council_type: str
    type_label: str
    year: str
    title: str
    description: str
    average_text: str
    frame: Frame
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    gridlines: str
    average_y: str
    limits_95: str
    limits_998: str
    points: list[FunnelPoint]
    position_counts: list[tuple[str, int]]
    not_plotted: int


def funnel_limits(target: float, largest: int) -> list[ControlLimits]:
    """Control limits at numbers of investigations from 1 to ``largest``."""
    counts = list(range(1, min(largest, FUNNEL_EVERY_UP_TO) + 1))
    if largest > FUNNEL_EVERY_UP_TO:
        step = max(1, math.ceil((largest - FUNNEL_EVERY_UP_TO) / FUNNEL_SAMPLES))
        counts.extend(range(FUNNEL_EVERY_UP_TO + step, largest + 1, step))
    if counts[-1] != largest:
        counts.append(largest)
    return [control_limits(target, count) for count in counts]


def funnel_chart(results: Results, council_views: Sequence[CouncilView], council_type: str, year: str) -> FunnelChart | None:
    """The funnel plot of one type and year; None without an average or without a council to plot."""
    average = results.averages.get((year, council_type), {}).get(UPHELD_RATE.key)
    if average is None or average.shown_value is None:
        return None
    members = [view for view in council_views if view.council.type == council_type and year in view.council.years]
    plotted = [view for view in members if results.rates[(view.council.slug, year)][UPHELD_RATE.key].has_value]
    if not plotted:
        return None
    target = float(average.shown_value)
    frame = FUNNEL_FRAME
    largest = max(view.council.years[year].investigations or 0 for view in plotted)
    x_max, x_step = nice_ceiling(largest, 5, whole=True)
    x = linear_scale(x_max, frame.left, frame.right)
    y = linear_scale(1.0, frame.bottom, frame.top)

    limits = funnel_limits(target, int(x_max))
    limits_95 = lines_data([
        [(x(limit.trials), y(limit.upper_95)) for limit in limits],
        [(x(limit.trials), y(limit.lower_95)) for limit in limits],
    ])
    limits_998 = lines_data([
        [(x(limit.trials), y(limit.upper_998)) for limit in limits],
        [(x(limit.trials), y(limit.lower_998)) for limit in limits],
    ])

    upheld_index = STATISTICS.index(UPHELD_RATE)
    points = []
    for view in sorted(plotted, key=lambda view: (view.council.name.casefold(), view.council.slug)):
        record = view.council.years[year]
        value = results.rates[(view.council.slug, year)][UPHELD_RATE.key].value
        assert value is not None and record.investigations is not None and record.upheld is not None
        figure = view.year(year).figures[upheld_index]
        position = funnel_position(value, control_limits(target, record.investigations))
        points.append(FunnelPoint(
            slug=view.council.slug,
            name=view.council.name,
            x=coordinate(x(record.investigations)),
            y=coordinate(y(value)),
            investigations=record.investigations,
            upheld=record.upheld,
            figure=figure,
            position=position,
            label=f"{view.council.name}: {figure.value_text} upheld ({figure.count_text}), {position}",
        ))
    centres = [(float(point.x), float(point.y)) for point in points]
    shared = {centre: centres.count(centre) for centre in centres}
    points = [
        dataclasses.replace(
            point, cx=coordinate(drawn_x), cy=coordinate(drawn_y), shares_point_with=shared[centre] - 1,
            label=point.label + (f"; drawn beside {shared[centre] - 1} other {'council' if shared[centre] == 2 else 'councils'} with the same figures" if shared[centre] > 1 else ""),
        )
        for point, centre, (drawn_x, drawn_y) in zip(points, centres, spread_points(centres))
    ]
    counts = {position: sum(point.position == position for point in points) for position in (ABOVE_998, ABOVE_95, WITHIN_95, BELOW_95, BELOW_998)}
    type_label = COUNCIL_TYPES[council_type]
    average_text = average.shown_text or ""
    summary = "; ".join(f"{count} {position}" for position, count in counts.items() if count)
    return FunnelChart(
        id=f"funnel-{council_type}-{year}",
        council_type=council_type,
        type_label=type_label,
        year=year,
        title=f"Funnel plot: complaints upheld by {COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]}, {year}",
        description=(
            f"Each dot is one of {len(points)} {COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]}: across, its number of detailed "
            f"investigations; up, the share of them upheld. The solid horizontal line is the average, "
            f"{average_text}. The dashed curves are the 95% control limits and the dotted curves the "
            f"99.8% limits; they narrow as the number of investigations grows. Councils with the same figures are "
            f"drawn side by side, in a ring round their place. Councils: {summary}. "
            f"Every council is listed in the table after the chart."
        ),
        average_text=average_text,
        frame=frame,
        x_ticks=[Tick(coordinate(x(tick)), format_number(Fraction(round(tick)), 0)) for tick in tick_values(x_max, x_step)],
        y_ticks=[Tick(coordinate(y(tick)), tick_label(UPHELD_RATE, tick)) for tick in tick_values(1.0, 0.25)],
        gridlines=gridlines_data((y(tick) for tick in tick_values(1.0, 0.25)), frame.left, frame.right),
        average_y=coordinate(y(target)),
        limits_95=limits_95,
        limits_998=limits_998,
        points=points,
        position_counts=[(position, count) for position, count in counts.items()],
        not_plotted=len(members) - len(plotted),
    )
