"""The headline sentences, against cases worked out by hand from the counts and verdicts."""

from __future__ import annotations

from fractions import Fraction

from generator.headlines import COMPLIANCE_GUIDANCE, headline, plural
from generator.metrics import COMPLIANCE_RATE, UPHELD_PER_100K, UPHELD_RATE
from generator.uncertainty import HIGHER, LOWER, NO_AVERAGE, SIMILAR, TOO_FEW, Comparison, Interval


def comparison(statistic, verdict, average=None, cases=2):
    """A comparison with a given verdict: the sentences depend only on it, the average and the counts."""
    return Comparison(statistic, Interval(0, 1), Interval(0, 1), average, cases, 10, verdict)


REDDITCH = {"population": 87132, "investigations": 2, "upheld": 1, "compliance_outcomes": 1, "complied": 1, "satisfactory_remedies": 0}


def test_redditch_2023_24_as_the_issue_words_it():
    result = headline("Redditch Borough Council", "2023-24", REDDITCH, {
        UPHELD_RATE.key: comparison(UPHELD_RATE, TOO_FEW, Fraction(63, 100), 2),
        UPHELD_PER_100K.key: comparison(UPHELD_PER_100K, TOO_FEW, Fraction(12, 10**6), 1),
    }, "district councils")
    assert result.lead == ("The ombudsman upheld 1 of 2 complaints it investigated about Redditch Borough Council in 2023-24. "
                           "That is too few to compare with other district councils.")
    # 1 / 87,132 residents x 100,000 = 1.1477 -> 1.1
    assert result.details == (
        "That is 1.1 upheld decisions for every 100,000 residents.",
        "The council did what the ombudsman recommended in the 1 compliance outcome recorded (100%).",
        "In the 1 upheld complaint, the council had not put things right before the complaint reached the ombudsman.",
    )


def test_a_verdict_is_worded_without_better_or_worse():
    counts = {"investigations": 40, "upheld": 36, "population": 100000}
    higher = headline("Delta London Borough", "2023-24", counts, {
        UPHELD_RATE.key: comparison(UPHELD_RATE, HIGHER, Fraction(60, 100), 40),
        UPHELD_PER_100K.key: comparison(UPHELD_PER_100K, SIMILAR, Fraction(30, 10**6), 36),
    }, "London boroughs")
    # 36 / 40 = 90%; 36 / 100,000 x 100,000 = 36.0
    assert higher.lead == ("The ombudsman upheld 36 of 40 complaints it investigated about Delta London Borough in 2023-24. "
                           "That share, 90%, is higher than the average for London boroughs (60%), by more than chance alone is likely to explain.")
    assert higher.details == ("The rate of 36.0 upheld decisions for every 100,000 residents is similar to the average for London boroughs (3.0): the difference could be chance.",)
    lower = headline("Epsilon London Borough", "2023-24", {"investigations": 40, "upheld": 2}, {
        UPHELD_RATE.key: comparison(UPHELD_RATE, LOWER, Fraction(60, 100), 40)}, "London boroughs")
    assert lower.lead.endswith("That share, 5%, is lower than the average for London boroughs (60%), by more than chance alone is likely to explain.")
    for result in (higher, lower):
        assert "better" not in result.text and "worse" not in result.text


def test_compliance_below_100_says_what_the_ombudsman_says():
    result = headline("Alpha", "2023-24", {"investigations": 20, "upheld": 10, "compliance_outcomes": 3, "complied": 2, "satisfactory_remedies": 4},
                      {UPHELD_RATE.key: comparison(UPHELD_RATE, NO_AVERAGE, None, 20)}, "county councils")
    # 2 / 3 = 66.7% -> 67%; 4 / 10 = 40%
    assert result.lead.endswith("That is too few to compare with other county councils.") is False
    assert result.lead.endswith("There is no average for county councils to compare it with.")
    assert result.details == (
        "The council did what the ombudsman recommended in 2 of 3 compliance outcomes recorded (67%).",
        COMPLIANCE_GUIDANCE,
        "In 4 of the 10 upheld complaints (40%), the council had already put things right before the complaints reached the ombudsman.",
    )
    assert COMPLIANCE_GUIDANCE == "The ombudsman says a compliance rate below 100% is a cause for concern."


def test_all_compliance_outcomes_and_no_remedies():
    result = headline("Alpha", "2023-24", {"investigations": 12, "upheld": 5, "compliance_outcomes": 5, "complied": 5, "satisfactory_remedies": 0},
                      {}, "district councils")
    assert result.details == (
        "The council did what the ombudsman recommended in all 5 compliance outcomes recorded (100%).",
        "In none of the 5 upheld complaints had the council already put things right before the complaints reached the ombudsman.",
    )


def test_counts_missing_or_zero():
    assert headline("Alpha", "2019-20", {}, {}, "district councils") is None
    assert headline("Alpha", "2023-24", {"investigations": 0, "upheld": 0}, {}, "district councils").text == (
        "The ombudsman completed no detailed investigations of complaints about Alpha in 2023-24.")
    assert headline("Worcestershire County Council", "2024-25", {"investigations": 33, "population": 614185}, {}, "county councils").text == (
        "The ombudsman completed 33 detailed investigations of complaints about Worcestershire County Council in 2024-25; "
        "how many it upheld is not in the published figures.")
    one = headline("Alpha", "2023-24", {"investigations": 1, "upheld": 1}, {}, "district councils")
    assert one.lead == "The ombudsman upheld 1 of 1 complaint it investigated about Alpha in 2023-24."


def test_plural():
    assert [plural(1, "compliance outcome"), plural(2, "compliance outcome"), plural(1204, "complaint")] == [
        "1 compliance outcome", "2 compliance outcomes", "1,204 complaints"]
