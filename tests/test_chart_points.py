"""Funnel points at the same place are drawn apart, each a diameter from the next (worked by hand)."""

from __future__ import annotations

import math

import pytest

from generator.charts import spread_points


def test_a_point_alone_stays_where_it_is():
    assert spread_points([(10.0, 20.0), (30.0, 40.0)]) == [(10.0, 20.0), (30.0, 40.0)]


def test_two_points_at_one_place_go_above_and_below_it():
    # ring radius max(6, 6 / sin(pi / 2)) = 6: one at the top (100, 94), one at the bottom (100, 106)
    (x1, y1), (x2, y2) = spread_points([(100.0, 100.0), (100.0, 100.0)])
    assert (x1, y1) == pytest.approx((100.0, 94.0))
    assert (x2, y2) == pytest.approx((100.0, 106.0))


def test_three_points_sit_on_a_ring_a_diameter_apart():
    # ring radius 6 / sin(60 degrees) = 6.9282; at 0, 120 and 240 degrees clockwise from the top
    drawn = spread_points([(100.0, 100.0)] * 3 + [(50.0, 50.0)])
    assert drawn[0] == pytest.approx((100.0, 100 - 6.9282), abs=1e-4)
    assert drawn[1] == pytest.approx((100 + 6.0, 100 + 3.4641), abs=1e-4)
    assert drawn[2] == pytest.approx((100 - 6.0, 100 + 3.4641), abs=1e-4)
    assert drawn[3] == (50.0, 50.0)
    for first in range(3):
        for second in range(first + 1, 3):
            assert math.dist(drawn[first], drawn[second]) == pytest.approx(12.0)
