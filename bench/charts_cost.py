"""What the charts cost: build the shipped data with and without charts and compare wall times.

Each build is the real ``perfsite build`` command from a fresh project folder (the repository's
mkdocs.yml with the plugin's ``charts`` option set, the hand-written pages and no generated
ones), as CI builds from a clean checkout. One warm-up build is not counted; then the two kinds
alternate, RUNS of each, and the medians are compared. The target is a ratio of at most 1.20.
Wall time is the target; the builds' CPU time (user + system) and the fastest runs are printed
too, since other work sharing the machine inflates some runs (the fastest run is the least
disturbed one).

    .venv/bin/python bench/charts_cost.py [--runs 3] [--work DIR]

Builds go under bench/out/ (on the same disk as a real build) unless --work names another folder,
such as one on /dev/shm to leave the disk out of the comparison.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN_PAGES = ("methodology.md", "about.md", "accessibility.md")
TARGET = 1.20


def make_project(root: Path, charts: bool) -> Path:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / "theme")
    for index, plugin in enumerate(config["plugins"]):
        if isinstance(plugin, dict) and "perfsite" in plugin:
            config["plugins"][index] = {"perfsite": {**plugin["perfsite"], "data_dir": str(REPO / "data"), "charts": charts}}
    (root / "site_src").mkdir(parents=True)
    for name in HAND_WRITTEN_PAGES:
        shutil.copy(REPO / "site_src" / name, root / "site_src" / name)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(work: Path, charts: bool, run: int) -> tuple[float, float]:
    """Wall and CPU seconds of one build."""
    root = work / f"{'charts' if charts else 'plain'}-{run}"
    config_file = make_project(root, charts)
    cpu_before, started = cpu_seconds(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--config", str(config_file), "--out", str(root / "site")],
        cwd=root, check=True, capture_output=True,
    )
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    shutil.rmtree(root)
    return elapsed, cpu


def summary(label: str, samples: list[float]) -> str:
    runs = ", ".join(f"{t:.2f}" for t in samples)
    return f"{label}: {runs} s; median {statistics.median(samples):.2f} s, fastest {min(samples):.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "out", help="folder to build in (default: bench/out)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="charts-cost-", dir=args.work))
    try:
        timed_build(work, True, 0)
        times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for run in range(1, args.runs + 1):
            for charts in (False, True):
                times[charts].append(timed_build(work, charts, run))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = {}
    for index, kind in enumerate(("wall", "cpu")):
        without = [sample[index] for sample in times[False]]
        with_charts = [sample[index] for sample in times[True]]
        print(summary(f"{kind:4} without charts", without))
        print(summary(f"{kind:4} with charts   ", with_charts))
        ratios[kind] = statistics.median(with_charts) / statistics.median(without)
        ratios[f"{kind} fastest"] = min(with_charts) / min(without)
    for kind, ratio in ratios.items():
        print(f"{kind} ratio: {ratio:.3f} ({(ratio - 1) * 100:+.1f}%)")
    met = ratios["wall"] <= TARGET
    print(f"target: median wall ratio at most {TARGET:.2f}: {'met' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
