"""The map's outlines, simplified once for every year: one small TopoJSON file the site caches.

The boundary file keeps every area since 2014 at a detail no map zoomed to England needs. Here
the areas any year of the site draws are picked out, each shared border (a TopoJSON arc) is
simplified once with Shapely's Douglas-Peucker, keeping its two ends, so neighbours that share a
border still meet exactly, and the result is quantised to a grid and delta-encoded as TopoJSON.
Every year's map page loads the same file (its name carries a hash of its content, so a browser
may keep it); a year's features say which geometry each council takes by its position in a layer.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Iterable

import shapely

from .boundaries import LAYER_SETS, Area, Boundaries, boundary_year

# Simplification tolerance in degrees of latitude (longitude is scaled by the cosine of the
# latitude): 0.002 degrees is about 220 m, under a pixel at zoom 9, where the map stops.
TOLERANCE = 0.002
# The grid the simplified points are snapped to, in degrees: half the tolerance (a point moves
# at most 55 m, a third of a pixel at zoom 9).
GRID = 0.001
MAX_ZOOM = 9
MID_LATITUDE = 52.5


@dataclass(frozen=True)
class SharedGeometry:
    """The shared TopoJSON and, for each (layer, area index), its position in that layer's list."""

    topology: dict
    positions: dict[tuple[str, int], int]

    @property
    def content(self) -> bytes:
        return json.dumps(self.topology, separators=(",", ":"), sort_keys=True).encode("utf-8")

    @property
    def file_name(self) -> str:
        return f"areas.{hashlib.sha256(self.content).hexdigest()[:12]}.json"


def decoded_arc(topology: dict, index: int) -> list[tuple[float, float]]:
    """An arc's points in degrees, undoing the file's quantisation and delta encoding."""
    arc = topology["arcs"][index]
    transform = topology.get("transform")
    if not transform:
        return [(float(point[0]), float(point[1])) for point in arc]
    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
    points, x, y = [], 0, 0
    for step in arc:
        x += step[0]
        y += step[1]
        points.append((x * scale_x + shift_x, y * scale_y + shift_y))
    return points


def simplified_line(points: list[tuple[float, float]], tolerance: float, latitude: float = MID_LATITUDE) -> list[tuple[float, float]]:
    """Douglas-Peucker (Shapely) with longitude scaled to ground distance; the ends are kept.

    A closed arc (an island's whole coast) keeps at least four points, so it stays a ring.
    """
    if len(points) <= 2:
        return list(points)
    scale = math.cos(math.radians(latitude))
    line = shapely.LineString([(x * scale, y) for x, y in points])
    kept = list(shapely.simplify(line, tolerance, preserve_topology=True).coords)
    closed = points[0] == points[-1]
    if closed and len(kept) < 4:
        return list(points) if len(points) < 8 else [points[index * (len(points) - 1) // 3] for index in range(4)]
    return [(x / scale, y) for x, y in kept]


def quantised_arc(points: list[tuple[float, float]], origin: tuple[float, float], grid: float) -> list[list[int]]:
    """Points snapped to the grid from ``origin`` and delta-encoded; repeated points are dropped."""
    encoded: list[list[int]] = []
    last: tuple[int, int] | None = None
    previous = (0, 0)
    for x, y in points:
        cell = (round((x - origin[0]) / grid), round((y - origin[1]) / grid))
        if cell == last:
            continue
        encoded.append([cell[0] - previous[0], cell[1] - previous[1]])
        previous = last = cell
    if len(encoded) == 1:
        encoded.append([0, 0])
    return encoded


def shared_geometry(boundaries: Boundaries, layers: dict[str, Iterable[Area]], tolerance: float = TOLERANCE, grid: float = GRID) -> SharedGeometry:
    """One TopoJSON with every area given, by layer set (``{"lower": areas, ...}``), simplified.

    Arcs are renumbered in the order first used, so the file is the same for the same areas.
    """
    source = boundaries.topology
    arc_numbers: dict[int, int] = {}
    objects: dict[str, dict] = {}
    positions: dict[tuple[str, int], int] = {}

    def renumbered(ring: list[int]) -> list[int]:
        out = []
        for index in ring:
            base = index if index >= 0 else ~index
            number = arc_numbers.setdefault(base, len(arc_numbers))
            out.append(number if index >= 0 else ~number)
        return out

    for layer_set, areas in layers.items():
        geometries = []
        for area in sorted(set(areas), key=lambda area: (area.code, area.index)):
            geometry = source["objects"][area.layer]["geometries"][area.index]
            if geometry["type"] == "Polygon":
                arcs = [renumbered(ring) for ring in geometry["arcs"]]
            else:
                arcs = [[renumbered(ring) for ring in polygon] for polygon in geometry["arcs"]]
            positions[(area.layer, area.index)] = len(geometries)
            geometries.append({"type": geometry["type"], "arcs": arcs, "id": area.code})
        objects[layer_set] = {"type": "GeometryCollection", "geometries": geometries}

    simplified = {base: simplified_line(decoded_arc(source, base), tolerance) for base in arc_numbers}
    xs = [x for points in simplified.values() for x, _ in points] or [0.0]
    ys = [y for points in simplified.values() for _, y in points] or [0.0]
    origin = (math.floor(min(xs) / grid) * grid, math.floor(min(ys) / grid) * grid)
    arcs: list[list[list[int]]] = [[] for _ in arc_numbers]
    for base, number in arc_numbers.items():
        arcs[number] = quantised_arc(simplified[base], origin, grid)
    topology = {
        "type": "Topology",
        "transform": {"scale": [grid, grid], "translate": [round(origin[0], 6), round(origin[1], 6)]},
        "arcs": arcs,
        "objects": objects,
    }
    return SharedGeometry(topology, positions)


def areas_for_years(boundaries: Boundaries, years: Iterable[str]) -> dict[str, set[Area]]:
    """Every English area of each layer set in force in any of the financial years given."""
    return {
        layer_set: {area for year in years for area in boundaries.areas_in_force(layer, boundary_year(year), prefixes)}
        for layer_set, (layer, prefixes) in LAYER_SETS.items()
    }
