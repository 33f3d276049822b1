"""The EU Battery Regulation (EU) 2023/1542 view of a product (docs/battery-regulation.md).

The tiny battery of tiny_battery.py (arithmetic in its docstring): the recycled content of each
metal recomputes by hand from the cathode material's composition and the supply shares; the
stages per life-cycle stage from its parts. The shipped cell at 20 % recycled nickel (with the
closed loop's other source named in a scenario file) meets the nickel minimums and misses those
of cobalt and lithium. Bad rows are refused at their cell; a product without the row shows
nothing new; the workbook script is idempotent.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tiny_battery import CO_SHARE, MAIN, RAW, cathode_score, write_battery

from lca.paths import shipped_inventories

ROOT = Path(__file__).resolve().parents[1]
CELL = "cell-2170-kwh"
STAGES = [RAW, MAIN, "distribution", "end of life and recycling"]


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    return write_battery(tmp_path_factory.mktemp("battery")).parent


def _view(run, *args):
    return run.json("footprint", *args)["battery_regulation"]


def _metals(view) -> dict:
    return {m["metal"]: m for m in view["recycled_content"]["metals"]}


# --- the tiny battery ---------------------------------------------------------------------


@pytest.mark.parametrize("share", [0.2, 0.1, 0.0])
def test_shares_recompute_from_the_composition_and_the_supply_shares(run, battery, share):
    view = _view(run, "tiny-cell", "--inventories", battery, "--supply", f"nickel={share}")
    metals = _metals(view)
    assert list(metals) == ["cobalt", "nickel"]  # the table's order; only the metals the cell draws
    nickel, cobalt = metals["nickel"], metals["cobalt"]
    assert nickel["total_kg"] == pytest.approx(4 * 0.5)  # 4 kg cathode material x 0.5 kg Ni per kg
    assert nickel["recycled_kg"] == pytest.approx(4 * 0.5 * share, abs=1e-12)
    assert nickel["share"] == pytest.approx(share, abs=1e-12)
    assert cobalt["total_kg"] == pytest.approx(4 * 0.1)
    assert cobalt["recycled_kg"] == pytest.approx(4 * 0.1 * CO_SHARE, rel=1e-6)  # the workbook's formula
    assert cobalt["share"] == pytest.approx(CO_SHARE, rel=1e-6)
    assert view["recycled_content"]["not_in_product"] == ["lead", "lithium"]
    met = {m["applies_from"]: (m["minimum"], m["met"]) for m in nickel["minimums"]}
    assert met == {"2031-08-18": (0.06, share >= 0.06), "2036-08-18": (0.15, share >= 0.15)}
    assert all(m["met"] for m in cobalt["minimums"])  # 0.3 >= 0.16 and 0.26
    missed = [(m["metal"], m["applies_from"]) for m in view["missed"]]
    assert missed == [("nickel", d) for d, (minimum, ok) in met.items() if not ok]


def test_the_sentence_names_each_minimum_missed(run, battery):
    partly = _view(run, "tiny-cell", "--inventories", battery, "--supply", "nickel=0.1")["statement"]
    assert "nickel (10 % recycled; minimum 15 % from 18 August 2036)" in partly
    assert "2031" not in partly and "it meets those for cobalt" in partly
    every = _view(run, "tiny-cell", "--inventories", battery, "--supply", "nickel=0.2")["statement"]
    assert every == "It meets every Article 8 minimum of recycled content for cobalt and nickel."


def test_a_recycling_allocation_does_not_change_the_metal_drawn(run, battery):
    """Avoided burden gives the recycled routes a virtual input of primary metal (its burden, not metal):
    the shares stay those of the supply, while the footprint changes."""
    cut_off = run.json("footprint", "tiny-cell", "--inventories", battery, "--supply", "nickel=0.2")
    avoided = run.json("footprint", "tiny-cell", "--inventories", battery, "--supply", "nickel=0.2",
                       "--allocation", "avoided-burden")
    assert avoided["total"] == pytest.approx(4 * (0.5 + 0.5 * 10 + 0.1 * 30) + 1.0)  # recycled carries Ev
    assert avoided["total"] != pytest.approx(cut_off["total"])
    assert _metals(avoided["battery_regulation"]) == _metals(cut_off["battery_regulation"])


def test_the_footprint_by_life_cycle_stage(run, battery):
    footprint = run.json("footprint", "tiny-cell", "--inventories", battery, "--supply", "nickel=0.2")
    stages = footprint["battery_regulation"]["carbon_footprint"]
    assert list(stages["stages"]) == STAGES
    assert stages["stages"][RAW] == pytest.approx(cathode_score(0.2)) == pytest.approx(27.8)
    assert stages["stages"][MAIN] == pytest.approx(2 * 0.5)
    assert stages["stages"]["distribution"] is None and stages["stages"]["end of life and recycling"] is None
    assert stages["not_modelled"] == ["distribution", "end of life and recycling"]
    assert stages["parts"][RAW] == ["cathode"] and stages["parts"][MAIN] == ["assembly"]
    assert stages["total"] == pytest.approx(footprint["total"]) == pytest.approx(27.8 + 1.0)


def test_table_and_csv_show_the_view(run, battery):
    table = run("footprint", "tiny-cell", "--inventories", battery, "--supply", "nickel=0.1").stdout
    assert "EU Battery Regulation (EU) 2023/1542: tiny-cell" in table
    assert "15 % missed" in table and "6 % met" in table
    assert "not modelled (no part declares them): distribution, end of life and recycling" in table
    distribution = next(line for line in table.splitlines() if line.strip().startswith("distribution"))
    assert distribution.split()[-2:] == ["not", "modelled"]
    rows = list(csv.DictReader(io.StringIO(run("footprint", "tiny-cell", "--inventories", battery, "--supply",
                                               "nickel=0.1", "--format", "csv").stdout)))
    parts = {r["part"]: r for r in rows}
    assert parts["cathode"]["life_cycle_stage"] == RAW and parts["assembly"]["life_cycle_stage"] == MAIN
    total = parts["total"]
    assert float(total["recycled_content_nickel"]) == pytest.approx(0.1)
    assert (total["recycled_content_nickel_met_2031"], total["recycled_content_nickel_met_2036"]) == ("True", "False")
    assert total["recycled_content_lithium"] == "" and total["cfp_distribution"] == ""
    assert float(total["cfp_raw_material_acquisition_and_pre_processing"]) == pytest.approx(cathode_score(0.1))
    compared = list(csv.DictReader(io.StringIO(run("footprint", "tiny-cell", "--inventories", battery, "--compare",
                                                   "--format", "csv").stdout)))
    (row,) = [r for r in compared if r["part"] == "total"]  # one row per part, then the total
    assert {r["part"] for r in compared} == set(parts)
    assert float(row["recycled_content_nickel"]) == 0.0  # the conventional supply row: 0
    assert float(row["alternative_recycled_content_nickel"]) == pytest.approx(0.2)  # the chosen supply row


def test_compare_shows_the_view_under_each_scenario(run, battery):
    result = run.json("footprint", "tiny-cell", "--inventories", battery, "--compare")
    shares = [_metals(s["battery_regulation"])["nickel"]["share"] for s in result["scenarios"]]
    assert shares == [0.0, pytest.approx(0.2)]
    table = run("footprint", "tiny-cell", "--inventories", battery, "--compare").stdout
    assert table.count("EU Battery Regulation (EU) 2023/1542: tiny-cell") == 2


def test_the_report_has_a_battery_regulation_sheet(run, battery, tmp_path):
    import tomllib

    texts = {lang: tomllib.loads((ROOT / "reports" / f"{lang}.toml").read_text()) for lang in ("en", "ja")}
    for lang in ("en", "ja"):
        out = tmp_path / f"cell-{lang}.xlsx"
        result = run("report", "footprint", "tiny-cell", "--inventories", battery, "-o", out, "--lang", lang)
        assert result.exit_code == 0, result.output
        book = load_workbook(out)
        sheet = texts[lang]["sheets"]["regulation"]
        assert book.sheetnames[:3] == [texts[lang]["sheets"][k] for k in ("summary", "product")] + [sheet]
        values = [v for row in book[sheet].iter_rows(values_only=True) for v in row if v is not None]
        regulation = texts[lang]["regulation"]
        assert regulation["stage_distribution"] in values and regulation["not_modelled"] in values
        assert pytest.approx(0.2) in values and regulation["metal_nickel"] in values


def test_a_product_without_the_row_shows_nothing_new(run, tmp_path):
    from tiny_products import write_products

    folder = write_products(tmp_path / "gadget").parent
    result = run.json("footprint", "gadget", "--inventories", folder, "--compare")
    assert all("battery_regulation" not in s for s in result["scenarios"])
    assert "Battery Regulation" not in run("footprint", "gadget", "--inventories", folder).stdout
    header = run("footprint", "gadget", "--inventories", folder, "--format", "csv").stdout.splitlines()[0]
    assert header == "product,part,score,unit,method"  # no regulation columns
    out = tmp_path / "gadget.xlsx"
    assert run("report", "footprint", "gadget", "--inventories", folder, "-o", out).exit_code == 0
    assert "Battery Regulation" not in load_workbook(out).sheetnames


# --- bad rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("metal_edits, cell_edits, where, message", [
    ({"ni supply": {"recycled content of": "gold"}}, {}, "tinymet.xlsx",
     "'recycled content of' of supply mix 'ni supply' is 'gold', not a metal with an Article 8 minimum"),
    ({"cathode material": {"recycled content of": "nickel"}}, {}, "tinymet.xlsx",
     "'recycled content of' is on 'cathode material', which is not a supply mix"),
    ({"co supply": {"recycled content of": "nickel"}}, {}, "tinymet.xlsx",
     "product 'tiny-cell' draws two supply mixes with 'recycled content of' = nickel"),
    ({}, {"tiny cell": {"battery regulation": "(EU) 2019/1020"}}, "tinycell.xlsx",
     "'battery regulation' of product 'tiny-cell' is '(EU) 2019/1020'; the tool knows Regulation (EU) 2023/1542"),
    ({}, {"cathode": {"battery regulation": "(EU) 2023/1542"}}, "tinycell.xlsx",
     "'battery regulation' is on 'cathode', which is not a product"),
    ({}, {"unit": "unit"}, "tinycell.xlsx", "product 'tiny-cell' is under Regulation (EU) 2023/1542 but is declared "
     "per 'unit'"),
    ({}, {"assembly": {"life-cycle stage": None}}, "tinycell.xlsx",
     "part 'assembly' (stage 'assembly') of product 'tiny-cell', which is under Regulation (EU) 2023/1542, has no "
     "'life-cycle stage'"),
    ({}, {"assembly": {"life-cycle stage": "use"}}, "tinycell.xlsx",
     "'life-cycle stage' of 'assembly' is 'use', not a life-cycle stage of Annex II"),
    ({"cathode material": {"stage": None, "life-cycle stage": RAW}}, {}, "tinymet.xlsx",
     "'cathode material' has a 'life-cycle stage' but no 'stage'"),
    ({}, {"assembly": {"stage": "cathode", "life-cycle stage": MAIN}}, "tinycell.xlsx",
     "parts of stage 'cathode' of product 'tiny-cell' declare two life-cycle stages"),
], ids=["unknown-metal", "not-a-mix", "two-mixes", "other-regulation", "not-a-product", "per-unit", "no-stage",
        "unknown-stage", "stage-without-part", "two-stages"])
def test_a_bad_regulation_row_is_refused_at_its_cell(run, tmp_path, metal_edits, cell_edits, where, message):
    folder = write_battery(tmp_path / "bad", metal_edits, cell_edits).parent
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = next((line for line in result.stderr.splitlines() if message in line), None)
    assert line is not None, result.stderr
    assert line.strip().startswith(f"- {where}, sheet 'inventory', row ") and "column B" in line
    assert "fix:" in result.stderr
    footprint = run("footprint", "tiny-cell", "--inventories", folder)
    assert footprint.exit_code == 1 and message in footprint.stderr  # no result from a bad row


# --- the shipped cell -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_source(tmp_path_factory):
    """A scenario naming another source of recycled nickel, so the loop supplies 20 %: the cathode
    scrap gives 0.05 x 0.9025 = 0.045125 (tests/test_closed_loop.py), the other source the rest."""
    path = tmp_path_factory.mktemp("scenario") / "recycled-nickel.yaml"
    path.write_text("name: recycled-nickel\ndescription: test\nsource: \"other source: recycled nickel sulfate "
                    "from end-of-life cells (made up for a test)\"\nset:\n  cfp_products.cathode_loop_other_share: "
                    f"{0.2 - 0.05 * 0.9025}\n")
    return path


def test_the_shipped_cell_at_20_percent_recycled_nickel(run, other_source):
    args = ("footprint", CELL, "--supply", "nickel=0.2", "--scenario", other_source)
    result = run.json(*args)
    view = result["battery_regulation"]
    metals = _metals(view)
    assert list(metals) == ["cobalt", "lithium", "nickel"] and view["recycled_content"]["not_in_product"] == ["lead"]
    assert metals["nickel"]["share"] == pytest.approx(0.2)
    assert all(m["met"] for m in metals["nickel"]["minimums"])  # 6 % from 2031, 15 % from 2036
    assert metals["cobalt"]["share"] == 0.0 and metals["lithium"]["share"] == 0.0
    assert {(m["metal"], m["minimum"]) for m in view["missed"]} == {("cobalt", 0.16), ("cobalt", 0.26),
                                                                     ("lithium", 0.06), ("lithium", 0.12)}
    for statement in (view["statement"], run(*args).stdout):
        assert "cobalt (0 % recycled; minimum 16 % from 18 August 2031 and 26 % from 18 August 2036)" in statement
        assert "lithium (0 % recycled; minimum 6 % from 18 August 2031 and 12 % from 18 August 2036)" in statement
        assert "it meets those for nickel" in statement
    # the stages are the parts summed as the workbook assigns them (docs/battery-regulation.md)
    parts, stages = result["parts"], view["carbon_footprint"]
    assert stages["parts"][MAIN] == ["cell manufacturing"]
    assert stages["stages"][MAIN] == pytest.approx(parts["cell manufacturing"])
    assert stages["stages"][RAW] == pytest.approx(sum(v for k, v in parts.items() if k != "cell manufacturing"))
    assert stages["not_modelled"] == ["distribution", "end of life and recycling"]
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    total = next(r for r in rows if r["part"] == "total")
    assert float(total["recycled_content_nickel"]) == pytest.approx(0.2)
    assert total["recycled_content_cobalt_met_2031"] == "False" and total["cfp_end_of_life_and_recycling"] == ""


def test_the_shipped_cells_chosen_supply_misses_the_nickel_minimum(run):
    """--compare: the chosen supply takes what the closed loop supplies, 0.05 x 0.9025 < 6 %."""
    result = run.json("footprint", CELL, "--compare")
    shares = [_metals(s["battery_regulation"])["nickel"]["share"] for s in result["scenarios"]]
    assert shares == [0.0, pytest.approx(0.05 * 0.9025)]
    assert ("nickel", 0.06) in {(m["metal"], m["minimum"]) for m in result["scenarios"][1]["battery_regulation"]
                                ["missed"]}
    everything = run.json("footprint", "--all", "--compare")["products"]
    regulated = [p["product"] for p in everything if "battery_regulation" in p]
    assert regulated == [CELL] and all("alternative_battery_regulation" in p for p in everything
                                       if p["product"] == CELL)


# --- the workbook script --------------------------------------------------------------------------


def _cells(path: Path) -> list:
    return [row for sheet in load_workbook(path).worksheets for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_script_adds_the_rows_once(tmp_path):
    """Delete the rows from a copy of the shipped workbooks: the script puts them back as shipped; a
    second run changes no file."""
    from lca.inventory.regulation_rows import METAL_ROW, REGULATION_ROW, STAGE_ROW

    for path in shipped_inventories().glob("*.xlsx"):
        shutil.copy(path, tmp_path / path.name)
    removed = 0
    for path in tmp_path.glob("*.xlsx"):
        book = load_workbook(path)
        for sheet in book.worksheets:
            for row in range(sheet.max_row, 0, -1):
                if sheet.cell(row, 1).value in (METAL_ROW, REGULATION_ROW, STAGE_ROW):
                    sheet.delete_rows(row)
                    removed += 1
        book.save(path)
    assert removed == 11
    script = [sys.executable, str(ROOT / "scripts" / "battery_regulation_rows.py"), str(tmp_path)]
    first = subprocess.run(script, capture_output=True, text=True, check=True)
    assert first.stdout.count(": added") == 11
    for path in shipped_inventories().glob("*.xlsx"):
        assert _cells(tmp_path / path.name) == _cells(path), path.name
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")}
    second = subprocess.run(script, capture_output=True, text=True, check=True)
    assert second.stdout.count(": present") == 11 and ": added" not in second.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")} == before
