"""The real ``perfsite build`` of the map pages, on small data with a small boundary file written here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import xstatic.pkg.leaflet

from conftest import make_project, run_perfsite, write_council, write_topology
from test_build import text_of

AREAS = [
    {"layer": "ltla", "code": "E07000901", "name": "Alpha", "cell": (0, 0)},
    {"layer": "ltla", "code": "E07000902", "name": "Beta", "cell": (1, 0), "start": 2023},
    {"layer": "ltla", "code": "E06000901", "name": "Gamma", "cell": (0, 1), "start": 2023},
    {"layer": "ltla", "code": "E07000903", "name": "Epsilon", "cell": (1, 1), "start": 2023},
    {"layer": "ltla", "code": "E07000904", "name": "Zeta", "cell": (2, 1), "start": 2023},
    {"layer": "ltla", "code": "W06000001", "name": "Wales is not drawn", "cell": (5, 5)},
    {"layer": "cty", "code": "E10000901", "name": "Gamma shire", "cell": (0, 1), "end": 2022},
]
STRAY_AREA = {"layer": "ltla", "code": "E07000999", "name": "Delta", "cell": (2, 0), "start": 2023}
LATEST_LOWER = ["E06000901", "E07000901", "E07000902", "E07000903", "E07000904"]


def write_small_data(root: Path) -> Path:
    data = root / "data"
    write_council(data, "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district",
        "years": {
            "2022-23": {"investigations": 8, "upheld": 5, "population": 100000},
            "2023-24": {"population": 87132, "investigations": 2, "upheld": 1, "compliance_outcomes": 1,
                        "complied": 1, "satisfactory_remedies": 0},
        },
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 3, "population": 50000}},
    })
    # with epsilon and zeta the mean share upheld, (50% + 75% + 30% + 96%) / 4 = 62.75%, is still the published 63%
    write_council(data, "epsilon", {
        "name": "Epsilon District Council", "code": "E07000903", "type": "district",
        "years": {"2023-24": {"investigations": 20, "upheld": 6, "population": 100000}},
    })
    write_council(data, "zeta", {
        "name": "Zeta District Council", "code": "E07000904", "type": "district",
        "years": {"2023-24": {"investigations": 50, "upheld": 48, "population": 100000}},
    })
    write_council(data, "gamma-county-council", {
        "name": "Gamma County Council", "code": "E10000901", "type": "county",
        "abolished": "2023-03-31", "replaced_by": ["gamma"],
        "years": {"2022-23": {"investigations": 10, "upheld": 9}, "2023-24": {"investigations": 3, "upheld": 2}},
    })
    write_council(data, "gamma", {
        "name": "Gamma Council", "code": "E06000901", "type": "unitary", "created": "2023-04-01",
        "years": {"2023-24": {}},
    })
    (data / "averages.yaml").write_text("2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")
    return data


def build(root: Path, *args: str, out: str = "out", env: dict | None = None):
    """``perfsite build`` of the project under ``root``, never reading the developer's PERFSITE_BOUNDARIES."""
    command = ["build", "--config", str(root / "mkdocs.yml"), "--out", str(root / out), *args]
    return run_perfsite(*command, cwd=root, env={"PERFSITE_BOUNDARIES": None, **(env or {})})


def layer_data(page: Path, layer_set: str) -> dict:
    source = page.read_text(encoding="utf-8")
    match = re.search(rf'<script type="application/json" id="perfsite-map-{layer_set}">(.*?)</script>', source, re.S)
    assert match, f"no {layer_set} data block in {page}"
    return json.loads(match.group(1))


def codes(collection: dict) -> list[str]:
    return [feature["properties"]["c"] for feature in collection["features"]]


@pytest.fixture(scope="module")
def map_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("map")
    write_small_data(root)
    write_topology(root / "bounds" / "topo.json", [*AREAS, STRAY_AREA])
    make_project(root, {"boundaries": "bounds/topo.json"})
    result = build(root, "-v")
    assert result.returncode == 0, result.stderr
    return root / "out", result.stderr


