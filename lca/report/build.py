"""The customer report: one Excel workbook for a comparison or a product, from computed results.

Sheets: Summary (headline numbers, saving for the customer's quantity, conclusion),
Routes or Product (stage or part breakdown with a stacked bar chart), Battery Regulation (for a
product under the EU Battery Regulation: lca.report.regulation), Assumptions (parameters
in force), Data sources (every exchange used, with its source, and the characterisation
factors), Methodology, Provenance (how to regenerate it) and, for a mass-balance delivery, the
statement. All wording comes from the templates in ``reports/``. The numbers written are the
same rounded values as ``--format json`` prints, and the headline cells carry defined names
(``CFP_reference``, ``CFP_alternative``, ``CFP_difference``, ``CFP_relative``, ``CFP_quantity``,
``CFP_saving``) so other workbooks can link to them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from lca import __version__
from lca.analysis.calculate import Comparison
from lca.brightway.methods import Method
from lca.choices import SubjectKind
from lca.output.results import rounded
from lca.report.annex import methodology_sheet, parameters_sheet, provenance_sheet, sources_sheet
from lca.report.regulation import regulation_sheet
from lca.report.sheets import SheetWriter, display_width
from lca.report.uncertainty import sensitivity_sheet, summary_uncertainty, uncertainty_facts
from lca.subjects.changes import settings_text

_COLUMN = 24  # width of a column of the breakdown
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")

__all__ = ["Column", "Subject", "ReportContext", "comparison_subject", "product_subject", "build_report"]


@dataclass(frozen=True)
class Column:
    """One route, supply mix or scenario: a column of the breakdown, a bar of the chart."""

    id: str
    label: str
    total: float
    parts: tuple[tuple[str, float], ...]
    share: float | None = None  # a supply blend's share of the alternative route
    short: str = ""  # the name under its bar in the chart (default: the label)
    quality: object = None  # lca.dataquality.DataQuality of this column, or None


@dataclass(frozen=True)
class Subject:
    """What the report is about, independent of how it was computed."""

    kind: SubjectKind
    id: str  # comparison id (copper) or product id
    title: str
    functional_unit: str
    per: str  # short functional unit for headers: "t", "unit", "kilowatt hour"
    unit: str  # the method's unit, kg CO2-Eq
    method: Method
    columns: tuple[Column, Column]  # reference, alternative
    blends: tuple[Column, ...] = ()
    extras: tuple[tuple[str, tuple[float, ...]], ...] = ()  # product: quantity label, value per column
    quantity_unit: str = "t"
    per_quantity: float = 1.0  # functional units per quantity unit
    regulation: tuple = ()  # ((column label, BatteryRegulationView), ...) for a product under the battery regulation

    @property
    def difference(self) -> tuple[float, float | None]:
        first, second = self.columns[0].total, self.columns[1].total
        return first - second, ((first - second) / first if first else None)

    def saving_t(self, total: float, quantity: float) -> float:
        """(reference minus ``total``) for ``quantity``, in t CO2-eq (scores are kg CO2-eq)."""
        return (self.columns[0].total - total) * quantity * self.per_quantity / 1000.0


@dataclass(frozen=True)
class ReportContext:
    """Who it is for and how it was made (Provenance)."""

    customer: str
    quantity: float
    date: dt.date
    command: str
    options: tuple[tuple[str, str], ...]
    inventories: Path
    fingerprint: str
    workbooks: tuple[tuple[str, str], ...]  # (file name, SHA-256)
    ledger: tuple[str, str] | None = None  # (file name, SHA-256)
    parameters: tuple = ()  # ((parameter id, value, origin), ...) changed for this report
    allocation: object = None  # lca.allocation.Allocation; None is the inventory as modelled (cut-off)
    allocation_formula: str = ""  # how the recycled route was formed, with the numbers
    byproducts: object = None  # lca.byproducts.ByproductStatement of the run (None: not stated)
    preparer: str = ""  # who prepared the report (--preparer or house.company); '' when not stated


def comparison_subject(result: Comparison, templates, *, unit: str, mass_units: dict[str, float],
                       quality: dict | None = None) -> Subject:
    """A comparison whose functional unit is one ``unit`` of product (for a mass unit, the
    customer's quantity is in t; otherwise in that unit)."""
    reference_id, alternative_id = result.routes[0].id, result.routes[1].id

    def column(route) -> Column:
        label = templates.route(result.comparison, route.id, route.label)
        short = templates.route_short(result.comparison, route.id, route.label)
        if route.share is not None:
            label = short = templates.text(
                "breakdown.blend", alternative_id=alternative_id, reference_id=reference_id,
                alternative_short=names[alternative_id], reference_short=names[reference_id],
                alternative_share=f"{route.share:.0%}", reference_share=f"{1 - route.share:.0%}")
        return Column(route.id, label, route.total, route.stages, route.share, short, (quality or {}).get(route.id))

    names = {r.id: templates.route_short(result.comparison, r.id, r.label) for r in result.routes}
    if unit in mass_units:
        per = "t" if unit == "metric ton" else templates.unit(unit)
        quantity_unit, per_quantity = "t", 1000.0 / mass_units[unit]
    else:
        per = quantity_unit = templates.unit(unit)
        per_quantity = 1.0
    reference, alternative = (column(r) for r in result.routes)
    functional_unit = templates.functional_unit(result.functional_unit)
    return Subject(kind=SubjectKind.COMPARISON, id=result.comparison,
                   title=templates.subject(result.comparison, functional_unit),
                   functional_unit=functional_unit, per=per, unit=templates.unit(result.unit), method=result.method,
                   columns=(reference, alternative), blends=tuple(column(b) for b in result.blends),
                   quantity_unit=quantity_unit, per_quantity=per_quantity)


def product_subject(base, alternative, templates, *, method: Method, unit: str, qualities=(None, None)) -> Subject:
    """A product under the conventional scenario and the chosen one (``qualities``: their DataQuality)."""
    def column(result, short: str, quality=None):
        key = "-".join(f"{c.value:g}" if c.route is None else c.route for c in result.scenario.choices)
        return Column(key, templates.scenario(result.scenario), result.total, result.parts,
                      short=templates.text(f"breakdown.{short}"), quality=quality)

    extras = [(templates.quantity(key, label), (kg, other))  # those the product draws on
              for (key, label, kg), (_, _, other) in zip(base.quantities, alternative.quantities, strict=True)
              if kg or other]
    # under the bars: which supply, in two words; the table above names each scenario's choices
    columns = (column(base, "scenario_reference", qualities[0]), column(alternative, "scenario_alternative",
                                                                        qualities[1]))
    regulation = tuple((c.label, r.regulation) for c, r in zip(columns, (base, alternative), strict=True)
                       if r.regulation is not None)
    title, per = templates.product(base.product, base.label), templates.unit(base.unit)
    return Subject(kind=SubjectKind.PRODUCT, id=base.product, title=title,
                   functional_unit=templates.text("summary.functional_unit_product", unit=per, product=title),
                   per=per, unit=templates.unit(unit), method=method, columns=columns,
                   extras=tuple(extras), quantity_unit=per, per_quantity=1.0, regulation=regulation)


def _decimals(subject: Subject) -> int:
    """Decimals of the scores in the texts: those the tables show (reports/layout.toml number_formats)."""
    return 1 if max(abs(c.total) for c in subject.columns) >= 100 else 3


def _number_text(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _named(name: str, english: bool) -> str:
    """A name as it reads inside a sentence: in English 'Scrap-derived cathode' -> 'scrap-derived cathode'
    (left as is when its second letter is a capital or a digit: 'NiSO4', 'PEF')."""
    if english and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _facts(subject: Subject, evidence, templates, context: ReportContext) -> dict[str, str]:
    """The placeholder values every template text may use."""
    decimals = _decimals(subject)
    absolute, relative = subject.difference
    reference, alternative = subject.columns
    english = templates.language == "en"
    sentence = lambda c: c.label if subject.kind == SubjectKind.PRODUCT else (c.short or c.label)  # noqa: E731
    return {
        "company": context.preparer, "customer": context.customer, "date": context.date.isoformat(),
        "subject": subject.title, "functional_unit": subject.functional_unit, "per": subject.per,
        "method": " | ".join(subject.method.name), "method_id": subject.method.id,
        "method_label": subject.method.label.removesuffix(" (default)"), "unit": subject.unit,
        "per_name": templates.text("summary.tonne") if subject.per == "t" else subject.per,
        "reference_name": _named(sentence(reference), english),
        "alternative_name": _named(sentence(alternative), english),
        "reference_short": reference.short or reference.label,
        "alternative_short": alternative.short or alternative.label,
        "allocation": templates.text(f"summary.allocation_name_{_allocation_key(context)}"),
        "allocation_key": _allocation_key(context),
        "allocation_parameters": context.allocation.parameters_text() if context.allocation else "",
        "allocation_formula": context.allocation_formula,
        "reference": subject.columns[0].label, "alternative": subject.columns[1].label,
        "reference_total": _number_text(subject.columns[0].total, decimals),
        "alternative_total": _number_text(subject.columns[1].total, decimals),
        "difference": _number_text(abs(absolute), decimals),
        "relative": f"{abs(relative) * 100:.1f} %" if relative is not None else "-",
        "quantity": f"{context.quantity:,g}", "quantity_unit": subject.quantity_unit,
        "saving": _number_text(subject.saving_t(subject.columns[1].total, context.quantity), 3),
        "unverified_count": str(evidence.unverified_count), "exchange_count": str(len(evidence.exchanges)),
        "parameter_count": str(len(evidence.parameters)), "tool": f"lca-cfp {__version__}",
    }


def _byproducts_text(statement, templates) -> str:
    """The by-product allocation in the report's language: the approach, then each process's factor."""
    if statement.approach is None:
        return templates.text("summary.byproducts_undeclared")
    parts = [f"{templates.stage(p.stage or p.name)} "
             + (templates.text("summary.byproducts_fixed") if p.preallocated else f"{p.factor:.3f}")
             for p in statement.processes]
    text = templates.text(f"summary.byproducts_{statement.approach.value}")
    return text + (" " + templates.text("summary.byproducts_factors", factors="; ".join(parts)) if parts else "")


def _allocation_key(context: ReportContext) -> str:
    return context.allocation.key if context.allocation is not None else "cut_off"


def _name(book, name: str, sheet, row: int, column: int) -> None:
    ref = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(sheet.cell(row=row, column=column).coordinate)}"
    book.defined_names[name] = DefinedName(name, attr_text=ref)


def _summary(book, sheet, subject: Subject, templates, facts: dict, context: ReportContext, fmt: str,
             uncertainty=None) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates)
    w.title(t("summary.title"))
    changed = settings_text(context.parameters)
    preparer = context.preparer or t("summary.preparer_not_stated")
    w.pairs([(t("summary.prepared_for"), context.customer), (t("summary.prepared_by"), preparer),
             (t("summary.date"), context.date, "yyyy-mm-dd"), (t("summary.functional_unit"), subject.functional_unit),
             (t("summary.method"), f"{facts['method_label']} ({facts['method']})"),
             (t("summary.allocation"), t(f"summary.allocation_{_allocation_key(context)}"))]
            + ([(t("summary.byproducts"), _byproducts_text(context.byproducts, templates))]
               if context.byproducts is not None else [])
            + ([(t("summary.parameters_changed"), changed)] if changed else []), span=5)
    w.heading(t("summary.headline"))
    item = t("summary.column_item_product" if subject.kind == SubjectKind.PRODUCT else "summary.column_item")
    reference, alternative = subject.columns
    absolute, relative = subject.difference
    share = lambda c: rounded(c.total / reference.total, 4) if reference.total else None  # noqa: E731
    rows = [(reference.label, rounded(reference.total), share(reference)),
            (alternative.label, rounded(alternative.total), share(alternative)),
            (t("summary.difference"), rounded(absolute), rounded(relative, 4)),
            (t("summary.quantity"), context.quantity, None),
            (t("summary.saving"), rounded(subject.saving_t(alternative.total, context.quantity)), None)]
    top, _ = w.table([item, t("summary.column_cfp"), t("summary.column_share")], rows,
                     [None, fmt, templates.layout["number_formats"]["share"]], totals=(2,))
    sheet.cell(row=top + 4, column=2).number_format = "#,##0.###"
    sheet.cell(row=top + 5, column=2).number_format = templates.layout["number_formats"]["tonnes"]
    for offset, name in enumerate(("CFP_reference", "CFP_alternative", "CFP_difference"), start=1):
        _name(book, name, sheet, top + offset, 2)
    _name(book, "CFP_relative", sheet, top + 3, 3)
    _name(book, "CFP_quantity", sheet, top + 4, 2)
    _name(book, "CFP_saving", sheet, top + 5, 2)
    if subject.blends:
        w.heading(t("summary.blends"))
        w.table([item, t("summary.column_cfp"), t("summary.blend_saving")],
                [(b.label, rounded(b.total), rounded(subject.saving_t(b.total, context.quantity)))
                 for b in subject.blends],
                [None, fmt, templates.layout["number_formats"]["tonnes"]])
    _summary_quality(w, subject, templates, item)
    if uncertainty is not None:
        summary_uncertainty(w, book, sheet, uncertainty, templates, facts, fmt,
                            lambda name, target, row, column: _name(book, name, target, row, column),
                            (reference.label, alternative.label), item)
    conclusion = "summary.conclusion_lower" if absolute > 0 else "summary.conclusion_higher"
    w.paragraph(t("summary.conclusion_heading"), t(conclusion), width=88)
    w.paragraph(t("summary.disclaimer"), t("house.disclaimer"), width=88)
    w.widths(fixed={1: 48, 2: 20, 3: 20, 4: 14, 5: 14})
    for row in w.paragraph_rows:  # the conclusion and disclaimer span the table's width
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)


