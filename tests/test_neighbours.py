"""Nearest councils by population, worked by hand."""

from __future__ import annotations

from generator.neighbours import Neighbour, nearest_by_population


def test_nearest_by_relative_size_in_order_of_population():
    candidates = [Neighbour(slug, slug.title(), population) for slug, population in
                  [("a", 90000), ("b", 115000), ("c", 50000), ("d", 200000), ("e", 101000), ("f", 99000), ("g", 300000)]]
    # ratios to 100,000: a 1.111, b 1.15, c 2, d 2, e 1.01, f 1.0101, g 3
    nearest = nearest_by_population(100000, candidates, count=4)
    assert [neighbour.slug for neighbour in nearest] == ["b", "e", "f", "a"]
    # c and d are both twice as far: the tie goes by name
    assert [neighbour.slug for neighbour in nearest_by_population(100000, candidates, count=5)] == ["b", "e", "f", "a", "c"]
    assert nearest[0].population_text == "115,000"
