"""A new metal is a workbook, not code: the shipped inventories, copied, plus a made-up metal
("metalx": a comparison with a primary and a recycled route and a supply mix) and a product part
that draws on it. compare, footprint with --supply, uncertainty and report run on it unchanged.

    metalx, per kg:  primary  = mining,    mining_co2 kg CO2 (8; uniform 6 to 10)
                     recycled = remelting, 2 kg CO2
                     supply mix = (1 - recycled_share) primary + recycled_share recycled;
                     conventional supply 0, chosen supply 0.5
    widget (declared 0.5 kg): part "body" = 0.5 kg metalx supply + 1 kg CO2 of its own
        conventional (share 0):   0.5 x 8 + 1                     = 5.0
        --supply metalx=recycled: 0.5 x 2 + 1                     = 2.0
        chosen (share 0.5):       0.5 x (0.5 x 8 + 0.5 x 2) + 1   = 3.5
        the Monte Carlo difference conventional - chosen = 0.5 x 0.5 x (mining_co2 - 2): mean 1.5
"""

from __future__ import annotations

import openpyxl
import pytest
from workbooks import CO2, activity, bio, tech, write_workbook

UNIFORM = 4  # stats_arrays id


def _metal_workbooks(folder):
    write_workbook(folder / "metalx.xlsx", "cfp_metalx", [
        activity("metalx mining", "mx-mine", stage="mining", exchanges=[bio(CO2, 8, formula="mining_co2")]),
        activity("metalx, primary", "mx-primary", comparison="metalx", route="primary", route_group="primary",
                 default_route="yes", route_label="Primary metalx", exchanges=[tech("metalx mining", 1)]),
        activity("metalx remelting", "mx-remelt", stage="remelting", exchanges=[bio(CO2, 2)]),
        activity("metalx, recycled", "mx-recycled", comparison="metalx", route="recycled", route_group="recycled",
                 route_label="Recycled metalx", exchanges=[tech("metalx remelting", 1)]),
        activity("metalx supply", "mx-supply", supply_of="metalx", report_shares="0; 0.5; 1", conventional_supply=0,
                 chosen_supply=0.5, product_quantity="metalx_kg", product_quantity_label="metalx (kg)",
                 exchanges=[tech("metalx, primary", 1, formula="1 - recycled_share"),
                            tech("metalx, recycled", 0, formula="recycled_share")]),
    ], parameters={"mining_co2": {"amount": 8, "unit": "kg CO2 / kg", "uncertainty type": UNIFORM, "minimum": 6,
                                  "maximum": 10},
                   "recycled_share": {"amount": 0, "minimum": 0, "maximum": 1}})
    write_workbook(folder / "widgets.xlsx", "cfp_widgets", [
        activity("widget body", "w-body", unit="unit", stage="body",
                 exchanges=[tech("metalx supply", 0.5, database="cfp_metalx"), bio(CO2, 1)]),
        activity("widget", "widget", unit="unit", product="widget", product_label="Widget",
                 **{"declared mass (kg)": 0.5}, exchanges=[tech("widget body", 1, unit="unit")]),
    ])


@pytest.fixture(scope="module")
def metal_folder(tmp_path_factory, run):
    folder = tmp_path_factory.mktemp("metal") / "inventories"
    assert run("inventory", "init", folder).exit_code == 0
    _metal_workbooks(folder)
    return folder


def test_compare_the_new_metal(run, metal_folder):
    result = run.json("compare", "metalx", "--inventories", metal_folder)
    totals = {r["id"]: r["total"] for r in result["routes"]}
    assert totals == {"primary": pytest.approx(8), "recycled": pytest.approx(2)}
    assert result["difference"]["absolute"] == pytest.approx(6)
    blends = {round(b["share"], 3): b["total"] for b in result.get("blends", [])} if "blends" in result else {}
    if blends:
        assert blends[0.5] == pytest.approx(5)


