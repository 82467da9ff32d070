"""Property-based tests (hypothesis): rates stay in range, rounding moves a value by at most half a
unit, writing the data and loading it back loses nothing, and no input crashes the loader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.compute import compute
from generator.loader import COUNCIL_KEYS, FIRST_YEAR, RESERVED_SLUGS, SCHEME_PATTERN, YEAR_KEYS, DataError, last_financial_year, load_dataset
from generator.metrics import (
    STATISTICS,
    UPHELD_PER_100K,
    format_number,
    format_rate,
    peer_average,
    rate,
    round_half_away,
    rounded_statistic,
    scaled,
    statistic_rate,
)
from generator.breakdowns import DECISION_OUTCOMES, RECEIVED_AREAS
from generator.model import COUNCIL_TYPES, Council, CouncilYear, Dataset, Decision, PublicReport, Source
from generator.writer import dump_averages, dump_council
from generator.safefiles import looks_blank

PERCENTAGES = [statistic for statistic in STATISTICS if statistic.unit == "%"]
FILE_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- valid data ---------------------------------------------------------------------------------

def optional(strategy):
    return st.none() | strategy


# Any text YAML can carry that shows as written: no control, format or private characters, and
# something visible in it.
texts = st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=30).filter(
    lambda text: text.strip() and not looks_blank(text))
citations = texts.filter(lambda text: not SCHEME_PATTERN.match(text))
web_addresses = st.from_regex(r"\Ahttps?://[a-z0-9-]{1,12}(\.[a-z]{2,5}){1,2}(/[A-Za-z0-9._~%-]{0,12}){0,3}(\?[a-z]=[0-9]{1,4})?\Z")
slugs = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}\Z").filter(lambda slug: slug not in RESERVED_SLUGS)
codes = st.from_regex(r"\A[EJKLMNSW][0-9]{8}\Z")
dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))
year_keys = st.integers(FIRST_YEAR, last_financial_year()).map(lambda start: f"{start}-{(start + 1) % 100:02d}")


@st.composite
def counts(draw) -> dict[str, int | None]:
    """A year's counts that the loader accepts: each part at most its whole, any of them absent."""
    investigations = draw(optional(st.integers(0, 5_000)))
    upheld = draw(optional(st.integers(0, investigations if investigations is not None else 5_000)))
    compliance_outcomes = draw(optional(st.integers(0, 5_000)))
    complied = draw(optional(st.integers(0, compliance_outcomes if compliance_outcomes is not None else 5_000)))
    remedies = draw(optional(st.integers(0, upheld if upheld is not None else 5_000)))
    return {
        "population": draw(optional(st.integers(1, 10_000_000))),
        "investigations": investigations, "upheld": upheld, "compliance_outcomes": compliance_outcomes,
        "complied": complied, "satisfactory_remedies": remedies,
    }


sources = st.one_of(web_addresses.map(lambda url: Source(url, url)), citations.map(Source))
decisions = st.builds(
    Decision, reference=optional(texts), date=optional(dates), outcome=optional(texts),
    summary=optional(texts), url=optional(web_addresses),
)
public_reports = st.builds(PublicReport, title=texts, date=optional(dates), url=optional(web_addresses))


@st.composite
def decided_for(draw, figures: dict[str, int | None]) -> dict[str, int]:
    """Decisions by outcome whose upheld and not upheld agree with the year's upheld and investigations."""
    investigations, upheld = figures["investigations"], figures["upheld"]
    if upheld is None:
        upheld = draw(st.integers(0, investigations if investigations is not None else 5_000))
    not_upheld = investigations - upheld if investigations is not None else draw(st.integers(0, 5_000))
    others = draw(st.fixed_dictionaries({key: st.integers(0, 5_000) for key in DECISION_OUTCOMES if key not in ("upheld", "not_upheld")}))
    return {**others, "not_upheld": not_upheld, "upheld": upheld}


@st.composite
def council_years(draw, year: str, slug: str) -> CouncilYear:
    figures = draw(counts())
    return CouncilYear(
        year=year,
        **figures,
        received=draw(optional(st.fixed_dictionaries({key: st.integers(0, 5_000) for key in RECEIVED_AREAS}))),
        decided=draw(optional(decided_for(figures))),
        letter=draw(st.sampled_from([None, f"{year}/{slug}.md"])),
        letter_date=draw(optional(dates)),
        sources=draw(st.lists(sources, max_size=3)),
        decisions=draw(st.lists(decisions, max_size=2)),
        public_reports=draw(st.lists(public_reports, max_size=2)),
        service_improvements=draw(st.lists(texts, max_size=2)),
    )


