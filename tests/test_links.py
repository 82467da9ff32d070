"""Linking to and embedding council pages: embed cards, badges, stable addresses, the sitemap,
canonical and Open Graph tags, and the Atom feed of data releases."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import build_project, write_council

SITE_URL = "https://example.org/perfsite/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def write_small_data(data: Path) -> None:
    write_council(data, "alpha", {
        "name": "Alpha & Co District Council", "code": "E07000901", "type": "district", "aliases": ["alpha-old"],
        "years": {
            "2022-23": {"investigations": 2, "upheld": 2},
            "2023-24": {"population": 300000, "investigations": 8, "upheld": 5, "compliance_outcomes": 3,
                        "complied": 2, "satisfactory_remedies": 1, "letter_date": "2024-07-17"},
        },
    })
    write_council(data, "beta", {
        "name": "Beta Borough Council", "code": "E07000902", "type": "district",
        "years": {"2023-24": {"investigations": 0, "upheld": 0}},
    })
    write_council(data, "gamma", {
        "name": "Gamma County Council", "code": "E10000903", "type": "county", "years": {"2023-24": {}},
    })
    (data / "averages.yaml").write_text("2022-23:\n  district:\n    upheld_pct: 58\n2023-24:\n  district:\n    upheld_pct: 63\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The small site built with its published address given, as the deploy workflow builds it."""
    root = tmp_path_factory.mktemp("links")
    write_small_data(root / "data")
    return build_project(root, "--site-url", SITE_URL)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_embed_card_is_a_small_self_contained_page(site):
    card = read(site / "alpha" / "embed" / "index.html")
    assert card.startswith("<!doctype html>") and '<html lang="en-GB">' in card
    assert "<title>Alpha &amp; Co District Council: complaint figures" in card
    assert "<script" not in card and 'rel="stylesheet"' not in card and "site-header" not in card
    assert not re.search(r'(?:src|href)="(?!\.\./|data:)', card), "the card loads or links nothing outside the council's page"
    assert card.count('target="_top"') == 2 and 'href="../"' in card
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", card)))
    # 5 of 8 upheld is 62.5%, shown 63%, against the published district average of 63%; 8 cases are
    # under the 10 needed to compare
    assert "Complaints upheld 63% · average 63% 5 of 8 · too few to compare" in text
    assert "Compliance with recommendations 67%" in text and "2023-24" in text
    assert "are not in this data yet" in read(site / "gamma" / "embed" / "index.html")


def test_badge_has_a_text_alternative(site):
    badge = read(site / "alpha" / "badge.svg")
    root = ET.fromstring(badge)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "title"
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title.text == ("Alpha & Co District Council, 2023-24: 63% of complaints upheld (5 of 8 investigations); "
                          "average for district councils 63%; too few cases to compare.")
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["complaints upheld 2023-24", "63% · 5 of 8 · too few to compare"]
    assert float(root.get("width")) > 100
    beta = ET.fromstring(read(site / "beta" / "badge.svg"))
    assert [element.text for element in beta.iter("{http://www.w3.org/2000/svg}text")][1] == "not applicable"


def test_council_page_shows_snippets_to_copy(site):
    page = read(site / "alpha" / "index.html")
    snippets = [html.unescape(code) for code in re.findall(r'<pre class="snippet"[^>]*><code>(.*?)</code></pre>', page, re.S)]
    assert snippets[0] == (
        f'<iframe src="{SITE_URL}alpha/embed/" title="Alpha &amp; Co District Council: complaint figures" '
        'width="100%" height="540" style="border:0;max-width:40rem" loading="lazy"></iframe>')
    assert snippets[1].startswith(f'<a href="{SITE_URL}alpha/"><img src="{SITE_URL}alpha/badge.svg" alt="Alpha &amp; Co District Council, 2023-24: 63% of complaints upheld')
    assert f"{SITE_URL}code/E07000901/" in page and 'href="../code/E07000901/"' in page


def test_snippets_without_a_site_address_start_from_the_root(tmp_path):
    write_small_data(tmp_path / "data")
    out = build_project(tmp_path)
    page = html.unescape(read(out / "alpha" / "index.html"))
    assert '<iframe src="/alpha/embed/"' in page and "put this site's web address in front of them" in page
    # no absolute addresses to give: no sitemap, no canonical link
    assert not (out / "sitemap.xml").exists()
    assert 'rel="canonical"' not in page and "og:url" not in page
    feed = ET.fromstring(read(out / "feed.xml"))
    assert feed.find(f"{ATOM}id").text.startswith("urn:uuid:")
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "years/2023-24/"


