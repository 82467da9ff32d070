#!/usr/bin/env python3
"""Convert the shared reference data into perfsite's own data files.

Usage (from the repository root)::

    python scripts/convert_reference.py --reference ../shared/reference --out data

Both options are optional. Their defaults, ``../shared/reference`` and ``data``,
are taken relative to the repository root (the parent of this script's folder);
paths given on the command line are taken relative to the current directory.

Inputs (read only, never copied into the repository):

* ``councils.csv``: the 350 English principal councils of 2019-04-01 .. 2025-03-31
  (code, ONS short name, type, start, end, upper-tier code);
* ``population.csv``: ONS mid-year population estimates per council;
* ``lgsco-published.csv``: the counts the ombudsman (LGSCO) published, per council
  and financial year, with the council's title as the ombudsman writes it;
* ``lgsco-averages.csv``: the ombudsman's published averages per type and year;
* ``boundaries/onsvisual-uk-topojson/changes.csv``: ONS code changes, used for
  the successors of abolished councils.

Outputs:

* ``<out>/councils/<slug>.yaml``: one file per council in councils.csv. Any other
  ``*.yaml`` file in ``<out>/councils`` is removed.
* ``<out>/averages.yaml``: the non-empty cells of lgsco-averages.csv, by year and type.

Rules (see data/README.md):

* slug: from the ONS short name (", City of" / ", County of" dropped, lower case,
  apostrophes and full stops dropped, other runs of non-alphanumerics -> "-").
  Where an abolished county council shares its slug with another council it gets
  "-county-council" appended; any other collision is an error.
* name: the council's title as written in lgsco-published.csv (most recent year's
  spelling); for councils not there, the hand-written TITLES table below.
* years: every financial year 2019-20 .. 2024-25 in which the council existed,
  plus every year lgsco-published.csv has for it (the ombudsman keeps reporting on
  a council for a year after its abolition).
* population: financial year YYYY-YY uses the ONS estimate for mid-(YYYY-1), the
  population the ombudsman's per-100,000 rate uses; only where population.csv has it.
* replaced_by: successors from changes.csv ``merger`` rows; a county council with a
  ``termination`` row gets the distinct successors of its districts.

The output is deterministic: running the script twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = Path("../shared/reference")
DEFAULT_OUT = Path("data")

FIRST_YEAR = 2019  # financial year 2019-20
LAST_YEAR = 2024  # financial year 2024-25
TYPES = ("county", "district", "metropolitan", "unitary", "london")
COUNT_FIELDS = ("investigations", "upheld", "compliance_outcomes", "complied", "satisfactory_remedies")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADER = "# Converted from the shared reference data by scripts/convert_reference.py; later releases are added with perfsite import.\n"

# Titles for the councils that lgsco-published.csv does not name: the title each
# council uses for itself (its formal corporate name where it commonly uses that).
# London boroughs use the formal "London Borough of X" unless the borough is a royal
# borough or a city. Councils abolished in the span carry the title they had then.
# The annual review letters in the reference folder's letters/ (copied into <out>/letters/), by GSS
# code and year: (reference file, date the ombudsman sent it).
LETTERS: dict[tuple[str, str], tuple[str, dt.date]] = {
    ("E07000236", "2023-24"): ("redditch-2023-24.md", dt.date(2024, 7, 17)),
}

TITLES: dict[str, str] = {
    # unitary
    "E06000006": "Halton Borough Council",
    "E06000010": "Hull City Council",
    "E06000013": "North Lincolnshire Council",
    "E06000015": "Derby City Council",
    "E06000017": "Rutland County Council",
    "E06000023": "Bristol City Council",
    "E06000024": "North Somerset Council",
    "E06000035": "Medway Council",
    "E06000037": "West Berkshire Council",
    "E06000041": "Wokingham Borough Council",
    "E06000042": "Milton Keynes City Council",
    "E06000044": "Portsmouth City Council",
    "E06000050": "Cheshire West and Chester Council",
    "E06000053": "Council of the Isles of Scilly",
    "E06000063": "Cumberland Council",
    "E06000065": "North Yorkshire Council",
    "E06000066": "Somerset Council",
    # district
    "E07000004": "Aylesbury Vale District Council",
    "E07000005": "Chiltern District Council",
    "E07000006": "South Bucks District Council",
    "E07000007": "Wycombe District Council",
    "E07000009": "East Cambridgeshire District Council",
    "E07000011": "Huntingdonshire District Council",
    "E07000012": "South Cambridgeshire District Council",
    "E07000027": "Barrow-in-Furness Borough Council",
    "E07000029": "Copeland Borough Council",
    "E07000030": "Eden District Council",
    "E07000032": "Amber Valley Borough Council",
    "E07000034": "Chesterfield Borough Council",
    "E07000035": "Derbyshire Dales District Council",
    "E07000037": "High Peak Borough Council",
    "E07000038": "North East Derbyshire District Council",
    "E07000039": "South Derbyshire District Council",
    "E07000061": "Eastbourne Borough Council",
    "E07000062": "Hastings Borough Council",
    "E07000063": "Lewes District Council",
    "E07000064": "Rother District Council",
    "E07000065": "Wealden District Council",
    "E07000066": "Basildon Borough Council",
    "E07000069": "Castle Point Borough Council",
    "E07000071": "Colchester City Council",
    "E07000072": "Epping Forest District Council",
    "E07000073": "Harlow District Council",
    "E07000074": "Maldon District Council",
    "E07000075": "Rochford District Council",
    "E07000077": "Uttlesford District Council",
    "E07000079": "Cotswold District Council",
    "E07000080": "Forest of Dean District Council",
    "E07000081": "Gloucester City Council",
    "E07000082": "Stroud District Council",
    "E07000083": "Tewkesbury Borough Council",
    "E07000084": "Basingstoke and Deane Borough Council",
    "E07000085": "East Hampshire District Council",
    "E07000087": "Fareham Borough Council",
    "E07000088": "Gosport Borough Council",
    "E07000089": "Hart District Council",
    "E07000091": "New Forest District Council",
    "E07000092": "Rushmoor Borough Council",
    "E07000094": "Winchester City Council",
    "E07000095": "Broxbourne Borough Council",
    "E07000098": "Hertsmere Borough Council",
    "E07000099": "North Hertfordshire District Council",
    "E07000102": "Three Rivers District Council",
    "E07000103": "Watford Borough Council",
    "E07000105": "Ashford Borough Council",
    "E07000106": "Canterbury City Council",
    "E07000107": "Dartford Borough Council",
    "E07000111": "Sevenoaks District Council",
    "E07000112": "Folkestone and Hythe District Council",
    "E07000113": "Swale Borough Council",
    "E07000114": "Thanet District Council",
    "E07000115": "Tonbridge and Malling Borough Council",
    "E07000116": "Tunbridge Wells Borough Council",
    "E07000117": "Burnley Borough Council",
    "E07000118": "Chorley Council",
    "E07000119": "Fylde Borough Council",
    "E07000120": "Hyndburn Borough Council",
    "E07000122": "Pendle Borough Council",
    "E07000123": "Preston City Council",
    "E07000124": "Ribble Valley Borough Council",
    "E07000126": "South Ribble Borough Council",
    "E07000127": "West Lancashire Borough Council",
    "E07000128": "Wyre Borough Council",
    "E07000129": "Blaby District Council",
    "E07000130": "Charnwood Borough Council",
    "E07000131": "Harborough District Council",
    "E07000132": "Hinckley and Bosworth Borough Council",
    "E07000134": "North West Leicestershire District Council",
    "E07000135": "Oadby and Wigston Borough Council",
    "E07000136": "Boston Borough Council",
    "E07000137": "East Lindsey District Council",
    "E07000138": "City of Lincoln Council",
    "E07000139": "North Kesteven District Council",
    "E07000140": "South Holland District Council",
    "E07000141": "South Kesteven District Council",
    "E07000142": "West Lindsey District Council",
    "E07000143": "Breckland District Council",
    "E07000144": "Broadland District Council",
    "E07000145": "Great Yarmouth Borough Council",
    "E07000146": "Borough Council of King's Lynn and West Norfolk",
    "E07000147": "North Norfolk District Council",
    "E07000149": "South Norfolk Council",
    "E07000150": "Corby Borough Council",
    "E07000151": "Daventry District Council",
    "E07000152": "East Northamptonshire Council",
    "E07000153": "Kettering Borough Council",
    "E07000155": "South Northamptonshire Council",
    "E07000156": "Borough Council of Wellingborough",
    "E07000163": "Craven District Council",
    "E07000167": "Ryedale District Council",
    "E07000172": "Broxtowe Borough Council",
    "E07000174": "Mansfield District Council",
    "E07000175": "Newark and Sherwood District Council",
    "E07000177": "Cherwell District Council",
    "E07000178": "Oxford City Council",
    "E07000179": "South Oxfordshire District Council",
    "E07000180": "Vale of White Horse District Council",
    "E07000181": "West Oxfordshire District Council",
    "E07000187": "Mendip District Council",
    "E07000188": "Sedgemoor District Council",
    "E07000189": "South Somerset District Council",
    "E07000193": "East Staffordshire Borough Council",
    "E07000194": "Lichfield District Council",
    "E07000195": "Newcastle-under-Lyme Borough Council",
    "E07000196": "South Staffordshire Council",
    "E07000197": "Stafford Borough Council",
    "E07000198": "Staffordshire Moorlands District Council",
    "E07000199": "Tamworth Borough Council",
    "E07000200": "Babergh District Council",
    "E07000202": "Ipswich Borough Council",
    "E07000203": "Mid Suffolk District Council",
    "E07000207": "Elmbridge Borough Council",
    "E07000208": "Epsom and Ewell Borough Council",
    "E07000209": "Guildford Borough Council",
    "E07000210": "Mole Valley District Council",
    "E07000212": "Runnymede Borough Council",
    "E07000213": "Spelthorne Borough Council",
    "E07000214": "Surrey Heath Borough Council",
    "E07000215": "Tandridge District Council",
    "E07000216": "Waverley Borough Council",
    "E07000217": "Woking Borough Council",
    "E07000218": "North Warwickshire Borough Council",
    "E07000219": "Nuneaton and Bedworth Borough Council",
    "E07000220": "Rugby Borough Council",
    "E07000221": "Stratford-on-Avon District Council",
    "E07000222": "Warwick District Council",
    "E07000223": "Adur District Council",
    "E07000224": "Arun District Council",
    "E07000225": "Chichester District Council",
    "E07000227": "Horsham District Council",
    "E07000228": "Mid Sussex District Council",
    "E07000229": "Worthing Borough Council",
    "E07000234": "Bromsgrove District Council",
    "E07000235": "Malvern Hills District Council",
    "E07000238": "Wychavon District Council",
    "E07000240": "St Albans City and District Council",
    "E07000242": "East Hertfordshire District Council",
    "E07000243": "Stevenage Borough Council",
    "E07000244": "East Suffolk Council",
    "E07000245": "West Suffolk Council",
    "E07000246": "Somerset West and Taunton Council",
    # metropolitan
    "E08000009": "Trafford Council",
    "E08000014": "Sefton Council",
    "E08000015": "Wirral Council",
    "E08000021": "Newcastle City Council",
    "E08000022": "North Tyneside Council",
    "E08000024": "Sunderland City Council",
    "E08000029": "Solihull Metropolitan Borough Council",
    # london
    "E09000001": "City of London Corporation",
    "E09000005": "London Borough of Brent",
    "E09000011": "Royal Borough of Greenwich",
    "E09000012": "London Borough of Hackney",
    "E09000015": "London Borough of Harrow",
    "E09000016": "London Borough of Havering",
    "E09000017": "London Borough of Hillingdon",
    "E09000020": "Royal Borough of Kensington and Chelsea",
    "E09000031": "London Borough of Waltham Forest",
    "E09000032": "London Borough of Wandsworth",
    "E09000033": "Westminster City Council",
    # county (all three abolished in the span)
    "E10000002": "Buckinghamshire County Council",
    "E10000021": "Northamptonshire County Council",
    "E10000027": "Somerset County Council",
}


class ConversionError(Exception):
    """The reference data cannot be converted under the rules above."""


# ---------------------------------------------------------------- reading


def read_csv(path: Path) -> list[dict[str, str]]:
    # utf-8-sig strips the BOM of changes.csv and is harmless on the other files.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def parse_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse_int(text: str, what: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise ConversionError(f"{what}: not a whole number: {text!r}")
    return int(text)


def year_key(start_year: int) -> str:
    """Financial year starting 1 April of start_year, as 'YYYY-YY'."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_start(key: str) -> int:
    if not re.fullmatch(r"\d{4}-\d{2}", key) or year_key(int(key[:4])) != key:
        raise ConversionError(f"bad financial year {key!r}")
    return int(key[:4])


