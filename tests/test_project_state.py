"""The project follows the workbooks: edits are always reflected, bad edits never give stale numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from tiny import TOTAL_B, write_tiny
from workbooks import refresh_amounts

from lca.brightway.project import open_project
from lca.paths import resolve_data_dir, shipped_inventories, workbook_files


def _set_exchange(path, exchange_name, column_label, value, *, exchange_type=None):
    book = load_workbook(path)
    sheet = book.active
    header = None
    changed = 0
    for row in sheet.iter_rows():
        values = [c.value for c in row]
        if values and values[0] == "name" and "amount" in values:
            header = values
            continue
        if header and values and values[0] == exchange_name:
            if exchange_type and values[header.index("type")] != exchange_type:
                continue
            row[header.index(column_label)].value = value
            changed += 1
    assert changed, exchange_name
    book.save(path)


def test_edit_in_an_init_copy_changes_the_next_result(run, tmp_path):
    folder = tmp_path / "mine"
    result = run("inventory", "init", folder)
    assert result.exit_code == 0, result.output
    shipped = sorted(p.name for p in workbook_files(shipped_inventories()))
    assert sorted(p.name for p in folder.glob("*.xlsx")) == shipped
    assert {"background.xlsx", "copper.xlsx", "nickel.xlsx", "products.xlsx"} <= set(shipped)
    before = run.json("compare", "copper", "--inventories", folder)
    # raise the electrorefining electricity to 390 kWh/t (inside its triangular range 300-400), a database
    # parameter used by both routes' formulas
    book = load_workbook(folder / "copper.xlsx")
    sheet = book.active
    edited = [row for row in sheet.iter_rows() if row[0].value == "er_elec_kwh_per_t"]
    assert len(edited) == 1, "parameter er_elec_kwh_per_t not found"
    edited[0][1].value = 390
    book.save(folder / "copper.xlsx")
    assert refresh_amounts(folder) == 2  # the two exchanges whose formula is er_elec_kwh_per_t, as the check asks
    after = run.json("compare", "copper", "--inventories", folder)
    for old, new in zip(before["routes"], after["routes"], strict=True):
        assert new["total"] > old["total"], old["id"]
        assert new["stages"]["electrorefining"] > old["stages"]["electrorefining"]
    assert after["provenance"]["inventory_fingerprint"] != before["provenance"]["inventory_fingerprint"]


def test_init_refuses_to_overwrite(run, tmp_path):
    assert run("inventory", "init", tmp_path).exit_code == 0
    (tmp_path / "copper.xlsx").write_bytes(b"my own edits")
    result = run("inventory", "init", tmp_path)
    assert result.exit_code == 1
    assert "already exist" in result.stderr and "--overwrite" in result.stderr
    assert (tmp_path / "copper.xlsx").read_bytes() == b"my own edits"


def test_unchanged_workbooks_are_not_reimported(data_dir, tmp_path):
    write_tiny(tmp_path)
    with open_project(data_dir=data_dir, inventories=tmp_path) as first:
        assert first.rebuilt
    with open_project(data_dir=data_dir, inventories=tmp_path) as second:
        assert not second.rebuilt
        assert second.fingerprint == first.fingerprint


def test_a_broken_edit_fails_instead_of_giving_the_old_result(run, tmp_path):
    write_tiny(tmp_path)
    assert run.json("compare", "metal", "--inventories", tmp_path)["routes"][1]["total"] == pytest.approx(TOTAL_B)
    _set_exchange(tmp_path / "tiny.xlsx", "hauling", "amount", "oops", exchange_type="technosphere")
    for _ in range(2):  # and again: the failed import must not have been recorded as current
        result = run("compare", "metal", "--inventories", tmp_path)
        assert result.exit_code == 1
        assert "'oops'" in result.stderr


def test_fixing_the_edit_gives_the_new_result(run, tmp_path):
    write_tiny(tmp_path)
    run.json("compare", "metal", "--inventories", tmp_path)
    write_tiny(tmp_path, haul_co2=5.0)
    result = run.json("compare", "metal", "--inventories", tmp_path)
    assert result["routes"][1]["stages"]["haul"] == pytest.approx(5.0)


def test_two_processes_started_together_agree_and_leave_a_sound_project(tmp_path):
    data = tmp_path / "bw"
    data.mkdir()
    inventories = tmp_path / "inv"
    write_tiny(inventories)
    env = dict(os.environ, BRIGHTWAY2_DIR=str(data))
    command = [sys.executable, "-m", "lca.cli.main", "compare", "metal", "--inventories", str(inventories),
               "--format", "json"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second
    # exactly one of them built the project
    assert sum("Building the Brightway base project" in err for _, err in outputs) == 1
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr
    assert json.loads(third.stdout) == first
    assert "importing" not in third.stderr  # the project was left current and sound


def test_tests_never_touch_the_users_brightway_folder(data_dir):
    from lca.brightway.session import import_brightway

    bd = import_brightway(data_dir)
    assert str(bd.projects._base_data_dir).startswith(str(data_dir.parent))
    default = resolve_data_dir(None)  # BRIGHTWAY2_DIR is set by conftest
    assert str(default).startswith(str(data_dir.parent))


def test_data_dir_order(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIGHTWAY2_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "option") == (tmp_path / "option").resolve()
    assert resolve_data_dir(None) == (tmp_path / "env").resolve()
    monkeypatch.delenv("BRIGHTWAY2_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert str(resolve_data_dir(None)).startswith(str(tmp_path / "xdg"))


def test_inventories_from_environment(run, monkeypatch, tmp_path):
    write_tiny(tmp_path)
    monkeypatch.setenv("LCA_INVENTORIES", str(tmp_path))
    result = run("inventory", "check")
    assert result.exit_code == 0 and "tiny" in result.stdout
