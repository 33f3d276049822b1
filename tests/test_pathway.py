"""Pathways on a tiny system whose footprints are written out by hand.

    tinypbg:  electricity, grid_co2 kg CO2/kWh (0.5; uniform 0.4 to 0.6)
    tinypcu:  copper per kg: primary 4 kg CO2, scrap 1 kg CO2; supply mix (1 - scrap_share) primary + scrap_share scrap
    tinypprod, product "gadget":
        wiring   (part): 2 kg copper supply + wiring_kwh kWh   (wiring_kwh 1)
        assembly (the product): assembly_kwh kWh                (assembly_kwh 2)

    footprint = copper + grid x (wiring_kwh + assembly_kwh)
    baseline  = 2 x 4 + 0.5 x (1 + 2) = 9.5

Levers, in the order written:
    L1 scrap copper      copper=scrap      copper 8 -> 2
    L2 lower grid        grid_co2 0.2
    L3 efficient wiring  wiring_kwh 0.5
    L4 idle              assembly_kwh 2 (its own value: no effect in any combination)

    waterfall: L1 9.5 - 3.5 = 6;  L2 3.5 - (2 + 0.2 x 3) = 0.9;  L3 2.6 - (2 + 0.2 x 2.5) = 0.1;  L4 0
    Shapley:   L1 6 (no interaction);
               L2 1/2 [(1.5 - 0.6) + (1.25 - 0.5)] = 0.825;  L3 1/2 [(1.5 - 1.25) + (0.6 - 0.5)] = 0.175;  L4 0
    final 2.5 = 9.5 - 7
"""

from __future__ import annotations

import json
import re

import pytest
from workbooks import CO2, activity, bio, tech, write_workbook

from lca.analysis.attribution import all_subsets, shapley, waterfall

UNIFORM = 4

LEVERS = {
    "L1": "  - name: scrap copper\n    year: 2025\n    source: test\n    supply:\n      copper: scrap\n",
    "L2": "  - name: lower grid\n    year: 2026\n    source: test\n    set:\n      grid_co2: 0.2\n",
    "L3": "  - name: efficient wiring\n    year: 2027\n    source: test\n    set:\n      wiring_kwh: 0.5\n",
    "L4": "  - name: idle\n    year: 2028\n    source: test\n    set:\n      assembly_kwh: 2\n",
}


def write_system(folder):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinypbg.xlsx", "tinypbg", [
        activity("electricity", "elec", unit="kilowatt hour", exchanges=[bio(CO2, 0.5, formula="grid_co2")])],
        {"grid_co2": {"amount": 0.5, "unit": "kg CO2/kWh", "minimum": 0.4, "maximum": 0.6,
                      "uncertainty type": UNIFORM}})
    write_workbook(folder / "tinypcu.xlsx", "tinypcu", [
        activity("cu mining", "cu-mine", stage="mining", exchanges=[bio(CO2, 4, formula="mining_co2")]),
        activity("cu, primary", "cu-primary", comparison="copper", route="primary", route_label="Primary copper",
                 exchanges=[tech("cu mining", 1)]),
        activity("cu remelting", "cu-remelt", stage="remelting", exchanges=[bio(CO2, 1)]),
        activity("cu, scrap", "cu-scrap", comparison="copper", route="scrap", route_label="Scrap copper",
                 exchanges=[tech("cu remelting", 1)]),
        activity("cu supply", "cu-supply", supply_of="copper", supply_basis="cathode", conventional_supply="primary",
                 chosen_supply="scrap", exchanges=[tech("cu, primary", 1, formula="1 - scrap_share"),
                                                   tech("cu, scrap", 0, formula="scrap_share")]),
    ], {"scrap_share": {"amount": 0, "minimum": 0, "maximum": 1},
        "mining_co2": {"amount": 4, "unit": "kg CO2/kg", "minimum": 0}})
    write_workbook(folder / "tinypprod.xlsx", "tinypprod", [
        activity("wiring", "wiring", unit="unit", stage="wiring",
                 exchanges=[tech("cu supply", 2, database="tinypcu"),
                            tech("electricity", 1, unit="kilowatt hour", database="tinypbg", formula="wiring_kwh")]),
        activity("gadget", "gadget", unit="unit", stage="assembly", product="gadget", product_label="Gadget",
                 **{"declared mass (kg)": 2},
                 exchanges=[tech("wiring", 1, unit="unit"),
                            tech("electricity", 2, unit="kilowatt hour", database="tinypbg", formula="assembly_kwh")]),
    ], {"wiring_kwh": {"amount": 1, "unit": "kWh", "minimum": 0, "maximum": 5},
        "assembly_kwh": {"amount": 2, "unit": "kWh", "minimum": 0, "maximum": 5},
        "site_kwh": {"formula": "wiring_kwh + assembly_kwh", "unit": "kWh", "minimum": 0, "maximum": 6}})
    return folder


