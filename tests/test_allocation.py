"""Recycling allocation (lca.allocation): cut-off, avoided burden and the CFF, by hand on tiny systems,
and recomputed from the tool's own Ev and Erec for copper.

Tiny system (tests/tiny.py): route A is the primary route, Ev = 4.98; route B the recycled one, Erec = 3.7.
Its CFF parameters here: A = 0.2, R1 = 1, Qsin/Qp = 0.9, R2 = 0. The recycled route becomes

    cut-off:         Erec                                   = 3.7
    avoided burden:  (1 - R1) Ev + R1 Qsin/Qp Ev             = 0.9 x 4.98
    CFF:             R1 (A Erec + (1 - A) Qsin/Qp Ev)         = 0.2 x 3.7 + 0.8 x 0.9 x 4.98
"""

from __future__ import annotations

import pytest
from tiny import TOTAL_A, TOTAL_B, background_activities, tiny_activities
from tiny_blend import PARAMETERS, blend_activities
from tiny_products import copper_activities, product_activities
from workbooks import write_workbook

CFF = {"cff_A": 0.2, "cff_R1": 1.0, "cff_R2": 0.0, "cff_Qsin_Qp": 0.9}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-allocation")
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tiny.xlsx", "tiny", tiny_activities(), parameters=dict(CFF))
    return folder


@pytest.mark.parametrize("approach, expected", [
    ("cut-off", TOTAL_B),
    ("avoided-burden", 0.9 * TOTAL_A),
    ("cff", 0.2 * TOTAL_B + 0.8 * 0.9 * TOTAL_A),
])
def test_each_approach_by_hand(run, tiny, approach, expected):
    result = run.json("compare", "metal", "--allocation", approach, "--inventories", tiny)
    primary, recycled = result["routes"]
    assert primary["total"] == pytest.approx(TOTAL_A, rel=1e-6)  # R1 = 0: the primary route is Ev throughout
    assert recycled["total"] == pytest.approx(expected, rel=1e-6)
    assert sum(recycled["stages"].values()) == pytest.approx(recycled["total"], rel=1e-6)
    assert result["difference"]["absolute"] == pytest.approx(TOTAL_A - expected, rel=1e-5)
    assert result["allocation"]["approach"] == approach


def test_cff_stages_are_scaled_and_the_primary_burden_is_one_stage(run, tiny):
    stages = run.json("compare", "metal", "--allocation", "cff", "--inventories", tiny)["routes"][1]["stages"]
    assert stages["melt"] == pytest.approx(0.2 * (1 * 0.5 + 0.2), rel=1e-6)
    assert stages["haul"] == pytest.approx(0.2 * 3, rel=1e-6)
    assert stages["primary material burden (allocation)"] == pytest.approx(0.8 * 0.9 * TOTAL_A, rel=1e-6)


def test_all_side_by_side(run, tiny):
    result = run.json("compare", "metal", "--allocation", "all", "--inventories", tiny)
    assert [s["approach"] for s in result["summary"]] == ["cut-off", "avoided-burden", "cff"]
    assert [s["alternative"] for s in result["summary"]] == pytest.approx(
        [TOTAL_B, 0.9 * TOTAL_A, 0.2 * TOTAL_B + 0.8 * 0.9 * TOTAL_A], rel=1e-6)
    table = run("compare", "metal", "--allocation", "all", "--inventories", tiny)
    assert table.exit_code == 0 and "avoided-burden" in table.stdout and "0.2 x 3.7" in table.stdout


def test_set_changes_the_allocation_parameters(run, tiny):
    result = run.json("compare", "metal", "--allocation", "cff", "--set", "cff_A=0.5", "--inventories", tiny)
    assert result["routes"][1]["total"] == pytest.approx(0.5 * TOTAL_B + 0.5 * 0.9 * TOTAL_A, rel=1e-6)


def test_refusals(run, tiny, tmp_path):
    eol = run("compare", "metal", "--allocation", "cff", "--set", "cff_R2=0.5", "--inventories", tiny)
    assert eol.exit_code == 1 and "end-of-life term" in eol.stderr
    write_workbook(tmp_path / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(tmp_path / "tiny.xlsx", "tiny", tiny_activities())
    missing = run("compare", "metal", "--allocation", "cff", "--inventories", tmp_path)
    assert missing.exit_code == 1 and "has no parameter cff_R1" in missing.stderr
    assert run.json("compare", "metal", "--inventories", tmp_path)["routes"][1]["total"] == pytest.approx(TOTAL_B)


@pytest.fixture(scope="module")
def gadget(tmp_path_factory):
    """tests/tiny_products.py with CFF parameters A = 0.2, R1 = 1, Qsin/Qp = 1 for copper and nickel."""
    folder = tmp_path_factory.mktemp("gadget-allocation")
    cff = {"cff_A": 0.2, "cff_R1": 1.0, "cff_R2": 0.0, "cff_Qsin_Qp": 1.0}
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tinycu.xlsx", "tinycu", copper_activities(),
                   {"scrap_share": {"amount": 0, "minimum": 0, "maximum": 1}, **cff})
    write_workbook(folder / "tinyni.xlsx", "tinyni", blend_activities("nickel"), {**PARAMETERS, **cff})
    write_workbook(folder / "tinyprod.xlsx", "tinyprod", product_activities())
    return folder


