"""The map's colour classes, as pure functions: against the type's average, and by value.

Against the average, a council is *clearly* above or below only when the difference is larger
than chance would explain given the number of cases its figure rests on: the 95% score interval
of its rate (Wilson's for the three percentages, the Poisson score interval for upheld decisions
per 100,000 residents) lies wholly above or below the average for its type. Otherwise it is
*about the same*. One upheld of two investigations (50%, interval 9% to 91%) is about the same as
an average of 63%; 40 of 50 (80%, interval 67% to 89%) is clearly above it.

By value, the figure as shown (rounded the way the ombudsman rounds) is placed in one of three
bands with fixed limits per statistic (:data:`VALUE_BREAKS`), the same every year.

Both views use one three-step palette, light to dark for low to high, whose neighbouring colours
differ by a contrast ratio of at least 3:1; a council without a figure is never coloured, it is
drawn hatched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .metrics import UPHELD_PER_100K, Rate, Statistic, format_number, rounded_statistic

Z_95 = 1.959963984540054

AGAINST_AVERAGE = "average"
BY_VALUE = "value"
VIEWS: dict[str, str] = {AGAINST_AVERAGE: "Against the average for its type", BY_VALUE: "By the figure itself"}

BELOW, SAME, ABOVE = "below", "same", "above"
LOW, MIDDLE, HIGH = "low", "middle", "high"
NO_FIGURE = "none"

# Light to dark (viridis' ends and middle): each neighbour at least 3:1 apart (tested).
PALETTE: tuple[str, str, str] = ("#fde725", "#21918c", "#440154")
OUTLINE = "#0b0c0c"

AVERAGE_CLASSES: dict[str, tuple[str, str]] = {
    BELOW: ("Clearly below the average for its type", PALETTE[0]),
    SAME: ("About the same as the average", PALETTE[1]),
    ABOVE: ("Clearly above the average for its type", PALETTE[2]),
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


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``successes`` of ``trials`` (trials > 0)."""
    if trials <= 0:
        raise ValueError("trials must be positive")
    share = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / denominator
    half_width = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def poisson_rate_interval(count: int, exposure: int, z: float = Z_95) -> tuple[float, float]:
    """The score interval for a Poisson rate: ``count`` events among ``exposure`` (exposure > 0), per unit."""
    if exposure <= 0:
        raise ValueError("exposure must be positive")
    z2 = z * z
    spread = z * math.sqrt(count + z2 / 4)
    return max(0.0, count + z2 / 2 - spread) / exposure, (count + z2 / 2 + spread) / exposure


def rate_interval(statistic: Statistic, value: Rate) -> tuple[float, float] | None:
    """The 95% interval of a council's rate, as a ratio; ``None`` when it has no figure."""
    if not value.has_value or value.numerator is None or value.denominator is None:
        return None
    if statistic is UPHELD_PER_100K:
        return poisson_rate_interval(value.numerator, value.denominator)
    return wilson_interval(value.numerator, value.denominator)


def class_against_average(statistic: Statistic, value: Rate, average: Fraction | None) -> str:
    """BELOW, SAME or ABOVE the type's average (a ratio), or NO_FIGURE without a figure or an average."""
    interval = rate_interval(statistic, value)
    if interval is None or average is None:
        return NO_FIGURE
    low, high = interval
    if high < average:
        return BELOW
    if low > average:
        return ABOVE
    return SAME


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
    key: str
    label: str
    colour: str | None


def legend_entries(statistic: Statistic, view: str) -> list[LegendEntry]:
    if view == AGAINST_AVERAGE:
        entries = [LegendEntry(key, label, colour) for key, (label, colour) in AVERAGE_CLASSES.items()]
    else:
        entries = [LegendEntry(key, label, VALUE_COLOURS[key]) for key, label in value_class_labels(statistic).items()]
    return [*entries, LegendEntry(NO_FIGURE, NO_FIGURE_LABEL, None)]


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour."""
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4 for channel in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two "#rrggbb" colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