# ---------------------------------------------------------------- rules


def slugify(ons_name: str) -> str:
    name = re.sub(r",\s*(City|County) of$", "", ons_name.strip())
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"['\u2019.]", "", name.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    if not SLUG_RE.match(slug):
        raise ConversionError(f"cannot make a slug from {ons_name!r}")
    return slug


def assign_slugs(councils: list[dict[str, str]]) -> dict[str, str]:
    """code -> slug; an abolished county council that collides gets '-county-council'."""
    by_slug: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in councils:
        by_slug[slugify(c["name"])].append(c)
    slugs: dict[str, str] = {}
    for slug, group in by_slug.items():
        for c in group:
            if len(group) > 1 and c["lgsco_type"] == "county" and c["end"]:
                slugs[c["code"]] = f"{slug}-county-council"
            else:
                slugs[c["code"]] = slug
    seen: dict[str, list[str]] = defaultdict(list)
    for code, slug in slugs.items():
        seen[slug].append(code)
    clashes = {slug: codes for slug, codes in seen.items() if len(codes) > 1}
    if clashes:
        raise ConversionError(f"slug collisions left unresolved: {clashes}")
    return slugs


def existing_years(council: dict[str, str]) -> list[str]:
    """Financial years of the span in which the council existed (on any day)."""
    start, end = parse_date(council["start"]), parse_date(council["end"])
    years = []
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        fy_first, fy_last = dt.date(y, 4, 1), dt.date(y + 1, 3, 31)
        if (start is None or start <= fy_last) and (end is None or end >= fy_first):
            years.append(year_key(y))
    return years


