"""Where a council's figure stands among the councils of its type in a year, with how sure that is.

A bare rank would claim more than the figures can tell: 1 of 2 investigations upheld and 40 of 80
are both 50%, but the first could as well be 10% or 90%. So each council's rank is simulated: in
each of ``SIMULATIONS`` rounds every council's true rate is drawn (by NumPy's default generator) from what its counts allow (a
Jeffreys Beta(upheld + 1/2, not upheld + 1/2) for a share, a Gamma(count + 1/2) over the population
for a rate per resident), the councils are ranked, highest first, and the middle 95% of each
council's ranks is its rank interval. The random numbers come from a generator seeded with the
type, year and statistic, so every build gives the same intervals.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Sequence

SIMULATIONS = 1000
SHARE = "share"
PER_RESIDENT = "per resident"


@dataclass(frozen=True, slots=True)
class RankInterval:
    """Ranks from ``highest`` (1 is the highest figure) to ``lowest``, among ``of`` councils."""

    highest: int
    lowest: int
    of: int


def seed_for(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


def rank_intervals(counts: Sequence[tuple[str, int, int]], kind: str, seed: int, simulations: int = SIMULATIONS,
                   coverage: float = 0.95) -> dict[str, RankInterval]:
    """Each council's 95% rank interval from ``(key, numerator, denominator)``; denominators above 0."""
    if kind not in (SHARE, PER_RESIDENT):
        raise ValueError(f"kind must be {SHARE!r} or {PER_RESIDENT!r}")
    import numpy  # vectorised draws: a thousand rounds of thousands of councils in a fraction of a second

    members = sorted(counts)
    if not members:
        return {}
    generator = numpy.random.default_rng(seed)
    numerators = numpy.array([numerator for _, numerator, _ in members], dtype=float)
    denominators = numpy.array([denominator for _, _, denominator in members], dtype=float)
    shape = (simulations, len(members))
    if kind == SHARE:
        draws = generator.beta(numerators + 0.5, denominators - numerators + 0.5, size=shape)
    else:
        draws = generator.gamma(numerators + 0.5, 1.0, size=shape) / denominators
    order = numpy.argsort(-draws, axis=1, kind="stable")
    ranks = numpy.empty_like(order)
    ranks[numpy.arange(simulations)[:, None], order] = numpy.arange(1, len(members) + 1)
    ranks.sort(axis=0)
    tail = (1 - coverage) / 2
    low_at = int(math.floor(tail * simulations))
    high_at = int(math.ceil((1 - tail) * simulations)) - 1
    return {
        key: RankInterval(int(ranks[low_at, index]), int(ranks[high_at, index]), len(members))
        for index, (key, _, _) in enumerate(members)
    }


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def position_text(interval: RankInterval, type_plural: str, year: str) -> str:
    """The rank interval in words: "likely between the 3rd and 18th highest of the 25 district councils with this figure for 2023-24"."""
    among = f"of the {interval.of:,} {type_plural} with this figure for {year}"
    if interval.highest == interval.lowest:
        return f"the {ordinal(interval.highest)} highest {among}, with little doubt"
    if interval.highest == 1 and interval.lowest == interval.of:
        return f"could be anywhere from the highest to the lowest {among}: it rests on too few cases to place"
    return f"likely between the {ordinal(interval.highest)} and {ordinal(interval.lowest)} highest {among}"
