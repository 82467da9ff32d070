"""The map's shared outlines: simplification that keeps shared borders shared, and the TopoJSON it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.boundaries import parse_boundaries
from generator.mapgeometry import quantised_arc, shared_geometry, simplified_line

import json


def test_simplification_keeps_the_ends_and_drops_only_points_within_the_tolerance():
    # (1, 60.0004) is 0.0004 off the line from (0, 60) to (4, 60); once it is kept, (2, 60) is
    # 0.0004 x 2/3 = 0.00027 off the line from it to (4, 60)
    line = [(0.0, 60.0), (1.0, 60.0004), (2.0, 60.0), (3.0, 60.0), (4.0, 60.0)]
    assert simplified_line(line, 0.001, latitude=60) == [(0.0, 60.0), (4.0, 60.0)]
    assert simplified_line(line, 0.0003, latitude=60) == [(0.0, 60.0), (1.0, 60.0004), (4.0, 60.0)]


def test_longitude_is_measured_as_ground_distance():
    # 0.0016 degrees of longitude east of a meridian is 0.0008 degrees of ground at 60 degrees north
    line = [(0.0, 60.0), (0.0016, 60.5), (0.0, 61.0)]
    assert simplified_line(line, 0.001, latitude=60) == [(0.0, 60.0), (0.0, 61.0)]
    assert simplified_line(line, 0.001, latitude=0) == line


def test_a_closed_arc_stays_a_ring():
    island = [(0.0, 50.0), (0.001, 50.0), (0.001, 50.001), (0.0, 50.001), (0.0, 50.0)]
    kept = simplified_line(island, 0.01)
    assert kept[0] == kept[-1] and len(kept) >= 4


def test_quantised_arcs_are_delta_encoded_on_the_grid_and_drop_repeated_points():
    points = [(1.0, 2.0), (1.0012, 2.0), (1.0013, 2.0), (1.0, 2.001)]
    # in steps of 0.0005 from (1, 2): (0, 0), (2.4 -> 2, 0), (2.6 -> 3, 0), (0, 2)
    assert quantised_arc(points, (1.0, 2.0), 0.0005) == [[0, 0], [2, 0], [1, 0], [-3, 2]]
    assert quantised_arc([(1.0, 2.0), (1.0001, 2.0)], (1.0, 2.0), 0.0005) == [[0, 0], [0, 0]]


def two_areas_sharing_a_border() -> bytes:
    # West and East share arc 0, the border x = 0 from y = 0 to y = 2, which has a kink of 0.1 at y = 1
    topology = {
        "type": "Topology",
        "arcs": [
            [[0, 0], [0.1, 1], [0, 2]],
            [[0, 2], [-1, 2], [-1, 0], [0, 0]],
            [[0, 0], [1, 0], [1, 2], [0, 2]],
            [[5, 5], [6, 5], [6, 6], [5, 5]],
        ],
        "objects": {
            "ltla": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"areacd": "E07000002", "areanm": "East"}},
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"areacd": "E07000001", "areanm": "West"}},
            ]},
            "cty": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[3]], "properties": {"areacd": "E10000001", "areanm": "Shire"}},
            ]},
        },
    }
    return json.dumps(topology).encode()


def test_shared_borders_stay_one_arc_used_both_ways_and_areas_are_ordered_by_code():
    boundaries = parse_boundaries(two_areas_sharing_a_border(), Path("topo.json"))
    shared = shared_geometry(boundaries, {"lower": boundaries.areas["ltla"], "county": []}, tolerance=0.5, grid=0.5)
    west, east = shared.topology["objects"]["lower"]["geometries"]
    assert (west["id"], east["id"]) == ("E07000001", "E07000002")
    # arcs are numbered as first used: West's border (0) and outside (1), then East's outside (2)
    assert west["arcs"] == [[0, 1]] and east["arcs"] == [[2, ~0]]
    # the kink (0.1 off the line, within 0.5) is gone from the shared border, for both areas at once
    assert shared.topology["transform"] == {"scale": [0.5, 0.5], "translate": [-1.0, 0.0]}
    assert shared.topology["arcs"][0] == [[2, 0], [0, 4]]
    assert shared.positions == {("ltla", 1): 0, ("ltla", 0): 1}
    assert shared.topology["objects"]["county"]["geometries"] == []
    assert len(shared.topology["arcs"]) == 3  # the county's arc is not used


def test_the_file_name_follows_the_content():
    boundaries = parse_boundaries(two_areas_sharing_a_border(), Path("topo.json"))
    first = shared_geometry(boundaries, {"lower": boundaries.areas["ltla"]}, tolerance=0.5, grid=0.5)
    second = shared_geometry(boundaries, {"lower": boundaries.areas["ltla"][:1]}, tolerance=0.5, grid=0.5)
    assert first.file_name.startswith("areas.") and first.file_name.endswith(".json")
    assert first.file_name != second.file_name
    assert json.loads(first.content) == first.topology
