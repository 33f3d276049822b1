"""Benchmark: cold first run, warm `lca compare copper`, and the import floor, in one run.

    python benchmarks/bench.py [--repeat N]

Prints wall times in seconds (median of N runs for the warm figures): the cold first run (empty
data folder), the warm compare as a user runs it (the stored result replayed, lca.runs.result_cache),
the warm compare calculated again (LCA_RESULT_CACHE=off: the project opened and solved with
bw2calc), and the floor `python -c "import bw2calc, bw2data"`; then the ratio of each warm figure to
the floor. Each figure runs in a fresh process, as a user would run the command. Nothing here is
asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{completed.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lca = [sys.executable, "-m", "lca", "compare", "copper", "--format", "json"]
    floor = [sys.executable, "-c", "import bw2calc, bw2data"]
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, BRIGHTWAY2_DIR=folder)
        env.pop("LCA_INVENTORIES", None)
        cold = _timed(lca, env)
        warm, calculated, floors = [], [], []
        for _ in range(args.repeat):  # interleaved, so a busy moment of the machine falls on all three
            warm.append(_timed(lca, env))
            calculated.append(_timed(lca, dict(env, LCA_RESULT_CACHE="off")))
            floors.append(_timed(floor, env))
    warm_median, floor_median = statistics.median(warm), statistics.median(floors)
    calculated_median = statistics.median(calculated)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"cold first run (empty data folder), lca compare copper: {cold:6.2f} s")
    print(f"warm lca compare copper, median of {args.repeat}:             {warm_median:6.2f} s"
          f"  (min {min(warm):.2f}, max {max(warm):.2f})")
    print(f"warm, calculated again (LCA_RESULT_CACHE=off), median of {args.repeat}: {calculated_median:6.2f} s"
          f"  (min {min(calculated):.2f}, max {max(calculated):.2f})")
    print(f"floor python -c 'import bw2calc, bw2data', median of {args.repeat}: {floor_median:6.2f} s")
    print(f"warm / floor: {warm_median / floor_median:.2f}x   (target: at most 0.40x)")
    print(f"calculated again / floor: {calculated_median / floor_median:.2f}x")


if __name__ == "__main__":
    main()
