"""The report's uncertainty parts: Monte Carlo rows on the Summary, and the Sensitivity sheet
(tornado table with its bar chart, Sobol indices). Written only when the report is asked for them."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference

from lca.output.results import rounded
from lca.report.sheets import SheetWriter

__all__ = ["uncertainty_facts", "summary_uncertainty", "sensitivity_sheet", "TORNADO_ROWS"]

TORNADO_ROWS = 12  # parameters in the chart; the table lists all


def uncertainty_facts(uncertainty, sensitivity, templates) -> dict[str, str]:
    """Placeholders for the texts; empty values when the report has no such part."""
    facts = {"iterations": "", "seed": "", "sampled_parameters": "", "sampled_exchanges": "", "reference_id": "",
             "alternative_id": "", "difference_value": "", "samples": "", "evaluations": "",
             "uncertainty_statement": ""}
    statements = []
    if uncertainty is not None:
        facts.update(iterations=f"{uncertainty.iterations:,}", seed=str(uncertainty.seed),
                     sampled_parameters=str(uncertainty.uncertain_parameters),
                     sampled_exchanges=str(uncertainty.uncertain_exchanges))
        statements.append(templates.text("methodology.statement_monte_carlo", iterations=facts["iterations"],
                                         seed=facts["seed"]))
    if sensitivity is not None:
        evaluations = sensitivity.samples * (len(sensitivity.sobol) + 2) if sensitivity.sobol else 0
        facts.update(reference_id=sensitivity.reference[0], alternative_id=sensitivity.alternative[0],
                     difference_value=f"{sensitivity.difference:,.1f}", samples=str(sensitivity.samples),
                     evaluations=f"{evaluations:,}")
        statements.append(templates.text("methodology.statement_sensitivity", parameters=str(len(sensitivity.tornado))))
    facts["uncertainty_statement"] = " ".join(statements)
    return facts


def summary_uncertainty(w: SheetWriter, book, sheet, result, templates, facts: dict, fmt: str, name,
                        labels: tuple[str, str], item: str) -> None:
    """Rows under the headline table: deterministic, mean and 95 % interval of each route and of the
    difference, and the probability that the alternative is lower. ``name`` defines a workbook name;
    ``labels`` name the two routes or scenarios as the headline table does, under the header ``item``."""
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w.heading(t("summary.uncertainty"))
    w.note(t("summary.uncertainty_note"))
    rows = []
    items = ((labels[0], result.reference[2]), (labels[1], result.alternative[2]),
             (t("summary.difference"), result.difference))
    for label, stats in items:
        rows.append((label, rounded(stats.static), rounded(stats.mean), rounded(stats.p2_5), rounded(stats.p97_5)))
    top, _ = w.table([item, t("summary.column_deterministic"), t("summary.column_mean"),
                      t("summary.column_p2_5"), t("summary.column_p97_5")], rows, [None, fmt, fmt, fmt, fmt])
    for label, stats in items:
        if not stats.inside:
            w.note(templates.text("summary.outside_interval", item=label, value=f"{stats.static:,.1f}",
                                  low=f"{stats.p2_5:,.1f}", high=f"{stats.p97_5:,.1f}"))
    name("CFP_difference_p2_5", sheet, top + 3, 4)
    name("CFP_difference_p97_5", sheet, top + 3, 5)
    w.pairs([(t("summary.probability_lower"), round(result.probability_lower, 4),
              templates.layout["number_formats"]["share"])])
    name("CFP_probability_lower", sheet, w.row - 2, 2)


def sensitivity_sheet(sheet, result, templates, facts: dict, fmt: str = "#,##0.0") -> None:
    """The tornado chart and table, and the Sobol indices; scores in ``fmt`` (the report's format)."""
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates)
    w.title(t("sensitivity.title"))
    w.note(t("sensitivity.note"))
    # chart first (it fits the first page): the change of the difference at each end, for the largest swings
    shown = list(result.tornado[:TORNADO_ROWS])[::-1]  # a bar chart draws its first category at the bottom
    data_top = w.row
    w.cell(data_top, 1, t("sensitivity.parameter"), italic=True)
    w.cell(data_top, 2, t("sensitivity.series_low"), italic=True)
    w.cell(data_top, 3, t("sensitivity.series_high"), italic=True)
    for offset, r in enumerate(shown, start=1):  # a bar is named by what the parameter is, not its id
        w.cell(data_top + offset, 1, templates.parameter(r.parameter), italic=True)
        w.cell(data_top + offset, 2, rounded(r.difference_low - result.difference), fmt)
        w.cell(data_top + offset, 3, rounded(r.difference_high - result.difference), fmt)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "bar", "clustered", 100, 40
    chart.title = t("sensitivity.chart_title")
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # parameter names at the left edge, clear of bars that go negative
    chart.y_axis.numFmt = fmt
    chart.width, chart.height = 2 * templates.layout["chart"]["width_cm"], max(8.0, 0.7 * len(shown) + 4)
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=data_top, max_row=data_top + len(shown)),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=data_top + 1, max_row=data_top + len(shown)))
    colours = templates.layout["colours"]  # two hues told apart in colour-blind vision too (blue, orange)
    for series, colour in zip(chart.series, (colours["tornado_low"], colours["tornado_high"]), strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.legend.position = "b"
    sheet.add_chart(chart, f"E{data_top}")
    w.row = data_top + max(len(shown) + 2, int(chart.height / 0.5) + 2)  # the chart spans about 0.5 cm a row

    score, fmt = fmt, templates.layout["number_formats"]["parameter"]
    # the description last: the columns before it keep their places (links and readers of earlier reports)
    keys = ("parameter", "unit", "value", "low", "high", "difference_low", "difference_high", "swing", "description")
    rows = [(r.parameter, r.unit, rounded(r.value), rounded(r.low), rounded(r.high), rounded(r.difference_low),
             rounded(r.difference_high), rounded(r.swing), _described(templates, r.parameter)) for r in result.tornado]
    w.table([t(f"sensitivity.{k}") for k in keys], rows, [None, None, fmt, fmt, fmt, score, score, score])
    if result.sobol:
        w.heading(t("sensitivity.sobol_title"))
        w.note(t("sensitivity.sobol_note"))
        keys = ("parameter", "first_order", "first_order_conf", "total", "total_conf", "description")
        w.table([t(f"sensitivity.{k}") for k in keys],
                [(r.parameter, round(r.first, 4), round(r.first_conf, 4), round(r.total, 4), round(r.total_conf, 4),
                  _described(templates, r.parameter)) for r in result.sobol],
                [None, "0.000", "0.000", "0.000", "0.000"])
    w.wrap(6)
    w.wrap(9)
    w.widths(fixed={1: 40, 9: 36}, cap=24)


def _described(templates, parameter: str) -> str | None:
    """The parameter's description for the tables (none where the workbooks give none)."""
    text = templates.parameter(parameter)
    return None if text == parameter else text
