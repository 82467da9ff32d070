"""What the guards against hostile input cost, and that they scale: ``wrap_tables`` on letters with
more and more tables (it must grow linearly: doubling the tables about doubles the time) and
converting letters in the worker process against converting them in the build's own process.

    .venv/bin/python bench/hostile_costs.py [--letters 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.letters import LetterConverter, letter_html  # noqa: E402
from generator.tables import wrap_tables  # noqa: E402

TABLE = "<h3>Figures</h3><table><thead><tr><th>year</th></tr></thead><tbody><tr><td>2023-24</td></tr></tbody></table>"
LETTER = """# Annual review letter 2023-24

Dear Chief Executive,

We upheld **5** of the 8 complaints we investigated about your council.

| year | investigations | upheld |
| --- | --- | --- |
| 2023-24 | 8 | 5 |

> Compliance with our recommendations was 100%.
"""


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--letters", type=int, default=2000)
    letters = options.parse_args().letters

    print("wrap_tables: tables, best of 3 (s), per table (us)")
    for count in (1000, 2000, 4000, 8000, 16000):
        html = TABLE * count
        seconds = best_of(3, lambda: wrap_tables(html))
        print(f"  {count:6,}  {seconds:.4f}  {seconds / count * 1e6:.2f}")

    sources = [LETTER.replace("8 complaints", f"{index} complaints") for index in range(letters)]
    in_process = best_of(3, lambda: [letter_html(source) for source in sources])
    converter = LetterConverter()
    converter.convert(LETTER, "warm-up")
    worker = best_of(3, lambda: [converter.convert(source, "bench") for source in sources])
    converter.close()
    print(f"letters: {letters:,}; in the build's process {in_process:.2f} s, in the worker {worker:.2f} s; "
          f"{(worker - in_process) / letters * 1e3:.2f} ms a letter more")


if __name__ == "__main__":
    main()
