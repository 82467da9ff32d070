"""Lighthouse performance and accessibility scores for the home, council and map pages.

Not part of the test suite or CI: run it by hand from the repository root,

    .venv/bin/python bench/lighthouse.py [--runs 3]

It installs lighthouse@12.2.3 with npm into bench/node_modules (once), builds the shipped site with
the real ``perfsite build`` into bench/out/lighthouse-site, serves it from 127.0.0.1, runs Lighthouse
with Debian's Chromium (CHROME_PATH=/usr/bin/chromium) with its mobile settings (the default) and
its desktop preset, prints the scores and writes them to bench/LIGHTHOUSE.md. Performance is the
median of the runs; the full reports are kept in bench/out/lighthouse/.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import io
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = [("home", ""), ("council", "redditch/"), ("map", "map/")]
PRESETS = [("mobile", []), ("desktop", ["--preset=desktop"])]
TARGETS = {"performance": 0.95, "accessibility": 1.00}
TIMINGS = {
    "FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time", "CLS": "cumulative-layout-shift",
}
OUT = BENCH / "out" / "lighthouse"
SITE = BENCH / "out" / "lighthouse-site"
RESULTS = BENCH / "LIGHTHOUSE.md"
SHARED_BOUNDARIES = REPO.parent / "shared" / "reference" / "boundaries" / "onsvisual-uk-topojson" / "topo.json"


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        installed = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
        if installed == LIGHTHOUSE_VERSION:
            return
    subprocess.run(
        ["npm", "install", "--prefix", str(BENCH), "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
         "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )


def build_site(boundaries: Path) -> None:
    perfsite = Path(sys.executable).with_name("perfsite")
    command = [str(perfsite)] if perfsite.exists() else [sys.executable, "-m", "generator.cli"]
    subprocess.run([*command, "build", "--out", str(SITE), "--boundaries", str(boundaries)], cwd=REPO, check=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site gzipped where the browser accepts it, as static hosts (GitHub Pages among
    them) do; the map page is 5 times smaller compressed."""

    COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")

    def log_message(self, format, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # its redirect to the address with a slash
        if path.is_dir():
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or not content_type.startswith(self.COMPRESSED_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_lighthouse(url: str, report: Path, preset_args: list[str]) -> dict:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance,accessibility",
         "--output=json", f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}", *preset_args],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def failing_audits(result: dict, category: str) -> list[str]:
    audits = result["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']})"
        for ref in result["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def chromium_version() -> str:
    output = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return output.strip().splitlines()[-1] if output.strip() else "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset (default 3)")
    parser.add_argument("--boundaries", type=Path, default=Path(os.environ.get("PERFSITE_BOUNDARIES", SHARED_BOUNDARIES)),
                        help="the map's boundary file (default: $PERFSITE_BOUNDARIES, else the shared reference copy)")
    args = parser.parse_args()

    install_lighthouse()
    build_site(args.boundaries)
    OUT.mkdir(parents=True, exist_ok=True)
    server = serve(SITE)
    base = f"http://127.0.0.1:{server.server_port}/"
    rows, notes = [], []
    try:
        for name, path in PAGES:
            if not (SITE / path / "index.html").is_file():
                notes.append(f"The {name} page (/{path}) is not in this build, so it was not measured.")
                print(f"{name}: /{path} is not in this build; skipped")
                continue
            for preset, preset_args in PRESETS:
                results = [run_lighthouse(base + path, OUT / f"{name}-{preset}-{run}.json", preset_args) for run in range(args.runs)]
                performance = statistics.median(result["categories"]["performance"]["score"] for result in results)
                accessibility = min(result["categories"]["accessibility"]["score"] for result in results)
                misses = sorted({audit for result in results for audit in failing_audits(result, "accessibility")})
                median_run = min(results, key=lambda result: abs(result["categories"]["performance"]["score"] - performance))
                timings = [median_run["audits"][audit]["displayValue"] for audit in TIMINGS.values()]
                rows.append((name, f"/{path}", preset, performance, accessibility, timings, misses))
                print(f"{name} {preset}: performance {performance:.2f}, accessibility {accessibility:.2f}; "
                      + ", ".join(f"{label} {value}" for label, value in zip(TIMINGS, timings)))
    finally:
        server.shutdown()

    write_results(rows, notes, args.runs)
    print(f"written to {RESULTS.relative_to(REPO)}")
    return 0 if all(row[3] >= TARGETS["performance"] and row[4] >= TARGETS["accessibility"] for row in rows) else 1


def write_results(rows: list[tuple], notes: list[str], runs: int) -> None:
    lines = [
        "# Lighthouse scores",
        "",
        "Written by `bench/lighthouse.py` (run it from the repository root with `.venv/bin/python bench/lighthouse.py`);",
        "not part of CI. Targets: accessibility 1.00 and performance at least 0.95 on each page.",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- Lighthouse {LIGHTHOUSE_VERSION}, {chromium_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        f"- performance: median of {runs} runs; accessibility: lowest of {runs} runs",
        "- mobile: Lighthouse's default (emulated phone, simulated slow 4G and 4x slower CPU); desktop: `--preset=desktop`",
        "- the site is served from 127.0.0.1 by Python's http.server, gzipped as static hosts serve it (no caching headers)",
        "- FCP, LCP: first and largest contentful paint; TBT: total blocking time; CLS: cumulative layout shift (from the median run)",
        "",
        f"| page | address | settings | performance | accessibility | {' | '.join(TIMINGS)} | accessibility audits not passed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, address, preset, performance, accessibility, timings, misses in rows:
        lines.append(
            f"| {name} | `{address}` | {preset} | {performance:.2f} | {accessibility:.2f} | {' | '.join(timings)} | {', '.join(misses) or 'none'} |"
        )
    lines += ["", *notes]
    RESULTS.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
