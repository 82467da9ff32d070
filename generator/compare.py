"""/compare/: up to five chosen councils side by side for one year.

The page is built in the browser from each council's ``data.json`` by ``theme/assets/perfsite.js``;
without JavaScript it says so and links to the type and year tables, which hold the same figures.
"""

from __future__ import annotations

from typing import Iterator

from .pages import Output, SiteContext

MAX_COMPARED = 5


def compare_page(site: SiteContext) -> Iterator[Output]:
    councils = sorted(({"slug": view.council.slug, "name": view.council.name, "type_label": view.type_label}
                       for view in site.council_views), key=lambda entry: entry["name"].casefold())
    yield site.page(
        "compare/index.md", "compare.html", "Compare councils",
        "Up to five councils' complaint figures side by side for one year.",
        councils=councils, years=list(reversed(site.years)), slots=list(range(1, MAX_COMPARED + 1)),
    )