@st.composite
def datasets(draw) -> list[Council]:
    """One to three councils with distinct slugs, codes and aliases, successors among them."""
    names = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    council_codes = draw(st.lists(codes, min_size=len(names), max_size=len(names), unique=True))
    alias_pool = iter(draw(st.lists(slugs.filter(lambda slug: slug not in names), max_size=4, unique=True)))
    councils = []
    for slug, code in zip(names, council_codes):
        created = draw(optional(dates))
        abolished = draw(optional(dates.filter(lambda day: created is None or day >= created)))
        years = sorted(draw(st.lists(year_keys, min_size=1, max_size=3, unique=True)))
        others = [other for other in names if other != slug]
        councils.append(Council(
            slug=slug, name=draw(texts), code=code, type=draw(st.sampled_from(list(COUNCIL_TYPES))),
            years={year: draw(council_years(year, slug)) for year in years},
            website=draw(optional(web_addresses)), created=created, abolished=abolished,
            replaced_by=draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else [],
            aliases=list(itertools.islice(alias_pool, draw(st.integers(0, 2)))),
        ))
    return councils


published_averages = st.dictionaries(
    year_keys,
    st.dictionaries(
        st.sampled_from(list(COUNCIL_TYPES)),
        st.dictionaries(
            st.sampled_from([statistic.published_key for statistic in STATISTICS]),
            st.integers(0, 100) | st.decimals(0, 100, places=1).map(float),
            min_size=1,
        ),
        min_size=1,
    ),
    max_size=3,
)


def write_dataset(folder: Path, councils: list[Council], averages=None) -> Path:
    data = folder / "data"
    (data / "councils").mkdir(parents=True)
    for council in councils:
        (data / "councils" / f"{council.slug}.yaml").write_text(dump_council(council), encoding="utf-8")
        for record in council.years.values():
            if record.letter:
                letter = data / "letters" / record.letter
                letter.parent.mkdir(parents=True, exist_ok=True)
                letter.write_text("Dear Chief Executive\n", encoding="utf-8")
    if averages is not None:
        (data / "averages.yaml").write_text(dump_averages(averages), encoding="utf-8")
    return data


def without_paths(councils: list[Council]) -> list[Council]:
    return [dataclasses.replace(council, source_file=None) for council in councils]


# --- the numbers --------------------------------------------------------------------------------

@given(st.data(), st.sampled_from(PERCENTAGES))
def test_any_valid_counts_give_a_percentage_from_0_to_100(data, statistic):
    denominator = data.draw(st.integers(1, 10**9), label="denominator")
    numerator = data.draw(st.integers(0, denominator), label="numerator")
    value = statistic_rate(statistic, {statistic.numerator: numerator, statistic.denominator: denominator})
    assert value.has_value
    assert 0 <= scaled(statistic, value.value) <= 100
    assert 0 <= rounded_statistic(statistic, value.value) <= 100
    shown = format_rate(statistic, value)
    assert shown.endswith("%") and 0 <= int(shown[:-1]) <= 100


@given(st.integers(0, 10**7), st.integers(1, 10**9))
def test_upheld_per_100k_is_never_negative(upheld, population):
    value = statistic_rate(UPHELD_PER_100K, {"upheld": upheld, "population": population})
    assert scaled(UPHELD_PER_100K, value.value) >= 0
    assert float(format_rate(UPHELD_PER_100K, value).replace(",", "")) >= 0


@given(st.integers(0, 10**6))
def test_a_zero_denominator_is_not_applicable_and_a_missing_count_not_available(numerator):
    assert rate(numerator, 0).status == "not applicable"
    assert rate(None, 5).status == rate(numerator, None).status == "not available"


@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 10**6)).map(lambda pair: (min(pair[1], pair[0]), pair[0])), min_size=1, max_size=30),
       st.sampled_from(["mean", "pooled"]))
def test_a_peer_average_lies_between_the_lowest_and_highest_rate(pairs, mode):
    rates = [rate(numerator, denominator) for numerator, denominator in pairs]
    average = peer_average(rates, mode)
    assert min(value.value for value in rates) <= average.value <= max(value.value for value in rates)
    assert 0 <= average.value <= 1
    assert average.councils == len(pairs)


@given(st.lists(st.tuples(st.sampled_from(list(COUNCIL_TYPES)), counts()), min_size=1, max_size=12), st.sampled_from(["mean", "pooled"]))
def test_computed_rates_and_averages_of_valid_data_stay_in_range(members, mode):
    councils = [
        Council(slug=f"council-{index}", name=f"Council {index}", code=f"E0700{index:04d}", type=council_type,
                years={"2023-24": CouncilYear("2023-24", **year_counts)})
        for index, (council_type, year_counts) in enumerate(members)
    ]
    results = compute(Dataset(Path("data"), councils), mode)
    exact_values = [
        *((key, value.value) for rates in results.rates.values() for key, value in rates.items()),
        *((key, average.computed.value) for averages in results.averages.values() for key, average in averages.items()),
    ]
    for key, exact in exact_values:
        if exact is not None:
            assert exact >= 0
            assert key == UPHELD_PER_100K.key or exact <= 1


fractions = st.fractions(min_value=-10**7, max_value=10**7, max_denominator=10**6)