def successors(councils: dict[str, dict[str, str]], changes: list[dict[str, str]]) -> dict[str, set[str]]:
    """code -> set of successor codes, for councils in councils.csv only."""
    result: dict[str, set[str]] = defaultdict(set)
    terminated: list[str] = []
    for row in changes:
        old, new, kind = row["oldcd"], row["newcd"], row["type"]
        if old not in councils:
            continue
        if kind == "merger" and new in councils:
            result[old].add(new)
        elif kind == "termination" and not new:
            terminated.append(old)
    for county in terminated:
        districts = [c for c, r in councils.items() if r["upper_tier_code"] == county and c != county]
        for d in districts:
            result[county] |= result.get(d, set())
        if not result[county]:
            raise ConversionError(f"terminated county {county} has no district successors")
    return dict(result)


# ---------------------------------------------------------------- building


def build(reference: Path) -> tuple[dict[str, dict], dict]:
    """Return ({slug: council document}, averages document)."""
    council_rows = read_csv(reference / "councils.csv")
    councils = {r["code"]: r for r in council_rows}
    if len(councils) != len(council_rows):
        raise ConversionError("councils.csv has duplicate codes")
    for r in council_rows:
        if r["lgsco_type"] not in TYPES:
            raise ConversionError(f"{r['code']}: unknown type {r['lgsco_type']!r}")

    population: dict[tuple[str, int], int] = {}
    for r in read_csv(reference / "population.csv"):
        key = (r["code"], int(r["year_mid"]))
        if key in population:
            raise ConversionError(f"population.csv: duplicate {key}")
        population[key] = parse_int(r["population"], f"population {key}")

    published: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for r in read_csv(reference / "lgsco-published.csv"):
        code, year = r["code"], r["year"]
        year_start(year)
        if code not in councils:
            raise ConversionError(f"lgsco-published.csv: unknown code {code}")
        if r["type"] != councils[code]["lgsco_type"]:
            raise ConversionError(f"lgsco-published.csv: {code} {year} type {r['type']!r} disagrees")
        if year in published[code]:
            raise ConversionError(f"lgsco-published.csv: duplicate row for {code} {year}")
        published[code][year] = r

    changes = read_csv(reference / "boundaries" / "onsvisual-uk-topojson" / "changes.csv")
    succ = successors(councils, changes)
    slugs = assign_slugs(council_rows)

    documents: dict[str, dict] = {}
    missing_titles = []
    for code in sorted(councils):
        c = councils[code]
        rows = published.get(code, {})
        if rows:
            name = rows[max(rows)]["council"].strip()  # the most recent year's spelling
        else:
            name = TITLES.get(code, "")
        if not name:
            missing_titles.append(f"{code} {c['name']}")
            continue

        created, abolished = parse_date(c["start"]), parse_date(c["end"])
        doc: dict = {"name": name, "code": code, "type": c["lgsco_type"]}
        if created:
            doc["created"] = created
        if abolished:
            doc["abolished"] = abolished
            doc["replaced_by"] = FlowList(sorted({slugs[s] for s in succ.get(code, set())}))
            if not doc["replaced_by"]:
                raise ConversionError(f"{code} {c['name']} is abolished but has no successor")
            for s in succ[code]:
                s_start, s_end = parse_date(councils[s]["start"]), parse_date(councils[s]["end"])
                day_after = abolished + dt.timedelta(days=1)
                if (s_start and s_start > day_after) or (s_end and s_end <= abolished):
                    raise ConversionError(f"{code}: successor {s} was not current on {day_after}")
        elif succ.get(code):
            raise ConversionError(f"{code} {c['name']} is not abolished but has successors {succ[code]}")

        years: dict[str, dict] = {}
        for key in sorted(set(existing_years(c)) | set(rows)):
            entry: dict = {}
            pop = population.get((code, year_start(key) - 1))
            if pop is not None:
                entry["population"] = pop
            row = rows.get(key)
            if row:
                for f in COUNT_FIELDS:
                    if row[f].strip():
                        entry[f] = parse_int(row[f].strip(), f"{code} {key} {f}")
                source = row["source_url"].strip()
                if not source:
                    raise ConversionError(f"{code} {key}: no source_url")
                # Several sources are separated by ";" in the reference file.
                parts = [part.strip() for part in source.split(";") if part.strip()]
                letter = LETTERS.get((code, key))
                if letter:
                    entry["letter"] = f"{key}/{slugs[code]}.md"
                    entry["letter_date"] = letter[1]
                entry["source"] = parts[0] if len(parts) == 1 else parts
            years[key] = entry
        doc["years"] = years
        documents[slugs[code]] = doc

    if missing_titles:
        raise ConversionError("no title for: " + "; ".join(missing_titles))
    unused = sorted(set(TITLES) - set(councils))
    if unused:
        raise ConversionError(f"TITLES has codes not in councils.csv: {unused}")

    return documents, build_averages(reference)


