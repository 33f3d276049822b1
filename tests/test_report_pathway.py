"""`lca report pathway`: the numbers of `lca pathway`, a waterfall chart whose bars reproduce the
levels, readable assumptions, and a file LibreOffice opens (en and ja) with the chart's labels."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_pathway import pathway_text, write_system
from test_report_render import REPORTS, SOFFICE, _text, _to_pdf, needs_soffice

EN = tomllib.loads((REPORTS / "en.toml").read_text(encoding="utf-8"))["pathway"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("pathway-report")
    inventories = write_system(root / "inv")
    plan = root / "plan.yaml"
    plan.write_text(pathway_text(), encoding="utf-8")
    return {"inventories": inventories, "data": root / "bw", "root": root, "plan": plan}


def write_report(run, tiny, name, *extra):
    out = tiny["root"] / name
    result = run("report", "pathway", tiny["plan"], "-o", out, "--overwrite", "--inventories", tiny["inventories"],
                 "--data-dir", tiny["data"], "--date", "2026-12-01", *extra)
    assert result.exit_code == 0, result.output
    return out


def pathway_json(run, tiny):
    result = run("pathway", tiny["plan"], "--inventories", tiny["inventories"], "--data-dir", tiny["data"],
                 "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_lever_table_holds_the_pathway_numbers(run, tiny):
    data = pathway_json(run, tiny)
    book = load_workbook(write_report(run, tiny, "plan.xlsx"))
    sheet = book[EN["sheet_summary"]]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}
    for lever in data["levers"]:
        row = rows[lever["name"]]
        assert row[2] == pytest.approx(lever["footprint_after"])
        assert row[3] == pytest.approx(lever["saving_waterfall"])
        assert row[5] == pytest.approx(lever["saving_shapley"])
    total = rows[EN["total_row"]]
    assert total[3] == pytest.approx(9.5 - 2.5) and total[5] == pytest.approx(9.5 - 2.5)
    assert rows[EN["baseline"].format(year=2022)][1] == pytest.approx(9.5)
    assert rows[EN["target"].format(year=2031)][1] == pytest.approx(4.75)
    assert rows[EN["final"].format(year=2028)][1] == pytest.approx(2.5)


def test_the_waterfall_chart_reproduces_the_levels(run, tiny):
    book = load_workbook(write_report(run, tiny, "chart.xlsx"))
    charts = book[EN["sheet_summary"]]._charts
    assert len(charts) == 1
    data = book[EN["sheet_chart_data"]]
    rows = list(data.iter_rows(min_row=2, values_only=True))
    names = [r[0] for r in rows]
    assert names == ["Baseline 2022", "scrap copper", "lower grid", "efficient wiring", "idle", "After levers 2028",
                     "Target 2031"]
    level = 9.5
    for (_, base, footprint, saving, increase), expected_after in zip(rows[1:5], [3.5, 2.6, 2.5, 2.5], strict=True):
        base, saving, increase = base or 0, saving or 0, increase or 0
        assert footprint is None
        assert base == pytest.approx(min(level, expected_after))  # the invisible base is the lower level
        assert base + saving + increase == pytest.approx(max(level, expected_after))  # the bar's top
        level = expected_after
    assert rows[0][2] == pytest.approx(9.5) and rows[-2][2] == pytest.approx(2.5) and rows[-1][2] == pytest.approx(4.75)


def test_an_increase_is_drawn_from_the_lower_level(run, tiny, tmp_path):
    plan = tiny["root"] / "up.yaml"
    plan.write_text(pathway_text().replace("wiring_kwh: 0.5", "wiring_kwh: 3"), encoding="utf-8")
    out = tmp_path / "up.xlsx"
    result = run("report", "pathway", plan, "-o", out, "--inventories", tiny["inventories"], "--data-dir",
                 tiny["data"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)[EN["sheet_chart_data"]].iter_rows(min_row=2, values_only=True))
    _, base, _, saving, increase = rows[3]  # efficient wiring: 2 + 0.2 x 3 = 2.6 -> 2 + 0.2 x 5 = 3.0
    assert saving is None and increase == pytest.approx(0.4) and base == pytest.approx(2.6)


def test_assumptions_are_formatted_and_name_the_workbook_values(run, tiny):
    book = load_workbook(write_report(run, tiny, "assumptions.xlsx"))
    sheet = book[EN["sheet_assumptions"]]
    rows = [r for r in sheet.iter_rows() if r[0].value]
    found = {r[3].value: r for r in rows if r[3].value}
    assert found["tinypbg.grid_co2"][4].value == 0.2 and found["tinypbg.grid_co2"][6].value == 0.5
    assert found["copper"][4].value == "scrap"
    for row in rows:
        for cell in row:
            if isinstance(cell.value, float) and not float(cell.value).is_integer():
                assert cell.number_format != "General", (cell.coordinate, cell.value)
    assert sheet.page_setup.orientation == "landscape"


def test_the_report_refuses_what_the_file_should_hold(run, tiny, tmp_path):
    result = run("report", "pathway", tiny["plan"], "-o", tmp_path / "x.xlsx", "--set", "grid_co2=0.3",
                 "--inventories", tiny["inventories"], "--data-dir", tiny["data"])
    assert result.exit_code == 1 and "pathway file" in result.output
    assert not (tmp_path / "x.xlsx").exists()


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_pathway_report_converts_with_its_chart(run, tiny, tmp_path, lang):
    out = write_report(run, tiny, f"render-{lang}.xlsx", "--lang", lang)
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout if SOFFICE else ""
    size = next((line for line in info.splitlines() if line.startswith("Page size")), "")
    if size:  # landscape: wider than high
        width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
        assert width > height
    text = _text(pdf)
    if text:
        texts = tomllib.loads((REPORTS / f"{lang}.toml").read_text(encoding="utf-8"))["pathway"]
        assert texts["chart_title"].format(pathway="tiny plan") in text  # the chart was drawn
        assert texts["bar_target"].format(year=2031) in text  # a category label of the chart
        assert "efficient wiring" in text
        assert texts["assumptions_title"] in text
        assert Path(out).name  # the file itself stays as written


@needs_soffice
def test_the_shipped_cell_pathway_report_opens_with_its_chart(run, tmp_path):
    out = tmp_path / "cell.xlsx"
    result = run("report", "pathway", "cell-2031-halving", "-o", out)
    assert result.exit_code == 0, result.output
    pdf = _to_pdf(out, tmp_path)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    text = _text(pdf)
    if text:
        assert EN["chart_title"].format(pathway="cell-2031-halving") in text
        assert "Recycled nickel 20 %" in text and EN["bar_target"].format(year=2031) in text
