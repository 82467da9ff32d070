"""The two baselines perfsite is measured against, on pages like perfsite's own.

Both start from the same page contents, worked out once from the data (not timed): for every page
perfsite gives MkDocs, its title and a list of blocks (headings, paragraphs, tables, lists, the
letter). What Markdown cannot write (the trend charts with their tables, the funnel plots, the
map pages) is a raw HTML block, taken from the page perfsite generated, so that the baselines'
pages are the same pages with content of the same size.

- plain MkDocs: the blocks written as ordinary Markdown pages (real Markdown tables, the letters'
  own Markdown), built by ``mkdocs build`` with the built-in ``mkdocs`` theme (``highlightjs:
  false``), an explicit short nav and no search plugin;
- the floor: the blocks as JSON, rendered by ``floor.py`` with plain Jinja2 straight to HTML files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import yaml

from generator.letters import letter_html
from generator.metrics import STATISTICS
from generator.model import COUNCIL_TYPES
from generator.pages import SiteContext
from generator.views import CouncilView, CouncilYearView

Block = dict[str, Any]
HAND_WRITTEN = ("methodology.md", "about.md", "accessibility.md")
NAV = [
    {"Home": "index.md"}, {"Councils by type": "types/index.md"}, {"Years": "years/index.md"},
    {"Methodology": "methodology.md"}, {"About": "about.md"}, {"Accessibility": "accessibility.md"},
]


def nav(pages: list[tuple[str, str, list[Block]]]) -> list[dict[str, str]]:
    """The short nav, with the map when the pages include it, as perfsite's has."""
    if any(path == "map/index.md" for path, _, _ in pages):
        return [*NAV[:3], {"Map": "map/index.md"}, *NAV[3:]]
    return NAV


def table(caption: str, header: list[str], rows: list[list[str]], links: list[str] | None = None) -> Block:
    return {"kind": "table", "caption": caption, "header": header, "rows": rows, "links": links or []}


def figure_cells(year_view: CouncilYearView) -> list[str]:
    return [f"{figure.value_text} {figure.count_text}".strip() for figure in year_view.figures]


def year_blocks(view: CouncilYearView, type_plural: str) -> list[Block]:
    record = view.record
    blocks: list[Block] = [
        {"kind": "h2", "text": f"Figures for {view.year}"},
        table(f"{view.council.name}, {view.year}, against the average for {type_plural}",
              ["Statistic", "This council", f"Average for {type_plural}"],
              [[figure.label, f"{figure.value_text} {figure.count_text}".strip(), f"{figure.average.text} {figure.average.note}"] for figure in view.figures]),
    ]
    if record.letter:
        blocks += [{"kind": "h2", "text": f"Annual review letter {view.year}"}, {"kind": "letter", "path": record.letter}]
    if record.decisions:
        blocks += [{"kind": "h2", "text": f"Decisions {view.year}"},
                   {"kind": "ul", "items": [f"{decision.reference} ({decision.date}): {decision.outcome}. {decision.summary}" for decision in record.decisions]}]
    if record.service_improvements:
        blocks += [{"kind": "h2", "text": f"Service improvements agreed {view.year}"}, {"kind": "ul", "items": list(record.service_improvements)}]
    if record.sources:
        blocks.append({"kind": "p", "text": "Source of the figures: " + "; ".join(source.text for source in record.sources)})
    return blocks


def raw_html(generated_dir: Path | None, src_path: str, pattern: str | None = None) -> list[Block]:
    """Pieces of the body perfsite generated for ``src_path`` (all of it, or each match of
    ``pattern``) as raw HTML blocks, without blank lines, which would end a raw block in Markdown."""
    if generated_dir is None or not (generated_dir / src_path).is_file():
        return []
    body = re.sub(r"\A---\n.*?\n---\n", "", (generated_dir / src_path).read_text(encoding="utf-8"), flags=re.S)
    pieces = re.findall(pattern, body, flags=re.S) if pattern else [body]
    return [{"kind": "html", "html": re.sub(r"\n\s*\n", "\n", piece.strip())} for piece in pieces]


def council_pages(view: CouncilView, statistics: list[str], generated_dir: Path | None = None) -> Iterator[tuple[str, str, list[Block]]]:
    council = view.council
    type_plural = COUNCIL_TYPES[council.type].lower()
    meta = {"kind": "p", "text": f"{view.type_label.capitalize()} · GSS code {council.code}"}
    blocks = [{"kind": "h1", "text": council.name}, meta, *year_blocks(view.latest, type_plural)]
    blocks += [{"kind": "h2", "text": "Every year"},
               table(f"{council.name}: figures for every year", ["Year", *statistics],
                     [[year_view.year, *figure_cells(year_view)] for year_view in reversed(view.years)],
                     [f"{year_view.year}/" for year_view in reversed(view.years)])]
    blocks += raw_html(generated_dir, f"{council.slug}/index.md", r'<section class="trend".*?</section>')
    yield f"{council.slug}/index.md", council.name, blocks
    for year_view in view.years:
        yield (f"{council.slug}/{year_view.year}/index.md", f"{council.name}: {year_view.year}",
               [{"kind": "h1", "text": f"{council.name}: {year_view.year}"}, meta, *year_blocks(year_view, type_plural)])