def pathway_text(order=("L1", "L2", "L3", "L4"), reduction=0.5, target_year=2031):
    return ("name: tiny plan\ndescription: test\nsubject:\n  product: gadget\n"
            "baseline:\n  year: 2022\n  label: FY2022\n  source: test\n"
            f"target:\n  year: {target_year}\n  reduction: {reduction}\n  source: test\n"
            "levers:\n" + "".join(LEVERS[k] for k in order))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("pathway")
    return {"inventories": write_system(root / "inv"), "data": root / "bw", "root": root}


def run_pathway(run, tiny, text, *extra, name="plan.yaml"):
    path = tiny["root"] / name
    path.write_text(text, encoding="utf-8")
    return run("pathway", str(path), "--inventories", tiny["inventories"], "--data-dir", tiny["data"], *extra)


def pathway_json(run, tiny, text, *extra):
    result = run_pathway(run, tiny, text, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the arithmetic of the two attributions -------------------------------------------------


def tiny_value(taken: frozenset) -> float:
    copper = 2 * (1 if 0 in taken else 4)
    grid = 0.2 if 1 in taken else 0.5
    wiring = 0.5 if 2 in taken else 1
    return copper + grid * (wiring + 2)


def test_waterfall_and_shapley_by_hand():
    values = {s: tiny_value(s) for s in all_subsets(4)}
    assert waterfall(4, values) == pytest.approx([6, 0.9, 0.1, 0])
    assert shapley(4, values) == pytest.approx([6, 0.825, 0.175, 0])
    assert sum(shapley(4, values)) == pytest.approx(9.5 - 2.5)


def test_shapley_does_not_depend_on_the_order():
    order = [2, 0, 3, 1]  # lever k of the new order is old lever order[k]
    values = {s: tiny_value(frozenset(order[i] for i in s)) for s in all_subsets(4)}
    assert shapley(4, values) == pytest.approx([0.175, 6, 0, 0.825])
    assert waterfall(4, values) == pytest.approx([0.25, 6, 0, 0.75])  # L3 first: 0.5 x 0.5 = 0.25


# --- the command on the tiny system ------------------------------------------------------------


def test_pathway_command_by_hand(run, tiny):
    data = pathway_json(run, tiny, pathway_text())
    assert data["baseline"]["footprint"] == pytest.approx(9.5)
    assert data["final"]["footprint"] == pytest.approx(2.5)
    assert [lv["saving_waterfall"] for lv in data["levers"]] == pytest.approx([6, 0.9, 0.1, 0], abs=1e-9)
    assert [lv["saving_shapley"] for lv in data["levers"]] == pytest.approx([6, 0.825, 0.175, 0], abs=1e-9)
    assert sum(lv["saving_waterfall"] for lv in data["levers"]) == pytest.approx(9.5 - 2.5, abs=1e-12)
    assert sum(lv["saving_shapley"] for lv in data["levers"]) == pytest.approx(9.5 - 2.5, abs=1e-12)
    assert [lv["footprint_after"] for lv in data["levers"]] == pytest.approx([3.5, 2.6, 2.5, 2.5])
    assert data["target"]["value"] == pytest.approx(9.5 * 0.5)
    assert data["reached"] is True and data["gap"] == pytest.approx(2.5 - 4.75)
    assert data["states_solved"] == 16
    assert data["final"]["supply"] == {"copper": "scrap"}


def test_reordering_changes_the_waterfall_not_shapley_nor_the_final(run, tiny):
    first = pathway_json(run, tiny, pathway_text())
    reordered = re.sub(r"    year: 202\d", "    year: 2030", pathway_text(order=("L3", "L1", "L4", "L2")))
    second = pathway_json(run, tiny, reordered)
    by_name = {lv["name"]: lv for lv in second["levers"]}
    for lever in first["levers"]:
        assert by_name[lever["name"]]["saving_shapley"] == pytest.approx(lever["saving_shapley"], abs=1e-12)
    assert by_name["efficient wiring"]["saving_waterfall"] == pytest.approx(0.25)
    assert by_name["lower grid"]["saving_waterfall"] == pytest.approx((2 + 0.5 * 2.5) - (2 + 0.2 * 2.5))
    assert second["final"]["footprint"] == pytest.approx(first["final"]["footprint"])


def test_a_target_missed_gives_the_gap(run, tiny):
    data = pathway_json(run, tiny, pathway_text(reduction=0.8))
    assert data["reached"] is False
    assert data["gap"] == pytest.approx(2.5 - 9.5 * 0.2)
    table = run_pathway(run, tiny, pathway_text(reduction=0.8))
    assert table.exit_code == 0, table.output
    assert "Target NOT reached" in table.stdout and "0.600" in table.stdout


def test_csv_rows_sum(run, tiny):
    result = run_pathway(run, tiny, pathway_text(), "--format", "csv")
    assert result.exit_code == 0, result.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["step"] for r in rows] == ["baseline", "lever", "lever", "lever", "lever", "final", "target"]
    levers = [r for r in rows if r["step"] == "lever"]
    assert sum(float(r["saving_shapley"]) for r in levers) == pytest.approx(7.0)
    assert all(r["unit"] and r["method"] for r in rows)


