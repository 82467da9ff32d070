"""Write the generated pages into the MkDocs docs folder.

Each page is a Markdown file whose front matter gives its title and description and whose body
is HTML rendered from the templates in ``generator/templates``. The perfsite MkDocs plugin hands
that HTML to the theme as it is; any Markdown renderer would show it the same way.

Files are only rewritten when their content changes, and files written by an earlier run that
this run no longer produces are removed, using a manifest kept in the docs folder.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Iterator

import jinja2

from .breakdown_views import council_breakdowns, council_year_breakdowns, type_breakdowns, year_breakdowns
from .breakdowns import BreakdownTotals, breakdown_totals
from .boundaries import BoundaryError, BoundaryFileMissing, load_boundaries, match_year
from .charts import FunnelChart, funnel_chart, trend_charts
from .compute import Results
from .neighbours import Neighbour, Neighbours, latest_population, nearest_by_population
from .ranks import PER_RESIDENT, SHARE, position_text, rank_intervals, seed_for
from .coverage import YearCoverage, absent_years_note, no_figures_reason, short_no_figures_reason, year_coverage
from .letters import Letter, LetterRenderer
from .mapclasses import PATTERN_INK, PATTERN_PAPER, PATTERNS, VIEWS
from .metrics import STATISTICS
from .model import COUNCIL_TYPE_PLURAL_IN_TEXT, COUNCIL_TYPE_SINGULAR, COUNCIL_TYPES, Dataset
from .reuse import kept
from .sharing import share_view
from .spill import Held, Spill
from .views import CouncilView, council_view, long_date, succession, type_average_row

log = logging.getLogger("mkdocs.plugins.perfsite")

MANIFEST_NAME = ".perfsite-generated"
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True, init=False)
class GeneratedFile:
    """A file to write under the docs folder; MkDocs copies files that are not pages as they are.

    Kept compressed until written, like a page's body: the downloads of a large site are big.
    A file made from pieces (:meth:`from_pieces`) is compressed piece by piece and written the
    same way, so its whole text is never held.
    """

    src_path: str
    packed: bytes | Held = field(repr=False)
    is_text: bool
    size: int

    def __init__(self, src_path: str, content: str | bytes) -> None:
        is_text = isinstance(content, str)
        data = content.encode("utf-8") if is_text else content
        self._set(src_path, zlib.compress(data, 1), is_text, len(data))

    def _set(self, src_path: str, packed: bytes, is_text: bool, size: int) -> None:
        for name, value in (("src_path", src_path), ("packed", packed), ("is_text", is_text), ("size", size)):
            object.__setattr__(self, name, value)

    @classmethod
    def from_pieces(cls, src_path: str, pieces: Iterable[str]) -> "GeneratedFile":
        """A text file that is the pieces one after the other."""
        compressor = zlib.compressobj(1)
        packed, size = [], 0
        for piece in pieces:
            data = piece.encode("utf-8")
            size += len(data)
            packed.append(compressor.compress(data))
        packed.append(compressor.flush())
        generated = cls.__new__(cls)
        generated._set(src_path, b"".join(packed), True, size)
        return generated

    @property
    def content(self) -> str | bytes:
        data = self.data()
        return data.decode("utf-8") if self.is_text else data

    def data(self) -> bytes:
        return zlib.decompress(bytes(self.packed))

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The file's bytes, unpacked a piece at a time."""
        packed = bytes(self.packed)
        unpacker = zlib.decompressobj()
        for start in range(0, len(packed), size):
            yield unpacker.decompress(packed[start:start + size])
        yield unpacker.flush()

    def held_in(self, spill: Spill) -> "GeneratedFile":
        """The same file, its compressed bytes moved out of memory into ``spill`` (if not in one already)."""
        if isinstance(self.packed, Held):
            return self
        held = self.__new__(type(self))
        held._set(self.src_path, spill.hold(self.packed), self.is_text, self.size)
        return held


