"""The perfsite MkDocs plugin: load the data, compute, write the pages, and hand MkDocs their HTML.

Hooks, in MkDocs' order:
- ``on_config``: resolve the plugin's paths (data folder, boundary file) and watch the data folder
  under ``mkdocs serve``;
- ``on_pre_build``: load and check the data, compute the figures, write the generated pages
  into ``docs_dir`` (only those that changed; generators also get the site's ``site_url`` and
  ``site_name`` among their options) and report averages that differ from published ones;
- ``on_pre_page``: generated pages already hold HTML, so they skip Markdown conversion;
- ``on_page_content``: tables on hand-written pages go into their own scrolling region;
- ``on_env`` and ``on_post_build``: no build date in the output unless ``SOURCE_DATE_EPOCH`` sets
  one, so two builds of the same data are byte-for-byte identical.
"""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date

from .compute import Results, compute
from .loader import DataError, load_dataset
from .model import COUNCIL_TYPES, Dataset
from .pages import GeneratedPage, build_pages, write_pages
from .uncertainty import DEFAULT_MIN_CASES
from .tables import wrap_tables

log = logging.getLogger("mkdocs.plugins.perfsite")


BOUNDARIES_ENV = "PERFSITE_BOUNDARIES"
MAP_PAGE = "map/index.md"


class WholeNumber(config_options.Type):
    """A whole number, 0 or more (``true`` and ``false`` are not numbers here)."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 0:
            raise config_options.ValidationError(f"expected a whole number, 0 or more, not {value!r}")
        return value


class PerfsiteConfig(Config):
    data_dir = config_options.Type(str, default="data")
    average_mode = config_options.Choice(("mean", "pooled"), default="mean")
    # A figure resting on fewer cases than this is "too few cases to compare" with its average.
    min_cases = WholeNumber(default=DEFAULT_MIN_CASES)
    # Trend charts on council pages and funnel plots; false builds the site without them.
    charts = config_options.Type(bool, default=True)
    # false builds the site without a map or boundary file: /map/ only says so, and the nav leaves it out.
    map = config_options.Type(bool, default=True)
    # The ONS TopoJSON boundary file, relative to mkdocs.yml (`perfsite boundaries fetch` puts it there).
    boundaries = config_options.Type(str, default="boundaries/topo.json")
    # An optional tile layer under the map: a URL template and its attribution (both or neither).
    tiles = config_options.Optional(config_options.Type(str))
    tiles_attribution = config_options.Optional(config_options.Type(str))


def resolve_boundaries(config_dir: Path, configured: str, override: Path | str | None = None) -> Path:
    """Where the boundary file is: ``override`` (``--boundaries``), else $PERFSITE_BOUNDARIES, else the option."""
    if override:
        return Path(override).resolve()
    if os.environ.get(BOUNDARIES_ENV):
        return Path(os.environ[BOUNDARIES_ENV]).resolve()
    return (config_dir / configured).resolve()


def without_page(nav: list, src_path: str) -> list:
    """The nav with every entry for ``src_path`` removed, at any depth."""
    kept = []
    for item in nav:
        target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if target == src_path:
            continue
        if isinstance(target, list):
            item = {next(iter(item)): without_page(target, src_path)}
        kept.append(item)
    return kept


def shown_path(path: Path, base: Path) -> str:
    """A path as the published pages may show it: relative to the configuration, never the build machine's."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


class PrebuiltPage(Page):
    """A generated page whose body is HTML already: MkDocs' Markdown step is skipped."""

    def render(self, config, files) -> None:
        self.content = self.markdown
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def report_discrepancies(results: Results) -> None:
    """Say where the computed averages, rounded, differ from the ombudsman's published ones.

    Where every council of the type has the counts, a difference is a warning (an error under
    ``--strict``); where some councils' figures are missing, the comparison is only informative.
    """
    for average in results.discrepancies():
        where = f"{average.year} {COUNCIL_TYPES[average.council_type].lower()}: {average.statistic.label.lower()}"
        figures = f"computed {average.computed_text} ({results.average_mode}), published {average.shown_text}"
        if average.complete:
            log.warning(f"average differs from the published one: {where}: {figures}")
        else:
            log.info(
                f"average differs from the published one: {where}: {figures}; "
                f"only {average.councils_with_counts} of {average.councils_in_year} councils have the counts"
            )


def stated_build_date() -> str | None:
    """The build date as ``SOURCE_DATE_EPOCH`` gives it (YYYY-MM-DD), or None when it is not set."""
    return get_build_date() if os.environ.get("SOURCE_DATE_EPOCH") else None


def pin_sitemap_timestamp(site_dir: Path) -> None:
    """Rewrite MkDocs' sitemap.xml.gz with no timestamp in its header.

    MkDocs stamps the file with the day of the build; without ``SOURCE_DATE_EPOCH`` that would
    make every day's build differ.
    """
    sitemap = site_dir / "sitemap.xml"
    compressed = site_dir / "sitemap.xml.gz"
    if not sitemap.is_file() or not compressed.is_file():
        return
    with compressed.open("wb") as handle, gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=handle, mtime=0) as writer:
        writer.write(sitemap.read_bytes())


class PerfsitePlugin(BasePlugin[PerfsiteConfig]):
    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.results: Results | None = None
        self.generated: set[str] = set()
        self.data_dir: Path | None = None
        self.boundaries_override: Path | None = None
        self.boundaries: Path | None = None
        self.config_dir: Path = Path(".").resolve()

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        self.config_dir = base
        self.data_dir = (base / self.config.data_dir).resolve()
        self.boundaries = resolve_boundaries(base, self.config.boundaries, self.boundaries_override)
        if bool(self.config.tiles) != bool(self.config.tiles_attribution):
            raise PluginError(
                f"{config.config_file_path}: plugins.perfsite: tiles and tiles_attribution go together "
                "(expected both, or neither for a map without tiles)"
            )
        if not self.config.map and config.nav:
            config.nav = without_page(config.nav, MAP_PAGE)
        if self.data_dir.is_dir() and str(self.data_dir) not in config.watch:
            config.watch.append(str(self.data_dir))
        return config

    def on_pre_build(self, config) -> None:
        if self.dataset is None or self.dataset.data_dir.resolve() != self.data_dir:
            try:
                self.dataset = load_dataset(self.data_dir)
            except DataError as error:
                raise PluginError(str(error)) from None
        self.results = compute(self.dataset, self.config.average_mode, self.config.min_cases)
        report_discrepancies(self.results)
        options = {
            **dict(self.config),
            "site_url": config.site_url or "",
            "site_name": config.site_name,
            "boundaries": str(self.boundaries) if self.boundaries else None,
            "boundaries_shown": shown_path(self.boundaries, self.config_dir) if self.boundaries else None,
        }
        written = write_pages(build_pages(self.results, options), Path(config.docs_dir))
        self.generated = {path for path, output in written.items() if isinstance(output, GeneratedPage)}

    def on_env(self, env, config, files):
        env.globals["lastmod_date"] = stated_build_date()
        return env

    def on_post_build(self, config) -> None:
        if stated_build_date() is None:
            pin_sitemap_timestamp(Path(config.site_dir))

    def on_pre_page(self, page: Page, config, files) -> Page:
        if page.file.src_uri in self.generated:
            page.__class__ = PrebuiltPage
        return page

    def on_page_content(self, html: str, page: Page, config, files) -> str:
        if page.file.src_uri in self.generated:
            return html
        return wrap_tables(html)
