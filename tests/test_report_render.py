"""The report opens in LibreOffice Calc: converted headless to PDF, every sheet printed.

LibreOffice refuses (or asks to repair) a workbook with broken parts; headless, a refused file
gives no PDF. `.ci/run` installs LibreOffice and sets LCA_REQUIRE_SOFFICE=1, so in CI this test
fails rather than skips when soffice is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REPORTS = Path(__file__).resolve().parent.parent / "reports"

if SOFFICE is None and os.environ.get("LCA_REQUIRE_SOFFICE") == "1":
    raise RuntimeError("LCA_REQUIRE_SOFFICE=1 but soffice is not installed: apt-get install libreoffice-calc")

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _to_pdf(workbook: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(workbook)], check=True, capture_output=True, timeout=180)
    return tmp_path / (workbook.stem + ".pdf")


def _text(pdf: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # poppler-utils; without it, check that the PDF is not empty
        return ""
    return subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_converts_in_libreoffice(run, tmp_path, lang):
    out = tmp_path / f"copper-{lang}.xlsx"
    result = run("report", "copper", "-o", out, "--customer", "ACME Corp", "--tonnes", "120", "--lang", lang)
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    text = _text(pdf)
    if text:
        texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))
        compare = run.json("compare", "copper")
        assert f"{compare['routes'][0]['total']:,.1f}" in text  # the headline number, as formatted in the cell
        assert texts["methodology"]["boundary"]["heading"] in text  # the last sheets were printed too
        assert texts["provenance"]["title"].split("：")[0].split(":")[0] in text


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
    if text:
        texts = tomllib.loads((REPORTS / "en.toml").read_text(encoding="utf-8"))
        assert texts["summary"]["uncertainty"] in text
        assert texts["sensitivity"]["sobol_title"] in text
        assert "cfp_copper.ore_grade" in text  # the largest swing, first in the tornado
        assert f"{run.json('compare', 'copper', '--allocation', 'cff')['routes'][1]['total']:,.1f}" in text


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
    if text:
        assert delivery in text and "Comparison, not part of the CFP" in text
        assert "credit used (t)" in text  # the Trace sheet was printed too
