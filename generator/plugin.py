"""The perfsite MkDocs plugin: load the data, compute, write the pages, and hand MkDocs their HTML.

Hooks, in MkDocs' order:
- ``on_startup``, ``on_serve`` and ``on_shutdown``: under ``mkdocs serve``/``perfsite serve``,
  keep councils, letters, results and rendered pages between rebuilds (see :mod:`generator.reuse`),
  watch only the hand-written pages at the top of the docs folder, and the data folder through
  the system's file events;
- ``on_config``: resolve the plugin's paths (data folder: ``perfsite build --data``, else
  ``$PERFSITE_DATA``, else the ``data_dir`` option; boundary file) and watch the data folder;
- ``on_pre_build``: load and check the data, compute the figures, write the generated pages
  into ``docs_dir`` (only those that changed; generators also get the site's ``site_url`` and
  ``site_name`` among their options) and report averages that differ from published ones;
- ``on_pre_page``: generated pages already hold HTML, so they skip Markdown conversion;
- ``on_page_content``: tables on hand-written pages go into their own scrolling region;
- ``on_env`` and ``on_post_build``: no build date in the output unless ``SOURCE_DATE_EPOCH`` sets
  one, so two builds of the same data are byte-for-byte identical; time MkDocs' own work and
  report every phase's time (logged at INFO, and written as JSON to ``$PERFSITE_TIMINGS`` when set);
  under serve, after the first build, ``on_post_build`` starts making and writing the files that
  are not pages (downloads, embeds, badges, redirects, the feed) in the background, once MkDocs
  has written the pages; the next rebuild waits for them.
"""

from __future__ import annotations

import gc
import gzip
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date
from watchdog.events import EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, FileSystemEventHandler
from watchdog.observers import Observer

from .compute import Results, compute
from .loader import DataError, load_dataset
from .model import COUNCIL_TYPES, Dataset
from .letters import LetterRenderer, LetterStore
from .locks import FolderLock, LockTimeout
from . import pages as site_pages
from .pages import GeneratedPage, site_context, write_later, write_pages
from .tables import wrap_tables
from .parallel import Forked, can_fork
from .spill import Spill
from .timing import PhaseTimer
from .uncertainty import DEFAULT_MIN_CASES

log = logging.getLogger("mkdocs.plugins.perfsite")
# Letters converted by earlier builds, in the docs folder (MkDocs leaves out names starting with a dot).
LETTER_STORE_NAME = ".perfsite-letters.sqlite"
DATA_ENV = "PERFSITE_DATA"  # the data folder, in place of the data_dir option (set by ``perfsite serve --data``)
BOUNDARIES_ENV = "PERFSITE_BOUNDARIES"
MAP_PAGE = "map/index.md"
SECOND_PROCESS_WAIT = "wait for the second process"
LOCK_WAIT = 600.0  # seconds a rebuild waits for another build using the docs folder


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
    """A generated page whose body is HTML already: MkDocs' Markdown step is skipped.

    Its title, description and body come from the plugin's memory, not from re-reading the file
    just written and parsing its front matter again; the file stays for people to inspect.
    """

    generated: GeneratedPage | None = None

    def read_source(self, config) -> None:
        self.markdown = ""
        self.meta = {"title": self.generated.title, "description": self.generated.description}

    _unpacked: str | None = None
    _replaced: str | None = None

    @property
    def content(self) -> str | None:
        """The body, unpacked when asked for, so MkDocs need not hold every page's HTML at once.

        A plugin that hands back the same text (``on_page_content``) changes nothing; one that hands
        back other text replaces the body.
        """
        if self._replaced is not None:
            return self._replaced
        if self.generated is None:
            return None
        # Kept only until it is handed back (MkDocs reads it twice, then sets it) or the page is
        # written (on_post_page): MkDocs reads every page's body before it writes the first page,
        # and keeping them would hold every page's HTML at once.
        if self._unpacked is None:
            self._unpacked = self.generated.body
        return self._unpacked

    @content.setter
    def content(self, value: str | None) -> None:
        if value is None or value is not self._unpacked:
            self._replaced = value
        self._unpacked = None

    def render(self, config, files) -> None:
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


