"""The shipped products: route switches agree with the per-tonne comparisons, and a product
added to a copied workbook appears in the CLI without code."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from lca.inventory.load import EXCHANGE_COLUMNS
from lca.paths import copy_shipped_inventories

SHIPPED = {"air-conditioner", "refrigerator", "washing-machine", "flat-panel-tv", "cell-2170", "cell-2170-kwh"}


def test_products_are_listed_and_close_their_mass(run):
    listed = {p["product"]: p for p in run.json("products")}
    assert SHIPPED <= set(listed)
    for product in listed.values():
        assert abs(product["mass_gap"]) <= 0.05, product


def test_copper_switch_changes_the_air_conditioner_by_copper_mass_times_the_difference(run):
    copper = run.json("compare", "copper")
    per_tonne = copper["difference"]["absolute"]  # kg CO2e per t cathode, primary minus scrap
    primary = run.json("footprint", "air-conditioner", "--copper", "primary")
    scrap = run.json("footprint", "air-conditioner", "--copper", "scrap")
    assert primary["copper_cathode_kg"] == scrap["copper_cathode_kg"] > 0
    expected = primary["copper_cathode_kg"] / 1000 * per_tonne
    assert primary["total"] - scrap["total"] == pytest.approx(expected, rel=1e-4)


def test_recycled_nickel_changes_the_cell_consistently_with_the_cam_comparison(run):
    # 0.04: within what the cell's closed loop supplies (tests/test_closed_loop.py)
    cam = run.json("compare", "nickel", "--basis", "cam", "--recycled-share", "0.04")
    cam_primary = cam["routes"][0]["total"]  # kg CO2e per t CAM at 0 % recycled nickel
    (cam_blend,) = cam["blends"]
    base = run.json("footprint", "cell-2170-kwh")
    share = run.json("footprint", "cell-2170-kwh", "--recycled-nickel", "0.04")
    assert base["cathode_material_kg"] == share["cathode_material_kg"] > 0
    expected = base["cathode_material_kg"] / 1000 * (cam_primary - cam_blend["total"])
    assert base["total"] - share["total"] == pytest.approx(expected, rel=1e-4)
    assert share["parts"]["cathode"] < base["parts"]["cathode"]


def test_all_products_csv_parses_with_one_row_per_product(run):
    result = run("footprint", "--all", "--compare", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["product"]) == set(SHIPPED) and len(table) == len(SHIPPED)
    assert (table["saving"] >= 0).all()
    single = run.json("footprint", "refrigerator")
    assert table.set_index("product").loc["refrigerator", "total"] == pytest.approx(single["total"])


def _append_product(path):
    """Add a copper busbar product (2 kg of copper wire) as a new activity block."""
    book = load_workbook(path)
    sheet = book["inventory"]
    rows = [
        [], ["Activity", "copper busbar"], ["code", "busbar"], ["location", "JP"], ["unit", "unit"],
        ["reference product", "copper busbar"], ["type", "process"], ["stage", "busbar"],
        ["product", "copper-busbar"], ["product label", "Copper busbar, 2 kg"], ["declared mass (kg)", 2],
        ["Exchanges"], list(EXCHANGE_COLUMNS),
    ]
    production = dict(name="copper busbar", amount=1, unit="unit", location="JP", type="production",
                      **{"reference product": "copper busbar"}, comment="reference flow")
    wire = dict(name="copper wire, for windings and cables", amount=2, unit="kilogram", location="JP",
                type="technosphere", comment="test: 2 kg of wire")
    for exchange in (production, wire):
        rows.append([exchange.get(c) for c in EXCHANGE_COLUMNS])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_product_added_to_a_copied_workbook_needs_no_code(run, tmp_path):
    copy_shipped_inventories(tmp_path)
    book = load_workbook(tmp_path / "products.xlsx")
    wire = [r for r in book["inventory"].iter_rows(values_only=True)
            if r[0] == "Activity" and str(r[1]).startswith("copper wire")]
    assert wire, "the shipped products workbook has no copper wire activity"
    _append_product(tmp_path / "products.xlsx")
    assert "copper-busbar" in {p["product"] for p in run.json("products", "--inventories", tmp_path)}
    result = run.json("footprint", "copper-busbar", "--inventories", tmp_path)
    assert result["copper_cathode_kg"] >= 2  # at least the copper in the wire
    assert result["total"] > 0


@pytest.mark.parametrize("product", sorted(SHIPPED))
def test_every_shipped_product_has_a_monte_carlo(run, product):
    """No draw of a shipped product gives an impossible amount (the appliances' parts of the HARL mixed
    fraction are bounded so that its remainder, the fan motors' steel, stays positive: products.xlsx,
    ac_comp_mass and fr_comp_mass). 3,000 draws: untruncated, 14-39 % of the draws failed."""
    data = run.json("uncertainty", product, "-n", "3000", "--seed", "11")
    assert data["iterations"] == 3000
    low, high = data["difference"]["p2_5"], data["difference"]["p97_5"]
    assert low <= data["difference"]["deterministic"] <= high
