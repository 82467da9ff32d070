"""Intervals, verdicts and funnel limits against values worked out by hand or from published tables."""

from fractions import Fraction
from math import comb, exp

import pytest

from generator.metrics import COMPLIANCE_RATE, REMEDY_RATE, UPHELD_PER_100K, UPHELD_RATE, rate
from generator.uncertainty import (
    ABOVE_95,
    ABOVE_998,
    BELOW_95,
    BELOW_998,
    HIGHER,
    LOWER,
    NO_AVERAGE,
    SIMILAR,
    TOO_FEW,
    WITHIN_95,
    ControlLimits,
    Interval,
    binomial_quantiles,
    cases_text,
    compare,
    control_limits,
    funnel_position,
    poisson_cdf,
    poisson_interval,
    rate_interval,
    verdict,
    wilson_interval,
)

Z = 1.959963984540054  # z for 95%; z^2 = 3.841458821


@pytest.mark.parametrize(
    ("successes", "trials", "lower", "upper"),
    [
        # (x + z^2/2 -+ z sqrt(x(n-x)/n + z^2/4)) / (n + z^2)
        # 1 of 2: (2.920729 -+ 1.959964 * 1.208456) / 5.841459 = (2.920729 -+ 2.368531) / 5.841459
        (1, 2, 0.0945312, 0.9054688),
        # 0 of 5: lower 0; upper z^2 / (5 + z^2) = 3.841459 / 8.841459
        (0, 5, 0.0, 0.4344825),
        # 5 of 5: lower 5 / (5 + z^2); upper 1
        (5, 5, 0.5655175, 1.0),
        # 63 of 64: (64.920729 -+ 1.959964 * sqrt(0.984375 + 0.960365)) / 67.841459
        #         = (64.920729 -+ 2.733247) / 67.841459
        (63, 64, 0.9166590, 0.9972365),
    ],
)
def test_wilson_interval(successes, trials, lower, upper):
    interval = wilson_interval(successes, trials)
    assert interval.lower == pytest.approx(lower, abs=1e-6)
    assert interval.upper == pytest.approx(upper, abs=1e-6)


def test_wilson_interval_ends_are_exact_at_none_and_all():
    assert wilson_interval(0, 7).lower == 0
    assert wilson_interval(7, 7).upper == 1


