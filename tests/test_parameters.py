"""Parameters on the shipped inventories: --set and --scenario reach the results, by the expected amount."""

from __future__ import annotations

import warnings

import pytest

from lca.paths import shipped_inventories


@pytest.fixture(scope="module")
def params(run):
    return {p["id"]: p for p in run.json("params")["parameters"]}


def _jp_grid_kwh_per_t_scrap(data_dir):
    """kWh of Japanese grid electricity delivered per t of scrap-derived cathode, from bw2calc's supply array."""
    import bw2data as bd

    from lca.brightway.project import open_project

    with open_project(data_dir=data_dir) as project, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import bw2calc as bc

        scrap = next(n for n in bd.Database("cfp_copper") if n.get("route") == "scrap")
        grid = bd.get_node(database="cfp_background", code="elec-grid-jp")
        lca = bc.LCA({scrap: 1})
        lca.lci()
        assert project.rebuilt in (True, False)
        return float(lca.supply_array[lca.dicts.activity[grid.id]])


def test_set_japanese_grid_factor_moves_scrap_route_by_electricity_times_change(run, data_dir, params):
    base = run.json("compare", "copper")
    default = params["cfp_background.grid_jp_co2"]["value"]  # ELCS FY2022 0.437, triangular 0.421 to 0.453
    changed = run.json("compare", "copper", "--set", "grid_jp_co2=0.445")  # inside its range
    kwh = _jp_grid_kwh_per_t_scrap(data_dir)
    ratio = params["cfp_background.gen_wtt_ratio"]["value"]
    # per kWh delivered: direct CO2 = grid_jp_co2 (a sales-end factor) plus the upstream fuel chain
    # gen_wtt_ratio x direct, so each kWh changes by (0.445 - default) x (1 + ratio) kg CO2-eq
    expected = kwh * (0.445 - default) * (1 + ratio)
    assert kwh > 500  # electrorefining alone takes 350 kWh/t: the route is electricity-heavy
    scrap_before, scrap_after = base["routes"][1]["total"], changed["routes"][1]["total"]
    assert scrap_after - scrap_before == pytest.approx(expected, abs=0.011)  # two totals at 6 significant digits
    assert changed["parameters"] == [{"id": "cfp_background.grid_jp_co2", "value": 0.445, "origin": "--set"}]


def test_shipped_scenario_equals_the_same_set(run):
    sets = [a for name in ("x_ni=0.8", "x_co=0.1", "x_mn=0.1", "x_al=0.0") for a in ("--set", name)]
    by_set = run.json("compare", "nickel", "--basis", "cam", *sets)
    by_scenario = run.json("compare", "nickel", "--basis", "cam", "--scenario", "nmc811")
    assert [r["total"] for r in by_scenario["routes"]] == [r["total"] for r in by_set["routes"]]
    assert by_scenario["parameters"][0]["origin"].startswith("scenario nmc811.yaml, line")


def test_set_reaches_calculated_parameters_and_the_product(run):
    """A change of x_ni must flow through the molar masses to every formula exchange (not a stale amount)."""
    nca = run.json("compare", "nickel", "--basis", "cam")
    nmc = run.json("compare", "nickel", "--basis", "cam", "--scenario", "nmc811")
    assert nmc["routes"][0]["total"] != pytest.approx(nca["routes"][0]["total"], rel=1e-3)
    values = {p["id"]: p["value"] for p in run.json("params", "--scenario", "nmc811")["parameters"]}
    # m_cam = m_li + 0.8 m_ni + 0.1 m_co + 0.1 m_mn + 2 m_o
    assert values["cfp_nickel.m_cam"] == pytest.approx(6.94 + 0.8 * 58.693 + 0.1 * 58.933 + 0.1 * 54.938 + 2 * 15.999,
                                                       rel=1e-6)
    cell = run.json("footprint", "cell-2170-kwh", "--scenario", "nmc811")
    assert cell["total"] != pytest.approx(run.json("footprint", "cell-2170-kwh")["total"], rel=1e-4)


def test_set_does_not_touch_later_runs(run):
    before = run.json("compare", "copper")
    run.json("compare", "copper", "--set", "grid_jp_co2=0.43")
    assert run.json("compare", "copper") == before


