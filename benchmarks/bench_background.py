"""Benchmark: the copper comparison on an ecoinvent-sized background (a synthetic one), against the
shipped background and against plain bw2calc, in one run.

    python benchmarks/bench_background.py [--repeat 5] [--activities 20000] [--flows 2000]
        [--iterations 10000] [--baseline-iterations 200] [--bw2calc-only]

In a temporary Brightway data folder and a temporary copy of the shipped inventories
(`lca inventory init`), each tool figure a fresh process, as a user runs it:

1. warm `lca compare copper` on the shipped background (median of N). Then the synthetic background
   (benchmarks/synthetic_background.py: 20,000 activities, 2,000 biosphere3 flows, one large loop) is
   written into the tool's project, and the mapping workbook to <inventories>/backgrounds/synthetic.xlsx
   (every activity of cfp_background to a distinct synthetic activity of the same unit);
2. warm `lca compare copper --background synthetic` (median of N) and the ratio (2)/(1);
3. `lca uncertainty copper -n 10000 --background synthetic`: 10,000 paired draws, wall time;
4. plain bw2calc Monte Carlo on the same system, the scrap route's activity as demand. bw2calc 3.1 has
   no MonteCarloLCA class any more (its Monte Carlo is an ``LCA`` stepped with ``next()``), and the
   tool's databases hold no exchange distributions (the uncertainty lives in its parameter model), so
   ``use_distributions=True`` would draw nothing. As in benchmarks/bench_uncertainty.py, bw2calc is
   given the tool's own draws (System.brightway_arrays) as array datapackages; each ``next()`` rebuilds
   the matrices and solves the whole 20,000-activity system. Timed for --baseline-iterations draws; the
   time for 10,000 is extrapolated (and labelled so); the ratio (4)/(3) sets the extrapolation against
   the tool's measured run (which scores two routes per draw, bw2calc one);
5. the deterministic scores of both copper routes: the tool on the synthetic background against plain
   bw2calc ``LCA`` in the same project.

For 4 and 5 the benchmark writes its own copy of the copper foreground linked to the synthetic
background (``relinked_copy``: every input from cfp_background replaced by the synthetic provider the
mapping names), independent of how the tool links it, so 5 also checks the tool's linking. Steps 2, 3
and the tool's side of 5 need the `--background` option; where the checkout has not got it, the script
stops there with a message, and --bw2calc-only skips them (1, 4 and bw2calc's side of 5 still run).
Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from bench import _timed
from synthetic_background import (
    GWP100,
    background_activities,
    mapped_codes,
    relinked_copy,
    write_mapping,
    write_synthetic_background,
)

SYNTHETIC = "synthetic_bg"  # the synthetic database
BACKGROUND = "synthetic"  # the name --background takes: <inventories>/backgrounds/synthetic.xlsx
RELINKED = "bench_relinked"  # the benchmark's own copy of the copper foreground, linked to SYNTHETIC
ROUTES = ("primary", "scrap")


def _lca(*args) -> list[str]:
    return [sys.executable, "-m", "lca", *[str(a) for a in args]]


def _output(command: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{completed.stderr}")
    return elapsed, completed.stdout


def _tool_project(bd) -> str:
    """The project the tool built for the inventories (the one 'lca-cfp-' project that is not the base)."""
    names = [p.name for p in bd.projects if p.name.startswith("lca-cfp-") and p.name != "lca-cfp-base"]
    if len(names) != 1:
        sys.exit(f"expected one project of the tool besides lca-cfp-base, found: {', '.join(names) or 'none'}")
    return names[0]


def _missing_background_option(env: dict) -> list[str]:
    """The commands of the benchmark whose help does not offer --background."""
    return [command for command in ("compare", "uncertainty") if "--background" not in _output(_lca(command, "--help"),
                                                                                                 env)[1]]


def _totals(stdout: str) -> dict[str, float]:
    return {route["id"]: float(route["total"]) for route in json.loads(stdout)["routes"]}


def _write_synthetic(bd, inventories: Path, args) -> tuple[str, dict]:
    """Write the synthetic background and the mapping; (what was written, {cfp_background code: provider key})."""
    rows = background_activities(inventories)  # (name, location, unit, code) of cfp_background
    codes = mapped_codes(len(rows), args.activities)
    units = {code: unit for (_, _, unit, _), code in zip(rows, codes, strict=True)}
    start = time.perf_counter()
    written = write_synthetic_background(SYNTHETIC, activities=args.activities, flows=args.flows,
                                         per_activity=args.per_activity, seed=1, units=units)
    mapping = inventories / "backgrounds" / f"{BACKGROUND}.xlsx"
    write_mapping(mapping, [(name, location, unit, code) for (name, location, unit, _), code
                            in zip(rows, codes, strict=True)], SYNTHETIC)
    providers = {code: (SYNTHETIC, synthetic) for (_, _, _, code), synthetic in zip(rows, codes, strict=True)}
    text = (f"synthetic background {SYNTHETIC}: {written.activities} activities, {written.technosphere} inputs, "
            f"{written.biosphere} biosphere exchanges to {written.flows} flows ({written.characterised} characterised "
            f"by IPCC 2021 GWP100); Database.write + process {written.seconds:.1f} s, all "
            f"{time.perf_counter() - start:.1f} s; mapping of {len(rows)} cfp_background activities: {mapping}")
    return text, providers


def _relinked_routes(bd, providers: dict) -> tuple[dict, dict]:
    """The benchmark's copy of the copper routes on the synthetic background: ({route id: node}, {node id of the
    shipped system: node id on the synthetic background}, copied activities and cfp_background's providers)."""
    routes = {a["route"]: a for a in bd.Database("cfp_copper") if a.get("comparison") == "copper"}
    copied = relinked_copy([routes[r] for r in ROUTES], providers, name=RELINKED)
    ids = {bd.get_node(database=old[0], code=old[1]).id: bd.get_node(database=new[0], code=new[1]).id
           for old, new in copied.items()}
    ids.update({bd.get_node(database="cfp_background", code=code).id: bd.get_node(database=key[0], code=key[1]).id
                for code, key in providers.items()})
    return {r: bd.get_node(database=RELINKED, code=copied[routes[r].key][1]) for r in ROUTES}, ids