def build_averages(reference: Path) -> dict:
    averages: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in read_csv(reference / "lgsco-averages.csv"):
        year, kind = r["year"], r["type"]
        year_start(year)
        if kind not in TYPES:
            raise ConversionError(f"lgsco-averages.csv: unknown type {kind!r}")
        if kind in averages[year]:
            raise ConversionError(f"lgsco-averages.csv: duplicate {year} {kind}")
        entry: dict = {}
        for f in ("upheld_pct", "upheld_per_100k", "compliance_pct", "remedy_pct"):
            text = r[f].strip()
            if not text:
                continue
            entry[f] = float(text) if f == "upheld_per_100k" else parse_int(text, f"averages {year} {kind} {f}")
        if entry:
            averages[year][kind] = entry
    return {year: {kind: averages[year][kind] for kind in sorted(averages[year])} for year in sorted(averages)}


# ---------------------------------------------------------------- writing


class FlowList(list):
    """A list written in flow style: [a, b]."""


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: D102 - never write anchors/aliases
        return True


Dumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def to_yaml(data: dict) -> str:
    text = yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=10_000,
        indent=2,
    )
    # Round trip: what a plain yaml.safe_load reads must be exactly what we meant.
    if yaml.safe_load(text) != data:
        raise ConversionError("YAML round trip failed")
    return HEADER + text