@dataclass(frozen=True)
class GeneratedPage:
    """A page to write: its path under the docs folder, its front matter and its HTML body.

    The body is kept compressed: every page of a site is held from its generation until MkDocs
    writes it, and the HTML of 4,000 councils would not fit in 1 GiB as text.
    """

    src_path: str
    title: str
    description: str
    packed_body: bytes | Held = field(repr=False)

    @classmethod
    def of(cls, src_path: str, title: str, description: str, body: str) -> "GeneratedPage":
        return cls(src_path, title, description, zlib.compress(body.encode("utf-8"), 1))

    @property
    def body(self) -> str:
        return zlib.decompress(bytes(self.packed_body)).decode("utf-8")

    def held_in(self, spill: Spill) -> "GeneratedPage":
        """The same page, its compressed body moved out of memory into ``spill`` (if not in one already)."""
        if isinstance(self.packed_body, Held):
            return self
        return GeneratedPage(self.src_path, self.title, self.description, spill.hold(self.packed_body))

    def data(self) -> bytes:
        front_matter = {"title": self.title, "description": self.description}
        lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front_matter.items()), "---", ""]
        return ("\n".join(lines) + self.body.strip() + "\n").encode("utf-8")


Output = GeneratedPage | GeneratedFile


def template_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    environment.globals.update(long_date=long_date, statistics=STATISTICS)
    return environment


def root_prefix(src_path: str) -> str:
    """The relative prefix from a page's URL back to the site root (directory URLs)."""
    return "../" * src_path.count("/")


