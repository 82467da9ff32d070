"""Write the model back as YAML in the documented data format, the inverse of :mod:`generator.loader`.

``load_dataset`` on a folder of files written by :func:`dump_council` (and :func:`dump_averages`)
gives back the same councils and averages. Keys come in the README's order, absent values are
left out, and a year with nothing known is written ``{}``.
"""

from __future__ import annotations

from typing import Any

import yaml

from .breakdowns import BREAKDOWN_KINDS
from .model import COUNT_FIELDS, Council, CouncilYear, Decision, PublicReport, Source


def _without_empty(entries: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entries.items() if value is not None and value != []}


def _source(source: Source) -> str:
    return source.url if source.url is not None else source.text


def _decision(decision: Decision) -> dict[str, Any]:
    return _without_empty({
        "reference": decision.reference, "date": decision.date, "outcome": decision.outcome,
        "summary": decision.summary, "url": decision.url,
    })


def _public_report(report: PublicReport) -> dict[str, Any]:
    return _without_empty({"title": report.title, "date": report.date, "url": report.url})


def year_entries(record: CouncilYear) -> dict[str, Any]:
    """One year's figures and documents as the data file holds them."""
    sources = [_source(source) for source in record.sources]
    return _without_empty({
        **{name: getattr(record, name) for name in COUNT_FIELDS},
        **{kind.field: {key: getattr(record, kind.field)[key] for key in kind.keys} if getattr(record, kind.field) is not None else None
           for kind in BREAKDOWN_KINDS},
        "letter": record.letter,
        "letter_date": record.letter_date,
        "letter_url": record.letter_url,
        "source": sources[0] if len(sources) == 1 else sources,
        "decisions": [_decision(decision) for decision in record.decisions],
        "public_reports": [_public_report(report) for report in record.public_reports],
        "service_improvements": list(record.service_improvements),
    })


def council_entries(council: Council) -> dict[str, Any]:
    """A council as the data file holds it (the slug is the file's name, so it is not included)."""
    return _without_empty({
        "name": council.name,
        "code": council.code,
        "type": council.type,
        "website": council.website,
        "created": council.created,
        "abolished": council.abolished,
        "replaced_by": list(council.replaced_by),
        "aliases": list(council.aliases),
        "years": {year: year_entries(council.years[year]) for year in sorted(council.years)},
    })


# Characters YAML reads as line breaks besides \n: written unquoted they would be folded away.
_OTHER_LINE_BREAKS = frozenset("\r\x85\u2028\u2029")


class _DataDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing text with unusual line breaks double-quoted so they survive."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _OTHER_LINE_BREAKS.intersection(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_DataDumper.add_representer(str, _represent_text)


def _dump(entries: dict[str, Any]) -> str:
    return yaml.dump(entries, Dumper=_DataDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def dump_council(council: Council) -> str:
    """The text of ``data/councils/<slug>.yaml`` for ``council``."""
    return _dump(council_entries(council))


def dump_averages(averages: dict[str, dict[str, dict[str, float]]]) -> str:
    """The text of ``data/averages.yaml``: published averages by year, then council type."""
    return _dump({year: {council_type: dict(figures) for council_type, figures in types.items()} for year, types in sorted(averages.items())})