def test_wilson_interval_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(1, 0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_poisson_cdf_in_log_space():
    # P(X <= 2) at mean 1 is e^-1 (1 + 1 + 1/2)
    assert poisson_cdf(2, 1.0) == pytest.approx(2.5 * exp(-1), rel=1e-12)
    assert poisson_cdf(0, 0.0) == 1.0
    # Far tail at a large mean: no overflow, P(X <= 0) at 800 is e^-800 (about 3.6e-348, below a double)
    assert poisson_cdf(0, 800.0) == 0.0


@pytest.mark.parametrize(
    ("events", "lower", "upper"),
    [
        # 0 events: upper solves e^-m = 0.025, m = ln 40 = 3.688879
        (0, 0.0, 3.688879),
        # 1 event: lower solves 1 - e^-m = 0.025, m = -ln 0.975 = 0.025318;
        # upper solves e^-m (1 + m) = 0.025: 5.571643 (Garwood's table: 5.572)
        (1, 0.025318, 5.571643),
        # 10 events: chi2(0.025, 20) / 2 = 9.59078 / 2; chi2(0.975, 22) / 2 = 36.7807 / 2
        (10, 4.795389, 18.390356),
        # 100 events: chi2(0.025, 200) / 2 = 162.728 / 2; chi2(0.975, 202) / 2 = 243.2536 / 2
        (100, 81.364, 121.627),
    ],
)
def test_exact_poisson_interval(events, lower, upper):
    interval = poisson_interval(events)
    assert interval.lower == pytest.approx(lower, abs=1e-3 if events == 100 else 1e-5)
    assert interval.upper == pytest.approx(upper, abs=1e-3 if events == 100 else 1e-5)


def test_upheld_per_100k_interval_is_the_poisson_interval_over_the_population():
    interval = rate_interval(UPHELD_PER_100K, rate(1, 87132)).scaled(100_000)
    # 0.025318 / 87,132 * 100,000 and 5.571643 / 87,132 * 100,000
    assert interval.lower == pytest.approx(0.029057, abs=1e-5)
    assert interval.upper == pytest.approx(6.394486, abs=1e-5)


def test_proportions_use_the_wilson_interval_and_no_value_has_no_interval():
    assert rate_interval(REMEDY_RATE, rate(1, 2)) == wilson_interval(1, 2)
    assert rate_interval(UPHELD_RATE, rate(0, 0)) is None
    assert rate_interval(COMPLIANCE_RATE, rate(None, 4)) is None


def test_verdict_only_says_higher_or_lower_when_the_interval_excludes_the_average():
    interval = Interval(Fraction(2, 10), Fraction(5, 10))
    assert verdict(interval, Fraction(1, 10), cases=20, min_cases=10) == HIGHER
    assert verdict(interval, Fraction(6, 10), cases=20, min_cases=10) == LOWER
    assert verdict(interval, Fraction(3, 10), cases=20, min_cases=10) == SIMILAR


def test_interval_touching_the_average_is_similar():
    interval = Interval(Fraction(2, 10), Fraction(5, 10))
    assert verdict(interval, Fraction(5, 10), cases=20, min_cases=10) == SIMILAR
    assert verdict(interval, Fraction(2, 10), cases=20, min_cases=10) == SIMILAR
    assert verdict(interval, Fraction(50001, 100000), cases=20, min_cases=10) == LOWER
    assert verdict(interval, Fraction(19999, 100000), cases=20, min_cases=10) == HIGHER


def test_too_few_cases_just_below_the_threshold_and_compared_at_it():
    interval = Interval(Fraction(2, 10), Fraction(5, 10))
    assert verdict(interval, Fraction(9, 10), cases=9, min_cases=10) == TOO_FEW
    assert verdict(interval, Fraction(9, 10), cases=10, min_cases=10) == LOWER
    assert verdict(interval, Fraction(9, 10), cases=0, min_cases=0) == LOWER
    assert verdict(interval, None, cases=100, min_cases=10) == NO_AVERAGE


def test_compare_uses_the_count_the_figure_rests_on():
    # 1 of 2 investigations upheld: 2 cases, under 10
    upheld = compare(UPHELD_RATE, rate(1, 2), {"upheld": 1, "investigations": 2}, Fraction(63, 100))
    assert upheld.verdict == TOO_FEW and upheld.cases == 2
    # per 100,000: the cases are the 12 upheld decisions, not the population
    counts = {"upheld": 12, "investigations": 12, "population": 100_000}
    per_100k = compare(UPHELD_PER_100K, rate(12, 100_000), counts, Fraction(1, 100_000))
    assert per_100k.cases == 12 and per_100k.verdict == HIGHER
    remedy = compare(REMEDY_RATE, rate(3, 12), {"upheld": 12, "satisfactory_remedies": 3}, None)
    assert remedy.cases == 12 and remedy.verdict == NO_AVERAGE
    assert compare(UPHELD_RATE, rate(0, 0), {"upheld": 0, "investigations": 0}, Fraction(1, 2)) is None


def test_compare_at_the_threshold_and_just_below():
    # 0 of 10: Wilson upper z^2 / (10 + z^2) = 3.841459 / 13.841459 = 0.277530, shown 28%
    at = compare(UPHELD_RATE, rate(0, 10), {"upheld": 0, "investigations": 10}, Fraction(29, 100))
    assert at.verdict == LOWER
    below = compare(UPHELD_RATE, rate(0, 9), {"upheld": 0, "investigations": 9}, Fraction(29, 100))
    assert below.verdict == TOO_FEW


def test_compare_judges_the_figures_as_shown():
    # 0 of 10: upper 27.753% is shown as 28%; an average shown as 28% touches it
    counts = {"upheld": 0, "investigations": 10}
    assert compare(UPHELD_RATE, rate(0, 10), counts, Fraction(28, 100)).verdict == SIMILAR
    assert compare(UPHELD_RATE, rate(0, 10), counts, Fraction(2776, 10000)).verdict == SIMILAR  # 27.76% shows as 28%
    assert compare(UPHELD_RATE, rate(0, 10), counts, Fraction(2850, 10000)).verdict == LOWER  # 28.5% shows as 29%
    # a lower end of exactly 0 touches an average of 0
    assert compare(UPHELD_RATE, rate(0, 10), counts, Fraction(0)).verdict == SIMILAR
    # 10 upheld decisions among 100,000 residents: 4.795 to 18.390 per 100,000, shown 4.8 to 18.4
    per_100k = {"upheld": 10, "population": 100_000}
    assert compare(UPHELD_PER_100K, rate(10, 100_000), per_100k, Fraction(48, 10) / 100_000).verdict == SIMILAR
    assert compare(UPHELD_PER_100K, rate(10, 100_000), per_100k, Fraction(47, 10) / 100_000).verdict == HIGHER
    assert compare(UPHELD_PER_100K, rate(10, 100_000), per_100k, Fraction(185, 10) / 100_000).verdict == LOWER


def test_cases_text():
    assert cases_text(UPHELD_RATE, 2) == "2 investigations"
    assert cases_text(UPHELD_PER_100K, 1) == "1 upheld decision"
    assert cases_text(COMPLIANCE_RATE, 1200) == "1,200 compliance outcomes"


def brute_force_quantile(target: Fraction, trials: int, probability: Fraction) -> Fraction:
    """Spiegelhalter's interpolated binomial quantile, with exact fractions and math.comb."""
    cumulative = Fraction(0)
    for count in range(trials + 1):
        pmf = comb(trials, count) * target**count * (1 - target) ** (trials - count)
        cumulative += pmf
        if cumulative >= probability:
            return min(Fraction(1), max(Fraction(0), (count - (cumulative - probability) / pmf) / trials))
    raise AssertionError


def test_binomial_control_limits_by_hand():
    # 10 trials at 0.5: F(0) = 1/1024, F(1) = 11/1024, F(2) = 56/1024
    # 0.001: r = 1, a = (11/1024 - 0.001) / (10/1024) = 0.9976, limit (1 - 0.9976) / 10 = 0.00024
    # 0.025: r = 2, a = (56 - 25.6) / 45, limit (2 - a) / 10 = 0.1324444
    # at 0.5 the share not upheld has the same distribution, so the upper limits mirror the lower
    limits = control_limits(0.5, 10)
    assert limits.lower_998 == pytest.approx(0.00024, abs=1e-12)
    assert limits.lower_95 == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)
    assert limits.upper_95 == pytest.approx(1 - (2 - 30.4 / 45) / 10, abs=1e-12)
    assert limits.upper_998 == pytest.approx(1 - 0.00024, abs=1e-12)
    # 1 trial at 0.63: F(0) = 0.37, so every lower quantile falls below 0 and is kept at 0; for the
    # share not upheld F(0) = 0.63, likewise, so the upper limits are 1: one case is never unusual
    assert control_limits(0.63, 1) == ControlLimits(1, 0.0, 0.0, 1.0, 1.0)


