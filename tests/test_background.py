"""A background the user brought (issue 18): a database imported with bw2io into the tool's project, mapped
under the routes with ``--background NAME``, or linked directly from a workbook; the tool never touches it.

The hand check (tests/tiny.py): the shipped tiny background's electricity emits 0.5 kg CO2 per kWh. The
user's database ``userbg`` (written here as a bw2io Excel file and imported with plain bw2io) has
"electricity, user grid": 0.8 kg CO2 per kWh produced and 0.2 kWh of its own output used per kWh (losses):
per kWh delivered 1 / (1 - 0.2) = 1.25 kWh are made, so 0.8 x 1.25 = 1.0 kg CO2. On that background

    route A = 2 kWh x 1.0 + 1 + 0.1 x 29.8 = 5.98 ;  route B = 1 kWh x 1.0 + 0.2 + 3 = 4.2
"""

from __future__ import annotations

import gc
import hashlib
import json
import warnings

import pytest
from openpyxl import Workbook
from test_shipped_inventories import GWP100
from tiny import TOTAL_A, TOTAL_B, write_tiny
from workbooks import CO2, activity, bio, tech, write_workbook

from lca.brightway.project import _project_name
from lca.inventory.background_map import MAPPING_SHEET
from lca.paths import copy_shipped_inventories

USER_A, USER_B = 2 * 1.0 + 1 + 0.1 * 29.8, 1 * 1.0 + 0.2 + 3


def _brightway(data_dir, folder):
    from lca.brightway.session import import_brightway

    bd = import_brightway(data_dir)
    bd.projects.set_current(_project_name(folder))
    return bd


def import_user_background(data_dir, folder, tmp_path, co2=0.8, name="userbg"):
    """Write a bw2io Excel workbook and import it with plain bw2io into the tool's project of ``folder``."""
    import bw2io

    path = write_workbook(tmp_path / f"{name}-{co2}.xlsx", name, [
        activity("electricity, user grid", "grid", unit="kilowatt hour",
                 exchanges=[tech("electricity, user grid", 0.2, unit="kilowatt hour"), bio(CO2, co2)])])
    bd = _brightway(data_dir, folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        importer = bw2io.ExcelImporter(path)
        importer.apply_strategies()
        assert importer.statistics(print_stats=False)[2] == 0
        if name in bd.databases:
            del bd.databases[name]
        importer.write_database()
        gc.collect()
    return bd


def write_mapping(path, rows, header=("database", "activity", "location", "unit", "provider database",
                                      "provider name", "provider location", "source")):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = MAPPING_SHEET
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


USER_ROW = ("tinybg", "electricity", "GLO", "kilowatt hour", "userbg", "electricity, user grid", "GLO",
            "test: the user's grid (tests/test_background.py)")


@pytest.fixture
def tiny_with_user_background(run, tmp_path, prebuilt_data_dir):
    data_dir = prebuilt_data_dir(tmp_path / "bw")
    folder = tmp_path / "inventories"
    write_tiny(folder)
    assert run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, data_dir=False).exit_code == 0
    import_user_background(data_dir, folder, tmp_path)
    write_mapping(folder / "backgrounds" / "user.xlsx", [USER_ROW])
    return data_dir, folder