@dataclass
class SiteContext:
    """What every page generator shares: the results, the views of every council and the templates."""

    results: Results
    options: dict[str, Any]
    environment: jinja2.Environment
    council_views: list[CouncilView]
    years: list[str]
    renders: dict | None = None  # under serve: key -> (what it was made from, what was made)
    templates_version: int = 0

    @property
    def dataset(self) -> Dataset:
        return self.results.dataset

    @property
    def charts(self) -> bool:
        """Whether to draw charts (the plugin's ``charts`` option, on by default)."""
        return bool(self.options.get("charts", True))

    @functools.cached_property
    def funnels(self) -> dict[tuple[str, str], FunnelChart]:
        """The funnel plot of each (type, year) that has an average and a council to plot."""
        if not self.charts:
            return {}
        found = {}
        for council_type in COUNCIL_TYPES:
            for year in self.years:
                # A funnel shows the type's councils in the year: the same year views, the same plot.
                members = tuple(view.year(year) for view in self.council_views if view.council.type == council_type and year in view.council.years)
                chart = self.kept(("funnel", council_type, year), members, lambda: funnel_chart(self.results, self.council_views, council_type, year))
                if chart is not None:
                    found[(council_type, year)] = chart
        return found

    @functools.cached_property
    def coverage(self) -> dict[str, YearCoverage]:
        """For each year, how many councils are in the data and how many of them have figures."""
        entries = ((year_view.year, year_view.has_rates) for view in self.council_views for year_view in view.years)
        return {entry.year: entry for entry in year_coverage(entries, self.years)}

    @functools.cached_property
    def positions(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        """For each (slug, year), where each of its figures stands among its type's that year, in words,
        as (statistic label, text); only among three or more councils with the figure."""
        found: dict[tuple[str, str], list[tuple[str, str]]] = {}
        rates = self.results.rates
        for council_type in COUNCIL_TYPES:
            members = [view.council.slug for view in self.council_views if view.council.type == council_type]
            for year in self.years:
                for statistic in STATISTICS:
                    counts = []
                    for slug in members:
                        value = rates.get((slug, year), {}).get(statistic.key)
                        if value is not None and value.has_value and value.denominator:
                            counts.append((slug, value.numerator, value.denominator))
                    if len(counts) < 3:
                        continue
                    kind = PER_RESIDENT if statistic.key == "upheld_per_100k" else SHARE
                    intervals = rank_intervals(counts, kind, seed_for(council_type, year, statistic.key))
                    for slug, interval in intervals.items():
                        found.setdefault((slug, year), []).append(
                            (statistic.label, position_text(interval, COUNCIL_TYPE_PLURAL_IN_TEXT[council_type], year)))
        return {key: tuple(value) for key, value in found.items()}

    @functools.cached_property
    def neighbours(self) -> dict[str, Neighbours]:
        """For each council not abolished: the year of its latest population and the councils of its
        type with a population that year nearest it in size."""
        by_year: dict[tuple[str, str], list[tuple[Neighbour, bool]]] = {}
        latest: dict[str, tuple[str, int]] = {}
        for view in self.council_views:
            council = view.council
            for year, record in council.years.items():
                if record.population:
                    by_year.setdefault((council.type, year), []).append((Neighbour(council.slug, council.name, record.population), council.is_abolished))
            found = latest_population(council.years)
            if found and not council.is_abolished:
                latest[council.slug] = found
        result = {}
        for view in self.council_views:
            council = view.council
            if council.slug not in latest:
                continue
            year, population = latest[council.slug]
            candidates = [neighbour for neighbour, abolished in by_year[(council.type, year)] if neighbour.slug != council.slug and not abolished]
            result[council.slug] = Neighbours(year, f"{population:,}", tuple(nearest_by_population(population, candidates)))
        return result

    def type_coverage(self, council_type: str) -> list[YearCoverage]:
        entries = ((year_view.year, year_view.has_rates) for view in self.council_views if view.council.type == council_type for year_view in view.years)
        return [entry for entry in year_coverage(entries, self.years) if entry.councils]

    @functools.cached_property
    def breakdown_totals(self) -> BreakdownTotals:
        """The ombudsman's breakdowns pooled by type and year, for the type's shares."""
        return breakdown_totals(self.dataset)

    def kept(self, key: Hashable, basis: Any, make: Callable[[], Any]) -> Any:
        """``make()``; with ``renders`` (kept across rebuilds), what it made last time for ``key``
        when ``basis``, what that was made from, is equal to last time's."""
        return kept(self.renders, key, basis, make)

    def page(self, src_path: str, template: str, title: str, description: str, **context: Any) -> GeneratedPage:
        """Render a page, unless its template and context are what the kept page was rendered from."""
        return self.kept(
            src_path, (template, self.templates_version, title, description, context),
            lambda: GeneratedPage.of(src_path, title, description,
                                     self.environment.get_template(template).render(root=root_prefix(src_path), **context)),
        )


def templates_version() -> int:
    """Changes whenever a page template changes."""
    return max(path.stat().st_mtime_ns for path in TEMPLATES_DIR.rglob("*.html"))


def figures_description(view: CouncilView) -> str:
    latest = view.latest
    if not latest.has_rates:
        return f"{view.council.name}: complaint figures from the Local Government and Social Care Ombudsman."
    upheld = latest.figures[0]
    if upheld.status == "value":
        figure = f"{upheld.value_text} of complaints upheld ({upheld.count_text})"
    else:
        figure = f"complaints upheld {upheld.value_text}"
    verdict = f"; {upheld.verdict.text[:1].lower()}{upheld.verdict.text[1:]}" if upheld.comparison is not None else ""
    return f"{view.council.name}, {latest.year}: {figure}; average for {COUNCIL_TYPE_PLURAL_IN_TEXT[view.council.type]} {upheld.average.text}{verdict}."


def council_pages(site: SiteContext) -> Iterator[Output]:
    for view in site.council_views:
        # Everything on a council's pages comes from its view: an unchanged view, unchanged pages.
        own_positions = tuple(site.positions.get((view.council.slug, year), ()) for year in view.council.sorted_years())
        basis = (view, site.templates_version, site.options.get("site_url"), site.charts, site.coverage, own_positions,
                 site.neighbours.get(view.council.slug), site.breakdown_totals.of_type(view.council.type))
        yield from site.kept(("council pages", view.council.slug), basis, lambda: tuple(pages_of_council(site, view)))


def pages_of_council(site: SiteContext, view: CouncilView) -> Iterator[Output]:
    """A council's page and its year pages."""
    council = view.council
    type_plural = COUNCIL_TYPE_PLURAL_IN_TEXT[council.type]
    description = figures_description(view)
    reasons = {
        year_view.year: no_figures_reason(council.name, year_view.year, year_view.has_figures, site.coverage.get(year_view.year))
        for year_view in view.years if not year_view.has_rates
    }
    short_reasons = {
        year_view.year: short_no_figures_reason(year_view.has_figures, site.coverage.get(year_view.year))
        for year_view in view.years if not year_view.has_rates
    }
    charts = site.kept(("trend charts", council.slug), view, lambda: trend_charts(site.results, view)) if site.charts and any(year.has_figures for year in view.years) else []
    charted = {chart.statistic.key for chart in charts}
    yield site.page(
        f"{council.slug}/index.md", "council.html", council.name, description,
        view=view, type_plural=type_plural, trend_charts=charts, reasons=short_reasons,
        positions=site.positions.get((council.slug, view.latest.year), ()),
        neighbours=site.neighbours.get(council.slug),
        absent_years=absent_years_note(council.name, council.years, site.years, council.created, council.abolished),
        share=share_view(view, description, site.options.get("site_url")),
        without_chart=[statistic.label for statistic in STATISTICS if charts and statistic.key not in charted],
        breakdowns=council_breakdowns(view),
    )
    for year_view in view.years:
        yield site.page(
            f"{council.slug}/{year_view.year}/index.md", "council_year.html",
            f"{council.name}: {year_view.year}",
            f"{council.name}: complaint figures for {year_view.year} against the average for {type_plural}.",
            view=year_view, council_view=view, type_plural=type_plural, reason=reasons.get(year_view.year, ""),
            positions=site.positions.get((council.slug, year_view.year), ()),
            type_label=COUNCIL_TYPE_SINGULAR[council.type],
            breakdowns=council_year_breakdowns(site.breakdown_totals, year_view, type_plural),
        )


def type_entries(site: SiteContext) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "count": sum(view.council.type == key for view in site.council_views)}
        for key, label in COUNCIL_TYPES.items()
    ]


