"""The sheets a report's numbers rest on: Assumptions (the parameters in force), Data sources
(every exchange used, with its source, and the characterisation factors), Methodology and
Provenance (how to regenerate the report). Each takes the facts of lca.report.build (the
placeholder values of the templates)."""

from __future__ import annotations

import platform
from importlib import metadata

from openpyxl.styles import Alignment

from lca import __version__
from lca.choices import SubjectKind
from lca.paths import shipped_inventories
from lca.report.citation import citation
from lca.report.sheets import SIGNIFICANT, SheetWriter

__all__ = ["parameters_sheet", "sources_sheet", "methodology_sheet", "provenance_sheet", "inventories_text"]


def parameters_sheet(sheet, evidence, templates, facts: dict) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates)
    w.title(t("parameters.title"))
    w.note(t("parameters.note"), span=9)
    w.note(t("sources.citation_note"), span=9)
    keys = ("database", "name", "value", "unit", "formula", "minimum", "maximum", "distribution", "source")
    phrases = {k: templates.raw(f"parameters.distribution_{k}")
               for k in ("lognormal", "normal", "uniform", "triangular", "truncated")}
    rows = [(p.database, p.name, p.amount, p.unit, p.formula or None, p.minimum, p.maximum,
             (p.shape.describe(phrases) if p.shape is not None else p.distribution) or None,
             citation(p.source, templates.raw("citation"))) for p in evidence.parameters]
    flags = tuple(i for i, p in enumerate(evidence.parameters) if "UNVERIFIED" in p.source)
    fmt = templates.layout["number_formats"]["parameter"]
    top, last = w.table([t(f"parameters.{k}") for k in keys], rows, [None, None, fmt, None, None, fmt, fmt],
                        flags=flags, freeze=True)
    for column in (1, 2, 4, 5, 8, 9):
        w.wrap(column)
    _unit_column(sheet, 4, top + 1, last)
    # about 165 width units in all: one landscape page wide at a readable size (fit to width shrinks wider sheets)
    w.widths(fixed={1: 12, 2: 24, 3: 11, 4: 13, 5: 18, 6: 10, 7: 10, 8: 18, 9: 46})


def sources_sheet(sheet, evidence, templates, facts: dict) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates)
    w.title(t("sources.title"))
    w.note(t("sources.note"), span=10)
    w.note(t("sources.citation_note"), span=10)
    keys = ("database", "activity", "location", "stage", "type", "flow", "amount", "unit", "per", "source")
    rows = [(e.database, e.activity, e.location, templates.stage(e.stage) or None, e.type, e.flow, e.amount, e.unit,
             e.activity_unit, citation(e.source, templates.raw("citation"))) for e in evidence.exchanges]
    flags = tuple(i for i, e in enumerate(evidence.exchanges) if e.unverified)
    significant = [None] * 6 + [SIGNIFICANT]
    top, last = w.table([t(f"sources.{k}") for k in keys], rows, significant, flags=flags, freeze=True)
    sheet.auto_filter.ref = f"A{top}:J{top + len(rows)}"
    w.heading(t("sources.factors_title"))
    w.table([t(f"sources.factor_{k}") for k in ("flow", "compartment", "value", "unit")],
            [(f.flow, f.compartment, f.factor, f"{facts['unit']} / {f.unit}") for f in evidence.factors],
            [None, None, SIGNIFICANT])
    for column in (1, 2, 4, 6, 8, 9, 10):
        w.wrap(column)
    _unit_column(sheet, 8, top + 1, last)
    w.widths(fixed={1: 14, 2: 24, 3: 10, 4: 14, 5: 11, 6: 24, 7: 11, 8: 11, 9: 9, 10: 44})


def _unit_column(sheet, column: int, first: int, last: int) -> None:
    """Units start one indent from the number before them ("0.007  kg Cu", not "0.007kg Cu")."""
    for (cell,) in sheet.iter_rows(min_col=column, max_col=column, min_row=first, max_row=last):
        if isinstance(cell.value, str):
            cell.alignment = Alignment(horizontal="left", vertical="top", indent=1, wrap_text=True)


def methodology_sheet(sheet, subject, templates, facts: dict, uncertain: bool = False) -> None:
    w = SheetWriter(sheet, templates)
    w.title(templates.text("methodology.title", **facts))
    variants = (subject.id, subject.kind) if subject.kind == SubjectKind.COMPARISON else (SubjectKind.PRODUCT.value,)
    topics = ("functional_unit", "boundary", "cutoff", "recycling", "method", "data_quality", "limitations")
    for topic in topics + (("uncertainty",) if uncertain else ()) + ("iso14067",):
        text = templates.variant(f"methodology.{topic}", variants, **facts)
        if topic == "method":
            text += "\n" + templates.text("methodology.factors_note", **facts)
        if topic == "recycling" and facts["allocation_key"] != "cut_off":
            text += "\n" + templates.text("methodology.allocation_note", **facts)
        w.paragraph(templates.text(f"methodology.{topic}.heading", **facts), text)
    w.widths(fixed={1: 110})


def provenance_sheet(sheet, templates, facts: dict, context) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates)
    w.title(t("provenance.title"))
    packages = ", ".join(f"{name} {_version(name)}" for name in ("bw2data", "bw2calc", "bw2io", "openpyxl"))
    w.pairs([(t("provenance.command"), context.command), (t("provenance.generated"), context.date, "yyyy-mm-dd"),
             (t("provenance.tool"), f"lca-cfp {__version__}"), (t("provenance.python"), platform.python_version()),
             (t("provenance.packages"), packages),
             (t("provenance.inventories"), inventories_text(context.inventories, templates, facts)),
             (t("provenance.fingerprint"), context.fingerprint)]
            + ([(t("provenance.ledger"), f"{context.ledger[0]} (SHA-256 {context.ledger[1]})")] if context.ledger
               else []))
    w.table([t("provenance.workbook"), t("provenance.sha256")], list(context.workbooks))
    w.table([t("provenance.templates"), t("provenance.sha256")], list(templates.fingerprints()))
    w.table([t("provenance.option"), t("provenance.value")], list(context.options))
    w.widths(fixed={1: 36, 2: 90})


def inventories_text(folder, templates, facts: dict) -> str:
    """The inventory folder as the customer may read it: the shipped inventories by the tool's name,
    another folder by its name only (the fingerprint identifies its content; the path would show
    the user's folders)."""
    from pathlib import Path

    folder = Path(folder)
    if folder.resolve() == shipped_inventories().resolve():
        return templates.text("provenance.inventories_shipped", **facts)
    return templates.text("provenance.inventories_named", **{**facts, "folder": folder.name})


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"
