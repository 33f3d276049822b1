"""The shipped workbooks: valid, importable by a plain bw2io.ExcelImporter, and the tool's
totals equal plain bw2calc on that import."""

from __future__ import annotations

import gc
import json
import warnings
import zipfile

import pytest
from openpyxl import load_workbook

from lca.brightway.methods import lcia_file
from lca.inventory.formulas import evaluate_formula
from lca.inventory.load import load_inventory
from lca.paths import shipped_inventories, workbook_files

GWP100 = ("IPCC 2021", "climate change", "global warming potential (GWP100)")
GWP20 = ("IPCC 2021", "climate change", "global warming potential (GWP20)")


@pytest.fixture(scope="module")
def tool_results(run):  # copper, both methods
    return {m: run.json("compare", "copper", "--method", m) for m in ("ipcc2021-gwp100", "ipcc2021-gwp20")}


def test_shipped_workbooks_pass_the_check(run):
    result = run("inventory", "check", "--strict")  # strict: an exchange without a source is an error
    assert result.exit_code == 0, result.output
    assert "cfp_copper" in result.stdout and "cfp_background" in result.stdout
    assert "warning" not in result.output


def test_every_distribution_says_where_its_range_comes_from():
    inventory = load_inventory(shipped_inventories())
    distributed = [(d.name, p) for d in inventory.databases for p in d.parameters if p.distribution is not None]
    assert len(distributed) >= 40  # docs/inventory-data.md section 18
    for database, parameter in distributed:
        assert "| distribution:" in parameter.source, f"{database}.{parameter.name}: the range has no source"


def test_every_exchange_and_parameter_has_a_source():
    inventory = load_inventory(shipped_inventories())
    for database in inventory.databases:
        for parameter in database.parameters:
            assert parameter.source.strip(), f"parameter {parameter.name} of {database.name} has no source"
        for activity in database.activities:
            for exchange in activity.exchanges:
                assert exchange.comment.strip(), f"{exchange.where} has no source"


