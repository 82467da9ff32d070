"""The static SVG map's geometry, on small hand-made outlines with values worked out by hand."""

from __future__ import annotations

import math

import pytest

from generator.svgmap import decoded_arcs, fit, mercator, path_data, rings, static_map


def test_mercator_is_web_mercator_on_the_unit_sphere():
    assert mercator(0, 0) == (0, pytest.approx(0, abs=1e-12))
    assert mercator(180, 0)[0] == pytest.approx(math.pi)
    # y = ln(tan(45 deg + 22.5 deg)) = ln(1 + sqrt 2) at 45 degrees north
    assert mercator(10, 45) == (pytest.approx(math.pi / 18), pytest.approx(math.log(1 + math.sqrt(2))))


def test_quantised_arcs_are_decoded_from_their_steps():
    topology = {"transform": {"scale": [0.5, 2], "translate": [10, 20]}, "arcs": [[[2, 3], [1, -1]]]}
    # the first point is (2, 3) steps, the second (3, 2): x = steps * 0.5 + 10, y = steps * 2 + 20
    assert decoded_arcs(topology) == [[(11.0, 26.0), (11.5, 24.0)]]
    assert decoded_arcs({"arcs": [[[1, 2], [3, 4]]]}) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_a_ring_joins_its_arcs_and_reverses_those_given_as_negative():
    arcs = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 1)]]
    # ~1 is arc 1 backwards: (1, 1), (0, 1), (0, 0), its first point shared with arc 0's last
    assert rings(arcs, {"type": "Polygon", "arcs": [[0, ~1]]}) == [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]
    assert len(rings(arcs, {"type": "MultiPolygon", "arcs": [[[0, ~1]], [[0, ~1]]]})) == 2


def test_path_data_is_whole_units_relative_after_the_first_point():
    assert path_data([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]) == "M0 0l10 0 0 10 -10 0z"
    # (10.4, 0.2) rounds to (10, 0), the point before it: left out
    assert path_data([(0.2, 0.4), (10, 0), (10.4, 0.2), (10, 10)]) == "M0 0l10 0 0 10z"
    assert path_data([(0, 0), (0.3, 0.2), (5, 5)]) == ""  # two points left: no area to draw


def test_fit_puts_the_widest_extent_across_the_width():
    points = [(-1, 0), (1, 0), (0, 0.5)]
    projection, height = fit(points, 100)
    assert projection(-1, 0) == (pytest.approx(0), pytest.approx(height))
    assert projection(1, 0)[0] == pytest.approx(100)
    # 0.5 degrees north is ln(tan(45.25 deg)) = 0.0087267 radians against 2 degrees (0.0349066) across
    assert height == pytest.approx(100 * math.log(math.tan(math.radians(45.25))) / math.radians(2))


def square(column: int) -> list[list[float]]:
    return [[column, 0], [column + 1, 0], [column + 1, 1], [column, 1], [column, 0]]


def test_static_map_draws_each_placed_area_as_a_link_in_a_shared_frame():
    topology = {
        "type": "Topology", "arcs": [square(0), square(1)],
        "objects": {"ltla": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0]]}, {"type": "Polygon", "arcs": [[1]]}]}},
    }
    picture = static_map(topology, "ltla", [(0, "alpha/2023-24/", "Alpha: complaints upheld 63%", "#21918c")], width=200)
    # two degrees across 200 - 2 * 4 padding = 192 units; one degree north is
    # ln(tan(45.5 deg)) / radians(2) * 192 = 96.005 units; the frame holds both squares
    assert (picture.width, picture.height) == (200, 105)
    [area] = picture.areas
    assert (area.href, area.label, area.fill) == ("alpha/2023-24/", "Alpha: complaints upheld 63%", "#21918c")
    assert area.path == "M4 100l96 0 0 -96 -96 0z"
