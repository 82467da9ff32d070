"""A council's nearest councils of the same type by population: the ones most like it in size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

NEAREST = 5


@dataclass(frozen=True, slots=True)
class Neighbour:
    slug: str
    name: str
    population: int

    @property
    def population_text(self) -> str:
        return f"{self.population:,}"


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The councils nearest one council in size, in the year of its latest population."""

    year: str
    population_text: str
    councils: tuple[Neighbour, ...]


def nearest_by_population(population: int, candidates: Sequence[Neighbour], count: int = NEAREST) -> list[Neighbour]:
    """The ``count`` candidates whose population is closest to ``population`` (the smaller relative
    difference first: 100,000 is nearer 90,000 than 115,000), ties by name; in order of population."""
    def distance(candidate: Neighbour) -> tuple[float, str]:
        larger, smaller = max(candidate.population, population), min(candidate.population, population)
        return (larger / smaller, candidate.name.casefold())

    chosen = sorted(candidates, key=distance)[:count]
    return sorted(chosen, key=lambda candidate: (-candidate.population, candidate.name.casefold()))


def latest_population(years: dict) -> tuple[str, int] | None:
    """The latest year with a population, and that population, from a council's ``years`` records."""
    for year in sorted(years, reverse=True):
        population = years[year].population
        if population:
            return year, population
    return None
