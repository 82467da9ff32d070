"""Year-on-year change tests against p-values worked out by hand, and textbook cases."""

from __future__ import annotations


import pytest

from generator.change import (
    DOWN, NO_CLEAR_CHANGE, TOO_FEW_TO_TELL, UP, binomial_two_sided_p, change_text, fisher_exact_p, poisson_rates_p, year_change,
)
from generator.metrics import COMPLIANCE_RATE, UPHELD_PER_100K, UPHELD_RATE, rate


def test_fisher_exact_on_the_lady_tasting_tea():
    # Fisher (1935): 3 of 4 against 1 of 4. Tables with 4 successes in 8: C(4,k)^2 / 70 = 1, 16, 36, 16, 1 (/70);
    # those no more likely than 16/70 add to 34/70.
    assert fisher_exact_p(3, 4, 1, 4) == pytest.approx(34 / 70, rel=1e-12)
    assert fisher_exact_p(2, 4, 2, 4) == pytest.approx(1.0)


def test_fisher_exact_at_the_extremes():
    # 0 of 10 against 10 of 10: only the two extreme tables, each 1 / C(20, 10) = 1 / 184,756
    assert fisher_exact_p(0, 10, 10, 10) == pytest.approx(2 / 184756, rel=1e-9)


def test_fisher_exact_fifteen_of_twenty_against_five():
    # P(k) = C(20,k)^2 / C(40,20); k >= 15: 15504^2 + 4845^2 + 1140^2 + 190^2 + 20^2 + 1 = 265,184,142; both tails
    assert fisher_exact_p(15, 20, 5, 20) == pytest.approx(2 * 265184142 / 137846528820, rel=1e-9)


def test_two_poisson_rates():
    # equal exposure, 2 against 10: binomial(12, 1/2), P(X <= 2) = (1 + 12 + 66) / 4096, both tails
    assert poisson_rates_p(2, 50000, 10, 50000) == pytest.approx(158 / 4096, rel=1e-12)
    # 3 against 0: binomial(3, 1/2): P(3) = P(0) = 1/8
    assert poisson_rates_p(3, 1000, 0, 1000) == pytest.approx(0.25, rel=1e-12)
    # 2 in exposure 1 against 0 in 3: binomial(2, 1/4): P(2) = 1/16 is the least likely
    assert poisson_rates_p(2, 1, 0, 3) == pytest.approx(1 / 16, rel=1e-12)
    assert poisson_rates_p(0, 1, 2, 3) == pytest.approx(1.0)
    assert binomial_two_sided_p(0, 0, 0.5) == 1.0


def test_verdicts_and_their_words():
    higher = year_change(UPHELD_RATE, rate(5, 20), rate(15, 20))
    assert higher.change == UP and (higher.previous_text, higher.current_text) == ("25%", "75%")
    assert change_text(higher, "2022-23") == "75%, from 25% in 2022-23: higher, by more than chance alone is likely to explain"
    lower = year_change(UPHELD_RATE, rate(15, 20), rate(5, 20))
    assert lower.change == DOWN
    same = year_change(UPHELD_RATE, rate(5, 10), rate(6, 10))
    assert same.change == NO_CLEAR_CHANGE and same.p_value == pytest.approx(1.0)
    assert change_text(same, "2022-23") == "60%, from 50% in 2022-23: no clear change (the difference could be chance)"
    few = year_change(COMPLIANCE_RATE, rate(1, 2), rate(2, 2))
    assert few.change == TOO_FEW_TO_TELL
    assert change_text(few, "2022-23") == "100%, from 50% in 2022-23: too few cases to tell whether it changed"
    assert year_change(UPHELD_RATE, rate(None, 20), rate(5, 20)) is None


def test_upheld_per_100k_uses_the_poisson_test_and_the_upheld_count_as_cases():
    # 10 upheld among 100,000 residents, then 30 among 100,000: binomial(40, 1/2), far in the tail
    change = year_change(UPHELD_PER_100K, rate(10, 100000), rate(30, 100000))
    assert (change.previous_text, change.current_text) == ("10.0", "30.0")
    assert change.change == UP and change.p_value < 0.01
    assert year_change(UPHELD_PER_100K, rate(2, 100000), rate(30, 100000)).change == TOO_FEW_TO_TELL  # 2 upheld < 10
