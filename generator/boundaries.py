"""Council boundaries from the ONS TopoJSON: read and check the file, pick a year's areas, match councils.

The file is the ONS visual team's ``topo.json``: a TopoJSON ``Topology`` whose layers
(``objects.<name>``) hold every area of every year since 2014, each with ``areacd`` (GSS code),
``areanm`` and optional ``start`` and ``end`` boundary-years (both inclusive). Changes take effect
on 1 April, so financial year 2023-24 uses boundary-year 2023.

District, metropolitan, London and unitary councils are drawn from the ``ltla`` layer and county
councils from ``cty``: the two overlap, so they are never drawn in one layer.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .model import Council

LOWER_TIER = "lower"
COUNTY = "county"
# Which TopoJSON layer holds each set of areas, and the English GSS code prefixes drawn from it.
LAYER_SETS: dict[str, tuple[str, tuple[str, ...]]] = {
    LOWER_TIER: ("ltla", ("E06", "E07", "E08", "E09")),
    COUNTY: ("cty", ("E10",)),
}
REQUIRED_LAYERS = tuple(layer for layer, _ in LAYER_SETS.values())
DEFAULT_DECIMALS = 4
MAX_PROBLEMS_SHOWN = 20


def layer_set_for(council_type: str) -> str:
    return COUNTY if council_type == "county" else LOWER_TIER


class BoundaryError(Exception):
    """The boundary file is missing or unusable; the message names the file, the field and what was expected."""


class BoundaryFileMissing(BoundaryError):
    """There is no boundary file where the configuration points."""


def boundary_year(financial_year: str) -> int:
    """The boundary-year in force during a financial year: '2023-24' -> 2023."""
    return int(financial_year[:4])


def in_force(start: int | None, end: int | None, year: int) -> bool:
    """Whether an area with these (inclusive, optional) start and end boundary-years exists in ``year``."""
    return (start is None or start <= year) and (end is None or year <= end)


@dataclass(frozen=True)
class Area:
    """One area of one layer of the boundary file."""

    layer: str
    code: str
    name: str
    start: int | None
    end: int | None
    index: int

    def in_force(self, year: int) -> bool:
        return in_force(self.start, self.end, year)


def _describe(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _check_ring_arcs(arcs: Any, arc_count: int) -> bool:
    return isinstance(arcs, list) and bool(arcs) and all(
        isinstance(index, int) and not isinstance(index, bool) and -arc_count <= index < arc_count for index in arcs
    )


def check_topology(topology: Any, shown_path: str) -> None:
    """Raise :class:`BoundaryError` listing every way ``topology`` falls short of what the map needs."""
    problems: list[str] = []

    def problem(where: str, message: str) -> None:
        problems.append(f"{shown_path}: {where}: {message}")

    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        found = _describe(topology.get("type")) if isinstance(topology, dict) else type(topology).__name__
        raise BoundaryError(f"{shown_path}: type: {found} (expected a TopoJSON \"Topology\")")
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        problem("arcs", "missing (expected a list of arcs)")
        arcs = []
    transform = topology.get("transform")
    if transform is not None and not (
        isinstance(transform, dict)
        and all(
            isinstance(transform.get(key), list) and len(transform[key]) == 2
            and all(isinstance(number, (int, float)) for number in transform[key])
            for key in ("scale", "translate")
        )
    ):
        problem("transform", "not two [x, y] pairs (expected scale and translate)")
    objects = topology.get("objects")
    if not isinstance(objects, dict):
        problem("objects", f"missing (expected the layers {', '.join(REQUIRED_LAYERS)})")
        objects = {}
    for layer in REQUIRED_LAYERS:
        collection = objects.get(layer)
        where = f"objects.{layer}"
        if not isinstance(collection, dict) or not isinstance(collection.get("geometries"), list):
            problem(where, "missing (expected a GeometryCollection of council areas)")
            continue
        for position, geometry in enumerate(collection["geometries"]):
            here = f"{where}.geometries[{position}]"
            if not isinstance(geometry, dict):
                problem(here, "not an object (expected a Polygon or MultiPolygon)")
                continue
            properties = geometry.get("properties")
            if not isinstance(properties, dict):
                problem(f"{here}.properties", "missing (expected areacd and areanm)")
                continue
            for key in ("areacd", "areanm"):
                if not isinstance(properties.get(key), str) or not properties[key]:
                    problem(f"{here}.properties.{key}", f"{_describe(properties.get(key))} (expected a non-empty string)")
            for key in ("start", "end"):
                value = properties.get(key)
                if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                    problem(f"{here}.properties.{key}", f"{_describe(value)} (expected a whole year such as 2023)")
            kind = geometry.get("type")
            rings: list[Any] = []
            if kind == "Polygon":
                rings = geometry.get("arcs") if isinstance(geometry.get("arcs"), list) else [None]
            elif kind == "MultiPolygon":
                polygons = geometry.get("arcs")
                rings = [ring for polygon in polygons for ring in polygon] if isinstance(polygons, list) and all(isinstance(polygon, list) for polygon in polygons) else [None]
            else:
                problem(f"{here}.type", f"{_describe(kind)} (expected \"Polygon\" or \"MultiPolygon\")")
                continue
            if not rings or not all(_check_ring_arcs(ring, len(arcs)) for ring in rings):
                problem(f"{here}.arcs", f"not rings of arc indexes (expected indexes below {len(arcs)})")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        raise BoundaryError("\n".join(shown))


def precision_decimals(transform: dict | None) -> int:
    """Decimal places that keep what a quantised file carries: no coarser than its coarsest step.

    The ONS file's steps are about 0.000145 degrees of longitude and 0.000084 of latitude, so
    coordinates are written with 4 decimals. Unquantised files get :data:`DEFAULT_DECIMALS`.
    """
    if not transform:
        return DEFAULT_DECIMALS
    step = max(abs(number) for number in transform["scale"])
    return max(0, math.ceil(-math.log10(step))) if step > 0 else DEFAULT_DECIMALS


@dataclass
class Boundaries:
    """A checked boundary file: its areas by layer, and their outlines as GeoJSON on demand."""

    path: Path
    topology: dict
    decimals: int
    areas: dict[str, list[Area]]
    _arcs: list[list[tuple[float, float]]] | None = field(default=None, repr=False)
    _geometries: dict[tuple[str, int], dict] = field(default_factory=dict, repr=False)

    def areas_in_force(self, layer: str, year: int, prefixes: Iterable[str] = ()) -> list[Area]:
        """The areas of ``layer`` that exist in boundary-year ``year``, by code; only those with a prefix given."""
        prefixes = tuple(prefixes)
        return sorted(
            (area for area in self.areas[layer] if area.in_force(year) and (not prefixes or area.code.startswith(prefixes))),
            key=lambda area: area.code,
        )

    def _decoded_arcs(self) -> list[list[tuple[float, float]]]:
        if self._arcs is None:
            transform = self.topology.get("transform")
            decoded = []
            for arc in self.topology["arcs"]:
                points = []
                if transform:
                    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
                    x = y = 0
                    for step in arc:
                        x += step[0]
                        y += step[1]
                        points.append((round(x * scale_x + shift_x, self.decimals), round(y * scale_y + shift_y, self.decimals)))
                else:
                    points = [(round(point[0], self.decimals), round(point[1], self.decimals)) for point in arc]
                decoded.append(points)
            self._arcs = decoded
        return self._arcs

    def _ring(self, arc_indexes: list[int]) -> list[list[float]]:
        arcs = self._decoded_arcs()
        points: list[tuple[float, float]] = []
        for index in arc_indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            for point in arc[1:] if points else arc:
                if not points or point != points[-1]:
                    points.append(point)
        if points and points[0] != points[-1]:
            points.append(points[0])
        return [list(point) for point in points]

    def _polygon(self, rings: list[list[int]]) -> list[list[list[float]]]:
        # A ring that rounding has shrunk below a triangle draws nothing: leave it out.
        return [ring for ring in (self._ring(arcs) for arcs in rings) if len(ring) >= 4]

    def geometry(self, area: Area) -> dict:
        """The area's outline as a GeoJSON geometry, coordinates rounded to :attr:`decimals`."""
        key = (area.layer, area.index)
        if key not in self._geometries:
            source = self.topology["objects"][area.layer]["geometries"][area.index]
            if source["type"] == "Polygon":
                geometry = {"type": "Polygon", "coordinates": self._polygon(source["arcs"])}
            else:
                polygons = [polygon for polygon in (self._polygon(rings) for rings in source["arcs"]) if polygon]
                geometry = {"type": "MultiPolygon", "coordinates": polygons}
            self._geometries[key] = geometry
        return self._geometries[key]


