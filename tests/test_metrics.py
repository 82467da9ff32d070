from fractions import Fraction

import pytest

from generator.metrics import (
    COMPLIANCE_RATE,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    REMEDY_RATE,
    UPHELD_PER_100K,
    UPHELD_RATE,
    count_text,
    format_number,
    format_rate,
    peer_average,
    rate,
    round_half_away,
    statistic_rate,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(1, 2), 0, 1),
        (Fraction(3, 2), 0, 2),
        (Fraction(5, 2), 0, 3),  # not banker's rounding
        (Fraction(-1, 2), 0, -1),
        (Fraction(-5, 2), 0, -3),
        (Fraction(125, 2), 0, 63),
        (Fraction(49999, 100000), 0, 0),
        (0.05, 1, Fraction(1, 10)),  # the decimal 0.05, not the float just below it
        (0.25, 1, Fraction(3, 10)),
        (2.675, 2, Fraction(268, 100)),
        (Fraction(1149, 1000), 1, Fraction(11, 10)),
        (Fraction(115, 100), 1, Fraction(12, 10)),
        (7, 0, 7),
    ],
)
def test_round_half_away_from_zero(value, places, expected):
    assert round_half_away(value, places) == expected


@pytest.mark.parametrize(
    ("upheld", "investigations", "shown"),
    [(5, 8, "63%"), (1, 8, "13%"), (33, 40, "83%"), (1, 2, "50%"), (0, 5, "0%"), (5, 5, "100%"), (2, 3, "67%"), (1, 3, "33%"), (1, 200, "1%"), (1, 201, "0%")],
)
def test_upheld_rate_is_shown_as_the_ombudsman_shows_it(upheld, investigations, shown):
    assert format_rate(UPHELD_RATE, statistic_rate(UPHELD_RATE, {"upheld": upheld, "investigations": investigations})) == shown


@pytest.mark.parametrize(
    ("upheld", "population", "shown"),
    [
        (1, 87132, "1.1"),  # 1.1477...
        (1, 2_000_000, "0.1"),  # exactly 0.05
        (3, 2_000_000, "0.2"),  # exactly 0.15
        (1, 40_000, "2.5"),
        (1, 400_000, "0.3"),  # exactly 0.25
        (0, 87132, "0.0"),
        (123, 1_000, "12,300.0"),
    ],
)
def test_upheld_per_100k_to_one_decimal_place(upheld, population, shown):
    value = statistic_rate(UPHELD_PER_100K, {"upheld": upheld, "population": population})
    assert format_rate(UPHELD_PER_100K, value) == shown


def test_compliance_and_remedy_rates_use_their_own_counts():
    counts = {"upheld": 8, "compliance_outcomes": 7, "complied": 6, "satisfactory_remedies": 1}
    assert format_rate(COMPLIANCE_RATE, statistic_rate(COMPLIANCE_RATE, counts)) == "86%"  # 85.71
    assert format_rate(REMEDY_RATE, statistic_rate(REMEDY_RATE, counts)) == "13%"  # 12.5


def test_zero_denominator_is_not_applicable_never_zero():
    value = rate(0, 0)
    assert value.status == NOT_APPLICABLE
    assert value.value is None
    assert format_rate(REMEDY_RATE, value) == "not applicable"
    assert format_rate(UPHELD_PER_100K, rate(3, 0)) == "not applicable"
    assert rate(None, 0).status == NOT_APPLICABLE  # nothing to comply with, whatever else is missing


def test_missing_count_is_not_available():
    assert rate(None, 4).status == NOT_AVAILABLE
    assert rate(2, None).status == NOT_AVAILABLE
    assert format_rate(UPHELD_RATE, statistic_rate(UPHELD_RATE, {"upheld": 1})) == "not available"


def test_format_number_groups_thousands_and_keeps_places():
    assert format_number(Fraction(1234567, 1), 0) == "1,234,567"
    assert format_number(Fraction(12345, 10), 1) == "1,234.5"
    assert format_number(Fraction(1, 20), 1) == "0.1"
    assert format_number(Fraction(-1, 2), 0) == "-1"
    assert format_number(Fraction(-1, 3), 0) == "0"


def test_count_text_names_what_the_figure_rests_on():
    assert count_text(UPHELD_RATE, rate(1, 2)) == "1 of 2 investigations"
    assert count_text(COMPLIANCE_RATE, rate(12, 12)) == "12 of 12 compliance outcomes"
    assert count_text(UPHELD_PER_100K, rate(1, 87132)) == "1 upheld decision, population 87,132"
    assert count_text(UPHELD_PER_100K, rate(2, 1000)) == "2 upheld decisions, population 1,000"
    assert count_text(UPHELD_RATE, rate(None, 2)) == ""


def test_mean_average_counts_each_council_once_and_skips_zero_denominators():
    rates = [rate(1, 2), rate(1, 4), rate(0, 0), rate(None, 3)]
    average = peer_average(rates, "mean")
    assert average.value == Fraction(3, 8)
    assert average.councils == 2


def test_pooled_average_sums_numerators_over_denominators():
    rates = [rate(1, 2), rate(1, 4), rate(0, 0), rate(None, 3)]
    average = peer_average(rates, "pooled")
    assert average.value == Fraction(2, 6)
    assert (average.numerator_total, average.denominator_total) == (2, 6)


def test_mean_and_pooled_differ_when_sizes_differ():
    rates = [rate(1, 1), rate(0, 99)]
    assert peer_average(rates, "mean").value == Fraction(1, 2)
    assert peer_average(rates, "pooled").value == Fraction(1, 100)


def test_average_of_nothing_is_none():
    assert peer_average([rate(0, 0), rate(None, None)], "mean").value is None
    assert peer_average([], "pooled").value is None


def test_unknown_average_mode_is_refused():
    with pytest.raises(ValueError, match="mean, pooled"):
        peer_average([rate(1, 2)], "median")