def _summary_quality(w, subject: Subject, templates, item: str) -> None:
    """The data-quality table of the summary (lca.dataquality), when the columns carry one."""
    columns = [c for c in (*subject.columns, *subject.blends) if c.quality is not None]
    if not columns:
        return
    t = lambda key: templates.text(f"summary.{key}")  # noqa: E731
    share = templates.layout["number_formats"]["share"]
    rating = lambda value: None if value is None else round(value, 2)  # noqa: E731
    w.heading(t("data_quality"))
    w.table([item, t("column_dqr"), t("column_ter"), t("column_ger"), t("column_tir"), t("column_primary"),
             t("column_coverage")],
            [(c.label, rating(c.quality.dqr), rating(c.quality.technological), rating(c.quality.geographical),
              rating(c.quality.temporal), round(c.quality.primary_data_share, 4), round(c.quality.coverage, 4))
             for c in columns],
            [None, "0.00", "0.00", "0.00", "0.00", share, share])


def _breakdown(sheet, subject: Subject, templates, facts: dict, fmt: str) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    product = subject.kind == SubjectKind.PRODUCT
    w = SheetWriter(sheet, templates)  # printed on one page (layout.toml): the table and its chart together
    w.title(t("breakdown.title_product" if product else "breakdown.title_comparison"))
    columns = subject.columns + subject.blends
    parts = list(dict.fromkeys(p for c in columns for p, _ in c.parts))
    rows = [[templates.stage(p)] + [rounded(dict(c.parts).get(p, 0.0)) for c in columns] for p in parts]
    rows.append([t("breakdown.total")] + [rounded(c.total) for c in columns])
    header = [t("breakdown.column_part" if product else "breakdown.column_stage")] + [c.label for c in columns]
    top, last = w.table(header, rows, [None] + [fmt] * len(columns), totals=(len(rows) - 1,))
    sheet.freeze_panes = sheet.cell(row=top + 1, column=2)
    for label, values in subject.extras:
        w.cell(w.row - 1, 1, label, bold=True)
        for column, value in enumerate(values, start=2):
            w.cell(w.row - 1, column, rounded(value), "#,##0.0000")
        w.row += 1
    labels_row = w.row - 1  # short names for the chart's categories: the long labels crowd its axis
    w.cell(labels_row, 1, t("breakdown.chart_labels"), italic=True)
    names = [item.short or item.label for item in columns]
    for column, name in enumerate(names, start=2):  # wrapped in their own column, clear of the next one
        w.cell(labels_row, column, name, measure=False, italic=True).alignment = _WRAP_TOP
    w.row += 1
    w.widths(fixed={1: 42, **{c: _COLUMN for c in range(2, len(columns) + 2)}})
    lines = max(math.ceil(display_width(n) / (1.1 * (_COLUMN - 1))) for n in names)
    sheet.row_dimensions[labels_row].height = 13 * max(lines, 1) + 3

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "col", "stacked", 100, 60
    chart.title = t("breakdown.chart_title_product" if product else "breakdown.chart_title")
    chart.y_axis.title = t("breakdown.chart_axis")
    chart.y_axis.numFmt = "#,##0"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides both axes otherwise
    chart.width, chart.height = templates.layout["chart"]["width_cm"], templates.layout["chart"]["height_cm"]
    data = Reference(sheet, min_col=1, max_col=len(columns) + 1, min_row=top + 1, max_row=last - 1)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=len(columns) + 1, min_row=labels_row,
                                   max_row=labels_row))
    palette = templates.layout["colours"]["chart"]
    for index, series in enumerate(chart.series):
        series.graphicalProperties.solidFill = palette[index % len(palette)]
        series.graphicalProperties.line.solidFill = palette[index % len(palette)]
    chart.legend.position = "r"
    sheet.add_chart(chart, f"A{w.row + 1}")