def type_pages(site: SiteContext) -> Iterator[Output]:
    for council_type, label in COUNCIL_TYPES.items():
        members = sorted((view for view in site.council_views if view.council.type == council_type), key=lambda view: view.council.name)
        if not members:
            continue
        type_years = sorted({year for view in members for year in view.council.years})
        yield site.page(
            f"types/{council_type}/index.md", "type.html", label,
            f"Complaint figures for every one of England's {COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]}, with their averages year by year.",
            type_label=label, council_views=members, type_plural=COUNCIL_TYPE_PLURAL_IN_TEXT[council_type],
            coverage=site.type_coverage(council_type),
            funnel_years=[year for year in type_years if (council_type, year) in site.funnels],
            average_rows=[type_average_row(site.results, year, council_type) for year in type_years],
            breakdowns=type_breakdowns(site.breakdown_totals, council_type),
        )
    yield site.page("types/index.md", "types_index.html", "Councils by type", "England's councils by type.", types=type_entries(site))


def year_pages(site: SiteContext) -> Iterator[Output]:
    years = site.years
    year_entries = []
    for index, year in enumerate(years):
        in_year = [view for view in site.council_views if year in view.council.years]
        year_views = {view.council.slug: view.year(year) for view in in_year}
        with_figures = sum(year_view.has_figures for year_view in year_views.values())
        year_entries.append({"year": year, "councils": len(in_year), "with_figures": with_figures})
        groups = []
        for council_type, label in COUNCIL_TYPES.items():
            rows = sorted((year_views[view.council.slug] for view in in_year if view.council.type == council_type), key=lambda row: row.council.name)
            if rows:
                groups.append({"key": council_type, "label": label, "rows": rows})
        yield site.page(
            f"years/{year}/index.md", "year.html", f"Figures for {year}",
            f"Complaint figures for England's councils in {year}, with the average for each type of council.",
            year=year, council_count=len(in_year), with_figures=with_figures, groups=groups,
            funnel_types=[{"key": key, "label": label} for key, label in COUNCIL_TYPES.items() if (key, year) in site.funnels],
            previous_year=years[index - 1] if index > 0 else None,
            next_year=years[index + 1] if index + 1 < len(years) else None,
            average_rows=[type_average_row(site.results, year, council_type) for council_type in COUNCIL_TYPES if (year, council_type) in site.results.averages],
            breakdowns=year_breakdowns(site.breakdown_totals, year),
        )
    yield site.page("years/index.md", "years_index.html", "Figures by year", "Complaint figures for England's councils, year by year.", years=year_entries)


def home_page(site: SiteContext) -> Iterator[Output]:
    finder_entries = sorted(
        ({"slug": view.council.slug, "name": view.council.name, "type_label": view.type_label, "abolished": view.council.is_abolished} for view in site.council_views),
        key=lambda entry: entry["slug"],  # the slug is the place name: Greenwich under G, not R
    )
    yield site.page(
        "index.md", "home.html", "Council complaint figures",
        "How England's councils handle complaints, as the Local Government and Social Care Ombudsman reports it each year.",
        councils=finder_entries, types=type_entries(site), years=site.years, coverage=list(site.coverage.values()),
    )


