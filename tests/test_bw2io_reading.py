"""What plain bw2io reads, the tool reads, with the same meaning (issue 18).

Each test writes the tiny hand-checkable system (tests/tiny.py: route A 4.98, route B 3.7 kg CO2e
per kg) with one bw2io feature the tool used to refuse, checks that `lca inventory check` accepts it,
and that the tool's numbers equal a plain bw2io ExcelImporter + bw2calc on the same files.
"""

from __future__ import annotations

import gc
import warnings

import pytest
from test_shipped_inventories import GWP100, _write_methods_plainly
from tiny import TOTAL_A, TOTAL_B, background_activities, tiny_activities
from workbooks import write_workbook

from lca.inventory.load import load_inventory


def _no_reference_product(acts):
    acts[1]["reference product"] = None  # bw2io: the production exchange's reference product


def _unknown_cells(acts):
    acts[0]["exchanges"][1]["categories"] = "(Unknown)"  # a technosphere exchange: bw2io drops the field
    acts[0]["meta"]["comment"] = "(Unknown)"


def _no_code(acts):
    acts[3]["code"] = None  # 'hauling': bw2io gives it the md5 activity hash


def _no_exchanges(acts):
    acts.append({"name": "spare part", "code": "spare", "unit": "kilogram", "location": "GLO",
                 "reference product": "spare part", "meta": {}, "exchanges": []})


def _no_sources(acts):
    for act in acts:
        for exchange in act["exchanges"]:
            exchange.pop("comment", None)


FEATURES = {"no reference product row": _no_reference_product, "(Unknown) cells": _unknown_cells,
            "no code": _no_code, "an activity without exchanges": _no_exchanges, "no source comments": _no_sources}


def write(folder, feature):
    folder.mkdir(parents=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    acts = tiny_activities()
    FEATURES[feature](acts)
    write_workbook(folder / "tiny.xlsx", "tiny", acts)
    return folder


def plain_bw2io(run, folder, project: str) -> tuple[dict, dict]:
    """({route activity name: GWP100 score}, {activity name: code}) from a plain ExcelImporter import."""
    from lca.brightway.session import import_brightway

    bd = import_brightway(run.data_dir)
    import bw2calc as bc
    import bw2io

    bd.projects.set_current(project)
    try:
        with warnings.catch_warnings():  # bw2io leaves the flow list's file open
            warnings.simplefilter("ignore", ResourceWarning)
            bw2io.create_default_biosphere3()
            gc.collect()
        _write_methods_plainly(bd, {GWP100})
        codes = {}
        for name in ("tinybg", "tiny"):
            importer = bw2io.ExcelImporter(folder / f"{name}.xlsx")
            importer.apply_strategies()
            if name == "tiny":
                importer.match_database("tinybg", fields=("name", "unit", "location", "reference product"))
            assert importer.statistics(print_stats=False)[2] == 0, "unlinked exchanges in the plain import"
            codes.update({ds["name"]: ds["code"] for ds in importer.data})
            importer.write_database()
        scores = {}
        for route in ("metal, route A", "metal, route B"):
            lca = bc.LCA({bd.get_node(database="tiny", name=route): 1}, GWP100)
            lca.lci()
            lca.lcia()
            scores[route] = lca.score
        return scores, codes
    finally:
        bd.projects.set_current("default")
        bd.projects.delete_project(project, delete_dir=True)


@pytest.mark.parametrize("feature", list(FEATURES))
def test_what_bw2io_reads_the_tool_reads_with_the_same_numbers(run, tmp_path, feature):
    folder = write(tmp_path / "inventories", feature)
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 0, result.output
    compared = run.json("compare", "metal", "--inventories", folder)
    totals = {r["label"]: r["total"] for r in compared["routes"]}
    assert totals == {"Route A": pytest.approx(TOTAL_A, rel=1e-6), "Route B": pytest.approx(TOTAL_B, rel=1e-6)}
    plain, codes = plain_bw2io(run, folder, f"plain-{abs(hash(feature))}")
    assert plain == {"metal, route A": pytest.approx(TOTAL_A, rel=1e-6),
                     "metal, route B": pytest.approx(TOTAL_B, rel=1e-6)}
    # the same activities with the same codes as bw2io gives them (generated ones included)
    inventory = load_inventory(folder)
    assert {a.name: a.code for db in inventory.databases for a in db.activities} == codes


def test_the_derived_fields_mean_what_bw2io_makes_of_them(tmp_path):
    inventory = load_inventory(write(tmp_path / "a", "no reference product row"))
    route = next(a for a in inventory.databases[-1].activities if a.name == "metal, route A")
    assert route.reference_product == "metal, route A"  # the production exchange's
    inventory = load_inventory(write(tmp_path / "b", "an activity without exchanges"))
    spare = next(a for a in inventory.databases[-1].activities if a.name == "spare part")
    assert [(e.type, e.amount, e.input) for e in spare.exchanges] == [("production", 1.0, ("tiny", "spare"))]
    inventory = load_inventory(write(tmp_path / "c", "(Unknown) cells"))
    making = next(a for a in inventory.databases[-1].activities if a.name == "making")
    assert "comment" not in dict(making.metadata)


def test_a_missing_source_is_a_warning_and_strict_makes_it_an_error(run, tmp_path):
    folder = write(tmp_path / "inventories", "no source comments")
    count = sum(len(a["exchanges"]) for a in tiny_activities())  # every exchange of tiny.xlsx, production included
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 0 and f"warning: {count} exchanges have no source" in result.stdout
    assert "tiny.xlsx, sheet 'inventory', row" in result.stdout and "--strict" in result.stdout
    warned = run.json("inventory", "check", "--inventories", folder)["warnings"]
    assert len(warned) == count == 14 and all(w["column"] == "P" for w in warned)
    result = run("inventory", "check", "--inventories", folder, "--strict")
    assert result.exit_code == 1 and "has no source" in result.stderr and "Traceback" not in result.output
