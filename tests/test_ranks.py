"""Rank intervals: properties that hold by construction, checked on cases whose answer is plain by hand."""

from __future__ import annotations

from generator.ranks import PER_RESIDENT, SHARE, RankInterval, ordinal, position_text, rank_intervals, seed_for


def test_councils_far_apart_have_certain_places():
    # 990 of 1,000 against 500 of 1,000 against 10 of 1,000: the draws never cross
    intervals = rank_intervals([("a", 990, 1000), ("b", 500, 1000), ("c", 10, 1000)], SHARE, seed=1)
    assert intervals == {"a": RankInterval(1, 1, 3), "b": RankInterval(2, 2, 3), "c": RankInterval(3, 3, 3)}
    per_resident = rank_intervals([("a", 5000, 100000), ("b", 50, 100000), ("c", 500, 100000)], PER_RESIDENT, seed=1)
    assert [per_resident[key].highest for key in "abc"] == [1, 3, 2]


def test_councils_with_the_same_few_cases_could_be_anywhere():
    # four councils with 1 of 2 each: exchangeable, so each is sometimes first and sometimes last
    intervals = rank_intervals([(key, 1, 2) for key in "abcd"], SHARE, seed=7)
    assert all(interval == RankInterval(1, 4, 4) for interval in intervals.values())


def test_a_small_council_has_a_wider_interval_than_a_large_one_with_the_same_share():
    counts = [("big", 500, 1000), ("small", 1, 2)] + [(f"other{index}", 10 * index, 100) for index in range(1, 10)]
    intervals = rank_intervals(counts, SHARE, seed=3)
    width = {key: interval.lowest - interval.highest for key, interval in intervals.items()}
    assert width["small"] > width["big"]
    # 50% is fifth highest of 10%..90% and 50% (90, 80, 70, 60, then 50 and 50): the big council is close to 5th-6th
    assert intervals["big"].highest >= 4 and intervals["big"].lowest <= 7


def test_the_same_seed_gives_the_same_intervals_in_any_order():
    counts = [(f"c{index}", index, 20) for index in range(15)]
    seed = seed_for("district", "2023-24", "upheld_rate")
    assert rank_intervals(counts, SHARE, seed) == rank_intervals(list(reversed(counts)), SHARE, seed)
    assert seed == seed_for("district", "2023-24", "upheld_rate") != seed_for("district", "2022-23", "upheld_rate")


def test_words():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "112th"]
    assert position_text(RankInterval(3, 18, 25), "district councils", "2023-24") == (
        "likely between the 3rd and 18th highest of the 25 district councils with this figure for 2023-24")
    assert position_text(RankInterval(1, 25, 25), "district councils", "2023-24").endswith("it rests on too few cases to place")
    assert position_text(RankInterval(2, 2, 3), "London boroughs", "2023-24") == (
        "the 2nd highest of the 3 London boroughs with this figure for 2023-24, with little doubt")