def map_pages(site: SiteContext) -> Iterator[Output]:
    """/map/<year>/ for every year and /map/ for the latest, with Leaflet and the map's assets.

    Boundaries come from ``site.options["boundaries"]``; when the file is missing or unusable,
    every map page says so and how to get it, the tables are still written, and the build
    carries on with a warning (an error under ``--strict``). With the option ``map`` false there is
    only /map/, saying the site has no map, so links to it still lead somewhere.
    """
    from . import mapgen  # Folium, NumPy and branca take 0.4 s to import: only a build with a map needs them

    if not site.options.get("map", True):
        yield site.page(
            "map/index.md", "map_off.html", "Map",
            "This site is published without a map; every council's figures are on the year pages.",
            years=site.years,
        )
        return
    path = site.options.get("boundaries")
    shown = site.options.get("boundaries_shown") or (Path(path).name if path else "boundaries/topo.json")
    boundaries, problem = None, None
    try:
        if not path:
            raise BoundaryFileMissing(f"{shown}: no boundary file is configured (expected the plugin option boundaries)")
        boundaries = site.kept(("boundaries", path), (shown, _file_state(Path(path))), lambda: load_boundaries(Path(path), shown))
    except BoundaryError as error:
        log.warning(f"map: no map is drawn: {error}; get the file with `perfsite boundaries fetch`")
        problem = "the council boundaries it is drawn from were not available when the site was built"
    shared = None
    if boundaries is not None:
        for src_path, content in mapgen.asset_files():
            yield GeneratedFile(src_path, content)
        shared = site.kept(("map geometry", path), (boundaries, tuple(site.years)), lambda: map_geometry(boundaries, site.years))
        yield GeneratedFile(f"assets/map/{shared.file_name}", shared.content)
        from .svgmap import TOLERANCE as STATIC_TOLERANCE
        static_outlines = site.kept(("map static geometry", path), (boundaries, tuple(site.years)),
                                    lambda: map_geometry(boundaries, site.years, STATIC_TOLERANCE).topology)
    rendered = mapgen.render_map(site.options.get("tiles"), site.options.get("tiles_attribution")) if boundaries else None
    councils = tuple(site.dataset.councils)
    # One year at a time: a year's features and table are let go once its pages are rendered
    # (a one-off build keeps nothing; under serve each year is kept for the next rebuild).
    for year in site.years:
        year_views = {view.council.slug: view.year(year) for view in site.council_views if year in view.council.years}
        match = site.kept(("map match", year), (councils, boundaries), lambda: match_year(councils, boundaries, year)) if boundaries is not None else None
        if match is not None:
            mapgen.report_match(match)
        map_data = site.kept(("map year", year), (year_views, match), lambda: mapgen.map_year(site.results, year, year_views, match, shared, site.renders))
        src_paths = [f"map/{year}/index.md"]
        if year == site.years[-1]:
            src_paths.append("map/index.md")  # /map/ shows the latest year
        static = site.kept(("map static", year), map_data, lambda: mapgen.static_maps(map_data, static_outlines)) if boundaries else {}
        if static:
            yield from static_map_files(site, year, static, src_paths)
        for src_path in src_paths:
            root = root_prefix(src_path)
            yield site.page(
                src_path, "map.html", f"Map of complaint figures, {year}",
                f"A map of England's councils' complaint figures for {year}, each against the average for its type, with a table of every council.",
                map=map_data, rendered=rendered, problem=problem, years=site.years, views=VIEWS,
                layer_sets=mapgen.LAYER_SET_LABELS, patterns=PATTERNS, pattern_ink=PATTERN_INK, pattern_paper=PATTERN_PAPER,
                min_cases=site.results.min_cases,
                config=site.kept(("map config", src_path), map_data, lambda: mapgen.map_config(map_data, root, shared.file_name)) if rendered else "",
                layer_data=site.kept(("map layers", year), map_data, lambda: mapgen.layer_data(map_data)) if rendered else {},
                static=static,
                average_rows=[type_average_row(site.results, year, council_type) for council_type in COUNCIL_TYPES if (year, council_type) in site.results.averages],
            )


