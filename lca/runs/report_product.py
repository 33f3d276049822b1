"""`lca report footprint PRODUCT`: the customer's report of a product, the conventional supply
against the chosen one (as ``lca footprint PRODUCT --compare``, :func:`lca.runs.footprint.product_scenarios`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from lca.runs.footprint import FootprintRequest, footprint_in
from lca.runs.report import (
    ReportRequest,
    ReportWritten,
    analyses,
    command_line,
    common_options,
    labelled,
    options_record,
    prepare,
    write,
)
from lca.runs.session import Where, open_session

__all__ = ["ProductReportRequest", "product_report", "supply_record"]



@dataclass(frozen=True, kw_only=True)
class ProductReportRequest(ReportRequest):
    product: str
    units: float = 1.0  # the customer's number of product units, for the saving
    supply: tuple[str, ...] = ()  # COMPARISON=ROUTE or COMPARISON=SHARE in place of the chosen supply's rows
    # how the record writes a choice: (comparison, "route" or "share", option), e.g. the CLI's shorthands
    # ("copper", "route", "--copper"); any other choice is recorded as --supply COMPARISON=VALUE
    shorthands: tuple[tuple[str, str, str], ...] = ()


def supply_record(scenario, shorthands=()) -> list[tuple[str, str]]:
    """The option pairs that choose ``scenario`` (lca.subjects.supply.Scenario): those with a
    shorthand (comparison, kind, option) first, in the shorthands' order, then --supply."""
    found, others = {}, []
    for choice in scenario.choices:
        option = next((o for c, kind, o in shorthands if c == choice.comparison and kind == choice.switch.value), None)
        if option is not None:
            found[option] = choice.route if choice.route is not None else f"{choice.share:g}"
        else:
            others.append(("--supply", choice.text))
    return [(o, found[o]) for _, _, o in shorthands if o in found] + others


def product_allocation(allocation: str, comparisons: dict, parametric, values: dict) -> dict:
    """ReportContext fields for a product: the allocation of each metal's comparison (none for cut-off)."""
    from lca.subjects.allocation import comparison_allocation

    if allocation == "cut-off":
        return {}
    chosen = {name: comparison_allocation(model, allocation, parametric, values)
              for name, model in comparisons.items() if len(model.routes) >= 2}
    if not chosen:
        return {}
    parts = []
    for name, item in chosen.items():
        parts.append(f"{name}: {item.coefficients_text()}")
    return {"allocation": next(iter(chosen.values())),
            "allocation_formula": "; ".join(parts) + ", per unit of metal, Ev and Erec being that metal's primary and "
                                  "recycled routes"}


def product_report(request: ProductReportRequest, where: Where | None = None, progress=None,
                   notify=None) -> ReportWritten:
    """The report of a product: its footprint under the conventional and the chosen supply."""
    from lca.brightway.project import workbook_hashes
    from lca.report.build import ReportContext, product_subject
    from lca.report.evidence import collect_evidence
    from lca.subjects.allocation import transforms_for

    prepared = prepare(request)
    method = prepared.method
    with open_session(where, progress, notify) as session:
        bd, parametric, databases = session.bd, session.parametric, session.databases
        items = session.find_products([request.product])
        comparisons = session.comparisons
        changes = session.changes(request.changes)
        # conventional against the chosen supply (the given choices, else the rows' shares or a closed loop's
        # maximum if lower), as `lca footprint PRODUCT --compare`
        run = footprint_in(session, FootprintRequest(product=request.product, supply=request.supply, compare=True,
                                                     method=request.method, allocation=request.allocation), changes)
        reference, alternative = run.baseline[0], run.results[0]
        chosen, byproducts, qualities = alternative.scenario, run.statement, tuple(run.product_qualities)
        before, after = common_options(request, prepared, where)
        supplies = supply_record(chosen, request.shorthands)
        options = options_record(before + [("--units", f"{request.units:g}")] + supplies + after)
        command = command_line(["lca", "report", "footprint", request.product], options)
        values = dict(changes.values) if changes else {}
        transforms = transforms_for(comparisons, request.allocation, parametric, values)
        unit = session.method_unit(method)
        evidence = collect_evidence(bd, databases, [session.node(items[0].node_id).key], method.name, changes)
        found = analyses(session, request, method, changes, transforms, subject=request.product, supply=chosen)
        allocation = product_allocation(request.allocation, comparisons, parametric, values)
        inventories, fingerprint = session.project.inventories, session.fingerprint
        prepared = replace(prepared, templates=labelled(prepared.templates, session))
    subject = product_subject(reference, alternative, prepared.templates, method=method, unit=unit,
                              qualities=qualities)
    context = ReportContext(customer=request.customer or "", preparer=prepared.preparer, quantity=request.units,
                            date=prepared.date, command=command, options=options, inventories=inventories,
                            fingerprint=fingerprint, workbooks=workbook_hashes(inventories),
                            parameters=reference.parameters,
                            byproducts=byproducts, **allocation)
    return write(request, subject, evidence, prepared.templates, context, found=found)
