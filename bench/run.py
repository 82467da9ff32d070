"""Benchmark perfsite on synthetic data against plain MkDocs and a plain Jinja2 floor.

    .venv/bin/python bench/run.py [--councils 400] [--years 10] [--repeat 3] [--no-serve]

Generates the data (bench/synthetic.py) under --work, runs the real ``perfsite build`` on it in a
subprocess (cold: no generated pages yet; then warm: a rebuild with nothing changed), reads the
build's phase times from $PERFSITE_TIMINGS, measures the output, builds the two baselines
(bench/baselines.py), optionally measures how soon ``perfsite serve`` shows an edit, prints a
report and writes it into bench/RESULTS.md (one section per size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import yaml  # noqa: E402

import baselines  # noqa: E402
import synthetic  # noqa: E402
from generator.compute import compute  # noqa: E402
from generator.loader import load_dataset  # noqa: E402
from generator.pages import site_context  # noqa: E402

# How the plugin's phases add up to the phases the report shows.
PHASE_GROUPS = {
    "load and validate": ("load",),
    "compute": ("compute",),
    "generate pages": ("views", "letters", "council_pages", "type_pages", "year_pages", "home_page", "write"),
    "MkDocs": ("mkdocs.read", "mkdocs.write"),
}
MAP_PHASE = re.compile(r"map", re.I)
CHART_PHASE = re.compile(r"chart|funnel", re.I)
SECOND_PROCESS = "in a second process, alongside"


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system
    user_seconds: float  # the steadiest figure when other work shares the machine and its disk
    max_rss_mib: float  # of the largest single process
    peak_pss_mib: float  # of all the command's processes together, sampled every 50 ms (0 where /proc cannot tell)
    returncode: int
    output: str


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                queue += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


def tree_pss_kib(pid: int) -> int:
    """The proportional set size of ``pid`` and its descendants: memory they share counted once."""
    total = 0
    for process in descendants(pid):
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def timed_run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end; its wall time, CPU time, peak RSS and peak PSS.

    The RSS comes from /usr/bin/time where it exists: a child's own ``wait4`` figure also counts
    the pages it shared with this (large) process before ``exec``. It is the largest single
    process's; a build that forks a second process is measured by the PSS of all its processes,
    sampled while it runs.
    """
    os.sync()  # write out what earlier runs left in memory, so it is not written during this one
    with tempfile.TemporaryDirectory() as scratch:
        rss_file = Path(scratch) / "rss"
        wrapper = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
        with (Path(scratch) / "output").open("w+") as output:
            start = time.perf_counter()
            process = subprocess.Popen([*wrapper, *command], cwd=cwd, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT, text=True)
            peak_pss = 0
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                peak_pss = max(peak_pss, tree_pss_kib(process.pid))
                time.sleep(0.05)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            output.seek(0)
            text = output.read()
        if wrapper and rss_file.exists():
            rss_kib, user, system = rss_file.read_text().split("\n")[-2].split()
            return Run(seconds, float(user) + float(system), float(user), int(rss_kib) / 1024, peak_pss / 1024, process.returncode, text)
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_maxrss / 1024, peak_pss / 1024, process.returncode, text)


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.output[-4000:]}")
    return run


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {memory_kib / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}"


def prepare_data(work: Path, councils: int, years: int, seed: int) -> tuple[Path, Path]:
    stamp = work / "dataset.json"
    wanted = {"councils": councils, "years": years, "seed": seed, "generator": (BENCH / "synthetic.py").stat().st_mtime_ns}
    data, boundaries = work / "data", work / "boundaries.topojson"
    if not (stamp.exists() and json.loads(stamp.read_text()) == wanted and data.is_dir()):
        shutil.rmtree(data, ignore_errors=True)
        synthetic.make_dataset(work, councils, years, seed)
        stamp.write_text(json.dumps(wanted))
    return data, boundaries


