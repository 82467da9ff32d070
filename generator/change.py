"""What changed since last year, per statistic, and whether the change is more than chance.

Pure functions on counts, exact at any size:

- a share (upheld, compliance, remedy): Fisher's exact test on the 2 x 2 table of this year's and
  last year's counts, two-sided, summing the probabilities of every table with the same margins that
  is no more likely than the one seen;
- upheld decisions per 100,000 residents: the conditional test of two Poisson rates. Given the
  upheld decisions of both years together, n, this year's count is binomial(n, p) with p this
  year's share of the residents of both years, if the rate did not change; two-sided as above.

A change is called only when the p-value is under 5% and both years rest on at least ``min_cases``
cases, the same threshold as the comparisons with the average.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .metrics import UPHELD_PER_100K, Rate, Statistic, format_statistic
from .uncertainty import DEFAULT_MIN_CASES

SIGNIFICANCE = 0.05
ROUNDING_SLACK = 1 + 1e-7  # tables as likely as the one seen, to within floating-point error, count too

UP = "higher"
DOWN = "lower"
NO_CLEAR_CHANGE = "no clear change"
TOO_FEW_TO_TELL = "too few cases to tell"
CHANGES = (UP, DOWN, NO_CLEAR_CHANGE, TOO_FEW_TO_TELL)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact_p(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> float:
    """Two-sided p-value of Fisher's exact test: successes_a of trials_a against successes_b of trials_b."""
    if not (0 <= successes_a <= trials_a and 0 <= successes_b <= trials_b):
        raise ValueError("need 0 <= successes <= trials in both groups")
    successes = successes_a + successes_b
    total = trials_a + trials_b
    low, high = max(0, successes - trials_b), min(successes, trials_a)
    log_denominator = _log_choose(total, successes)

    def log_p(k: int) -> float:
        return _log_choose(trials_a, k) + _log_choose(trials_b, successes - k) - log_denominator

    observed = log_p(successes_a)
    threshold = observed + math.log(ROUNDING_SLACK)
    return min(1.0, math.fsum(math.exp(log_p(k)) for k in range(low, high + 1) if log_p(k) <= threshold))


def binomial_two_sided_p(successes: int, trials: int, probability: float) -> float:
    """Two-sided exact binomial p-value: the probability of every count no more likely than ``successes``."""
    if trials == 0:
        return 1.0
    if probability <= 0 or probability >= 1:
        expected = 0 if probability <= 0 else trials
        return 1.0 if successes == expected else 0.0
    log_q, log_r = math.log(probability), math.log1p(-probability)

    def log_p(k: int) -> float:
        return _log_choose(trials, k) + k * log_q + (trials - k) * log_r

    threshold = log_p(successes) + math.log(ROUNDING_SLACK)
    return min(1.0, math.fsum(math.exp(log_p(k)) for k in range(trials + 1) if log_p(k) <= threshold))


def poisson_rates_p(events_a: int, exposure_a: int, events_b: int, exposure_b: int) -> float:
    """Two-sided p-value of the conditional test that two Poisson rates (events per exposure) are equal."""
    if exposure_a <= 0 or exposure_b <= 0:
        raise ValueError("exposures must be positive")
    return binomial_two_sided_p(events_a, events_a + events_b, exposure_a / (exposure_a + exposure_b))


@dataclass(frozen=True, slots=True)
class Change:
    """One statistic from last year to this: both figures as shown, the p-value and the verdict."""

    statistic: Statistic
    previous_text: str
    current_text: str
    p_value: float
    change: str


def cases_of(statistic: Statistic, value: Rate) -> int:
    """The cases a figure rests on: its denominator, or for the rate per 100,000 its upheld decisions."""
    assert value.numerator is not None and value.denominator is not None
    return value.numerator if statistic.key == UPHELD_PER_100K.key else value.denominator


def year_change(statistic: Statistic, previous: Rate, current: Rate, min_cases: int = DEFAULT_MIN_CASES) -> Change | None:
    """How a statistic changed from ``previous`` to ``current``; None unless both have a figure."""
    if not (previous.has_value and current.has_value):
        return None
    assert previous.value is not None and current.value is not None
    assert None not in (previous.numerator, previous.denominator, current.numerator, current.denominator)
    if statistic.key == UPHELD_PER_100K.key:
        p_value = poisson_rates_p(current.numerator, current.denominator, previous.numerator, previous.denominator)
    else:
        p_value = fisher_exact_p(current.numerator, current.denominator, previous.numerator, previous.denominator)
    if min(cases_of(statistic, previous), cases_of(statistic, current)) < min_cases:
        verdict = TOO_FEW_TO_TELL
    elif p_value < SIGNIFICANCE and current.value != previous.value:
        verdict = UP if current.value > previous.value else DOWN
    else:
        verdict = NO_CLEAR_CHANGE
    return Change(statistic, format_statistic(statistic, previous.value), format_statistic(statistic, current.value), p_value, verdict)


def change_text(change: Change, previous_year: str) -> str:
    """The change in words, with the same care as the comparisons with the average."""
    since = f"{change.previous_text} in {previous_year}"
    if change.change == TOO_FEW_TO_TELL:
        return f"{change.current_text}, from {since}: too few cases to tell whether it changed"
    if change.change == NO_CLEAR_CHANGE:
        if change.current_text == change.previous_text:
            return f"{change.current_text}, as in {previous_year}"
        return f"{change.current_text}, from {since}: no clear change (the difference could be chance)"
    return f"{change.current_text}, from {since}: {change.change}, by more than chance alone is likely to explain"
