"""Benchmark: 10,000 paired Monte Carlo iterations of the copper comparison, the tool against a
plain loop of bw2calc's ``next()`` on the same model.

    python benchmarks/bench_uncertainty.py [--iterations 10000] [--baseline-iterations N] [--repeat 3]

Both sides draw the parameter distributions of the shipped workbooks (and any exchange
distributions). The baseline is the usual Brightway way of feeding parameter draws to bw2calc:
the draws, turned into matrix cell values, go into array datapackages (bw_processing, one per
matrix, sequential, overwriting the cells), and ``next(lca)`` steps through them; each
iteration scores both routes (one solve for the demand, one more for the other route). The
baseline is given exactly the tool's draws, so the script also checks that both give the same
numbers, iteration by iteration.

Printed: the tool in-process (the calculation only), the tool as a user runs it (a fresh
``lca uncertainty`` process, warm project), the plain loop, and the ratio. Aim (issue 7): the
tool's run under 5 s and at least 10x the plain loop. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings

import numpy as np
from bench import _timed


def _tool(bd, study, method, model, n, seed):
    from lca.analysis.uncertainty import system_for

    start = time.perf_counter()
    system = system_for(bd, study, method, model)
    scores = system.run(n, seed)
    return time.perf_counter() - start, system, scores


def _plain_loop(bd, study, method, system, n, seed):
    """bw2calc LCA + next() over the tool's draws as an array datapackage; returns (seconds, scores)."""
    import bw2calc as bc
    import bw_processing as bwp

    arrays = system.brightway_arrays(n, seed)
    start = time.perf_counter()
    packages = []
    for matrix, (keys, values) in arrays.items():
        if not keys:
            continue
        # one package per matrix: bw2calc steps each matrix's packages once per next(), so a package
        # shared by two matrices would be stepped twice
        package = bwp.create_datapackage(sequential=True, sum_inter_duplicates=False)
        indices = np.array(keys, dtype=bwp.INDICES_DTYPE)
        package.add_persistent_array(matrix=matrix, indices_array=indices, data_array=values,
                                     flip_array=np.zeros(len(keys), dtype=bool), name=f"draws-{matrix}")
        packages.append(package)
    reference, alternative = (t.node for t in study.targets)
    fu, data_objs, _ = bd.prepare_lca_inputs(demand={reference: 1, alternative: 1}, method=method.name,
                                             remapping=False)
    # all draws come from the arrays (exchange draws too), so that the loop reproduces the tool's numbers;
    # matrix_utils steps a sequential package in order only without seed_override
    lca = bc.LCA({reference: 1}, data_objs=data_objs + packages, use_arrays=True, use_distributions=False)
    lca.lci()
    lca.lcia()
    scores = {"reference": np.empty(n), "alternative": np.empty(n)}
    current, other = "reference", "alternative"
    nodes = {"reference": reference, "alternative": alternative}
    for i in range(n):
        if i:
            next(lca)  # the next column of the arrays
        scores[current][i] = lca.score
        lca.redo_lci({nodes[other]: 1})
        lca.redo_lcia()
        scores[other][i] = lca.score
        current, other = other, current  # the demand now set is the other route's: score it first next time
    return time.perf_counter() - start, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10000)
    parser.add_argument("--baseline-iterations", type=int, default=None,
                        help="iterations of the plain loop (default: the same); the ratio compares per-iteration times")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    baseline_n = args.baseline_iterations or args.iterations
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BRIGHTWAY2_DIR"] = os.path.join(folder, "bw")
        os.makedirs(os.environ["BRIGHTWAY2_DIR"])
        os.environ.pop("LCA_INVENTORIES", None)
        os.environ["LCA_RESULT_CACHE"] = "off"  # time the draws, not the replay of a stored result
        import bw2data as bd

        from lca.analysis.uncertainty import study_for
        from lca.brightway.methods import get_method
        from lca.brightway.project import open_project

        command = [sys.executable, "-m", "lca", "uncertainty", "copper", "-n", str(args.iterations), "--seed",
                   str(args.seed), "--format", "json"]
        cold = _timed(command, dict(os.environ))
        cli = [_timed(command, dict(os.environ)) for _ in range(args.repeat)]
        with open_project() as project:
            method = get_method(None)
            model = project.parametric_model()
            study = study_for(bd, project.databases, "copper")
            runs = [_tool(bd, study, method, model, args.iterations, args.seed) for _ in range(args.repeat)]
            seconds, system, scores = runs[-1]
            baseline_seconds, baseline = _plain_loop(bd, study, method, system, baseline_n, args.seed)
    from lca.analysis.montecarlo import ALL_SOURCES

    tool = statistics.median(r[0] for r in runs)
    per_tool = tool / args.iterations
    per_plain = baseline_seconds / baseline_n
    # the same draws need the same run length (draws come in chunks), so the check reruns the tool at baseline_n
    same = scores if baseline_n == args.iterations else system.run(baseline_n, args.seed)
    deviation = max(float(np.max(np.abs(baseline[k] - same[k]) / np.abs(same[k])))
                    for k in ("reference", "alternative"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"draws: {len(system.uncertain_parameters(ALL_SOURCES))} parameters, "
          f"{len(system.uncertain_cells)} exchanges with distributions; "
          f"{len(system.nodes)} activities reached, {len(system.varying)} of them solved per draw (the others static)")
    print(f"lca uncertainty copper -n {args.iterations}, cold first run (builds the project): {cold:6.2f} s")
    print(f"lca uncertainty copper -n {args.iterations}, warm process, median of {args.repeat}:      "
          f"{statistics.median(cli):6.2f} s  (min {min(cli):.2f}, max {max(cli):.2f})")
    print(f"tool in-process, {args.iterations} paired iterations, median of {args.repeat}:          "
          f"{tool:6.3f} s  ({per_tool * 1e6:8.1f} us per iteration)")
    print(f"plain bw2calc next() loop, {baseline_n} paired iterations:                "
          f"{baseline_seconds:6.2f} s  ({per_plain * 1e6:8.1f} us per iteration)")
    print(f"ratio plain loop / tool (per iteration): {per_plain / per_tool:.0f}x")
    print(f"largest relative difference between the two, iteration by iteration: {deviation:.1e}")


if __name__ == "__main__":
    main()
