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
    write_council(data, "gamma", {
        "name": "Gamma Council", "code": "E06000901", "type": "unitary", "created": "2023-04-01",
        "years": {"2023-24": {}},
    })
    write_council(data, "delta", {
        "name": "Delta County Council", "code": "E10000901", "type": "county",
        "years": {"2022-23": {}, "2023-24": {"investigations": 19, "upheld": 12}, "2024-25": {"investigations": 33}},
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


def test_the_headline_is_above_the_figures(site):
    text = text_of(site / "alpha" / "2023-24" / "index.html")
    lead = ("The ombudsman upheld 1 of 2 complaints it investigated about Alpha District Council in 2023-24. "
            "That is too few to compare with other district councils.")
    assert text.index(lead) < text.index("Figures for 2023-24")
    assert lead in text_of(site / "alpha" / "index.html")


def test_latest_figures_are_the_latest_year_with_a_figure(site):
    # 2024-25 has investigations but not the number upheld: no statistic can be worked out.
    text = text_of(site / "delta" / "index.html")
    assert "Latest figures: 2023-24" in text
    assert "The ombudsman upheld 12 of 19 complaints it investigated about Delta County Council in 2023-24." in text
    assert "2024-25 No figures. Some counts are in this data, but not enough to work out any figure." in text
    # 4 councils in 2023-24 (alpha, beta, delta with figures; gamma without); 2 in 2022-23 (alpha, delta)
    assert "2022-23 No figures. The ombudsman's figures are not in this data yet (1 of 2 councils have figures for 2022-23)." in text
    year = text_of(site / "delta" / "2024-25" / "index.html")
    assert "The ombudsman completed 33 detailed investigations of complaints about Delta County Council in 2024-25; how many it upheld is not in the published figures." in year


def test_a_year_without_figures_says_why(site):
    text = text_of(site / "gamma" / "2023-24" / "index.html")
    assert ("The ombudsman's figures for Gamma Council in 2023-24 are not in this data yet: the published sources it is made from do not give them. "
            "3 of the 4 councils in this data have figures for 2023-24.") in text
    council = text_of(site / "gamma" / "index.html")
    assert ("Gamma Council did not exist before 2023-24 (it was created on 1 April 2023), so there are no figures for it for 2022-23.") in council


def test_home_and_type_pages_say_how_many_councils_have_figures_each_year(site):
    home = text_of(site / "index.html")
    assert "Which years have figures" in home
    assert "2024-25: The 1 council in this data for 2024-25 has no figures" in home
    assert "2023-24: 3 of 4 councils have figures for 2023-24" in home
    assert "2022-23: 1 of 2 councils have figures for 2022-23" in home
    district = text_of(site / "types" / "district" / "index.html")
    assert "2023-24: All 2 councils in this data for 2023-24 have figures" in district
    assert "2022-23: The 1 council in this data for 2022-23 has figures" in district


def test_public_pages_do_not_speak_of_the_software_or_its_settings(site):
    pages = [site / "index.html", site / "alpha" / "index.html", site / "alpha" / "2023-24" / "index.html",
             site / "types" / "district" / "index.html", site / "years" / "2023-24" / "index.html", site / "alpha" / "embed" / "index.html"]
    for page in pages:
        text = text_of(page)
        for word in ("perfsite", "configuration", "site_url", "mkdocs"):
            assert word not in text.lower(), (page, word)


def test_type_names_and_plurals(site):
    text = text_of(site / "alpha" / "2023-24" / "index.html")
    assert "Compliance with recommendations 100% 1 of 1 compliance outcome " in text
    assert "0 of 1 upheld complaint " in text
    beta = text_of(site / "beta" / "index.html")
    # beta: 3 of 4 = 75%; alpha 1 of 2 = 50%: published average 63% is shown for the upheld rate
    assert "Complaints upheld 75% 3 of 4 investigations 63% published by the ombudsman" in beta
    # alpha 1/87,036 and beta 3/50,000 per 100,000: 1.149 and 6.0, mean 3.57 -> 3.6
    assert "3.6 the average of 2 councils' rates" in beta


def test_badge_and_card_carry_the_count_and_the_verdict(site):
    import xml.etree.ElementTree as ET
    badge = ET.fromstring((site / "delta" / "badge.svg").read_text(encoding="utf-8"))
    texts = [element.text for element in badge.iter("{http://www.w3.org/2000/svg}text")]
    # 12 of 19 = 63.2% -> 63%; Delta is the only county council with figures, so the average is its own 63%;
    # 19 investigations are enough to compare (at least 10)
    assert texts == ["complaints upheld 2023-24", "63% · 12 of 19 · similar to the average 63%"]
    card = text_of(site / "delta" / "embed" / "index.html")
    assert "Complaints upheld 63% · average 63% 12 of 19 · similar to the average 63%" in card
    alpha = text_of(site / "alpha" / "embed" / "index.html")
    assert "Complaints upheld 50% · average 63% 1 of 2 · too few to compare" in alpha
    assert "Upheld decisions per 100,000 residents 1.1 · average 3.6 1 upheld · too few to compare" in alpha


def test_each_statistic_is_explained_beside_the_figures(site):
    text = text_of(site / "alpha" / "2023-24" / "index.html")
    table_end = text.index("Satisfactory remedy provided by the council 0%")
    for sentence in (
        "Complaints upheld: Of the complaints the ombudsman investigated in detail, the share where it found the council at fault",
        "Compliance with recommendations: How often the council did what the ombudsman recommended to put things right",
        "Satisfactory remedy provided by the council: Of the upheld complaints, the share where the council had already put things right",
    ):
        assert text.index(sentence) > table_end
    assert text.index("What these figures mean and how they are worked out") > table_end


def test_what_changed_since_last_year(site):
    text = text_of(site / "alpha" / "2023-24" / "index.html")
    # 5 of 10 in 2022-23, 1 of 2 in 2023-24: 2 investigations are under the 10 needed
    assert "Since 2022-23 Complaints upheld: 50%, from 50% in 2022-23: too few cases to tell whether it changed." in text
    assert 'class="changes"' not in (site / "alpha" / "2022-23" / "index.html").read_text(encoding="utf-8")


def test_position_among_its_type_is_a_range_never_a_bare_rank(shipped_site):
    import re

    import yaml

    from conftest import REPO
    # metropolitan boroughs with a share upheld in 2024-25, counted from the data files
    with_share = 0
    for path in (REPO / "data" / "councils").glob("*.yaml"):
        council = yaml.safe_load(path.read_text(encoding="utf-8"))
        year = (council.get("years") or {}).get("2024-25") or {}
        if council["type"] == "metropolitan" and year.get("investigations") and year.get("upheld") is not None:
            with_share += 1
    text = text_of(shipped_site / "bury" / "2024-25" / "index.html")
    assert "Among metropolitan boroughs in 2024-25" in text
    found = re.search(r"Complaints upheld: likely between the (\d+)\w\w and (\d+)\w\w highest of the (\d+) metropolitan boroughs with this figure for 2024-25", text)
    assert found, text
    highest, lowest, of = map(int, found.groups())
    assert of == with_share and 1 <= highest < lowest <= of