def test_each_year_draws_the_areas_in_force_that_year(map_site):
    out, _ = map_site
    latest = out / "map" / "2023-24" / "index.html"
    assert codes(layer_data(latest, "lower")) == LATEST_LOWER
    assert codes(layer_data(latest, "county")) == []
    earlier = out / "map" / "2022-23" / "index.html"
    assert codes(layer_data(earlier, "lower")) == ["E07000901"]
    assert codes(layer_data(earlier, "county")) == ["E10000901"]


def test_features_carry_every_statistic_with_its_classes(map_site):
    out, _ = map_site
    features = {feature["properties"]["s"]: feature["properties"] for feature in layer_data(out / "map" / "2023-24" / "index.html", "lower")["features"]}
    alpha = features["alpha"]
    assert (alpha["n"], alpha["t"]) == ("Alpha District Council", "district")
    # 1 of 2 rests on 2 investigations, under the 10 needed to compare; by value under 60%
    assert alpha["f"][0] == ["50%", "1 of 2 investigations", "few", "low", "too few cases to compare (2 investigations)"]
    # 1 among 87,132 residents is 1.1 per 100,000, under 2.0; it rests on 1 upheld decision
    assert alpha["f"][1] == ["1.1", "1 upheld decision, population 87,132", "few", "low", "too few cases to compare (1 upheld decision)"]
    # beta: 3 of 4 is 75%, in the 60% to 79% band, and too few to compare
    assert features["beta"]["f"][0][2:4] == ["few", "middle"]
    # epsilon: 6 of 20 is 30%, interval 15% to 52%, below 63%; zeta: 48 of 50 is 96%, interval 87% to 99%
    assert features["epsilon"]["f"][0][2:] == ["lower", "low", "lower than the average (63%)"]
    assert features["zeta"]["f"][0][2:] == ["higher", "high", "higher than the average (63%)"]
    # a council with no figures at all is "none" in every statistic and view, with nothing to say
    assert all(figure[2:] == ["none", "none", ""] for figure in features["gamma"]["f"])


# The council pages' verdicts (data-verdict, spaces as hyphens) and the map's classes for them.
VERDICT_CLASS = {
    "higher-than": "higher",
    "similar-to": "similar",
    "lower-than": "lower",
    "too-few-cases-to-compare": "few",
    "no-average-to-compare-with": "none",
    "none": "none",
}


def page_verdicts(page: Path) -> dict[str, str]:
    source = page.read_text(encoding="utf-8")
    return dict(re.findall(r'<tr class="figure figure-(\w+)".*?<td class="comparison" data-verdict="([a-z-]+)">', source, re.S))


def test_the_maps_class_is_the_verdict_on_the_councils_page(map_site):
    out, _ = map_site
    statistics = ["upheld_rate", "upheld_per_100k", "compliance_rate", "remedy_rate"]
    for year in ("2022-23", "2023-24"):
        features = [feature["properties"] for layer in ("lower", "county") for feature in layer_data(out / "map" / year / "index.html", layer)["features"]]
        assert features
        for feature in features:
            verdicts = page_verdicts(out / feature["s"] / year / "index.html")
            assert sorted(verdicts) == sorted(statistics), feature["s"]
            assert [figure[2] for figure in feature["f"]] == [VERDICT_CLASS[verdicts[key]] for key in statistics], (feature["s"], year)
    # the councils whose upheld rate rests on 10 or more investigations are compared, on both
    assert page_verdicts(out / "epsilon" / "2023-24" / "index.html")["upheld_rate"] == "lower-than"
    assert page_verdicts(out / "zeta" / "2023-24" / "index.html")["upheld_rate"] == "higher-than"
    assert page_verdicts(out / "alpha" / "2023-24" / "index.html")["upheld_rate"] == "too-few-cases-to-compare"