class NotFinite(ValueError):
    pass


def _not_finite(constant: str) -> float:
    """JSON's NaN, Infinity and -Infinity, which Python's reader accepts, refused."""
    raise NotFinite(constant)


def parse_boundaries(data: bytes, path: Path, shown_path: str | None = None) -> Boundaries:
    """Check and index a boundary file's content; raises :class:`BoundaryError`."""
    shown = shown_path or str(path)
    try:
        topology = json.loads(data, parse_constant=_not_finite)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(f"{shown}: not valid JSON ({error}) (expected the ONS TopoJSON file)") from None
    except NotFinite as error:
        raise BoundaryError(f"{shown}: holds {error} (expected finite numbers for coordinates)") from None
    except RecursionError:
        raise BoundaryError(f"{shown}: nests too deeply to be read (expected the ONS TopoJSON file, a few levels deep)") from None
    check_topology(topology, shown)
    areas = {
        layer: [
            Area(
                layer=layer,
                code=geometry["properties"]["areacd"],
                name=geometry["properties"]["areanm"],
                start=geometry["properties"].get("start"),
                end=geometry["properties"].get("end"),
                index=index,
            )
            for index, geometry in enumerate(topology["objects"][layer]["geometries"])
        ]
        for layer in REQUIRED_LAYERS
    }
    return Boundaries(path=path, topology=topology, decimals=precision_decimals(topology.get("transform")), areas=areas)