def redirect_target(page: str) -> tuple[str, str, str]:
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page).group(1)
    link = re.search(r'<p>This page is now at <a href="([^"]+)">', page).group(1)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
    return refresh, link, canonical


def test_gss_code_addresses_lead_to_the_council(site):
    assert redirect_target(read(site / "code" / "E07000901" / "index.html")) == ("../../alpha/", "../../alpha/", f"{SITE_URL}alpha/")
    assert redirect_target(read(site / "code" / "E10000903" / "index.html"))[0] == "../../gamma/"


def test_aliases_keep_old_addresses_working(site):
    assert redirect_target(read(site / "alpha-old" / "index.html")) == ("../alpha/", "../alpha/", f"{SITE_URL}alpha/")
    assert redirect_target(read(site / "alpha-old" / "2022-23" / "index.html"))[0] == "../../alpha/2022-23/"
    assert redirect_target(read(site / "alpha-old" / "embed" / "index.html"))[0] == "../../alpha/embed/"
    assert read(site / "alpha-old" / "badge.svg") == read(site / "alpha" / "badge.svg")


def test_sitemap_lists_only_real_pages_with_absolute_addresses(site):
    locations = [element.text for element in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert f"{SITE_URL}alpha/" in locations and f"{SITE_URL}alpha/2023-24/" in locations
    assert f"{SITE_URL}methodology/" in locations and SITE_URL in locations
    assert all(location.startswith(SITE_URL) for location in locations)
    assert not [location for location in locations if "/code/" in location or "alpha-old" in location or "embed" in location]


def test_pages_have_canonical_and_open_graph_tags(site):
    page = read(site / "alpha" / "index.html")
    head = page[: page.index("</head>")]
    description = ("Alpha &amp; Co District Council, 2023-24: 63% of complaints upheld (5 of 8 investigations); "
                   "average for district councils 63%; too few cases to compare.")
    assert f'<link rel="canonical" href="{SITE_URL}alpha/">' in head
    assert f'<meta property="og:url" content="{SITE_URL}alpha/">' in head
    assert '<meta property="og:title" content="Alpha &amp; Co District Council">' in head
    assert f'<meta property="og:description" content="{description}">' in head
    assert '<meta property="og:type" content="website">' in head
    assert '<meta property="og:site_name" content="Council complaint figures">' in head
    assert '<link rel="alternate" type="application/atom+xml" title="Council complaint figures: data releases" href="../feed.xml">' in head


def test_feed_has_an_entry_for_each_year_with_what_changed(site):
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text == f"{SITE_URL}feed.xml"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}feed.xml"
    # updated comes from the data: alpha's letter of 17 July 2024, not the time of the build
    assert feed.find(f"{ATOM}updated").text == "2024-07-17T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Figures for 2023-24", "Figures for 2022-23"]
    latest, first = entries
    assert latest.find(f"{ATOM}id").text == f"{SITE_URL}years/2023-24/"
    assert latest.find(f"{ATOM}updated").text == "2024-07-17T00:00:00Z"
    # 2022-23 has no letter date: the end of the financial year stands in
    assert first.find(f"{ATOM}updated").text == "2023-03-31T00:00:00Z"
    # alpha and beta have figures for 2023-24, gamma none; alpha alone for 2022-23
    assert latest.find(f"{ATOM}summary").text == (
        "Figures for 2 of the 3 councils in this data. That is 1 more council with figures than in 2022-23.")
    content = html.unescape(latest.find(f"{ATOM}content").text)
    assert "District councils: complaints upheld 63% (published by the ombudsman; 2022-23: 58%)" in content
    enclosures = [link.get("href") for link in latest.findall(f"{ATOM}link[@rel='enclosure']")]
    assert enclosures == [f"{SITE_URL}years/2023-24/councils.csv", f"{SITE_URL}years/2023-24/councils.json"]


def test_data_json_gives_absolute_addresses_when_the_site_address_is_known(site):
    council = json.loads(read(site / "alpha" / "data.json"))["councils"][0]
    assert (council["url"], council["years"][0]["url"]) == (f"{SITE_URL}alpha/", f"{SITE_URL}alpha/2022-23/")
    assert json.loads(read(site / "schema" / "council-v1.json"))["$id"] == f"{SITE_URL}schema/council-v1.json"
