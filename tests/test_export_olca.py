"""`lca export olca`: the shipped inventories as openLCA JSON-LD, read back with olca-schema and
checked against the workbooks themselves (read here with openpyxl, not through the tool's reader),
and the refusals: a bad output path, an existing file, a formula openLCA cannot state exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import olca_schema as o
import pytest
from checks import digest, fails
from olca_schema.zipio import ZipReader
from openpyxl import load_workbook
from tiny import background_activities, tiny_activities
from workbooks import write_workbook

from lca.exchange.olca_formulas import OlcaFormulaError, translate

SHIPPED = Path(__file__).resolve().parents[1] / "inventories"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
# defined differently in copper (550 km) and nickel (300 km): prefixed with the database name
RENAMED = {"cfp_copper": {"scrap_truck_km": "cfp_copper_scrap_truck_km"}}


def _blocks(path: Path):
    """(database, parameter rows, activities) of one workbook: rows as dicts by the block's header."""
    sheets = [s for s in load_workbook(path, data_only=True).worksheets if s["A1"].value != "skip"]
    database, parameters, activities = None, [], []
    for sheet in sheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        i = 0
        while i < len(rows):
            key = rows[i][0]
            if key == "Database":
                database = rows[i][1]
            elif key in ("Database parameters", "Exchanges"):
                header = rows[i + 1]
                table = []
                i += 2
                while i < len(rows) and rows[i][0] not in (None, ""):
                    table.append(dict(zip(header, rows[i], strict=False)))
                    i += 1
                if key == "Database parameters":
                    parameters += table
                else:
                    activities[-1]["exchanges"] = table
                continue
            elif key == "Activity":
                activities.append({"name": rows[i][1], "meta": {}, "exchanges": []})
            elif activities and isinstance(key, str) and not activities[-1]["exchanges"]:
                activities[-1]["meta"][key] = rows[i][1]
            i += 1
    return database, parameters, activities


@pytest.fixture(scope="module")
def workbooks():
    return {db: (parameters, activities) for db, parameters, activities
            in (_blocks(p) for p in sorted(SHIPPED.glob("*.xlsx")))}