def map_geometry(boundaries, years, tolerance=None):
    """The outlines every year's map shares, simplified once (see :mod:`generator.mapgeometry`)."""
    from . import mapgeometry

    areas = mapgeometry.areas_for_years(boundaries, years)
    return mapgeometry.shared_geometry(boundaries, areas, **({"tolerance": tolerance} if tolerance else {}))


def static_map_files(site, year: str, maps: dict, src_paths: list[str]) -> Iterator[Output]:
    """The Open Graph image of a year's map page (the static map's first layer set as a PNG),
    beside each page that shows the year."""
    from .svgmap import png_image

    image = site.kept(("map png", year), maps["lower"], lambda: png_image(maps["lower"]))
    for src_path in src_paths:
        yield GeneratedFile(src_path.removesuffix("index.md") + "map.png", image)


def funnel_pages(site: SiteContext) -> Iterator[Output]:
    for (council_type, year), chart in site.funnels.items():
        yield site.page(
            f"types/{council_type}/{year}/funnel/index.md", "funnel.html",
            f"Complaints upheld by {COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]}, {year}: funnel plot",
            f"Every one of England's {COUNCIL_TYPE_PLURAL_IN_TEXT[council_type]} with figures for {year}: the share of complaints upheld "
            f"against the number investigated, with the average and 95% and 99.8% control limits.",
            chart=chart, type_plural=COUNCIL_TYPE_PLURAL_IN_TEXT[council_type],
        )


PageGenerator = Callable[[SiteContext], Iterator[Output]]


def deferred(module: str, name: str) -> PageGenerator:
    """The generator ``name`` of a module that imports this one, looked up when the site is built."""
    def generate(site: SiteContext) -> Iterator[Output]:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(site)

    generate.__name__ = name
    return generate


# Each generator yields the pages (and other files) of one part of the site. Add a part by
# appending its generator here.
PAGE_GENERATORS: list[PageGenerator] = [
    council_pages, type_pages, year_pages, home_page, funnel_pages, map_pages,
    deferred("downloads", "data_downloads"), deferred("downloads", "schema_files"),
    deferred("embeds", "embed_cards"), deferred("embeds", "badges"),
    deferred("embeds", "code_redirects"), deferred("embeds", "alias_redirects"),
    deferred("feed", "feed_files"), deferred("compare", "compare_page"),
]


def site_context(results: Results, options: dict[str, Any] | None = None, letters: Callable[[str], Letter] | None = None, renders: dict | None = None) -> SiteContext:
    render_letter = letters or LetterRenderer(results.dataset.data_dir / "letters")
    links = succession(results.dataset)
    version = templates_version() if renders is not None else 0
    return SiteContext(
        results=results,
        options=dict(options or {}),
        environment=kept(renders, "template environment", version, template_environment),
        council_views=[council_view(results, council, render_letter, links, renders) for council in results.dataset.councils],
        years=results.dataset.years(),
        renders=renders,
        templates_version=version,
    )


class _Folders:
    """Makes the folders files go in, each once, and remembers which of them this run created:
    a file in a folder just made cannot exist yet, so it is written without reading it first."""

    def __init__(self) -> None:
        self.existing: set[Path] = set()
        self.created: set[Path] = set()

    def make(self, folder: Path) -> None:
        if folder in self.existing or folder in self.created:
            return
        try:
            folder.mkdir()
        except FileExistsError:
            self.existing.add(folder)
            return
        except FileNotFoundError:
            self.make(folder.parent)
            folder.mkdir()
        self.created.add(folder)


def _write_if_changed(path: Path, generated: Output, folders: _Folders) -> bool:
    folders.make(path.parent)
    if path.parent not in folders.created and _same_content(path, generated):
        return False
    if isinstance(generated, GeneratedFile):
        with path.open("wb") as handle:
            for chunk in generated.chunks():
                handle.write(chunk)
    else:
        path.write_bytes(generated.data())
    return True


def _same_content(path: Path, generated: Output) -> bool:
    """Whether the file at ``path`` holds exactly what ``generated`` would write."""
    if isinstance(generated, GeneratedPage):
        try:
            return path.read_bytes() == generated.data()
        except FileNotFoundError:
            return False
    try:
        if path.stat().st_size != generated.size:
            return False
        with path.open("rb") as handle:
            return all(handle.read(len(chunk)) == chunk for chunk in generated.chunks())
    except FileNotFoundError:
        return False


