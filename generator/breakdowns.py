"""The ombudsman's two breakdowns of a council-year: complaints and enquiries received by service
area (``received``) and decisions made by outcome (``decided``), and their shares.

A breakdown holds a count for every one of its keys. A council's share of a key is its count over
its total; its type's share is pooled: the sum of that key's counts over every council of the type
with the breakdown that year, over the sum of their totals. Pure functions, exact fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping

from .metrics import format_number
from .model import Dataset

# Keys in the order the ombudsman lists them, each with the ombudsman's wording.
RECEIVED_AREAS: dict[str, str] = {
    "adult_care": "Adult care services",
    "benefits_and_tax": "Benefits and tax",
    "corporate_and_other": "Corporate and other services",
    "education_and_childrens": "Education and children's services",
    "environment_and_regulation": "Environmental services, public protection and regulation",
    "highways_and_transport": "Highways and transport",
    "housing": "Housing",
    "planning_and_development": "Planning and development",
    "other": "Other",
}
DECISION_OUTCOMES: dict[str, str] = {
    "invalid_or_incomplete": "Invalid or incomplete",
    "advice_given": "Advice given",
    "referred_back": "Referred back for local resolution",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
    "not_upheld": "Not upheld",
    "upheld": "Upheld",
}


@dataclass(frozen=True)
class BreakdownKind:
    field: str  # the key in a year's data: received or decided
    title: str
    keys: dict[str, str]
    total_noun: str  # what the total counts
    item_heading: str  # what each key is


BREAKDOWN_KINDS: tuple[BreakdownKind, ...] = (
    BreakdownKind("received", "Complaints and enquiries received by service area", RECEIVED_AREAS, "complaints and enquiries received", "Service area"),
    BreakdownKind("decided", "Decisions made by outcome", DECISION_OUTCOMES, "decisions made", "Outcome"),
)
BREAKDOWN_KINDS_BY_FIELD = {kind.field: kind for kind in BREAKDOWN_KINDS}


def share(count: int, total: int) -> Fraction | None:
    """``count`` over ``total``; None when the total is 0 (a share of nothing)."""
    return Fraction(count, total) if total else None


def shares(counts: Mapping[str, int]) -> dict[str, Fraction | None]:
    """Each key's share of the breakdown's total."""
    total = sum(counts.values())
    return {key: share(count, total) for key, count in counts.items()}


def share_text(value: Fraction | None) -> str:
    """A share as a whole percentage, halves away from zero: "23%"; "not applicable" for a share of nothing."""
    return "not applicable" if value is None else format_number(value * 100, 0) + "%"


@dataclass(frozen=True)
class Pooled:
    """One breakdown summed over a group of councils: ``councils`` of them had it."""

    councils: int
    counts: tuple[tuple[str, int], ...]  # in the kind's key order

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def shares(self) -> dict[str, Fraction | None]:
        return shares(dict(self.counts))


def pooled(breakdowns: Iterable[Mapping[str, int] | None], keys: Iterable[str]) -> Pooled:
    """The sum of each key's counts over the breakdowns given (None: a council without it)."""
    keys = list(keys)
    sums = dict.fromkeys(keys, 0)
    councils = 0
    for breakdown in breakdowns:
        if breakdown is None:
            continue
        councils += 1
        for key in keys:
            sums[key] += breakdown[key]
    return Pooled(councils, tuple(sums.items()))


@dataclass(frozen=True)
class BreakdownTotals:
    """Every breakdown pooled by (field, year, council type) over the councils that have it."""

    by_type: dict[tuple[str, str, str], Pooled]
    members: dict[tuple[str, str], int]  # (year, council type): how many councils of the type the year had

    def councils_of_type(self, year: str, council_type: str) -> int:
        return self.members.get((year, council_type), 0)

    def get(self, field: str, year: str, council_type: str) -> Pooled | None:
        return self.by_type.get((field, year, council_type))

    def of_type(self, council_type: str) -> tuple[tuple[tuple[str, str, str], Pooled], ...]:
        return tuple(sorted((key, value) for key, value in self.by_type.items() if key[2] == council_type))

    def of_year(self, year: str) -> tuple[tuple[tuple[str, str, str], Pooled], ...]:
        return tuple(sorted((key, value) for key, value in self.by_type.items() if key[1] == year))

    def for_year_all_types(self, field: str, year: str) -> Pooled | None:
        """One breakdown pooled over every type of council in a year."""
        found = [value for (kind, each_year, _), value in self.by_type.items() if kind == field and each_year == year]
        if not found:
            return None
        keys = [key for key, _ in found[0].counts]
        return Pooled(sum(value.councils for value in found),
                      tuple((key, sum(dict(value.counts)[key] for value in found)) for key in keys))


def breakdown_totals(dataset: Dataset) -> BreakdownTotals:
    """Each breakdown pooled over the councils of each type and year that have it; a group where
    no council has it is left out."""
    groups: dict[tuple[str, str, str], list[Mapping[str, int]]] = {}
    members: dict[tuple[str, str], int] = {}
    for council in dataset.councils:
        for year, record in council.years.items():
            members[(year, council.type)] = members.get((year, council.type), 0) + 1
            for kind in BREAKDOWN_KINDS:
                counts = getattr(record, kind.field)
                if counts is not None:
                    groups.setdefault((kind.field, year, council.type), []).append(counts)
    return BreakdownTotals({
        key: pooled(group, BREAKDOWN_KINDS_BY_FIELD[key[0]].keys) for key, group in sorted(groups.items())
    }, members)