def test_product_footprint_under_each_approach(run, gadget):
    # scrap copper per kg: cut-off 1; CFF 0.2 x 1 + 0.8 x 4 = 3.4; avoided burden 4 (= primary)
    # recycled nickel per kg: cut-off 2; CFF 0.2 x 2 + 0.8 x 10 = 8.4; avoided burden 10
    def chosen(copper_scrap, nickel_recycled):  # scrap copper, 20 % recycled nickel (tiny_products.py)
        return (2 * copper_scrap + 0.5) + 0.4 * (3 + 0.5 * (0.8 * 10 + 0.2 * nickel_recycled)) + 1.0

    for approach, expected in (("cut-off", chosen(1, 2)), ("cff", chosen(3.4, 8.4)),
                               ("avoided-burden", chosen(4, 10))):
        result = run.json("footprint", "gadget", "--compare", "--allocation", approach, "--inventories", gadget)
        conventional, alternative = result["scenarios"]
        assert conventional["total"] == pytest.approx(12.7, rel=1e-6), approach  # all primary: unchanged
        assert alternative["total"] == pytest.approx(expected, rel=1e-6), approach
    assert chosen(4, 10) == pytest.approx(12.7)  # avoided burden: recycled content earns nothing


def test_basis_and_monte_carlo_follow_the_allocation(run, gadget):
    cam = run.json("compare", "nickel", "--basis", "cam", "--allocation", "cff", "--inventories", gadget)
    # CAM = own 3 + 0.5 x route; recycled route under CFF 8.4
    assert cam["routes"][1]["total"] == pytest.approx(3 + 0.5 * 8.4, rel=1e-6)
    mc = run.json("uncertainty", "nickel", "--basis", "cam", "--allocation", "cff", "-n", 2, "--seed", 1,
                  "--inventories", gadget)
    assert [r["deterministic"] for r in mc["routes"]] == pytest.approx([r["total"] for r in cam["routes"]],
                                                                       rel=1e-6)
    product = run.json("uncertainty", "gadget", "--allocation", "cff", "-n", 2, "--seed", 1, "--inventories", gadget)
    footprint = run.json("footprint", "gadget", "--compare", "--allocation", "cff", "--inventories", gadget)
    assert [r["deterministic"] for r in product["routes"]] == pytest.approx(
        [s["total"] for s in footprint["scenarios"]], rel=1e-6)


def test_copper_recomputed_from_the_tools_own_ev_and_erec(run):
    default = run.json("compare", "copper")
    ev, erec = (route["total"] for route in default["routes"])
    values = {p["id"]: p["value"] for p in run.json("params")["parameters"]}
    a, r1, qs = (values[f"cfp_copper.{name}"] for name in ("cff_A", "cff_R1", "cff_Qsin_Qp"))
    assert values["cfp_copper.cff_R2"] == 0  # cradle to gate: no end-of-life term

    cut_off = run.json("compare", "copper", "--allocation", "cut-off")
    assert cut_off["routes"] == default["routes"] and cut_off["difference"] == default["difference"]

    cff = run.json("compare", "copper", "--allocation", "cff")
    assert cff["routes"][0]["total"] == pytest.approx(ev, rel=1e-6)
    assert cff["routes"][1]["total"] == pytest.approx((1 - r1) * ev + r1 * (a * erec + (1 - a) * ev * qs), rel=1e-5)
    assert cff["difference"]["absolute"] == pytest.approx(ev - (a * erec + (1 - a) * ev * qs), rel=1e-5)
    scrap_stages = default["routes"][1]["stages"]
    assert cff["routes"][1]["stages"]["electrorefining"] == pytest.approx(a * scrap_stages["electrorefining"],
                                                                         rel=1e-5)

    a02 = run.json("compare", "copper", "--allocation", "cff", "--set", "cfp_copper.cff_A=0.2")
    assert a02["routes"][1]["total"] == pytest.approx(0.2 * erec + 0.8 * ev, rel=1e-5)
    avoided = run.json("compare", "copper", "--allocation", "avoided-burden")
    assert avoided["routes"][1]["total"] == pytest.approx(ev * qs, rel=1e-5)


def test_report_states_the_approach_and_its_parameters(run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "copper-cff.xlsx"
    written = run("report", "copper", "-o", out, "--allocation", "cff", "--date", "2026-11-23")
    assert written.exit_code == 0, written.output
    book = load_workbook(out)
    ((title, cell),) = list(book.defined_names["CFP_alternative"].destinations)
    cff = run.json("compare", "copper", "--allocation", "cff")
    assert book[title][cell.replace("$", "")].value == cff["routes"][1]["total"]
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if row[0] == "Recycling allocation"]
    assert "Circular Footprint Formula" in summary[0][1]
    methodology = " ".join(str(c) for row in book["Methodology"].iter_rows(values_only=True) for c in row if c)
    assert "A = 0.5, R1 = 1, Qsin/Qp = 1, R2 = 0" in methodology and "Erec" in methodology
    cut_off = tmp_path / "copper.xlsx"
    assert run("report", "copper", "-o", cut_off, "--date", "2026-11-23").exit_code == 0
    methodology = " ".join(str(c) for row in load_workbook(cut_off)["Methodology"].iter_rows(values_only=True)
                           for c in row if c)
    assert "R1 = 1" not in methodology  # cut-off: the approach is named, no CFF parameters