def write_pages(pages: Iterable[Output], docs_dir: Path, known: dict | None = None, also_kept: Iterable[str] = (),
                spill: Spill | None = None) -> dict[str, Output]:
    """Write the pages under ``docs_dir`` and remove pages an earlier run wrote but this one did not.

    Every page is generated before the first is written, so a generator that fails leaves
    ``docs_dir`` as it was; with a ``spill``, what they hold waits in it, not in memory, and the
    pages returned read it from there. ``known`` (kept across rebuilds by ``perfsite serve``)
    remembers each file as last written; a page that is the very object written last time, to a
    file nobody has touched since, is not even read back to compare. ``also_kept`` are files this run writes
    later (with :func:`write_later`): they are not stale.
    """
    written: dict[str, Output] = {}
    for generated in pages:
        if generated.src_path in written:
            raise ValueError(f"two generated pages share the path {generated.src_path}")
        written[generated.src_path] = generated.held_in(spill) if spill else generated
    docs_dir.mkdir(parents=True, exist_ok=True)
    folders = _Folders()
    _write_each(written.values(), docs_dir, known, folders)
    kept = set(written) | set(also_kept)
    _remove_files(docs_dir, set(_manifest_paths(docs_dir)) - kept)
    _write_manifest(docs_dir, kept, folders)
    return written


def write_later(outputs: Iterable[Output], docs_dir: Path, site_dir: Path, known: dict | None, replaced: Iterable[str]) -> None:
    """Write files made after MkDocs has written the pages (``perfsite serve``): into ``docs_dir``,
    as :func:`write_pages` does, and into the built site, since MkDocs has copied files already
    (each replaced whole, as the server may be sending it).

    ``replaced`` are the paths these outputs' generators wrote last time: those no longer written
    are removed from both folders and from the manifest.
    """
    outputs = list(outputs)
    folders = _Folders()
    for generated, changed in zip(outputs, _write_each(outputs, docs_dir, known, folders)):
        target = site_dir / generated.src_path
        if changed or not target.exists():
            folders.make(target.parent)
            # The server may be sending this file as it is replaced: it sees the old or the new, whole.
            partial = target.with_name(f".{target.name}.partial")
            partial.write_bytes(generated.data())
            os.replace(partial, target)
    stale = set(replaced) - {generated.src_path for generated in outputs}
    _remove_files(docs_dir, stale)
    _remove_files(site_dir, stale)
    _write_manifest(docs_dir, (set(_manifest_paths(docs_dir)) - stale) | {generated.src_path for generated in outputs}, folders)


def _write_each(outputs: Iterable[Output], docs_dir: Path, known: dict | None, folders: _Folders) -> list[bool]:
    """Write each output unless its file already holds it; whether each was written."""
    changed = []
    for generated in outputs:
        path = docs_dir / generated.src_path
        if known is not None:
            last = known.get(generated.src_path)
            if last and last[0] is generated and last[1] == _file_state(path):
                changed.append(False)
                continue
        changed.append(_write_if_changed(path, generated, folders))
        if known is not None:
            known[generated.src_path] = (generated, _file_state(path))
    return changed


def _manifest_paths(docs_dir: Path) -> list[str]:
    """The files the last run wrote under ``docs_dir``, from its manifest."""
    manifest = docs_dir / MANIFEST_NAME
    return list(filter(None, manifest.read_text(encoding="utf-8").split("\n"))) if manifest.exists() else []


def _write_manifest(docs_dir: Path, paths: Iterable[str], folders: _Folders) -> None:
    _write_if_changed(docs_dir / MANIFEST_NAME, GeneratedFile(MANIFEST_NAME, "\n".join(sorted(paths)) + "\n"), folders)


def _remove_files(root: Path, relative_paths: Iterable[str]) -> None:
    """Remove the files, and the folders they leave empty, up to ``root``."""
    for stale in sorted(relative_paths):
        stale_path = root / stale
        if stale_path.is_file():
            stale_path.unlink()
            for parent in stale_path.parents:
                if parent == root or any(parent.iterdir()):
                    break
                parent.rmdir()


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size
