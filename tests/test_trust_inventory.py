"""Silently wrong numbers from the workbooks and the solved system (issue 13), through the CLI.

Every refusal: exit 1, no traceback, file / sheet / row / column named, the user's files unchanged.
The tiny system (tiny.py) under IPCC 2021 GWP100, with electricity at 0.5 kg CO2 per kWh:

    route B = melt + haul;  melt = 1 kWh * 0.5 + 0.2 = 0.7;  haul = 3 kg CO2 per kg

and copies of the shipped workbooks for the cases quoted in the issue (copper.xlsx row 237: the
electrorefining electricity, amount 350 kWh, formula er_elec_kwh_per_t).
"""

from __future__ import annotations

import pytest
from checks import fails
from openpyxl import load_workbook
from tiny import TOTAL_B, background_activities, tiny_activities, write_tiny
from workbooks import CO2, activity, bio, tech, write_workbook

import lca.inventory.workbook

ELEC = 0.5  # kg CO2 per kWh in tinybg


def _check_fails(run, folder, *expected, command=("inventory", "check")):
    return fails(run, (*command, "--inventories", folder), *expected, unchanged=(folder,))


def _write(folder, activities):
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tiny.xlsx", "tiny", activities)
    return folder


def _route_b(run, folder):
    result = run.json("compare", "metal", "--inventories", folder)
    return result["routes"][1]


def _with_extra(activity_name, *exchanges):
    activities = tiny_activities()
    for act in activities:
        if act["name"] == activity_name:
            act["exchanges"].extend(exchanges)
    return activities


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, run):
    """One pristine `lca inventory init` copy; each test edits its own copy of it."""
    folder = tmp_path_factory.mktemp("shipped") / "inventories"
    result = run("inventory", "init", folder)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def copper(shipped, tmp_path):
    import shutil

    return shutil.copytree(shipped, tmp_path / "inventories")


def _edit_formula_row(path, formula, column_label, value):
    """Set ``column_label`` of the exchange row whose formula is ``formula``; return (row, column letter)."""
    from openpyxl.utils import get_column_letter

    book = load_workbook(path)
    sheet = book.active
    header = None
    for cells in sheet.iter_rows():
        values = [c.value for c in cells]
        if values and values[0] == "name" and "formula" in values:
            header = values
        elif header and len(values) > header.index("formula") and values[header.index("formula")] == formula:
            cells[header.index(column_label)].value = value
            book.save(path)
            return cells[0].row, get_column_letter(header.index(column_label) + 1)
    raise AssertionError(f"no exchange with formula {formula!r}")


# --- the amount cell against its formula ------------------------------------------------------------------


def test_edited_amount_next_to_a_formula_is_refused_not_ignored(run, copper):
    row, column = _edit_formula_row(copper / "copper.xlsx", "er_elec_kwh_per_t", "amount", 300)  # scrap route
    assert column == "B"
    _check_fails(run, copper, f"copper.xlsx, sheet 'inventory', row {row}, column B",
                 "amount of 'electricity, grid mix' is 300", "'er_elec_kwh_per_t' (column I) gives 350",
                 "type its value 350", "clear the formula and type the number")


def test_compare_refuses_the_edited_amount_too(run, copper):
    row, _ = _edit_formula_row(copper / "copper.xlsx", "er_elec_kwh_per_t", "amount", 300)
    _check_fails(run, copper, f"row {row}, column B", "is 300",
                 command=("compare", "copper", "--data-dir", run.data_dir))


def test_text_in_an_amount_next_to_a_formula_is_refused(run, copper):
    row, _ = _edit_formula_row(copper / "copper.xlsx", "er_elec_kwh_per_t", "amount", "350 kWh")
    _check_fails(run, copper, f"row {row}, column B", "is '350 kWh', not a number", "gives 350")


def test_empty_amount_next_to_a_formula_is_refused(run, copper):
    # a plain bw2io ExcelImporter imports such an exchange without an amount, and bw2data refuses to write it
    row, _ = _edit_formula_row(copper / "copper.xlsx", "er_elec_kwh_per_t", "amount", None)
    _check_fails(run, copper, f"row {row}, column B", "is empty", "type its value 350")


def test_parameter_amount_must_agree_with_its_formula(run, copper):
    # nickel.xlsx: m_so4 = m_s + 4 * m_o = 32.06 + 4 * 15.999 = 96.056
    book = load_workbook(copper / "nickel.xlsx")
    cells = next(c for c in book.active.iter_rows() if c[0].value == "m_so4")
    cells[1].value = 97
    book.save(copper / "nickel.xlsx")
    _check_fails(run, copper, f"nickel.xlsx, sheet 'inventory', row {cells[0].row}, column B",
                 "amount of parameter m_so4 is 97", f"gives {32.06 + 4 * 15.999:g}")


