"""The customer report of a pathway (lca.runs.pathway.PathwayRun): a summary with the lever table
and a waterfall chart, the assumptions behind each lever, and the provenance.

The waterfall is a stacked column chart (Excel's own waterfall type is not in the file format
openpyxl writes, and LibreOffice does not read it): an invisible base series carries each lever's
bar up to the lower of its two levels, a "saving" series (or an "increase" series for a lever that
raises the footprint) spans the step, and a "footprint" series draws the baseline, the final
footprint and the target from zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from lca.report.sheets import SheetWriter
from lca.xlsx import display_unit

__all__ = ["PathwayContext", "build_pathway_report", "waterfall_bars"]


@dataclass(frozen=True)
class PathwayContext:
    date: object  # datetime.date
    customer: str | None
    command: str
    tool: str
    workbook_values: dict  # parameter id -> (workbook value, unit)
    options: tuple = ()
    preparer: str = ""  # who prepared the report; '' when not stated


def waterfall_bars(run) -> list[tuple[str, float, float, float, float]]:
    """(category, invisible base, footprint, saving, increase) per bar, in chart order."""
    bars = [("baseline", 0.0, run.baseline.value, 0.0, 0.0)]
    level = run.baseline.value
    for lever in run.levers:
        after = lever.after
        saving = level - after
        bars.append((lever.name, min(level, after), 0.0, max(saving, 0.0), max(-saving, 0.0)))
        level = after
    bars.append(("final", 0.0, run.final.value, 0.0, 0.0))
    bars.append(("target", 0.0, run.target_value, 0.0, 0.0))
    return bars


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else name[:width - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.1f}"


def _summary(book, run, t, context: PathwayContext):
    sheet = book.active
    sheet.title = t.text("pathway.sheet_summary")
    w = SheetWriter(sheet, t)
    unit = f"{display_unit(run.unit)} / {t.functional_unit(run.functional_unit)}"
    w.title(t.text("pathway.title", pathway=run.name))
    if run.description:
        w.note(run.description)
    base = run.baseline.value
    fmt = "#,##0.000"
    w.pairs([
        (t.text("pathway.subject"), f"{run.label}"),
        (t.text("pathway.per"), t.functional_unit(run.functional_unit)),
        (t.text("pathway.method"), f"{run.method.label} [{run.method.id}]"),
        (t.text("pathway.unit"), unit),
        (t.text("pathway.customer"), context.customer or "-"),
        (t.text("summary.prepared_by"), context.preparer or t.text("summary.preparer_not_stated")),
        (t.text("pathway.date"), context.date),
    ], "yyyy-mm-dd")
    w.pairs([
        (t.text("pathway.baseline", year=run.baseline.year), base, fmt),
        (t.text("pathway.target", year=run.target.year), run.target_value, fmt),
        (t.text("pathway.final", year=run.final.year), run.final.value, fmt),
        (t.text("pathway.saving"), run.saving, fmt),
        (t.text("pathway.reduction"), run.reduction or 0.0, "0.0%"),
        (t.text("pathway.gap"), run.gap, fmt),
    ])
    sentence = "pathway.reached" if run.reached else "pathway.not_reached"
    w.note(t.text(sentence, final=_fmt(run.final.value), target=_fmt(run.target_value), unit=unit,
                  gap=_fmt(abs(run.gap)), reduction=f"{(run.reduction or 0):.1%}",
                  asked=f"{1 - run.target_value / base:.1%}" if base else "-"))
    if run.target.source:
        w.note(f"{t.text('pathway.target_source')}: {run.target.source}")
    p = run.probability
    if p is not None:
        w.note(t.text("pathway.monte_carlo", draws=f"{p.iterations:,}", seed=str(p.seed),
                      probability=f"{p.probability:.1%}", parameters=str(p.uncertain_parameters),
                      baseline=f"{_fmt(p.baseline.p2_5)} - {_fmt(p.baseline.p97_5)}",
                      final=f"{_fmt(p.final.p2_5)} - {_fmt(p.final.p97_5)}"))
    w.heading(t.text("pathway.levers_heading"))
    header = [t.text(f"pathway.column_{k}") for k in ("lever", "year", "after", "saving", "share", "shapley",
                                                        "shapley_share")]
    rows = [[t.text("pathway.baseline_row"), run.baseline.year, base, None, None, None, None]]
    for lever in run.levers:
        rows.append([lever.name, lever.year, lever.after, lever.waterfall, lever.waterfall / base if base else 0,
                     lever.shapley, lever.shapley / base if base else 0])
    rows.append([t.text("pathway.total_row"), run.final.year, run.final.value, run.saving,
                 run.saving / base if base else 0, run.saving, run.saving / base if base else 0])
    w.table(header, rows, ["@", "0", fmt, fmt, "0.0%", fmt, "0.0%"], totals=(len(rows) - 1,))
    w.note(t.text("pathway.attribution_note", states=str(run.states_solved)))
    chart_row = w.row
    w.widths({1: 42, 2: 12, 3: 14, 4: 16, 5: 10, 6: 16, 7: 10})
    data = book.create_sheet(t.text("pathway.sheet_chart_data"))
    _chart(sheet, data, run, t, chart_row, unit)


def _chart(sheet, data_sheet, run, t, anchor_row: int, unit: str) -> None:
    """The waterfall's data (on ``data_sheet``) and the stacked column chart drawn from it on ``sheet``."""
    labels = {"baseline": t.text("pathway.bar_baseline", year=run.baseline.year),
              "final": t.text("pathway.bar_final", year=run.final.year),
              "target": t.text("pathway.bar_target", year=run.target.year)}
    first_col = 1
    chart_sheet, sheet = sheet, data_sheet
    heads = [t.text("pathway.chart_category"), t.text("pathway.series_base"), t.text("pathway.series_footprint"),
             t.text("pathway.series_saving"), t.text("pathway.series_increase")]
    from lca.xlsx import put

    for offset, head in enumerate(heads):
        put(sheet, 1, first_col + offset, head)
    bars = waterfall_bars(run)
    names = [labels["baseline"]] + [_short(c) for c, *_ in bars[1:-2]] + [labels["final"], labels["target"]]
    for i, ((_, base, level, saving, increase), name) in enumerate(zip(bars, names, strict=True), start=2):
        put(sheet, i, first_col, name)
        for offset, value in enumerate((base, level, saving, increase), start=1):
            put(sheet, i, first_col + offset, value if value else None, "#,##0.000")  # no bar, no label
    last = len(bars) + 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = t.text("pathway.chart_title", pathway=run.name)
    chart.y_axis.title = unit
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(sheet, min_col=first_col + 1, max_col=first_col + 4, min_row=1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=first_col, min_row=2, max_row=last))
    colours = (None, "1F4E78", "548235", "C00000")
    for series, colour in zip(chart.series, colours, strict=True):
        if colour is None:  # the invisible base
            series.graphicalProperties.noFill = True
            series.graphicalProperties.line.noFill = True
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
            series.dLbls = DataLabelList()
            series.dLbls.showVal = True
            series.dLbls.showSerName = series.dLbls.showCatName = series.dLbls.showLegendKey = False
            series.dLbls.showPercent = False
            series.dLbls.numFmt = "#,##0.0;-#,##0.0;;"
    from openpyxl.chart.legend import LegendEntry

    chart.legend.position = "b"
    chart.legend.legendEntry = [LegendEntry(idx=0, delete=True)]  # the invisible base has no legend entry
    chart.width, chart.height = 24, 11
    chart_sheet.add_chart(chart, f"A{anchor_row + 1}")
    from openpyxl.utils import get_column_letter

    for col in range(first_col, first_col + 5):
        sheet.column_dimensions[get_column_letter(col)].width = 14 if col > first_col else 34


