"""Faults in the Brightway data folder, ownership of what the tool writes, and output files.

Each fault test builds a data folder in tmp_path (the tiny system of tests/tiny.py, or the
shipped inventories), damages one file, and expects either an automatic rebuild with the same
numbers, said on stderr, or exit 1 with one message that names the file and the fix. The tests
run as root, where ``chmod`` does not stop a write: the read-only cases mock the permission
check or the temporary-file probe, and say so.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from checks import digest, fails
from tiny import TOTAL_A, TOTAL_B, write_tiny

from lca.brightway.project import _project_dir, _project_name
from lca.paths import shipped_inventories

CO2 = ("Carbon dioxide, fossil", ("air",))


def _own(run):
    """``run`` without the session's --data-dir (each test here brings its own data folder)."""
    return lambda *args: run(*args, data_dir=False)


def _compare(run, data, inventories, comparison="metal"):
    result = run("compare", comparison, "--inventories", inventories, "--data-dir", data, "--format", "json",
                 data_dir=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [r["total"] for r in json.loads(result.stdout)["routes"]], result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory, brightway_template):
    """A data folder with the tiny inventory built in it (copied by each test before damaging it);
    it starts as a copy of the session's prebuilt data folder (conftest.py), so only the tiny project is built here."""
    from click.testing import CliRunner

    from lca.cli.main import cli

    root = tmp_path_factory.mktemp("built")
    inventories, data = root / "inv", root / "bw"
    write_tiny(inventories)
    shutil.copytree(brightway_template, data)
    result = CliRunner().invoke(cli, ["compare", "metal", "--inventories", str(inventories), "--data-dir", str(data),
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return inventories, data


def _copy(built, tmp_path):
    inventories, data = built
    copy = tmp_path / "bw"
    shutil.copytree(data, copy)
    return inventories, copy, _project_dir(copy, _project_name(inventories.resolve()))


def _damage(path: Path, how: str) -> None:
    if how == "truncate":
        os.truncate(path, path.stat().st_size // 2)
    elif how == "empty":
        os.truncate(path, 0)
    elif how == "garbage":
        path.write_bytes(b"not what was written " * 50)
    elif how == "delete":
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def _processed(project: Path, prefix: str) -> str:
    (found,) = [p for p in (project / "processed").glob(f"{prefix}.*.zip")]
    return str(found.relative_to(project))


# (file in the project folder, how it is damaged); "{tiny}" etc. name a processed datapackage
REBUILT = [
    ("lci/databases.db", "truncate"), ("lci/databases.db", "garbage"), ("lci/databases.db", "delete"),
    ("lci/databases.db", "empty"), ("parameters.db", "garbage"), ("databases.json", "garbage"),
    ("methods.json", "delete"), ("{tiny}", "truncate"), ("{tiny}", "delete"), ("{tinybg}", "garbage"),
    ("{biosphere3}", "garbage"), ("{ipcc-2021cg}", "truncate"), ("lca-cfp-parametric.json", "truncate"),
    ("lca-cfp-parametric.json", "garbage"), ("lca-cfp-parametric.json", "delete"), ("lca-cfp-state.json", "garbage"),
    ("lca-cfp-state.json", "delete"), (".", "delete"),
]


@pytest.mark.parametrize("relative, how", REBUILT, ids=[f"{r}-{h}" for r, h in REBUILT])
def test_a_damaged_file_of_the_tools_project_is_rebuilt_with_the_same_numbers(run, built, tmp_path, relative, how):
    inventories, data, project = _copy(built, tmp_path)
    if relative.startswith("{"):
        prefix = relative.strip("{}")
        candidates = sorted((project / "processed").glob(f"{prefix}.*.zip"))
        relative = str(candidates[0].relative_to(project))
    target = project / relative
    _damage(target, how)
    totals, stderr = _compare(run, data, inventories)
    assert totals == pytest.approx([TOTAL_A, TOTAL_B], rel=1e-6)
    assert str(target.resolve() if relative != "." else project) in stderr
    assert "rebuilding" in stderr
    assert "workbook" not in stderr.split("rebuilding")[0]  # the workbooks are not blamed
    again, stderr = _compare(run, data, inventories)  # and the repair was recorded: no second rebuild
    assert again == totals and "rebuilding" not in stderr and "importing" not in stderr


@pytest.mark.parametrize("how", ["garbage", "empty", "truncate"])
def test_a_damaged_project_registry_is_named_and_not_replaced(run, built, tmp_path, how):
    inventories, data, _ = _copy(built, tmp_path)
    registry = data / "projects.db"
    _damage(registry, how)
    if how == "truncate" and not registry.stat().st_size:
        pytest.skip("truncation left nothing")
    before = registry.read_bytes()
    stderr = fails(_own(run), ["compare", "metal", "--inventories", inventories, "--data-dir", data],
                   str(registry), "restore it from a backup", unchanged=[inventories])
    assert "Traceback" not in stderr
    assert registry.read_bytes() == before


def test_a_deleted_project_registry_is_recreated_and_the_project_kept(run, built, tmp_path):
    inventories, data, _ = _copy(built, tmp_path)
    (data / "projects.db").unlink()
    totals, stderr = _compare(run, data, inventories)
    assert totals == pytest.approx([TOTAL_A, TOTAL_B], rel=1e-6)
    assert "importing" not in stderr  # the project folder was registered again, not rebuilt


def test_a_damaged_file_with_the_shipped_inventories_is_rebuilt(run, tmp_path, prebuilt_data_dir):
    data = prebuilt_data_dir(tmp_path / "bw")  # the shipped project already built in it
    shipped = shipped_inventories()
    before, _ = _compare(run, data, shipped, "copper")
    project = _project_dir(data, _project_name(shipped))
    _damage(project / "lci" / "databases.db", "truncate")
    _damage(project / _processed(project, "cfp_copper"), "garbage")
    after, stderr = _compare(run, data, shipped, "copper")
    assert after == before
    assert str(project / "lci" / "databases.db") in stderr and "rebuilding" in stderr


def test_a_read_only_data_folder_is_refused_before_anything_is_written(run, tmp_path, monkeypatch):
    # As root, chmod does not stop writes; the permission check is mocked to answer as for a normal user.
    import lca.brightway.datafolder

    write_tiny(tmp_path / "inv")
    data = tmp_path / "bw"
    data.mkdir()
    real = os.access

    def access(path, mode, **kw):  # write access to the data folder denied, as for a user without it
        return False if Path(path) == data and mode & os.W_OK else real(path, mode, **kw)

    monkeypatch.setattr(lca.brightway.datafolder.os, "access", access)
    fails(_own(run), ["compare", "metal", "--inventories", tmp_path / "inv", "--data-dir", data],
          str(data), "not writable", "--data-dir")
    assert list(data.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run the CLI as the user 'nobody'")
def test_a_read_only_data_folder_for_a_user_without_write_permission():
    # The real thing, without mocks: the CLI runs as 'nobody' on a folder with mode 0o555. The folder
    # lives in /tmp (pytest's tmp_path is 0o700 to root) and is removed afterwards.
    import subprocess
    import sys
    import tempfile

    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
    probe = subprocess.run([*as_nobody, "-c", "import lca.cli.main"], capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip("the user 'nobody' cannot read this checkout or its virtual environment (the mocked read-only "
                    f"tests above still run): {probe.stderr.strip()[-200:]}")
    root = Path(tempfile.mkdtemp(prefix="lca-cfp-read-only-", dir="/tmp"))
    try:
        inventories, data = root / "inv", root / "bw"
        write_tiny(inventories)
        data.mkdir()
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        data.chmod(0o555)
        env = dict(os.environ, BRIGHTWAY2_DIR=str(data), HOME=str(root))
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                                 "lca.cli.main", "compare", "metal", "--inventories", str(inventories)],
                                cwd=root, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"The Brightway data folder {data} is not writable" in result.stderr and "--data-dir" in result.stderr
        assert list(data.iterdir()) == []
    finally:
        shutil.rmtree(root)


def test_a_data_folder_where_nothing_can_be_created_is_refused(run, tmp_path, monkeypatch):
    # A read-only mount passes os.access for root; the probe (creating a temporary file) fails there.
    import lca.brightway.datafolder

    write_tiny(tmp_path / "inv")
    data = tmp_path / "bw"
    data.mkdir()

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(lca.brightway.datafolder.tempfile, "mkstemp", refuse)
    fails(_own(run), ["compare", "metal", "--inventories", tmp_path / "inv", "--data-dir", data],
          str(data), "Read-only file system")
    assert list(data.iterdir()) == []


# --- ownership ----------------------------------------------------------------------------------------------------

def _user_database(data, inventories):
    """Write databases and a method with bw2data directly into the tool's project, as a user would."""
    from lca.brightway.session import import_brightway

    bd = import_brightway(data)
    bd.projects.set_current(_project_name(inventories.resolve()))
    co2 = bd.Database("biosphere3").search("Carbon dioxide, fossil", limit=50)
    flow = next(f for f in co2 if f["name"] == CO2[0] and tuple(f["categories"]) == CO2[1])
    bd.Database("my_import").write({
        ("my_import", "smelter"): {"name": "my smelter", "unit": "kilogram", "location": "JP", "exchanges": [
            {"input": ("my_import", "smelter"), "amount": 1, "type": "production"},
            {"input": flow.key, "amount": 2.5, "type": "biosphere"}]},
    })
    bd.Database("my_model").write({  # and one that links to a database of the tool
        ("my_model", "m"): {"name": "my model", "unit": "kilogram", "location": "JP", "exchanges": [
            {"input": ("my_model", "m"), "amount": 1, "type": "production"},
            {"input": ("tinybg", "elec"), "amount": 4, "type": "technosphere"}]},
    })
    method = ("my method", "climate")
    bd.Method(method).register(unit="kg")
    bd.Method(method).write([(flow.key, 1.0)])
    return bd, method


def _snapshot(bd, method):
    database = bd.Database("my_import")
    processed = Path(database.filepath_processed())
    return {
        "data": {key: {k: v for k, v in value.items() if k != "exchanges"} | {"exchanges": sorted(
            (tuple(e["input"]), e["amount"], e["type"]) for e in value["exchanges"])}
            for key, value in database.load().items()},
        "metadata": {k: v for k, v in bd.databases["my_import"].items()},
        "processed": processed.read_bytes(),
        "method": sorted(bd.Method(method).load()),
        "method zip": Path(bd.Method(method).filepath_processed()).read_bytes(),
    }


def test_a_database_and_method_the_tool_did_not_write_survive_an_edit_and_rebuild(run, tmp_path, prebuilt_data_dir):
    from lca.brightway.session import import_brightway

    inventories, data = tmp_path / "inv", prebuilt_data_dir(tmp_path / "bw")
    write_tiny(inventories)
    _compare(run, data, inventories)
    bd, method = _user_database(data, inventories)
    before = _snapshot(bd, method)
    write_tiny(inventories, haul_co2=5.0)  # an edit: the tool re-imports its databases
    totals, stderr = _compare(run, data, inventories)
    assert totals[1] == pytest.approx(TOTAL_B + 2, rel=1e-6)
    assert "leaving alone 2 databases that the tool did not write: my_import, my_model" in stderr
    assert "my_model links to tinybg, rewritten just now: process it again" in stderr
    bd = import_brightway(data)
    bd.projects.set_current(_project_name(inventories.resolve()))
    assert _snapshot(bd, method) == before

    # a damaged file the tool writes alone is repaired in place, the user's data kept
    project = _project_dir(data, _project_name(inventories.resolve()))
    _damage(project / _processed(project, "tiny"), "garbage")
    _damage(project / _processed(project, "biosphere3"), "truncate")
    totals, stderr = _compare(run, data, inventories)
    assert totals[1] == pytest.approx(TOTAL_B + 2, rel=1e-6)
    assert "Repairing" in stderr and "my_import" in stderr
    bd.projects.set_current(_project_name(inventories.resolve()))
    assert _snapshot(bd, method) == before

    # a damaged store that also holds the user's data is not deleted: named, with the fix
    store = project / "lci" / "databases.db"
    _damage(store, "garbage")
    stored = store.read_bytes()
    fails(_own(run), ["compare", "metal", "--inventories", inventories, "--data-dir", data], str(store),
          "did not write (my_import", "Restore the file from a backup", unchanged=[inventories])
    assert store.read_bytes() == stored and (project / "processed").is_dir()


def test_a_new_tool_version_updates_a_project_with_other_data_in_place(run, tmp_path, monkeypatch, prebuilt_data_dir):
    import lca.brightway.project
    from lca.brightway.session import import_brightway

    inventories, data = tmp_path / "inv", prebuilt_data_dir(tmp_path / "bw")
    write_tiny(inventories)
    _compare(run, data, inventories)
    bd, method = _user_database(data, inventories)
    before = _snapshot(bd, method)
    monkeypatch.setattr(lca.brightway.project, "BUILD_SCHEMA", lca.brightway.project.BUILD_SCHEMA + "-next")
    totals, stderr = _compare(run, data, inventories)
    assert totals == pytest.approx([TOTAL_A, TOTAL_B], rel=1e-6)
    assert "in place" in stderr
    bd = import_brightway(data)
    bd.projects.set_current(_project_name(inventories.resolve()))
    assert _snapshot(bd, method) == before


def test_a_workbook_database_named_like_a_users_database_is_refused(run, tmp_path, prebuilt_data_dir):
    from workbooks import CO2 as CO2_FLOW
    from workbooks import activity, bio, write_workbook

    inventories, data = tmp_path / "inv", prebuilt_data_dir(tmp_path / "bw")
    write_tiny(inventories)
    _compare(run, data, inventories)
    _user_database(data, inventories)
    write_workbook(inventories / "mine.xlsx", "my_import", [activity("x", "x", exchanges=[bio(CO2_FLOW, 1)])])
    fails(_own(run), ["compare", "metal", "--inventories", inventories, "--data-dir", data],
          "'my_import'", "did not write", "Rename the database in the workbook")


# --- a workbook exported by bw2io imports back ---------------------------------------------------------------------

def test_a_workbook_exported_by_bw2io_imports_back(run, built, tmp_path, prebuilt_data_dir):
    from bw2io.export.excel import write_lci_excel

    from lca.brightway.project import open_project

    inventories, data, _ = _copy(built, tmp_path)
    exported = tmp_path / "exported"
    exported.mkdir()
    with open_project(data_dir=data, inventories=inventories):
        path = Path(write_lci_excel("tinybg", dirpath=str(exported)))
    # the export carries the tool's own metadata (source_file, lca_cfp_project) as Database rows
    from openpyxl import load_workbook

    rows = {r[0] for r in load_workbook(path).active.iter_rows(max_row=8, values_only=True)}
    assert {"source_file", "lca_cfp_project"} <= rows
    folder = tmp_path / "roundtrip"
    folder.mkdir()
    shutil.copy(inventories / "tiny.xlsx", folder / "tiny.xlsx")
    shutil.copy(path, folder / "tinybg.xlsx")
    check = run("inventory", "check", "--inventories", folder)
    assert check.exit_code == 0, check.output
    totals, _ = _compare(run, prebuilt_data_dir(tmp_path / "bw2"), folder)
    assert totals == pytest.approx([TOTAL_A, TOTAL_B], rel=1e-6)


def test_database_metadata_rows_named_like_bw2datas_own_keys_never_crash(run, tmp_path, prebuilt_data_dir):
    from openpyxl import load_workbook

    from lca.brightway.session import import_brightway

    inventories, data = tmp_path / "inv", tmp_path / "bw"
    write_tiny(inventories)
    book = load_workbook(inventories / "tinybg.xlsx")
    sheet = book.active
    database_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Database")
    sheet.insert_rows(database_row + 1, 4)
    for offset, (key, value) in enumerate([("source_file", "other.xlsx"), ("backend", "nonsense"),
                                           ("self", "x"), ("depends", "y")], start=1):
        sheet.cell(database_row + offset, 1, key)
        sheet.cell(database_row + offset, 2, value)
    book.save(inventories / "tinybg.xlsx")
    prebuilt_data_dir(data)
    totals, _ = _compare(run, data, inventories)
    assert totals == pytest.approx([TOTAL_A, TOTAL_B], rel=1e-6)
    bd = import_brightway(data)
    bd.projects.set_current(_project_name(inventories.resolve()))
    metadata = bd.databases["tinybg"]
    assert metadata["source_file"] == "tinybg.xlsx" and metadata["backend"] == "sqlite"
    assert metadata["workbook:backend"] == "nonsense" and metadata["workbook:self"] == "x"


# --- output files ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_report_follows_the_umask(run, built, tmp_path, mask, mode):
    inventories, data, _ = _copy(built, tmp_path)
    out = tmp_path / "report.xlsx"
    old = os.umask(mask)
    try:
        result = run("report", "metal", "-o", out, "--inventories", inventories, "--data-dir", data, data_dir=False)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("case", ["is-a-folder", "parent-is-a-file", "missing-folder", "not-writable"])
def test_an_unwritable_output_fails_before_the_project_is_built(run, tmp_path, monkeypatch, case):
    import lca.xlsx

    inventories, data = tmp_path / "inv", tmp_path / "bw"
    write_tiny(inventories)
    data.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "a-file").write_text("x")
    target, message = {
        "is-a-folder": (tmp_path / "out", "is a directory"),
        "parent-is-a-file": (tmp_path / "a-file" / "r.xlsx", "is a file, not a folder"),
        "missing-folder": (tmp_path / "nowhere" / "r.xlsx", "does not exist"),
        "not-writable": (tmp_path / "out" / "r.xlsx", "Cannot write in the folder"),
    }[case]
    if case == "not-writable":  # root ignores chmod: the probe file cannot be created, as on a read-only folder
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(lca.xlsx.tempfile, "mkstemp", refuse)
    # click's own check refuses a folder as a usage error (exit 2); check_output refuses it for library callers
    fails(_own(run), ["report", "metal", "-o", target, "--inventories", inventories, "--data-dir", data],
          str(target.parent) if case != "is-a-folder" else str(target), message,
          code=2 if case == "is-a-folder" else 1)
    assert list(data.iterdir()) == []  # nothing was built: the check ran before any calculation
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_a_statement_output_in_a_folder_that_is_a_file_fails_before_the_project_is_built(run, tmp_path):
    assert run("ledger", "init", tmp_path).exit_code == 0
    data = tmp_path / "bw"
    data.mkdir()
    (tmp_path / "a-file").write_text("x")
    fails(_own(run), ["ledger", "statement", tmp_path / "example-ledger.xlsx", "--delivery", "DLV-0002", "-o",
                tmp_path / "a-file" / "s.xlsx", "--data-dir", data], "is a file, not a folder")
    assert list(data.iterdir()) == []


def test_user_files_are_unchanged_by_a_rebuild(run, built, tmp_path):
    inventories, data, project = _copy(built, tmp_path)
    before = digest(inventories)
    _damage(project / "lci" / "databases.db", "garbage")
    _compare(run, data, inventories)
    assert digest(inventories) == before


def test_check_output_refuses_a_folder_and_an_existing_file(tmp_path):
    from lca.errors import OutputError
    from lca.xlsx import check_output

    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path, overwrite=True)
    (tmp_path / "r.xlsx").write_bytes(b"mine")
    with pytest.raises(OutputError, match="already exists"):
        check_output(tmp_path / "r.xlsx")
    assert check_output(tmp_path / "r.xlsx", overwrite=True) == (tmp_path / "r.xlsx").resolve()
    assert (tmp_path / "r.xlsx").read_bytes() == b"mine" and sorted(tmp_path.iterdir()) == [tmp_path / "r.xlsx"]


@pytest.mark.parametrize("command", [["inventory", "init"], ["ledger", "init"]], ids=["inventory", "ledger"])
def test_init_into_a_folder_below_a_file_is_a_clear_error(run, tmp_path, command):
    (tmp_path / "a-file").write_text("x")
    fails(_own(run), [*command, tmp_path / "a-file" / "sub"], str(tmp_path / "a-file" / "sub"), "Not a directory")
    assert (tmp_path / "a-file").read_text() == "x"