def make_project(root: Path, data: Path) -> Path:
    """The repository's mkdocs.yml and hand-written pages under ``root``, reading ``data``."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "theme")
    config["docs_dir"], config["site_dir"] = "site_src", "site"
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "perfsite" in entry:
            entry["perfsite"] = {**(entry["perfsite"] or {}), "data_dir": str(data)}
    shutil.rmtree(root / "site_src", ignore_errors=True)
    (root / "site_src").mkdir(parents=True)
    for name in baselines.HAND_WRITTEN:
        shutil.copy(REPO / "site_src" / name, root / "site_src" / name)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def perfsite_build(config_file: Path, boundaries: Path, cold: bool) -> tuple[Run, dict]:
    """One ``perfsite build``: cold starts with no generated pages, caches or previous output (as
    the baselines do); warm is a rebuild over everything the last build left."""
    root = config_file.parent
    if cold:
        for child in (root / "site_src").iterdir():
            if child.name not in baselines.HAND_WRITTEN:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.rmtree(root / "site", ignore_errors=True)
    wait_for_old_sites(root)
    timings = root / "timings.json"
    timings.unlink(missing_ok=True)
    run = checked(timed_run(
        [sys.executable, "-m", "generator.cli", "build", "--config", str(config_file), "--out", str(root / "site")],
        cwd=root, env={"PERFSITE_TIMINGS": str(timings), "PERFSITE_BOUNDARIES": str(boundaries)},
    ), "perfsite build")
    return run, json.loads(timings.read_text()) if timings.exists() else {"phases": {}}


def wait_for_old_sites(root: Path) -> None:
    """Let the previous build's background deletion of the old site finish before timing another."""
    while any(root.glob(".site-old-*")):
        time.sleep(0.2)


