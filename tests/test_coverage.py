"""Coverage counts and the reasons a council has no figures, worked out by hand."""

from __future__ import annotations

import datetime as dt

from generator.coverage import YearCoverage, absent_years_note, no_figures_reason, short_no_figures_reason, year_coverage


def test_year_coverage_counts_councils_and_those_with_figures():
    entries = [("2022-23", True), ("2022-23", False), ("2023-24", True), ("2023-24", True), ("2023-24", False)]
    assert year_coverage(entries, ["2021-22", "2022-23", "2023-24"]) == [
        YearCoverage("2021-22", 0, 0), YearCoverage("2022-23", 2, 1), YearCoverage("2023-24", 3, 2)]
    assert YearCoverage("2023-24", 3, 2).text == "2 of 3 councils have figures for 2023-24"
    assert YearCoverage("2023-24", 3, 3).text == "All 3 councils in this data for 2023-24 have figures"
    assert YearCoverage("2023-24", 1, 1).text == "The 1 council in this data for 2023-24 has figures"
    assert YearCoverage("2023-24", 1, 0).text == "The 1 council in this data for 2023-24 has no figures"
    assert YearCoverage("2023-24", 1200, 0).text == "0 of 1,200 councils have figures for 2023-24"


def test_reasons():
    coverage = YearCoverage("2019-20", 343, 12)
    assert no_figures_reason("Alpha", "2019-20", False, coverage) == (
        "The ombudsman's figures for Alpha in 2019-20 are not in this data yet: the published sources it is made from do not give them. "
        "12 of the 343 councils in this data have figures for 2019-20.")
    assert no_figures_reason("Alpha", "2019-20", True, coverage).startswith("The ombudsman's counts for Alpha in 2019-20 that are in this data are not enough")
    assert short_no_figures_reason(False, coverage) == "The ombudsman's figures are not in this data yet (12 of 343 councils have figures for 2019-20)."


def test_years_a_council_did_not_exist():
    years = ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    assert absent_years_note("Cumberland Council", ["2023-24"], years, dt.date(2023, 4, 1), None) == (
        "Cumberland Council did not exist before 2023-24 (it was created on 1 April 2023), so there are no figures for it for 2019-20 to 2022-23.")
    assert absent_years_note("Allerdale", ["2019-20", "2020-21", "2021-22", "2022-23"], years, None, dt.date(2023, 3, 31)) == (
        "Allerdale did not exist after 2022-23 (it was abolished; 31 March 2023 was its last day), so there are no figures for it for 2023-24.")
    assert absent_years_note("Alpha", years, years, None, None) == ""
