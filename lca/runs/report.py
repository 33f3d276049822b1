"""`lca report`: the customer's Excel report of a comparison (this module) or of a product
(:mod:`lca.runs.report_product`), and the editable templates.

A report run checks the output file, the method and the templates before any Brightway work,
resolves everything once in one open session (the comparison, the parameter changes, the
allocation), computes the result, its data quality, the by-product statement, the evidence and,
when asked, the Monte Carlo and sensitivity analyses, then writes the workbook. The record of the
options (the Provenance sheet and its canonical command line) is built here, from the request and
the values chosen for it (the seed, the date, a product's supply).
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from lca.errors import ComparisonError, StatementRefused
from lca.rules import brief
from lca.runs.session import Changes, Session, Where, open_session

__all__ = ["ReportRequest", "ComparisonReportRequest", "ReportWritten", "TemplatesWritten", "comparison_report",
           "report_templates"]


@dataclass(frozen=True, kw_only=True)
class ReportRequest:
    """What every report takes: where it goes, for whom, in which language, and the analyses added."""

    output: str  # the workbook to write (.xlsx)
    overwrite: bool = False
    customer: str | None = None
    preparer: str | None = None  # who prepared it (None: house.company of the templates; '' or blank: not stated)
    lang: str = "en"
    method: str | None = None  # method id or name (None: the default)
    date: dt.date | None = None  # the report date (None: today)
    templates: str | None = None  # a folder of edited templates (None: the shipped ones)
    iterations: int | None = None  # paired Monte Carlo draws added to the Summary
    seed: int | None = None  # of the draws and the Sobol sample (the CLI chooses one when analyses are asked)
    sensitivity: bool = False
    samples: int = 512  # Sobol base sample size
    allocation: str = "cut-off"
    changes: Changes = Changes()


@dataclass(frozen=True, kw_only=True)
class ComparisonReportRequest(ReportRequest):
    comparison: str
    tonnes: float | None = None  # the customer's quantity (None: 1, or the delivery's tonnes)
    basis: str | None = None
    primary_route: str | None = None
    recycled_share: float | None = None  # one blend in place of the workbook's report shares
    ledger: str | None = None  # a mass-balance ledger: adds the statement of ``delivery``
    delivery: str | None = None


@dataclass(frozen=True)
class ReportWritten:
    kind: ClassVar[str] = "report"
    path: Path  # the workbook written


@dataclass(frozen=True)
class TemplatesWritten:
    kind: ClassVar[str] = "report-templates"
    paths: tuple[Path, ...]
    directory: str


@dataclass(frozen=True)
class Prepared:
    """What a report checks before any Brightway work."""

    method: object  # lca.brightway.methods.Method
    templates: object  # lca.report.templates.Templates
    date: dt.date
    preparer: str  # '' when not stated


def prepare(request: ReportRequest) -> Prepared:
    """The method and the templates, and the output file checked (OutputError) before any calculation."""
    from lca.brightway.methods import get_method
    from lca.report.templates import load_templates, resolve_templates
    from lca.xlsx import check_output

    method = get_method(request.method)
    templates = load_templates(resolve_templates(request.templates), request.lang)
    check_output(request.output, overwrite=request.overwrite)
    preparer = request.preparer if request.preparer is not None else templates.text("house.company")
    return Prepared(method, templates, request.date or dt.date.today(), " ".join(preparer.split()))


def shown_path(value: str | None) -> str | None:
    """A file or folder option as the report records it: its name only, so a report never shows
    the user's folders (the Provenance sheet identifies the files by their SHA-256)."""
    return Path(value).name if value and ("/" in value or "\\" in value) else value


def labelled(templates, session: Session):
    """``templates`` with the names the session's workbooks give in the report's languages
    (lca.subjects.labels: 'route label (ja)' rows, parameter 'label' columns)."""
    from lca.subjects.labels import workbook_labels

    return templates.with_labels(workbook_labels(session.graph, session.parametric))


def options_record(pairs) -> tuple[tuple[str, str], ...]:
    """(option, value text) of the options given or chosen, for the Provenance sheet."""
    return tuple((name, str(value)) for name, value in pairs if value not in (None, False))


def command_line(words: list[str], options) -> str:
    """The command that regenerates the report."""
    parts = list(words)
    for name, value in options:
        parts += [name] if value == "True" else [name, value]
    return shlex.join(parts)


