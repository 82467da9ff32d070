"""``perfsite build``: generate the pages and build the site into a folder that is replaced whole.

MkDocs builds into a fresh folder beside the output; only when everything has succeeded does that
folder take the output's place, so a failed build leaves the previous site exactly as it was, and
the previous site is deleted before the command ends.

Only a folder that is empty or that perfsite built (it holds :data:`SITE_MARKER`) is ever replaced,
and never one that holds the data, the docs folder, the theme or the configuration. The docs
folder is locked for the whole build (:mod:`generator.locks`), so a second build of the same
project waits for the first; the temporary folders of a build that was killed are removed by the
next build.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from .letters import LetterError
from .locks import FolderLock, LockTimeout, hold_folder, is_abandoned

# In every site perfsite builds: what lets a later build replace the folder.
SITE_MARKER = ".perfsite-site"
SITE_MARKER_TEXT = "This folder was built by perfsite. `perfsite build` replaces it whole: keep nothing else in it.\n"
LOCK_WAIT_ENV = "PERFSITE_LOCK_WAIT"  # how long a build waits for another one using its docs folder
DEFAULT_LOCK_WAIT = 1800.0


class BuildFailed(Exception):
    """The build stopped; the message says why and the previous output is untouched."""


def _perfsite_plugin(config):
    plugin = config.plugins.get("perfsite")
    if plugin is None:
        raise BuildFailed(f"{config.config_file_path}: plugins: the perfsite plugin is not listed (expected '- perfsite' under plugins:)")
    return plugin


def build_site(
    config_file: Path | str = "mkdocs.yml",
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    strict: bool = False,
    boundaries: Path | str | None = None,
    site_url: str | None = None,
) -> Path:
    """Load, compute, write the pages and build; returns the output folder.

    ``site_url`` replaces the configuration's published address (canonical links, the sitemap,
    Open Graph, absolute addresses in the downloads, the feed and the embed snippets).

    Raises :class:`~generator.loader.DataError` for bad data and :class:`BuildFailed` for any
    other failure; in both cases nothing in ``out_dir`` has changed.
    """
    config_file = Path(config_file).resolve()
    if not config_file.is_file():
        raise BuildFailed(f"{config_file}: no such configuration file (expected mkdocs.yml)")
    overrides = {"site_url": site_url} if site_url is not None else {}
    config = load_config(str(config_file), strict=strict, **overrides)
    plugin = _perfsite_plugin(config)
    if data_dir is not None:
        plugin.data_dir_override = Path(data_dir).resolve()
    if boundaries is not None:
        plugin.boundaries_override = Path(boundaries).resolve()
    try:
        plugin.on_config(config)
    except MkDocsException as error:
        raise BuildFailed(str(error)) from None

    out = Path(out_dir).resolve() if out_dir is not None else Path(config.site_dir).resolve()
    check_output_folder(out, {
        "the data folder": plugin.data_dir,
        "the docs folder": Path(config.docs_dir).resolve(),
        "the configuration": config_file,
        **({"the theme": Path(config.theme.custom_dir).resolve()} if config.theme.custom_dir else {}),
    })
    lock = FolderLock.on(Path(config.docs_dir))
    try:
        lock.acquire(_lock_wait(), waiting=lambda: print(
            f"perfsite: waiting for another build that is using {config.docs_dir} to end", file=sys.stderr, flush=True))
    except LockTimeout as error:
        raise BuildFailed(f"{error}; it may have stopped responding (expected one build of a project at a time)") from None
    except OSError as error:
        raise BuildFailed(f"{config.docs_dir}: cannot be locked for the build ({error.strerror})") from None
    try:
        plugin.load()
        remove_abandoned(out)
        staging, held = _make_staging(out)
        config.site_dir = str(staging)
        try:
            mkdocs_build(config)
            (staging / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            os.close(held)
            if isinstance(error, (Abort, MkDocsException)):
                raise BuildFailed(str(error) or "MkDocs stopped the build") from None
            if isinstance(error, OSError) and error.strerror:
                raise BuildFailed(f"{error.filename or staging}: cannot be read or written ({error.strerror})") from None
            if isinstance(error, Exception):
                raise BuildFailed(_describe(error)) from error
            raise
        try:
            _replace_dir(staging, out)
        finally:
            os.close(held)
    finally:
        lock.release()
    return out


def _lock_wait() -> float:
    try:
        return float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT))
    except ValueError:
        raise BuildFailed(f"${LOCK_WAIT_ENV}: {os.environ[LOCK_WAIT_ENV]!r} is not a number (expected seconds to wait)") from None


def is_perfsite_site(folder: Path) -> bool:
    """Whether ``folder`` is a site perfsite built: it has the marker, or (built before there was
    one) a home page and perfsite's schema."""
    return (folder / SITE_MARKER).is_file() or ((folder / "index.html").is_file() and (folder / "schema" / "council-v1.json").is_file())


