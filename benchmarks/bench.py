"""Benchmark: cold first run, warm `lca compare copper`, and the import floor, in one run.

    python benchmarks/bench.py [--repeat N]

Prints wall times in seconds (median of N runs for the warm figures) and the ratio of the warm
compare to the floor `python -c "import bw2calc, bw2data"`. Each figure runs in a fresh
process, as a user would run the command. Nothing here is asserted by the tests.
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
    lca = [sys.executable, "-m", "lca.cli.main", "compare", "copper", "--format", "json"]
    floor = [sys.executable, "-c", "import bw2calc, bw2data"]
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, BRIGHTWAY2_DIR=folder)
        env.pop("LCA_INVENTORIES", None)
        cold = _timed(lca, env)
        warm = [_timed(lca, env) for _ in range(args.repeat)]
        floors = [_timed(floor, env) for _ in range(args.repeat)]
    warm_median, floor_median = statistics.median(warm), statistics.median(floors)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"cold first run (empty data folder), lca compare copper: {cold:6.2f} s")
    print(f"warm lca compare copper, median of {args.repeat}:             {warm_median:6.2f} s"
          f"  (min {min(warm):.2f}, max {max(warm):.2f})")
    print(f"floor python -c 'import bw2calc, bw2data', median of {args.repeat}: {floor_median:6.2f} s")
    print(f"warm / floor: {warm_median / floor_median:.2f}x")


if __name__ == "__main__":
    main()
