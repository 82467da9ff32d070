"""The plain-English headline above a council-year's figures, made from its counts and verdicts.

Pure functions of the counts, the comparisons with the type's average and the names: what the
ombudsman found, whether there are enough cases to compare, and what the ombudsman's own guidance
says a figure means (a compliance rate below 100% is a cause for concern). The upheld rate is never
called better or worse: a higher share upheld can mean more faults, or a council that settles the
clear cases itself and leaves the ombudsman the hard ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from .metrics import COMPLIANCE_RATE, REMEDY_RATE, UPHELD_PER_100K, UPHELD_RATE, Statistic, format_statistic
from .uncertainty import HIGHER, LOWER, NO_AVERAGE, SIMILAR, TOO_FEW, Comparison

COMPLIANCE_GUIDANCE = "The ombudsman says a compliance rate below 100% is a cause for concern."


@dataclass(frozen=True, slots=True)
class Headline:
    """``lead`` is the first sentence or two (complaints upheld); ``details`` the sentences after it."""

    lead: str
    details: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join((self.lead, *self.details)).strip()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 complaint", "2 complaints", "1,204 complaints"."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def _shown(statistic: Statistic, numerator: int, denominator: int) -> str:
    return format_statistic(statistic, Fraction(numerator, denominator))


def verdict_clause(comparison: Comparison | None, type_plural: str, figure_text: str) -> str:
    """How a figure stands against its type's average, as a sentence about "that" figure."""
    if comparison is None:
        return ""
    statistic = comparison.statistic
    if comparison.verdict == TOO_FEW:
        return f"That is too few to compare with other {type_plural}."
    if comparison.verdict == NO_AVERAGE:
        return f"There is no average for {type_plural} to compare it with."
    average = format_statistic(statistic, comparison.average)
    if comparison.verdict == SIMILAR:
        return f"{figure_text} is similar to the average for {type_plural} ({average}): the difference could be chance."
    word = "higher" if comparison.verdict == HIGHER else "lower"
    assert comparison.verdict in (HIGHER, LOWER)
    return f"{figure_text} is {word} than the average for {type_plural} ({average}), by more than chance alone is likely to explain."


def upheld_sentences(name: str, year: str, counts: Mapping[str, int | None], comparisons: Mapping[str, Comparison | None], type_plural: str) -> list[str]:
    investigations, upheld = counts.get("investigations"), counts.get("upheld")
    if investigations is None:
        return []
    if investigations == 0:
        return [f"The ombudsman completed no detailed investigations of complaints about {name} in {year}."]
    if upheld is None:
        return [f"The ombudsman completed {plural(investigations, 'detailed investigation')} of complaints about {name} in {year}; "
                f"how many it upheld is not in the published figures."]
    noun = "complaint" if investigations == 1 else "complaints"
    sentences = [f"The ombudsman upheld {upheld:,} of {investigations:,} {noun} it investigated about {name} in {year}."]
    comparison = comparisons.get(UPHELD_RATE.key)
    if comparison is not None:
        share = _shown(UPHELD_RATE, upheld, investigations)
        sentences.append(verdict_clause(comparison, type_plural, f"That share, {share},"))
    return sentences


def per_100k_sentence(counts: Mapping[str, int | None], comparisons: Mapping[str, Comparison | None], type_plural: str) -> str:
    upheld, population = counts.get("upheld"), counts.get("population")
    comparison = comparisons.get(UPHELD_PER_100K.key)
    if upheld is None or not population or comparison is None:
        return ""
    rate = _shown(UPHELD_PER_100K, upheld, population)
    if comparison.verdict in (SIMILAR, HIGHER, LOWER):
        return verdict_clause(comparison, type_plural, f"The rate of {rate} upheld decisions for every 100,000 residents")
    return f"That is {rate} upheld decisions for every 100,000 residents."


def compliance_sentences(counts: Mapping[str, int | None]) -> list[str]:
    outcomes, complied = counts.get("compliance_outcomes"), counts.get("complied")
    if outcomes is None or complied is None or outcomes == 0:
        return []
    if complied == outcomes:
        where = "the 1 compliance outcome recorded" if outcomes == 1 else f"all {outcomes:,} compliance outcomes recorded"
        return [f"The council did what the ombudsman recommended in {where} (100%)."]
    share = _shown(COMPLIANCE_RATE, complied, outcomes)
    return [f"The council did what the ombudsman recommended in {complied:,} of {plural(outcomes, 'compliance outcome')} recorded ({share}).",
            COMPLIANCE_GUIDANCE]


def remedy_sentence(counts: Mapping[str, int | None]) -> str:
    upheld, remedied = counts.get("upheld"), counts.get("satisfactory_remedies")
    if upheld is None or remedied is None or upheld == 0:
        return ""
    before = "before the complaint reached the ombudsman" if upheld == 1 else "before the complaints reached the ombudsman"
    if upheld == 1:
        return f"In the 1 upheld complaint, the council had {'already' if remedied else 'not'} put things right {before}."
    if remedied == 0:
        return f"In none of the {upheld:,} upheld complaints had the council already put things right {before}."
    share = _shown(REMEDY_RATE, remedied, upheld)
    return f"In {remedied:,} of the {upheld:,} upheld complaints ({share}), the council had already put things right {before}."


def headline(name: str, year: str, counts: Mapping[str, int | None], comparisons: Mapping[str, Comparison | None], type_plural: str) -> Headline | None:
    """The headline of one council-year; None when no statistic has a figure."""
    upheld = upheld_sentences(name, year, counts, comparisons, type_plural)
    details = [per_100k_sentence(counts, comparisons, type_plural), *compliance_sentences(counts), remedy_sentence(counts)]
    details = [sentence for sentence in details if sentence]
    if not upheld:
        if not details:
            return None
        upheld = [f"The ombudsman's figures for {name} in {year}: the number of complaints it investigated is not in the published figures."]
    return Headline(" ".join(upheld), tuple(details))
