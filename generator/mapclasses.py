"""The map's colour classes, as pure functions: against the type's average, and by value.

Against the average, a council's class is the verdict its own page gives the figure
(:attr:`Results.comparisons <generator.compute.Results.comparisons>`, made in
:mod:`generator.uncertainty`): lower than, similar to or higher than the average take the palette's
light, middle and dark colours. A figure resting on too few cases is not compared, so it is drawn
with a dotted pattern; a council without a figure (or, in principle, without an average to compare
with, which the data cannot give: a council's own figure makes an average) is drawn hatched.

By value, the figure as shown (rounded the way the ombudsman rounds) is placed in one of three
bands with fixed limits per statistic (:data:`VALUE_BREAKS`), the same every year.

Both views use one three-step palette, light to dark for low to high, whose neighbouring colours
differ by a contrast ratio of at least 3:1; the patterns' ink is at least 3:1 against their white.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .metrics import Rate, Statistic, format_number, rounded_statistic
from .uncertainty import HIGHER, LOWER, NO_AVERAGE, SIMILAR, TOO_FEW, Comparison
from .views import VERDICT_TEXT

AGAINST_AVERAGE = "average"
BY_VALUE = "value"
VIEWS: dict[str, str] = {AGAINST_AVERAGE: "Against the average for its type", BY_VALUE: "By the figure itself"}

LOWER_CLASS, SIMILAR_CLASS, HIGHER_CLASS, TOO_FEW_CLASS = "lower", "similar", "higher", "few"
LOW, MIDDLE, HIGH = "low", "middle", "high"
NO_FIGURE = "none"

# Light to dark (viridis' ends and middle): each neighbour at least 3:1 apart (tested).
PALETTE: tuple[str, str, str] = ("#fde725", "#21918c", "#440154")
OUTLINE = "#0b0c0c"
# The patterns for areas the view does not colour: dark ink on white, at least 3:1 apart (tested).
PATTERN_INK, PATTERN_PAPER = "#505a5f", "#ffffff"
PATTERNS: dict[str, str] = {TOO_FEW_CLASS: "perfsite-too-few", NO_FIGURE: "perfsite-no-figures"}

VERDICT_CLASSES: dict[str, str] = {
    LOWER: LOWER_CLASS,
    SIMILAR: SIMILAR_CLASS,
    HIGHER: HIGHER_CLASS,
    TOO_FEW: TOO_FEW_CLASS,
    NO_AVERAGE: NO_FIGURE,
}
AVERAGE_CLASSES: dict[str, tuple[str, str]] = {
    LOWER_CLASS: (f"{VERDICT_TEXT[LOWER]} for its type", PALETTE[0]),
    SIMILAR_CLASS: (VERDICT_TEXT[SIMILAR], PALETTE[1]),
    HIGHER_CLASS: (f"{VERDICT_TEXT[HIGHER]} for its type", PALETTE[2]),
}
VALUE_COLOURS: dict[str, str] = {LOW: PALETTE[0], MIDDLE: PALETTE[1], HIGH: PALETTE[2]}
NO_FIGURE_LABEL = "No figures"

# Lower limits of the middle and high bands, in the statistic's shown units.
VALUE_BREAKS: dict[str, tuple[Fraction, Fraction]] = {
    "upheld_rate": (Fraction(60), Fraction(80)),
    "upheld_per_100k": (Fraction(2), Fraction(5)),
    "compliance_rate": (Fraction(95), Fraction(100)),
    "remedy_rate": (Fraction(10), Fraction(20)),
}


def class_against_average(comparison: Comparison | None) -> str:
    """The class of a figure's verdict against its type's average; NO_FIGURE without a figure."""
    if comparison is None:
        return NO_FIGURE
    return VERDICT_CLASSES[comparison.verdict]


def class_by_value(statistic: Statistic, value: Rate) -> str:
    """LOW, MIDDLE or HIGH by the figure as shown (so 79.5% counts as 80%), or NO_FIGURE."""
    if not value.has_value or value.value is None:
        return NO_FIGURE
    shown = rounded_statistic(statistic, value.value)
    middle, high = VALUE_BREAKS[statistic.key]
    if shown >= high:
        return HIGH
    if shown >= middle:
        return MIDDLE
    return LOW


def value_class_labels(statistic: Statistic) -> dict[str, str]:
    """The bands in words, as figures are shown: "Under 60%", "60% to 79%", "80% or more"."""
    middle, high = VALUE_BREAKS[statistic.key]
    step = Fraction(1, 10**statistic.places)

    def shown(number: Fraction) -> str:
        return format_number(number, statistic.places) + statistic.unit

    top = f"{shown(high)} or more" if not (statistic.unit == "%" and high == 100) else shown(high)
    return {LOW: f"Under {shown(middle)}", MIDDLE: f"{shown(middle)} to {shown(high - step)}", HIGH: top}


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's key: a colour, or the id of a pattern (``colour`` None)."""

    key: str
    label: str
    colour: str | None
    pattern: str | None = None


def legend_entries(statistic: Statistic, view: str) -> list[LegendEntry]:
    if view == AGAINST_AVERAGE:
        entries = [LegendEntry(key, label, colour) for key, (label, colour) in AVERAGE_CLASSES.items()]
        entries.append(LegendEntry(TOO_FEW_CLASS, VERDICT_TEXT[TOO_FEW], None, PATTERNS[TOO_FEW_CLASS]))
    else:
        entries = [LegendEntry(key, label, VALUE_COLOURS[key]) for key, label in value_class_labels(statistic).items()]
    return [*entries, LegendEntry(NO_FIGURE, NO_FIGURE_LABEL, None, PATTERNS[NO_FIGURE])]


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour."""
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4 for channel in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two "#rrggbb" colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