def test_monte_carlo_probability_reproduces_and_matches_the_hand_value(run, tiny):
    # baseline draw 8 + 3g (g uniform 0.4..0.6), final 2.5 (the lever fixes the grid at 0.2);
    # reached when 2.5 <= 0.26 (8 + 3g), i.e. g >= (2.5 / 0.26 - 8) / 3 = 0.53846: P = (0.6 - 0.53846) / 0.2
    text = pathway_text(reduction=0.74)
    first = pathway_json(run, tiny, text, "-n", "20000", "--seed", "7")
    again = pathway_json(run, tiny, text, "-n", "20000", "--seed", "7")
    other = pathway_json(run, tiny, text, "-n", "20000", "--seed", "8")
    p = first["monte_carlo"]["probability_target_reached"]
    assert p == again["monte_carlo"]["probability_target_reached"]
    assert p != other["monte_carlo"]["probability_target_reached"]
    assert p == pytest.approx((0.6 - (2.5 / 0.26 - 8) / 3) / 0.2, abs=0.015)
    assert first["monte_carlo"]["final"]["p2_5"] == pytest.approx(2.5)


# --- files that are refused ----------------------------------------------------------------------


@pytest.mark.parametrize("change, expected", [
    (("grid_co2: 0.2", "grid_c02: 0.2"), "no parameter 'grid_c02'"),
    (("wiring_kwh: 0.5", "wiring_kwh: 9"), "outside"),
    (("copper: scrap", "copper: gold"), "unknown route 'gold' of comparison copper. Known: primary, scrap"),
    (("copper: scrap", "steel: scrap"), "unknown comparison 'steel' with a supply mix. Known: copper"),
    (("year: 2026", "year: 2021"), "before"),
    (("year: 2027", "year: 2025"), "never go down"),
    (("reduction: 0.5", "reduction: 50"), "not a percentage"),
    (("product: gadget", "product: gizmo"), "unknown product 'gizmo'"),
    (("year: 2028", "year: 2035"), "outside"),
    (("    source: test\n    set:\n      assembly_kwh: 2\n", "    set:\n      assembly_kwh: 2\n"), "source"),
    (("name: idle", "name: lower grid"), "named twice"),
    (("  reduction: 0.5\n", "  reduction: 0.5\n  value: 3\n"), "exactly one"),
    (("levers:\n", "levers:\n  - &a {name: x}\n"), "anchors"),
])
def test_bad_pathways_are_refused(run, tiny, change, expected):
    old, new = change
    text = pathway_text()
    assert old in text
    result = run_pathway(run, tiny, text.replace(old, new, 1), name="bad.yaml")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert "bad.yaml" in result.output or expected.startswith("unknown product")


def test_a_lever_combination_that_breaks_a_rule_is_named(run, tiny, tmp_path):
    # wiring_kwh may go to 5 and assembly_kwh to 5; each lever alone is fine, so is every combination here,
    # but a lever that sets the copper share parameter directly is refused: supply is chosen, not set
    text = pathway_text().replace("      grid_co2: 0.2\n", "      grid_co2: 0.2\n      scrap_share: 0.5\n")
    result = run_pathway(run, tiny, text, name="share.yaml")
    assert result.exit_code == 1, result.output
    assert "scrap_share" in result.output and "supply" in result.output


