"""Files for linking to and embedding a council's page, and the redirects that keep addresses stable.

- ``/<slug>/embed/``: a small self-contained card of the latest figures for an iframe: its own
  inline CSS, no script, no request to any other file, links that open the full page in the top window;
- ``/<slug>/badge.svg``: the upheld rate against the type average, with a text alternative;
- ``/code/<GSS code>/`` and, for each of a council's ``aliases``, ``/<alias>/`` (with its year
  pages and embed): static redirect pages (meta refresh, a link and a canonical link) that work
  on any static host.

These are files MkDocs copies as they are, not themed pages: they carry none of the site's chrome
and never appear in the navigation or the sitemap.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterator

from .model import COUNCIL_TYPE_PLURAL_IN_TEXT
from .pages import GeneratedFile, Output, SiteContext, figures_description, root_prefix
from .sharing import BADGE_HEIGHT, badge_view, embed_rows, site_root
from .views import CouncilView

log = logging.getLogger("mkdocs.plugins.perfsite")


def render(site: SiteContext, template: str, **context) -> str:
    return site.environment.get_template(f"standalone/{template}").render(**context)


def badge_svg(site: SiteContext, view: CouncilView) -> str:
    return render(site, "badge.svg", badge=badge_view(view, figures_description(view)), height=BADGE_HEIGHT)


def kept_file(site: SiteContext, src_path: str, basis: tuple, content: Callable[[], str]) -> GeneratedFile:
    """A file, kept across rebuilds under serve while ``basis`` and the templates are unchanged."""
    return site.kept(src_path, (site.templates_version, *basis), lambda: GeneratedFile(src_path, content()))


def embed_cards(site: SiteContext) -> Iterator[Output]:
    site_name = site.options.get("site_name", "")
    if not site.options.get("site_url"):
        log.info("embeds: no site_url, so the embed and badge snippets give addresses from the site's root; "
                 "set site_url in mkdocs.yml or pass --site-url to perfsite build to give the published address")
    for view in site.council_views:
        yield kept_file(site, f"{view.council.slug}/embed/index.html", (view, site_name), lambda: render(
            site, "embed.html", council=view.council, latest=view.latest, rows=embed_rows(view), page_href="../",
            type_plural=COUNCIL_TYPE_PLURAL_IN_TEXT[view.council.type], site_name=site_name,
        ))


def badges(site: SiteContext) -> Iterator[Output]:
    for view in site.council_views:
        yield kept_file(site, f"{view.council.slug}/badge.svg", (view,), lambda: badge_svg(site, view))


def redirect(site: SiteContext, src_path: str, target_path: str, target_name: str) -> GeneratedFile:
    """A page at ``src_path`` that sends the reader to ``target_path`` (both from the site's root)."""
    target = root_prefix(src_path) + target_path
    site_url = site.options.get("site_url") or ""
    return kept_file(site, src_path, (target_path, target_name, site_url), lambda: render(
        site, "redirect.html", title=f"{target_name}: this page has moved", target=target, target_name=target_name,
        canonical=site_root(site_url) + target_path if site_url else target,
    ))


def code_redirects(site: SiteContext) -> Iterator[Output]:
    """/code/<GSS code>/ leads to the council's page, whatever its slug becomes."""
    for view in site.council_views:
        council = view.council
        yield redirect(site, f"code/{council.code}/index.html", f"{council.slug}/", council.name)


def alias_redirects(site: SiteContext) -> Iterator[Output]:
    """A council's earlier slugs keep working: its page, its year pages, its embed and its badge."""
    for view in site.council_views:
        council = view.council
        for alias in council.aliases:
            yield redirect(site, f"{alias}/index.html", f"{council.slug}/", council.name)
            for year in council.sorted_years():
                yield redirect(site, f"{alias}/{year}/index.html", f"{council.slug}/{year}/", f"{council.name}: {year}")
            yield redirect(site, f"{alias}/embed/index.html", f"{council.slug}/embed/", council.name)
            yield kept_file(site, f"{alias}/badge.svg", (view,), lambda: badge_svg(site, view))
