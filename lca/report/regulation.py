"""The report's Battery Regulation sheet: the EU Battery Regulation (EU) 2023/1542 view of a
product under it (lca.analysis.battery_regulation), for each column (scenario) of the report.
Written only for a product with a ``battery regulation`` row; every text comes from the templates
(``[regulation]``)."""

from __future__ import annotations

from lca.output.battery_regulation import stage_key
from lca.output.records import rounded
from lca.report.sheets import SheetWriter

__all__ = ["regulation_sheet", "regulation_statement"]


def _metal(templates, metal: str) -> str:
    return templates.text(f"regulation.metal_{metal}")


def _stage(templates, stage: str) -> str:
    return templates.text(f"regulation.stage_{stage_key(stage)}")


def _listed(templates, items) -> str:
    return str(templates.raw("regulation.list_separator")).join(items)


def _percent(share: float) -> str:
    return f"{share * 100:.3g} %"


def regulation_statement(view, templates) -> str:
    """The plain sentence of ``view`` in the report's language: the minimums missed, the metals meeting all."""
    t = templates.text
    if not view.recycled_content:
        absent = _listed(templates, (_metal(templates, m) for m in view.not_in_product))
        return t("regulation.statement_none", metals=absent)
    missed = [c for c in view.recycled_content if c.missed]
    met = _listed(templates, (_metal(templates, c.metal) for c in view.recycled_content if not c.missed))
    if not missed:
        return t("regulation.statement_meets", metals=met)
    items = str(templates.raw("regulation.item_separator")).join(
        t("regulation.statement_item", metal=_metal(templates, c.metal), share=_percent(c.share),
          minimums=str(templates.raw("regulation.minimum_separator")).join(
              t("regulation.statement_minimum", minimum=_percent(m.minimum), date=m.applies_from.isoformat())
              for m in c.missed))
        for c in missed)
    text = t("regulation.statement_misses", items=items)
    return text + (" " + t("regulation.statement_also_meets", metals=met) if met else "")


def regulation_sheet(sheet, subject, templates, facts: dict, fmt: str) -> None:
    """The sheet: recycled content against the Article 8 minimums, then the footprint by life-cycle stage."""
    t = lambda key, **more: templates.text(f"regulation.{key}", **{**facts, **more})  # noqa: E731
    share_format = templates.layout["number_formats"]["share"]
    w = SheetWriter(sheet, templates)
    columns = subject.regulation  # ((column label, view), ...)
    first = columns[0][1]
    w.title(t("title", regulation=first.regulation))
    w.note(t("source", source=t("source_citation", source=first.source)))
    dates = first.dates
    w.heading(t("recycled_heading"))
    w.note(t("recycled_note"))
    rows = []
    for label, view in columns:
        for content in view.recycled_content:
            checks = {m.applies_from: m for m in content.minimums}
            row = [label, _metal(templates, content.metal), rounded(content.share), rounded(content.recycled_kg),
                   rounded(content.total_kg)]
            for day in dates:
                check = checks.get(day)
                row += [check.minimum if check else None, (t("met") if check.met else t("missed")) if check else None]
            rows.append(row)
    header = [t("column_scenario"), t("column_metal"), t("column_share"), t("column_recycled_kg"),
              t("column_total_kg")]
    for day in dates:
        header += [t("column_minimum", date=day.isoformat()), t("column_status", date=day.isoformat())]
    w.table(header, rows, [None, None, share_format, "#,##0.0000", "#,##0.0000"] + [share_format, None] * len(dates))
    absent = first.not_in_product
    if absent:
        w.note(t("not_in_product", metals=_listed(templates, (_metal(templates, m) for m in absent))))
    for label, view in columns:
        w.paragraph(label, regulation_statement(view, templates), width=44)
    w.heading(t("footprint_heading"))
    w.note(t("footprint_note"))
    stage_rows = []
    for index, stage in enumerate(first.stages):
        cells = [_stage(templates, stage.stage)]
        for _, view in columns:
            score = view.stages[index].score
            cells.append(t("not_modelled") if score is None else rounded(score))
        cells.append(_listed(templates, (templates.stage(p) for p in stage.parts)))
        stage_rows.append(cells)
    stage_rows.append([t("total")] + [rounded(view.total) for _, view in columns] + [""])
    w.table([t("column_stage")] + [label for label, _ in columns] + [t("column_parts")], stage_rows,
            [None] + [fmt] * len(columns), totals=(len(stage_rows) - 1,))
    if first.not_modelled:
        w.note(t("not_modelled_note", stages=_listed(templates, (_stage(templates, s) for s in first.not_modelled))))
    w.paragraph(t("limits_heading"), t("limits"), width=44)
    w.widths(fixed={1: 44})
