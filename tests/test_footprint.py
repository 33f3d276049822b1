"""Product footprints on the tiny system of tiny_products.py (arithmetic in its docstring)."""

from __future__ import annotations

import pytest
from tiny_products import TOTAL, write_products
from workbooks import activity, tech


@pytest.fixture(scope="module")
def gadget(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gadget")
    write_products(folder)
    return folder


def test_footprint_by_part(run, gadget):
    result = run.json("footprint", "gadget", "--inventories", gadget)
    assert result["total"] == pytest.approx(TOTAL)
    assert result["parts"] == {"wiring": pytest.approx(2 * 4 + 1 * 0.5), "battery": pytest.approx(0.4 * (3 + 0.5 * 10)),
                               "assembly": pytest.approx(2 * 0.5)}
    assert result["copper_cathode_kg"] == pytest.approx(2)
    assert result["cathode_material_kg"] == pytest.approx(0.4)


def test_switching_copper_changes_the_footprint_by_copper_mass_times_the_difference(run, gadget):
    primary = run.json("footprint", "gadget", "--inventories", gadget, "--copper", "primary")
    scrap = run.json("footprint", "gadget", "--inventories", gadget, "--copper", "scrap")
    assert primary["total"] - scrap["total"] == pytest.approx(2 * (4 - 1))


def test_recycled_nickel_share(run, gadget):
    base = run.json("footprint", "gadget", "--inventories", gadget)
    share = run.json("footprint", "gadget", "--inventories", gadget, "--recycled-nickel", "0.2")
    assert share["parts"]["battery"] == pytest.approx(0.4 * (3 + 0.5 * (0.8 * 10 + 0.2 * 2)))
    assert base["total"] - share["total"] == pytest.approx(0.4 * (8 - 7.2))


def test_compare_shows_both_scenarios_and_the_saving(run, gadget):
    result = run.json("footprint", "gadget", "--inventories", gadget, "--compare")
    base, alternative = result["scenarios"]
    assert (base["scenario"], alternative["scenario"]) == (
        {"copper": "primary", "recycled_nickel": 0.0}, {"copper": "scrap", "recycled_nickel": 0.2})
    expected = TOTAL - (2.5 + 2.88 + 1.0)
    assert result["saving"]["absolute"] == pytest.approx(expected)
    assert result["saving"]["relative"] == pytest.approx(expected / TOTAL, rel=1e-3)
    table = run("footprint", "gadget", "--inventories", gadget, "--compare").stdout
    assert "Saving per unit" in table


def test_all_products_csv_has_one_row_per_product(run, tmp_path):
    import io

    import pandas as pd

    second = activity("gizmo", "gizmo", unit="unit", stage="assembly", product="gizmo", product_label="Gizmo",
                      **{"declared mass (kg)": 2.4}, exchanges=[tech("wiring", 1, unit="unit"),
                                                                 tech("battery", 1, unit="unit")])
    write_products(tmp_path, extra_products=[second])
    result = run("footprint", "--all", "--inventories", tmp_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table["product"]) == ["gadget", "gizmo"]
    assert table.set_index("product").loc["gizmo", "total"] == pytest.approx(8.5 + 3.2)


def test_a_product_that_does_not_close_its_mass(run, tmp_path):
    write_products(tmp_path, declared=3.0)
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "tinyprod.xlsx" in result.stderr
    assert ("materials add up to 2.400 kg per unit, the declared mass is 3.000 kg (gap -0.600 kg, -20.0%"
            in result.stderr)


def test_products_lists_mass_and_gap(run, gadget):
    result = run.json("products", "--inventories", gadget)
    assert result == [{"product": "gadget", "label": "Gadget", "unit": "unit", "declared_mass_kg": 2.4,
                       "materials_mass_kg": pytest.approx(2.4), "mass_gap": pytest.approx(0, abs=1e-9)}]


def test_unknown_product_and_bad_options(run, gadget):
    result = run("footprint", "toaster", "--inventories", gadget)
    assert result.exit_code == 1 and "'toaster'" in result.stderr and "gadget" in result.stderr
    result = run("footprint", "gadget", "--inventories", gadget, "--copper", "gold")
    assert result.exit_code == 1 and "primary, scrap" in result.stderr
    result = run("footprint", "gadget", "--inventories", gadget, "--recycled-nickel", "2")
    assert result.exit_code == 2 and "'--recycled-nickel'" in result.stderr and "fraction from 0 to 1" in result.stderr


def test_a_new_product_needs_no_code(run, tmp_path):
    """A specialist adds an activity block to the products workbook: it appears in the CLI."""
    new = activity("widget", "widget", unit="unit", stage="widget parts", product="widget",
                   product_label="Widget", **{"declared mass (kg)": 1.0},
                   exchanges=[tech("cu supply", 1, database="tinycu")])
    write_products(tmp_path, extra_products=[new])
    listed = [p["product"] for p in run.json("products", "--inventories", tmp_path)]
    assert listed == ["gadget", "widget"]
    assert run.json("footprint", "widget", "--inventories", tmp_path)["total"] == pytest.approx(1 * 4)
