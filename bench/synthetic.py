"""A synthetic data folder of fictional councils, and matching synthetic boundaries, for benchmarks.

``make_dataset(root, councils=400, years=10)`` writes ``root/data`` (councils/, letters/) and
``root/boundaries.topojson``. Everything is deterministic for a given size and seed.

The councils are fictional (names built from syllables, GSS codes in an unused 9xxxxx range), of
all five types in roughly England's proportions, with figures of realistic size for their
population, one annual review letter (Markdown, about the length of a real one) per council-year,
a few decisions, and one reorganisation per 150 councils: a county and some of its districts
abolished and replaced by a new unitary council part-way through the years.

The boundaries are a TopoJSON topology with layers ``ltla`` (districts, unitaries, metropolitan and
London boroughs) and ``cty`` (counties), features carrying ``areacd``, ``areanm`` and, where a
council starts or ends within the years, ``start``/``end`` boundary-years (2023 for 2023-24).
Each lower-tier council is one cell of a grid laid over England's extent; a county is the
rectangle over its districts' cells. Cell edges wiggle the same way for both neighbours, so the
shapes meet without gaps and weigh about as much as generalised real boundaries.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Shares of England's principal councils by type (2023: 21, 164, 36, 62, 33 of 316).
TYPE_SHARES = {"county": 21, "district": 164, "metropolitan": 36, "unitary": 62, "london": 33}
TYPE_PREFIX = {"county": "E10", "district": "E07", "metropolitan": "E08", "unitary": "E06", "london": "E09"}
POPULATION = {
    "county": (450_000, 1_500_000),
    "district": (55_000, 190_000),
    "metropolitan": (150_000, 1_150_000),
    "unitary": (120_000, 560_000),
    "london": (140_000, 390_000),
}
FIRST_YEAR = 2015
EXTENT = (-5.7, 50.0, 1.8, 55.8)  # west, south, east, north
EDGE_POINTS = 7

SYLLABLES_START = (
    "Ash", "Brack", "Cal", "Dun", "Elm", "Fal", "Glen", "Hart", "Ivy", "Kes", "Lang", "Mar", "Nor",
    "Oak", "Pen", "Quar", "Rad", "Stan", "Thorn", "Ulver", "Ver", "Wes", "Yar", "Ald", "Bel", "Cor",
    "Dray", "Eas", "Fern", "Gos", "Hol", "Kirk", "Lind", "Mel", "Ned", "Orm", "Pip", "Red", "Sax",
    "Tal", "Wick", "Brom", "Chil", "Daw", "Har", "Lox", "Mos", "Riv", "Sel", "Wen",
)
SYLLABLES_MIDDLE = ("", "", "", "en", "er", "ing", "le", "ley", "ham", "on", "el", "ow")
SYLLABLES_END = (
    "bridge", "brook", "bury", "by", "combe", "dale", "den", "field", "ford", "gate", "ham", "hurst",
    "ley", "mere", "moor", "mouth", "stead", "stow", "thorpe", "ton", "wick", "worth", "wood", "well",
)
OUTCOMES = ("Upheld: maladministration and injustice", "Upheld: fault, no injustice", "Not upheld", "Closed after initial enquiries")
SUBJECTS = (
    "a delay in assessing a homelessness application", "the handling of a planning objection",
    "charges for adult social care", "a school transport decision", "missed bin collections",
    "the council's response to a noise complaint", "a blue badge refusal", "council tax recovery action",
    "an education, health and care plan that was not reviewed", "repairs to temporary accommodation",
)
IMPROVEMENTS = (
    "Remind housing officers to decide homelessness applications within the statutory time.",
    "Review how complaints about adult social care charges are escalated.",
    "Train staff on the duty to review education, health and care plans each year.",
    "Publish the timescale for responding to planning objections.",
)
LETTER_PARAGRAPHS = (
    "Our statistics focus on three key areas that help to assess your organisation's commitment to putting things right when they go wrong: complaints upheld, compliance with our recommendations, and the remedies you provided before we became involved.",
    "We uphold complaints when we find fault in an organisation's actions, including where the organisation accepted fault before we investigated. We include the total number of investigations completed to give context to that statistic.",
    "We recommend ways for organisations to put things right when fault has caused injustice, and we monitor their compliance with our recommendations. Failure to comply is rare, and a compliance rate below 100% is a cause for concern.",
    "In some cases the organisation upheld the complaint and we agreed with how it offered to put things right. We encourage the early resolution of complaints and give credit to organisations that accept fault and find appropriate ways to remedy it.",
    "I am aware of the financial pressures and the demand for services that make continuous improvement a challenge. We will continue to hold organisations to account through our investigations and to recommend proportionate action to remedy injustice.",
    "Complaints are a free source of intelligence about how services are working. I would encourage you to make sure that your members and senior officers see the learning from them, and that your complaints team has the support it needs.",
    "This year we published our Complaint Handling Code, which sets out how we expect organisations to handle complaints. We will consider it in our investigations from April, and we have published guidance to help councils prepare.",
    "The statistics in this letter comprise the decisions we made about your council in the year. They may differ from your own records, because a complaint is counted in the year we decided it, not the year it was made.",
)


@dataclass
class SyntheticCouncil:
    slug: str
    name: str
    code: str
    type: str
    place: str
    population: int
    first_year: int  # first financial year's starting year, e.g. 2015 for 2015-16
    last_year: int
    replaced_by: list[str] = field(default_factory=list)
    cell: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 in grid units


def financial_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def type_counts(total: int) -> dict[str, int]:
    """How many councils of each type make ``total``, in England's proportions, at least one each."""
    shares = sum(TYPE_SHARES.values())
    counts = {key: max(1, round(total * share / shares)) for key, share in TYPE_SHARES.items()}
    counts["district"] += total - sum(counts.values())
    if counts["district"] < 1:
        raise ValueError(f"at least {len(TYPE_SHARES)} councils are needed for all five types (got {total})")
    return counts