def common_options(request: ReportRequest, prepared: Prepared, where: Where | None) -> tuple[list, list]:
    """(option pairs before, after the subject's own) of every report."""
    before = [("-o", shown_path(request.output)), ("--customer", request.customer), ("--preparer", request.preparer)]
    after = [("--method", prepared.method.id), ("--lang", request.lang), ("--date", prepared.date.isoformat()),
             ("--inventories", shown_path(where.inventories) if where else None),
             ("--templates", shown_path(request.templates))]
    changes = request.changes
    after += [("--allocation", request.allocation), ("--byproducts", changes.byproducts)]
    after += [("--scenario", shown_path(s)) for s in changes.scenarios] + [("--set", s) for s in changes.sets]
    if request.iterations or request.sensitivity:
        after += [("-n", request.iterations), ("--seed", request.seed), ("--sensitivity", request.sensitivity or None),
                  ("--samples", request.samples if request.sensitivity else None)]
    return before, after


def analyses(session: Session, request: ReportRequest, method, changes, transforms, **study) -> tuple:
    """(Monte Carlo result or None, sensitivity or None) of the report's subject; ``study``: the
    arguments of lca.analysis.uncertainty.study_for (subject, basis, primary_route, supply)."""
    if not request.iterations and not request.sensitivity:
        return None, None
    from lca.analysis.sensitivity import analyse
    from lca.analysis.uncertainty import run_uncertainty, study_for, system_for

    bd, parametric = session.bd, session.parametric
    chosen = study_for(bd, session.databases, **study, changes=changes, comparisons=session.comparisons,
                       products=session.products if "supply" in study else None)
    mc = run_uncertainty(bd, chosen, method, parametric, n=request.iterations, seed=request.seed, changes=changes,
                         transforms=transforms, allocation=request.allocation) if request.iterations else None
    sens = None
    if request.sensitivity:
        system = system_for(bd, chosen, method, parametric, changes, transforms)
        sens = analyse(system, subject=chosen.subject, functional_unit=chosen.functional_unit, method=method,
                       unit=session.method_unit(method), labels=chosen.labels, samples=request.samples,
                       seed=request.seed, settings=changes.settings if changes else ())
    return mc, sens


def write(request: ReportRequest, subject, evidence, templates, context, statement=None,
          found=(None, None)) -> ReportWritten:
    from lca.report.build import build_report
    from lca.xlsx import save_atomically

    book = build_report(subject, evidence, templates, context, statement=statement, uncertainty=found[0],
                        sensitivity=found[1])
    setup = templates.print_setup(book.sheetnames, preparer=context.preparer, title=subject.title)
    return ReportWritten(save_atomically(book, request.output, overwrite=request.overwrite, print_setup=setup))


def statement_texts(templates) -> dict | None:
    """The statement's words in the report's language ([statement] of the templates; None: English)."""
    return None if templates.language == "en" else dict(templates.raw("statement"))


def _open_delivery(request: ComparisonReportRequest, templates):
    """The ledger's delivery (refused before any Brightway work when it is for another comparison
    or claims other tonnes than asked)."""
    from lca.ledger.footprint import open_delivery

    found = open_delivery(request.ledger, request.delivery, statement_texts(templates))
    name, ledger = request.comparison, Path(request.ledger).name
    if found.ledger.settings.comparison != name:
        raise ComparisonError(f"The ledger {ledger} is for the comparison {found.ledger.settings.comparison!r} (its "
                              f"setting 'comparison'), not {name!r}: write `lca report "
                              f"{found.ledger.settings.comparison} ... --ledger {ledger}`.")
    claim = found.claim
    if request.tonnes is not None and abs(request.tonnes - claim.claimed_t) > 1e-9:
        raise StatementRefused(f"--tonnes {request.tonnes:g} differs from the tonnes claimed as recycled for delivery "
                               f"{brief(request.delivery)} in the ledger ({claim.claimed_t:g} t); leave out --tonnes "
                               "to use them.")
    return found


