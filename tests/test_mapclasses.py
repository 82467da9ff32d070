"""The map's colour classes: intervals worked out by hand, bands, and the palette's contrast."""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator.mapclasses import (
    ABOVE,
    AGAINST_AVERAGE,
    BELOW,
    BY_VALUE,
    HIGH,
    LOW,
    MIDDLE,
    NO_FIGURE,
    PALETTE,
    SAME,
    class_against_average,
    class_by_value,
    contrast_ratio,
    legend_entries,
    poisson_rate_interval,
    value_class_labels,
    wilson_interval,
)
from generator.metrics import COMPLIANCE_RATE, REMEDY_RATE, UPHELD_PER_100K, UPHELD_RATE, rate


def test_wilson_interval_one_of_two():
    # p = 0.5, n = 2, z^2 = 3.8415: centre (0.5 + 0.9604) / 2.9208 = 0.5,
    # half-width 1.96 * sqrt(0.125 + 0.2401) / 2.9208 = 0.4055
    low, high = wilson_interval(1, 2)
    assert low == pytest.approx(0.0945, abs=5e-4)
    assert high == pytest.approx(0.9055, abs=5e-4)


def test_wilson_interval_none_of_ten():
    # p = 0: centre = half-width = (3.8415 / 20) / 1.38415 = 0.1388
    low, high = wilson_interval(0, 10)
    assert low == 0
    assert high == pytest.approx(0.2775, abs=5e-4)


def test_poisson_interval_four_per_hundred_thousand():
    # 4 + 1.9208 -/+ 1.96 * sqrt(4.9604) = 5.9208 -/+ 4.3653 events
    low, high = poisson_rate_interval(4, 100_000)
    assert low * 100_000 == pytest.approx(1.5555, abs=1e-3)
    assert high * 100_000 == pytest.approx(10.2861, abs=1e-3)
    assert poisson_rate_interval(0, 100_000)[0] == 0


@pytest.mark.parametrize(
    ("upheld", "investigations", "average_percent", "expected"),
    [
        (1, 2, 63, SAME),      # 50% on 2 cases: interval 9% to 91%
        (40, 50, 63, ABOVE),   # 80%: interval 67% to 89%
        (2, 20, 63, BELOW),    # 10%: interval 3% to 30%
        (5, 8, 63, SAME),
    ],
)
def test_against_average_allows_for_how_few_cases_a_figure_rests_on(upheld, investigations, average_percent, expected):
    assert class_against_average(UPHELD_RATE, rate(upheld, investigations), Fraction(average_percent, 100)) == expected


def test_against_average_per_100k_uses_the_count_of_upheld_decisions():
    average = Fraction(12, 10) / 100_000  # 1.2 per 100,000
    # 20 upheld among 100,000: interval 12.9 to 30.9 per 100,000
    assert class_against_average(UPHELD_PER_100K, rate(20, 100_000), average) == ABOVE
    # 1 upheld among 87,132 (1.1): interval 0.2 to 6.5
    assert class_against_average(UPHELD_PER_100K, rate(1, 87_132), average) == SAME


def test_no_figure_is_never_a_colour_class():
    average = Fraction(63, 100)
    assert class_against_average(UPHELD_RATE, rate(None, 2), average) == NO_FIGURE
    assert class_against_average(REMEDY_RATE, rate(0, 0), average) == NO_FIGURE   # not applicable
    assert class_against_average(UPHELD_RATE, rate(1, 2), None) == NO_FIGURE
    assert class_by_value(UPHELD_RATE, rate(None, None)) == NO_FIGURE
    assert class_by_value(REMEDY_RATE, rate(0, 0)) == NO_FIGURE


@pytest.mark.parametrize(
    ("statistic", "numerator", "denominator", "expected"),
    [
        (UPHELD_RATE, 0, 3, LOW),
        (UPHELD_RATE, 5, 8, MIDDLE),        # 62.5% shows as 63%
        (UPHELD_RATE, 159, 200, HIGH),      # 79.5% shows as 80%: the band follows the figure shown
        (UPHELD_RATE, 158, 200, MIDDLE),    # 79%
        (UPHELD_PER_100K, 1, 87_132, LOW),  # 1.1
        (UPHELD_PER_100K, 5, 100_000, HIGH),
        (COMPLIANCE_RATE, 12, 12, HIGH),    # 100%
        (COMPLIANCE_RATE, 19, 20, MIDDLE),  # 95%
        (REMEDY_RATE, 1, 10, MIDDLE),       # 10%
    ],
)
def test_by_value_bands(statistic, numerator, denominator, expected):
    assert class_by_value(statistic, rate(numerator, denominator)) == expected


def test_band_labels_say_the_limits_as_figures_are_shown():
    assert value_class_labels(UPHELD_RATE) == {LOW: "Under 60%", MIDDLE: "60% to 79%", HIGH: "80% or more"}
    assert value_class_labels(UPHELD_PER_100K) == {LOW: "Under 2.0", MIDDLE: "2.0 to 4.9", HIGH: "5.0 or more"}
    assert value_class_labels(COMPLIANCE_RATE) == {LOW: "Under 95%", MIDDLE: "95% to 99%", HIGH: "100%"}


def test_every_legend_ends_with_no_figures_without_a_colour():
    for view in (AGAINST_AVERAGE, BY_VALUE):
        entries = legend_entries(UPHELD_RATE, view)
        assert [entry.colour for entry in entries[:3]] == list(PALETTE)
        assert (entries[-1].key, entries[-1].label, entries[-1].colour) == (NO_FIGURE, "No figures", None)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_neighbouring_classes_differ_by_at_least_three_to_one():
    for lighter, darker in zip(PALETTE, PALETTE[1:]):
        assert contrast_ratio(lighter, darker) >= 3
    assert contrast_ratio(PALETTE[0], PALETTE[2]) >= 3
