"""The synthetic background of the background benchmark (benchmarks/synthetic_background.py), at a small
size: what it writes, that it solves with one large loop, its mapping workbook, and the benchmark's copy of
the copper routes linked to it. The benchmark itself (benchmarks/bench_background.py) is not run here."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from synthetic_background import (  # noqa: E402
    GWP100,
    MAPPING_HEADER,
    MAPPING_SOURCE,
    background_activities,
    mapped_codes,
    relinked_copy,
    write_mapping,
    write_synthetic_background,
)

from lca.brightway.project import _project_name  # noqa: E402
from lca.paths import shipped_inventories  # noqa: E402

ACTIVITIES, FLOWS = 300, 50


def _bw2calc():
    from lca.brightway.session import quiet

    with quiet():  # bw2calc's advice to install pypardiso
        import bw2calc

    return bw2calc


@pytest.fixture(scope="module")
def project(tmp_path_factory, brightway_template):
    """bw2data in a copy of the template data folder, in the shipped inventories' project, with a synthetic
    background of 300 activities whose first mapped activities have the units of cfp_background's."""
    import shutil

    from lca.brightway.session import import_brightway

    data = tmp_path_factory.mktemp("synthetic") / "bw"
    shutil.copytree(brightway_template, data)
    bd = import_brightway(data)
    bd.projects.set_current(_project_name(shipped_inventories().resolve()))
    rows = background_activities(shipped_inventories())
    codes = mapped_codes(len(rows), ACTIVITIES)
    units = {code: unit for (_, _, unit, _), code in zip(rows, codes, strict=True)}
    written = write_synthetic_background("synthetic_bg", activities=ACTIVITIES, flows=FLOWS, per_activity=10, seed=1,
                                         units=units)
    return bd, written, rows, codes


def test_the_database_has_the_size_asked(project):
    bd, written, rows, codes = project
    database = bd.Database("synthetic_bg")
    assert len(database) == ACTIVITIES == written.activities
    assert written.flows == FLOWS and written.characterised == FLOWS  # fewer than the method's flows: all characterised
    inputs, flows = [], set()
    for activity in database:
        assert activity["location"] == "GLO" and activity["reference product"] == activity["name"]
        production = list(activity.production())
        assert len(production) == 1 and production[0]["amount"] == 1.0
        technosphere = list(activity.technosphere())
        assert all(e.input["database"] == "synthetic_bg" and e.input != activity for e in technosphere)
        assert all(0.001 <= e["amount"] <= 0.05 for e in technosphere)
        inputs.append(len(technosphere))
        flows |= {e.input.key for e in activity.biosphere()}
    assert sum(inputs) == written.technosphere and 8 <= np.mean(inputs) <= 10
    assert len(flows) == FLOWS and {key[0] for key in flows} == {"biosphere3"}
    assert sorted(a["code"] for a in database)[:2] == ["a00000", "a00001"]
    units = {a["code"]: a["unit"] for a in database}
    assert [units[c] for c in codes] == [unit for _, _, unit, _ in rows]  # mapped: the unit of the activity mapped
    assert {units[c] for c in set(units) - set(codes)} == {"kilogram"}
    assert len(set(codes)) == len(rows) == len(bd.Database("cfp_background"))


def test_a_synthetic_activity_solves_in_one_large_loop(project):
    from scipy.sparse.csgraph import connected_components

    bc = _bw2calc()
    bd, *_ = project
    lca = bc.LCA({bd.get_node(database="synthetic_bg", code="a00150").id: 1}, method=GWP100)
    lca.lci()
    lca.lcia()
    assert lca.technosphere_matrix.shape == (ACTIVITIES, ACTIVITIES)
    assert math.isfinite(lca.score) and lca.score > 0.1  # at least its own direct 0.1 kg CO2-eq
    _, labels = connected_components(lca.technosphere_matrix, connection="strong")
    assert np.bincount(labels).max() > 0.9 * ACTIVITIES


def test_more_flows_than_the_method_characterises_are_filled_up(project):
    bd, *_ = project
    characterised = len({flow for flow, _ in bd.Method(GWP100).load()})
    written = write_synthetic_background("synthetic_small", activities=100, flows=characterised + 20, seed=2)
    assert written.flows == characterised + 20 and written.characterised == characterised
    del bd.databases["synthetic_small"]


def test_the_mapping_workbook(project, tmp_path):
    from openpyxl import load_workbook

    _, _, rows, codes = project
    path = tmp_path / "backgrounds" / "synthetic.xlsx"
    write_mapping(path, [(name, location, unit, code)
                         for (name, location, unit, _), code in zip(rows, codes, strict=True)], "synthetic_bg")
    book = load_workbook(path)
    assert book.sheetnames == ["Mapping"]
    table = list(book["Mapping"].iter_rows(values_only=True))
    assert table[0] == MAPPING_HEADER
    assert [row[:3] for row in table[1:]] == [row[:3] for row in rows]
    assert {row[3] for row in table[1:]} == {"synthetic_bg"} and {row[5] for row in table[1:]} == {MAPPING_SOURCE}
    assert [row[4] for row in table[1:]] == codes


def test_the_benchmarks_copy_of_the_copper_routes_draws_on_the_synthetic_background_only(project):
    bc = _bw2calc()
    bd, _, rows, codes = project
    providers = {code: ("synthetic_bg", synthetic) for (_, _, _, code), synthetic in zip(rows, codes, strict=True)}
    routes = {a["route"]: a for a in bd.Database("cfp_copper") if a.get("comparison") == "copper"}
    copied = relinked_copy([routes["primary"], routes["scrap"]], providers, name="bench_relinked")
    assert {key[0] for key in copied} == {"cfp_copper"}
    databases = {e.input["database"] for a in bd.Database("bench_relinked") for e in a.exchanges()}
    assert databases == {"bench_relinked", "synthetic_bg", "biosphere3"}
    for route in ("primary", "scrap"):
        shipped = bc.LCA({routes[route].id: 1}, method=GWP100)
        shipped.lci()
        shipped.lcia()
        relinked = bc.LCA({bd.get_node(database="bench_relinked", code=copied[routes[route].key][1]).id: 1},
                          method=GWP100)
        relinked.lci()
        relinked.lcia()
        assert math.isfinite(relinked.score) and relinked.score > 0
        assert relinked.score != pytest.approx(shipped.score, rel=1e-3)
