"""The written project is safe to open in Activity Browser (issue 18): readable project names, no
parameter bounds AB refuses; bw2data's own recalculation gives the tool's amounts (see also
test_shipped_inventories.test_the_project_is_parametric_for_other_brightway_tools)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lca.brightway.exchange_parts import stored_parts
from lca.brightway.project import _project_name, open_project


def test_project_names_are_readable_and_still_one_per_folder(tmp_path):
    first, second = tmp_path / "a" / "Copper Study 2026", tmp_path / "b" / "Copper Study 2026"
    assert _project_name(first).startswith("lca-cfp-copper-study-2026-")
    assert _project_name(first) != _project_name(second)
    assert _project_name(Path("/x/インベントリ")).startswith("lca-cfp-inventories-")  # nothing ASCII to show


def test_no_parameter_has_bounds_activity_browser_refuses(data_dir):
    with open_project(data_dir=data_dir):
        import bw2data as bd
        from bw2data.parameters import DatabaseParameter

        assert bd.projects.current.startswith("lca-cfp-inventories-")
        records = [(p.database, p.name, p.data) for p in DatabaseParameter.select()]
        assert len(records) > 100
        fixed = [(db, name) for db, name, data in records
                 if data.get("minimum") is not None and data.get("minimum") == data.get("maximum")
                 and data.get("uncertainty type") in (None, 0, 1)]
        assert fixed == []
        # the check the workbook states is still the tool's: composition_sum keeps its range there
        composition = next(data for db, name, data in records if name == "composition_sum")
        assert "minimum" not in composition and "maximum" not in composition


# --- at most one parameterised exchange per (input, output, type): parts merged (AB issue 1289) ------------


def _formula_exchanges(databases):
    from bw2data.backends import ExchangeDataset

    return [e for e in ExchangeDataset.select().where(ExchangeDataset.output_database << list(databases))
            if e.data.get("formula")]


def test_no_two_formula_exchanges_share_input_output_and_type(data_dir):
    from collections import Counter

    from lca.inventory.load import load_inventory
    from lca.paths import shipped_inventories

    with open_project(data_dir=data_dir) as project:
        from bw2data.backends import ExchangeDataset
        from bw2data.parameters import ParameterizedExchange

        formulas = _formula_exchanges(project.databases)
        pairs = Counter((e.input_database, e.input_code, e.output_database, e.output_code, e.type) for e in formulas)
        assert max(pairs.values()) == 1
        # bw2data's parameterised exchanges (what Activity Browser reads) are those same exchanges, one each
        linked = [p.exchange for p in ParameterizedExchange.select()]
        assert sorted(linked) == sorted(e.id for e in formulas)
        keyed = Counter((e.input_database, e.input_code, e.output_database, e.output_code, e.type)
                        for e in ExchangeDataset.select().where(ExchangeDataset.id << linked))
        assert max(keyed.values()) == 1
        merged = [e for e in formulas if e.data.get("parts")]
        for e in merged:
            parts = stored_parts(e.data)
            assert len(parts) >= 2 and all(p["formula"] for p in parts)
            assert e.data["amount"] == sum(p["amount"] for p in parts) == e.data["original_amount"]
            assert e.data["formula"] == " + ".join(f"({p['formula']})" for p in parts)
            assert "uncertainty type" not in e.data  # a part's distribution is not one of the sum
    # every (input, type) of an activity with two or more formula exchanges in the workbooks is one of them
    inventory = load_inventory(shipped_inventories(), check_solvable=False)
    shared = Counter((a.key, e.input, e.type) for db in inventory.databases for a in db.activities
                     for e in a.exchanges if e.formula)
    expected = {key: n for key, n in shared.items() if n > 1}
    assert len(merged) == len(expected) == 22
    assert sorted(len(stored_parts(e.data)) for e in merged) == sorted(expected.values())


def test_bw2data_recalculation_gives_the_tools_amounts_of_merged_exchanges(tmp_path, prebuilt_data_dir):
    from lca.brightway.exchange_parts import amount_key

    data = prebuilt_data_dir(tmp_path / "bw")  # the shipped project, in a folder of this test's own
    with open_project(data_dir=data) as project:
        from bw2data.backends import ExchangeDataset
        from bw2data.parameters import DatabaseParameter, parameters

        model = project.parametric_model()
        written = {e.id: e.data["amount"] for e in _formula_exchanges(project.databases)}
        merged = {e.id for e in _formula_exchanges(project.databases) if e.data.get("parts")}
        assert len(merged) == 22

        def stored():
            return {e.id: e.data["amount"] for e in ExchangeDataset.select().where(ExchangeDataset.id << list(written))}

        parameters.recalculate()  # nothing changed: bw2data's own evaluation gives what the tool wrote
        assert stored() == written
        # the tool's amounts as the parts sum them, and the same amounts as bw2data recalculates them
        changes = {"cfp_background.gen_wtt_split": 0.3, "cfp_copper.stripping_ratio": 2.9}
        evaluation = model.evaluate(changes)
        tool: dict[int, float] = {}
        for exchange, amount in zip(model.exchanges, evaluation.amounts, strict=True):
            tool[exchange.exchange_id] = tool.get(exchange.exchange_id, 0.0) + float(amount)
            assert (exchange.part is not None) == (exchange.exchange_id in merged)
            assert amount_key(exchange.exchange_id, exchange.part) is not None
        assert set(tool) == set(written)
        for pid, value in changes.items():
            database, name = pid.split(".")
            parameter = DatabaseParameter.get(database=database, name=name)
            parameter.amount = value
            parameter.save()
        parameters.recalculate()
        after = stored()
        moved = [i for i in merged if after[i] != pytest.approx(written[i], rel=1e-6)]
        assert len(moved) >= 8 + 5  # the grids' CO2 (the well-to-tank part) and the mines' electricity
        assert after == pytest.approx(tool, rel=1e-12)


def test_a_merged_exchange_keeps_both_sources_and_both_parts_ratings(data_dir):
    from lca.inventory.load import load_inventory
    from lca.inventory.ratings import QUALITY_COLUMNS
    from lca.paths import shipped_inventories
    from lca.report.evidence import collect_evidence

    inventory = load_inventory(shipped_inventories(), check_solvable=False)
    grid = next(a for db in inventory.databases for a in db.activities if a.code == "elec-gen-cl")
    stated = [e for e in grid.exchanges if e.type == "biosphere" and e.formula]
    assert len(stated) == 2 and stated[0].input == stated[1].input
    assert dict(stated[0].quality)["GeR"] != dict(stated[1].quality)["GeR"]  # 1 and 2: the parts differ
    with open_project(data_dir=data_dir) as project:
        import bw2data as bd

        node = bd.get_node(database=grid.database, code=grid.code)
        exchanges = [e for e in node.biosphere() if e.input.key == stated[0].input]
        assert len(exchanges) == 1
        data = exchanges[0].as_dict()
        assert data["comment"] == f"part 1: {stated[0].comment} | part 2: {stated[1].comment}"
        for part, exchange in zip(stored_parts(data), stated, strict=True):
            assert part["comment"] == exchange.comment and part["amount"] == exchange.amount
            assert part["formula"] == exchange.formula and part["unit"] == exchange.unit
            assert {k: part[k] for k in QUALITY_COLUMNS} == dict(exchange.quality)
            assert (part["worksheet"], part["source row"]) == (exchange.where.sheet, exchange.where.row)
        assert data["TeR"] == 2 and "GeR" not in data  # a rating of the whole only where the parts agree
        # the report's evidence: a row per part, each with its own source
        evidence = collect_evidence(bd, project.databases, [node.key], METHOD)
        rows = [r for r in evidence.exchanges if r.activity == grid.name and r.type == "biosphere"
                and r.flow.startswith("Carbon dioxide, fossil")]
        assert [(r.amount, r.source) for r in rows] == [(e.amount, e.comment) for e in stated]


METHOD = ("IPCC 2021", "climate change", "global warming potential (GWP100)")


def test_results_are_those_before_the_merge(run):
    """The shipped results as the tool gave them before formula exchanges were merged (same seed, same
    draws). bw2data stores a matrix cell in float32: the merged cell is rounded once instead of part by
    part, which moves full-precision results by about 1e-8 relative at most; every number shown stays."""
    compared = run.json("compare", "copper")
    assert [r["total"] for r in compared["routes"]] == [4464.43, 1040.35]
    assert compared["difference"]["absolute"] == 3424.08
    assert run.json("footprint", "cell-2170")["total"] == 1.33578
    drawn = run.json("uncertainty", "copper", "-n", "300", "--seed", "4")
    assert (drawn["routes"][0]["mean"], drawn["difference"]["mean"]) == (4365.53, 3292.57)


# --- a tiny system: two formula parts, a plain exchange in the same cell ----------------------------------

NORMAL = 3  # stats_arrays id


def _rated(te, ge, ti, primary):
    return {"TeR": te, "GeR": ge, "TiR": ti, "primary data": primary}


def _write_parts(folder: Path, *, merged: bool = True) -> Path:
    """electricity: CO2 grid_co2 (0.4) + CO2 0.1 (no formula, normal sd 0.02) + CO2 grid_co2 * wtt (0.2);
    route A 2 kWh; hauling: CO2 haul_co2 (3, the parameter normal sd 0.3) + CO2 haul_co2 * 0.1 (0.3); route
    B hauling. ``merged=False``: the second formula of each pair written as a plain number (nothing to
    merge), the control. A formula exchange has no distribution of its own: the workbook check refuses one."""
    from workbooks import CO2, activity, bio, tech, write_workbook

    def second(formula):
        return {"formula": formula} if merged else {}

    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", [
        activity("electricity", "elec", unit="kilowatt hour", exchanges=[
            bio(CO2, 0.4, formula="grid_co2", comment="grid, direct", **_rated(2, 3, 1, "no")),
            bio(CO2, 0.1, comment="plain, no formula", **{"uncertainty type": NORMAL, "scale": 0.02},
                **_rated(3, 3, 3, "no")),
            bio(CO2, 0.2, comment="grid, well-to-tank", **second("grid_co2 * wtt"), **_rated(1, 1, 1, "yes"))])],
        parameters={"grid_co2": 0.4, "wtt": 0.5})
    return write_workbook(folder / "tiny.xlsx", "tiny", [
        activity("making", "make", stage="make", exchanges=[
            tech("electricity", 2, unit="kilowatt hour", database="tinybg", **_rated(1, 1, 1, "yes"))]),
        activity("metal, route A", "route-a", comparison="metal", route="a", route_label="Route A",
                 exchanges=[tech("making", 1)]),
        activity("hauling", "haul", stage="haul", exchanges=[
            bio(CO2, 3.0, formula="haul_co2", comment="truck, direct", **_rated(2, 2, 2, "no")),
            bio(CO2, 0.3, comment="truck, upstream", **second("haul_co2 * 0.1"), **_rated(1, 1, 1, "yes"))]),
        activity("metal, route B", "route-b", comparison="metal", route="b", route_label="Route B",
                 exchanges=[tech("hauling", 1)]),
    ], parameters={"haul_co2": {"amount": 3.0, "unit": "kg CO2 / kg", "uncertainty type": NORMAL, "scale": 0.3}})


@pytest.fixture(scope="module")
def parts_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    return _write_parts(root / "merged").parent, _write_parts(root / "control", merged=False).parent


def test_the_tiny_project_merges_formula_parts_and_leaves_plain_exchanges_alone(run, parts_folders):
    merged, _ = parts_folders
    with open_project(data_dir=run.data_dir, inventories=merged) as project:
        import bw2data as bd

        electricity = [e.as_dict() for e in bd.get_node(database="tinybg", code="elec").biosphere()]
        assert len(electricity) == 2  # the two formula parts as one exchange; the plain one beside it
        whole = next(e for e in electricity if e.get("parts"))
        plain = next(e for e in electricity if not e.get("parts"))
        assert (whole["formula"], whole["amount"]) == ("(grid_co2) + (grid_co2 * wtt)", pytest.approx(0.6))
        assert (plain["amount"], plain.get("formula"), plain["uncertainty type"]) == (0.1, None, NORMAL)
        assert [p["comment"] for p in stored_parts(whole)] == ["grid, direct", "grid, well-to-tank"]
        assert whole["comment"] == "part 1: grid, direct | part 2: grid, well-to-tank"
        assert "TeR" not in whole and [p["TeR"] for p in stored_parts(whole)] == [2, 1]
        # the tool's model keeps the parts: one formula exchange each, on one Brightway exchange id
        model = project.parametric_model()
        haul = bd.get_node(database="tiny", code="haul")
        parts = [e for e in model.exchanges if e.output == haul.id]
        assert [(e.part, e.formula, e.amount) for e in parts] == [(0, "haul_co2", 3.0),
                                                                  (1, "haul_co2 * 0.1", pytest.approx(0.3))]
        assert {e.exchange_id for e in parts} == {next(iter(haul.biosphere())).id}
        (uncertain,) = model.uncertain_exchanges  # the plain exchange's own distribution, not merged
        assert (uncertain.part, uncertain.distribution.scale) == (None, 0.02)


def test_merged_parts_give_the_same_results_as_separate_exchanges(run, parts_folders):
    merged, control = parts_folders
    a_rating = (1.3 / 0.7, 1.7 / 0.7, 0.9 / 0.7)  # the background's three CO2 exchanges, weighted 0.4 : 0.1 : 0.2
    b_rating = (2 * 3.0 + 0.3) / 3.3  # hauling's two parts, weighted 3.0 : 0.3, each with its own rating
    for folder in (merged, control):
        compared = run.json("compare", "metal", "--inventories", folder)
        a, b = compared["routes"]
        assert (a["total"], b["total"]) == (pytest.approx(1.4, rel=1e-6), pytest.approx(3.3, rel=1e-6))
        quality_a, quality_b = a["data_quality"], b["data_quality"]
        assert (quality_a["technological_dqr"], quality_a["geographical_dqr"], quality_a["temporal_dqr"]) == \
            pytest.approx(a_rating, abs=1e-3)
        assert quality_a["primary_data_share_percent"] == pytest.approx(100 * 0.2 / 0.7, abs=0.01)
        assert quality_b["technological_dqr"] == pytest.approx(b_rating, abs=1e-3)
        assert quality_b["primary_data_share_percent"] == pytest.approx(100 * 0.3 / 3.3, abs=0.01)
        assert (quality_b["rated_exchanges"], quality_b["contributing_exchanges"]) == (2, 2)
    # Monte Carlo: both parts follow the drawn parameter (B = 1.1 haul_co2, sd 0.33, not 0.3 of one part);
    # the plain exchange beside a merged one keeps its own distribution (A = 2 x (0.6 + x), sd 2 x 0.02)
    drawn = run.json("uncertainty", "metal", "--inventories", merged, "-n", "20000", "--seed", "11")
    assert drawn["sampled"] == {"parameters": 1, "exchanges": 1}
    a, b = drawn["routes"]
    assert (a["mean"], a["std"]) == (pytest.approx(1.4, rel=0.01), pytest.approx(0.04, rel=0.03))
    assert (b["mean"], b["std"]) == (pytest.approx(3.3, rel=0.01), pytest.approx(0.33, rel=0.03))
    # a parameter change moves both parts: 4 + 0.4
    changed = run.json("compare", "metal", "--inventories", merged, "--set", "haul_co2=4")
    assert changed["routes"][1]["total"] == pytest.approx(4.4, rel=1e-6)


def test_evidence_and_bw2data_recalculation_of_the_tiny_parts(run, parts_folders, tmp_path):
    import shutil

    from lca.brightway.matrices import MatrixChanges
    from lca.report.evidence import collect_evidence

    folder = tmp_path / "inventories"
    shutil.copytree(parts_folders[0], folder)  # its own project: bw2data's parameters are changed below
    with open_project(data_dir=run.data_dir, inventories=folder) as project:
        import bw2data as bd
        from bw2data.parameters import DatabaseParameter, parameters

        model = project.parametric_model()
        changes = MatrixChanges.from_amounts(model, model.evaluate({"tiny.haul_co2": 4.0}).amounts)
        haul = bd.get_node(database="tiny", code="haul")
        (whole,) = haul.biosphere()
        assert dict(changes.amounts) == {(whole.id, 0): 4.0, (whole.id, 1): pytest.approx(0.4)}
        (cell,) = changes.cells  # one delta for the one stored amount, from its float32 value
        assert cell.delta == 4.0 + 4.0 * 0.1 - float(np.float32(whole["amount"]))
        assert whole["amount"] == 3.0 + 3.0 * 0.1  # the parts' sum, as written
        for amounts, expected in ((None, (3.0, 0.3)), (changes, (4.0, 0.4))):
            evidence = collect_evidence(bd, project.databases, [haul.key], METHOD, amounts)
            rows = [(r.amount, r.source) for r in evidence.exchanges if r.activity == "hauling"]
            assert rows == [(expected[0], "truck, direct"), (pytest.approx(expected[1]), "truck, upstream")]
        parameter = DatabaseParameter.get(database="tiny", name="haul_co2")
        parameter.amount = 4.0
        parameter.save()
        parameters.recalculate()
        assert next(iter(haul.biosphere()))["amount"] == pytest.approx(4.0 + 4.0 * 0.1, rel=1e-12)


def test_merging_keeps_every_part_field_and_a_parts_distribution_stays_with_the_part():
    """What would happen to a part with a distribution of its own (the workbook check refuses a formula
    with one today): the merged exchange states none, the part keeps its fields, the tool reads them back."""
    from lca.brightway.exchange_parts import expanded, merge_formula_exchanges, parts_of

    first = {"input": ("bio", "co2"), "type": "biosphere", "amount": 2.0, "unit": "kilogram", "comment": "one",
             "formula": "a", "original_amount": 2.0, "uncertainty type": NORMAL, "loc": 2.0, "scale": 0.1,
             "TeR": 1, "GeR": 1, "TiR": 1, "primary data": "yes", "role": "waste", "worksheet": "s", "source row": 7}
    plain = {"input": ("bio", "co2"), "type": "biosphere", "amount": 0.5, "unit": "kilogram", "comment": "plain",
             "source row": 8}
    second = {"input": ("bio", "co2"), "type": "biosphere", "amount": 1.0, "unit": "kilogram", "comment": "two",
              "formula": "b * 2", "original_amount": 1.0, "TeR": 3, "GeR": 1, "TiR": 2, "primary data": "no",
              "worksheet": "s", "source row": 9}
    other = dict(second, type="technosphere", input=("db", "x"))
    records = merge_formula_exchanges([first, plain, second, other])
    assert [r["comment"] for r in records] == ["part 1: one | part 2: two", "plain", "two"]
    whole = records[0]
    assert (whole["amount"], whole["formula"], whole["source row"]) == (3.0, "(a) + (b * 2)", 7)
    assert "uncertainty type" not in whole and "role" not in whole and "TeR" not in whole and whole["GeR"] == 1
    stated = parts_of(dict(whole, output=("db", "y")))
    for part, record in zip(stated, (first, second), strict=True):
        assert part == dict({k: v for k, v in record.items() if k != "original_amount"}, output=("db", "y"))
    assert [amount for _, amount in expanded(5, whole, {(5, 1): 4.0})] == [2.0, 4.0]
    assert expanded(6, plain, {6: 0.7}) == [(plain, 0.7)]
