"""The map of one year: what each council's area carries, and the Folium map that draws it.

Each year's map has two GeoJSON layers, one per layer set (districts, unitaries, metropolitan and
London boroughs; county councils), each holding every area's outline once. A feature's properties
carry all four statistics (figure, count, class against the average, class by value, and the
comparison with the average in words, as on the council's page), so the page's script
(``static/map/perfsite-map.js``) restyles the same shapes when the reader switches statistic or view.

Folium writes the map and its two GeoJSON layers, the same for every year; each year's features
sit in the page as a JSON data block per layer set, which the page's script adds to the layers.
(Folium would otherwise put a megabyte of features through Jinja as a template, slowly.) Leaflet
comes from ``xstatic-leaflet`` and is published with the site: nothing is loaded from another host
unless a tile layer is configured.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import folium
import xstatic.pkg.leaflet
from branca.element import Element
from folium.utilities import JsCode

from .boundaries import COUNTY, LOWER_TIER, YearMatch, layer_set_for
from .compute import Results
from .mapclasses import (
    AGAINST_AVERAGE,
    AVERAGE_CLASSES,
    OUTLINE,
    PATTERNS,
    VIEWS,
    LegendEntry,
    class_against_average,
    class_by_value,
    legend_entries,
)
from .mapgeometry import MAX_ZOOM, SharedGeometry
from .metrics import STATISTICS, Statistic
from .model import COUNCIL_TYPE_SINGULAR, COUNCIL_TYPES, Council
from .reuse import kept
from .svgmap import StaticMap, static_map
from .views import CouncilYearView, comparison_phrase, long_date

log = logging.getLogger("mkdocs.plugins.perfsite")

MAP_NAME = "map_perfsite"
LAYER_NAMES = {LOWER_TIER: "geo_json_lower", COUNTY: "geo_json_county"}
LAYER_SET_LABELS = {
    LOWER_TIER: "Districts, unitaries, metropolitan and London boroughs",
    COUNTY: "County councils",
}
STATIC_DIR = Path(__file__).parent / "static" / "map"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                 "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")
# England, for the first view before the layer's own bounds are known.
ENGLAND_CENTRE = (52.8, -1.6)
# Folium names an element "<kind>_<32 hex digits>" unless given a fixed name.
RANDOM_NAME = re.compile(r"\b[a-z_]+_[0-9a-f]{32}\b")


@dataclass(frozen=True)
class MapCell:
    """One statistic of one council in the table under the map."""

    value_text: str
    count_text: str
    comparison_text: str


@dataclass(frozen=True)
class MapRow:
    slug: str
    name: str
    type_label: str
    cells: list[MapCell]
    note: str | None


@dataclass(frozen=True)
class MapGroup:
    key: str
    label: str
    rows: list[MapRow]


@dataclass(frozen=True)
class Legend:
    statistic: Statistic
    view: str
    view_label: str
    entries: list[LegendEntry]


@dataclass
class MapYear:
    """Everything the map page of one year shows, worked out."""

    year: str
    groups: list[MapGroup]
    legends: list[Legend]
    averages: dict[str, list[str]]
    collections: dict[str, dict]
    not_drawn: list[MapRow] = field(default_factory=list)


def council_figures(results: Results, council: Council, year: str, year_view: CouncilYearView) -> tuple[list[MapCell], list[list[str]]]:
    """The table cells and the map feature's figures of one council-year, statistic by statistic.

    Against the average, the class and words are the council page's own verdict on the figure.
    """
    rates = results.council_rates(council, year)
    comparisons = results.council_comparisons(council, year)
    cells, feature_figures = [], []
    for statistic, figure in zip(STATISTICS, year_view.figures):
        phrase = comparison_phrase(figure)
        against = class_against_average(comparisons[statistic.key])
        cells.append(MapCell(figure.value_text, figure.count_text, phrase))
        feature_figures.append([figure.value_text, figure.count_text, against, class_by_value(statistic, rates[statistic.key]), phrase])
    return cells, feature_figures


def map_year(
    results: Results, year: str, year_views: dict[str, CouncilYearView], match: YearMatch | None, shared: SharedGeometry | None,
    memory: dict | None = None,
) -> MapYear:
    """The map page's content for one year; without boundaries (``match`` None) only the table.

    ``year_views`` holds every council that has the year, by slug. A feature names its outline by
    its position (``g``) in its layer set of the site's ``shared`` geometry. With ``memory`` (under serve),
    a council's figures are worked out again only when its year view is a new one.
    """
    councils = sorted((view.council for view in year_views.values()), key=lambda council: (council.name.casefold(), council.slug))
    rows: dict[str, list[MapRow]] = {LOWER_TIER: [], COUNTY: []}
    features: dict[str, list[dict]] = {LOWER_TIER: [], COUNTY: []}
    not_drawn = []
    for council in councils:
        year_view = year_views[council.slug]
        cells, feature_figures = kept(memory, ("map figures", council.slug, year), year_view,
                                      lambda: council_figures(results, council, year, year_view))
        area = match.areas.get(council.slug) if match else None
        note = None
        if match is not None and area is None:
            note = ("abolished before this year, so it has no area; the ombudsman still reported on complaints about it"
                    if council in match.after_abolition else "no boundary for this year in the boundary file")
        type_label = COUNCIL_TYPE_SINGULAR[council.type]
        row = MapRow(council.slug, council.name, type_label[0].upper() + type_label[1:], cells, note)
        rows[layer_set_for(council.type)].append(row)
        if note:
            not_drawn.append(row)
        if area is not None and shared is not None:
            features[layer_set_for(council.type)].append({
                "type": "Feature",
                "properties": {"c": council.code, "s": council.slug, "n": council.name, "t": council.type, "f": feature_figures,
                               "g": shared.positions[(area.layer, area.index)]},
            })
    for layer_features in features.values():
        layer_features.sort(key=lambda feature: feature["properties"]["c"])
    averages = {
        council_type: [type_averages[statistic.key].shown_text or "not available" for statistic in STATISTICS]
        for (average_year, council_type), type_averages in sorted(results.averages.items())
        if average_year == year
    }
    return MapYear(
        year=year,
        groups=[MapGroup(key, LAYER_SET_LABELS[key], rows[key]) for key in (LOWER_TIER, COUNTY) if rows[key]],
        legends=[Legend(statistic, view, label, legend_entries(statistic, view)) for statistic in STATISTICS for view, label in VIEWS.items()],
        averages=averages,
        collections={key: {"type": "FeatureCollection", "features": features[key]} for key in (LOWER_TIER, COUNTY)},
        not_drawn=not_drawn,
    )


def _listed(items: list[str], most: int = 10) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def report_match(match: YearMatch) -> None:
    """Say which councils the year's map cannot draw, and which areas in force have no council.

    A council reported on after its abolition has no area that year by nature: that is only
    informative. Any other council without an area, or an area without a council, is a warning
    (an error under ``--strict``): a wrong code, or a council missing from the data.
    """
    for council in match.after_abolition:
        log.info(
            f"map {match.year}: {council.name} ({council.code}) is in the table but not on the map: "
            f"abolished on {long_date(council.abolished)}, it has no boundary in {match.boundary_year}"
        )
    if match.without_boundary:
        log.warning(
            f"map {match.year}: {len(match.without_boundary)} councils have no boundary in force in "
            f"boundary-year {match.boundary_year} (expected an area with their GSS code in the boundary file): "
            + _listed([f"{council.name} ({council.code})" for council in match.without_boundary])
        )
    if match.without_council:
        log.warning(
            f"map {match.year}: {len(match.without_council)} areas in force in boundary-year {match.boundary_year} "
            f"have no council in the data for {match.year} (expected a council with that GSS code): "
            + _listed([f"{area.code} {area.name}" for area in match.without_council])
        )


def _fixed_id(element: Element, name: str) -> Element:
    """Give a Folium element a fixed name so that two builds of the same data write the same page."""
    element._id = name
    return element


@dataclass(frozen=True)
class RenderedMap:
    html: str
    script: str


def render_map(tiles: str | None = None, tiles_attribution: str | None = None) -> RenderedMap:
    """The Folium map and its empty layers: its element and its script, without Folium's page furniture.

    Folium's own page head (a viewport forbidding zoom, styles for the whole page, CDN links) is
    left out: the map sits inside a page of the site's theme, which loads Leaflet from the site.
    """
    tile_layer = None
    if tiles:
        tile_layer = _fixed_id(folium.TileLayer(tiles=tiles, attr=tiles_attribution, control=False), "tiles")
    figure_map = folium.Map(
        location=ENGLAND_CENTRE, zoom_start=6, tiles=tile_layer, scroll_wheel_zoom=False, zoom_snap=0.25, max_zoom=MAX_ZOOM,
    )
    _fixed_id(figure_map, MAP_NAME.removeprefix("map_"))
    figure_map.default_js = []
    figure_map.default_css = []
    bind = JsCode("function (feature, layer) { perfsiteMap.bindFeature(feature, layer); }")
    for key in (LOWER_TIER, COUNTY):
        layer = folium.GeoJson({"type": "FeatureCollection", "features": []}, name=LAYER_SET_LABELS[key], show=key == LOWER_TIER,
                               on_each_feature=bind, control=False)
        _fixed_id(layer, LAYER_NAMES[key].removeprefix("geo_json_"))
        figure_map.add_child(layer, name=LAYER_NAMES[key])
    figure = figure_map.get_root()
    for child in figure._children.values():
        child.render()
    html = figure.html.render().strip()
    layer_names = ", ".join(f"{key}: {name}" for key, name in LAYER_NAMES.items())
    script = figure.script.render().strip() + f"\nperfsiteMap.start({MAP_NAME}, {{{layer_names}}});"
    for part in (html, script):
        if match := RANDOM_NAME.search(part):
            raise RuntimeError(f"the map has an element with a random name, so builds would differ: {match.group(0)}")
    return RenderedMap(html, script)


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element, compact and the same for the same value."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def layer_data(map_data: MapYear) -> dict[str, str]:
    """Each layer set's features as JSON, for the page's data blocks."""
    return {key: script_json(collection) for key, collection in map_data.collections.items()}


def map_config(map_data: MapYear, root: str, areas_file: str = "") -> str:
    """What the page's script needs beside the features, as JSON safe inside a <script> element.

    ``areas_file`` is the shared geometry's name under ``assets/map/``.
    """
    config = {
        "year": map_data.year,
        "root": root,
        "areas": f"{root}assets/map/{areas_file}",
        "leaflet": f"{root}assets/leaflet/leaflet.js",
        "statistics": [{"key": statistic.key, "label": statistic.label} for statistic in STATISTICS],
        "typePlurals": {key: f"{COUNCIL_TYPE_SINGULAR[key]}s" for key in COUNCIL_TYPES},
        "averages": map_data.averages,
        "colours": {
            legend.view: {entry.key: entry.colour for entry in legend.entries if entry.colour}
            for legend in map_data.legends if legend.statistic is STATISTICS[0]
        },
        "labels": {
            f"{legend.statistic.key}:{legend.view}": {entry.key: entry.label for entry in legend.entries}
            for legend in map_data.legends
        },
        "patterns": {key: f"url(#{pattern})" for key, pattern in PATTERNS.items()},
        "outline": OUTLINE,
        "initial": {"view": AGAINST_AVERAGE, "layerSet": LOWER_TIER},
    }
    return script_json(config)


def asset_files() -> list[tuple[str, bytes]]:
    """Leaflet and the map's own script and styles, as (path under the site, content)."""
    leaflet_dir = Path(xstatic.pkg.leaflet.BASE_DIR)
    files = [(f"assets/leaflet/{name}", (leaflet_dir / name).read_bytes()) for name in LEAFLET_FILES]
    files += [(f"assets/map/{path.name}", path.read_bytes()) for path in sorted(STATIC_DIR.iterdir()) if path.is_file()]
    return files



def static_maps(map_data: MapYear, topology: dict) -> dict[str, StaticMap]:
    """The year's map drawn at build time, per layer set: the first statistic against the average
    (what the interactive map shows first), each area named with its council, figure and verdict."""
    statistic = STATISTICS[0]
    fills = {key: colour for key, (_, colour) in AVERAGE_CLASSES.items()}
    fills.update({key: f"url(#{pattern})" for key, pattern in PATTERNS.items()})
    maps = {}
    for key, collection in map_data.collections.items():
        placed = []
        for feature in collection["features"]:
            properties = feature["properties"]
            value_text, _, against, _, phrase = properties["f"][0]
            label = f"{properties['n']}: {statistic.label.lower()} {value_text}" + (f", {phrase}" if phrase else "")
            placed.append((properties["g"], f"{properties['s']}/{map_data.year}/", label, fills[against]))
        maps[key] = static_map(topology, key, placed)
    return maps
