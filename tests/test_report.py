"""`lca report`: the customer workbook, read back with openpyxl.

The numbers must equal `--format json` for the same options, the chart must point at the
stage rows, user text must never become a formula, and an existing file is kept unless
--overwrite is given.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tiny import TOTAL_A, TOTAL_B, background_activities, tiny_activities
from workbooks import write_workbook

REPORTS = Path(__file__).resolve().parent.parent / "reports"
EN = tomllib.loads((REPORTS / "en.toml").read_text(encoding="utf-8"))
JA = tomllib.loads((REPORTS / "ja.toml").read_text(encoding="utf-8"))
INJECTION = '=HYPERLINK("http://x","y")'


def _report(run, *args):
    result = run("report", *args)
    assert result.exit_code == 0, result.output
    return result


def _named(book, name):
    """(sheet, cell) that a defined name points at."""
    ((title, coordinate),) = list(book.defined_names[name].destinations)
    return book[title], book[title][coordinate.replace("$", "")]


@pytest.fixture(scope="module")
def copper_report(run, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "copper-for-acme.xlsx"
    _report(run, "copper", "-o", out, "--customer", "ACME Corp", "--tonnes", "120", "--date", "2026-11-22")
    return out


def test_every_sheet_is_present_in_order(copper_report):
    book = load_workbook(copper_report)
    names = EN["sheets"]
    assert book.sheetnames == [names[k] for k in ("summary", "routes", "parameters", "sources", "methodology",
                                                  "provenance")]


def test_headline_numbers_equal_the_json(run, copper_report):
    expected = run.json("compare", "copper")
    book = load_workbook(copper_report)
    primary, scrap = expected["routes"]
    assert _named(book, "CFP_reference")[1].value == primary["total"]
    assert _named(book, "CFP_alternative")[1].value == scrap["total"]
    assert _named(book, "CFP_difference")[1].value == expected["difference"]["absolute"]
    assert _named(book, "CFP_relative")[1].value == expected["difference"]["relative"]
    assert _named(book, "CFP_quantity")[1].value == 120
    # saving for 120 t: kg CO2e per t x 120 t / 1000 kg per t (JSON rounds to 6 digits, hence rel=1e-5)
    assert _named(book, "CFP_saving")[1].value == pytest.approx(expected["difference"]["absolute"] * 120 / 1000,
                                                                rel=1e-5)
    summary = book[EN["sheets"]["summary"]]
    texts = [c for row in summary.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "ACME Corp" in texts and "1 metric ton of copper cathode" in texts
    conclusion = next(t for t in texts if t.startswith("The carbon footprint of scrap-derived cathode is "))
    # the practitioner's sentence: the alternative, its score per tonne, the difference and the reference
    said = re.match(r"The carbon footprint of scrap-derived cathode is ([\d,.]+) kg CO2-eq per tonne, ([\d,.]+) kg "
                    r"CO2-eq \(([\d.]+) %\) lower than primary cathode \(([\d,.]+) kg CO2-eq per tonne\)\.", conclusion)
    assert said, conclusion
    numbers = [float(x.replace(",", "")) for x in said.groups()]  # to one decimal, as the tables show them
    assert numbers == pytest.approx([scrap["total"], expected["difference"]["absolute"],
                                     expected["difference"]["relative"] * 100, primary["total"]], abs=0.05 + 1e-6)
    assert "CO2-Eq" not in " ".join(texts)  # one spelling of the unit, whatever the method's metadata says
    stated = re.search(r"this saves ([\d,.]+) t CO2-eq", conclusion)
    assert stated, conclusion  # the text rounds to 3 decimals, the JSON to 6 digits: compare as numbers
    difference = expected["difference"]["absolute"]
    assert float(stated.group(1).replace(",", "")) == pytest.approx(difference * 0.12, abs=1e-3 + 1e-5 * difference)


def test_stage_table_and_chart_refer_to_the_right_cells(run, copper_report):
    expected = {r["id"]: r for r in run.json("compare", "copper")["routes"]}
    book = load_workbook(copper_report)
    sheet = book[EN["sheets"]["routes"]]
    (chart,) = sheet._charts
    assert chart.grouping == "stacked"
    stages = list(expected["primary"]["stages"]) + list(expected["scrap"]["stages"])
    stages = list(dict.fromkeys(stages))
    assert len(chart.series) == len(stages)
    for series, stage in zip(chart.series, stages, strict=True):
        title_ref = series.tx.strRef.f  # e.g. 'Routes'!$A$4
        values_ref = series.val.numRef.f  # e.g. 'Routes'!$B$4:$C$4
        assert title_ref.startswith(f"'{sheet.title}'!")
        assert sheet[title_ref.split("!")[1].replace("$", "")].value == stage
        (cells,) = sheet[values_ref.split("!")[1].replace("$", "")]
        assert [c.value for c in cells] == [expected[r]["stages"].get(stage, 0.0) for r in ("primary", "scrap")]
    categories = chart.series[0].cat.strRef.f if chart.series[0].cat.strRef else chart.series[0].cat.numRef.f
    (names,) = sheet[categories.split("!")[1].replace("$", "")]
    # short names, not the route ids: each route's label up to its first bracket ('Primary cathode')
    assert [c.value for c in names] == [expected[r]["label"].split(" (")[0] for r in ("primary", "scrap")]
    assert all(c.value != r for c, r in zip(names, ("primary", "scrap"), strict=True))
    total_row = [row for row in sheet.iter_rows(values_only=True) if row[0] == EN["breakdown"]["total"]]
    assert total_row == [("Total", expected["primary"]["total"], expected["scrap"]["total"])]


def test_assumptions_and_sources_list_what_was_used_with_sources(copper_report):
    book = load_workbook(copper_report)
    first = {name: book[EN["sheets"][name]][book[EN["sheets"][name]].freeze_panes].row  # below the header row
             for name in ("parameters", "sources")}
    parameters = list(book[EN["sheets"]["parameters"]].iter_rows(min_row=first["parameters"], values_only=True))
    by_name = {row[1]: row for row in parameters if row[0]}
    assert "scrap_yield" in by_name and by_name["scrap_yield"][2] == pytest.approx(0.95)
    assert all(row[8] for row in parameters if row[0]), "every parameter has a source"
    # the grid factors are background parameters; nickel's are not used by copper
    assert {row[0] for row in parameters if row[0]} == {"cfp_copper", "cfp_background"}
    assert by_name["grid_jp_co2"][2] == pytest.approx(0.437)  # ELCS FY2022, the reference year
    sources = [row for row in book[EN["sheets"]["sources"]].iter_rows(min_row=first["sources"], values_only=True)
               if row[0]]
    databases = {row[0] for row in sources if row[0] in ("cfp_copper", "cfp_background", "cfp_nickel")}
    assert databases == {"cfp_copper", "cfp_background"}  # nickel is not used by copper
    grid = [r for r in sources if r[1] == "electricity, grid mix" and r[2] == "JP"]
    assert grid and all(r[9] for r in grid)
    # the characterisation factors applied: IPCC 2021 GWP100 (AR6 Table 7.15)
    factors = {(row[0], row[1]): row[2] for row in sources if row[1] == "air" and isinstance(row[2], int | float)}
    assert factors[("Carbon dioxide, fossil", "air")] == 1
    assert factors[("Methane, fossil", "air")] == pytest.approx(29.8)
    assert factors[("Dinitrogen monoxide", "air")] == pytest.approx(273)


def test_methodology_and_provenance(copper_report):
    book = load_workbook(copper_report)
    methodology = [c for row in book[EN["sheets"]["methodology"]].iter_rows(values_only=True) for c in row if c]
    for topic in ("functional_unit", "boundary", "cutoff", "recycling", "method", "data_quality", "limitations",
                  "iso14067"):
        assert EN["methodology"][topic]["heading"] in methodology
    provenance = {row[0]: row[1] for row in book[EN["sheets"]["provenance"]].iter_rows(values_only=True) if row[0]}
    command = provenance[EN["provenance"]["command"]]
    assert command.startswith("lca report copper -o ") and "--customer 'ACME Corp' --tonnes 120" in command
    assert "--date 2026-11-22" in command and "--method ipcc2021-gwp100" in command
    assert provenance[EN["provenance"]["inventories"]].startswith("the inventories shipped with lca-cfp ")
    inventories = REPORTS.parent / "inventories"  # named, not shown as a local path
    for name in ("copper.xlsx", "background.xlsx"):
        assert provenance[name] == hashlib.sha256((inventories / name).read_bytes()).hexdigest()


def test_same_options_give_the_same_report(run, copper_report, tmp_path):
    again = tmp_path / "again.xlsx"
    _report(run, "copper", "-o", again, "--customer", "ACME Corp", "--tonnes", "120", "--date", "2026-11-22")

    def cells(path):
        book = load_workbook(path)
        return {name: [row for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}

    first, second = cells(copper_report), cells(again)
    provenance = EN["sheets"]["provenance"]
    for name in first:
        if name != provenance:
            assert first[name] == second[name], name
    # provenance differs only in the output name given with -o (shown by name, not by its folder)
    differing = [(a, b) for a, b in zip(first[provenance], second[provenance], strict=True) if a != b]
    assert all(copper_report.name in str(a) and again.name in str(b) for a, b in differing) and differing


def test_user_text_is_never_a_formula(run, tmp_path):
    folder = tmp_path / "inventories"
    folder.mkdir()
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    activities = tiny_activities()
    assert activities[1]["meta"]["route label"] == "Route A"
    activities[1]["meta"]["route label"] = INJECTION  # a name from a workbook
    write_workbook(folder / "tiny.xlsx", "tiny", activities)
    out = tmp_path / "tiny.xlsx"
    _report(run, "metal", "-o", out, "--customer", INJECTION, "--inventories", folder, "--tonnes", "2")
    book = load_workbook(out)
    found = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value == INJECTION]
    assert len(found) >= 3  # customer, the route in the summary and in the stage table
    assert all(cell.data_type == "s" for cell in found)
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml  # no cell of any sheet holds a formula
    # and the tiny system's numbers, by hand: A = 4.98 kg CO2e per kg, B = 3.7; per t x 1000
    assert _named(book, "CFP_reference")[1].value == pytest.approx(TOTAL_A, rel=1e-6)
    assert _named(book, "CFP_difference")[1].value == pytest.approx(TOTAL_A - TOTAL_B, rel=1e-6)
    # 2 t of a product whose functional unit is 1 kg: (4.98 - 3.7) kg/kg x 2000 kg / 1000 = 2.56 t CO2e
    assert _named(book, "CFP_saving")[1].value == pytest.approx((TOTAL_A - TOTAL_B) * 2000 / 1000, rel=1e-6)


def test_an_existing_file_is_kept_without_overwrite(run, copper_report, tmp_path):
    out = tmp_path / "kept.xlsx"
    out.write_bytes(b"the customer's earlier report")
    result = run("report", "copper", "-o", out)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--overwrite" in result.stderr and "Traceback" not in result.output
    assert out.read_bytes() == b"the customer's earlier report"
    _report(run, "copper", "-o", out, "--overwrite")
    assert load_workbook(out).sheetnames[0] == EN["sheets"]["summary"]
    assert [p.name for p in tmp_path.iterdir()] == ["kept.xlsx"]  # no temporary file left behind


def test_japanese_report(run, tmp_path):
    out = tmp_path / "nickel-ja.xlsx"
    _report(run, "nickel", "--basis", "cam", "-o", out, "--lang", "ja", "--customer", "株式会社サンプル",
            "--tonnes", "50")
    expected = run.json("compare", "nickel", "--basis", "cam")
    book = load_workbook(out)
    assert book.sheetnames == [JA["sheets"][k] for k in ("summary", "routes", "parameters", "sources", "methodology",
                                                         "provenance")]
    assert _named(book, "CFP_reference")[1].value == expected["routes"][0]["total"]
    assert _named(book, "CFP_difference")[1].value == expected["difference"]["absolute"]
    summary = book[JA["sheets"]["summary"]]
    texts = [c for row in summary.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert JA["summary"]["headline"] in texts and "株式会社サンプル" in texts
    conclusion = next(t for t in texts if t.startswith("リサイクル硫酸ニッケルのカーボンフットプリントは 1 t あたり "))
    assert "一次硫酸ニッケル（1 t あたり " in conclusion and "CO2-Eq" not in conclusion  # the Japanese conclusion
    routes = book[JA["sheets"]["routes"]]
    stages = [row[0] for row in routes.iter_rows(values_only=True) if row[0]]
    assert JA["stages"]["mining and HPAL"] in stages
    blends = [b["total"] for b in expected["blends"]]
    totals = [row for row in routes.iter_rows(values_only=True) if row[0] == JA["breakdown"]["total"]]
    assert list(totals[0][3:]) == blends


def test_product_report_equals_footprint_compare(run, tmp_path):
    out = tmp_path / "ac.xlsx"
    _report(run, "footprint", "air-conditioner", "--copper", "scrap", "-o", out, "--units", "1000")
    expected = run.json("footprint", "air-conditioner", "--compare", "--copper", "scrap")
    book = load_workbook(out)
    assert book.sheetnames[1] == EN["sheets"]["product"]
    assert _named(book, "CFP_reference")[1].value == expected["scenarios"][0]["total"]
    assert _named(book, "CFP_alternative")[1].value == expected["scenarios"][1]["total"]
    assert _named(book, "CFP_saving")[1].value == pytest.approx(expected["saving"]["absolute"] * 1000 / 1000,
                                                                rel=1e-5)
    parts = {row[0]: row[1:3] for row in book[EN["sheets"]["product"]].iter_rows(values_only=True) if row[0]}
    for part, score in expected["scenarios"][1]["parts"].items():
        assert parts[part][1] == score
    assert len(book[EN["sheets"]["product"]]._charts) == 1


def test_statement_sheets_from_the_ledger(run, tmp_path):
    assert run("ledger", "init", tmp_path).exit_code == 0
    out = tmp_path / "dlv-0002.xlsx"
    _report(run, "copper", "-o", out, "--ledger", tmp_path / "example-ledger.xlsx", "--delivery", "DLV-0002")
    book = load_workbook(out)
    assert EN["sheets"]["statement"] in book.sheetnames and EN["sheets"]["receipts"] in book.sheetnames
    statement = {row[0]: row[1] for row in book[EN["sheets"]["statement"]].iter_rows(values_only=True) if row[0]}
    assert statement["Customer"] == "Example customer B" and statement["Copper delivered"] == 80
    assert EN["sheets"]["trace"] in book.sheetnames
    assert _named(book, "CFP_quantity")[1].value == 80  # the tonnes claimed as recycled
    # one workbook, one set of values: the headline uses the ledger's values as the statement does
    scrap_label = next(k for k in statement if k.startswith("CFP per t, Scrap-derived"))
    assert _named(book, "CFP_alternative")[1].value == pytest.approx(statement[scrap_label], rel=1e-5)
    assert statement["Model default of cfp_copper.scrap_yield"] == 0.95
    clash = run("report", "copper", "-o", tmp_path / "x.xlsx", "--ledger", tmp_path / "example-ledger.xlsx",
                "--delivery", "DLV-0002", "--tonnes", "5")
    assert clash.exit_code == 1 and "differs from the tonnes claimed" in clash.stderr
    other = run("report", "nickel", "-o", tmp_path / "y.xlsx", "--ledger", tmp_path / "example-ledger.xlsx",
                "--delivery", "DLV-0002")
    assert other.exit_code == 1 and "is for the comparison 'copper'" in other.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_edited_templates_are_used_and_broken_ones_are_refused(run, tmp_path):
    folder = tmp_path / "templates"
    assert run("report", "templates", folder).exit_code == 0
    again = run("report", "templates", folder)
    assert again.exit_code == 1 and "already exists" in again.stderr
    english = folder / "en.toml"
    english.write_text(english.read_text(encoding="utf-8").replace('company = ""', 'company = "Refinery K.K."'),
                       encoding="utf-8")
    out = tmp_path / "r.xlsx"
    _report(run, "copper", "-o", out, "--templates", folder)
    summary = load_workbook(out)[EN["sheets"]["summary"]]
    assert "Refinery K.K." in [c for row in summary.iter_rows(values_only=True) for c in row]

    cases = [
        ('title = "Carbon footprint report: {subject}"', 'title = "Report {nonsense}"', "{nonsense}"),
        ('[summary]\ntitle = "Carbon footprint report: {subject}"\n', '[summary]\n', "lacks summary.title"),
        ('[sheets]\n', '[sheets\n', "is not valid TOML"),
    ]
    original = english.read_text(encoding="utf-8")
    for old, new, message in cases:
        assert old in original
        english.write_text(original.replace(old, new, 1), encoding="utf-8")
        result = run("report", "copper", "-o", tmp_path / "bad.xlsx", "--templates", folder)
        assert result.exit_code == 1 and message in result.stderr and str(english) in result.stderr, result.stderr
        assert "Traceback" not in result.output and not (tmp_path / "bad.xlsx").exists()


def test_japanese_template_has_every_key_of_the_english_one():
    def keys(table, prefix=""):
        found = set()
        for key, value in table.items():
            if isinstance(value, dict) and key not in ("stages", "routes", "subjects"):
                found |= keys(value, f"{prefix}{key}.")
            else:
                found.add(prefix + key)
        return found

    assert keys(EN) <= keys(JA)


@pytest.mark.parametrize("name, message", [("missing/r.xlsx", "does not exist"), ("r.csv", "does not end in .xlsx")],
                         ids=["missing-folder", "not-xlsx"])
def test_a_bad_output_path_is_refused_before_any_calculation(run, tmp_path, name, message):
    result = run("report", "copper", "-o", tmp_path / name)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