def comparison_report(request: ComparisonReportRequest, where: Where | None = None, progress=None,
                      notify=None) -> ReportWritten:
    """The report of a comparison (with a ledger, also the statement of one delivery)."""
    from lca.brightway.project import workbook_hashes
    from lca.report.build import ReportContext, comparison_subject
    from lca.subjects.products import MASS_UNITS

    if bool(request.ledger) != bool(request.delivery):
        raise StatementRefused("Give the ledger and the delivery together (the statement is for one delivery of "
                               "the ledger).")
    prepared = prepare(request)
    found = _open_delivery(request, prepared.templates) if request.ledger else None
    tonnes, customer = request.tonnes, request.customer
    if found is not None:
        tonnes, customer = found.claim.claimed_t, customer or found.claim.customer
    quantity = tonnes if tonnes is not None else 1.0
    before, after = common_options(replace(request, customer=customer), prepared, where)
    options = options_record(before + [("--tonnes", f"{quantity:g}"), ("--basis", request.basis),
                                       ("--primary-route", request.primary_route),
                                       ("--recycled-share", request.recycled_share),
                                       ("--ledger", shown_path(request.ledger)),
                                       ("--delivery", request.delivery)] + after)
    command = command_line(["lca", "report", request.comparison], options)
    with open_session(where, progress, notify) as session:
        prepared = replace(prepared, templates=labelled(prepared.templates, session))
        parts = _comparison_parts(session, request, prepared, found, command)
        inventories, fingerprint = session.project.inventories, session.fingerprint
    result = parts.result
    subject = comparison_subject(result, prepared.templates, unit=parts.unit, mass_units=MASS_UNITS,
                                 quality=parts.quality)
    context = ReportContext(customer=customer or "", preparer=prepared.preparer, quantity=quantity,
                            date=prepared.date, command=command, options=options, inventories=inventories,
                            fingerprint=fingerprint, workbooks=workbook_hashes(inventories),
                            ledger=(Path(request.ledger).name, found.ledger.fingerprint) if found else None,
                            parameters=result.parameters, allocation=result.allocation,
                            allocation_formula=result.allocation_formula, byproducts=parts.byproducts)
    return write(request, subject, parts.evidence, prepared.templates, context, parts.statement, parts.analyses)


@dataclass(frozen=True)
class _ComparisonParts:
    result: object  # lca.analysis.calculate.Comparison
    quality: dict  # route id -> DataQuality
    unit: str  # of the functional unit's node
    evidence: object  # lca.report.evidence.Evidence
    byproducts: object  # lca.subjects.byproducts.ByproductStatement
    analyses: tuple  # (Monte Carlo result or None, sensitivity or None)
    statement: object  # adds a ledger delivery's statement sheets to the workbook, or None


def _comparison_parts(session: Session, request: ComparisonReportRequest, prepared: Prepared, found,
                      command) -> _ComparisonParts:
    """What the report of a comparison shows, computed in one open session."""
    from lca.report.evidence import collect_evidence
    from lca.runs.compare import CompareRequest, compare_in
    from lca.subjects.allocation import transforms_for
    from lca.subjects.byproducts import comparisons_statement

    bd, method, parametric = session.bd, prepared.method, session.parametric
    model = session.comparison(request.comparison)
    changes = session.changes(replace(request.changes, fixed=found.fixed) if found else request.changes)
    values = dict(changes.values) if changes else {}
    run = compare_in(session, CompareRequest(comparison=model.id, method=request.method, basis=request.basis,
                                             primary_route=request.primary_route,
                                             recycled_share=request.recycled_share, allocation=request.allocation),
                     changes)
    result, quality = run.result, run.quality
    byproducts = comparisons_statement(bd, {model.id: model}, parametric, changes)
    transforms = (transforms_for({model.id: model}, request.allocation, parametric, values,
                                 {model.id: request.primary_route})
                  if request.iterations or request.sensitivity else ())
    found_analyses = analyses(session, request, method, changes, transforms, subject=model.id, basis=request.basis,
                              primary_route=request.primary_route)
    routes = {route.id: route for route in model.routes}
    basis = next((b for b in model.bases if b.id == result.basis), None)
    nodes = [routes[r.id].node_id for r in result.routes] + ([basis.node_id] if basis else [])
    unit = session.node(nodes[-1] if basis else nodes[0])["unit"]
    evidence = collect_evidence(bd, session.databases, [session.node(n).key for n in nodes], method.name, changes)
    statement = None
    if found is not None:
        from lca.ledger.footprint import footprint_for
        from lca.ledger.statement import add_statement_sheets

        footprint, fingerprint = footprint_for(found, result, parametric), session.fingerprint
        templates = prepared.templates
        names = {r.label: templates.route(result.comparison, r.id, r.label) for r in result.routes}
        names[result.functional_unit] = templates.functional_unit(result.functional_unit)

        def statement(target, titles):
            add_statement_sheets(target, found.ledger, found.balance, request.delivery, footprint,
                                 fingerprint=fingerprint, command=command, titles=titles,
                                 texts=statement_texts(templates), names=names)
    return _ComparisonParts(result, quality, unit, evidence, byproducts, found_analyses, statement)


def report_templates(directory: str, overwrite: bool = False) -> TemplatesWritten:
    """Copy the shipped report templates (texts per language, layout) into ``directory``, to edit."""
    from lca.report.templates import copy_shipped_templates

    return TemplatesWritten(tuple(copy_shipped_templates(directory, overwrite=overwrite)), str(directory))
