"""The sheets a report's numbers rest on: Assumptions (the parameters in force), Data sources
(every exchange used, with its source, and the characterisation factors), Methodology and
Provenance (how to regenerate the report). Each takes the facts of lca.report.build (the
placeholder values of the templates)."""

from __future__ import annotations

import platform
from importlib import metadata

from lca import __version__
from lca.choices import SubjectKind
from lca.report.sheets import SheetWriter

__all__ = ["parameters_sheet", "sources_sheet", "methodology_sheet", "provenance_sheet"]


def parameters_sheet(sheet, evidence, templates, facts: dict) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates, header=facts["company"])
    w.title(t("parameters.title"))
    w.note(t("parameters.note"))
    keys = ("database", "name", "value", "unit", "formula", "minimum", "maximum", "distribution", "source")
    phrases = {k: templates.raw(f"parameters.distribution_{k}")
               for k in ("lognormal", "normal", "uniform", "triangular", "truncated")}
    rows = [(p.database, p.name, p.amount, p.unit, p.formula or None, p.minimum, p.maximum,
             (p.shape.describe(phrases) if p.shape is not None else p.distribution) or None, p.source)
            for p in evidence.parameters]
    flags = tuple(i for i, p in enumerate(evidence.parameters) if "UNVERIFIED" in p.source)
    fmt = templates.layout["number_formats"]["parameter"]
    w.table([t(f"parameters.{k}") for k in keys], rows, [None, None, fmt, None, None, fmt, fmt], flags=flags,
            freeze=True)
    w.wrap(9)
    w.widths(fixed={9: 90}, cap=40)


def sources_sheet(sheet, evidence, templates, facts: dict) -> None:
    t = lambda key: templates.text(key, **facts)  # noqa: E731
    w = SheetWriter(sheet, templates, header=facts["company"])
    w.title(t("sources.title"))
    w.note(t("sources.note"))
    keys = ("database", "activity", "location", "stage", "type", "flow", "amount", "unit", "per", "source")
    rows = [(e.database, e.activity, e.location, templates.stage(e.stage) or None, e.type, e.flow, e.amount, e.unit,
             e.activity_unit, e.source) for e in evidence.exchanges]
    flags = tuple(i for i, e in enumerate(evidence.exchanges) if e.unverified)
    top, _ = w.table([t(f"sources.{k}") for k in keys], rows, [None] * 6 + ["General"], flags=flags, freeze=True)
    sheet.auto_filter.ref = f"A{top}:J{top + len(rows)}"
    w.heading(t("sources.factors_title"))
    w.table([t(f"sources.factor_{k}") for k in ("flow", "compartment", "value", "unit")],
            [(f.flow, f.compartment, f.factor, f"{facts['unit']} / {f.unit}") for f in evidence.factors],
            [None, None, "General"])
    w.wrap(10)
    w.widths(fixed={10: 100}, cap=36)


def methodology_sheet(sheet, subject, templates, facts: dict, uncertain: bool = False) -> None:
    w = SheetWriter(sheet, templates, header=facts["company"])
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
    w = SheetWriter(sheet, templates, header=facts["company"])
    w.title(t("provenance.title"))
    packages = ", ".join(f"{name} {_version(name)}" for name in ("bw2data", "bw2calc", "bw2io", "openpyxl"))
    w.pairs([(t("provenance.command"), context.command), (t("provenance.generated"), context.date, "yyyy-mm-dd"),
             (t("provenance.tool"), f"lca-cfp {__version__}"), (t("provenance.python"), platform.python_version()),
             (t("provenance.packages"), packages), (t("provenance.inventories"), str(context.inventories)),
             (t("provenance.fingerprint"), context.fingerprint)]
            + ([(t("provenance.ledger"), f"{context.ledger[0]} (SHA-256 {context.ledger[1]})")] if context.ledger
               else []))
    w.table([t("provenance.workbook"), t("provenance.sha256")], list(context.workbooks))
    w.table([t("provenance.templates"), t("provenance.sha256")], list(templates.fingerprints()))
    w.table([t("provenance.option"), t("provenance.value")], list(context.options))
    w.widths(fixed={1: 36, 2: 90})


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"
