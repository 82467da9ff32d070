"""``/feed.xml``: an Atom feed of data releases, one entry for each financial year with figures.

Each entry says how many councils have figures that year (and how that changed from the year
before) and the average for each type of council against the year before. Nothing in it depends
on when the site was built: an entry's ``updated`` is the latest annual review letter date of the
year's councils, or the end of the financial year when no letter date is in the data, so the same
data always gives the same feed.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape
from typing import Iterator

from .downloads import site_address
from .metrics import STATISTICS
from .model import COUNCIL_TYPES
from .pages import GeneratedFile, Output, SiteContext
from .views import average_view

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"


@dataclass(frozen=True)
class Release:
    """What one year's figures hold, worded for the feed."""

    year: str
    updated: dt.date
    councils: int
    with_figures: int
    previous_year: str | None
    previous_with_figures: int | None
    average_lines: list[str]


def year_end(year: str) -> dt.date:
    return dt.date(int(year[:4]) + 1, 3, 31)


def releases(site: SiteContext) -> list[Release]:
    """One release for each year in which any council has figures, oldest first."""
    found: list[Release] = []
    for year in site.years:
        records = [council.years[year] for council in site.dataset.councils if year in council.years]
        with_figures = [record for record in records if record.has_figures]
        if not with_figures:
            continue
        letters = [record.letter_date for record in with_figures if record.letter_date]
        previous = found[-1] if found else None
        found.append(Release(
            year=year,
            updated=max(letters) if letters else year_end(year),
            councils=len(records),
            with_figures=len(with_figures),
            previous_year=previous.year if previous else None,
            previous_with_figures=previous.with_figures if previous else None,
            average_lines=average_lines(site, year, previous.year if previous else None),
        ))
    return found


def average_lines(site: SiteContext, year: str, previous_year: str | None) -> list[str]:
    """For each type of council, its averages this year, each with last year's beside it."""
    lines = []
    for council_type, label in COUNCIL_TYPES.items():
        averages = site.results.averages.get((year, council_type))
        if averages is None:
            continue
        before = site.results.averages.get((previous_year, council_type), {}) if previous_year else {}
        parts = []
        for statistic in STATISTICS:
            if averages[statistic.key].shown_text is None:
                continue
            shown = average_view(averages[statistic.key], council_type)
            part = f"{statistic.label.lower()} {shown.text} ({shown.note}"
            if statistic.key in before and before[statistic.key].shown_text is not None:
                part += f"; {previous_year}: {before[statistic.key].shown_text}"
            parts.append(part + ")")
        if parts:
            lines.append(f"{label}: " + ", ".join(parts) + ".")
    return lines


def summary(release: Release) -> str:
    text = f"Figures for {release.with_figures} of the {release.councils} councils in this data."
    if release.previous_year is not None and release.previous_with_figures is not None:
        change = release.with_figures - release.previous_with_figures
        more = f"{abs(change)} more" if change > 0 else f"{abs(change)} fewer" if change < 0 else "the same number of"
        text += f" That is {more} {'council' if abs(change) == 1 else 'councils'} with figures than in {release.previous_year}."
    return text


def entry_id(site: SiteContext, path: str) -> str:
    """A permanent id: the address when the site's address is known, else a UUID named from the site and path."""
    return site_address(site, path) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'perfsite:' + site.options.get('site_name', '') + ':' + path)}"


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(site: SiteContext) -> str:
    ET.register_namespace("", ATOM)
    found = releases(site)

    def element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            child.text = text
        return child

    def address(path: str) -> str:
        return site_address(site, path) or path

    site_name = site.options.get("site_name") or "perfsite"
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en-GB"})
    element(feed, "title", f"{site_name}: data releases")
    element(feed, "subtitle", "Each financial year's complaint figures for England's councils, as they are added.")
    element(feed, "id", entry_id(site, FEED_PATH))
    element(feed, "updated", timestamp(max((release.updated for release in found), default=dt.date(2000, 1, 1))))
    element(feed, "link", rel="self", type="application/atom+xml", href=address(FEED_PATH))
    element(feed, "link", rel="alternate", type="text/html", href=address(""))
    author = element(feed, "author")
    element(author, "name", site_name)
    for release in reversed(found):
        year_path = f"years/{release.year}/"
        entry = element(feed, "entry")
        element(entry, "title", f"Figures for {release.year}")
        element(entry, "id", entry_id(site, year_path))
        element(entry, "updated", timestamp(release.updated))
        element(entry, "link", rel="alternate", type="text/html", href=address(year_path))
        element(entry, "link", rel="enclosure", type="text/csv", href=address(f"{year_path}councils.csv"))
        element(entry, "link", rel="enclosure", type="application/json", href=address(f"{year_path}councils.json"))
        element(entry, "summary", summary(release))
        content = f"<p>{escape(summary(release), quote=False)}</p>"
        if release.average_lines:
            content += "<p>Averages:</p><ul>" + "".join(f"<li>{escape(line, quote=False)}</li>" for line in release.average_lines) + "</ul>"
        element(entry, "content", content, type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def feed_files(site: SiteContext) -> Iterator[Output]:
    yield GeneratedFile(FEED_PATH, atom_feed(site))