def shared_outlines(out: Path, page: Path) -> dict:
    """The shared TopoJSON file the page's config names, read from the built site."""
    source = page.read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script type="application/json" id="perfsite-map-config">(.*?)</script>', source, re.S).group(1))
    return json.loads((page.parent / config["areas"]).resolve().read_text(encoding="utf-8"))


def outline(topology: dict, layer_set: str, position: int) -> list[list[tuple[float, float]]]:
    """The rings of one geometry, decoded from the TopoJSON by its definition."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        points, x, y = [], 0, 0
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, 6), round(y * scale_y + shift_y, 6)))
        return points if index >= 0 else points[::-1]

    geometry = topology["objects"][layer_set]["geometries"][position]
    rings = geometry["arcs"] if geometry["type"] == "Polygon" else [ring for polygon in geometry["arcs"] for ring in polygon]
    decoded = []
    for ring in rings:
        points = []
        for index in ring:
            points += arc(index)[1:] if points else arc(index)
        decoded.append(points)
    return decoded


def test_every_year_shares_one_outline_file_and_features_name_their_outline(map_site):
    out, _ = map_site
    latest, earlier = out / "map" / "2023-24" / "index.html", out / "map" / "2022-23" / "index.html"
    topology = shared_outlines(out, latest)
    assert shared_outlines(out, earlier) == topology
    assert len(list((out / "assets" / "map").glob("areas.*.json"))) == 1
    # every English area in force in any year, Delta (in force, no council) among them, Wales left out
    assert [geometry["id"] for geometry in topology["objects"]["lower"]["geometries"]] == [
        "E06000901", "E07000901", "E07000902", "E07000903", "E07000904", "E07000999"]
    assert [geometry["id"] for geometry in topology["objects"]["county"]["geometries"]] == ["E10000901"]
    features = {feature["properties"]["c"]: feature["properties"] for feature in layer_data(latest, "lower")["features"]}
    # alpha's square: 1000 steps of 0.00015 by 0.0001 degrees from (-2, 52), a whole number of grid steps
    assert outline(topology, "lower", features["E07000901"]["g"]) == [[(-2.0, 52.0), (-1.85, 52.0), (-1.85, 52.1), (-2.0, 52.1), (-2.0, 52.0)]]
    # beta, east of alpha, meets it along the same line: one shared arc, no gap
    assert (-1.85, 52.0) in outline(topology, "lower", features["E07000902"]["g"])[0]
    assert (-1.85, 52.1) in outline(topology, "lower", features["E07000902"]["g"])[0]
    assert "geometry" not in features["E07000901"]


def test_map_page_has_legend_table_and_links(map_site):
    out, _ = map_site
    page = text_of(out / "map" / "2023-24" / "index.html")
    assert "Map of complaint figures, 2023-24" in page
    assert ("Complaints upheld: against the average for its type Lower than the average for its type Similar to the average "
            "Higher than the average for its type Too few cases to compare No figures") in page
    assert "Upheld decisions per 100,000 residents: by the figure itself Under 2.0 2.0 to 4.9 5.0 or more No figures" in page
    assert "Alpha District Council District council 50% 1 of 2 investigations too few cases to compare (2 investigations)" in page
    assert "Epsilon District Council District council 30% 6 of 20 investigations lower than the average (63%)" in page
    assert "Zeta District Council District council 96% 48 of 50 investigations higher than the average (63%)" in page
    assert "fewer than 10 cases" in page
    source = (out / "map" / "2023-24" / "index.html").read_text(encoding="utf-8")
    # the key's two patterns are the ones the map fills with
    assert '<svg class="swatch swatch-few" aria-hidden="true" focusable="false"><rect width="100%" height="100%" fill="url(#perfsite-too-few)"/></svg>' in source
    assert 'fill="url(#perfsite-no-figures)"' in source
    assert '<pattern id="perfsite-too-few"' in source and '<pattern id="perfsite-no-figures"' in source
    assert '"patterns":{"few":"url(#perfsite-too-few)","none":"url(#perfsite-no-figures)"}' in source
    # the county reported on after its abolition is in the table, and said not to be on the map
    assert "Gamma County Council County council; not on the map: abolished before this year" in page
    source = (out / "map" / "2023-24" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../alpha/2023-24/">Alpha District Council</a>' in source
    assert '"root":"../../"' in source


def test_map_index_shows_the_latest_year_with_links_from_its_own_depth(map_site):
    out, _ = map_site
    source = (out / "map" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Map of complaint figures, 2023-24</h1>" in source
    assert '<a href="../alpha/2023-24/">Alpha District Council</a>' in source
    assert '"root":"../"' in source
    assert codes(layer_data(out / "map" / "index.html", "lower")) == LATEST_LOWER
    assert 'href="map/"' in (out / "index.html").read_text(encoding="utf-8")  # in the site's navigation


def test_leaflet_is_published_and_nothing_comes_from_another_host(map_site):
    out, _ = map_site
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    for name in ("leaflet.js", "leaflet.css", "images/layers.png"):
        assert (out / "assets" / "leaflet" / name).read_bytes() == (leaflet / name).read_bytes()
    source = (out / "map" / "2023-24" / "index.html").read_text(encoding="utf-8")
    assert '"leaflet":"../../assets/leaflet/leaflet.js"' in source
    assert not re.search(r'(?:src|href)="(?:https?:)?//', source)
    assert "user-scalable=no" not in source
    assert not re.search(r"[0-9a-f]{32}", source)  # Folium's random element names


def test_councils_without_boundary_and_areas_without_council_are_reported(map_site):
    _, stderr = map_site
    assert re.search(r"WARNING +- +map 2023-24: 1 areas in force in boundary-year 2023 have no council in the data for 2023-24 .*E07000999 Delta", stderr)
    assert re.search(r"INFO +- +map 2023-24: Gamma County Council \(E10000901\) is in the table but not on the map: abolished on 31 March 2023", stderr)
    assert "WARNING -  map 2022-23" not in stderr


def test_reported_gaps_fail_a_strict_build_but_abolished_councils_do_not(tmp_path):
    write_small_data(tmp_path)
    write_topology(tmp_path / "bounds" / "topo.json", [*AREAS, STRAY_AREA])
    make_project(tmp_path, {"boundaries": "bounds/topo.json"})
    result = build(tmp_path, "--strict")
    assert result.returncode == 1
    assert "E07000999 Delta" in result.stderr
    assert not (tmp_path / "out").exists()
    write_topology(tmp_path / "bounds" / "topo.json", AREAS)
    result = build(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr


def test_two_builds_of_the_same_data_write_the_same_map(tmp_path, map_site):
    first, _ = map_site
    write_small_data(tmp_path)
    write_topology(tmp_path / "bounds" / "topo.json", [*AREAS, STRAY_AREA])
    make_project(tmp_path, {"boundaries": "bounds/topo.json"})
    assert build(tmp_path).returncode == 0
    second = tmp_path / "out"
    for folder in ("map", "assets/leaflet", "assets/map"):
        files = sorted(path.relative_to(first) for path in (first / folder).rglob("*") if path.is_file())
        assert files == sorted(path.relative_to(second) for path in (second / folder).rglob("*") if path.is_file())
        for name in files:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_missing_boundary_file_explains_how_to_get_it_and_fails_only_strict(tmp_path):
    write_small_data(tmp_path)
    make_project(tmp_path, {"boundaries": "bounds/topo.json"})
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"WARNING +- +map: no map is drawn: bounds/topo.json: no such file", result.stderr)
    page = text_of(tmp_path / "out" / "map" / "2023-24" / "index.html")
    # the page speaks to the public; how to get the file is the build's warning, for whoever builds
    assert "The map could not be drawn: the council boundaries it is drawn from were not available when the site was built." in page
    assert "perfsite" not in page.replace("perfsite-", "") and "bounds/topo.json" not in page
    assert "get the file with `perfsite boundaries fetch`" in result.stderr
    assert "Alpha District Council District council 50% 1 of 2 investigations" in page
    assert (tmp_path / "out" / "alpha" / "index.html").is_file()
    assert not (tmp_path / "out" / "assets" / "leaflet").exists()
    before = (tmp_path / "out" / "map" / "index.html").read_bytes()
    strict = build(tmp_path, "--strict")
    assert strict.returncode == 1
    assert "the previous site is unchanged" in strict.stderr
    assert (tmp_path / "out" / "map" / "index.html").read_bytes() == before


def test_an_unusable_boundary_file_names_what_is_wrong(tmp_path):
    write_small_data(tmp_path)
    (tmp_path / "bounds").mkdir()
    (tmp_path / "bounds" / "topo.json").write_text('{"type": "Topology", "arcs": [], "objects": {"ltla": {"type": "GeometryCollection", "geometries": []}}}')
    make_project(tmp_path, {"boundaries": "bounds/topo.json"})
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "bounds/topo.json: objects.cty: missing (expected a GeometryCollection of council areas)" in result.stderr
    assert "The map could not be drawn: the council boundaries" in text_of(tmp_path / "out" / "map" / "index.html")


def test_command_line_beats_environment_beats_configuration(tmp_path):
    write_small_data(tmp_path)
    good = write_topology(tmp_path / "elsewhere" / "good.json", AREAS)
    write_topology(tmp_path / "bounds" / "topo.json", AREAS[:1])  # the configured file: alpha only
    make_project(tmp_path, {"boundaries": "bounds/topo.json"})
    assert build(tmp_path).returncode == 0
    assert codes(layer_data(tmp_path / "out" / "map" / "index.html", "lower")) == ["E07000901"]
    missing = build(tmp_path, env={"PERFSITE_BOUNDARIES": str(tmp_path / "nowhere.json")})
    assert re.search(r"no map is drawn: nowhere\.json: no such file", missing.stderr), missing.stderr
    assert "The map could not be drawn" in text_of(tmp_path / "out" / "map" / "index.html")
    assert missing.returncode == 0
    result = build(tmp_path, "--boundaries", str(good), env={"PERFSITE_BOUNDARIES": str(tmp_path / "nowhere.json")})
    assert result.returncode == 0, result.stderr
    assert codes(layer_data(tmp_path / "out" / "map" / "index.html", "lower")) == LATEST_LOWER


def test_a_configured_tile_layer_needs_its_attribution(tmp_path):
    write_small_data(tmp_path)
    write_topology(tmp_path / "bounds" / "topo.json", AREAS)
    make_project(tmp_path, {"boundaries": "bounds/topo.json", "tiles": "https://tiles.example.org/{z}/{x}/{y}.png"})
    result = build(tmp_path)
    assert result.returncode == 1
    assert "tiles and tiles_attribution go together" in result.stderr
    make_project(tmp_path, {"boundaries": "bounds/topo.json", "tiles": "https://tiles.example.org/{z}/{x}/{y}.png",
                            "tiles_attribution": "© Example tiles"})
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "out" / "map" / "index.html").read_text(encoding="utf-8")
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in source
    assert "© Example tiles" in source or "\\u00a9 Example tiles" in source


def test_with_the_map_turned_off_only_a_note_is_left_at_its_address(tmp_path):
    """No boundary file is needed, so even --strict passes; /map/ says there is no map, and the nav leaves it out."""
    write_small_data(tmp_path)
    make_project(tmp_path, {"map": False})
    result = build(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "out"
    assert (site / "alpha" / "index.html").is_file()
    assert sorted(path.relative_to(site).as_posix() for path in (site / "map").rglob("*")) == ["map/index.html"]
    assert "This site is published without a map." in text_of(site / "map" / "index.html")
    assert 'href="../years/2023-24/"' in (site / "map" / "index.html").read_text(encoding="utf-8")
    assert not (site / "assets" / "leaflet").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="methodology/"' in home and 'href="map/"' not in home
