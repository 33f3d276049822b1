"""The supply mix rows that make products' supply data ('conventional supply', 'chosen supply',
'product quantity') are checked with the workbook: a bad one is refused at its cell, with a fix,
before any result is computed. The tiny system of tiny_products.py, edited."""

from __future__ import annotations

import pytest
import tiny_blend
import tiny_products


def _write(folder, monkeypatch, copper_rows=None, nickel_rows=None):
    copper = tiny_products.copper_activities
    blend = tiny_blend.blend_activities

    def copper_edited():
        acts = copper()
        acts[-1]["meta"].update(copper_rows or {})
        return acts

    def blend_edited(comparison="metal"):
        acts = blend(comparison)
        supply = next(a for a in acts if "supply of" in a["meta"])
        supply["meta"].update(nickel_rows or {})
        return acts

    monkeypatch.setattr(tiny_products, "copper_activities", copper_edited)
    monkeypatch.setattr(tiny_products, "blend_activities", blend_edited)
    tiny_products.write_products(folder)
    return folder


@pytest.mark.parametrize("rows, where, message", [
    ({"chosen supply": "gold"}, "tinycu.xlsx", "'gold', which is not a route of comparison 'copper'"),
    ({"conventional supply": 1.5}, "tinycu.xlsx", "is 1.5, not a share from 0 to 1"),
    ({"conventional supply": "nan"}, "tinycu.xlsx", "not a share from 0 to 1"),
    ({"product quantity": "copper kg"}, "tinycu.xlsx", "is not a plain name"),
    ({"chosen supply": ""}, "tinycu.xlsx", "'chosen supply' of supply mix 'cu supply' has no value"),
], ids=["unknown-route", "share-above-1", "nan", "quantity-key", "empty"])
def test_a_bad_supply_row_is_refused_at_its_cell(run, tmp_path, monkeypatch, rows, where, message):
    folder = _write(tmp_path, monkeypatch, copper_rows=rows)
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = next(line for line in result.stderr.splitlines() if message in line)
    assert line.strip().startswith(f"- {where}, sheet 'inventory', row ") and "column B" in line
    assert "fix:" in result.stderr
    footprint = run("footprint", "gadget", "--inventories", folder)
    assert footprint.exit_code == 1 and message in footprint.stderr  # no result from a bad row


def test_good_supply_rows_pass_and_set_the_scenarios(run, tmp_path, monkeypatch):
    """A share in a 'chosen supply' row of the copper mix: --compare takes it as the chosen supply."""
    folder = _write(tmp_path, monkeypatch, copper_rows={"chosen supply": 0.5})
    assert run("inventory", "check", "--inventories", folder).exit_code == 0
    result = run.json("footprint", "gadget", "--inventories", folder, "--compare")
    base, chosen = result["scenarios"]
    assert chosen["scenario"]["recycled_copper"] == 0.5
    # wiring: 2 kg copper at half primary (4) and half scrap (1) + 1 kWh x 0.5 = 5.5 instead of 8.5
    assert base["total"] - chosen["total"] == pytest.approx(8.5 - 5.5 + (3.2 - 2.88))


def test_a_row_given_twice_is_refused(run, tmp_path, monkeypatch):
    """bw2io keeps the last of two rows with the same name: the tool refuses the pair instead."""
    import openpyxl

    folder = _write(tmp_path, monkeypatch)
    path = folder / "tinycu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["inventory"]
    first = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "chosen supply")
    sheet.insert_rows(first + 1)
    sheet.cell(first + 1, 1, "chosen supply")
    sheet.cell(first + 1, 2, "primary")
    book.save(path)
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 1
    assert (f"tinycu.xlsx, sheet 'inventory', row {first + 1}, column A: row 'chosen supply' appears twice in "
            f"activity 'cu supply' (also at row {first})") in result.stderr


def test_a_supply_choice_a_direct_draw_would_bypass_is_refused(run):
    """The cathode draws brine lithium directly (its brine share) beside the lithium supply mix: with a
    brine share above 0, --supply lithium=... would leave that part primary, so it is refused."""
    refused = run("footprint", "cell-2170-kwh", "--set", "cfp_nickel.lioh_share_brine=0.5", "--supply",
                  "lithium=recycled")
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "draws route 'primary-brine' of comparison lithium directly" in refused.stderr
    assert "lithium=recycled would not set all of its lithium" in refused.stderr
    # at the workbooks' brine share (0) every lithium input goes through the mix: the choice holds
    assert run("footprint", "cell-2170-kwh", "--supply", "lithium=recycled").exit_code == 0
    # a choice for another comparison is not affected by the brine share
    assert run("footprint", "cell-2170-kwh", "--set", "cfp_nickel.lioh_share_brine=0.5", "--supply",
               "cobalt=recycled").exit_code == 0


def test_one_comparison_given_two_supplies_is_refused(run, tmp_path, monkeypatch):
    folder = _write(tmp_path, monkeypatch)
    result = run("footprint", "gadget", "--inventories", folder, "--copper", "scrap", "--supply", "copper=primary")
    assert result.exit_code == 1
    assert "the supply of copper is given twice (copper=scrap and copper=primary)" in result.stderr
    assert "--copper" in result.stderr  # the shorthand that set it is named too
    same = run.json("footprint", "gadget", "--inventories", folder, "--copper", "scrap", "--supply", "copper=scrap")
    assert same["scenario"]["copper"] == "scrap"  # the same choice twice is no conflict


@pytest.mark.parametrize("command", [("uncertainty", "-n", "50", "--seed", "1"),
                                     ("sensitivity", "--samples", "0", "--seed", "1")])
def test_the_analyses_refuse_a_bypassed_supply_choice_too(run, command):
    name, *options = command
    refused = run(name, "cell-2170-kwh", *options, "--set", "cfp_nickel.lioh_share_brine=0.5", "--supply",
                  "lithium=recycled")
    assert refused.exit_code == 1 and "would not set all of its lithium" in refused.stderr