def _json(run, *args):
    """``run.json`` in the data folder the arguments name (run.json adds the session's to `compare`)."""
    result = run(*args, "--format", "json", data_dir=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _totals(run, data_dir, folder, *extra):
    result = _json(run, "compare", "metal", "--inventories", folder, "--data-dir", data_dir, *extra)
    return {r["label"]: r["total"] for r in result["routes"]}


def _plain_bw2calc(data_dir, folder, database, names):
    import bw2calc as bc

    bd = _brightway(data_dir, folder)
    scores = {}
    for name in names:
        lca = bc.LCA({bd.get_node(database=database, name=name): 1}, GWP100)
        lca.lci()
        lca.lcia()
        scores[name] = lca.score
    return scores


def test_a_mapped_background_gives_the_hand_checked_numbers_and_plain_bw2calc_agrees(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    assert _totals(run, data_dir, folder) == {"Route A": pytest.approx(TOTAL_A), "Route B": pytest.approx(TOTAL_B)}
    mapped = _totals(run, data_dir, folder, "--background", "user")
    assert mapped == {"Route A": pytest.approx(USER_A, rel=1e-6), "Route B": pytest.approx(USER_B, rel=1e-6)}
    plain = _plain_bw2calc(data_dir, folder, "tiny", ["metal, route A", "metal, route B"])
    assert plain == {"metal, route A": pytest.approx(USER_A, rel=1e-6),
                     "metal, route B": pytest.approx(USER_B, rel=1e-6)}
    # the mapped activity keeps its name and place; its one input is the user's grid, with the mapping's source
    bd = _brightway(data_dir, folder)
    electricity = bd.get_node(database="tinybg", name="electricity")
    inputs = [(e.input["database"], e.input["name"], e["amount"], e["comment"]) for e in electricity.technosphere()]
    assert inputs == [("userbg", "electricity, user grid", 1.0, f"background mapping user: {USER_ROW[-1]}")]
    assert list(electricity.biosphere()) == []
    # back to the shipped background: the first numbers again
    assert _totals(run, data_dir, folder, "--background", "shipped") == {"Route A": pytest.approx(TOTAL_A),
                                                                           "Route B": pytest.approx(TOTAL_B)}


def test_the_run_says_which_background_and_the_fingerprint_differs(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    shipped = _json(run, "compare", "metal", "--inventories", folder, "--data-dir", data_dir)
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "user",
                 data_dir=False)
    assert result.exit_code == 0, result.output
    assert "background user: 1 activities mapped (1 to userbg)" in result.stderr
    mapped = _json(run, "compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "user")
    assert mapped["provenance"]["inventory_fingerprint"] != shipped["provenance"]["inventory_fingerprint"]


def _digest(bd, name) -> str:
    from bw2data.backends import ActivityDataset, ExchangeDataset

    rows = sorted(repr((a.code, a.name, sorted(a.data.items()))) for a in
                  ActivityDataset.select().where(ActivityDataset.database == name))
    rows += sorted(repr((e.output_code, e.input_database, e.input_code, sorted(e.data.items()))) for e in
                   ExchangeDataset.select().where(ExchangeDataset.output_database == name))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_the_users_database_survives_edits_and_rebuilds_untouched(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    bd = _brightway(data_dir, folder)
    before, registered = _digest(bd, "userbg"), dict(bd.databases["userbg"])
    write_tiny(folder, haul_co2=4.0)  # an edit: a rebuild
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, data_dir=False)
    assert result.exit_code == 0 and "leaving alone 1 database that the tool did not write: userbg" in result.stderr
    assert _totals(run, data_dir, folder, "--background", "user")["Route B"] == pytest.approx(USER_B + 1, rel=1e-6)
    (folder / "tiny.xlsx").unlink()  # a workbook removed: its database goes, the user's stays
    assert run("inventory", "check", "--inventories", folder).exit_code == 0
    run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, data_dir=False)
    bd = _brightway(data_dir, folder)
    assert "tiny" not in bd.databases and "userbg" in bd.databases
    assert _digest(bd, "userbg") == before and dict(bd.databases["userbg"]) == registered


def test_a_reimported_background_is_never_mixed_with_stale_results(run, tiny_with_user_background, tmp_path):
    data_dir, folder = tiny_with_user_background
    assert _totals(run, data_dir, folder, "--background", "user")["Route B"] == pytest.approx(USER_B, rel=1e-6)
    import_user_background(data_dir, folder, tmp_path, co2=1.6)  # deleted and imported again: new node ids, 2.0 kg
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "user",
                 data_dir=False)
    assert "A database the tool did not write changed" in result.stderr
    assert _totals(run, data_dir, folder, "--background", "user") == {
        "Route A": pytest.approx(2 * 2.0 + 1 + 2.98, rel=1e-6), "Route B": pytest.approx(2.0 + 0.2 + 3, rel=1e-6)}


def test_a_workbook_exchange_links_to_the_users_database_directly(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    from tiny import tiny_activities

    acts = tiny_activities()
    acts[2]["exchanges"][1] = tech("electricity, user grid", 1, unit="kilowatt hour", database="userbg")  # melting
    write_workbook(folder / "tiny.xlsx", "tiny", acts)
    check = _json(run, "inventory", "check", "--inventories", folder, "--data-dir", data_dir)
    assert check["ok"] and check["linked databases"] == {"userbg": 1}
    assert _totals(run, data_dir, folder) == {"Route A": pytest.approx(TOTAL_A), "Route B": pytest.approx(USER_B)}
    assert _plain_bw2calc(data_dir, folder, "tiny", ["metal, route B"]) == {"metal, route B": pytest.approx(USER_B)}
    # without the project (another data folder), the check says where it looked and how to fix it
    result = run("inventory", "check", "--inventories", folder, "--data-dir", folder.parent / "empty-bw",
                 data_dir=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "points to database 'userbg', which no workbook defines" in result.stderr


@pytest.mark.parametrize("row, column, message", [
    (USER_ROW[:3] + ("megajoule",) + USER_ROW[4:], "D", "is not the unit of 'electricity'"),
    (USER_ROW[:4] + ("nodb",) + USER_ROW[5:], "E", "the project holds no database 'nodb'"),
    (USER_ROW[:5] + ("electricity, other grid",) + USER_ROW[6:], "F", "links to nothing in userbg"),
    (("tiny", "melting") + USER_ROW[2:], "A", "which draws on other workbook databases"),
    (USER_ROW[:7] + ("",), "H", "has no source"),
    (("tinybg", "gas") + USER_ROW[2:], "B", "no activity 'gas' in tinybg"),
])
def test_a_mapping_that_does_not_link_is_refused_with_its_row(run, tiny_with_user_background, row, column, message):
    data_dir, folder = tiny_with_user_background
    if row[1] == "melting":
        row = row[:3] + ("kilogram",) + row[4:]
    write_mapping(folder / "backgrounds" / "user.xlsx", [row])
    for command in (("inventory", "check"), ("compare", "metal")):
        result = run(*command, "--inventories", folder, "--data-dir", data_dir, "--background", "user", data_dir=False)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"user.xlsx, sheet 'Mapping', row 2, column {column}" in result.stderr and message in result.stderr
    assert _totals(run, data_dir, folder) == {"Route A": pytest.approx(TOTAL_A), "Route B": pytest.approx(TOTAL_B)}


def test_an_unknown_background_names_the_ones_there_are(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "ecoinvent",
                 data_dir=False)
    assert result.exit_code == 1 and "background mapping 'ecoinvent' not found" in result.stderr
    assert "mappings are: user" in result.stderr


@pytest.fixture(scope="module")
def shipped_on_a_copy(tmp_path_factory, brightway_template):
    """The shipped inventories on a background copied into the project (bw2data's Database.copy, as one copied
    in from another project), every activity of cfp_background mapped onto its copy: the same numbers."""
    import shutil

    from click.testing import CliRunner

    from lca.cli.main import cli

    root = tmp_path_factory.mktemp("copy")
    data_dir, folder = root / "bw", root / "inventories"
    shutil.copytree(brightway_template, data_dir)
    copy_shipped_inventories(folder)
    invoke = CliRunner().invoke
    assert invoke(cli, ["compare", "copper", "--inventories", str(folder), "--data-dir", str(data_dir)]).exit_code == 0
    bd = _brightway(data_dir, folder)
    bd.Database("cfp_background").copy("bg_copy")  # keeps the tool's marks, under another name: the user's
    assert bd.databases["bg_copy"]["lca_cfp_project"] == _project_name(folder)
    rows = [("cfp_background", a["name"], a["location"], a["unit"], "bg_copy", a["name"], a["location"],
             "copy of the shipped background") for a in bd.Database("cfp_background")]
    write_mapping(folder / "backgrounds" / "copy.xlsx", rows)
    _bw2io_round_trip(bd, root / "bg_io.xlsx")
    write_mapping(folder / "backgrounds" / "io.xlsx", [row[:4] + ("bg_io",) + row[5:] for row in rows])
    return data_dir, folder


def _bw2io_round_trip(bd, path):
    """The shipped background exported with bw2io's write_lci_excel, renamed to bg_io in the file, and imported
    with a plain bw2io ExcelImporter: a database the tool did not write, from a file."""
    import bw2io
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exported = bw2io.export.excel.write_lci_excel("cfp_background")
        book = load_workbook(exported)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value == "cfp_background":
                        cell.value = "bg_io"
                    elif cell.value == "lca_cfp_project":  # the tool's marks stay with the tool's database
                        cell.value = "exported from project"
        book.save(path)
        importer = bw2io.ExcelImporter(path)
        importer.apply_strategies()
        # within the database (its export writes no reference product on production exchanges)
        importer.match_database(fields=("name", "unit", "location"))
        assert importer.statistics(print_stats=False)[2] == 0
        importer.write_database()
        gc.collect()


@pytest.mark.parametrize("background, database", [("io", "bg_io"), ("copy", "bg_copy")])
def test_compare_footprint_and_uncertainty_run_on_a_mapped_background(run, shipped_on_a_copy, background, database):
    """On the shipped background imported again with plain bw2io (io), or copied with bw2data (copy): the
    shipped numbers, and plain bw2calc's on the same project."""
    data_dir, folder = shipped_on_a_copy
    common = ("--inventories", folder, "--data-dir", data_dir)
    shipped = _json(run, "compare", "copper", *common)
    mapped = _json(run, "compare", "copper", *common, "--background", background)
    assert [r["total"] for r in mapped["routes"]] == pytest.approx([r["total"] for r in shipped["routes"]], rel=1e-6)
    plain = _plain_bw2calc(data_dir, folder, "cfp_copper", [r["activity"] for r in mapped["routes"]])
    assert list(plain.values()) == pytest.approx([r["total"] for r in mapped["routes"]], rel=1e-5)  # 6 digits
    bd = _brightway(data_dir, folder)
    assert all(e.input["database"] == database for a in bd.Database("cfp_background") for e in a.technosphere())
    assert len(bd.Database("bg_copy")) == len(bd.Database("bg_io")) == 63  # the user's: never rewritten or deleted

    footprint = _json(run, "footprint", "refrigerator", *common, "--background", background)
    expected = _json(run, "footprint", "refrigerator", *common)
    assert footprint["total"] == pytest.approx(expected["total"], rel=1e-6) and footprint["parts"] == expected["parts"]
    _json(run, "footprint", "refrigerator", *common, "--background", background)  # the project on that background
    import bw2calc as bc

    bd = _brightway(data_dir, folder)
    product = next(n for n in bd.Database("cfp_products") if n.get("product") == "refrigerator")
    lca = bc.LCA({product: 1}, GWP100)
    lca.lci()
    lca.lcia()
    assert lca.score == pytest.approx(footprint["total"], rel=1e-5)

    uncertain = _json(run, "uncertainty", "copper", "-n", "200", "--seed", "3", *common, "--background", background)
    as_shipped = _json(run, "uncertainty", "copper", "-n", "200", "--seed", "3", *common)
    assert uncertain["iterations"] == 200
    assert [r["deterministic"] for r in uncertain["routes"]] == [r["total"] for r in shipped["routes"]]
    # the copied background is fixed: its parameters' uncertainty (grids, fuels) is not drawn, the routes' is
    assert 0 < uncertain["sampled"]["parameters"] < as_shipped["sampled"]["parameters"]
    assert uncertain["difference"]["std"] < as_shipped["difference"]["std"]


def test_a_background_on_its_own_biosphere_database_is_characterised(run, tiny_with_user_background):
    """ecoinvent_interface imports ecoinvent with its own biosphere database (ecoinvent-3.x-biosphere), whose
    flows carry the same UUIDs as biosphere3's codes: the methods characterise them, or CO2 would count 0."""
    data_dir, folder = tiny_with_user_background
    bd = _brightway(data_dir, folder)
    co2 = bd.get_node(database="biosphere3", name="Carbon dioxide, fossil", categories=("air",))
    bd.Database("eibio").write({("eibio", co2["code"]): {"name": co2["name"], "categories": co2["categories"],
                                                         "unit": co2["unit"], "type": "emission"}})
    bd.Database("eigrid").write({("eigrid", "grid"): {
        "name": "electricity, ei grid", "unit": "kilowatt hour", "location": "GLO", "type": "process",
        "reference product": "electricity, ei grid",
        "exchanges": [{"input": ("eigrid", "grid"), "amount": 1, "type": "production"},
                      {"input": ("eigrid", "grid"), "amount": 0.2, "type": "technosphere"},
                      {"input": ("eibio", co2["code"]), "amount": 0.8, "type": "biosphere"}]}})
    write_mapping(folder / "backgrounds" / "ei.xlsx", [
        ("tinybg", "electricity", "GLO", "kilowatt hour", "eigrid", "electricity, ei grid", "GLO", "test")])
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "ei",
                 data_dir=False)
    assert result.exit_code == 0 and "the methods characterise 1 flows of eibio" in result.stderr
    assert _totals(run, data_dir, folder, "--background", "ei") == {"Route A": pytest.approx(USER_A, rel=1e-6),
                                                                     "Route B": pytest.approx(USER_B, rel=1e-6)}
    assert _plain_bw2calc(data_dir, folder, "tiny", ["metal, route A"]) == {
        "metal, route A": pytest.approx(USER_A, rel=1e-6)}
    # back on the shipped background, the methods are bw2io's again (no factor names eibio)
    assert _totals(run, data_dir, folder)["Route A"] == pytest.approx(TOTAL_A)


def test_exports_on_a_mapped_background(run, shipped_on_a_copy, tmp_path):
    data_dir, folder = shipped_on_a_copy
    common = ("--inventories", folder, "--data-dir", data_dir, "--background", "copy")
    target = tmp_path / "inventories.zip"
    result = run("export", "olca", "-o", target, *common, data_dir=False)
    assert result.exit_code == 1 and "Traceback" not in result.output and not target.exists()
    assert "link to bg_copy, which the tool did not write" in result.stderr
    # the report's provenance carries the run's fingerprint, which covers the background
    report = tmp_path / "copper.xlsx"
    assert run("report", "copper", "-o", report, *common, data_dir=False).exit_code == 0
    from openpyxl import load_workbook

    mapped = _json(run, "compare", "copper", *common)["provenance"]["inventory_fingerprint"]
    cells = [c for row in load_workbook(report, read_only=True)["Provenance"].iter_rows(values_only=True)
             for c in row if c]
    assert mapped in cells


def test_a_large_background_is_solved_once_at_the_build_and_runs_give_plain_bw2calcs_numbers(
        run, tmp_path, prebuilt_data_dir):
    """A synthetic background larger than what the routes link to (benchmarks/synthetic_background.py, 400
    activities with one loop through almost all of them): each run loads the tool's databases and the linked
    activities' cumulative flows, not the background's matrices, and gets plain bw2calc's numbers."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic_background import background_activities, mapped_codes, write_synthetic_background
    from synthetic_background import write_mapping as write_synthetic_mapping

    from lca.analysis.calculate import loaded_lca
    from lca.brightway.background_package import FILE_NAME
    from lca.brightway.methods import get_method
    from lca.runs.session import Where, open_session

    data_dir = prebuilt_data_dir(tmp_path / "bw")
    folder = tmp_path / "inventories"
    copy_shipped_inventories(folder)
    assert run("compare", "copper", "--inventories", folder, "--data-dir", data_dir, data_dir=False).exit_code == 0
    rows = background_activities(folder)
    codes = mapped_codes(len(rows), 400)
    _brightway(data_dir, folder)
    units = {c: r[2] for c, r in zip(codes, rows, strict=True)}
    write_synthetic_background("synth", activities=400, flows=40, units=units)
    write_synthetic_mapping(folder / "backgrounds" / "synth.xlsx",
                            [(r[0], r[1], r[2], c) for r, c in zip(rows, codes, strict=True)], "synth")
    common = ("--inventories", folder, "--data-dir", data_dir, "--background", "synth")
    result = run("compare", "copper", *common, data_dir=False)
    assert result.exit_code == 0 and "solving the linked background once (synth: 63 activities linked)" in result.stderr
    mapped = _json(run, "compare", "copper", *common)
    plain = _plain_bw2calc(data_dir, folder, "cfp_copper", [r["activity"] for r in mapped["routes"]])
    assert list(plain.values()) == pytest.approx([r["total"] for r in mapped["routes"]], rel=1e-5)
    project_dir = next(p for p in Path(data_dir).iterdir() if p.name.startswith(_project_name(folder)))
    assert (project_dir / FILE_NAME).is_file()
    with open_session(Where(data_dir=str(data_dir), inventories=str(folder), background="synth")) as session:
        route = session.comparison("copper").routes[0]
        lca = loaded_lca(session.bd, [route.node_id], get_method(None))
        synthetic = {node.id for node in session.bd.Database("synth")}
        assert 0 < len(synthetic & set(lca.dicts.activity)) <= 63  # the linked ones only, not the 400
    # a Monte Carlo on it runs, on the small system
    uncertain = _json(run, "uncertainty", "copper", "-n", "500", "--seed", "1", *common)
    assert [r["deterministic"] for r in uncertain["routes"]] == [r["total"] for r in mapped["routes"]]
    # without the package (deleted by hand), the whole matrices: the same numbers
    (project_dir / FILE_NAME).unlink()
    with open_session(Where(data_dir=str(data_dir), inventories=str(folder), background="synth")) as session:
        pass  # the check of the project's files notices the missing package and rebuilds it
    assert (project_dir / FILE_NAME).is_file()
    assert [r["total"] for r in _json(run, "compare", "copper", *common)["routes"]] == \
        [r["total"] for r in mapped["routes"]]


def test_an_unknown_background_on_the_shipped_inventories_says_to_copy_them_first(run):
    result = run("compare", "copper", "--background", "ecoinvent")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "background mapping 'ecoinvent' not found" in result.stderr and "lca inventory init DIR" in result.stderr


def test_a_background_that_draws_on_the_tools_databases_is_refused(run, tiny_with_user_background):
    data_dir, folder = tiny_with_user_background
    bd = _brightway(data_dir, folder)
    making = bd.get_node(database="tiny", name="making")
    bd.Database("loopbg").write({("loopbg", "grid"): {
        "name": "electricity, loop grid", "unit": "kilowatt hour", "location": "GLO", "type": "process",
        "reference product": "electricity, loop grid",
        "exchanges": [{"input": ("loopbg", "grid"), "amount": 1, "type": "production"},
                      {"input": making.key, "amount": 0.01, "type": "technosphere"}]}})
    write_mapping(folder / "backgrounds" / "loop.xlsx", [
        ("tinybg", "electricity", "GLO", "kilowatt hour", "loopbg", "electricity, loop grid", "GLO", "test")])
    result = run("compare", "metal", "--inventories", folder, "--data-dir", data_dir, "--background", "loop",
                 data_dir=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "draw on the tool's own database(s) tiny" in result.stderr
    assert "loopbg" in _brightway(data_dir, folder).databases