def load_boundaries(path: Path, shown_path: str | None = None) -> Boundaries:
    shown = shown_path or str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BoundaryFileMissing(f"{shown}: no such file (expected the ONS TopoJSON boundary file)") from None
    except OSError as error:
        raise BoundaryError(f"{shown}: cannot be read ({error.strerror}) (expected a readable file)") from None
    return parse_boundaries(data, Path(path), shown)


@dataclass
class YearMatch:
    """How one financial year's councils and the boundaries in force that year pair up, by GSS code."""

    year: str
    boundary_year: int
    areas: dict[str, Area]
    without_boundary: list[Council]
    after_abolition: list[Council]
    without_council: list[Area]


def match_year(councils: Iterable[Council], boundaries: Boundaries, year: str) -> YearMatch:
    """Pair each council that has ``year`` with its area in force that year, in its layer.

    Councils the ombudsman reports on after their abolition (for complaints made before it) have
    no area by nature: they are listed apart from councils whose area is missing.
    """
    councils = [council for council in councils if year in council.years]
    boundary_in_year = boundary_year(year)
    year_starts = dt.date(boundary_in_year, 4, 1)
    in_force_by_set = {
        layer_set: {area.code: area for area in boundaries.areas_in_force(layer, boundary_in_year, prefixes)}
        for layer_set, (layer, prefixes) in LAYER_SETS.items()
    }
    matched: dict[str, Area] = {}
    without_boundary: list[Council] = []
    after_abolition: list[Council] = []
    for council in sorted(councils, key=lambda council: council.code):
        area = in_force_by_set[layer_set_for(council.type)].get(council.code)
        if area is not None:
            matched[council.slug] = area
        elif council.abolished is not None and council.abolished < year_starts:
            after_abolition.append(council)
        else:
            without_boundary.append(council)
    matched_codes = {area.code for area in matched.values()}
    without_council = [
        area for areas in in_force_by_set.values() for area in areas.values() if area.code not in matched_codes
    ]
    return YearMatch(year, boundary_in_year, matched, without_boundary, after_abolition, sorted(without_council, key=lambda area: area.code))
