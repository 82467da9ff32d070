"""Write the generated pages into the MkDocs docs folder.

Each page is a Markdown file whose front matter gives its title and description and whose body
is HTML rendered from the templates in ``generator/templates``. The perfsite MkDocs plugin hands
that HTML to the theme as it is; any Markdown renderer would show it the same way.

Files are only rewritten when their content changes, and files written by an earlier run that
this run no longer produces are removed, using a manifest kept in the docs folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import jinja2

from .compute import Results
from .letters import LetterRenderer
from .metrics import STATISTICS
from .model import COUNCIL_TYPE_SINGULAR, COUNCIL_TYPES
from .views import CouncilView, council_view, long_date, type_average_row

MANIFEST_NAME = ".perfsite-generated"
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class GeneratedPage:
    """A page to write: its path under the docs folder, its front matter and its HTML body."""

    src_path: str
    title: str
    description: str
    body: str

    def text(self) -> str:
        front_matter = {"title": self.title, "description": self.description}
        lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front_matter.items()), "---", ""]
        return "\n".join(lines) + self.body.strip() + "\n"


def template_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    environment.globals.update(long_date=long_date, statistics=STATISTICS)
    return environment


def _root(src_path: str) -> str:
    """The relative prefix from a page's URL back to the site root (directory URLs)."""
    depth = src_path.count("/")
    return "../" * depth


def figures_description(view: CouncilView) -> str:
    latest = view.latest
    if not latest.has_figures:
        return f"{view.council.name}: complaint figures from the Local Government and Social Care Ombudsman."
    upheld = latest.figures[0]
    return (
        f"{view.council.name}, {latest.year}: {upheld.value_text} of complaints upheld "
        f"({upheld.count_text}); average for {COUNCIL_TYPES[view.council.type].lower()} {upheld.average.text}."
    )


def build_pages(results: Results, letters: Callable[[str], str] | None = None) -> Iterator[GeneratedPage]:
    """Every generated page of the site, in a stable order."""
    dataset = results.dataset
    environment = template_environment()
    render_letter = letters or LetterRenderer(dataset.data_dir / "letters")
    years = dataset.years()

    def page(src_path: str, template: str, title: str, description: str, **context) -> GeneratedPage:
        body = environment.get_template(template).render(root=_root(src_path), **context)
        return GeneratedPage(src_path, title, description, body)

    council_views = [council_view(results, council, render_letter) for council in dataset.councils]
    for view in council_views:
        council = view.council
        type_plural = COUNCIL_TYPES[council.type].lower()
        yield page(
            f"{council.slug}/index.md", "council.html", council.name, figures_description(view),
            view=view, type_plural=type_plural,
        )
        for year_view in view.years:
            yield page(
                f"{council.slug}/{year_view.year}/index.md", "council_year.html",
                f"{council.name}: {year_view.year}",
                f"{council.name}: complaint figures for {year_view.year} against the average for {type_plural}.",
                view=year_view, council_view=view, type_plural=type_plural,
                type_label=COUNCIL_TYPE_SINGULAR[council.type],
            )

    type_entries = []
    for council_type, label in COUNCIL_TYPES.items():
        members = sorted((view for view in council_views if view.council.type == council_type), key=lambda view: view.council.name)
        type_entries.append({"key": council_type, "label": label, "count": len(members)})
        if not members:
            continue
        type_years = sorted({year for view in members for year in view.council.years})
        yield page(
            f"types/{council_type}/index.md", "type.html", label,
            f"Complaint figures for every one of England's {label.lower()}, with their averages year by year.",
            type_label=label, council_views=members,
            average_rows=[type_average_row(results, year, council_type) for year in type_years],
        )
    yield page("types/index.md", "types_index.html", "Councils by type", "England's councils by type.", types=type_entries)

    year_entries = []
    for index, year in enumerate(years):
        in_year = [view for view in council_views if year in view.council.years]
        year_views = {view.council.slug: next(y for y in view.years if y.year == year) for view in in_year}
        with_figures = sum(year_view.has_figures for year_view in year_views.values())
        year_entries.append({"year": year, "councils": len(in_year), "with_figures": with_figures})
        groups = []
        for council_type, label in COUNCIL_TYPES.items():
            rows = sorted((year_views[view.council.slug] for view in in_year if view.council.type == council_type), key=lambda row: row.council.name)
            if rows:
                groups.append({"key": council_type, "label": label, "rows": rows})
        yield page(
            f"years/{year}/index.md", "year.html", f"Figures for {year}",
            f"Complaint figures for England's councils in {year}, with the average for each type of council.",
            year=year, council_count=len(in_year), with_figures=with_figures, groups=groups,
            previous_year=years[index - 1] if index > 0 else None,
            next_year=years[index + 1] if index + 1 < len(years) else None,
            average_rows=[type_average_row(results, year, council_type) for council_type in COUNCIL_TYPES if (year, council_type) in results.averages],
        )
    yield page("years/index.md", "years_index.html", "Figures by year", "Complaint figures for England's councils, year by year.", years=year_entries)

    finder_entries = sorted(
        ({"slug": view.council.slug, "name": view.council.name, "type_label": view.type_label, "abolished": view.council.is_abolished} for view in council_views),
        key=lambda entry: (entry["name"].casefold(), entry["slug"]),
    )
    yield page(
        "index.md", "home.html", "Council complaint figures",
        "How England's councils handle complaints, as the Local Government and Social Care Ombudsman reports it each year.",
        councils=finder_entries, types=type_entries, years=years,
    )


def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return True


def write_pages(pages: Iterator[GeneratedPage], docs_dir: Path) -> dict[str, GeneratedPage]:
    """Write the pages under ``docs_dir`` and remove pages an earlier run wrote but this one did not."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, GeneratedPage] = {}
    for generated in pages:
        if generated.src_path in written:
            raise ValueError(f"two generated pages share the path {generated.src_path}")
        written[generated.src_path] = generated
        _write_if_changed(docs_dir / generated.src_path, generated.text())
    manifest = docs_dir / MANIFEST_NAME
    previous = manifest.read_text(encoding="utf-8").split("\n") if manifest.exists() else []
    for stale in sorted(set(filter(None, previous)) - set(written)):
        stale_path = docs_dir / stale
        if stale_path.is_file():
            stale_path.unlink()
            for parent in stale_path.parents:
                if parent == docs_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
    _write_if_changed(manifest, "\n".join(sorted(written)) + "\n")
    return written