def check_output_folder(out: Path, protected: dict[str, Path]) -> None:
    """Refuse an output folder that replacing would lose files in: one that is not empty and not a
    site perfsite built, and one that holds, is or is inside any of ``protected`` (what -> path)."""
    for what, path in protected.items():
        if path == out or path.is_relative_to(out):
            raise BuildFailed(f"{out}: holds {what} ({path}), which replacing it would delete "
                              "(expected an output folder of its own, such as site/)")
        if out.is_relative_to(path) and path.is_dir():
            raise BuildFailed(f"{out}: is inside {what} ({path}) (expected an output folder outside it, such as site/)")
    if os.path.lexists(out) and not out.is_dir():
        raise BuildFailed(f"{out}: is not a folder (expected a folder for the site, or a name that does not exist yet)")
    if out.is_dir() and any(out.iterdir()) and not is_perfsite_site(out):
        raise BuildFailed(f"{out}: is not empty and is not a site perfsite built, so it is left alone "
                          f"(expected an empty folder, a new name, or a folder an earlier build made, which holds {SITE_MARKER})")


def remove_abandoned(out: Path) -> None:
    """Remove the temporary folders that killed builds into ``out`` left beside it; those of builds
    still running are held (:func:`generator.locks.hold_folder`) and stay."""
    if not out.parent.is_dir():
        return
    for prefix in (f".{out.name}-building-", f".{out.name}-old-"):
        for folder in out.parent.glob(f"{prefix}*"):
            if folder.is_dir() and not folder.is_symlink() and is_abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)


def _make_staging(out: Path) -> tuple[Path, int]:
    """A new folder beside ``out`` for MkDocs to build into, held by this process."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    except OSError as error:
        raise BuildFailed(f"{out.parent}: cannot make the site's folder there ({error.strerror}) "
                          "(expected a folder perfsite may write in)") from None
    return staging, hold_folder(staging)


def _describe(error: Exception) -> str:
    """An unexpected error in one line, with the template file and line when a template raised it."""
    if isinstance(error, LetterError):
        return str(error)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}: template error: {error.message}"
    if isinstance(error, jinja2.TemplateError):
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith((".html", ".xml"))]
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
        return f"{where}template error: {error}"
    return f"{type(error).__name__}: {error}"


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, with the old content gone only once the new is in place.

    If the new folder cannot be moved in, the old one is put back and ``new`` removed.
    """
    os.chmod(new, 0o755)
    if not target.exists():
        try:
            os.replace(new, target)
        except OSError as error:
            shutil.rmtree(new, ignore_errors=True)
            raise BuildFailed(f"{target}: cannot be written ({error.strerror})") from None
        return
    retired_root = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    held = hold_folder(retired_root)
    try:
        _swap(new, target, retired_root)
    finally:
        os.close(held)


def _swap(new: Path, target: Path, retired_root: Path) -> None:
    retired = retired_root / target.name
    try:
        os.replace(target, retired)
    except OSError as error:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(retired_root, ignore_errors=True)
        raise BuildFailed(f"{target}: cannot be replaced ({error.strerror}); the previous site is unchanged") from None
    try:
        os.replace(new, target)
    except OSError as error:
        shutil.rmtree(new, ignore_errors=True)
        try:
            os.replace(retired, target)
        except OSError:
            raise BuildFailed(f"{target}: cannot be replaced ({error.strerror}); the previous site is in {retired}") from None
        shutil.rmtree(retired_root, ignore_errors=True)
        raise BuildFailed(f"{target}: cannot be replaced ({error.strerror}); the previous site is unchanged") from None
    # The new site is in place; a build killed while this runs leaves the rest to the next build.
    shutil.rmtree(retired_root, ignore_errors=True)
