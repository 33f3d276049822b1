"""The report's charts and texts as a customer reads them: the tornado names each bar by what the
parameter is, in two colours told apart; the chart's names fit their cells; the statement shows
the report's figure."""

from __future__ import annotations

import tomllib
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
EN = tomllib.loads((ROOT / "reports" / "en.toml").read_text(encoding="utf-8"))
LAYOUT = tomllib.loads((ROOT / "reports" / "layout.toml").read_text(encoding="utf-8"))


def _parameter_labels(workbook: Path) -> dict[str, str]:
    """name -> 'label' of the workbook's parameter table."""
    book = load_workbook(workbook, read_only=True)
    rows = list(book["inventory"].iter_rows(values_only=True))
    book.close()
    header = next(i for i, row in enumerate(rows) if row[0] == "Database parameters") + 1
    columns = rows[header]
    found = {}
    for row in rows[header + 1:]:
        if row[0] is None:
            break
        record = dict(zip(columns, row, strict=True))
        if record.get("label"):
            found[record["name"]] = record["label"]
    return found


def test_tornado_bars_are_named_by_description_in_two_distinct_colours(run, tmp_path):
    out = tmp_path / "copper.xlsx"
    result = run("report", "copper", "-o", out, "-n", "20", "--seed", "2", "--sensitivity", "--samples", "16")
    assert result.exit_code == 0, result.output
    expected = run.json("sensitivity", "copper", "--samples", "0")["one_at_a_time"][:12]
    labels = {f"cfp_copper.{k}": v for k, v in _parameter_labels(ROOT / "inventories" / "copper.xlsx").items()}
    labels |= {f"cfp_background.{k}": v for k, v in
               _parameter_labels(ROOT / "inventories" / "background.xlsx").items()}
    sheet = load_workbook(out)[EN["sheets"]["sensitivity"]]
    (chart,) = sheet._charts
    reference = chart.series[0].cat.strRef or chart.series[0].cat.numRef
    categories = reference.f.split("!")[1].replace("$", "")
    names = [c.value for (c,) in sheet[categories]]
    # the largest swing on top (a bar chart draws its first category at the bottom); the label, else the id
    assert names == [labels.get(r["parameter"], r["parameter"]) for r in expected][::-1]
    assert sum(name in labels.values() for name in names) >= 10  # the shipped workbooks describe them
    assert not any(name.startswith("cfp_") for name in names if name in labels.values())
    fills = [str(s.graphicalProperties.solidFill.srgbClr) for s in chart.series]
    assert fills == [LAYOUT["colours"]["tornado_low"], LAYOUT["colours"]["tornado_high"]]
    low, high = (tuple(int(f[i:i + 2], 16) for i in (0, 2, 4)) for f in fills)
    assert sum(abs(a - b) for a, b in zip(low, high, strict=True)) > 200  # not two shades of one blue


def test_the_names_under_a_products_bars_are_short_and_stay_in_their_cells(run, tmp_path):
    out = tmp_path / "cell.xlsx"
    result = run("report", "footprint", "cell-2170-kwh", "-o", out)  # two supply choices in each scenario
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)[EN["sheets"]["product"]]
    (row,) = [r for r in sheet.iter_rows() if r[0].value == EN["breakdown"]["chart_labels"]]
    names = list(row[1:3])
    header = next(r for r in sheet.iter_rows() if r[0].value == EN["breakdown"]["column_part"])
    assert [c.value for c in names] == [EN["breakdown"]["scenario_reference"], EN["breakdown"]["scenario_alternative"]]
    assert all(len(h.value) > len(c.value) for h, c in zip(header[1:3], names, strict=True))  # the long names above
    width = sheet.column_dimensions["B"].width
    assert all(c.alignment.wrap_text for c in names)  # a longer name would wrap inside its column
    lines = max(-(-len(c.value) // int(width - 1)) for c in names)
    assert sheet.row_dimensions[row[0].row].height >= 13 * lines
    (chart,) = sheet._charts
    assert chart.anchor._from.row >= row[0].row  # the chart starts below the row (0-based anchor row)


def test_the_statement_shows_the_reports_figures(run, tmp_path):
    assert run("ledger", "init", tmp_path).exit_code == 0
    out = tmp_path / "dlv.xlsx"
    result = run("report", "copper", "-o", out, "--ledger", tmp_path / "example-ledger.xlsx", "--delivery",
                 "DLV-0002")
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    statement = book[EN["sheets"]["statement"]]
    (title, coordinate), = list(book.defined_names["CFP_alternative"].destinations)
    headline = book[title][coordinate.replace("$", "")]
    (row,) = [r for r in statement.iter_rows() if str(r[0].value).startswith("CFP per t, Scrap-derived")]
    # one rounding rule: the same number format, the cell keeping the full value
    assert row[1].number_format == headline.number_format == LAYOUT["number_formats"]["per_tonne"]
    assert row[1].value == headline.value or abs(row[1].value - headline.value) < 1e-3
    assert row[1].value != round(row[1].value, 1)  # not rounded in the cell
    assert row[2].value == "kg CO2-eq per t"  # the report's spelling of the unit
