"""How much of the data has figures, and why a council has none for a year, in plain words.

A council-year "has figures" when at least one statistic can be worked out from its counts (a
count alone, such as investigations without the number upheld, is not a figure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class YearCoverage:
    year: str
    councils: int
    with_figures: int

    @property
    def text(self) -> str:
        if self.councils == 0:
            return f"No councils in this data for {self.year}"
        if self.councils == 1 and not self.with_figures:
            return f"The 1 council in this data for {self.year} has no figures"
        if self.with_figures == self.councils:
            every = "The 1 council" if self.councils == 1 else f"All {self.councils:,} councils"
            return f"{every} in this data for {self.year} {'has' if self.councils == 1 else 'have'} figures"
        return f"{self.with_figures:,} of {self.councils:,} councils have figures for {self.year}"


def year_coverage(entries: Iterable[tuple[str, bool]], years: Iterable[str]) -> list[YearCoverage]:
    """For each year, how many councils existed in it and how many have figures, from
    ``(year, has figures)`` for every council-year."""
    councils: dict[str, int] = {}
    with_figures: dict[str, int] = {}
    for year, has_figures in entries:
        councils[year] = councils.get(year, 0) + 1
        with_figures[year] = with_figures.get(year, 0) + bool(has_figures)
    return [YearCoverage(year, councils.get(year, 0), with_figures.get(year, 0)) for year in years]


def no_figures_reason(name: str, year: str, has_counts: bool, coverage: YearCoverage | None) -> str:
    """Why a council that existed in ``year`` has no figures for it."""
    if has_counts:
        return (f"The ombudsman's counts for {name} in {year} that are in this data are not enough to work out any figure "
                f"(for example, the number of investigations without the number upheld).")
    reason = f"The ombudsman's figures for {name} in {year} are not in this data yet: the published sources it is made from do not give them."
    if coverage is not None and coverage.councils > 1:
        reason += f" {coverage.with_figures:,} of the {coverage.councils:,} councils in this data have figures for {year}."
    return reason


def _first_day(year: str) -> dt.date:
    return dt.date(int(year[:4]), 4, 1)


def absent_years_note(name: str, council_years: Iterable[str], site_years: Iterable[str], created: dt.date | None, abolished: dt.date | None) -> str:
    """Why the years of the site a council is not in have no figures for it: it did not exist then."""
    own = sorted(council_years)
    if not own:
        return ""
    before = [year for year in site_years if year < own[0]]
    after = [year for year in site_years if year > own[-1]]
    parts = []
    if before:
        since = f"it was created on {created.day} {created:%B %Y}" if created else f"its first year in this data is {own[0]}"
        parts.append(f"{name} did not exist before {own[0]} ({since}), so there are no figures for it for {_years(before)}.")
    if after:
        until = f"it was abolished; {abolished.day} {abolished:%B %Y} was its last day" if abolished else f"its last year in this data is {own[-1]}"
        parts.append(f"{name} did not exist after {own[-1]} ({until}), so there are no figures for it for {_years(after)}.")
    return " ".join(parts)


def _years(years: list[str]) -> str:
    if len(years) == 1:
        return years[0]
    return f"{years[0]} to {years[-1]}"



def short_no_figures_reason(has_counts: bool, coverage: YearCoverage | None) -> str:
    """The same reason, short enough for a table row."""
    if has_counts:
        return "Some counts are in this data, but not enough to work out any figure."
    reason = "The ombudsman's figures are not in this data yet"
    if coverage is not None and coverage.councils > 1:
        reason += f" ({coverage.with_figures:,} of {coverage.councils:,} councils have figures for {coverage.year})"
    return reason + "."
