"""Every council's rates for every year, the averages for each type and year, and how each rate
compares with its average (its confidence interval and verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction

from .metrics import (
    NOT_AVAILABLE,
    STATISTICS,
    AverageMode,
    PeerAverage,
    Rate,
    Statistic,
    format_number,
    format_statistic,
    peer_average,
    round_half_away,
    rounded_statistic,
    statistic_rate,
)
from .model import Council, Dataset
from .uncertainty import DEFAULT_MIN_CASES, Comparison, compare


@dataclass(frozen=True)
class TypeAverage:
    """One statistic's average for one type of council in one year, computed and as published."""

    year: str
    council_type: str
    statistic: Statistic
    computed: PeerAverage
    published: float | None
    councils_in_year: int
    councils_with_counts: int

    @property
    def complete(self) -> bool:
        """Whether every council of the type with that year has the counts for this statistic."""
        return self.councils_with_counts == self.councils_in_year

    @property
    def shown_value(self) -> Fraction | None:
        if self.published is not None:
            return Fraction(repr(self.published)) / self.statistic.scale
        return self.computed.value

    @cached_property  # every council page of the type and year shows it
    def shown_text(self) -> str | None:
        if self.published is not None:
            return format_number(Fraction(repr(self.published)), self.statistic.places) + self.statistic.unit
        if self.computed.value is None:
            return None
        return format_statistic(self.statistic, self.computed.value)

    @property
    def computed_text(self) -> str | None:
        if self.computed.value is None:
            return None
        return format_statistic(self.statistic, self.computed.value)

    @property
    def differs_from_published(self) -> bool:
        if self.published is None or self.computed.value is None:
            return False
        published = round_half_away(Fraction(repr(self.published)), self.statistic.places)
        return rounded_statistic(self.statistic, self.computed.value) != published


@dataclass
class Results:
    dataset: Dataset
    average_mode: AverageMode
    min_cases: int = DEFAULT_MIN_CASES
    rates: dict[tuple[str, str], dict[str, Rate]] = field(default_factory=dict)
    averages: dict[tuple[str, str], dict[str, TypeAverage]] = field(default_factory=dict)
    # Per (slug, year) and statistic key: the interval and verdict, None where the rate has no value.
    comparisons: dict[tuple[str, str], dict[str, Comparison | None]] = field(default_factory=dict)

    def council_rates(self, council: Council, year: str) -> dict[str, Rate]:
        return self.rates[(council.slug, year)]

    def council_comparisons(self, council: Council, year: str) -> dict[str, Comparison | None]:
        return self.comparisons[(council.slug, year)]

    def type_averages(self, year: str, council_type: str) -> dict[str, TypeAverage]:
        return self.averages[(year, council_type)]

    def discrepancies(self) -> list[TypeAverage]:
        """Averages whose computed value, rounded, is not the published one."""
        return [
            average
            for key in sorted(self.averages)
            for average in self.averages[key].values()
            if average.differs_from_published
        ]


def compute(
    dataset: Dataset, average_mode: AverageMode = "mean", min_cases: int = DEFAULT_MIN_CASES, previous: Results | None = None
) -> Results:
    """Every rate, average and comparison of ``dataset``.

    With ``previous`` (the results of an earlier build, as ``perfsite serve`` keeps them), what has
    not changed is the very object worked out last time: a council-year whose counts are unchanged
    keeps its rates, an average equal to last time's is last time's, and a comparison whose rates
    and average are those objects is kept. Later steps can then tell what changed by identity.
    """
    results = Results(dataset=dataset, average_mode=average_mode, min_cases=min_cases)
    if previous is not None and (previous.average_mode, previous.min_cases) != (average_mode, min_cases):
        previous = None
    earlier_councils = previous.dataset.by_slug() if previous is not None else {}
    members: dict[tuple[str, str], list[dict[str, Rate]]] = {}
    for council in dataset.councils:
        unchanged = earlier_councils.get(council.slug) is council
        for year, record in council.years.items():
            if unchanged:
                council_rates = previous.rates[(council.slug, year)]
            else:
                counts = record.counts()
                council_rates = {statistic.key: statistic_rate(statistic, counts) for statistic in STATISTICS}
                earlier_rates = previous.rates.get((council.slug, year)) if previous is not None else None
                if earlier_rates == council_rates:  # an edit to another of the council's years
                    council_rates = earlier_rates
            results.rates[(council.slug, year)] = council_rates
            members.setdefault((year, council.type), []).append(council_rates)
    for (year, council_type), rates_of_members in sorted(members.items()):
        published = dataset.published_averages.get(year, {}).get(council_type, {})
        averages = {
            statistic.key: TypeAverage(
                year=year,
                council_type=council_type,
                statistic=statistic,
                computed=peer_average((rates[statistic.key] for rates in rates_of_members), average_mode),
                published=published.get(statistic.published_key),
                councils_in_year=len(rates_of_members),
                councils_with_counts=sum(rates[statistic.key].status != NOT_AVAILABLE for rates in rates_of_members),
            )
            for statistic in STATISTICS
        }
        earlier = previous.averages.get((year, council_type)) if previous is not None else None
        if earlier is not None and earlier == averages:
            averages = earlier
        results.averages[(year, council_type)] = averages
    for council in dataset.councils:
        for year, record in council.years.items():
            key = (council.slug, year)
            rates = results.rates[key]
            averages = results.averages[(year, council.type)]
            if previous is not None and previous.rates.get(key) is rates and previous.averages.get((year, council.type)) is averages:
                results.comparisons[key] = previous.comparisons[key]
                continue
            counts = record.counts()
            results.comparisons[key] = {
                statistic.key: compare(statistic, rates[statistic.key], counts, averages[statistic.key].shown_value, min_cases)
                for statistic in STATISTICS
            }
    return results