def test_engine_without_draws_equals_the_deterministic_results(run):
    for args, totals in ((("copper",), "routes"), (("nickel", "--basis", "cam"), "routes")):
        det = run.json("compare", *args)
        mc = run.json("uncertainty", *args, "-n", 2, "--seed", 1, "--set", "grid_jp_co2=0.43")
        changed = run.json("compare", *args, "--set", "grid_jp_co2=0.43")
        assert [r["deterministic"] for r in mc["routes"]] == pytest.approx([r["total"] for r in changed[totals]],
                                                                           rel=1e-6)
        assert det != changed
    product = run.json("footprint", "cell-2170-kwh", "--compare")
    mc = run.json("uncertainty", "cell-2170-kwh", "-n", 2, "--seed", 1)
    assert [r["deterministic"] for r in mc["routes"]] == pytest.approx(
        [s["total"] for s in product["scenarios"]], rel=1e-6)


@pytest.mark.parametrize("args, message", [
    (("--set", "grid_jp=0.25"), "no parameter 'grid_jp'"),
    (("--set", "scrap_truck_km=600"), "exists in several workbooks"),
    (("--set", "grid_jp_co2"), "is not NAME=VALUE"),
    (("--set", "grid_jp_co2=low"), "is not a number"),
    (("--set", "cfp_nickel.x_ni=0.5"), "composition_sum = 0.62 is outside its allowed range 1 to 1"),
    (("--scenario", "no-such-scenario"), "Known: cl-grid-renewable, jp-grid-2030, nmc811"),
], ids=["unknown", "ambiguous", "no-equals", "not-a-number", "derived-out-of-range", "unknown-scenario"])
def test_bad_parameter_changes(run, args, message):
    result = run("compare", "nickel", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_scenario_file_errors_name_file_and_line(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nset:\n  grid_jp_co2: [0.25\n")
    result = run("compare", "copper", "--scenario", broken)
    assert result.exit_code == 1 and "broken.yaml, line" in result.stderr and "not valid YAML" in result.stderr
    text = tmp_path / "text.yaml"
    text.write_text("name: x\nset:\n  grid_jp_co2: low\n")
    result = run("compare", "copper", "--scenario", text)
    assert result.exit_code == 1 and "text.yaml, line 3" in result.stderr
    assert text.read_text() == "name: x\nset:\n  grid_jp_co2: low\n"  # never modified


def test_shipped_scenarios_are_packaged():
    names = sorted(p.stem for p in (shipped_inventories() / "scenarios").glob("*.yaml"))
    assert names == ["cl-grid-renewable", "jp-grid-2030", "nmc811"]


def test_monte_carlo_equals_bw2calc_next_on_the_same_draws(data_dir):
    """The tool's draws, given to bw2calc as array datapackages and stepped with next(), give the
    same scores iteration by iteration: the vectorised solve and the formula re-evaluation are right."""
    import bw2data as bd
    import bw_processing as bwp
    import numpy as np

    from lca.analysis.uncertainty import study_for, system_for
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project

    n = 12
    with open_project(data_dir=data_dir) as project, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import bw2calc as bc

        method = get_method(None)
        study = study_for(bd, project.databases, "copper")
        system = system_for(bd, study, method, project.parametric_model())
        assert len(system.relevant) >= 10  # the copper routes' parameters with distributions are drawn
        scores = system.run(n, 5)
        packages = []
        for matrix, (keys, values) in system.brightway_arrays(n, 5).items():
            package = bwp.create_datapackage(sequential=True, sum_inter_duplicates=False)
            package.add_persistent_array(matrix=matrix, indices_array=np.array(keys, dtype=bwp.INDICES_DTYPE),
                                         data_array=values, flip_array=np.zeros(len(keys), dtype=bool), name=matrix)
            packages.append(package)
        reference, alternative = (t.node for t in study.targets)
        _, data_objs, _ = bd.prepare_lca_inputs(demand={reference: 1, alternative: 1}, method=method.name,
                                                remapping=False)
        lca = bc.LCA({reference: 1}, data_objs=data_objs + packages, use_arrays=True)
        lca.lci()
        lca.lcia()
        for i in range(n):
            if i:
                next(lca)
                lca.redo_lci({reference: 1})
                lca.redo_lcia()
            assert lca.score == pytest.approx(scores["reference"][i], rel=1e-9)
            lca.redo_lci({alternative: 1})
            lca.redo_lcia()
            assert lca.score == pytest.approx(scores["alternative"][i], rel=1e-9)
    assert np.std(scores["reference"]) > 50  # the draws really vary the result