@pytest.mark.parametrize(("target", "trials"), [(Fraction(63, 100), 7), (Fraction(1, 5), 23), (Fraction(9, 10), 40)])
def test_binomial_quantiles_match_exact_arithmetic(target, trials):
    probabilities = (Fraction(1, 1000), Fraction(25, 1000), Fraction(975, 1000), Fraction(999, 1000))
    computed = binomial_quantiles(float(target), trials, tuple(float(p) for p in probabilities))
    expected = [float(brute_force_quantile(target, trials, p)) for p in probabilities]
    assert computed == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("target", "trials"), [(Fraction(63, 100), 1), (Fraction(63, 100), 12), (Fraction(1, 5), 23), (Fraction(9, 10), 40)])
def test_a_point_is_outside_a_limit_exactly_when_its_tail_probability_is_below_it(target, trials):
    limits = control_limits(float(target), trials)
    pmf = [comb(trials, count) * target**count * (1 - target) ** (trials - count) for count in range(trials + 1)]
    for count in range(trials + 1):
        at_most, at_least = sum(pmf[: count + 1]), sum(pmf[count:])
        expected = (
            ABOVE_998 if at_least < Fraction(1, 1000) else ABOVE_95 if at_least < Fraction(25, 1000)
            else BELOW_998 if at_most < Fraction(1, 1000) else BELOW_95 if at_most < Fraction(25, 1000)
            else WITHIN_95
        )
        assert funnel_position(Fraction(count, trials), limits) == expected, count


def test_binomial_control_limits_approach_the_normal_ones_for_many_trials():
    # 10,000 trials at 0.5: standard error 0.005; 1.96 and 3.09 of them either side
    limits = control_limits(0.5, 10_000)
    assert limits.upper_95 == pytest.approx(0.5 + Z * 0.005, abs=2e-4)
    assert limits.lower_95 == pytest.approx(0.5 - Z * 0.005, abs=2e-4)
    assert limits.upper_998 == pytest.approx(0.5 + 3.090232 * 0.005, abs=2e-4)
    assert limits.lower_998 == pytest.approx(0.5 - 3.090232 * 0.005, abs=2e-4)


def test_control_limits_at_a_target_of_none_or_all_are_the_target():
    assert control_limits(0.0, 5) == ControlLimits(5, 0.0, 0.0, 0.0, 0.0)
    assert control_limits(1.0, 5) == ControlLimits(5, 1.0, 1.0, 1.0, 1.0)


def test_funnel_position_counts_a_point_on_a_limit_as_inside():
    limits = ControlLimits(10, Fraction(1, 20), Fraction(1, 5), Fraction(4, 5), Fraction(19, 20))
    assert funnel_position(Fraction(1, 2), limits) == WITHIN_95
    assert funnel_position(Fraction(8, 10), limits) == WITHIN_95
    assert funnel_position(Fraction(2, 10), limits) == WITHIN_95
    assert funnel_position(Fraction(9, 10), limits) == ABOVE_95
    assert funnel_position(Fraction(96, 100), limits) == ABOVE_998
    assert funnel_position(Fraction(1, 10), limits) == BELOW_95
    assert funnel_position(Fraction(0), limits) == BELOW_998