def test_a_combination_of_levers_that_breaks_a_rule_is_named(run, tiny):
    # each lever alone keeps site_kwh = wiring_kwh + assembly_kwh within its maximum 6 (4 + 2, 1 + 3),
    # together they give 7: the state with both is refused, naming the levers
    text = pathway_text().replace("wiring_kwh: 0.5", "wiring_kwh: 4").replace("assembly_kwh: 2", "assembly_kwh: 3")
    result = run_pathway(run, tiny, text, name="combined.yaml")
    assert result.exit_code == 1, result.output
    assert "the baseline with 'efficient wiring', 'idle'" in result.output
    assert "site_kwh" in result.output and "Traceback" not in result.output


def test_a_route_of_a_comparison_as_subject(run, tiny):
    # primary copper 4 kg CO2/kg; the lever cuts mining to 3; the grid lever does not reach it: 0
    text = ("subject:\n  comparison: copper\n  route: primary\nbaseline:\n  year: 2022\n"
            "target:\n  year: 2030\n  value: 3.5\n  source: test\n"
            "levers:\n  - name: cleaner mine\n    year: 2025\n    source: test\n    set:\n      mining_co2: 3\n"
            "  - name: lower grid\n    year: 2026\n    source: test\n    set:\n      grid_co2: 0.2\n")
    data = pathway_json(run, tiny, text)
    assert data["subject"]["kind"] == "route" and data["baseline"]["footprint"] == pytest.approx(4)
    assert [lv["saving_shapley"] for lv in data["levers"]] == pytest.approx([1, 0], abs=1e-12)
    assert data["reached"] is True and data["target"]["value"] == 3.5
    supply = text.replace("    set:\n      mining_co2: 3\n", "    supply:\n      copper: scrap\n")
    refused = run_pathway(run, tiny, supply, name="route-supply.yaml")
    assert refused.exit_code == 1 and "applies to a product" in refused.output


def test_pathways_lists_the_folder_and_the_shipped_ones(run, tiny):
    folder = tiny["inventories"] / "pathways"
    folder.mkdir(exist_ok=True)
    (folder / "tiny-plan.yaml").write_text(pathway_text(), encoding="utf-8")
    result = run("pathways", "--inventories", tiny["inventories"], "--format", "json")
    assert result.exit_code == 0, result.output
    names = [p["name"] for p in json.loads(result.stdout)["pathways"]]
    assert names[0] == "tiny-plan"
    by_name = run("pathway", "tiny-plan", "--inventories", tiny["inventories"], "--data-dir", tiny["data"],
                  "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout)["final"]["footprint"] == pytest.approx(2.5)


# --- the shipped pathways ------------------------------------------------------------------------


def test_the_shipped_cell_pathway_in_one_command(run):
    data = run.json("pathway", "cell-2031-halving")
    assert data["baseline"]["regions"] == {"cell plant": "US"}
    assert {"id": "cfp_products.cell_plant_us_share", "value": 1.0} in [
        {k: p[k] for k in ("id", "value")} for p in data["baseline"]["parameters"]]
    # the baseline is `lca footprint` of the cell made at the US plant under the conventional supply
    footprint = run.json("footprint", "cell-2170-kwh", "--set", "cfp_products.cell_plant_us_share=1")
    assert data["baseline"]["footprint"] == pytest.approx(footprint["total"], rel=1e-5)  # JSON rounds totals
    levers = data["levers"]
    saving = data["baseline"]["footprint"] - data["final"]["footprint"]
    assert sum(lv["saving_waterfall"] for lv in levers) == pytest.approx(saving, rel=1e-9)
    assert sum(lv["saving_shapley"] for lv in levers) == pytest.approx(saving, rel=1e-9)
    assert data["target"]["value"] == pytest.approx(0.5 * data["baseline"]["footprint"])
    nickel = next(lv for lv in levers if lv["name"] == "Recycled nickel 20 %")
    assert 0 < nickel["saving_shapley"] < 0.05 * data["baseline"]["footprint"]  # the story: about 2 %
    shares = {c["metal"]: c["share"] for c in data["final"]["battery_regulation"]["recycled_content"]["metals"]}
    assert shares == pytest.approx({"cobalt": 0.2, "lithium": 0.2, "nickel": 0.2})


def test_every_shipped_pathway_runs(run):
    listed = run.json("pathways")["pathways"]
    assert {"appliance-copper", "cell-2031-halving"} <= {p["name"] for p in listed}
    for item in listed:
        data = run.json("pathway", item["name"])
        assert data["levers"] and data["final"]["footprint"] > 0
