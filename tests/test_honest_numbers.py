"""Intervals, verdicts, trend charts and funnel plots in real builds of small data folders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_project, run_perfsite, write_council
from test_build import text_of


def write_data(data: Path) -> None:
    write_council(data, "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district",
        "years": {"2023-24": {"population": 87036, "investigations": 2, "upheld": 1, "compliance_outcomes": 1,
                              "complied": 1, "satisfactory_remedies": 0}},
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 3, "population": 50000}},
    })
    write_council(data, "delta", {
        "name": "Delta London Borough", "code": "E09000901", "type": "london",
        "years": {
            "2020-21": {"investigations": 25, "upheld": 20},
            "2021-22": {},
            "2022-23": {"investigations": 40, "upheld": 30},
            "2023-24": {"investigations": 40, "upheld": 36, "population": 100000},
        },
    })
    write_council(data, "epsilon", {
        "name": "Epsilon London Borough", "code": "E09000902", "type": "london",
        "years": {"2023-24": {"investigations": 40, "upheld": 2}},
    })
    write_council(data, "zeta", {
        "name": "Zeta London Borough", "code": "E09000903", "type": "london",
        "years": {"2023-24": {"investigations": 0, "upheld": 0}},
    })
    (data / "averages.yaml").write_text("2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")


def build(root: Path, options: dict | None = None):
    write_data(root / "data")
    config = make_project(root, options)
    return run_perfsite("build", "--config", str(config), "--out", str(root / "out"), cwd=root)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("honest")
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """Built with ``charts: false`` and a lower threshold of 2 cases."""
    root = tmp_path_factory.mktemp("plain")
    result = build(root, {"charts": False, "min_cases": 2})
    assert result.returncode == 0, result.stderr
    return root / "out"


def test_few_cases_show_the_interval_and_no_verdict(site):
    page = text_of(site / "alpha" / "index.html")
    # Wilson, 1 of 2: 9.45% to 90.55%
    assert ("Complaints upheld 50% 1 of 2 investigations 63% published by the ombudsman "
            "Too few cases to compare 2 investigations; at least 10 needed 95% confidence interval 9% to 91%") in page
    # exact Poisson for 1 upheld decision: 0.0253 to 5.5716, over 87,036 residents: 0.03 to 6.40 per 100,000
    assert ("Too few cases to compare 1 upheld decision; at least 10 needed 95% confidence interval 0.0 to 6.4") in page


def test_verdicts_when_the_interval_excludes_the_average(site):
    # London average: mean of 90% and 5% = 47.5%, shown 48%
    delta = text_of(site / "delta" / "2023-24" / "index.html")
    # Wilson, 36 of 40: (37.9207 -+ 1.95996 * sqrt(3.6 + 0.96037)) / 43.8415 = 76.9% to 96.0%
    assert "Complaints upheld 90% 36 of 40 investigations 48% the average of 2 councils' rates Higher than the average 95% confidence interval 77% to 96%" in delta
    epsilon = text_of(site / "epsilon" / "2023-24" / "index.html")
    # Wilson, 2 of 40: (3.9207 -+ 1.95996 * sqrt(1.9 + 0.96037)) / 43.8415 = 1.4% to 16.5%
    assert "Complaints upheld 5% 2 of 40 investigations 48% the average of 2 councils' rates Lower than the average 95% confidence interval 1% to 17%" in epsilon
    zeta = text_of(site / "zeta" / "2023-24" / "index.html")
    assert "Complaints upheld not applicable (no investigations)" in zeta
    assert "No figure to compare" in zeta
    assert "worse" not in delta.lower() and "better" not in delta.lower()


def test_threshold_and_charts_options(plain_site):
    page = text_of(plain_site / "alpha" / "index.html")
    assert "Complaints upheld 50% 1 of 2 investigations 63% published by the ombudsman Similar to the average 95% confidence interval 9% to 91%" in page
    assert "<svg" not in (plain_site / "delta" / "index.html").read_text(encoding="utf-8")
    assert not (plain_site / "types" / "london" / "2023-24").exists()
    assert "funnel" not in (plain_site / "types" / "london" / "index.html").read_text(encoding="utf-8")
    assert "funnel" not in (plain_site / "years" / "2023-24" / "index.html").read_text(encoding="utf-8")


def test_a_negative_threshold_is_refused(tmp_path):
    result = build(tmp_path, {"min_cases": -1})
    assert result.returncode == 1
    assert "min_cases" in result.stderr and "expected a whole number, 0 or more" in result.stderr


def svg_elements(source: str) -> list[str]:
    return re.findall(r"<svg class=\"chart-svg[^\"]*\".*?</svg>", source, flags=re.S)


def test_council_page_has_a_trend_chart_per_statistic_with_figures(site):
    source = (site / "delta" / "index.html").read_text(encoding="utf-8")
    charts = svg_elements(source)
    assert len(charts) == 2  # upheld rate and per 100,000; no compliance or remedy figures
    upheld = charts[0]
    assert 'role="img" aria-labelledby="trend-upheld_rate-title"' in upheld
    assert ('<title id="trend-upheld_rate-title">Complaints upheld: Delta London Borough and the average for '
            'London boroughs, 2020-21 to 2023-24</title>') in upheld
    page = text_of(site / "delta" / "index.html")
    assert ("No year has figures for compliance with recommendations or satisfactory remedy provided by the "
            "council, so there is no chart for them.") in page
    # the table under the chart, newest year first; 2021-22 has no figures and is a gap, not a zero
    assert ("Complaints upheld: figures by year Year This council 95% confidence interval Average for London boroughs "
            "Compared with the average 2023-24 90% 36 of 40 investigations 77% to 96% 48% Higher than the average "
            "2022-23 75% 30 of 40 investigations") in page
    assert "2021-22 not available no interval not available No figure to compare" in page


def test_missing_years_are_gaps_in_the_line(site):
    upheld = svg_elements((site / "delta" / "index.html").read_text(encoding="utf-8"))[0]
    council_line = re.search(r'<path d="([^"]*)" fill="none" stroke="#12436d" stroke-width="2.5"/>', upheld).group(1)
    # 2020-21 stands alone (2021-22 is missing); 2022-23 and 2023-24 are joined: one line of two points
    assert council_line.count("M") == 1 and council_line.count("L") == 1
    markers = re.search(r'<path d="([^"]*)" fill="#12436d"', upheld).group(1)
    assert markers.count("M") == 3


def test_funnel_plot_page(site):
    page_file = site / "types" / "london" / "2023-24" / "funnel" / "index.html"
    source = page_file.read_text(encoding="utf-8")
    chart = svg_elements(source)[0]
    assert 'role="group" aria-labelledby="funnel-london-2023-24-title"' in chart
    # every council with a rate is a link to its year page, named for screen readers
    assert re.search(r'<a href="../../../../delta/2023-24/" aria-label="Delta London Borough: 90% upheld '
                     r'\(36 of 40 investigations\), above the 99.8% limit">', chart)
    assert 'href="../../../../epsilon/2023-24/"' in chart and "zeta" not in chart
    page = text_of(page_file)
    assert "Solid line: the average, 48%" in page
    assert "1 of the London boroughs in 2023-24 has no share upheld for this year" in page
    assert "Delta London Borough 40 36 90% 77% to 96% Above the 99.8% limit Higher than the average" in page
    assert "Epsilon London Borough 40 2 5% 1% to 17% Below the 99.8% limit Lower than the average" in page


def test_funnel_plots_are_linked_from_type_and_year_pages(site):
    assert '<a href="2023-24/funnel/">Funnel plot for 2023-24</a>' in (site / "types" / "london" / "index.html").read_text(encoding="utf-8")
    year = (site / "years" / "2023-24" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../types/london/2023-24/funnel/"' in year
    assert 'href="../../types/district/2023-24/funnel/"' in year
    # 2022-23 has only Delta among london boroughs: its own mean is the average, and it has a plot too
    assert (site / "types" / "london" / "2022-23" / "funnel" / "index.html").is_file()
    assert not (site / "types" / "london" / "2021-22").exists()


def test_methodology_explains_intervals_verdicts_and_funnel_plots(site):
    page = text_of(site / "methodology" / "index.html")
    for words in ("95% confidence interval", "Wilson score interval", "exact Poisson interval",
                  "Too few cases to compare", "fewer than 10 cases", "never \"better\" or \"worse\"",
                  "Funnel plots", "99.8% limits"):
        assert words in page, words
    assert 'id="funnel-plots"' in (site / "methodology" / "index.html").read_text(encoding="utf-8")
