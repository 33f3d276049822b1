"""The report opens in LibreOffice Calc: converted headless to PDF, every sheet printed, and
printed as the layout says: each sheet's pages in its orientation, one page wide, the table
header on every page, no more pages than its rows need.

LibreOffice refuses (or asks to repair) a workbook with broken parts; headless, a refused file
gives no PDF. `.ci/run` installs LibreOffice and poppler-utils and sets LCA_REQUIRE_SOFFICE=1, so
in CI this test fails rather than skips when soffice or pdfinfo is missing. Each workbook is
converted once (a conversion takes seconds) and all its sheets are checked from that PDF: the
footer names the sheet of every page (lca.xlsx.apply_print_setup).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO, PDFTOTEXT = shutil.which("pdfinfo"), shutil.which("pdftotext")
REPORTS = Path(__file__).resolve().parent.parent / "reports"
LAYOUT = tomllib.loads((REPORTS / "layout.toml").read_text(encoding="utf-8"))

if os.environ.get("LCA_REQUIRE_SOFFICE") == "1" and None in (SOFFICE, PDFINFO, PDFTOTEXT):
    raise RuntimeError("LCA_REQUIRE_SOFFICE=1 but soffice or poppler-utils is not installed: "
                       "apt-get install libreoffice-calc poppler-utils")

needs_soffice = pytest.mark.skipif(None in (SOFFICE, PDFINFO, PDFTOTEXT),
                                   reason="LibreOffice (soffice) or poppler-utils is not installed")


def _to_pdf(workbook: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(workbook)], check=True, capture_output=True, timeout=180)
    return tmp_path / (workbook.stem + ".pdf")


def _text(pdf: Path) -> str:
    return subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _pages(pdf: Path) -> list[tuple[str, str, str]]:
    """(sheet, "portrait" or "landscape", text) of each page; the sheet is read from the footer's left
    part, the orientation from the page size."""
    texts = _text(pdf).split("\f")
    count = int(re.search(r"^Pages:\s+(\d+)", subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True,
                                                              text=True).stdout, re.M).group(1))
    info = subprocess.run([PDFINFO, "-f", "1", "-l", str(count), str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    assert len(sizes) == count
    pages = []
    for (width, height), text in zip(sizes, texts, strict=False):
        lines = [line for line in text.splitlines() if line.strip()]
        sheet = re.split(r"\s{2,}", lines[-1].strip())[0] if lines else None  # None: a blank page
        pages.append((sheet, "landscape" if width > height else "portrait", text))
    return pages


def _sheet_key(title: str, lang: str) -> str:
    texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))
    keys = {v: k for k, v in texts["sheets"].items()}
    keys.update({texts["pathway"][f"sheet_{k}"]: f"pathway_{k}" for k in ("summary", "assumptions", "chart_data")})
    return keys[title]


def _rows_need(sheet, orientation: str) -> int:
    """Pages the sheet's rows fill at full size (fitting the width only shrinks them), A4 less margins,
    header and footer, each page losing at most its tallest row to the page break."""
    heights = [sheet.row_dimensions[r].height or 15 for r in range(1, sheet.max_row + 1)]
    usable = (595 if orientation == "landscape" else 842) - 200
    return math.ceil(sum(heights) / (usable - max(heights))) + 1


def check_printed(workbook: Path, pdf: Path, lang: str = "en") -> dict[str, list[str]]:
    """Every sheet printed, in its orientation, one page wide, no more pages than its rows need;
    returns sheet -> texts of its pages."""
    book = load_workbook(workbook)
    pages = _pages(pdf)
    by_sheet: dict[str, list[str]] = {}
    page = LAYOUT["page"]
    blank: set[str] = set()
    for number, (title, orientation, text) in enumerate(pages, start=1):
        if title is None:
            # LibreOffice, laying out a later sheet in the Japanese font it substitutes (Yu Gothic is not
            # installed), counts one page more than it fills: tolerated once per sheet, at its end, in ja only
            previous = pages[number - 2][0] if number > 1 else None
            following = pages[number][0] if number < len(pages) else None
            assert lang == "ja" and previous and previous not in blank and following != previous, \
                f"page {number} of {pdf.name} is blank"
            blank.add(previous)
            continue
        assert title in book.sheetnames, f"page footer {title!r} is not a sheet of {workbook.name}"
        key = _sheet_key(title, lang)
        assert orientation == page["orientation_of"].get(key, page["orientation"]), (title, orientation)
        by_sheet.setdefault(title, []).append(text)
    assert list(by_sheet) == book.sheetnames  # every sheet, in order, each on consecutive pages
    for title, texts in by_sheet.items():
        sheet = book[title]
        if _sheet_key(title, lang) in page["one_page"]:
            assert len(texts) == 1, f"{title} should print on one page, printed {len(texts)}"
        assert len(texts) <= _rows_need(sheet, page["orientation"]), (title, len(texts))
        if sheet.print_title_rows and len(texts) > 1:  # one page wide: the first and last header on every page
            row = int(sheet.print_title_rows.replace("$", "").split(":")[0])
            labels = [str(c.value).split()[0][:6] for c in sheet[row] if c.value]  # a header cell may wrap
            for number, text in enumerate(texts, start=1):
                assert labels[0] in text and labels[-1] in text, (title, number, labels[0], labels[-1])
    return by_sheet


def _statement_lines(texts: list[str]) -> None:
    """The statement's labels, values and units on the same printed line (they were on separate pages)."""
    lines = [" ".join(line.split()) for text in texts for line in text.splitlines()]
    for label in ("Claimed as recycled", "Credits carried in", "Closing balance (carried out)"):
        (line, *_) = [line for line in lines if line.startswith(label)]
        assert re.fullmatch(rf"{re.escape(label)} [\d,]+\.\d{{3}} t", line), line


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_converts_in_libreoffice(run, tmp_path, lang):
    out = tmp_path / f"copper-{lang}.xlsx"
    result = run("report", "copper", "-o", out, "--customer", "ACME Corp", "--tonnes", "120", "--lang", lang)
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    text = _text(pdf)
    texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))
    compare = run.json("compare", "copper")
    assert f"{compare['routes'][0]['total']:,.1f}" in text  # the headline number, as formatted in the cell
    assert texts["methodology"]["boundary"]["heading"] in text  # the last sheets were printed too
    assert texts["provenance"]["title"].split("：")[0].split(":")[0] in text
    printed = check_printed(out, pdf, lang)
    for key in ("parameters", "sources"):  # the long annexes: landscape, across pages, never shrunk to one
        assert LAYOUT["page"]["orientation_of"].get(key, LAYOUT["page"]["orientation"]) == "landscape"
        assert len(printed[texts["sheets"][key]]) > 1