@pytest.fixture(scope="module")
def exported(run, data_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("olca") / "inventories.zip"
    result = run("export", "olca", "-o", path, "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    with ZipReader(path) as reader:
        entities = {kind: {e.id: e for e in reader.read_each(kind)}
                    for kind in (o.Process, o.Flow, o.Parameter, o.UnitGroup, o.FlowProperty, o.Location)}
    return result.stdout, entities


def test_every_activity_is_a_process_and_every_count_is_printed(workbooks, exported):
    stdout, entities = exported
    activities = sum(len(acts) for _, acts in workbooks.values())
    products = {(a["meta"].get("reference product") or a["name"], a["meta"]["unit"])
                for _, acts in workbooks.values() for a in acts}
    elementary = {(e["name"], e["categories"]) for _, acts in workbooks.values() for a in acts
                  for e in a["exchanges"] if e["type"] == "biosphere"}
    flows = entities[o.Flow].values()
    assert len(entities[o.Process]) == activities > 100  # every activity of the six shipped workbooks
    assert len([f for f in flows if f.flow_type == o.FlowType.PRODUCT_FLOW]) == len(products)
    assert {(f.name, f.category) for f in flows if f.flow_type == o.FlowType.ELEMENTARY_FLOW} == {
        (name, "Elementary flows/Emission to air/" + ("/".join(c.split("::")[1:]) or "unspecified"))
        for name, c in elementary}
    assert (f"{activities} processes, {len(products)} product flows, {len(elementary)} elementary flows, "
            f"{len(entities[o.Parameter])} parameters, {len(entities[o.UnitGroup])} unit groups") in stdout


def test_every_reference_resolves(exported):
    _, entities = exported
    processes, flows = entities[o.Process], entities[o.Flow]
    properties, groups = entities[o.FlowProperty], entities[o.UnitGroup]
    units = {u.id: (g, u) for g in groups.values() for u in g.units}
    for process in processes.values():
        assert process.location.id in entities[o.Location]
        references = [e for e in process.exchanges if e.is_quantitative_reference]
        assert len(references) == 1 and not references[0].is_input
        for exchange in process.exchanges:
            flow = flows[exchange.flow.id]
            assert exchange.flow_property.id in properties
            group, _ = units[exchange.unit.id]
            assert properties[exchange.flow_property.id].unit_group.id == group.id
            assert flow.flow_properties[0].flow_property.id == exchange.flow_property.id
            if flow.flow_type == o.FlowType.ELEMENTARY_FLOW:
                assert UUID.match(flow.id) and not exchange.is_input  # biosphere3 codes; emissions are outputs
            elif not exchange.is_quantitative_reference:
                assert exchange.is_input and exchange.default_provider.id in processes
                provider = processes[exchange.default_provider.id]
                made = next(e for e in provider.exchanges if e.is_quantitative_reference)
                assert made.flow.id == exchange.flow.id


def test_units_convert_as_in_openlca(exported):
    _, entities = exported
    factors = {u.name: (g.name, u.conversion_factor, u.is_ref_unit) for g in entities[o.UnitGroup].values()
               for u in g.units}
    assert factors["t"] == ("Units of mass", 1000.0, False) and factors["kg"] == ("Units of mass", 1.0, True)
    assert factors["kWh"] == ("Units of energy", 3.6, False) and factors["MJ"] == ("Units of energy", 1.0, True)
    assert factors["t*km"][2] and factors["Item(s)"][2]
    assert "93a60a57-a4c8-11da-a746-0800200c9a66" in entities[o.UnitGroup]  # openLCA's "Units of mass"


@pytest.mark.parametrize("name", ["copper scrap, delivered to smelter",
                                  "copper cathode, electrorefined, from primary anode"])
def test_one_copper_process_exchange_by_exchange(workbooks, exported, name):
    _, entities = exported
    [activity] = [a for a in workbooks["cfp_copper"][1] if a["name"] == name]
    [process] = [p for p in entities[o.Process].values() if p.name == name and p.category == "cfp_copper"]
    assert process.location.name in (activity["meta"]["location"], "Japan")
    assert process.description == activity["meta"]["comment"]
    symbols = {"metric ton": "t", "kilogram": "kg", "kilowatt hour": "kWh", "megajoule": "MJ", "ton kilometer": "t*km",
               "unit": "Item(s)"}
    flows, processes = entities[o.Flow], entities[o.Process]
    assert len(process.exchanges) == len(activity["exchanges"])
    for row, exchange in zip(activity["exchanges"], process.exchanges, strict=True):
        if row["type"] == "biosphere":
            assert flows[exchange.flow.id].name == row["name"]
        else:
            provider = processes[exchange.default_provider.id] if row["type"] == "technosphere" else process
            assert provider.name == row["name"]
            assert flows[exchange.flow.id].name == row["reference product"]
        assert exchange.amount == pytest.approx(row["amount"], rel=1e-12)
        assert exchange.unit.name == symbols[row["unit"]]
        assert exchange.is_input == (row["type"] == "technosphere")
        formula = row.get("formula")
        for old, new in RENAMED["cfp_copper"].items():
            formula = re.sub(rf"\b{old}\b", new, formula) if formula else formula
        assert (exchange.amount_formula or None) == (" ".join(formula.split()) if formula else None)


def test_copper_database_parameters_are_global_parameters(workbooks, exported):
    _, entities = exported
    by_name = {p.name: p for p in entities[o.Parameter].values()}
    rows = workbooks["cfp_copper"][0]
    assert rows
    for row in rows:
        parameter = by_name[RENAMED["cfp_copper"].get(row["name"], row["name"])]
        assert parameter.parameter_scope == o.ParameterScope.GLOBAL_SCOPE
        assert parameter.value == pytest.approx(row["amount"], rel=1e-12)
        formula = row.get("formula")
        assert (parameter.formula or None) == (" ".join(formula.split()) if formula else None)
        assert parameter.is_input_parameter == (not formula)
        assert parameter.description.startswith(str(row["source"]))
        if row.get("uncertainty type") == 5:
            u = parameter.uncertainty
            mode = row["loc"] if row["loc"] is not None else row["amount"]  # loc, else the amount
            assert (u.minimum, u.mode, u.maximum) == (row["minimum"], mode, row["maximum"])
    assert by_name["cfp_nickel_scrap_truck_km"].value == 300.0  # the other definition keeps its value


def test_formulas_are_translated_exactly():
    assert translate("a ** 2") == "a^2"
    assert translate("-a ** 2") == "-(a^2)"  # openLCA: -a^2 is (-a)^2
    assert translate("a ** b ** c") == "a^(b^c)"
    assert translate("log(x) + log10(y)") == "ln(x) + log(y)"
    assert translate("min(a, b) * (1 - c)") == "min(a; b) * (1 - c)"
    assert translate("a - (b - c)") == "a - (b - c)"
    assert translate("x / y", {"x": "cfp_copper_x"}) == "cfp_copper_x / y"


@pytest.mark.parametrize("formula, reason", [("a % 3", "operator %"), ("mod * 2", "keyword or constant"),
                                             ("pi * 2", "keyword or constant")])
def test_an_inexact_formula_is_refused(formula, reason):
    with pytest.raises(OlcaFormulaError, match=reason):
        translate(formula)


def test_the_cli_refuses_an_untranslatable_formula(run, prebuilt_data_dir, tmp_path):
    folder = tmp_path / "inventories"
    folder.mkdir()
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tiny.xlsx", "tiny", tiny_activities(), parameters={"a": 5.0, "b": "a % 3"})
    data = prebuilt_data_dir(tmp_path / "bw")
    out = tmp_path / "out.zip"
    fails(run, ("export", "olca", "-o", out, "--data-dir", data, "--inventories", folder),
          "tiny: parameter b, formula 'a % 3'", "operator %", "nothing was written")
    assert not out.exists() and not list(tmp_path.glob(".out-*"))


def test_a_bad_output_path_is_refused_before_the_project_is_opened(run, tmp_path):
    data = tmp_path / "never-built"
    data.mkdir()
    fails(run, ("export", "olca", "-o", tmp_path / "inventories.json", "--data-dir", data), "does not end in .zip")
    assert not any(data.iterdir())


def test_an_existing_file_is_kept_without_overwrite(run, data_dir, tmp_path):
    out = tmp_path / "inventories.zip"
    out.write_bytes(b"mine")
    fails(run, ("export", "olca", "-o", out, "--data-dir", data_dir), "already exists", "--overwrite",
          unchanged=[tmp_path])
    result = run("export", "olca", "-o", out, "--overwrite", "--data-dir", data_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    with ZipReader(out) as reader:
        assert len(reader.ids_of(o.Process)) == json.loads(result.stdout)["processes"] > 100
    assert digest(tmp_path).keys() == {"inventories.zip"}