def grouped_phases(timings: dict) -> dict[str, float]:
    """The phases as the report groups them; what ran in the second process is its own group."""
    parallel = set(timings.get("parallel", ()))
    phases = {name: seconds for name, seconds in timings["phases"].items() if name not in parallel}
    groups = {name: sum(phases.get(key, 0.0) for key in keys) for name, keys in PHASE_GROUPS.items()}
    known = {key for keys in PHASE_GROUPS.values() for key in keys}
    groups["map"] = sum(seconds for key, seconds in phases.items() if key not in known and MAP_PHASE.search(key))
    groups["charts"] = sum(seconds for key, seconds in phases.items() if key not in known and CHART_PHASE.search(key))
    other = [key for key in phases if key not in known and not MAP_PHASE.search(key) and not CHART_PHASE.search(key)]
    groups["generate pages"] += sum(phases[key] for key in other)
    groups[SECOND_PROCESS] = sum(timings["phases"][name] for name in parallel)
    return groups


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def output_figures(site: Path, docs_dir: Path, slugs: list[str]) -> dict:
    html_pages = [path for path in site.rglob("*.html") if path.name != "404.html"]
    council_sizes = sorted((site / slug / "index.html").stat().st_size for slug in slugs if (site / slug / "index.html").exists())
    median_size = council_sizes[len(council_sizes) // 2]
    median_page = next(site / slug / "index.html" for slug in slugs if (site / slug / "index.html").exists() and (site / slug / "index.html").stat().st_size == median_size)
    page_bytes = median_page.read_bytes()
    first_visit = {"page": gzipped_size(page_bytes)}
    for reference in re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"]+)"', page_bytes):
        target = (median_page.parent / reference.decode()).resolve()
        if target.is_file() and site.resolve() in target.parents:
            first_visit[str(target.relative_to(site.resolve()))] = gzipped_size(target.read_bytes())
    map_pages = sorted((path for path in html_pages if "map" in path.relative_to(site).parts[0]), key=lambda path: path.stat().st_size)
    figures = {
        "pages": len(html_pages),
        "mkdocs_pages": sum(1 for _ in docs_dir.rglob("*.md")),
        "output_bytes": sum(path.stat().st_size for path in site.rglob("*") if path.is_file()),
        "median_council_page_bytes": median_size,
        "first_visit_gzip_bytes": first_visit,
    }
    if map_pages:
        largest = map_pages[-1]
        figures["map_page"] = {"path": str(largest.relative_to(site)), "bytes": largest.stat().st_size, "gzip_bytes": gzipped_size(largest.read_bytes())}
    return figures


def build_baselines(work: Path, data: Path, generated_dir: Path, repeat: int) -> dict:
    """Write both baselines' inputs (untimed), then time plain MkDocs and the Jinja2 floor.

    ``generated_dir`` is the docs folder of perfsite's build of ``data``: the baselines take from
    it what Markdown cannot write (charts, funnel plots, the map pages)."""
    dataset = load_dataset(data)
    site = site_context(compute(dataset), letters=lambda relative: "")
    pages = list(baselines.site_pages(site, REPO / "site_src", generated_dir))
    plain_root, floor_root = work / "plain-mkdocs", work / "floor"
    shutil.rmtree(plain_root, ignore_errors=True)
    shutil.rmtree(floor_root, ignore_errors=True)
    plain_config = baselines.write_mkdocs_project(pages, plain_root, data / "letters")
    floor_input = baselines.write_floor_input(pages, work / "floor-input.json", data / "letters")
    mkdocs_runs, floor_runs = [], []
    for _ in range(repeat):
        shutil.rmtree(plain_root / "site", ignore_errors=True)
        mkdocs_runs.append(checked(timed_run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain_config)], cwd=plain_root), "plain mkdocs build"))
        shutil.rmtree(floor_root, ignore_errors=True)
        floor_runs.append(checked(timed_run([sys.executable, str(BENCH / "floor.py"), str(floor_input), str(floor_root)], cwd=work), "Jinja2 floor"))
    return {
        "pages": len(pages),
        "mkdocs": run_figures(median_run(mkdocs_runs)),
        "mkdocs_pages": sum(1 for path in (plain_root / "site").rglob("*.html") if path.name != "404.html"),
        "mkdocs_output_bytes": sum(path.stat().st_size for path in (plain_root / "site").rglob("*") if path.is_file()),
        "floor": run_figures(median_run(floor_runs)),
        "floor_output_bytes": sum(path.stat().st_size for path in floor_root.rglob("*") if path.is_file()),
    }


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def run_figures(run: Run) -> dict:
    return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "user_seconds": run.user_seconds, "max_rss_mib": run.max_rss_mib, "peak_pss_mib": run.peak_pss_mib}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def serve_edits(config_file: Path, data: Path, boundaries: Path, slug: str, edits: int = 3) -> list[float]:
    """Seconds from saving a change to one council's YAML until ``perfsite serve`` shows it."""
    port = free_port()
    log = (config_file.parent / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--config", str(config_file), "--data", str(data),
         "--boundaries", str(boundaries), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=config_file.parent, stdout=log, stderr=subprocess.STDOUT,
    )
    council_file = data / "councils" / f"{slug}.yaml"
    original = council_file.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/{slug}/"
    delays = []
    try:
        deadline = time.monotonic() + 600
        while fetch(url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"perfsite serve did not start; see {log.name}")
            time.sleep(0.2)
        time.sleep(3)  # let the rebuild that the first build's own writes trigger finish
        for edit in range(edits):
            council = yaml.safe_load(original)
            latest = max(year for year, record in council["years"].items() if record.get("investigations") is not None)
            investigations = 4321 + edit
            council["years"][latest]["investigations"] = investigations
            wanted = f"of {investigations:,} investigations"
            council_file.write_text(yaml.safe_dump(council, sort_keys=False, allow_unicode=True), encoding="utf-8")
            saved = time.perf_counter()
            while wanted not in (fetch(url) or ""):
                if time.perf_counter() - saved > 120:
                    raise SystemExit(f"perfsite serve did not show the edit within 120 s; see {log.name}")
                time.sleep(0.02)
            delays.append(time.perf_counter() - saved)
            time.sleep(3)
    finally:
        council_file.write_text(original, encoding="utf-8")
        stop_server(server)
        log.close()
    return delays