def _tool_draws(bd, data: Path, inventories: Path, n: int, seed: int, ids: dict, background=None) -> dict:
    """The tool's draws for the copper comparison (parameters and exchange distributions of the workbooks) as
    matrix cell values (System.brightway_arrays), moved to the synthetic system by ``ids``: cells of the
    activities the synthetic background replaces are left out, inputs from them point to their providers."""
    from lca.analysis.uncertainty import study_for, system_for
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project

    # on the background the project was last built with: another one would rebuild it (new node ids)
    with open_project(data_dir=data, inventories=inventories, background=background) as project:
        study = study_for(bd, project.databases, "copper")
        arrays = system_for(bd, study, get_method(None), project.parametric_model()).brightway_arrays(n, seed)
    if ids is None:  # bw2calc runs on the tool's own project: the cells as they are
        return arrays
    background = {node.id for node in bd.Database("cfp_background")}
    moved = {}
    for matrix, (keys, values) in arrays.items():
        keep = [k for k, (_, col) in enumerate(keys) if col not in background]
        moved[matrix] = ([(ids.get(keys[k][0], keys[k][0]), ids[keys[k][1]]) for k in keep], values[keep])
    return moved


def _bw2calc(bd, routes: dict, arrays: dict, iterations: int) -> tuple[dict, float, np.ndarray]:
    """Deterministic scores of the routes; the seconds of ``iterations`` - 1 Monte Carlo steps on the scrap
    route, and its scores. The usual Brightway way of feeding parameter draws to bw2calc, as in
    benchmarks/bench_uncertainty.py: the draws as array datapackages (one per matrix, sequential, overwriting
    the cells) that ``next(lca)`` steps through, each step rebuilding the matrices and solving the system."""
    import bw2calc as bc
    import bw_processing as bwp

    scores = {}
    for route, node in routes.items():
        lca = bc.LCA({node.id: 1}, method=GWP100)
        lca.lci()
        lca.lcia()
        scores[route] = float(lca.score)
    packages = []
    for matrix, (keys, values) in arrays.items():
        if keys:
            package = bwp.create_datapackage(sequential=True, sum_inter_duplicates=False)
            package.add_persistent_array(matrix=matrix, indices_array=np.array(keys, dtype=bwp.INDICES_DTYPE),
                                         data_array=values, flip_array=np.zeros(len(keys), dtype=bool),
                                         name=f"draws-{matrix}")
            packages.append(package)
    demand = {routes["scrap"].id: 1}
    _, data_objs, _ = bd.prepare_lca_inputs(demand=demand, method=GWP100, remapping=False)
    lca = bc.LCA(demand, data_objs=data_objs + packages, use_arrays=True, use_distributions=False)
    lca.lci()
    lca.lcia()
    draws = np.empty(iterations)
    draws[0] = lca.score
    start = time.perf_counter()
    for i in range(1, iterations):
        next(lca)  # the next column of the arrays
        draws[i] = lca.score
    return scores, time.perf_counter() - start, draws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--per-activity", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=10000, help="draws of the tool's Monte Carlo")
    parser.add_argument("--baseline-iterations", type=int, default=200, help="bw2calc Monte Carlo steps timed")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bw2calc-only", action="store_true",
                        help="skip the tool's runs on the synthetic background (steps 2, 3, and the tool's side of 5)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as folder:
        data, inventories = Path(folder) / "bw", Path(folder) / "inventories"
        data.mkdir()
        # calculated each time (a stored result would hide what the background costs)
        env = dict(os.environ, BRIGHTWAY2_DIR=str(data), LCA_INVENTORIES=str(inventories), LCA_RESULT_CACHE="off")
        _timed(_lca("inventory", "init", inventories), env)
        compare = _lca("compare", "copper", "--format", "json")
        cold = _timed(compare, env)  # builds the project
        warm = [_timed(compare, env) for _ in range(args.repeat)]
        _, shipped = _output(compare, env)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"(1) lca compare copper, shipped background: cold first run {cold:6.2f} s; warm, median of "
              f"{args.repeat}: {statistics.median(warm):6.2f} s  (min {min(warm):.2f}, max {max(warm):.2f})")

        os.environ["BRIGHTWAY2_DIR"] = str(data)  # before bw2data is imported
        import bw2data as bd

        project = _tool_project(bd)
        bd.projects.set_current(project)
        text, providers = _write_synthetic(bd, inventories, args)
        print(text, flush=True)

        tool = None
        if not args.bw2calc_only:
            missing = _missing_background_option(env)
            if missing:
                sys.exit(f"\n{' and '.join(f'`lca {c}`' for c in missing)} offer(s) no --background option in this "
                         "checkout (the background seam is not there yet): steps 2, 3 and the tool's side of 5 cannot "
                         "run. Run with --bw2calc-only for steps 1, 4 and bw2calc's side of 5.")
            on_synthetic = compare + ["--background", BACKGROUND]
            first = _timed(on_synthetic, env)
            warm_synthetic = [_timed(on_synthetic, env) for _ in range(args.repeat)]
            _, text = _output(on_synthetic, env)
            tool = _totals(text)
            median = statistics.median(warm_synthetic)
            print(f"(2) lca compare copper --background {BACKGROUND}: first run {first:6.2f} s; warm, median of "
                  f"{args.repeat}: {median:6.2f} s  (min {min(warm_synthetic):.2f}, max {max(warm_synthetic):.2f}); "
                  f"ratio (2)/(1): {median / statistics.median(warm):.2f}x")
            uncertainty = _lca("uncertainty", "copper", "-n", args.iterations, "--seed", args.seed, "--background",
                               BACKGROUND, "--format", "json")
            mc_seconds = _timed(uncertainty, env)
            print(f"(3) lca uncertainty copper -n {args.iterations} --background {BACKGROUND} (paired: both routes "
                  f"per draw), fresh process: {mc_seconds:6.2f} s", flush=True)

        bd.projects.set_current(project)  # reread the project's metadata, which the tool's runs may have changed
        routes, ids = _relinked_routes(bd, providers)
        if tool is None:  # the project is on the shipped background: bw2calc on the benchmark's relinked copy
            arrays = _tool_draws(bd, data, inventories, args.baseline_iterations, args.seed, ids)
            scores, seconds, draws = _bw2calc(bd, routes, arrays, args.baseline_iterations)
        else:  # bw2calc on the tool's own project, built on the synthetic background (the same system)
            # (the relinked copy is a database the tool did not write: this opening rebuilds the tool's databases)
            arrays = _tool_draws(bd, data, inventories, args.baseline_iterations, args.seed, None, BACKGROUND)
            own = {a["route"]: a for a in bd.Database("cfp_copper") if a.get("comparison") == "copper"}
            scores, seconds, draws = _bw2calc(bd, {r: own[r] for r in ROUTES}, arrays, args.baseline_iterations)
            relinked = _bw2calc(bd, routes, {}, 1)[0]
            print("    the benchmark's own relinked copy of the copper routes on the synthetic background, plain "
                  "bw2calc: " + ", ".join(f"{r} {relinked[r]:,.6f}" for r in ROUTES))
        per_draw = seconds / (args.baseline_iterations - 1)
        extrapolated = per_draw * args.iterations
        print(f"(4) plain bw2calc Monte Carlo, LCA + next() over the tool's draws as array datapackages (scrap route "
              f"only, one route per draw): {args.baseline_iterations - 1} steps measured in {seconds:.1f} s = "
              f"{per_draw * 1e3:.0f} ms per draw; EXTRAPOLATED to {args.iterations} draws: {extrapolated:,.0f} s "
              f"(scrap route over the draws: mean {draws.mean():,.1f}, sd {draws.std(ddof=1):,.1f})")
        if tool is not None:
            print(f"    ratio (4, extrapolated)/(3): {extrapolated / mc_seconds:,.0f}x")
        print("(5) deterministic scores on the synthetic background, kg CO2-eq per t cathode "
              f"(shipped background, for reference: {_totals(shipped)}):")
        for route in ROUTES:
            if tool is None:
                print(f"    {route:8s} bw2calc LCA {scores[route]:14.6f}   tool: not run (--bw2calc-only)")
                continue
            difference = abs(tool[route] - scores[route]) / abs(scores[route])
            print(f"    {route:8s} bw2calc LCA {scores[route]:14.6f}   tool {tool[route]:14.6f}   relative difference "
                  f"{difference:.1e} (the tool's JSON gives 6 significant digits: up to 5e-6 is agreement)")


if __name__ == "__main__":
    main()