def build_report(subject: Subject, evidence, templates, context: ReportContext, *,
                 statement: Callable[[Workbook, tuple[str, str, str]], None] | None = None, uncertainty=None,
                 sensitivity=None) -> Workbook:
    """The report workbook (not yet saved); ``uncertainty`` (lca.uncertainty.UncertaintyResult) and
    ``sensitivity`` (lca.sensitivity.Sensitivity) add their parts when given."""
    facts = _facts(subject, evidence, templates, context)
    facts.update(uncertainty_facts(uncertainty, sensitivity, templates))
    if sensitivity is not None:  # in the texts as in the tables
        facts["difference_value"] = _number_text(sensitivity.difference, _decimals(subject))
    fmt = templates.layout["number_formats"]["per_unit" if subject.kind == SubjectKind.PRODUCT else "per_tonne"]
    sheets = templates.texts["sheets"]
    book = Workbook()
    summary = book.active
    summary.title = sheets["summary"]
    _summary(book, summary, subject, templates, facts, context, fmt, uncertainty)
    sheet = sheets["product" if subject.kind == SubjectKind.PRODUCT else "routes"]
    _breakdown(book.create_sheet(sheet), subject, templates, facts, fmt)
    if subject.regulation:
        regulation_sheet(book.create_sheet(sheets["regulation"]), subject, templates, facts, fmt)
    if sensitivity is not None:
        sensitivity_sheet(book.create_sheet(sheets["sensitivity"]), sensitivity, templates, facts, fmt)
    if statement is not None:
        statement(book, (sheets["statement"], sheets["receipts"], sheets["trace"]))
    parameters_sheet(book.create_sheet(sheets["parameters"]), evidence, templates, facts)
    sources_sheet(book.create_sheet(sheets["sources"]), evidence, templates, facts)
    methodology_sheet(book.create_sheet(sheets["methodology"]), subject, templates, facts,
                 uncertain=uncertainty is not None or sensitivity is not None)
    provenance_sheet(book.create_sheet(sheets["provenance"]), templates, facts, context)
    book.properties.creator = f"lca-cfp {__version__}"
    book.properties.title = facts["subject"]
    fixed = dt.datetime.combine(context.date, dt.time())
    book.properties.created = book.properties.modified = fixed  # the same options give the same report
    return book