def stop_server(server: subprocess.Popen) -> None:
    """Stop ``perfsite serve`` as Ctrl-C does; kill it if it has not stopped after 30 s."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def kib(size: float) -> str:
    return f"{size / 1024:,.1f} KiB"


def report(args, figures: dict) -> str:
    cold, warm = figures["cold"], figures["warm"]
    out = figures["output"]
    lines = [
        f"## {args.councils} councils x {args.years} years",
        "",
        f"Measured {figures['date']} on {figures['machine']}. Medians of {args.repeat} runs; each build is a fresh process.",
        "",
        "| perfsite build | cold (no generated pages yet) | warm (rebuild, nothing changed) |",
        "| --- | ---: | ---: |",
    ]
    for name in (*PHASE_GROUPS, "map", "charts", SECOND_PROCESS):
        lines.append(f"| {name} | {cold['groups'].get(name, 0.0):.2f} s | {warm['groups'].get(name, 0.0):.2f} s |")
    lines += [
        f"| **total wall time** (process start to exit) | **{cold['seconds']:.2f} s** | **{warm['seconds']:.2f} s** |",
        f"| CPU time: user + system | {cold['user_seconds']:.2f} + {cold['cpu_seconds'] - cold['user_seconds']:.2f} s | {warm['user_seconds']:.2f} + {warm['cpu_seconds'] - warm['user_seconds']:.2f} s |",
        f"| peak memory: PSS of all its processes together | {cold['peak_pss_mib']:.0f} MiB | {warm['peak_pss_mib']:.0f} MiB |",
        f"| peak RSS of the largest process | {cold['max_rss_mib']:.0f} MiB | {warm['max_rss_mib']:.0f} MiB |",
        f"| pages held in a temporary file until written (in the file cache, not in the figures above) | {cold['held_bytes'] / 2**20:.0f} MiB | {warm['held_bytes'] / 2**20:.0f} MiB |",
        f"| time per page: wall / user CPU | {cold['seconds'] / out['pages'] * 1000:.2f} / {cold['user_seconds'] / out['pages'] * 1000:.2f} ms | {warm['seconds'] / out['pages'] * 1000:.2f} / {warm['user_seconds'] / out['pages'] * 1000:.2f} ms |",
        "",
        "Plugin phases (s, cold): " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in cold["phases"].items() if name not in cold["parallel"]),
        "",
        "In the second process, at the same time (s, cold): " + (", ".join(f"{name} {cold['phases'][name]:.2f}" for name in cold["parallel"]) or "none"),
        "",
        "| output | |",
        "| --- | ---: |",
        f"| pages (HTML, without 404.html) | {out['pages']:,} |",
        f"| of which MkDocs pages (the rest: embed cards and redirects, written as they are) | {out['mkdocs_pages']:,} |",
        f"| total output size | {out['output_bytes'] / 1024 / 1024:,.1f} MiB |",
        f"| median council page HTML | {kib(out['median_council_page_bytes'])} |",
        "| first visit to that page, gzipped: " + " + ".join(out["first_visit_gzip_bytes"]) + f" | {kib(sum(out['first_visit_gzip_bytes'].values()))} |",
    ]
    if "map_page" in out:
        page = out["map_page"]
        lines.append(f"| largest map page ({page['path']}): raw / gzipped | {kib(page['bytes'])} / {kib(page['gzip_bytes'])} |")
    else:
        lines.append("| map page | no map in this build |")
    if "baselines" in figures:
        base = figures["baselines"]
        lines += [
            "",
            "| baseline | pages | wall time | CPU: user + system | peak PSS | output | perfsite as a ratio, cold / warm: wall | user CPU |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, key, pages, size in (
            ("plain `mkdocs build` (mkdocs theme, short nav, no search)", "mkdocs", base["mkdocs_pages"], base["mkdocs_output_bytes"]),
            ("Jinja2 straight to HTML (the floor)", "floor", base["pages"], base["floor_output_bytes"]),
        ):
            run = base[key]
            lines.append(
                f"| {label} | {pages:,} | {run['seconds']:.2f} s | {run['user_seconds']:.2f} + {run['cpu_seconds'] - run['user_seconds']:.2f} s | {run['peak_pss_mib']:.0f} MiB | {size / 1024 / 1024:,.1f} MiB "
                f"| {cold['seconds'] / run['seconds']:.2f}x / {warm['seconds'] / run['seconds']:.2f}x "
                f"| {cold['user_seconds'] / run['user_seconds']:.2f}x / {warm['user_seconds'] / run['user_seconds']:.2f}x |"
            )
    if "serve" in figures:
        delays = figures["serve"]
        lines += ["", "`perfsite serve`: an edit to one council's YAML showed on its page after "
                  + ", ".join(f"{delay:.2f} s" for delay in delays) + f" (median {statistics.median(delays):.2f} s, polling every 20 ms)."]
    return "\n".join(lines) + "\n"


def write_results(section: str, councils: int, years: int) -> None:
    """Put ``section`` in bench/RESULTS.md in place of the last run at that size; other text stays."""
    results = BENCH / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else (
        "# Benchmark results\n\nWritten by `bench/run.py`; each section is the latest run at that size.\n\n")
    parts = re.split(r"(?m)^(?=## )", text)
    size = re.compile(r"## (\d+) councils x (\d+) years\n")
    kept = [part for part in parts if not size.match(part)]
    runs = [part for part in parts if size.match(part) and not part.startswith(f"## {councils} councils x {years} years\n")]
    runs = sorted([*runs, section], key=lambda part: tuple(int(number) for number in size.match(part).groups()))
    results.write_text("".join(part.rstrip("\n") + "\n\n" for part in kept + runs).rstrip("\n") + "\n", encoding="utf-8")


def default_work_root(councils: int) -> Path:
    """Where the builds run: in memory (/dev/shm) when there is room, so that the figures measure
    the builds and not the disk. This machine's disk is shared and throttled: the same build's
    system time went from 2 s to 17 s within an hour, for perfsite and the baselines alike."""
    shm = Path("/dev/shm")
    needed = 512 * 1024**2 * max(1, -(-councils // 400))  # data, pages, site and baselines: about 250 MiB per 400 councils, twice over
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > needed:
            return shm
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the median is reported (default 3)")
    parser.add_argument("--work", type=Path, help="working folder (default: under /dev/shm when it is a memory file system with room, else the system's temporary folder)")
    parser.add_argument("--no-baselines", dest="baselines", action="store_false", help="skip plain MkDocs and the floor")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the perfsite serve edit test")
    parser.add_argument("--no-results", dest="results", action="store_false", help="do not write bench/RESULTS.md")
    args = parser.parse_args(argv)
    work = (args.work or default_work_root(args.councils) / f"perfsite-bench-{args.councils}x{args.years}").resolve()
    work.mkdir(parents=True, exist_ok=True)

    print(f"data: {args.councils} councils x {args.years} years in {work}", flush=True)
    data, boundaries = prepare_data(work, args.councils, args.years, args.seed)
    config_file = make_project(work / "perfsite", data)
    figures: dict = {"date": dt.date.today().isoformat(), "machine": machine()}
    for kind in ("cold", "warm"):
        runs = []
        for _ in range(args.repeat):
            runs.append(perfsite_build(config_file, boundaries, cold=kind == "cold"))
            print(f"perfsite build ({kind}): {runs[-1][0].seconds:.2f} s", flush=True)
        run, phases = sorted(runs, key=lambda item: item[0].seconds)[len(runs) // 2]
        figures[kind] = {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "user_seconds": run.user_seconds,
                         "max_rss_mib": max(item[0].max_rss_mib for item in runs), "peak_pss_mib": max(item[0].peak_pss_mib for item in runs),
                         "phases": phases["phases"], "parallel": phases.get("parallel", []), "held_bytes": phases.get("held_bytes", 0),
                         "groups": grouped_phases(phases)}
    slugs = sorted(path.stem for path in (data / "councils").glob("*.yaml"))
    figures["output"] = output_figures(config_file.parent / "site", config_file.parent / "site_src", slugs)
    if args.baselines:
        figures["baselines"] = build_baselines(work, data, config_file.parent / "site_src", args.repeat)
    if args.serve:
        figures["serve"] = serve_edits(config_file, data, boundaries, slugs[len(slugs) // 2])
    section = report(args, figures)
    print()
    print(section)
    (work / "figures.json").write_text(json.dumps(figures, indent=1, default=str))
    if args.results:
        write_results(section, args.councils, args.years)
    return 0


if __name__ == "__main__":
    sys.exit(main())