def site_pages(site: SiteContext, hand_written_dir: Path, generated_dir: Path | None = None) -> Iterator[tuple[str, str, list[Block]]]:
    """Every page perfsite gives MkDocs, as (path, title, blocks); ``generated_dir`` is the docs
    folder of a perfsite build of the same data, for the parts Markdown cannot write."""
    statistics = [statistic.label for statistic in STATISTICS]
    for view in site.council_views:
        yield from council_pages(view, statistics, generated_dir)
    for council_type, label in COUNCIL_TYPES.items():
        members = [view for view in site.council_views if view.council.type == council_type]
        yield f"types/{council_type}/index.md", label, [
            {"kind": "h1", "text": label},
            table(f"{label}: latest figures", ["Council", "Year", *statistics],
                  [[view.council.name, view.latest.year, *figure_cells(view.latest)] for view in members],
                  [f"../../{view.council.slug}/" for view in members]),
        ]
    yield "types/index.md", "Councils by type", [{"kind": "h1", "text": "Councils by type"}, {"kind": "ul", "items": list(COUNCIL_TYPES.values())}]
    for year in site.years:
        rows = [view for view in site.council_views if year in view.council.years]
        yield f"years/{year}/index.md", f"Figures for {year}", [
            {"kind": "h1", "text": f"Figures for {year}"},
            table(f"Councils, {year}", ["Council", *statistics], [[view.council.name, *figure_cells(view.year(year))] for view in rows],
                  [f"../../{view.council.slug}/{year}/" for view in rows]),
        ]
    yield "years/index.md", "Figures by year", [{"kind": "h1", "text": "Figures by year"}, {"kind": "ul", "items": list(site.years)}]
    if generated_dir is not None:
        for council_type, label in COUNCIL_TYPES.items():
            for year in site.years:
                funnel = f"types/{council_type}/{year}/funnel/index.md"
                if (generated_dir / funnel).is_file():
                    yield funnel, f"{label}, {year}: funnel plot", raw_html(generated_dir, funnel)
        for map_page in [*(f"map/{year}/index.md" for year in site.years), "map/index.md"]:
            if (generated_dir / map_page).is_file():
                yield map_page, "Map of complaint figures", raw_html(generated_dir, map_page)
    yield "index.md", "Council complaint figures", [
        {"kind": "h1", "text": "How English councils handle complaints"},
        {"kind": "ul", "items": [view.council.name for view in site.council_views], "links": [f"{view.council.slug}/" for view in site.council_views]},
    ]
    for name in HAND_WRITTEN:
        text = (hand_written_dir / name).read_text(encoding="utf-8")
        yield name, name.removesuffix(".md").capitalize(), [{"kind": "markdown", "text": re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)}]


def _demoted(markdown_text: str) -> str:
    return re.sub(r"^(#+) ", lambda match: "#" * min(len(match.group(1)) + 2, 6) + " ", markdown_text, flags=re.M)


def markdown_page(title: str, blocks: list[Block], letters_dir: Path) -> str:
    lines = ["---", f"title: {json.dumps(title)}", "---", ""]
    for block in blocks:
        kind = block["kind"]
        if kind in ("h1", "h2"):
            lines += ["#" * int(kind[1]) + " " + block["text"], ""]
        elif kind == "p":
            lines += [block["text"], ""]
        elif kind == "ul":
            links = block.get("links") or [None] * len(block["items"])
            lines += [f"- [{item}]({link})" if link else f"- {item}" for item, link in zip(block["items"], links)] + [""]
        elif kind == "table":
            links = block["links"] or [None] * len(block["rows"])
            lines += [f"**{block['caption']}**", "", "| " + " | ".join(block["header"]) + " |", "|" + " --- |" * len(block["header"])]
            for row, link in zip(block["rows"], links):
                first = f"[{row[0]}]({link})" if link else row[0]
                lines.append("| " + " | ".join([first, *row[1:]]) + " |")
            lines.append("")
        elif kind == "letter":
            lines += [_demoted((letters_dir / block["path"]).read_text(encoding="utf-8")), ""]
        elif kind in ("markdown", "html"):
            lines += [block.get("text", block.get("html")), ""]
    return "\n".join(lines)


def write_mkdocs_project(pages: list[tuple[str, str, list[Block]]], root: Path, letters_dir: Path) -> Path:
    """The plain-MkDocs baseline's project under ``root``; returns its mkdocs.yml."""
    docs = root / "docs"
    for path, title, blocks in pages:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown_page(title, blocks, letters_dir), encoding="utf-8")
    config = {
        "site_name": "Council complaint figures", "docs_dir": "docs", "site_dir": "site", "use_directory_urls": True,
        "theme": {"name": "mkdocs", "highlightjs": False}, "plugins": [], "nav": nav(pages),
        "markdown_extensions": ["tables"], "validation": {"nav": {"omitted_files": "ignore"}},
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def write_floor_input(pages: list[tuple[str, str, list[Block]]], path: Path, letters_dir: Path) -> Path:
    """The floor's input: every page's title and blocks, letters and hand-written pages as HTML."""
    import markdown

    prepared = []
    for src_path, title, blocks in pages:
        html_blocks = []
        for block in blocks:
            if block["kind"] == "letter":
                block = {"kind": "html", "html": str(letter_html((letters_dir / block["path"]).read_text(encoding="utf-8")))}
            elif block["kind"] == "markdown":
                block = {"kind": "html", "html": markdown.markdown(block["text"])}
            html_blocks.append(block)
        out = src_path.removesuffix(".md")
        out = out if out.endswith("index") else f"{out}/index"
        prepared.append({"path": f"{out}.html", "title": title, "blocks": html_blocks})
    path.write_text(json.dumps({"nav": [next(iter(item)) for item in nav(pages)], "pages": prepared}), encoding="utf-8")
    return path
