"""The shipped nickel comparison: routes, bases, blends, and the element balance to cathode."""

from __future__ import annotations

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy.sparse.linalg import spsolve
from workbooks import refresh_amounts

from lca.inventory.load import load_inventory
from lca.inventory.solvable import technosphere_matrix
from lca.paths import copy_shipped_inventories, shipped_inventories

# IUPAC 2021 abridged standard atomic weights, g/mol (typed here independently of the workbook)
NI, CO, AL, MN, LI, OX, H, S = 58.693, 58.933, 26.982, 54.938, 6.94, 15.999, 1.008, 32.06
H2O = 2 * H + OX
NISO4_6H2O = NI + S + 4 * OX + 6 * H2O
COSO4_7H2O = CO + S + 4 * OX + 7 * H2O
LIOH_H2O = LI + OX + H + H2O


@pytest.fixture(scope="module")
def nickel(run):
    return {basis: run.json("compare", "nickel", "--basis", basis) for basis in ("ni", "niso4-hexahydrate", "cam")}


@pytest.fixture(scope="module")
def inventory():
    return load_inventory(shipped_inventories())


def _parameters(inventory, database="cfp_nickel"):
    (db,) = [d for d in inventory.databases if d.name == database]
    return {p.name: p.amount for p in db.parameters}


def test_routes_per_tonne_of_nickel_with_stages_and_difference(nickel):
    result = nickel["ni"]
    assert result["functional_unit"] == "1 metric ton of nickel, in battery-grade nickel sulfate"
    assert [r["id"] for r in result["routes"]] == ["primary", "recycled"]
    for route in result["routes"] + result["blends"]:
        assert sum(route["stages"].values()) == pytest.approx(route["total"], rel=1e-5)
    primary, recycled = (r["total"] for r in result["routes"])
    assert result["difference"]["absolute"] == pytest.approx(primary - recycled, rel=1e-5)
    assert [b["share"] for b in result["blends"]] == [0, 0.2, 1]


def test_hexahydrate_basis_is_the_nickel_mass_fraction(nickel):
    per_ni = {r["id"]: r["total"] for r in nickel["ni"]["routes"]}
    per_salt = {r["id"]: r["total"] for r in nickel["niso4-hexahydrate"]["routes"]}
    for route, total in per_ni.items():
        assert per_salt[route] == pytest.approx(total * NI / NISO4_6H2O, rel=1e-5)


def test_cam_blend_equals_the_arithmetic_mix(run):
    result = run.json("compare", "nickel", "--basis", "cam", "--recycled-share", "0.2")
    primary, recycled = (r["total"] for r in result["routes"])
    (blend,) = result["blends"]
    assert blend["share"] == 0.2
    assert blend["total"] == pytest.approx(0.8 * primary + 0.2 * recycled, rel=1e-5)  # JSON: 6 significant digits
    assert primary > blend["total"] > recycled


def test_every_primary_route_can_be_compared(run):
    for route in ("primary", "primary-sulfide", "primary-indonesia"):
        result = run.json("compare", "nickel", "--primary-route", route)
        assert result["routes"][0]["id"] == route
        assert result["routes"][0]["total"] > result["routes"][1]["total"] > 0


def test_element_balance_from_nickel_sulfate_to_cathode(inventory):
    """Per t CAM: element drawn in = element in the cathode / stated yields (Ni, Co via the
    heptahydrate, Li via the monohydrate), from the solved technosphere of the shipped data."""
    p = _parameters(inventory)
    x = {m: p[f"x_{m}"] for m in ("ni", "co", "al", "mn")}
    assert sum(x.values()) == pytest.approx(1)
    cam_mass = LI + x["ni"] * NI + x["co"] * CO + x["al"] * AL + x["mn"] * MN + 2 * OX
    keys, matrix = technosphere_matrix(inventory)
    activities = inventory.activities
    index = {key: i for i, key in enumerate(keys)}
    cam = next(k for k, a in activities.items() if a.meta("basis") == "cam")
    demand = np.zeros(len(keys))
    demand[index[cam]] = 1.0
    supply = spsolve(matrix.tocsc(), demand)

    def drawn(predicate):
        return sum(supply[index[k]] for k, a in activities.items() if predicate(a))

    nickel_in = drawn(lambda a: a.meta("supply of") == "nickel")  # t Ni per t CAM
    assert nickel_in == pytest.approx(x["ni"] * NI / cam_mass / (p["pcam_ni_yield"] * p["cam_yield"]), rel=1e-6)
    heptahydrate = drawn(lambda a: a.name == "cobalt sulfate heptahydrate")  # kg per t CAM
    assert heptahydrate * CO / COSO4_7H2O == pytest.approx(
        1000 * x["co"] * CO / cam_mass / (p["pcam_co_yield"] * p["cam_yield"]), rel=1e-6)
    monohydrate = drawn(lambda a: a.name.startswith("lithium hydroxide monohydrate"))
    assert monohydrate * LI / LIOH_H2O == pytest.approx(1000 * p["li_excess"] * LI / cam_mass / p["cam_yield"],
                                                        rel=1e-6)


def _edit_parameter(path, name, value):
    book = load_workbook(path)
    sheet = book.active
    rows = [row for row in sheet.iter_rows() if row[0].value == name]
    assert len(rows) == 1, name
    rows[0][1].value = value
    book.save(path)
    return rows[0][1].row


def test_nca_composition_change_reaches_the_result(run, tmp_path):
    copy_shipped_inventories(tmp_path)
    before = run.json("compare", "nickel", "--basis", "cam", "--inventories", tmp_path)
    for name, value in (("x_ni", 0.8), ("x_co", 0.15), ("x_al", 0.05)):  # NCA 0.8/0.15/0.05
        _edit_parameter(tmp_path / "nickel.xlsx", name, value)
    assert refresh_amounts(tmp_path) > 0  # the cached amounts of the formulas that use them, as the check asks
    after = run.json("compare", "nickel", "--basis", "cam", "--inventories", tmp_path)
    # more cobalt sulfate, less nickel: the precursor stage grows
    assert after["routes"][0]["stages"]["precursor (pCAM)"] > before["routes"][0]["stages"]["precursor (pCAM)"]


def test_share_outside_zero_to_one_in_the_nickel_workbook(run, tmp_path):
    copy_shipped_inventories(tmp_path)
    row = _edit_parameter(tmp_path / "nickel.xlsx", "recycled_share", 1.2)
    result = run("compare", "nickel", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert f"nickel.xlsx, sheet 'inventory', row {row}, column B" in result.stderr
    assert "recycled_share = 1.2 is outside its allowed range 0 to 1" in result.stderr


def test_composition_that_does_not_sum_to_one_in_the_nickel_workbook(run, tmp_path):
    copy_shipped_inventories(tmp_path)
    _edit_parameter(tmp_path / "nickel.xlsx", "x_ni", 0.9)
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "composition_sum = 1.02 is outside its allowed range 1 to 1" in result.stderr
    assert "nickel.xlsx, sheet 'inventory', row" in result.stderr


def test_unknown_primary_route_for_nickel(run):
    result = run("compare", "nickel", "--primary-route", "primary-moon")
    assert result.exit_code == 1
    assert "primary, primary-sulfide, primary-indonesia" in result.stderr
