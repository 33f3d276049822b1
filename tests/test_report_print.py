"""What the customer prints, read back with openpyxl from every kind of workbook the tool writes
(comparison report, product report with Monte Carlo and sensitivity, report with a ledger
statement, `lca ledger statement`, pathway report): the print set-up of every sheet, number
formats, the preparer, citations without working notes, no local paths, and file permissions.
The PDF as LibreOffice prints it is checked in test_report_render.py."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lca.report.citation import citation
from lca.report.sheets import significant_format

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = tomllib.loads((ROOT / "reports" / "layout.toml").read_text(encoding="utf-8"))
EN = tomllib.loads((ROOT / "reports" / "en.toml").read_text(encoding="utf-8"))
JA = tomllib.loads((ROOT / "reports" / "ja.toml").read_text(encoding="utf-8"))
# a commit hash: 7 to 40 hex digits with at least one letter and one digit (not a plain number)
HASH = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b")
WORKING_NOTES = re.compile(r"domain[- ]reference|domain[- ]data|derived:|transcribed|github"
                           r"|\b(?:Changed|Added) 20\d\d-\d\d-\d\d|=\s*\d[\d.,]*\s*(?:kg|kWh|MJ|t)\b", re.I)


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def books(run, tmp_path_factory) -> dict[str, Path]:
    """One workbook of each kind, written once for the module."""
    folder = tmp_path_factory.mktemp("print")
    _ok(run("ledger", "init", folder / "ledger"))
    ledger = folder / "ledger" / "example-ledger.xlsx"
    out = {name: folder / f"{name}.xlsx" for name in ("comparison", "product", "ledger", "statement", "pathway")}
    _ok(run("report", "copper", "-o", out["comparison"], "--customer", "ACME Corp", "--tonnes", "120"))
    _ok(run("report", "footprint", "cell-2170-kwh", "-o", out["product"], "-n", 200, "--seed", 1, "--sensitivity",
            "--samples", 64, "--preparer", "Refinery K.K."))
    _ok(run("report", "copper", "-o", out["ledger"], "--ledger", ledger, "--delivery", "DLV-0003", "--lang", "ja"))
    _ok(run("ledger", "statement", ledger, "--delivery", "DLV-0003", "-o", out["statement"]))
    _ok(run("report", "pathway", "appliance-copper", "-o", out["pathway"], "--preparer", "Refinery K.K."))
    return out


def _key_of(title: str) -> str | None:
    """The sheet key of a sheet title in either language ([sheets] and the pathway sheets)."""
    for texts in (EN, JA):
        keys = {v: k for k, v in texts["sheets"].items()}
        keys.update({texts["pathway"][f"sheet_{k}"]: f"pathway_{k}" for k in ("summary", "assumptions", "chart_data")})
        if title in keys:
            return keys[title]
    return None


def _cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet, cell


@pytest.mark.parametrize("kind", ["comparison", "product", "ledger", "statement", "pathway"])
def test_every_sheet_has_the_print_setup_of_the_layout(books, kind):
    book = load_workbook(books[kind])
    page = LAYOUT["page"]
    for sheet in book.worksheets:
        key = _key_of(sheet.title)
        assert key is not None, f"sheet {sheet.title!r} has no key in [sheets]"
        setup = sheet.page_setup
        assert setup.orientation == page["orientation_of"].get(key, page["orientation"]), sheet.title
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, sheet.title
        assert setup.fitToHeight == (1 if key in page["one_page"] else 0), sheet.title  # 0: as tall as needed
        assert sheet.oddFooter.right.text == "&P / &N" and sheet.oddFooter.left.text == "&A", sheet.title
        assert "lca-cfp" not in (sheet.oddHeader.left.text or "") + (sheet.oddHeader.right.text or "")
        if sheet.freeze_panes:  # a table's header row is repeated on every printed page
            header_row = sheet[sheet.freeze_panes].row - 1
            assert sheet.print_title_rows.replace("$", "") == f"{header_row}:{header_row}", sheet.title


@pytest.mark.parametrize("kind", ["comparison", "product", "ledger", "statement", "pathway"])
def test_no_number_that_is_not_whole_prints_in_the_general_format(books, kind):
    book = load_workbook(books[kind])
    general = [(sheet.title, cell.coordinate, cell.value) for sheet, cell in _cells(book)
               if isinstance(cell.value, float) and not cell.value.is_integer() and cell.number_format == "General"]
    assert not general, general[:10]
    names = EN if kind != "ledger" else JA
    if kind in ("comparison", "product", "ledger"):  # the two annexes that printed 13.4631141984
        for title in (names["sheets"]["parameters"], names["sheets"]["sources"]):
            numbers = [cell for cell in (c for s, c in _cells(book) if s.title == title)
                       if isinstance(cell.value, float) and not cell.value.is_integer()]
            assert numbers and all(c.alignment.horizontal == "right" for c in numbers), title


def test_significant_formats_show_four_digits_and_keep_the_value():
    assert significant_format(13.4631141984) == "#,##0.00"  # 13.46
    assert significant_format(482.408051503105) == "#,##0.0"  # 482.4
    assert significant_format(0.007) == "#,##0.000"  # 0.007, not 0.007000
    assert significant_format(1.5e-06) == "0.0E+00"
    assert significant_format(4464.37) == "#,##0"  # 4,464
    assert significant_format(13.0001) == "#,##0"  # 13 at four digits


def test_the_preparer_is_the_users_organisation_never_the_tool(books):
    comparison, product = load_workbook(books["comparison"]), load_workbook(books["product"])
    summary = EN["sheets"]["summary"]

    def pairs(book):
        return {r[0]: r[1] for r in book[summary].iter_rows(max_col=2, values_only=True) if r[0]}

    assert pairs(comparison)[EN["summary"]["prepared_by"]] == EN["summary"]["preparer_not_stated"]
    assert pairs(product)[EN["summary"]["prepared_by"]] == "Refinery K.K."
    assert product[summary].oddHeader.left.text == "Refinery K.K."
    assert comparison[summary].oddHeader.left.text is None
    for book in (comparison, product):
        method = pairs(book)[EN["summary"]["method"]]
        assert method.startswith("IPCC AR6 (2021), GWP100") and "(default)" not in method
        tool = [(s.title, c.coordinate) for s, c in _cells(book) if isinstance(c.value, str) and "lca-cfp" in c.value
                and s.title != EN["sheets"]["provenance"]]
        assert not tool, tool  # the tool is named on the Provenance sheet only
    pathway = load_workbook(books["pathway"])
    assert "Refinery K.K." in [c.value for _, c in _cells(pathway)]
    assert any("--preparer 'Refinery K.K.'" in str(c.value) for _, c in _cells(pathway))  # the command keeps it


@pytest.mark.parametrize("kind", ["comparison", "product", "ledger"])
def test_customer_cells_carry_citations_not_working_notes(books, kind):
    book = load_workbook(books[kind])
    found = [(s.title, c.coordinate, c.value[:80]) for s, c in _cells(book) if isinstance(c.value, str)
             and s.title not in (EN["sheets"]["provenance"], JA["sheets"]["provenance"])  # SHA-256 values
             and (WORKING_NOTES.search(c.value) or HASH.search(c.value))]
    assert not found, found[:10]
    sources = book[(JA if kind == "ledger" else EN)["sheets"]["sources"]]
    texts = [c.value for row in sources.iter_rows(min_col=10, max_col=10) for c in row if isinstance(c.value, str)]
    assert any("UNVERIFIED" in text for text in texts)  # estimates stay marked as such


def test_the_citation_rule_keeps_the_publication_and_drops_the_notes():
    assert citation("INF (domain reference A3.11): 350 kWh/t incl. rectifier and auxiliaries") == \
        "INF: 350 kWh/t incl. rectifier and auxiliaries"
    assert citation("derived: Alvarado 2002 (6.34 kWh-eq/kg) x Marsden 2008 refining share 11% = 697 kWh-eq/t; "
                    "x er_alloc (by-product allocation)") == "calculated from Alvarado 2002, Marsden 2008"
    assert citation("UK DESNZ 'conversion factors 2025', table 'WTT- fuels', as transcribed in github a/b "
                    "c/d.csv (commit 6cec8668396f); published as CO2e only") == \
        "UK DESNZ 'conversion factors 2025', table 'WTT- fuels'; published as CO2e only"
    assert citation("derived: 1 t anode per t cathode") == "calculated (model arithmetic)"
    assert citation("derived: 550 km (UNVERIFIED estimate) x 1/0.90") == \
        "calculated (model arithmetic); UNVERIFIED estimate"
    assert citation("Rotzer & Schmidt 2020 | distribution: pedigree-based, GSD2 1.05") == "Rotzer & Schmidt 2020"
    # the workbook's change log and shown arithmetic are working notes too
    assert citation("AME Group, 'Declining ore grades', March 2023 (uk.amegroup.com/x.aspx?faId=1034): grade "
                    "0.78% (2005) -> 0.54% (2022); value is kept. Changed 2026-12-02 from 0.007") == \
        "AME Group, 'Declining ore grades', March 2023: grade 0.78% (2005) -> 0.54% (2022); value is kept."
    assert citation("Videla & Jara 2018, divided by material moved per t Cu (1 + 2.5) / (0.007 x 0.90) = 555.6 t "
                    "material per t Cu") == "calculated from Videla & Jara 2018"
    assert citation("UNVERIFIED estimate: Mt Isa to Townsville, about 900 km by rail. Added 2026-12-02") == \
        "UNVERIFIED estimate: Mt Isa to Townsville, about 900 km by rail."
    assert citation("Dai et al. 2019: 0.95 kg hydroxide per kg oxide = stoichiometric (91.16/96.08 = 0.949)") == \
        "Dai et al. 2019: 0.95 kg hydroxide per kg oxide = stoichiometric"
    assert citation("derived: a x b. Added 2026-12-01") == "calculated (model arithmetic)"  # no 'Added 2026' author


def test_no_cell_shows_a_local_path(run, tmp_path):
    """Inventories, templates, ledger and output in the user's folders: the report names them only."""
    inventories, templates = tmp_path / "my-inventories", tmp_path / "my-templates"
    shutil.copytree(ROOT / "inventories", inventories)
    _ok(run("report", "templates", templates))
    _ok(run("ledger", "init", tmp_path / "ledger"))
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir()
    _ok(run("report", "copper", "-o", out, "--inventories", inventories, "--templates", templates, "--ledger",
            tmp_path / "ledger" / "example-ledger.xlsx", "--delivery", "DLV-0003"))
    statement = tmp_path / "out" / "statement.xlsx"
    _ok(run("ledger", "statement", tmp_path / "ledger" / "example-ledger.xlsx", "--delivery", "DLV-0003", "-o",
            statement, "--inventories", inventories))
    local = [str(tmp_path), str(Path.home()), str(ROOT)]
    for path in (out, statement):
        shown = [(s.title, c.coordinate, c.value) for s, c in _cells(load_workbook(path))
                 if isinstance(c.value, str) and any(folder in c.value for folder in local)]
        assert not shown, shown
    provenance = {r[0]: r[1] for r in load_workbook(out)[EN["sheets"]["provenance"]].iter_rows(values_only=True)}
    assert "my-inventories" in provenance[EN["provenance"]["inventories"]]
    assert "--inventories my-inventories" in provenance[EN["provenance"]["command"]]


