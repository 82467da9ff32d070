"""How heavy a year's map page is: raw and gzipped bytes of each map page, and of what it loads.

Builds the shipped data with the boundary file given (default: $PERFSITE_BOUNDARIES, else the
shared reference copy beside this repository) into a temporary folder, then prints, for each map
page, its HTML (which embeds the year's features) and the same plus every file the page loads from
the site (Leaflet, the map's script and styles, the theme's). The target (issue 19) is a year's map page with
everything it loads, Leaflet included, at most 150 KB gzipped.

    .venv/bin/python bench/map_size.py [--boundaries PATH] [--level 6]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build_site  # noqa: E402

TARGET_BYTES = 150 * 1024
SHARED = REPO.parent / "shared" / "reference" / "boundaries" / "onsvisual-uk-topojson" / "topo.json"


def gzipped(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def loaded_files(page: Path, site: Path) -> list[Path]:
    """The site's own files a page loads by <script src> and <link rel=stylesheet>, and those its
    map script loads once the map is in view (Leaflet and the shared outlines, named in its config)."""
    html = page.read_text(encoding="utf-8")
    references = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    if match := re.search(r'<script type="application/json" id="perfsite-map-config">(.*?)</script>', html, re.S):
        config = json.loads(match.group(1))
        references += [config["leaflet"], config["areas"]]
    return sorted({(page.parent / reference).resolve() for reference in references})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", type=Path, default=Path(os.environ.get("PERFSITE_BOUNDARIES", SHARED)))
    parser.add_argument("--level", type=int, default=6, help="gzip level (default 6, a common server setting)")
    args = parser.parse_args()
    if not args.boundaries.is_file():
        print(f"no boundary file at {args.boundaries} (give --boundaries or set PERFSITE_BOUNDARIES)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(REPO / "mkdocs.yml", out_dir=Path(folder) / "site", boundaries=args.boundaries)
        print(f"gzip level {args.level}; KB = 1,024 bytes; target: page with its data under {TARGET_BYTES // 1024} KB gzipped")
        print(f"{'page':<18} {'html raw':>10} {'html gz':>9} {'+ loads raw':>12} {'+ loads gz':>11}  files loaded")
        worst = 0
        for page in sorted((site / "map").glob("**/index.html")):
            html = page.read_bytes()
            loads = loaded_files(page, site)
            raw_total = len(html) + sum(path.stat().st_size for path in loads)
            gz_html = gzipped(html, args.level)
            gz_total = gz_html + sum(gzipped(path.read_bytes(), args.level) for path in loads)
            worst = max(worst, gz_total)
            name = "/" + page.parent.relative_to(site).as_posix() + "/"
            print(f"{name:<18} {len(html) / 1024:>9.0f}K {gz_html / 1024:>8.0f}K {raw_total / 1024:>11.0f}K {gz_total / 1024:>10.0f}K  {len(loads)}")
        print(f"heaviest page with everything it loads: {worst / 1024:.0f} KB gzipped "
              f"({'within' if worst <= TARGET_BYTES else 'OVER'} the {TARGET_BYTES // 1024} KB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