@dataclass
class ServeCache:
    """What ``perfsite serve`` / ``mkdocs serve`` keep from one rebuild to the next: councils by
    file, converted letters, rendered pages and the generated files as last written."""

    councils: dict = field(default_factory=dict)
    letters: dict = field(default_factory=dict)
    renders: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    # The generators that made no pages in the last build, with the files each made: a rebuild
    # runs them in the background once it has ended, so that an edit shows on its page sooner.
    later: dict[str, list[str]] = field(default_factory=dict)


DATA_CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED}


def request_rebuild(server) -> None:
    """Ask MkDocs' development server for a rebuild, as its own file watcher does."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


class PerfsitePlugin(BasePlugin[PerfsiteConfig]):
    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.results: Results | None = None
        self.generated: dict[str, GeneratedPage] = {}
        self.data_dir: Path | None = None
        self.data_dir_override: Path | None = None  # ``perfsite build --data``
        self.boundaries_override: Path | None = None  # ``perfsite build --boundaries``
        self.boundaries: Path | None = None
        self.config_dir: Path = Path(".").resolve()
        self.timer = PhaseTimer()
        self.serve_cache: ServeCache | None = None
        self._site = None  # under serve: the site the deferred generators make their files from
        self._later: list = []
        self._later_thread: threading.Thread | None = None
        self.data_observer: Observer | None = None
        self._lock: FolderLock | None = None

    def on_startup(self, command: str, dirty: bool) -> None:
        """Having this hook makes MkDocs keep one plugin for all of a serve's rebuilds."""
        self.serve_cache = ServeCache() if command == "serve" else None

    def on_serve(self, server, config, builder):
        """Watch only the top of the docs folder, where the hand-written pages are, and not the
        generated files there (the home page, the feed).

        The folders below hold the generated pages, which each rebuild writes itself: watching them
        made every rebuild start another, and polling thousands of files slowed each rebuild. For
        the same reason a change to a generated file at the top starts no rebuild.
        """
        docs_dir = str(Path(config.docs_dir).resolve())
        if docs_dir in server._watched_paths:
            server.unwatch(docs_dir)
            handler = FileSystemEventHandler()
            handler.on_any_event = lambda event: self._docs_changed(server, docs_dir, event)
            server.observer.schedule(handler, docs_dir, recursive=False)
        self._watch_data_natively(server, config)
        return server

    def _docs_changed(self, server, docs_dir: str, event) -> None:
        """Rebuild as MkDocs' own watcher would, unless the file is one the plugin writes."""
        if event.is_directory:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
        names = [os.path.relpath(path, docs_dir).replace(os.sep, "/") for path in paths]
        written = self.serve_cache.files if self.serve_cache else {}
        if all(name.startswith(".") or name in written for name in names):
            return
        request_rebuild(server)

    def _watch_data_natively(self, server, config) -> None:
        """Watch the data folder through the system's file events (inotify on Linux), not MkDocs'
        polling every half second, so that an edit starts its rebuild at once; where the system
        cannot, MkDocs polls it as before."""
        data_dir = str(self.data_dir)
        if data_dir not in config.watch:
            return
        handler = FileSystemEventHandler()
        # Reading a file is an event too (every rebuild reads the data): only changes count.
        handler.on_any_event = lambda event: request_rebuild(server) if not event.is_directory and event.event_type in DATA_CHANGES else None
        observer = Observer()
        try:
            observer.schedule(handler, data_dir, recursive=True)
            observer.start()
        except OSError as error:
            log.info(f"watching {data_dir} by polling it: {error}")
            return
        config.watch.remove(data_dir)
        self.data_observer = observer
        log.info(f"Watching the data folder {data_dir} for changes")

    def on_shutdown(self) -> None:
        self.finish_later()
        if self.data_observer is not None:
            self.data_observer.stop()
            self.data_observer = None

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        self.config_dir = base
        configured = self.data_dir_override or os.environ.get(DATA_ENV) or self.config.data_dir
        self.data_dir = (base / configured).resolve()
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

    def load(self) -> Dataset:
        """Load and check the data folder; raises :class:`~generator.loader.DataError`."""
        with self.timer.phase("load"):
            self.dataset = load_dataset(self.data_dir, cache=self.serve_cache.councils if self.serve_cache else None)
        return self.dataset

    def on_pre_build(self, config) -> None:
        self.finish_later()
        # Under ``perfsite build`` the lock is held already; under serve and ``mkdocs build`` it is taken here.
        self._lock = FolderLock.on(Path(config.docs_dir))
        try:
            self._lock.acquire(LOCK_WAIT, waiting=lambda: log.info(f"waiting for another build that is using {config.docs_dir} to end"))
        except LockTimeout as error:
            self._lock = None
            raise PluginError(f"{error} (expected one build of a project at a time)") from None
        if self.serve_cache or self.dataset is None or self.dataset.data_dir.resolve() != self.data_dir:
            try:
                self.load()
            except DataError as error:
                raise PluginError(str(error)) from None
        with self.timer.phase("compute"):
            # Under serve, what has not changed since the last rebuild is kept (see generator.reuse).
            previous = self.results if self.serve_cache else None
            self.results = compute(self.dataset, self.config.average_mode, self.config.min_cases, previous)
            report_discrepancies(self.results)
        options = {
            **dict(self.config),
            "site_url": config.site_url or "",
            "site_name": config.site_name,
            "boundaries": str(self.boundaries) if self.boundaries else None,
            "boundaries_shown": shown_path(self.boundaries, self.config_dir) if self.boundaries else None,
        }
        # Under serve, letters are kept in memory: writing the store would itself trigger a rebuild.
        store = None if self.serve_cache else LetterStore(Path(config.docs_dir) / LETTER_STORE_NAME)
        later = dict(self.serve_cache.later) if self.serve_cache else {}
        # A one-off build holds its pages in a temporary file until MkDocs writes them (see
        # generator.spill); serve keeps them in memory, to know a page it wrote last time.
        spill = None if self.serve_cache else Spill()
        with self.timer.phase("write"):
            written = write_pages(self._timed_pages(options, store, set(later)), Path(config.docs_dir), self.serve_cache.files if self.serve_cache else None,
                                  also_kept=[path for paths in later.values() for path in paths], spill=spill)
        self.timer.held_bytes += spill.size if spill else 0
        if store:
            store.save()
        self.generated = {path: output for path, output in written.items() if isinstance(output, GeneratedPage)}
        del written
        if not self.serve_cache:
            # MkDocs needs only the pages from here on: let the data, the figures and the views go
            # before it makes its own objects for every page, so that it reuses their memory.
            self.dataset = self.results = None
            gc.collect()
        self.timer.start("mkdocs.read")

    def _timed_pages(self, options: dict, store: LetterStore | None, later: set[str] = frozenset()):
        """Every generated page, the time of each generator counted under its own name.

        In a one-off build on a machine with two cores, the council pages are made here while a
        second process makes every other part of the site (see :mod:`generator.parallel`). The
        council pages stay here because their letters come from the letter store, whose database
        connection cannot be shared with a forked process. The pages come out in the same order
        either way.
        """
        letters = LetterRenderer(self.dataset.data_dir / "letters", store, self.serve_cache.letters if self.serve_cache else None,
                                 timed=lambda: self.timer.phase("letters"))
        with self.timer.phase("views"):
            site = site_context(self.results, options, letters, self.serve_cache.renders if self.serve_cache else None)
        generators = list(site_pages.PAGE_GENERATORS)  # looked up now, so a part added later is included
        here = [generator for generator in generators if generator is site_pages.council_pages]
        elsewhere = [generator for generator in generators if generator not in here]
        if self.serve_cache is not None or not here or not elsewhere or not can_fork():
            self._site, self._later = site, [generator for generator in generators if generator.__name__ in later]
            for generator in generators:
                if generator.__name__ not in later:
                    yield from self._recorded(generator, site)
            return
        # The second process holds what it makes in a temporary file this process reads, so that
        # only where each page is in it comes through the pipe.
        spill = Spill()
        second = Forked(lambda: self._generated_elsewhere(site, elsewhere, spill), shared=[spill])
        try:
            for generator in here:
                yield from self._recorded(generator, site)
        except BaseException:
            second.cancel()
            raise
        with self.timer.phase(SECOND_PROCESS_WAIT):
            succeeded, made = second.result()
        if succeeded:
            outputs, phases = made
            for name, seconds in phases.items():
                self.timer.add(name, seconds, parallel=True)
            self.timer.held_bytes += spill.size
            yield from outputs
            return
        for generator in elsewhere:  # it failed: the same work here raises the same error, with its traceback
            yield from self._recorded(generator, site)

    def _recorded(self, generator, site, timer: PhaseTimer | None = None):
        """What ``generator`` makes, timed; under serve, whether it made pages is remembered (see
        :attr:`ServeCache.later`)."""
        paths, made_pages = [], False
        for output in (timer or self.timer).timed(generator.__name__, generator(site)):
            paths.append(output.src_path)
            made_pages = made_pages or isinstance(output, GeneratedPage)
            yield output
        if self.serve_cache is not None:
            if made_pages:
                self.serve_cache.later.pop(generator.__name__, None)
            else:
                self.serve_cache.later[generator.__name__] = paths

    def _start_later(self, config) -> None:
        """Under serve, make and write in the background what the generators that made no pages
        last time make (downloads, embeds, badges, redirects, the feed).

        MkDocs' server shows no page of a rebuild until the build has ended: so the build ends once
        the pages are written, and these files follow a moment later. The next rebuild, or the
        end of the server, waits for them first.
        """
        site, generators = self._site, self._later
        self._site, self._later = None, []
        if generators:
            self._later_thread = threading.Thread(target=self._write_later, args=(site, generators, Path(config.docs_dir), Path(config.site_dir)),
                                                  name="perfsite: files after the pages", daemon=True)
            self._later_thread.start()

    def _write_later(self, site, generators, docs_dir: Path, site_dir: Path) -> None:
        timer = PhaseTimer()  # its own phases, reported on their own
        try:
            replaced = [path for generator in generators for path in self.serve_cache.later.get(generator.__name__, [])]
            outputs = [output for generator in generators for output in self._recorded(generator, site, timer)]
            with timer.phase("write"):
                write_later(outputs, docs_dir, site_dir, self.serve_cache.files, replaced)
            log.info("files written after the pages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timer.seconds.items()))
        except Exception as error:  # the build has ended: the server shows the error and goes on
            log.error(f"the files that follow the pages could not be made: {type(error).__name__}: {error}")

    def finish_later(self) -> None:
        """Wait for the files a serve rebuild writes after its pages (see :meth:`_start_later`)."""
        if self._later_thread is not None:
            self._later_thread.join()
            self._later_thread = None

    def _generated_elsewhere(self, site, generators, spill: Spill) -> tuple[list, dict[str, float]]:
        """What ``generators`` make, held in ``spill``, and the time each took, in the second process."""
        timer = PhaseTimer()
        outputs = [output.held_in(spill) for generator in generators for output in self._recorded(generator, site, timer)]
        spill.flush()
        return outputs, timer.seconds

    def on_pre_page(self, page: Page, config, files) -> Page:
        generated = self.generated.pop(page.file.src_uri, None)
        if generated is not None:
            page.__class__ = PrebuiltPage
            page.generated = generated
        return page

    def on_page_content(self, html: str, page: Page, config, files) -> str:
        if isinstance(page, PrebuiltPage):
            return html
        return wrap_tables(html)

    def on_post_page(self, output: str, page: Page, config) -> str:
        """Let go of a generated page's body once it is in the output: a large site need not hold every page."""
        if isinstance(page, PrebuiltPage):
            page.generated = page.content = None
        return output

    def on_env(self, env, config, files):
        self.timer.stop("mkdocs.read")
        self.timer.start("mkdocs.write")
        env.globals["lastmod_date"] = stated_build_date()
        return env

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def on_build_error(self, error) -> None:
        self._release_lock()

    def on_post_build(self, config) -> None:
        self._release_lock()
        self.timer.stop("mkdocs.write")
        if stated_build_date() is None:
            pin_sitemap_timestamp(Path(config.site_dir))
        self.timer.report(log)
        if self.serve_cache is not None:
            self._start_later(config)
        self.timer = PhaseTimer()