@needs_soffice
def test_report_with_monte_carlo_sensitivity_and_cff_converts(run, tmp_path):
    """Every optional part at once: Monte Carlo rows, the Sensitivity sheet and its bar chart, CFF."""
    out = tmp_path / "copper-analyses.xlsx"
    result = run("report", "copper", "-o", out, "-n", 2000, "--seed", 1, "--sensitivity", "--samples", 128,
                 "--allocation", "cff")
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    text = _text(pdf)
    texts = tomllib.loads((REPORTS / "en.toml").read_text(encoding="utf-8"))
    assert texts["summary"]["uncertainty"] in text
    assert texts["sensitivity"]["sobol_title"] in text
    assert "cfp_copper.ore_grade" in text  # the largest swing, first in the tornado
    assert f"{run.json('compare', 'copper', '--allocation', 'cff')['routes'][1]['total']:,.1f}" in text
    check_printed(out, pdf)


@needs_soffice
@pytest.mark.parametrize(("lang", "preparer"), [("en", "Hokuriku Copper Refining Co."), ("ja", "北陸銅精錬株式会社")])
def test_product_report_with_monte_carlo_and_sensitivity_prints(run, tmp_path, lang, preparer):
    out = tmp_path / f"cell-{lang}.xlsx"
    result = run("report", "footprint", "cell-2170-kwh", "-o", out, "-n", 200, "--seed", 1, "--sensitivity",
                 "--samples", 64, "--lang", lang, "--preparer", preparer)
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    printed = check_printed(out, pdf, lang)
    texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))
    assert texts["sheets"]["sensitivity"] in printed and texts["sheets"]["regulation"] in printed
    assert preparer in printed[texts["sheets"]["summary"]][0]  # the preparer, in the page header


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_with_a_ledger_statement_prints_every_sheet(run, tmp_path, lang):
    assert run("ledger", "init", tmp_path / "ledger").exit_code == 0
    out = tmp_path / f"copper-ledger-{lang}.xlsx"
    result = run("report", "copper", "-o", out, "--ledger", tmp_path / "ledger" / "example-ledger.xlsx",
                 "--delivery", "DLV-0003", "--lang", lang)
    assert result.exit_code == 0, result.output
    printed = check_printed(out, _to_pdf(out, tmp_path), lang)
    texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))
    assert len(printed[texts["sheets"]["statement"]]) <= 2  # was six portrait pages
    if lang == "en":
        _statement_lines(printed[texts["sheets"]["statement"]])


@needs_soffice
@pytest.mark.parametrize(("ledger", "delivery"), [("example-ledger-nickel.xlsx", "NI-0002"),
                                                  ("example-ledger.xlsx", "DLV-0003")], ids=["nickel", "copper"])
def test_ledger_statement_converts_in_libreoffice(run, tmp_path, ledger, delivery):
    """The shipped worked examples' statements open in Calc: every sheet (statement, receipts, trace) printed."""
    assert run("ledger", "init", tmp_path / "ledger").exit_code == 0
    out = tmp_path / f"{delivery}.xlsx"
    result = run("ledger", "statement", tmp_path / "ledger" / ledger, "--delivery", delivery, "-o", out)
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 5_000
    text = _text(pdf)
    assert delivery in text and "Comparison, not part of the CFP" in text
    assert "credit used (t)" in text  # the Trace sheet was printed too
    printed = check_printed(out, pdf)
    assert len(printed["Statement"]) <= 2
    _statement_lines(printed["Statement"])
