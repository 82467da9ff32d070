"""The ``perfsite`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .build import BuildFailed, build_site
from .importer import ReleaseError, import_release, report_text
from .loader import DataError, load_dataset


def _build(args: argparse.Namespace) -> int:
    try:
        out = build_site(args.config, data_dir=args.data, out_dir=args.out, strict=args.strict, site_url=args.site_url)
    except DataError as error:
        print(f"perfsite: the data has problems; nothing was built.\n{error}", file=sys.stderr)
        return 1
    except BuildFailed as error:
        print(f"perfsite: the build failed; the previous site is unchanged.\n{error}", file=sys.stderr)
        return 1
    print(f"perfsite: built the site in {out}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.data)
    except DataError as error:
        print(f"perfsite: the data has problems.\n{error}", file=sys.stderr)
        return 1
    years = sum(len(council.years) for council in dataset.councils)
    print(f"perfsite: {args.data} is valid: {len(dataset.councils)} councils, {years} council-years")
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        report = import_release(args.file, args.year, args.data, dry_run=args.dry_run)
    except ReleaseError as error:
        print(f"perfsite: the release cannot be imported; nothing was written.\n{error}", file=sys.stderr)
        return 1
    print(report_text(report, args.dry_run), end="")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="perfsite", description="Build the council complaint-figures site.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="generate the pages and build the site")
    build.add_argument("--config", "-f", default="mkdocs.yml", type=Path, help="MkDocs configuration (default: mkdocs.yml)")
    build.add_argument("--data", type=Path, help="data folder (default: the plugin's data_dir, 'data')")
    build.add_argument("--out", type=Path, help="output folder (default: the configuration's site_dir, 'site')")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-url", help="the address the site is published at (default: the configuration's site_url)")
    build.add_argument("--verbose", "-v", action="store_true", help="also show informative messages")
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check the data folder and build nothing")
    validate.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    validate.set_defaults(run=_validate)

    release = commands.add_parser("import", help="write a year's figures from a release spreadsheet into the data")
    release.add_argument("file", type=Path, help="the release: a .csv or .xlsx file with one row per council")
    release.add_argument("--year", required=True, help="the financial year the figures are for, e.g. 2025-26")
    release.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    release.add_argument("--dry-run", action="store_true", help="show what would change and write nothing")
    release.set_defaults(run=_import)
    return main


def _log_to_stderr(verbose: bool) -> None:
    """Show MkDocs' and perfsite's messages as MkDocs' own command does: "WARNING - ..."."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _log_to_stderr(getattr(args, "verbose", False))
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