def place_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SYLLABLES_START) + rng.choice(SYLLABLES_MIDDLE) + rng.choice(SYLLABLES_END)
        if len(seen) > len(SYLLABLES_START) * len(SYLLABLES_END) * 4:
            name += f" {rng.choice(('North', 'South', 'East', 'West', 'Upper', 'Lower'))}"
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def council_name(place: str, council_type: str, rng: random.Random) -> str:
    if council_type == "county":
        return f"{place}shire County Council"
    if council_type == "district":
        return f"{place} {rng.choice(('District', 'Borough'))} Council"
    if council_type == "metropolitan":
        return f"{place} Metropolitan Borough Council"
    if council_type == "london":
        return f"London Borough of {place}"
    return f"{place} Council"


def plan_councils(total: int, years: int, seed: int) -> list[SyntheticCouncil]:
    """The councils, their types, populations, lifetimes and grid cells."""
    rng = random.Random(seed)
    counts = type_counts(total)
    places = iter(place_names(total, rng))
    serial = {key: 900_000 for key in TYPE_PREFIX}
    last = FIRST_YEAR + years - 1

    def new(council_type: str, first: int = FIRST_YEAR, end: int = last) -> SyntheticCouncil:
        place = next(places)
        serial[council_type] += 1
        low, high = POPULATION[council_type]
        return SyntheticCouncil(
            slug=slugify(place if council_type != "county" else f"{place}shire"),
            name=council_name(place, council_type, rng), code=f"{TYPE_PREFIX[council_type]}{serial[council_type]:06d}",
            type=council_type, place=place, population=int(math.exp(rng.uniform(math.log(low), math.log(high)))),
            first_year=first, last_year=end,
        )

    reorganisations = min(max(1, total // 150), counts["county"]) if years >= 2 else 0
    counties = [new("county") for _ in range(counts["county"])]
    districts_per_county = [counts["district"] // len(counties) + (index < counts["district"] % len(counties)) for index in range(len(counties))]
    councils: list[SyntheticCouncil] = []
    columns = max(8, math.ceil(math.sqrt(total * 1.3)))
    row, column = 0, 0
    for index, county in enumerate(counties):
        members = [new("district") for _ in range(districts_per_county[index])]
        if column + len(members) > columns:
            row, column = row + 1, 0
        for offset, district in enumerate(members):
            district.cell = (column + offset, row, column + offset + 1, row + 1)
        county.cell = (column, row, column + max(1, len(members)), row + 1)
        column += len(members)
        councils += [county, *members]
        if index < reorganisations and members:
            change = FIRST_YEAR + max(1, years // 2) - 1  # the last year of the old councils
            counts["unitary"] -= 1
            for old in (county, *members):
                old.last_year = change
            successor = new("unitary", first=change + 1)
            successor.cell = county.cell
            successor.population = sum(member.population for member in members)
            for old in (county, *members):
                old.replaced_by = [successor.slug]
            councils.append(successor)
    row += 1
    column = 0
    for council_type in ("metropolitan", "unitary", "london"):
        for _ in range(max(0, counts[council_type])):
            council = new(council_type)
            council.cell = (column, row, column + 1, row + 1)
            column += 1
            if column == columns:
                row, column = row + 1, 0
            councils.append(council)
    slugs = [council.slug for council in councils]
    if len(set(slugs)) != len(slugs):
        raise AssertionError("synthetic slugs are not unique")
    return councils


def year_record(council: SyntheticCouncil, start: int, rng: random.Random, letter_path: str) -> dict:
    """A year of realistic figures: about one investigation per 10,000 residents, most upheld."""
    year = financial_year(start)
    population = int(council.population * (1 + 0.006 * (start - FIRST_YEAR)))
    investigations = max(0, round(population / 10_000 * rng.uniform(0.3, 1.6)))
    upheld = sum(rng.random() < 0.68 for _ in range(investigations))
    compliance_outcomes = sum(rng.random() < 0.8 for _ in range(upheld))
    complied = compliance_outcomes - (compliance_outcomes > 0 and rng.random() < 0.05)
    satisfactory = sum(rng.random() < 0.15 for _ in range(upheld))
    record: dict = {
        "population": population, "investigations": investigations, "upheld": upheld,
        "compliance_outcomes": compliance_outcomes, "complied": complied, "satisfactory_remedies": satisfactory,
        "letter": letter_path, "letter_date": f"{start + 1}-07-{rng.randint(10, 28)}",
        "source": f"https://ombudsman.example.org/reviews/{year}/{council.slug}",
    }
    if start == FIRST_YEAR and rng.random() < 0.3:  # older years often lack the later statistics
        for name in ("compliance_outcomes", "complied", "satisfactory_remedies"):
            record.pop(name)
    decisions = []
    for number in range(rng.randint(0, 3)):
        month = rng.randint(1, 12)
        decisions.append({
            "reference": f"{start % 100:02d} {rng.randint(0, 20):03d} {rng.randint(0, 999):03d}",
            "date": f"{start + (month < 4)}-{month:02d}-{rng.randint(1, 28):02d}",
            "outcome": rng.choice(OUTCOMES),
            "summary": f"The complaint was about {rng.choice(SUBJECTS)}.",
            "url": f"https://ombudsman.example.org/decisions/{council.slug}-{start}-{number + 1}",
        })
    if decisions:
        record["decisions"] = decisions
    if rng.random() < 0.05:
        record["public_reports"] = [{"title": f"Report on {rng.choice(SUBJECTS)}", "date": f"{start + 1}-02-{rng.randint(1, 28):02d}"}]
    if upheld and rng.random() < 0.3:
        record["service_improvements"] = rng.sample(IMPROVEMENTS, rng.randint(1, 2))
    return record


def letter_markdown(council: SyntheticCouncil, start: int, record: dict, rng: random.Random) -> str:
    """An annual review letter in Markdown, about 3 KB (a real one is about 7 KB): prose, headings and a table."""
    year = financial_year(start)
    paragraphs = rng.sample(LETTER_PARAGRAPHS, len(LETTER_PARAGRAPHS))
    table = [
        "| Statistic | This council | Similar councils |",
        "| --- | ---: | ---: |",
        f"| Investigations completed | {record['investigations']} | {rng.randint(5, 60)} |",
        f"| Complaints upheld | {record['upheld']} | {rng.randint(3, 40)} |",
        f"| Compliance outcomes | {record.get('compliance_outcomes', 'n/a')} | {rng.randint(2, 30)} |",
        f"| Satisfactory remedies | {record.get('satisfactory_remedies', 'n/a')} | {rng.randint(0, 8)} |",
    ]
    return "\n\n".join([
        f"{start + 1}-07-{rng.randint(10, 28)}",
        f"Chief Executive  \n{council.name}",
        "Dear Chief Executive",
        f"# Annual review letter {year}",
        f"I write to you with your annual summary of complaint statistics from the ombudsman for the year ending 31 March {start + 1}. "
        f"The information offers insight into how {council.name} approaches complaints, and I know you will consider it as part of your governance.",
        "## Complaint statistics",
        *paragraphs[:4],
        "\n".join(table),
        "## Supporting complaint and service improvement",
        *paragraphs[4:],
        f"We made {record['upheld']} upheld decisions about {council.name} this year. More detail is in our "
        f"[decisions](https://ombudsman.example.org/decisions?council={council.slug}) and in the "
        f"[data](https://ombudsman.example.org/data/{year}) we publish.",
        "Yours sincerely,  \nThe Ombudsman",
    ]) + "\n"


def write_data(councils: list[SyntheticCouncil], data_dir: Path, seed: int) -> None:
    rng = random.Random(seed + 1)
    for council in councils:
        years: dict[str, dict] = {}
        for start in range(council.first_year, council.last_year + 1):
            year = financial_year(start)
            letter = f"{year}/{council.slug}.md"
            record = year_record(council, start, rng, letter)
            letter_file = data_dir / "letters" / letter
            letter_file.parent.mkdir(parents=True, exist_ok=True)
            letter_file.write_text(letter_markdown(council, start, record, rng), encoding="utf-8")
            years[year] = record
        document: dict = {"name": council.name, "code": council.code, "type": council.type,
                          "website": f"https://www.{council.slug}.example.gov.uk"}
        if council.first_year > FIRST_YEAR:
            document["created"] = f"{council.first_year}-04-01"
        if council.replaced_by:
            document["abolished"] = f"{council.last_year + 1}-03-31"
            document["replaced_by"] = council.replaced_by
        document["years"] = years
        path = data_dir / "councils" / f"{council.slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _wiggle(a: tuple[int, int], b: tuple[int, int], scale: tuple[float, float]) -> list[list[float]]:
    """Points along the unit grid edge a->b, excluding b, the same for both cells that share it."""
    low, high = min(a, b), max(a, b)
    rng = random.Random(hash((low, high)) & 0xFFFFFFFF)
    along = [(index + 1) / (EDGE_POINTS + 1) for index in range(EDGE_POINTS)]
    offsets = [rng.uniform(-0.12, 0.12) for _ in along]
    horizontal = low[1] == high[1]
    points = [[float(low[0]), float(low[1])]]
    for t, offset in zip(along, offsets):
        points.append([low[0] + t, low[1] + offset] if horizontal else [low[0] + offset, low[1] + t])
    if low != a:
        points = [[float(high[0]), float(high[1])], *reversed(points[1:])]
    west, south, east, north = EXTENT
    return [[round(west + x * scale[0], 5), round(north - y * scale[1], 5)] for x, y in points]


def ring(cell: tuple[int, int, int, int], scale: tuple[float, float]) -> list[list[float]]:
    """The closed outline of a rectangle of grid cells, walked one unit edge at a time."""
    x0, y0, x1, y1 = cell
    corners = [(x, y0) for x in range(x0, x1)] + [(x1, y) for y in range(y0, y1)]
    corners += [(x, y1) for x in range(x1, x0, -1)] + [(x0, y) for y in range(y1, y0, -1)]
    points: list[list[float]] = []
    for index, corner in enumerate(corners):
        points += _wiggle(corner, corners[(index + 1) % len(corners)], scale)
    return [*points, points[0]]


def boundaries_topology(councils: list[SyntheticCouncil]) -> dict:
    columns = max(council.cell[2] for council in councils if council.cell)
    rows = max(council.cell[3] for council in councils if council.cell)
    west, south, east, north = EXTENT
    scale = ((east - west) / columns, (north - south) / rows)
    arcs: list[list[list[float]]] = []
    layers: dict[str, list[dict]] = {"ltla": [], "cty": []}
    for council in councils:
        properties: dict = {"areacd": council.code, "areanm": council.place}
        if council.first_year > FIRST_YEAR:
            properties["start"] = council.first_year
        if council.replaced_by:
            properties["end"] = council.last_year
        arcs.append(ring(council.cell, scale))
        layers["cty" if council.type == "county" else "ltla"].append(
            {"type": "Polygon", "arcs": [[len(arcs) - 1]], "properties": properties}
        )
    return {
        "type": "Topology",
        "bbox": [west, south, east, north],
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries} for name, geometries in layers.items()},
        "arcs": arcs,
    }


def make_dataset(root: Path, councils: int = 400, years: int = 10, seed: int = 7) -> tuple[Path, Path]:
    """Write ``root/data`` and ``root/boundaries.topojson``; return both paths."""
    root.mkdir(parents=True, exist_ok=True)
    planned = plan_councils(councils, years, seed)
    data_dir = root / "data"
    write_data(planned, data_dir, seed)
    boundaries = root / "boundaries.topojson"
    boundaries.write_text(json.dumps(boundaries_topology(planned), separators=(",", ":")), encoding="utf-8")
    return data_dir, boundaries
