"""The benchmark's synthetic data is valid data, and a build reports its phase times as JSON."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_perfsite, write_council
from generator.loader import load_dataset
from generator.timing import TIMINGS_ENV, PhaseTimer

sys.path.insert(0, str(REPO / "bench"))
import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def synthetic_set(tmp_path_factory) -> tuple[Path, Path]:
    return synthetic.make_dataset(tmp_path_factory.mktemp("synthetic"), councils=24, years=3, seed=3)


def test_synthetic_data_loads_without_problems_with_every_type(synthetic_set):
    data, _ = synthetic_set
    dataset = load_dataset(data)
    assert len(dataset.councils) == 24
    assert set(Counter(council.type for council in dataset.councils)) == {"county", "district", "metropolitan", "unitary", "london"}
    assert dataset.years() == ["2015-16", "2016-17", "2017-18"]
    years = [record for council in dataset.councils for record in council.years.values()]
    assert all(record.letter and (data / "letters" / record.letter).is_file() for record in years)
    # one reorganisation: a county and its districts end after 2015-16 and a new unitary takes over
    abolished = [council for council in dataset.councils if council.replaced_by]
    successor = {slug for council in abolished for slug in council.replaced_by}
    assert abolished and len(successor) == 1
    assert dataset.by_slug()[successor.pop()].created.isoformat() == "2016-04-01"


def test_synthetic_boundaries_have_one_feature_per_council_in_its_layer(synthetic_set):
    data, boundaries = synthetic_set
    topology = json.loads(boundaries.read_text())
    dataset = load_dataset(data)
    layers = {name: {geometry["properties"]["areacd"]: geometry for geometry in layer["geometries"]} for name, layer in topology["objects"].items()}
    assert set(layers) == {"ltla", "cty"}
    for council in dataset.councils:
        geometry = layers["cty" if council.type == "county" else "ltla"][council.code]
        assert geometry["type"] == "Polygon" and set(geometry["properties"]) >= {"areacd", "areanm"}
        ring = topology["arcs"][geometry["arcs"][0][0]]
        assert ring[0] == ring[-1]
        if council.abolished:  # 2016-03-31 is the last day of boundary-year 2015
            assert geometry["properties"]["end"] == council.abolished.year - 1
        if council.created:
            assert geometry["properties"]["start"] == council.created.year


def test_phase_timer_counts_nested_time_once_and_writes_json(tmp_path, monkeypatch):
    clock = iter([0.0, 1.0, 3.0, 10.0])  # outer starts, inner starts, inner ends, outer ends
    monkeypatch.setattr("generator.timing.time.perf_counter", lambda: next(clock))
    timer = PhaseTimer()
    with timer.phase("outer"):
        with timer.phase("inner"):
            pass
    assert timer.seconds == {"outer": 8.0, "inner": 2.0}
    target = tmp_path / "timings.json"
    monkeypatch.setenv(TIMINGS_ENV, str(target))
    timer.report(logging.getLogger("test"))
    assert json.loads(target.read_text()) == {"phases": {"outer": 8.0, "inner": 2.0}, "parallel": [], "held_bytes": 0}
    timer.add("elsewhere", 4.0, parallel=True)  # a phase of the second process
    timer.held_bytes = 1234
    timer.report(logging.getLogger("test"))
    assert json.loads(target.read_text()) == {"phases": {"outer": 8.0, "inner": 2.0, "elsewhere": 4.0}, "parallel": ["elsewhere"], "held_bytes": 1234}


def test_build_writes_every_phase_to_the_timings_file(tmp_path, monkeypatch):
    write_council(tmp_path / "data", "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 2, "population": 50000}},
    })
    config = make_project(tmp_path)
    target = tmp_path / "timings.json"
    monkeypatch.setenv(TIMINGS_ENV, str(target))
    result = run_perfsite("build", "--config", str(config), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    timings = json.loads(target.read_text())
    phases = timings["phases"]
    assert {"load", "compute", "views", "council_pages", "type_pages", "year_pages", "home_page", "write", "mkdocs.read", "mkdocs.write"} <= set(phases)
    assert all(seconds >= 0 for seconds in phases.values())
    # The pages waited, compressed, in a temporary file: fewer bytes than they take written out.
    assert 0 < timings["held_bytes"] < sum(path.stat().st_size for path in (tmp_path / "site_src").rglob("*") if path.is_file())
