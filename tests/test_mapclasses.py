"""The map's colour classes: the pages' verdicts as classes, bands, the key, and the contrast of colours and patterns."""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator.mapclasses import (
    AGAINST_AVERAGE,
    BY_VALUE,
    HIGH,
    HIGHER_CLASS,
    LOW,
    LOWER_CLASS,
    MIDDLE,
    NO_FIGURE,
    PALETTE,
    PATTERN_INK,
    PATTERN_PAPER,
    PATTERNS,
    SIMILAR_CLASS,
    TOO_FEW_CLASS,
    VERDICT_CLASSES,
    class_against_average,
    class_by_value,
    contrast_ratio,
    legend_entries,
    value_class_labels,
)
from generator.metrics import COMPLIANCE_RATE, REMEDY_RATE, UPHELD_PER_100K, UPHELD_RATE, rate
from generator.uncertainty import VERDICTS, compare
from generator.views import AverageView, FigureView, comparison_phrase


def upheld_comparison(upheld: int, investigations: int, average: Fraction | None):
    return compare(UPHELD_RATE, rate(upheld, investigations), {"upheld": upheld, "investigations": investigations}, average)


def test_every_verdict_has_a_class():
    assert set(VERDICT_CLASSES) == set(VERDICTS)


@pytest.mark.parametrize(
    ("upheld", "investigations", "expected"),
    [
        (40, 50, HIGHER_CLASS),   # 80%: interval 67% to 89%, above 63%
        (10, 16, SIMILAR_CLASS),  # 62.5%: interval 39% to 82%
        (2, 20, LOWER_CLASS),     # 10%: interval 3% to 30%
        (1, 2, TOO_FEW_CLASS),    # 2 investigations, under 10: whatever the interval says
        (5, 8, TOO_FEW_CLASS),
    ],
)
def test_against_average_is_the_verdict_of_the_councils_page(upheld, investigations, expected):
    assert class_against_average(upheld_comparison(upheld, investigations, Fraction(63, 100))) == expected


def test_against_average_judges_the_interval_as_shown():
    # 0 of 10: Wilson upper end 27.75%, shown as 28%, which touches an average of 28%: similar, not lower
    assert class_against_average(upheld_comparison(0, 10, Fraction(28, 100))) == SIMILAR_CLASS
    assert class_against_average(upheld_comparison(0, 10, Fraction(29, 100))) == LOWER_CLASS


def test_against_average_per_100k_rests_on_the_upheld_decisions():
    average = Fraction(12, 10) / 100_000  # 1.2 per 100,000
    # 20 upheld among 100,000: exact interval 12.2 to 30.9 per 100,000
    assert class_against_average(compare(UPHELD_PER_100K, rate(20, 100_000), {"upheld": 20, "population": 100_000}, average)) == HIGHER_CLASS
    # 1 upheld among 87,132 (1.1): 1 case is too few
    assert class_against_average(compare(UPHELD_PER_100K, rate(1, 87_132), {"upheld": 1, "population": 87_132}, average)) == TOO_FEW_CLASS


def test_no_figure_and_no_average_are_never_a_colour_class():
    assert class_against_average(None) == NO_FIGURE  # the page compares nothing: no figure
    assert class_against_average(upheld_comparison(30, 40, None)) == NO_FIGURE
    assert class_by_value(UPHELD_RATE, rate(None, None)) == NO_FIGURE
    assert class_by_value(REMEDY_RATE, rate(0, 0)) == NO_FIGURE


def figure(comparison, average_text="63%") -> FigureView:
    return FigureView("upheld_rate", "Complaints upheld", "", "", "value", AverageView(average_text, ""), comparison=comparison)


def test_comparison_in_words_follows_the_pages_verdict():
    average = Fraction(63, 100)
    assert comparison_phrase(figure(upheld_comparison(40, 50, average))) == "higher than the average (63%)"
    assert comparison_phrase(figure(upheld_comparison(10, 16, average))) == "similar to the average (63%)"
    assert comparison_phrase(figure(upheld_comparison(2, 20, average))) == "lower than the average (63%)"
    assert comparison_phrase(figure(upheld_comparison(1, 2, average))) == "too few cases to compare (2 investigations)"
    assert comparison_phrase(figure(upheld_comparison(30, 40, None), "not available")) == "no average to compare with"
    assert comparison_phrase(figure(None)) == ""


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


def test_key_against_the_average_says_the_verdicts_and_tells_too_few_from_no_figures():
    entries = [(entry.key, entry.label, entry.colour, entry.pattern) for entry in legend_entries(UPHELD_RATE, AGAINST_AVERAGE)]
    assert entries == [
        (LOWER_CLASS, "Lower than the average for its type", PALETTE[0], None),
        (SIMILAR_CLASS, "Similar to the average", PALETTE[1], None),
        (HIGHER_CLASS, "Higher than the average for its type", PALETTE[2], None),
        (TOO_FEW_CLASS, "Too few cases to compare", None, "perfsite-too-few"),
        (NO_FIGURE, "No figures", None, "perfsite-no-figures"),
    ]


def test_key_by_value_ends_with_no_figures_hatched():
    entries = legend_entries(UPHELD_RATE, BY_VALUE)
    assert [entry.colour for entry in entries[:3]] == list(PALETTE)
    assert [(entry.key, entry.label, entry.colour, entry.pattern) for entry in entries[3:]] == [
        (NO_FIGURE, "No figures", None, "perfsite-no-figures"),
    ]


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_neighbouring_classes_differ_by_at_least_three_to_one():
    for lighter, darker in zip(PALETTE, PALETTE[1:]):
        assert contrast_ratio(lighter, darker) >= 3
    assert contrast_ratio(PALETTE[0], PALETTE[2]) >= 3


def test_patterns_are_two_and_their_ink_stands_out_from_white():
    assert sorted(PATTERNS) == sorted([TOO_FEW_CLASS, NO_FIGURE]) and len(set(PATTERNS.values())) == 2
    assert PATTERN_PAPER == "#ffffff"
    assert contrast_ratio(PATTERN_INK, PATTERN_PAPER) >= 3