def test_parameter_formula_with_text_amount_is_refused_and_empty_is_computed(run, tmp_path):
    acts = [activity("one", "one", stage="s", exchanges=[bio(CO2, 0.6, formula="2 * grade")])]
    write_workbook(tmp_path / "par.xlsx", "par", acts,
                   parameters={"base": 0.3, "grade": {"formula": "base * 1"}})  # empty amount: bw2data computes it
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 0, result.output
    write_workbook(tmp_path / "par.xlsx", "par", acts,
                   parameters={"base": 0.3, "grade": {"formula": "base * 1", "amount": "about 0.3"}})
    _check_fails(run, tmp_path, "par.xlsx", "row 7, column B", "amount of parameter grade is 'about 0.3', not a number")


# --- sign and magnitude ----------------------------------------------------------------------------------


def test_negative_heavy_fuel_oil_input_is_refused(run, copper):
    # the smelter's fuel, allocated with the smelter (lca.byproducts)
    row, _ = _edit_formula_row(copper / "copper.xlsx", "smelt_hfo_mj_per_t * smelt_alloc", "amount", -2492.3808)
    _edit_formula_row(copper / "copper.xlsx", "smelt_hfo_mj_per_t * smelt_alloc", "formula", None)
    _check_fails(run, copper, f"copper.xlsx, sheet 'inventory', row {row}, column B",
                 "'heat, heavy fuel oil, combusted' is -2,492.38: an input cannot be negative", "'role' column")


def test_self_use_above_production_is_refused(run, tmp_path):
    _write(tmp_path, _with_extra("melting", tech("melting", 1.5)))
    _check_fails(run, tmp_path, "tiny.xlsx, sheet 'inventory'", "column B",
                 "uses 1.5 of the activity's own product per 1 produced", "less than the production amount")


def test_self_use_below_production_scales_the_route(run, tmp_path):
    _write(tmp_path, _with_extra("melting", tech("melting", 0.5)))
    b = _route_b(run, tmp_path)
    # melting must make 1 / (1 - 0.5) = 2 kg for 1 kg net: both stages double
    assert b["stages"]["melt"] == pytest.approx((1 * ELEC + 0.2) / (1 - 0.5), rel=1e-6)
    assert b["stages"]["haul"] == pytest.approx(3 / (1 - 0.5), rel=1e-6)
    assert b["total"] == pytest.approx(TOTAL_B / (1 - 0.5), rel=1e-6)


@pytest.mark.parametrize("amount", [1e300, -1e300, 2e12], ids=["1e300", "-1e300", "2e12"])
def test_amounts_too_large_for_the_solver_are_refused(run, tmp_path, amount):
    write_tiny(tmp_path, haul_co2=amount)
    _check_fails(run, tmp_path, "tiny.xlsx, sheet 'inventory'", "column B", "larger in magnitude than 1e+12")


def test_unknown_role_is_refused(run, tmp_path):
    _write(tmp_path, _with_extra("melting", tech("electricity", -2, unit="kilowatt hour", database="tinybg",
                                                 role="avoided")))
    _check_fails(run, tmp_path, "column Q", "role 'avoided', not one of credit, waste")


def test_unmarked_negative_input_is_refused(run, tmp_path):
    _write(tmp_path, _with_extra("melting", tech("electricity", -2, unit="kilowatt hour", database="tinybg")))
    _check_fails(run, tmp_path, "tiny.xlsx", "column B", "'electricity' is -2: an input cannot be negative")


def test_marked_credit_gives_the_expected_negative_stage(run, tmp_path):
    # melting exports 2 kWh, marked as a credit: melt = 1 * 0.5 + 0.2 - 2 * 0.5 = -0.3
    _write(tmp_path, _with_extra("melting", tech("electricity", -2, unit="kilowatt hour", database="tinybg",
                                                 role="credit")))
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 0, result.output
    b = _route_b(run, tmp_path)
    assert b["stages"]["melt"] == pytest.approx(1 * ELEC + 0.2 - 2 * ELEC, rel=1e-6)
    assert b["stages"]["haul"] == pytest.approx(3, rel=1e-6)
    assert b["total"] == pytest.approx(1 * ELEC + 0.2 - 2 * ELEC + 3, rel=1e-6)


# --- the solved system -----------------------------------------------------------------------------------


def test_credit_larger_than_the_burdens_stops_the_run(run, tmp_path):
    # exported 10 kWh: total B = 1 * 0.5 + 0.2 - 10 * 0.5 + 3 = -1.3
    _write(tmp_path, _with_extra("melting", tech("electricity", -10, unit="kilowatt hour", database="tinybg",
                                                 role="credit")))
    _check_fails(run, tmp_path, "route 'b'", f"{1 * ELEC + 0.2 - 10 * ELEC + 3:.6g}", "negative footprint",
                 command=("compare", "metal", "--data-dir", run.data_dir))


def test_negative_stage_without_a_credit_stops_the_run(run, tmp_path):
    # 'hauling' entered as a waste output of melting (role waste) but hauling makes +1: its supply is -1,
    # haul = -1 * 0.5 = -0.5 while the total stays 0.7 - 0.5 = 0.2 > 0; no credit explains the negative stage
    activities = tiny_activities(haul_co2=0.5)
    melting = next(a for a in activities if a["name"] == "melting")
    melting["exchanges"] = [e for e in melting["exchanges"] if e["name"] != "hauling"]
    melting["exchanges"].append(tech("hauling", -1, role="waste"))
    _write(tmp_path, activities)
    _check_fails(run, tmp_path, "Stage 'haul' of route 'b' is -0.5", "hold no marked credit",
                 command=("compare", "metal", "--data-dir", run.data_dir))


