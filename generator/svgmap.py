"""The map drawn at build time: a static SVG choropleth for readers without JavaScript, and its PNG.

Pure functions turn TopoJSON outlines into SVG paths: :func:`rings` decodes an area's rings in
degrees, :func:`fit` makes a Web Mercator projection (as Leaflet's) that fits them in a box of a
given width, and :func:`path_data` writes a ring as an SVG path in whole units, relative after
the first point. :func:`static_map` puts a year's areas together, each with its fill (the same
classes and colours as the interactive map, :mod:`generator.mapclasses`), link and accessible name;
the template writes each as an ``<a>``. :func:`png_image` draws the same picture as a PNG for the
page's Open Graph image, with Pillow (a raster at twice the size, scaled down for smooth edges).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

from .mapclasses import OUTLINE, PATTERN_INK, PATTERN_PAPER

Point = tuple[float, float]

# The static map's width in SVG units (it scales to its box); an inch of screen is about 96 units.
WIDTH = 600
PADDING = 4
# Outlines for the static map are simplified more than the interactive map's: about 1.1 km, under
# a unit at this width (England is about 600 km across).
TOLERANCE = 0.01


def mercator(longitude: float, latitude: float) -> Point:
    """Web Mercator (EPSG:3857) on the unit sphere: x east, y north, both in radians."""
    return math.radians(longitude), math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


@dataclass(frozen=True)
class Projection:
    """Degrees to SVG units: Web Mercator, scaled by ``scale`` units a radian, y pointing down."""

    scale: float
    left: float
    top: float

    def __call__(self, longitude: float, latitude: float) -> Point:
        x, y = mercator(longitude, latitude)
        return (x - self.left) * self.scale, (self.top - y) * self.scale


def fit(points: Iterable[Point], width: float, padding: float = 0) -> tuple[Projection, float]:
    """The projection that fits every point (degrees) in ``width`` units less ``padding`` each
    side, and the height that leaves: the map's box is ``width`` by that height."""
    projected = [mercator(longitude, latitude) for longitude, latitude in points]
    west, east = min(x for x, _ in projected), max(x for x, _ in projected)
    south, north = min(y for _, y in projected), max(y for _, y in projected)
    inner = width - 2 * padding
    scale = inner / max(east - west, north - south, 1e-12)
    projection = Projection(scale, west - padding / scale, north + padding / scale)
    return projection, (north - south) * scale + 2 * padding


def decoded_arcs(topology: dict) -> list[list[Point]]:
    """Every arc of a TopoJSON topology in degrees (quantised and delta-encoded, or not)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if not transform:
            arcs.append([(float(x), float(y)) for x, y in arc])
            continue
        (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def rings(arcs: Sequence[Sequence[Point]], geometry: dict) -> list[list[Point]]:
    """A Polygon's or MultiPolygon's rings in degrees; a negative index ~i is arc i reversed."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    out = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for index in ring:
                arc = list(arcs[index]) if index >= 0 else list(arcs[~index])[::-1]
                points += arc[1:] if points else arc
            out.append(points)
    return out


def path_data(points: Sequence[Point]) -> str:
    """A closed ring as SVG path data in whole units: ``M`` to the first point, then ``l`` steps,
    leaving out steps that round to nothing, then ``z``. Empty when fewer than three points remain."""
    cells = [(round(x), round(y)) for x, y in points]
    kept = [cells[0]] if cells else []
    for cell in cells[1:]:
        if cell != kept[-1]:
            kept.append(cell)
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()
    if len(kept) < 3:
        return ""
    steps = " ".join(f"{x - previous_x} {y - previous_y}" for (previous_x, previous_y), (x, y) in zip(kept, kept[1:]))
    return f"M{kept[0][0]} {kept[0][1]}l{steps}z"


@dataclass(frozen=True)
class StaticArea:
    """One council's area on the static map."""

    href: str
    label: str
    fill: str
    path: str
    polygons: list[list[Point]]


@dataclass(frozen=True)
class StaticMap:
    width: int
    height: int
    areas: list[StaticArea]


def static_map(topology: dict, layer_set: str, placed: Sequence[tuple[int, str, str, str]], width: int = WIDTH) -> StaticMap:
    """The static map of one layer set: ``placed`` holds, per council, the position of its outline
    in ``topology.objects[layer_set]``, its link, its accessible name and its fill. The view fits
    every outline of the layer set, so every year's map has the same frame."""
    arcs = decoded_arcs(topology)
    geometries = topology["objects"][layer_set]["geometries"]
    all_points = [point for geometry in geometries for ring in rings(arcs, geometry) for point in ring]
    if not all_points:
        return StaticMap(width, 0, [])
    projection, height = fit(all_points, width, PADDING)
    areas = []
    for position, href, label, fill in placed:
        projected = [[projection(*point) for point in ring] for ring in rings(arcs, geometries[position])]
        path = "".join(path_data(ring) for ring in projected)
        if path:
            areas.append(StaticArea(href, label, fill, path, projected))
    return StaticMap(width, math.ceil(height), areas)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def png_image(picture: StaticMap, size: tuple[int, int] = (1200, 630), background: str = "#ffffff") -> bytes:
    """The static map as a PNG of ``size`` pixels (Open Graph's 1.91:1 by default), centred.

    Fills that are pattern references (``url(#...)``) are drawn hatched in the patterns' ink.
    """
    from PIL import Image, ImageDraw

    factor = 2
    canvas_size = (size[0] * factor, size[1] * factor)
    image = Image.new("RGB", canvas_size, background)
    scale = min(canvas_size[0] / picture.width, canvas_size[1] / max(picture.height, 1)) * 0.96
    shift_x = (canvas_size[0] - picture.width * scale) / 2
    shift_y = (canvas_size[1] - picture.height * scale) / 2
    hatch = Image.new("RGB", canvas_size, PATTERN_PAPER)
    hatch_draw = ImageDraw.Draw(hatch)
    for offset in range(-canvas_size[1], canvas_size[0], 12 * factor):
        hatch_draw.line([(offset, canvas_size[1]), (offset + canvas_size[1], 0)], fill=PATTERN_INK, width=2 * factor)
    mask = Image.new("L", canvas_size, 0)
    mask_draw = ImageDraw.Draw(mask)
    draw = ImageDraw.Draw(image)
    outlines = []
    for area in picture.areas:
        polygons = [[(x * scale + shift_x, y * scale + shift_y) for x, y in ring] for ring in area.polygons if len(ring) >= 3]
        if area.fill.startswith("#"):
            for ring in polygons:
                draw.polygon(ring, fill=_hex(area.fill))
        else:
            for ring in polygons:
                mask_draw.polygon(ring, fill=255)
        outlines += polygons
    image.paste(hatch, (0, 0), mask)
    for ring in outlines:
        draw.line([*ring, ring[0]], fill=_hex(OUTLINE), width=factor, joint="curve")
    image = image.resize(size, Image.Resampling.LANCZOS).quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
