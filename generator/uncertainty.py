"""How sure a figure is: confidence intervals, comparisons with the average, funnel-plot limits.

Pure functions on counts. Intervals are in the same units as :class:`~generator.metrics.Rate`
values (a ratio such as 0.5, or upheld decisions per resident); they are scaled to percentages or
"per 100,000" only when shown.

- Proportions (upheld rate, compliance, remedy): the Wilson score interval.
- Upheld decisions per 100,000 residents: the exact (Garwood) Poisson interval for the number of
  upheld decisions, divided by the population.
- Funnel plots: exact binomial control limits around a target proportion, interpolated between
  whole counts as in Spiegelhalter (2005), "Funnel plots for comparing institutional performance",
  Statistics in Medicine 24:1185-1202. The
  upper limits are the lower limits of the share *not* upheld, turned over, so that a point lies
  beyond a limit exactly when the probability of a count at least that extreme is below the
  limit's tail probability (the paper's formula, applied to upper limits directly, puts a count
  whose tail probability is well above it, such as 1 of 1, outside the 99.8% limit).

The Poisson and binomial quantiles are found by bisection on their cumulative distribution
functions, summed in log space; the normal quantile comes from the standard library.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import Mapping

from .metrics import (
    COMPLIANCE_RATE,
    REMEDY_RATE,
    UPHELD_PER_100K,
    UPHELD_RATE,
    Rate,
    Statistic,
    round_half_away,
)

CONFIDENCE = 0.95
Z_95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054
DEFAULT_MIN_CASES = 10

HIGHER = "higher than"
SIMILAR = "similar to"
LOWER = "lower than"
TOO_FEW = "too few cases to compare"
NO_AVERAGE = "no average to compare with"
VERDICTS = (HIGHER, SIMILAR, LOWER, TOO_FEW, NO_AVERAGE)


@dataclass(frozen=True, slots=True)
class Interval:
    """A range of plausible values, ``lower`` to ``upper`` inclusive."""

    lower: float | Fraction
    upper: float | Fraction

    def scaled(self, factor: int | float | Fraction) -> "Interval":
        return Interval(self.lower * factor, self.upper * factor)


def z_for(confidence: float) -> float:
    """The standard normal quantile for a two-sided interval: 1.96 for 0.95."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Interval:
    """The Wilson score interval for ``successes`` out of ``trials`` (trials > 0)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, not {successes} of {trials}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    lower = 0.0 if successes == 0 else max(0.0, centre - half_width)
    upper = 1.0 if successes == trials else min(1.0, centre + half_width)
    return Interval(lower, upper)


def poisson_cdf(events: int, mean: float) -> float:
    """P(X <= events) for X ~ Poisson(mean), summed in log space."""
    if events < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    log_mean = math.log(mean)
    return min(1.0, math.fsum(math.exp(i * log_mean - mean - math.lgamma(i + 1)) for i in range(events + 1)))


def _bisect_decreasing(function, target: float, low: float, high: float) -> float:
    """The x in [low, high] where a decreasing ``function`` crosses ``target``."""
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if function(middle) > target:
            low = middle
        else:
            high = middle
        if high - low <= 1e-13 * max(1.0, high):
            break
    return (low + high) / 2


@functools.lru_cache(maxsize=4096)
def poisson_interval(events: int, confidence: float = CONFIDENCE) -> Interval:
    """The exact (Garwood) interval for the mean of a Poisson count, in events.

    The lower end is the mean at which ``events`` or more would happen with probability
    (1 - confidence) / 2, the upper end the mean at which ``events`` or fewer would; the lower
    end is 0 for no events. These equal chi-square quantiles: chi2(a/2, 2k)/2 and chi2(1-a/2, 2k+2)/2.
    """
    if events < 0:
        raise ValueError(f"a count of events cannot be negative, not {events}")
    tail = (1 - confidence) / 2
    high = events + 10 + 10 * math.sqrt(events)
    while poisson_cdf(events, high) > tail:
        high *= 2
    upper = _bisect_decreasing(lambda mean: poisson_cdf(events, mean), tail, 0.0, high)
    if events == 0:
        return Interval(0.0, upper)
    lower = _bisect_decreasing(lambda mean: poisson_cdf(events - 1, mean), 1 - tail, 0.0, float(events))
    return Interval(lower, upper)


def binomial_quantiles(target: float, trials: int, probabilities: tuple[float, ...]) -> tuple[float, ...]:
    """The given quantiles (ascending) of the proportion of successes in ``trials`` draws at ``target``.

    Exact binomial, interpolated between whole counts (Spiegelhalter 2005, appendix A.1.1): with r
    the smallest count whose cumulative probability F(r) reaches the probability p, the limit is
    (r - a) / trials where a = (F(r) - p) / P(R = r). Kept within 0 to 1. One pass finds them all.
    A count r lies below the quantile for a small p exactly when F(r) < p.
    """
    if trials <= 0:
        raise ValueError(f"trials must be positive, not {trials}")
    if list(probabilities) != sorted(probabilities):
        raise ValueError("probabilities must be in ascending order")
    if target <= 0 or target >= 1:
        return tuple(float(min(max(target, 0), 1)) for _ in probabilities)
    # Terms more than 12 standard deviations below the mean weigh less than 1e-30: start there.
    deviation = math.sqrt(trials * target * (1 - target))
    start = max(0, math.floor(trials * target - 12 * deviation - 1))
    log_odds = math.log(target) - math.log1p(-target)
    log_pmf = (
        math.lgamma(trials + 1) - math.lgamma(start + 1) - math.lgamma(trials - start + 1)
        + start * math.log(target) + (trials - start) * math.log1p(-target)
    )
    limits: list[float] = []
    cumulative = 0.0
    for count in range(start, trials + 1):
        pmf = math.exp(log_pmf)
        cumulative += pmf
        while len(limits) < len(probabilities) and cumulative >= probabilities[len(limits)] - 1e-15:
            share = (cumulative - probabilities[len(limits)]) / pmf if pmf > 0 else 0.0
            limits.append(min(1.0, max(0.0, (count - min(1.0, max(0.0, share))) / trials)))
        if len(limits) == len(probabilities):
            break
        if count < trials:
            log_pmf += math.log((trials - count) / (count + 1)) + log_odds
    limits.extend(1.0 for _ in range(len(probabilities) - len(limits)))
    return tuple(limits)


@dataclass(frozen=True)
class ControlLimits:
    """Funnel-plot limits around a target proportion for one number of trials."""

    trials: int
    lower_998: float
    lower_95: float
    upper_95: float
    upper_998: float


@functools.lru_cache(maxsize=65536)
def control_limits(target: float, trials: int) -> ControlLimits:
    """95% and 99.8% exact binomial control limits (two-sided) at ``trials``.

    A share lies above the upper 95% limit exactly when the chance of that many or more at the
    target is under 2.5%, and below the lower one when the chance of that many or fewer is.
    """
    lower_998, lower_95 = binomial_quantiles(target, trials, (0.001, 0.025))
    not_upper_998, not_upper_95 = binomial_quantiles(1 - target, trials, (0.001, 0.025))
    return ControlLimits(trials, lower_998, lower_95, 1 - not_upper_95, 1 - not_upper_998)


ABOVE_998 = "above the 99.8% limit"
ABOVE_95 = "above the 95% limit"
WITHIN_95 = "within the 95% limits"
BELOW_95 = "below the 95% limit"
BELOW_998 = "below the 99.8% limit"


def funnel_position(value: Fraction | float, limits: ControlLimits) -> str:
    """Where a proportion lies against the control limits; a point on a limit is inside it."""
    if value > limits.upper_998:
        return ABOVE_998
    if value > limits.upper_95:
        return ABOVE_95
    if value < limits.lower_998:
        return BELOW_998
    if value < limits.lower_95:
        return BELOW_95
    return WITHIN_95


# Which count a comparison rests on: the cases behind the figure. For the proportions that is the
# count divided by; for upheld decisions per 100,000 residents it is the number of upheld
# decisions, the count the Poisson interval is built from (the population is not a number of cases).
CASES: dict[str, tuple[str, str, str]] = {
    UPHELD_RATE.key: ("investigations", "investigation", "investigations"),
    UPHELD_PER_100K.key: ("upheld", "upheld decision", "upheld decisions"),
    COMPLIANCE_RATE.key: ("compliance_outcomes", "compliance outcome", "compliance outcomes"),
    REMEDY_RATE.key: ("upheld", "upheld complaint", "upheld complaints"),
}


def cases_text(statistic: Statistic, cases: int) -> str:
    """The count a comparison rests on, in words: "2 investigations"."""
    _, singular, plural = CASES[statistic.key]
    return f"{cases:,} {singular if cases == 1 else plural}"


def rate_interval(statistic: Statistic, value: Rate, confidence: float = CONFIDENCE) -> Interval | None:
    """The confidence interval of a rate, in its own units (a ratio); None when it has no value."""
    if not value.has_value or value.numerator is None or value.denominator is None:
        return None
    return _intervals(statistic, value.numerator, value.denominator, confidence)[0]


@functools.lru_cache(maxsize=65536)
def _intervals(statistic: Statistic, numerator: int, denominator: int, confidence: float) -> tuple[Interval, Interval]:
    """The exact interval of numerator / denominator and the same rounded as shown; many council
    years share their counts, so each pair is worked out once."""
    if statistic.key == UPHELD_PER_100K.key:
        events = poisson_interval(numerator, confidence)
        interval = Interval(events.lower / denominator, events.upper / denominator)
    else:
        interval = wilson_interval(numerator, denominator, z_for(confidence))
    return interval, Interval(shown_value(statistic, interval.lower), shown_value(statistic, interval.upper))


def shown_value(statistic: Statistic, ratio: Fraction | float) -> Fraction:
    """A ratio rounded as the page shows it, back in ratio units: 0.0945 -> 9% -> 9/100."""
    if isinstance(ratio, float):
        ratio = Fraction(ratio)
    return round_half_away(ratio * statistic.scale, statistic.places) / statistic.scale


def verdict(interval: Interval, average: Fraction | float | None, cases: int, min_cases: int) -> str:
    """How a figure compares with an average, given its interval and the cases it rests on.

    "higher than" or "lower than" only when the whole interval lies above or below the average;
    an interval that reaches the average, even only touching it, is "similar to" it. Fewer than
    ``min_cases`` cases are "too few cases to compare", whatever the interval says.
    """
    if average is None:
        return NO_AVERAGE
    if cases < min_cases:
        return TOO_FEW
    if interval.lower > average:
        return HIGHER
    if interval.upper < average:
        return LOWER
    return SIMILAR


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure's interval and how it compares with its type's average.

    ``interval`` is exact, in ratio units; ``shown_interval`` and ``average`` are rounded as the
    page shows them, and the verdict is made on those, so a reader can check it from the page
    (the published averages are themselves rounded, so a finer comparison would claim too much).
    """

    statistic: Statistic
    interval: Interval
    shown_interval: Interval
    average: Fraction | None
    cases: int
    min_cases: int
    verdict: str


def compare(
    statistic: Statistic,
    value: Rate,
    counts: Mapping[str, int | None],
    average: Fraction | None,
    min_cases: int = DEFAULT_MIN_CASES,
    confidence: float = CONFIDENCE,
) -> Comparison | None:
    """The interval and verdict of one rate against an average; None when the rate has no value."""
    if not value.has_value or value.numerator is None or value.denominator is None:
        return None
    interval, shown_interval = _intervals(statistic, value.numerator, value.denominator, confidence)
    cases = counts.get(CASES[statistic.key][0])
    if cases is None:
        raise ValueError(f"{statistic.key} has a value but no {CASES[statistic.key][0]} count")
    shown_average = shown_value(statistic, average) if average is not None else None
    return Comparison(
        statistic=statistic,
        interval=interval,
        shown_interval=shown_interval,
        average=shown_average,
        cases=cases,
        min_cases=min_cases,
        verdict=verdict(shown_interval, shown_average, cases, min_cases),
    )
