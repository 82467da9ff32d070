"""Reading the boundary file: checks, year filtering, outlines and matching councils by GSS code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import write_topology
from generator.boundaries import (
    BoundaryError,
    BoundaryFileMissing,
    boundary_year,
    in_force,
    load_boundaries,
    match_year,
    parse_boundaries,
    precision_decimals,
)
from generator.model import Council, CouncilYear


def council(slug: str, code: str, council_type: str, years: list[str], abolished: dt.date | None = None) -> Council:
    return Council(slug=slug, name=slug.title(), code=code, type=council_type,
                   years={year: CouncilYear(year) for year in years}, abolished=abolished)


def test_financial_year_uses_the_boundaries_of_the_april_it_starts():
    assert boundary_year("2023-24") == 2023
    assert boundary_year("2019-20") == 2019


@pytest.mark.parametrize(
    ("start", "end", "year", "expected"),
    [
        (None, None, 2019, True),
        (2023, None, 2022, False),   # Cumberland starts in 2023
        (2023, None, 2023, True),
        (None, 2022, 2022, True),    # Cumbria's end is its last year, inclusive
        (None, 2022, 2023, False),
        (2019, 2022, 2021, True),
        (2019, 2022, 2018, False),
    ],
)
def test_an_area_is_in_force_from_its_start_to_its_end_inclusive(start, end, year, expected):
    assert in_force(start, end, year) is expected


def test_precision_follows_the_coarsest_quantisation_step():
    # The ONS file: 0.000145 by 0.000084 degrees a step, so 4 decimals (0.0001) keep it.
    assert precision_decimals({"scale": [0.000145, 0.000084], "translate": [0, 0]}) == 4
    assert precision_decimals({"scale": [0.001, 0.001], "translate": [0, 0]}) == 3
    assert precision_decimals(None) == 4


SHARED_EDGE = {
    "type": "Topology",
    "transform": {"scale": [0.001, 0.001], "translate": [-2.0, 52.0]},
    "arcs": [
        [[1000, 0], [0, 1000]],                                # the shared edge, (-1, 52) to (-1, 53)
        [[1000, 1000], [-1000, 0], [0, -1000], [1000, 0]],     # west square's other three sides
        [[1000, 0], [1000, 0], [0, 1000], [-1000, 0]],         # east square's other three sides
    ],
    "objects": {
        "ltla": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[1, 0]], "properties": {"areacd": "E07000001", "areanm": "West"}},
            {"type": "Polygon", "arcs": [[2, -1]], "properties": {"areacd": "E07000002", "areanm": "East", "end": 2022}},
        ]},
        "cty": {"type": "GeometryCollection", "geometries": [
            {"type": "MultiPolygon", "arcs": [[[1, 2]]], "properties": {"areacd": "E10000001", "areanm": "Both", "start": 2023}},
        ]},
    },
}


def test_outlines_follow_shared_arcs_both_ways():
    boundaries = parse_boundaries(json.dumps(SHARED_EDGE).encode(), Path("topo.json"))
    west, east = boundaries.areas["ltla"]
    assert boundaries.geometry(west) == {
        "type": "Polygon",
        "coordinates": [[[-1.0, 53.0], [-2.0, 53.0], [-2.0, 52.0], [-1.0, 52.0], [-1.0, 53.0]]],
    }
    # ~0 walks the shared edge backwards, from (-1, 53) down to (-1, 52)
    assert boundaries.geometry(east)["coordinates"] == [[[-1.0, 52.0], [0.0, 52.0], [0.0, 53.0], [-1.0, 53.0], [-1.0, 52.0]]]
    county = boundaries.areas["cty"][0]
    assert boundaries.geometry(county) == {
        "type": "MultiPolygon",
        "coordinates": [[[[-1.0, 53.0], [-2.0, 53.0], [-2.0, 52.0], [-1.0, 52.0], [0.0, 52.0], [0.0, 53.0], [-1.0, 53.0]]]],
    }


def test_areas_in_force_are_filtered_by_year_and_code_prefix():
    boundaries = parse_boundaries(json.dumps(SHARED_EDGE).encode(), Path("topo.json"))
    assert [area.code for area in boundaries.areas_in_force("ltla", 2022)] == ["E07000001", "E07000002"]
    assert [area.code for area in boundaries.areas_in_force("ltla", 2023)] == ["E07000001"]
    assert [area.code for area in boundaries.areas_in_force("cty", 2022)] == []
    assert [area.code for area in boundaries.areas_in_force("cty", 2023, ("E10",))] == ["E10000001"]
    assert [area.code for area in boundaries.areas_in_force("ltla", 2022, ("E06",))] == []


def test_coordinates_are_rounded_to_the_files_precision(tmp_path):
    path = write_topology(tmp_path / "topo.json", [{"layer": "ltla", "code": "E07000001", "name": "A", "cell": (1, 0)}])
    boundaries = load_boundaries(path)
    ring = boundaries.geometry(boundaries.areas["ltla"][0])["coordinates"][0]
    # 1000 steps of 0.00015 from -2 is -1.85; 2000 is -1.7 (float noise rounded away)
    assert ring == [[-1.85, 52.0], [-1.7, 52.0], [-1.7, 52.1], [-1.85, 52.1], [-1.85, 52.0]]


def test_councils_match_areas_of_their_own_layer_for_the_year(tmp_path):
    path = write_topology(tmp_path / "topo.json", [
        {"layer": "ltla", "code": "E07000001", "name": "Alpha", "cell": (0, 0)},
        {"layer": "ltla", "code": "E07000002", "name": "Beta", "cell": (1, 0), "end": 2022},
        {"layer": "ltla", "code": "E07000003", "name": "Nobody", "cell": (2, 0)},
        {"layer": "ltla", "code": "W06000001", "name": "Welsh", "cell": (3, 0)},
        {"layer": "ltla", "code": "E10000009", "name": "Wrong layer", "cell": (4, 0)},
        {"layer": "cty", "code": "E10000001", "name": "Shire", "cell": (0, 1), "end": 2022},
    ])
    boundaries = load_boundaries(path)
    councils = [
        council("alpha", "E07000001", "district", ["2022-23", "2023-24"]),
        council("beta", "E07000002", "district", ["2022-23", "2023-24"], abolished=dt.date(2023, 3, 31)),
        council("shire", "E10000001", "county", ["2022-23", "2023-24"], abolished=dt.date(2023, 3, 31)),
        council("lost", "E07000004", "district", ["2023-24"]),
        council("misfiled", "E10000009", "county", ["2023-24"]),
    ]
    before = match_year(councils, boundaries, "2022-23")
    assert {slug: area.code for slug, area in before.areas.items()} == {"alpha": "E07000001", "beta": "E07000002", "shire": "E10000001"}
    assert [area.code for area in before.without_council] == ["E07000003"]
    after = match_year(councils, boundaries, "2023-24")
    assert sorted(after.areas) == ["alpha"]
    # reported on after abolition: no area by nature, kept apart from real gaps
    assert [item.slug for item in after.after_abolition] == ["beta", "shire"]
    # a code missing from the file, and a county whose code is only in the lower-tier layer
    assert [item.slug for item in after.without_boundary] == ["lost", "misfiled"]
    assert [area.code for area in after.without_council] == ["E07000003"]


def test_a_missing_file_is_its_own_error(tmp_path):
    with pytest.raises(BoundaryFileMissing, match=r"topo.json: no such file \(expected the ONS TopoJSON boundary file\)"):
        load_boundaries(tmp_path / "topo.json", "topo.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>Not found</html>", r"x.json: not valid JSON .*\(expected the ONS TopoJSON file\)"),
        (b'{"type": "FeatureCollection"}', r'x.json: type: "FeatureCollection" \(expected a TopoJSON "Topology"\)'),
        (json.dumps({**SHARED_EDGE, "objects": {"ltla": SHARED_EDGE["objects"]["ltla"]}}).encode(),
         r"x.json: objects.cty: missing \(expected a GeometryCollection of council areas\)"),
        (json.dumps({**SHARED_EDGE, "objects": {**SHARED_EDGE["objects"], "ltla": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0]], "properties": {"areanm": "No code", "start": "2020"}}]}}}).encode(),
         r"x.json: objects.ltla.geometries\[0\].properties.areacd: null \(expected a non-empty string\)\n"
         r"x.json: objects.ltla.geometries\[0\].properties.start: \"2020\" \(expected a whole year such as 2023\)"),
        (json.dumps({**SHARED_EDGE, "objects": {**SHARED_EDGE["objects"], "ltla": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[7]], "properties": {"areacd": "E07000001", "areanm": "A"}}]}}}).encode(),
         r"x.json: objects.ltla.geometries\[0\].arcs: not rings of arc indexes \(expected indexes below 3\)"),
    ],
)
def test_an_unusable_file_names_the_field_and_what_was_expected(content, message):
    with pytest.raises(BoundaryError, match=message):
        parse_boundaries(content, Path("x.json"))


def test_the_shared_boundary_file_has_what_the_map_needs(boundaries_file):
    boundaries = load_boundaries(boundaries_file)
    # the reference README's counts of English areas in force in 2023
    assert len(boundaries.areas_in_force("ltla", 2023, ("E06", "E07", "E08", "E09"))) == 296
    assert len(boundaries.areas_in_force("cty", 2023, ("E10",))) == 21
    assert len(boundaries.areas_in_force("ltla", 2019, ("E06", "E07", "E08", "E09"))) == 317
