"""The closed loop in the cell (ISO 14044 4.3.4.3, docs/allocation.md 'Closed loop in the cell').

The cell's cathode part carries the gross cathode made per good cell, 1 / (1 - cathode_scrap_rate),
and its scrap returns as recycled nickel through the nickel supply mix. Raising the scrap rate
raises the cell by exactly the burden of the extra gross material (recomputed here from the part's
inputs), and a recycled share above what the loop supplies (scrap rate x the loop's recovery) is
refused with the maximum and its arithmetic.
"""

from __future__ import annotations

import shutil
import warnings

import pytest
from openpyxl import load_workbook

from lca.paths import shipped_inventories

CELL = "cell-2170-kwh"
SCRAP = "cfp_products.cathode_scrap_rate"
RATE = 0.05  # the workbook's cathode_scrap_rate
RAISED = 0.10


def _open(data_dir, sets=()):
    """(project, bd, products, comparisons, changes) inside an open project: use as a context manager."""
    from contextlib import contextmanager

    @contextmanager
    def opened():
        from lca.brightway.project import open_project
        from lca.runs.session import parameter_changes
        from lca.subjects.products import find_products
        from lca.subjects.routes import list_comparisons

        with open_project(data_dir=data_dir) as project, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import bw2data as bd

            products = find_products(bd, project.databases, [CELL])
            comparisons = list_comparisons(bd, project.databases)
            yield project, bd, products, comparisons, parameter_changes(project, tuple(sets), ())

    return opened()


def _footprint(data_dir, rate=None, share=0.0):
    from lca.analysis.footprint import Scenario, footprints
    from lca.brightway.methods import get_method

    sets = (f"{SCRAP}={rate}",) if rate is not None else ()
    with _open(data_dir, sets) as (_, bd, products, comparisons, changes):
        return footprints(bd, products, comparisons, Scenario(copper="primary", recycled_nickel=share),
                          get_method(None), changes)[0]


def _extra_burden_by_hand(data_dir, old_rate, new_rate):
    """Per kWh: (extra gross CAM x CAM footprint, extra other inputs x their footprints), from the
    cathode part's inputs and the cathode's aluminium foil, each input's footprint by bw2calc."""
    import bw2calc as bc

    from lca.brightway.methods import get_method

    method = get_method(None).name
    with _open(data_dir) as (_, bd, products, _comparisons, _changes):
        cell = bd.get_node(id=products[0].node_id)
        cathode = bd.get_node(database="cfp_products", code="cell-cathode")
        collectors = bd.get_node(database="cfp_products", code="cell-collectors")
        cells = next(e["amount"] for e in cell.technosphere() if e.input.key == cathode.key)
        inputs = list(cathode.technosphere()) + [e for e in collectors.technosphere()
                                                 if e.input["name"] == "aluminium, sheet and fin stock"]
        # amounts in the workbook are gross at old_rate: the extra at new_rate is amount x (g_new / g_old - 1)
        factor = (1 - old_rate) / (1 - new_rate) - 1
        cam = other = 0.0
        for exchange in inputs:
            lca = bc.LCA({exchange.input: 1}, method)
            lca.lci()
            lca.lcia()
            extra = cells * exchange["amount"] * factor * lca.score
            if exchange.input["name"] == "cathode active material, NCA":
                cam += extra
            else:
                other += extra
    return cam, other


def test_raising_the_scrap_rate_adds_the_burden_of_the_extra_cathode_material(data_dir):
    base = _footprint(data_dir)
    raised = _footprint(data_dir, rate=RAISED)
    cam, other = _extra_burden_by_hand(data_dir, RATE, RAISED)
    assert cam > 0 and other > 0
    assert raised.total - base.total == pytest.approx(cam + other, rel=1e-6)
    parts, raised_parts = dict(base.parts), dict(raised.parts)
    assert raised_parts["cathode"] > parts["cathode"]
    assert raised_parts["anode"] == pytest.approx(parts["anode"], rel=1e-12)  # only the cathode's material is gross
    # the cathode material drawn per kWh is the net CAM / (1 - rate)
    assert raised.cathode_material_kg / base.cathode_material_kg == pytest.approx((1 - RATE) / (1 - RAISED))


def test_the_loop_supplies_scrap_rate_times_the_recycled_routes_recovery(data_dir):
    from lca.analysis.footprint import ClosedLoopError, Scenario, check_closed_loops, chosen_scenario, loop_limits
    from lca.subjects.products import list_products

    with _open(data_dir) as (project, bd, products, comparisons, changes):
        values = {p.id: p.amount for p in project.parametric_model().parameters}
        (limit,) = loop_limits(bd, products, comparisons, changes)
        recovery = (values["cfp_nickel.pyro_ni_recovery"] * values["cfp_nickel.hydro_ni_recovery"]
                    * values["cfp_nickel.pcam_ni_yield"] * values["cfp_nickel.cam_yield"])
        other = values["cfp_products.cathode_loop_other_share"]
        assert limit.maximum == pytest.approx(values[SCRAP] * recovery + other)
        assert limit.maximum == pytest.approx(RATE * 0.95 * 0.95)
        within = Scenario(recycled_nickel=limit.maximum)
        check_closed_loops(bd, products, comparisons, within, changes)  # within the loop: passes
        with pytest.raises(ClosedLoopError) as refused:
            check_closed_loops(bd, products, comparisons, Scenario(recycled_nickel=0.2), changes)
        message = str(refused.value)
        assert "0.2" in message and f"{limit.maximum:.4g}" in message
        assert "--set cfp_products.cathode_scrap_rate" in message
        # the default chosen supply: the 0.2 target is more than the loop supplies, so it takes the loop's maximum
        chosen = chosen_scenario(bd, products, comparisons)
        assert (chosen.copper, chosen.recycled_nickel) == ("scrap", pytest.approx(limit.maximum))
        assert "0.2 target" in chosen.note
        others = [p for p in list_products(bd, project.databases).values() if not p.loops]
        assert chosen_scenario(bd, others[:1], comparisons).recycled_nickel == 0.2  # no loop, no limit


def test_a_share_within_the_loop_passes_and_one_above_is_refused(run):
    refused = run("footprint", CELL, "--recycled-nickel", "0.3")
    assert refused.exit_code == 1
    assert "Traceback" not in refused.stderr + refused.stdout
    assert "0.3" in refused.stderr and "at most 0.04512" in refused.stderr and "scrap rate" in refused.stderr
    # a higher scrap rate (set for the run) lets the loop supply more: 0.2 x 0.9025 = 0.1805 >= 0.18
    passed = run.json("footprint", CELL, "--recycled-nickel", "0.18", "--set", f"{SCRAP}=0.2")
    assert passed["total"] > 0


def test_a_share_from_another_source_must_name_it(tmp_path):
    from lca.errors import InventoryError
    from lca.inventory.load import load_inventory

    for path in shipped_inventories().glob("*.xlsx"):
        shutil.copy(path, tmp_path / path.name)
    book = load_workbook(tmp_path / "products.xlsx")
    sheet = book["inventory"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "cathode_loop_other_share")
    sheet.cell(row, 2).value = 0.1
    book.save(tmp_path / "products.xlsx")
    with pytest.raises(InventoryError) as refused:
        load_inventory(tmp_path, check_solvable=False)
    assert any("cathode_loop_other_share" in str(p) and "other source:" in str(p) for p in refused.value.problems)
    sheet.cell(row, 4).value = "other source: end-of-life cells recycled by SMM (test)"
    book.save(tmp_path / "products.xlsx")
    load_inventory(tmp_path, check_solvable=False)