def test_amount_column_equals_the_formula_result():
    """A plain ExcelImporter that does not activate parameters reads `amount`: it must agree."""
    inventory = load_inventory(shipped_inventories())
    for path in workbook_files(shipped_inventories()):
        book = load_workbook(path, read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()  # read-only workbooks keep their file open until closed
        params = {}
        for database in inventory.databases:
            if database.path.name == path.name:
                params = {p.name: p.amount for p in database.parameters}
        header = None
        for row in rows:
            if row and row[0] == "name" and "formula" in row:
                header = list(row)
                continue
            if header and row and row[0] and len(row) > header.index("formula"):
                formula = row[header.index("formula")]
                if isinstance(formula, str) and formula.strip() and "amount" in header:
                    amount = row[header.index("amount")]
                    assert amount == pytest.approx(evaluate_formula(formula, params), rel=1e-9), (path.name, row[0])


def test_stages_sum_to_totals_and_gwp20_differs(tool_results):
    gwp100, gwp20 = tool_results["ipcc2021-gwp100"], tool_results["ipcc2021-gwp20"]
    assert [r["id"] for r in gwp100["routes"]] == ["primary", "scrap"]
    for route in gwp100["routes"]:
        assert sum(route["stages"].values()) == pytest.approx(route["total"], rel=1e-5)
        assert len(route["stages"]) >= 5
    for a, b in zip(gwp100["routes"], gwp20["routes"], strict=True):
        assert a["total"] != b["total"]
    difference = gwp100["difference"]
    primary, scrap = (r["total"] for r in gwp100["routes"])
    assert difference["absolute"] == pytest.approx(primary - scrap, rel=1e-5)
    assert difference["relative"] == pytest.approx((primary - scrap) / primary, rel=1e-3)


def _write_methods_plainly(bd, names):
    """IPCC methods from bw2io's bundled file, inputs as tuples (bw2io issue 277 workaround)."""
    data = json.load(zipfile.ZipFile(lcia_file()).open("data.json"))
    for entry in data:
        if tuple(entry["name"]) in names:
            method = bd.Method(tuple(entry["name"]))
            method.register(unit=entry["unit"])
            method.write([(tuple(cf["input"]), cf["amount"]) for cf in entry["exchanges"]])


def _tool_totals(run, method_id):
    """{(database, activity name): tool total} for every route, and for each basis at share 0."""
    totals = {}
    for comparison, database, bases in (("copper", "cfp_copper", [None]),
                                         ("nickel", "cfp_nickel", [None, "niso4-hexahydrate", "cam"])):
        for basis in bases:
            extra = ["--basis", basis] if basis else []
            routes = ["primary"] if comparison == "copper" else ["primary", "primary-sulfide", "primary-indonesia"]
            for primary in routes:
                options = ["--primary-route", primary] if comparison == "nickel" else []
                result = run.json("compare", comparison, "--method", method_id, *extra, *options)
                if basis is None:
                    for route in result["routes"]:
                        totals[(database, route["activity"])] = route["total"]
                elif primary == "primary":  # the supply mix's default: the default primary route
                    totals[(database, ("basis", basis))] = result["routes"][0]["total"]
    # products with the workbooks' default supply mixes: primary copper, no recycled nickel
    for row in run.json("footprint", "--all", "--method", method_id)["products"]:
        totals[("cfp_products", ("product", row["product"]))] = row["total"]
    return totals


def test_plain_excel_importer_and_bw2calc_give_the_tool_totals(run):
    from lca.brightway.session import import_brightway

    expected = {m: _tool_totals(run, m) for m in ("ipcc2021-gwp100", "ipcc2021-gwp20")}
    bd = import_brightway(run.data_dir)
    import bw2calc as bc
    import bw2io

    bd.projects.set_current("plain-excel-importer-check")
    try:
        with warnings.catch_warnings():  # bw2io leaves the flow list's file open
            warnings.simplefilter("ignore", ResourceWarning)
            bw2io.create_default_biosphere3()
            gc.collect()
        _write_methods_plainly(bd, {GWP100, GWP20})
        folder = shipped_inventories()
        fields = ("name", "unit", "location", "reference product")
        for name in ("background", "copper", "cobalt", "lithium", "nickel", "products"):
            importer = bw2io.ExcelImporter(folder / f"{name}.xlsx")
            importer.apply_strategies()
            for other in {"copper": ["background"], "cobalt": ["background"], "lithium": ["background"],
                          "nickel": ["background", "cobalt", "lithium"],
                          "products": ["background", "copper", "cobalt", "lithium", "nickel"]}.get(name, []):
                importer.match_database(f"cfp_{other}", fields=fields)
            assert importer.statistics(print_stats=False)[2] == 0, f"unlinked exchanges in a plain import of {name}"
            importer.write_database()
        for method_id, method in (("ipcc2021-gwp100", GWP100), ("ipcc2021-gwp20", GWP20)):
            assert len(expected[method_id]) == 2 + 4 + 2 + 6
            for (database, what), total in expected[method_id].items():
                if isinstance(what, tuple):
                    node = next(n for n in bd.Database(database) if n.get(what[0]) == what[1])
                else:
                    node = bd.get_node(database=database, name=what)
                lca = bc.LCA({node: 1}, method)
                lca.lci()
                lca.lcia()
                assert lca.score == pytest.approx(total, rel=1e-5), (method_id, database, what)
    finally:
        bd.projects.set_current("default")
        bd.projects.delete_project("plain-excel-importer-check", delete_dir=True)


def test_the_project_is_parametric_for_other_brightway_tools(run, tmp_path):
    """A DatabaseParameter change + bw2data's recalculate() rewrites the formula amounts."""
    from lca.brightway.project import open_project
    from lca.paths import copy_shipped_inventories

    copy_shipped_inventories(tmp_path)
    with open_project(data_dir=run.data_dir, inventories=tmp_path):
        import bw2data as bd
        from bw2data.parameters import DatabaseParameter, parameters

        def electrorefining_kwh():
            amounts = []
            for node in bd.Database("cfp_copper"):
                if node.get("stage") == "electrorefining":
                    amounts += [e["amount"] for e in node.technosphere() if "er_elec_kwh_per_t" in e.get("formula", "")]
            return amounts

        before = electrorefining_kwh()
        assert before, "no exchange uses er_elec_kwh_per_t"
        parameter = DatabaseParameter.get(database="cfp_copper", name="er_elec_kwh_per_t")
        parameter.amount *= 2
        parameter.save()
        parameters.recalculate()
        after = electrorefining_kwh()
        assert sorted(after) == pytest.approx(sorted(2 * a for a in before))  # bw2data may return them in any order