def _assumptions(book, run, t, context: PathwayContext) -> None:
    sheet = book.create_sheet(t.text("pathway.sheet_assumptions"))
    w = SheetWriter(sheet, t)
    w.title(t.text("pathway.assumptions_title"))
    header = [t.text(f"pathway.assumption_{k}") for k in ("step", "year", "kind", "item", "value", "unit",
                                                            "workbook_value", "source")]
    rows = []

    def add(step, year, source, settings, supply, regions):
        for site, region in regions:
            rows.append([step, year, t.text("pathway.kind_region"), site, region, "", "", source])
        for key, value in supply:
            rows.append([step, year, t.text("pathway.kind_supply"), key, value, "", "", source])
        for pid, value, _ in settings:
            workbook, unit = context.workbook_values.get(pid, (None, ""))
            rows.append([step, year, t.text("pathway.kind_parameter"), pid, value, unit, workbook, source])
        if not (settings or supply or regions):
            rows.append([step, year, "", "", "", "", "", source])

    b = run.baseline
    add(t.text("pathway.baseline_row"), b.year, b.source, b.settings, b.supply, b.regions)
    for lever in run.levers:
        add(lever.name, lever.year, lever.source, lever.settings, lever.supply, lever.regions)
    formats = ["@", "0", "@", "@", "#,##0.0####", "@", "#,##0.0####", "@"]
    w.table(header, rows, formats, freeze=True)
    w.wrap(4)
    w.wrap(8)
    w.widths({1: 26, 2: 7, 3: 12, 4: 30, 5: 12, 6: 16, 7: 14, 8: 70})


def _provenance(book, run, t, context: PathwayContext) -> None:
    from pathlib import Path

    sheet = book.create_sheet(t.text("sheets.provenance"))
    w = SheetWriter(sheet, t)
    w.title(t.text("provenance.title"))
    w.pairs([(t.text("provenance.command"), context.command), (t.text("provenance.generated"), context.date),
             (t.text("provenance.tool"), context.tool), (t.text("pathway.file"), Path(run.path).name),
             (t.text("provenance.fingerprint"), run.fingerprint)], "yyyy-mm-dd")
    w.wrap(2)
    w.widths({1: 34, 2: 100})


def build_pathway_report(run, templates, context: PathwayContext) -> Workbook:
    book = Workbook()
    _summary(book, run, templates, context)
    _assumptions(book, run, templates, context)
    _provenance(book, run, templates, context)
    data = book[templates.text("pathway.sheet_chart_data")]
    book.move_sheet(data, offset=len(book.sheetnames) - 1 - book.sheetnames.index(data.title))
    return book
