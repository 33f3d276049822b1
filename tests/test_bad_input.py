"""Each kind of bad input, through the CLI: exit 1, no traceback, the place named, nothing changed."""

from __future__ import annotations

import pytest
from checks import edit_exchange_cell as _cell_edit
from checks import fails
from openpyxl import load_workbook
from tiny import write_tiny
from workbooks import CO2, activity, bio, tech, write_workbook


def _check_fails(run, folder, *expected, command=("inventory", "check")):
    return fails(run, (*command, "--inventories", folder), *expected, unchanged=(folder,))


@pytest.fixture
def tiny(tmp_path):
    write_tiny(tmp_path)
    return tmp_path


def test_valid_tiny_inventory_passes(run, tiny):
    result = run("inventory", "check", "--inventories", tiny)
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout


def test_unknown_biosphere_flow(run, tiny):
    row, column = _cell_edit(tiny / "tinybg.xlsx", "Carbon dioxide, fossil", "name", "Carbon dioxide, fosil")
    text = _check_fails(run, tiny, "tinybg.xlsx", "sheet 'inventory'", f"row {row}", f"column {column}",
                        "unknown biosphere flow 'Carbon dioxide, fosil'", "did you mean 'Carbon dioxide, fossil'")
    assert "fix:" in text


def test_biosphere_categories_that_do_not_exist(run, tiny):
    row, column = _cell_edit(tiny / "tinybg.xlsx", "Carbon dioxide, fossil", "categories", "air::moon")
    _check_fails(run, tiny, f"row {row}", f"column {column}", "has no categories 'air::moon'")


def test_unlinked_technosphere_exchange_suggests_closest_name(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "name", "haulng")
    _check_fails(run, tiny, "tiny.xlsx", f"row {row}", f"column {column}", "'haulng' links to nothing",
                 "did you mean 'hauling'")


def test_unknown_unit(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "unit", "kilogramme-ish")
    _check_fails(run, tiny, f"row {row}", f"column {column}", "unknown unit 'kilogramme-ish'")


def test_unit_mismatch_with_provider(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "unit", "megajoule")
    _check_fails(run, tiny, f"row {row}", f"column {column}", "unit mismatch", "'megajoule'", "'kilogram'")


def test_non_numeric_amount(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "amount", "three")
    _check_fails(run, tiny, f"row {row}", f"column {column}", "amount of 'hauling' is not a number ('three')")


def test_excel_cell_formula_is_refused(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "amount", "=1+2")
    _check_fails(run, tiny, f"row {row}", f"column {column}", "Excel cell formula")


def test_missing_production_exchange(run, tmp_path):
    act = activity("lonely", "lonely", exchanges=[bio(CO2, 1)])
    act["exchanges"] = act["exchanges"][1:]
    write_workbook(tmp_path / "bad.xlsx", "bad", [act])
    _check_fails(run, tmp_path, "bad.xlsx", "row 4", "has no production exchange")


def test_zero_production_exchange(run, tiny):
    row, column = _cell_edit(tiny / "tiny.xlsx", "hauling", "amount", 1)  # locate the block first
    book = load_workbook(tiny / "tiny.xlsx")
    sheet = book.active
    target = None
    for cells in sheet.iter_rows():
        if cells[0].value == "hauling" and cells[6].value == "production":
            cells[1].value = 0
            target = cells[1].row
    book.save(tiny / "tiny.xlsx")
    _check_fails(run, tiny, f"row {target}", "production amount of exchange 'hauling' is zero")


def test_duplicate_activity_code(run, tmp_path):
    acts = [activity("one", "same", exchanges=[bio(CO2, 1)]), activity("two", "same", exchanges=[bio(CO2, 1)])]
    write_workbook(tmp_path / "dup.xlsx", "dup", acts)
    _check_fails(run, tmp_path, "dup.xlsx", "duplicate activity code 'same'", "column B")


def test_parameter_formula_that_does_not_evaluate(run, tmp_path):
    acts = [activity("one", "one", exchanges=[bio(CO2, 0, formula="grade * undefined_name")])]
    write_workbook(tmp_path / "par.xlsx", "par", acts, parameters={"grade": 0.3})
    _check_fails(run, tmp_path, "par.xlsx", "unknown name undefined_name", "column I")


def test_parameter_division_by_zero(run, tmp_path):
    acts = [activity("one", "one", exchanges=[bio(CO2, 0, formula="1 / grade")])]
    write_workbook(tmp_path / "par.xlsx", "par", acts, parameters={"grade": 0})
    _check_fails(run, tmp_path, "par.xlsx", "divides by zero")


def test_circular_parameters(run, tmp_path):
    acts = [activity("one", "one", exchanges=[bio(CO2, 1)])]
    write_workbook(tmp_path / "par.xlsx", "par", acts, parameters={"a": "b + 1", "b": "a * 2"})
    _check_fails(run, tmp_path, "par.xlsx", "circular definition")


def test_singular_technosphere(run, tmp_path):
    # 'ping' and 'pong' each make 1 kg and consume all of the other's: det [[1, -1], [-1, 1]] = 0
    # (self-use of all its own product is refused earlier, by the amount rules: test_trust_inventory)
    acts = [activity("ping", "ping", exchanges=[tech("pong", 1), bio(CO2, 1)]),
            activity("pong", "pong", exchanges=[tech("ping", 1)])]
    write_workbook(tmp_path / "sing.xlsx", "sing", acts)
    _check_fails(run, tmp_path, "sing.xlsx", "cannot be solved (singular)", "'ping'", "'pong'", "row 4")


def test_not_an_xlsx_at_all(run, tiny):
    (tiny / "notes.xlsx").write_text("this is not a workbook")
    _check_fails(run, tiny, "notes.xlsx", "is not an .xlsx workbook")


def test_every_problem_is_listed_at_once(run, tiny):
    _cell_edit(tiny / "tiny.xlsx", "hauling", "name", "haulng")
    _cell_edit(tiny / "tinybg.xlsx", "Carbon dioxide, fossil", "amount", "lots")
    text = _check_fails(run, tiny, "2 problems", "haulng", "lots")
    assert text.count("fix:") == 2


def test_compare_runs_the_same_check(run, tiny):
    _cell_edit(tiny / "tiny.xlsx", "hauling", "name", "haulng")
    _check_fails(run, tiny, "'haulng' links to nothing", command=("compare", "metal", "--data-dir", run.data_dir))


def test_json_check_lists_problems_with_places(run, tiny):
    import json

    _cell_edit(tiny / "tiny.xlsx", "hauling", "name", "haulng")
    result = run("inventory", "check", "--inventories", tiny, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    problem = report["problems"][0]
    assert problem["file"] == "tiny.xlsx" and problem["sheet"] == "inventory"
    assert problem["row"] > 0 and problem["column"] == "A"


def test_missing_inventory_folder(run, tmp_path):
    result = run("inventory", "check", "--inventories", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "lca inventory init" in result.stderr


def test_an_activity_with_burdens_but_no_stage(run, tmp_path):
    from tiny import background_activities, tiny_activities

    activities = tiny_activities()
    del activities[-2]["meta"]["stage"]  # 'hauling' emits CO2 but names no stage
    write_workbook(tmp_path / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(tmp_path / "tiny.xlsx", "tiny", activities)
    _check_fails(run, tmp_path, "activity 'hauling' is part of route 'b' but has no 'stage'", "tiny.xlsx")
