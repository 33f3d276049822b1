"""Benchmark: warm `lca report copper` (and a product report) against warm `lca compare copper`.

    python benchmarks/bench_report.py [--repeat N]

Each figure is the wall time of a fresh process, as a user runs the command; warm figures are
medians of N runs after a first run that builds the project. The ratio report / compare shows
what the workbook itself costs on top of the calculation. Aim (issue 5): a report under 3 s warm.
Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

from bench import _timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lca = [sys.executable, "-m", "lca"]
    with tempfile.TemporaryDirectory() as folder:
        # compare calculated each time (LCA_RESULT_CACHE=off): the ratio is the workbook's cost over the calculation
        env = dict(os.environ, BRIGHTWAY2_DIR=os.path.join(folder, "bw"), LCA_RESULT_CACHE="off")
        env.pop("LCA_INVENTORIES", None)
        out = os.path.join(folder, "report.xlsx")
        report = lca + ["report", "copper", "-o", out, "--overwrite", "--customer", "ACME Corp", "--tonnes", "120"]
        product = lca + ["report", "footprint", "air-conditioner", "-o", out, "--overwrite"]
        compare = lca + ["compare", "copper", "--format", "json"]
        cold = _timed(report, env)
        figures = {name: [_timed(command, env) for _ in range(args.repeat)]
                   for name, command in (("compare", compare), ("report", report), ("product", product))}
    median = {name: statistics.median(times) for name, times in figures.items()}
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"cold first run (empty data folder), lca report copper:      {cold:6.2f} s")
    for name, label in (("compare", "lca compare copper"), ("report", "lca report copper"),
                        ("product", "lca report footprint air-conditioner")):
        times = figures[name]
        print(f"warm {label:<40} median of {args.repeat}: {median[name]:6.2f} s"
              f"  (min {min(times):.2f}, max {max(times):.2f})")
    print(f"report / compare: {median['report'] / median['compare']:.2f}x")


if __name__ == "__main__":
    main()
