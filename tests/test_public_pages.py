"""What the public pages say (issue 18): letters, headlines, coverage, wording, embeds, explanations.

Built for real from a small data folder, and from the shipped data where a shipped page is the point.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_project, run_perfsite, write_council, write_files
from test_build import text_of

LETTER_URL = "https://www.lgo.org.uk/example/alpha-2023-24.pdf"


def write_data(data: Path) -> None:
    write_council(data, "alpha", {
        "name": "Alpha District Council", "code": "E07000901", "type": "district",
        "years": {
            "2022-23": {"investigations": 10, "upheld": 5},
            "2023-24": {"population": 87036, "investigations": 2, "upheld": 1, "compliance_outcomes": 1,
                        "complied": 1, "satisfactory_remedies": 0, "letter": "2023-24/alpha.md",
                        "letter_date": "2024-07-17", "letter_url": LETTER_URL},
        },
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 4, "upheld": 3, "population": 50000, "letter_url": LETTER_URL + "?beta"}},
    })
    write_files(data, {"letters/2023-24/alpha.md": "Dear Chief Executive\n\nWe upheld **1** complaint.\n"})
    (data / "averages.yaml").write_text("2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("public")
    write_data(root / "data")
    config = make_project(root)
    result = run_perfsite("build", "--config", str(config), "--out", str(root / "out"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "out"



def test_the_letter_and_letter_url_are_linked_from_the_year_figures(site):
    page = (site / "alpha" / "2023-24" / "index.html").read_text(encoding="utf-8")
    text = text_of(site / "alpha" / "2023-24" / "index.html")
    assert "The ombudsman's annual review letter for 2023-24: read it on this page, or see it on the ombudsman's website." in text
    assert 'href="#letter-2023-24"' in page and 'id="letter-2023-24"' in page
    assert f'href="{LETTER_URL}"' in page
    assert "Dear Chief Executive" in text


def test_a_letter_url_alone_is_linked(site):
    page = (site / "beta" / "2023-24" / "index.html").read_text(encoding="utf-8")
    assert "The ombudsman's annual review letter for 2023-24: read it on the ombudsman's website." in text_of(site / "beta" / "2023-24" / "index.html")
    assert 'href="https://www.lgo.org.uk/example/alpha-2023-24.pdf?beta"' in page
    assert 'href="#letter-2023-24"' not in page


def test_the_shipped_site_carries_the_real_redditch_letter(shipped_site):
    year_page = shipped_site / "redditch" / "2023-24" / "index.html"
    text = text_of(year_page)
    assert "Dear Ms Hanley" in text and "Annual Review letter 2023-24" in text
    assert "Sent 17 July 2024" in text
    assert "The ombudsman's annual review letter for 2023-24: read it on this page." in text
    assert "Dear Ms Hanley" in text_of(shipped_site / "redditch" / "index.html")