def test_negative_supply_through_an_ordinary_input_stops_the_run(run, tmp_path):
    # a waste treatment (production -1, role waste) taken as an ordinary input of +1: its supply is -1
    activities = tiny_activities()
    treating = activity("treating", "treat", stage="haul", exchanges=[bio(CO2, 0.1)])
    treating["exchanges"][0].update(amount=-1, role="waste")
    activities.insert(0, treating)
    next(a for a in activities if a["name"] == "melting")["exchanges"].append(tech("treating", 1))
    _write(tmp_path, activities)
    _check_fails(run, tmp_path, "route 'b'", "supplies -1 units of 'treating' (tiny)",
                 "no credit, waste or substitution exchange leads to it",
                 command=("compare", "metal", "--data-dir", run.data_dir))


# --- big, nearly empty workbooks and long values -----------------------------------------------------------


def _rewrite_sheet(path, edit) -> None:
    """Rewrite the first worksheet's XML of ``path`` with ``edit(xml) -> xml``."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_used_range_claiming_the_whole_sheet_is_read_in_bounded_time(run, tmp_path):
    import re

    write_tiny(tmp_path)
    _rewrite_sheet(tmp_path / "tiny.xlsx", lambda xml: re.sub(r'<dimension ref="[^"]*"/>',
                                                              '<dimension ref="A1:XFD1048576"/>', xml))
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 0, result.output


def test_a_value_in_the_last_cell_of_the_sheet_is_named(run, tmp_path):
    write_tiny(tmp_path)
    book = load_workbook(tmp_path / "tiny.xlsx")
    book.active["XFD1048576"] = "far away"  # the used range becomes A1:XFD1048576
    book.save(tmp_path / "tiny.xlsx")
    assert (tmp_path / "tiny.xlsx").stat().st_size < 20_000
    # it stands in the last activity's exchange block (blank rows do not end that block)
    _check_fails(run, tmp_path, "tiny.xlsx, sheet 'inventory', row 1048576, column A", "exchange without a name")


def test_a_sheet_formatted_far_down_is_refused(run, tmp_path, monkeypatch):
    import re

    monkeypatch.setattr(lca.inventory.workbook, "MAX_SHEET_ROWS", 1_000)  # the same path as 100,000, with a small file
    write_tiny(tmp_path)
    stored = []

    def format_down(xml):
        last = max(int(n) for n in re.findall(r'<row r="(\d+)"', xml))
        stored.append(xml.count("<row "))
        formatted = "".join(f'<row r="{n}" s="0" customFormat="1"><c r="A{n}" s="0"/></row>'
                            for n in range(last + 1, last + 2_001))  # formatting copied 2,000 rows down
        return xml.replace("</sheetData>", formatted + "</sheetData>")

    _rewrite_sheet(tmp_path / "tiny.xlsx", format_down)
    _check_fails(run, tmp_path, "tiny.xlsx", f"stores {stored[0] + 2_000:,} rows, more than 1,000", "Delete Rows")


def test_a_long_paragraph_in_a_cell_is_quoted_briefly(run, tmp_path):
    paragraph = "Source: " + "a long paragraph pasted into the wrong cell. " * 14  # 600+ characters
    activities = tiny_activities()
    next(a for a in activities if a["name"] == "hauling")["exchanges"][1]["unit"] = paragraph
    _write(tmp_path, activities)
    text = _check_fails(run, tmp_path, "tiny.xlsx", "unknown unit 'Source: a long", "characters)")
    assert paragraph not in text and len(text) < 2_000


@pytest.mark.parametrize("exported_kwh", [4, 30], ids=["credit-kept", "credit-too-large"])
def test_footprint_with_a_marked_credit(run, tmp_path, exported_kwh):
    # tiny_products.py: wiring 8.5 + battery 3.2 + assembly 2 kWh * 0.5; the gadget exports kWh as a credit
    from tiny_products import product_activities, write_products

    write_products(tmp_path)
    credit = tech("electricity", -exported_kwh, unit="kilowatt hour", database="tinybg", role="credit")
    write_workbook(tmp_path / "tinyprod.xlsx", "tinyprod", product_activities(extra=[credit]))
    assembly = 2 * ELEC - exported_kwh * ELEC
    total = 8.5 + 3.2 + assembly
    if total > 0:  # 8.5 + 3.2 + (1 - 2) = 10.7: a negative part that is a marked credit
        result = run.json("footprint", "gadget", "--inventories", tmp_path)
        assert result["parts"]["assembly"] == pytest.approx(assembly, rel=1e-6)
        assert result["total"] == pytest.approx(total, rel=1e-6)
    else:  # 8.5 + 3.2 + (1 - 15) = -2.3
        fails(run, ("footprint", "gadget", "--inventories", tmp_path), "product 'gadget'", f"{total:.6g}",
              "negative footprint", unchanged=(tmp_path,))
