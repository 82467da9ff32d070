"""The numbers: rates, the ombudsman's rounding and peer averages, as pure functions.

Every rate is kept as an exact ``Fraction`` until it is shown, so rounding happens once, on
the exact value, the way the ombudsman rounds: halves away from zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Literal, Mapping

AverageMode = Literal["mean", "pooled"]
AVERAGE_MODES: tuple[AverageMode, ...] = ("mean", "pooled")

NOT_APPLICABLE = "not applicable"
NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class Statistic:
    """One of the four published statistics: which counts it divides and how it is shown."""

    key: str
    label: str
    numerator: str
    denominator: str
    scale: int
    places: int
    unit: str
    published_key: str
    denominator_noun: str
    numerator_noun: str


UPHELD_RATE = Statistic(
    key="upheld_rate",
    label="Complaints upheld",
    numerator="upheld",
    denominator="investigations",
    scale=100,
    places=0,
    unit="%",
    published_key="upheld_pct",
    denominator_noun="investigations",
    numerator_noun="upheld",
)
UPHELD_PER_100K = Statistic(
    key="upheld_per_100k",
    label="Upheld decisions per 100,000 residents",
    numerator="upheld",
    denominator="population",
    scale=100_000,
    places=1,
    unit="",
    published_key="upheld_per_100k",
    denominator_noun="residents",
    numerator_noun="upheld decisions",
)
COMPLIANCE_RATE = Statistic(
    key="compliance_rate",
    label="Compliance with recommendations",
    numerator="complied",
    denominator="compliance_outcomes",
    scale=100,
    places=0,
    unit="%",
    published_key="compliance_pct",
    denominator_noun="compliance outcomes",
    numerator_noun="complied with",
)
REMEDY_RATE = Statistic(
    key="remedy_rate",
    label="Satisfactory remedy provided by the council",
    numerator="satisfactory_remedies",
    denominator="upheld",
    scale=100,
    places=0,
    unit="%",
    published_key="remedy_pct",
    denominator_noun="upheld complaints",
    numerator_noun="remedied by the council",
)

STATISTICS: tuple[Statistic, ...] = (UPHELD_RATE, UPHELD_PER_100K, COMPLIANCE_RATE, REMEDY_RATE)
STATISTICS_BY_KEY = {statistic.key: statistic for statistic in STATISTICS}


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate, or why there is none.

    ``status`` is ``"value"`` (``value`` holds the exact ratio), ``"not applicable"`` (the
    denominator is zero) or ``"not available"`` (a count is missing).
    """

    status: str
    value: Fraction | None = None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def has_value(self) -> bool:
        return self.status == "value"


def rate(numerator: int | None, denominator: int | None) -> Rate:
    """The exact ratio numerator / denominator, "not applicable" for a zero denominator."""
    if denominator == 0:
        return Rate(NOT_APPLICABLE, None, numerator, denominator)
    if numerator is None or denominator is None:
        return Rate(NOT_AVAILABLE, None, numerator, denominator)
    return Rate("value", Fraction(numerator, denominator), numerator, denominator)


def _rounded_units(value: Fraction | int | float, places: int) -> int:
    """``value`` in units of 10**-places, rounded halves away from zero, in integer arithmetic."""
    if isinstance(value, float):
        value = Fraction(repr(value))
    numerator, denominator = value.numerator * 10**places, value.denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)  # floor(|exact| + 1/2)
    return magnitude if numerator >= 0 else -magnitude


def round_half_away(value: Fraction | int | float, places: int = 0) -> Fraction:
    """``value`` rounded to ``places`` decimal places, halves away from zero, exactly.

    A float is taken at its decimal spelling (0.05 means five hundredths), not its binary value.
    """
    return Fraction(_rounded_units(value, places), 10**places)


def scaled(statistic: Statistic, ratio: Fraction) -> Fraction:
    """The ratio in the statistic's units: a percentage, or a count per 100,000."""
    return ratio * statistic.scale


def format_number(value: Fraction, places: int) -> str:
    """An exact value written with ``places`` decimals and thousands separators, halves away from zero."""
    units = _rounded_units(value, places)
    whole, fraction_digits = divmod(abs(units), 10**places)
    text = f"{whole:,}"
    if places:
        text += "." + str(fraction_digits).rjust(places, "0")
    return ("-" if units < 0 else "") + text


def format_statistic(statistic: Statistic, ratio: Fraction) -> str:
    """A ratio as the ombudsman shows it: "63%" or "1.2"."""
    return format_number(scaled(statistic, ratio), statistic.places) + statistic.unit


def rounded_statistic(statistic: Statistic, ratio: Fraction) -> Fraction:
    """The shown value of a ratio as a number, for comparing with published figures."""
    return round_half_away(scaled(statistic, ratio), statistic.places)


def format_rate(statistic: Statistic, value: Rate) -> str:
    if value.has_value:
        assert value.value is not None
        return format_statistic(statistic, value.value)
    return value.status


def statistic_rate(statistic: Statistic, counts: Mapping[str, int | None]) -> Rate:
    return rate(counts.get(statistic.numerator), counts.get(statistic.denominator))


SINGULAR_NOUNS = {"investigations": "investigation", "compliance outcomes": "compliance outcome", "upheld complaints": "upheld complaint"}


def count_text(statistic: Statistic, value: Rate) -> str:
    """What a figure rests on, in words: "1 of 2 investigations"; empty when a count is missing."""
    if value.numerator is None or value.denominator is None:
        return ""
    if statistic is UPHELD_PER_100K:
        noun = "upheld decision" if value.numerator == 1 else "upheld decisions"
        return f"{value.numerator:,} {noun}, population {value.denominator:,}"
    noun = SINGULAR_NOUNS.get(statistic.denominator_noun, statistic.denominator_noun) if value.denominator == 1 else statistic.denominator_noun
    return f"{value.numerator:,} of {value.denominator:,} {noun}"


@dataclass(frozen=True)
class PeerAverage:
    """The average of one statistic across the councils of one type in one year."""

    value: Fraction | None
    councils: int
    numerator_total: int
    denominator_total: int
    mode: AverageMode


def peer_average(rates: Iterable[Rate], mode: AverageMode = "mean") -> PeerAverage:
    """The average of the rates with a value, each council counting once.

    ``mean`` is the mean of the councils' rates; ``pooled`` is the sum of the numerators over
    the sum of the denominators. Rates without a value (missing counts, zero denominators)
    are left out of both.
    """
    if mode not in AVERAGE_MODES:
        raise ValueError(f"average mode must be one of {', '.join(AVERAGE_MODES)}, not {mode!r}")
    counted = [value for value in rates if value.has_value]
    numerator_total = sum(value.numerator or 0 for value in counted)
    denominator_total = sum(value.denominator or 0 for value in counted)
    if not counted:
        return PeerAverage(None, 0, 0, 0, mode)
    if mode == "mean":
        average = sum((value.value for value in counted), Fraction(0)) / len(counted)
    else:
        average = Fraction(numerator_total, denominator_total)
    return PeerAverage(average, len(counted), numerator_total, denominator_total, mode)