@given(fractions, st.integers(0, 4))
def test_rounding_moves_a_value_by_at_most_half_a_unit(value, places):
    rounded = round_half_away(value, places)
    unit = Fraction(1, 10**places)
    assert abs(rounded - value) <= unit / 2
    assert (rounded / unit).denominator == 1
    if abs(rounded - value) == unit / 2:
        assert abs(rounded) > abs(value)  # halves go away from zero


@given(st.decimals(-10**6, 10**6, places=4, allow_nan=False, allow_infinity=False), st.integers(0, 3))
def test_rounding_a_float_uses_its_decimal_spelling(decimal, places):
    value = float(decimal)
    exact = Fraction(repr(value))
    rounded = round_half_away(value, places)
    assert abs(rounded - exact) <= Fraction(1, 2 * 10**places)
    assert rounded == round_half_away(exact, places)


@given(fractions, st.integers(0, 4))
def test_formatted_number_is_the_rounded_value(value, places):
    text = format_number(value, places)
    assert Fraction(text.replace(",", "")) == round_half_away(value, places)
    assert text.count(".") == (1 if places else 0)


@given(st.fractions(min_value=0, max_value=1, max_denominator=10**6), st.sampled_from(STATISTICS))
def test_shown_statistic_is_within_half_a_unit_of_the_exact_one(ratio, statistic):
    assert abs(rounded_statistic(statistic, ratio) - scaled(statistic, ratio)) <= Fraction(1, 2 * 10**statistic.places)


# --- writing and loading ------------------------------------------------------------------------

@given(datasets(), published_averages)
@FILE_SETTINGS
def test_load_dump_load_loses_nothing(councils, averages):
    with tempfile.TemporaryDirectory() as folder:
        first = load_dataset(write_dataset(Path(folder) / "first", councils, averages))
        assert {council.slug: council for council in without_paths(first.councils)} == {council.slug: council for council in councils}
        assert first.published_averages == averages
        again = load_dataset(write_dataset(Path(folder) / "again", first.councils, first.published_averages))
        assert without_paths(again.councils) == without_paths(first.councils)
        assert again.published_averages == first.published_averages
        for council in first.councils:
            assert dump_council(council) == (Path(folder) / "first" / "data" / "councils" / f"{council.slug}.yaml").read_text(encoding="utf-8")


def test_the_shipped_data_survives_a_round_trip(tmp_path):
    shipped = load_dataset(REPO / "data")
    again = load_dataset(write_dataset(tmp_path, shipped.councils, shipped.published_averages))
    assert without_paths(again.councils) == without_paths(shipped.councils)
    assert again.published_averages == shipped.published_averages


def test_writer_uses_the_documented_format():
    council = Council(
        slug="alpha", name="Alpha District Council", code="E07000901", type="district",
        years={
            "2022-23": CouncilYear("2022-23"),
            "2023-24": CouncilYear("2023-24", population=87036, investigations=2, upheld=1, letter="2023-24/alpha.md",
                                   letter_date=dt.date(2024, 7, 17), sources=[Source("https://lgo.example.org/a", "https://lgo.example.org/a")]),
        },
        replaced_by=["beta"],
    )
    assert dump_council(council) == (
        "name: Alpha District Council\n"
        "code: E07000901\n"
        "type: district\n"
        "replaced_by:\n"
        "- beta\n"
        "years:\n"
        "  2022-23: {}\n"
        "  2023-24:\n"
        "    population: 87036\n"
        "    investigations: 2\n"
        "    upheld: 1\n"
        "    letter: 2023-24/alpha.md\n"
        "    letter_date: 2024-07-17\n"
        "    source: https://lgo.example.org/a\n"
    )


# --- no input crashes the loader ----------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(), texts, dates,
                    year_keys, web_addresses, st.just("../x.md"), st.just("2023-24/x.md"))
keys = st.sampled_from([*COUNCIL_KEYS, *YEAR_KEYS, "2023-24", "reference", "title", "url"]) | scalars
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5), max_leaves=30)


@given(st.dictionaries(keys, documents, max_size=9) | documents, documents)
@FILE_SETTINGS
def test_any_yaml_gives_data_problems_not_a_crash(council, averages):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        (data / "councils").mkdir(parents=True)
        (data / "councils" / "alpha.yaml").write_text(yaml.safe_dump(council, allow_unicode=True), encoding="utf-8")
        (data / "averages.yaml").write_text(yaml.safe_dump(averages), encoding="utf-8")
        try:
            load_dataset(data)
        except DataError as error:
            assert error.problems and all(problem.path.startswith("data/") for problem in error.problems)


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")))
@FILE_SETTINGS
def test_any_bytes_give_data_problems_not_a_crash(raw):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        (data / "councils").mkdir(parents=True)
        (data / "councils" / "alpha.yaml").write_bytes(raw)
        with pytest.raises(DataError):
            load_dataset(data)