def write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def write(out: Path, documents: dict[str, dict], averages: dict) -> None:
    councils_dir = out / "councils"
    councils_dir.mkdir(parents=True, exist_ok=True)
    wanted = {f"{slug}.yaml" for slug in documents}
    for stale in sorted(councils_dir.glob("*.yaml")):
        if stale.name not in wanted:
            stale.unlink()
    for slug in sorted(documents):
        write_if_changed(councils_dir / f"{slug}.yaml", to_yaml(documents[slug]))
    write_if_changed(out / "averages.yaml", to_yaml(averages))


def copy_letters(reference: Path, out: Path, documents: dict[str, dict]) -> None:
    for slug, document in documents.items():
        for entry in document["years"].values():
            if "letter" in entry:
                target = out / "letters" / entry["letter"]
                name = next(name for (code, key), (name, _) in LETTERS.items() if f"{key}/{slug}.md" == entry["letter"])
                target.parent.mkdir(parents=True, exist_ok=True)
                write_if_changed(target, (reference / "letters" / name).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, help=f"reference folder (default: <repo>/{DEFAULT_REFERENCE})")
    parser.add_argument("--out", type=Path, help=f"output folder (default: <repo>/{DEFAULT_OUT})")
    args = parser.parse_args(argv)
    reference = args.reference if args.reference is not None else REPO_ROOT / DEFAULT_REFERENCE
    out = args.out if args.out is not None else REPO_ROOT / DEFAULT_OUT
    if not (reference / "councils.csv").is_file():
        print(f"error: no councils.csv in {reference}", file=sys.stderr)
        return 2
    try:
        documents, averages = build(reference)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write(out, documents, averages)
    copy_letters(reference, out, documents)
    with_figures = sum(
        1 for d in documents.values() for e in d["years"].values() if any(f in e for f in COUNT_FIELDS)
    )
    print(f"wrote {len(documents)} council files ({with_figures} council-years with figures) and averages.yaml to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
