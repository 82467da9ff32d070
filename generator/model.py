"""The data as loaded: councils, their years of figures, and the published averages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

COUNCIL_TYPES: dict[str, str] = {
    "county": "County councils",
    "district": "District councils",
    "metropolitan": "Metropolitan boroughs",
    "unitary": "Unitary councils",
    "london": "London boroughs",
}
COUNCIL_TYPE_SINGULAR: dict[str, str] = {
    "county": "county council",
    "district": "district council",
    "metropolitan": "metropolitan borough",
    "unitary": "unitary council",
    "london": "London borough",
}

# The plural as it reads inside a sentence: "district councils", but "London boroughs".
COUNCIL_TYPE_PLURAL_IN_TEXT: dict[str, str] = {
    key: label if label.startswith("London") else label[:1].lower() + label[1:] for key, label in COUNCIL_TYPES.items()
}

COUNT_FIELDS: tuple[str, ...] = (
    "population",
    "investigations",
    "upheld",
    "compliance_outcomes",
    "complied",
    "satisfactory_remedies",
)


@dataclass(frozen=True, slots=True)
class Decision:
    reference: str | None = None
    date: dt.date | None = None
    outcome: str | None = None
    summary: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class PublicReport:
    title: str
    date: dt.date | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a year's figures were published: a web address, or a citation with no address."""

    text: str
    url: str | None = None


@dataclass(slots=True)
class CouncilYear:
    """One financial year of one council: counts that may each be absent, and its documents."""

    year: str
    population: int | None = None
    investigations: int | None = None
    upheld: int | None = None
    compliance_outcomes: int | None = None
    complied: int | None = None
    satisfactory_remedies: int | None = None
    # the ombudsman's breakdowns (generator/breakdowns.py): a count for every key, or None
    received: dict[str, int] | None = None
    decided: dict[str, int] | None = None
    letter: str | None = None
    letter_date: dt.date | None = None
    letter_url: str | None = None
    sources: list[Source] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    public_reports: list[PublicReport] = field(default_factory=list)
    service_improvements: list[str] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        """Whether any of the ombudsman's counts (population aside) is known for the year."""
        return any(getattr(self, name) is not None for name in COUNT_FIELDS if name != "population")

    def counts(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}


@dataclass(slots=True)
class Council:
    slug: str
    name: str
    code: str
    type: str
    years: dict[str, CouncilYear]
    website: str | None = None
    created: dt.date | None = None
    abolished: dt.date | None = None
    replaced_by: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    source_file: Path | None = None

    @property
    def is_abolished(self) -> bool:
        return self.abolished is not None or bool(self.replaced_by)

    def sorted_years(self) -> list[str]:
        return sorted(self.years)


@dataclass
class Dataset:
    data_dir: Path
    councils: list[Council]
    published_averages: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def by_slug(self) -> dict[str, Council]:
        return {council.slug: council for council in self.councils}

    def years(self) -> list[str]:
        return sorted({year for council in self.councils for year in council.years})