def test_footprint_with_supply_of_the_new_metal(run, metal_folder):
    conventional = run.json("footprint", "widget", "--inventories", metal_folder)
    assert conventional["total"] == pytest.approx(5.0)
    assert conventional["scenario"] == {"recycled_metalx": 0.0, "copper": "primary", "recycled_nickel": 0.0}
    assert conventional["metalx_kg"] == pytest.approx(0.5)
    assert conventional["draws_on"] == ["metalx"]  # the widget's part names the metalx supply mix, nothing else
    recycled = run.json("footprint", "widget", "--inventories", metal_folder, "--supply", "metalx=recycled")
    assert recycled["total"] == pytest.approx(2.0)
    assert recycled["scenario"]["metalx"] == "recycled"
    compared = run.json("footprint", "widget", "--inventories", metal_folder, "--compare")
    assert [s["total"] for s in compared["scenarios"]] == [pytest.approx(5.0), pytest.approx(3.5)]
    assert compared["saving"]["absolute"] == pytest.approx(1.5)


def test_uncertainty_of_the_new_metal_product(run, metal_folder):
    result = run.json("uncertainty", "widget", "--inventories", metal_folder, "-n", "400", "--seed", "7")
    reference, alternative = result["routes"]
    assert (reference["id"], alternative["id"]) == ("conventional", "chosen")
    assert reference["deterministic"] == pytest.approx(5.0)
    assert alternative["deterministic"] == pytest.approx(3.5)
    # difference = 0.25 x (mining_co2 - 2), mining_co2 uniform 6..10 (sd 4 / sqrt 12): mean 1.5, sd 0.2887
    assert result["difference"]["mean"] == pytest.approx(1.5, abs=0.05)
    assert result["difference"]["std"] == pytest.approx(0.25 * 4 / 12**0.5, rel=0.15)
    assert 1.0 <= result["difference"]["p2_5"] < result["difference"]["p97_5"] <= 2.0


def test_reports_of_the_new_metal(run, metal_folder, tmp_path):
    product = tmp_path / "widget.xlsx"
    result = run("report", "footprint", "widget", "-o", product, "--inventories", metal_folder,
                 "--supply", "metalx=recycled")
    assert result.exit_code == 0, result.output
    comparison = tmp_path / "metalx.xlsx"
    result = run("report", "metalx", "-o", comparison, "--inventories", metal_folder)
    assert result.exit_code == 0, result.output
    values = {cell.value for sheet in openpyxl.load_workbook(product) for row in sheet.iter_rows() for cell in row}
    assert 5.0 in values and 2.0 in values  # conventional and the chosen (all recycled) totals
    values = {cell.value for sheet in openpyxl.load_workbook(comparison) for row in sheet.iter_rows() for cell in row}
    assert 8.0 in values and 2.0 in values


# the one place a metal may be named: the EU Battery Regulation's own table of Article 8 minimums
REGULATION_TABLE = ("regulation_rows.py", "MINIMUMS")


def test_no_library_code_names_a_metal():
    """Identifiers, compared strings and looked-up keys of the library name no metal (texts and
    examples in messages may; the CLI keeps --copper and --recycled-nickel as shorthands), except
    the battery regulation's own table (REGULATION_TABLE)."""
    import ast
    from pathlib import Path

    metals = ("copper", "nickel", "cobalt", "lithium", "metalx")
    package = Path(__file__).resolve().parents[1] / "lca"
    found = []
    for path in package.rglob("*.py"):
        if path.parent.name == "cli":
            continue
        tree = ast.parse(path.read_text())
        table = {id(n) for a in ast.walk(tree) if isinstance(a, ast.Assign) and path.name == REGULATION_TABLE[0]
                 and [getattr(t, "id", None) for t in a.targets] == [REGULATION_TABLE[1]] for n in ast.walk(a)}
        for node in ast.walk(tree):
            if id(node) in table:
                continue
            names = []
            if isinstance(node, ast.Name | ast.arg):
                names.append(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute):
                names.append(node.attr)
            elif isinstance(node, ast.Compare | ast.Subscript | ast.Call | ast.Assign | ast.Tuple | ast.Dict):
                names += [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                          and c.value in metals]
            found += [f"{path.name}:{node.lineno} {name}" for name in names if any(m in name.lower() for m in metals)]
    assert not found, found