def test_the_shipped_inventories_are_named_by_the_tool(books):
    provenance = {r[0]: r[1] for r in load_workbook(books["comparison"])[EN["sheets"]["provenance"]]
                  .iter_rows(values_only=True)}
    shown = provenance[EN["provenance"]["inventories"]]
    assert "lca-cfp" in shown and "/" not in shown


def test_files_are_written_with_the_users_umask(run, tmp_path, books):
    """Under umask 022 every file written is 0o644, as any file the user creates (not the 0o600 of a
    temporary file)."""
    previous = os.umask(0o022)
    try:
        written = [tmp_path / "report.xlsx", tmp_path / "statement.xlsx", tmp_path / "pathway.xlsx",
                   tmp_path / "inventories.zip", tmp_path / "copper.json"]
        _ok(run("report", "copper", "-o", written[0]))
        _ok(run("ledger", "init", tmp_path / "ledger"))
        _ok(run("ledger", "statement", tmp_path / "ledger" / "example-ledger.xlsx", "--delivery", "DLV-0003",
                "-o", written[1]))
        _ok(run("report", "pathway", "appliance-copper", "-o", written[2]))
        _ok(run("export", "olca", "-o", written[3], "--data-dir", run.data_dir))
        (tmp_path / "pact.yaml").write_text(_PACT)
        _ok(run("export", "pact", "copper/scrap", "-o", written[4], "--config", tmp_path / "pact.yaml"))
        _ok(run("report", "templates", tmp_path / "templates"))
        _ok(run("inventory", "init", tmp_path / "inventories"))
        written += sorted((tmp_path / "templates").iterdir()) + sorted((tmp_path / "inventories").iterdir())
        written += sorted((tmp_path / "ledger").iterdir())
    finally:
        os.umask(previous)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in written}
    assert set(modes.values()) == {oct(0o644)}, modes


_PACT = """\
company:
  name: Hokuriku Copper Refining K.K.
  ids: [urn:lei:5493001KJTIIGC8Y1R12]
reference period: {start: 2022-01-01, end: 2022-12-31}
products:
  copper:
    name: Electrolytic copper cathode, grade A
    ids: [urn:gtin:4912345678904]
    fossil carbon content: 0
    biogenic carbon content: 0
    carbon content source: grade A cathode, Cu >= 99.9935 %, holds no carbon
"""
