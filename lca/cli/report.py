"""`lca report`: the customer's Excel report for a comparison or a product.

    lca report COMPARISON -o FILE.xlsx [--customer --tonnes --ledger --delivery ...]
    lca report footprint PRODUCT -o FILE.xlsx [--copper --recycled-nickel --units ...]
    lca report templates DIR        copy the editable texts and layout
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import click

from lca.cli.common import (
    DATE,
    ITERATIONS,
    SEED,
    SHARE,
    SOBOL_SAMPLES,
    TONNES,
    UNITS,
    UserError,
    allocation_option,
    changed_values,
    choose_seed,
    location_options,
    parameter_changes,
    parameter_options,
    progress_to_stderr,
    reports_errors,
)
from lca.rules import brief
from lca.xlsx import check_output

__all__ = ["report"]


def _report_options(function):
    options = [
        click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
                     help="The report workbook to write (.xlsx)."),
        click.option("--overwrite", is_flag=True, help="Replace the output file if it exists."),
        click.option("--customer", default=None, help="Customer name shown on the report."),
        click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
                     help="Language of labels and texts."),
        click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100)."),
        click.option("--date", "report_date", type=DATE, default=None,
                     help="Report date, YYYY-MM-DD (default today); give it to regenerate a report exactly."),
        click.option("--templates", type=click.Path(file_okay=False, path_type=str), envvar="LCA_REPORT_TEMPLATES",
                     help="Folder of edited report templates (see `lca report templates`). "
                          "Env: LCA_REPORT_TEMPLATES."),
        click.option("-n", "--iterations", type=ITERATIONS, default=None,
                     help="Add paired Monte Carlo results (this many draws) to the Summary."),
        click.option("--seed", type=SEED, default=None,
                     help="Seed of the Monte Carlo draws and the Sobol sample (chosen and recorded if not given)."),
        click.option("--sensitivity", is_flag=True,
                     help="Add the Sensitivity sheet: one-at-a-time tornado with chart, and Sobol indices."),
        click.option("--samples", type=SOBOL_SAMPLES, default=512, show_default=True,
                     help="Sobol base sample size for --sensitivity (a power of 2)."),
    ]
    for option in reversed(options):
        function = option(function)
    return location_options(allocation_option()(parameter_options(function)))


def _analyses(bd, project, study_args: dict, method, changes, iterations, seed, sensitivity, samples,
              transforms=(), allocation="cut-off"):
    """(Monte Carlo result or None, sensitivity or None) for the report."""
    from lca.analysis.sensitivity import analyse
    from lca.analysis.uncertainty import run_uncertainty, study_for, system_for

    if not iterations and not sensitivity:
        return None, None
    study = study_for(bd, project.databases, **study_args, changes=changes)
    model = project.parametric_model()
    mc = run_uncertainty(bd, study, method, model, n=iterations, seed=seed, changes=changes, transforms=transforms,
                         allocation=allocation) if iterations else None
    sens = None
    if sensitivity:
        system = system_for(bd, study, method, model, changes, transforms)
        sens = analyse(system, subject=study.subject, functional_unit=study.functional_unit, method=method,
                       unit=bd.Method(method.name).metadata.get("unit", ""), labels=study.labels, samples=samples,
                       seed=seed, settings=changes.settings if changes else ())
    return mc, sens


def _analysis_options(sets, scenarios, iterations, seed, sensitivity, samples, allocation,
                      byproducts=None) -> list:
    """Option pairs for the record (Provenance and the canonical command line)."""
    pairs = [("--allocation", allocation), ("--byproducts", byproducts)] + [("--scenario", s) for s in scenarios]
    pairs += [("--set", s) for s in sets]
    if iterations or sensitivity:
        pairs += [("-n", iterations), ("--seed", seed), ("--sensitivity", sensitivity or None),
                  ("--samples", samples if sensitivity else None)]
    return pairs


class ReportGroup(click.Group):
    """Sub-commands `footprint` and `templates`; any other name is a comparison of the inventories."""

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or _comparison_command(name)

    def format_commands(self, ctx, formatter):
        super().format_commands(ctx, formatter)
        with formatter.section("Comparisons"):
            formatter.write_dl([("COMPARISON", "copper, nickel or another comparison of the inventories: "
                                               "`lca report copper -o copper.xlsx --customer ... --tonnes ...`")])


@click.group(cls=ReportGroup)
def report():
    """Write a customer's Excel report: `lca report COMPARISON -o FILE.xlsx` or
    `lca report footprint PRODUCT -o FILE.xlsx`."""


def _options_record(pairs) -> tuple[tuple[str, str], ...]:
    return tuple((name, str(value)) for name, value in pairs if value not in (None, False))


def _command_line(words: list[str], options) -> str:
    parts = list(words)
    for name, value in options:
        parts += [name] if value == "True" else [name, value]
    return shlex.join(parts)


def _write(subject, evidence, templates, context, output, overwrite, statement=None, analyses=(None, None)) -> None:
    from lca.report.build import build_report
    from lca.xlsx import save_atomically

    book = build_report(subject, evidence, templates, context, statement=statement, uncertainty=analyses[0],
                        sensitivity=analyses[1])
    click.echo(f"wrote {save_atomically(book, output, overwrite=overwrite)}")


def _comparison_command(name: str) -> click.Command:
    @click.command(name=name)
    @_report_options
    @click.option("--tonnes", type=TONNES, default=None,
                  help="The customer's quantity in t, for the saving (default 1, or the delivery's tonnes).")
    @click.option("--basis", default=None, help="Functional unit: a basis the comparison offers (nickel: "
                  "niso4-hexahydrate, cam).")
    @click.option("--primary-route", default=None, help="Which primary route to compare.")
    @click.option("--recycled-share", type=SHARE, default=None, metavar="X",
                  help="Show the supply blend with this recycled share (default: the workbook's shares).")
    @click.option("--ledger", "ledger_file", type=click.Path(dir_okay=False, path_type=str), default=None,
                  help="Mass-balance ledger: adds the statement for --delivery (the ledger names its comparison).")
    @click.option("--delivery", default=None, help="Delivery id in the ledger's Claims sheet.")
    @reports_errors
    def command(**kw):
        _comparison_report(name, **kw)

    command.help = f"Excel report for the {brief(name)} comparison of the inventories."
    return command


def _comparison_report(name, output, overwrite, customer, lang, method_text, report_date, templates, iterations, seed,
                       sensitivity, samples, allocation, sets, scenarios, byproducts, tonnes, basis, primary_route,
                       recycled_share,
                       ledger_file, delivery, data_dir, inventories):
    from lca.analysis.calculate import compare
    from lca.analysis.dataquality import comparison_quality
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project, workbook_hashes
    from lca.report.build import ReportContext, comparison_subject
    from lca.report.evidence import collect_evidence
    from lca.report.templates import load_templates, resolve_templates
    from lca.subjects.allocation import comparison_allocation, transforms_for
    from lca.subjects.byproducts import comparisons_statement
    from lca.subjects.products import MASS_UNITS
    from lca.subjects.routes import find_comparison, select_pair

    if bool(ledger_file) != bool(delivery):
        raise UserError("Give --ledger and --delivery together (the statement is for one delivery of the ledger).")
    method = get_method(method_text)
    chosen_templates = load_templates(resolve_templates(templates), lang)
    check_output(output, overwrite=overwrite)
    statement, ledger_record, found = None, None, None
    if ledger_file:
        from lca.ledger.footprint import open_delivery

        found = open_delivery(ledger_file, delivery)  # refuse before any Brightway work
        if found.ledger.settings.comparison != name:
            raise UserError(f"The ledger {Path(ledger_file).name} is for the comparison "
                            f"{found.ledger.settings.comparison!r} (its setting 'comparison'), not {name!r}: write "
                            f"`lca report {found.ledger.settings.comparison} ... --ledger {Path(ledger_file).name}`.")
        claim = found.claim
        if tonnes is not None and abs(tonnes - claim.claimed_t) > 1e-9:
            raise UserError(f"--tonnes {tonnes:g} differs from the tonnes claimed as recycled for delivery "
                            f"{brief(delivery)} in the ledger ({claim.claimed_t:g} t); leave out --tonnes to use "
                            "them.")
        tonnes, customer = claim.claimed_t, customer or claim.customer
        ledger_record = (Path(ledger_file).name, found.ledger.fingerprint)
    date = (report_date.date() if report_date else dt.date.today())
    quantity = tonnes if tonnes is not None else 1.0
    seed = choose_seed(seed) if iterations or sensitivity else seed
    options = _options_record([("-o", output), ("--customer", customer), ("--tonnes", f"{quantity:g}"),
                               ("--basis", basis), ("--primary-route", primary_route),
                               ("--recycled-share", recycled_share), ("--ledger", ledger_file),
                               ("--delivery", delivery), ("--method", method.id), ("--lang", lang),
                               ("--date", date.isoformat()), ("--inventories", inventories),
                               ("--templates", templates)]
                              + _analysis_options(sets, scenarios, iterations, seed, sensitivity, samples, allocation,
                                                                 byproducts))
    command = _command_line(["lca", "report", name], options)
    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        model = find_comparison(bd, project.databases, name)
        changes = parameter_changes(project, sets, scenarios, found.fixed if found else (), byproducts=byproducts)
        shares = (recycled_share,) if recycled_share is not None else model.report_shares
        parametric, values = project.parametric_model(), changed_values(changes)
        chosen_allocation = comparison_allocation(model, allocation, parametric, values, primary_route)
        result = compare(bd, model, method, basis=basis, primary_route=primary_route, shares=shares, changes=changes,
                         allocation=chosen_allocation)
        quality = comparison_quality(bd, model, [result], method, changes, project.databases)[0]  # lca.dataquality
        byproduct_statement = comparisons_statement(bd, {model.id: model}, parametric, changes)
        transforms = transforms_for({model.id: model}, allocation, parametric, values, {model.id: primary_route})
        analyses = _analyses(bd, project, {"subject": name, "basis": basis, "primary_route": primary_route}, method,
                             changes, iterations, seed, sensitivity, samples, transforms, allocation)
        routes = select_pair(model, primary_route)
        chosen = next((b for b in model.bases if b.id == result.basis), None)
        nodes = [r.node_id for r in routes] + ([chosen.node_id] if chosen else [])
        unit = bd.get_node(id=nodes[-1] if chosen else nodes[0])["unit"]
        evidence = collect_evidence(bd, project.databases, [bd.get_node(id=n).key for n in nodes], method.name,
                                    changes)
        if found is not None:
            from lca.ledger.footprint import footprint_for
            from lca.ledger.statement import add_statement_sheets

            footprint = footprint_for(found, result, parametric)

            def statement(target, titles):
                add_statement_sheets(target, found.ledger, found.balance, delivery, footprint,
                                     fingerprint=project.fingerprint, command=command, titles=titles)
    subject = comparison_subject(result, chosen_templates, unit=unit, mass_units=MASS_UNITS, quality=quality)
    context = ReportContext(customer=customer or "", quantity=quantity, date=date, command=command, options=options,
                            inventories=project.inventories, fingerprint=project.fingerprint,
                            workbooks=workbook_hashes(project.inventories), ledger=ledger_record,
                            parameters=result.parameters, allocation=result.allocation,
                            allocation_formula=result.allocation_formula, byproducts=byproduct_statement)
    _write(subject, evidence, chosen_templates, context, output, overwrite, statement, analyses)


@report.command("footprint")
@click.argument("product")
@_report_options
@click.option("--units", type=UNITS, default=1.0, show_default=True,
              help="The customer's number of product units, for the saving.")
@click.option("--copper", default=None, help="Copper route of the alternative scenario (default scrap).")
@click.option("--recycled-nickel", type=SHARE, default=None, metavar="SHARE",
              help="Recycled nickel share of the alternative scenario (default 0.2).")
@reports_errors
def footprint_report(product, output, overwrite, customer, lang, method_text, report_date, templates, iterations,
                     seed, sensitivity, samples, allocation, sets, scenarios, byproducts, units, copper,
                     recycled_nickel, data_dir,
                     inventories):
    """Excel report for PRODUCT: conventional supply (primary copper, no recycled nickel) against the
    chosen routes, as `lca footprint PRODUCT --compare`."""
    from lca.analysis.dataquality import footprint_quality
    from lca.analysis.footprint import CONVENTIONAL, chosen_scenario, footprints
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project, workbook_hashes
    from lca.report.build import ReportContext, product_subject
    from lca.report.evidence import collect_evidence
    from lca.report.templates import load_templates, resolve_templates
    from lca.subjects.allocation import transforms_for
    from lca.subjects.byproducts import comparisons_statement
    from lca.subjects.products import find_products
    from lca.subjects.routes import list_comparisons

    method = get_method(method_text)
    chosen_templates = load_templates(resolve_templates(templates), lang)
    check_output(output, overwrite=overwrite)
    date = report_date.date() if report_date else dt.date.today()
    seed = choose_seed(seed) if iterations or sensitivity else seed
    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        items = find_products(bd, project.databases, [product])
        comparisons = list_comparisons(bd, project.databases)
        changes = parameter_changes(project, sets, scenarios, byproducts=byproducts)
        # the target share, or the closed loop's maximum if lower (lca.footprint.chosen_scenario)
        scenario = chosen_scenario(bd, items, comparisons, copper, recycled_nickel, changes)
        if scenario.note:
            click.echo(f"note: {scenario.note}", err=True)
        options = _options_record([("-o", output), ("--customer", customer), ("--units", f"{units:g}"),
                                   ("--copper", scenario.copper),
                                   ("--recycled-nickel", f"{scenario.recycled_nickel:g}"),
                                   ("--method", method.id), ("--lang", lang), ("--date", date.isoformat()),
                                   ("--inventories", inventories), ("--templates", templates)]
                                  + _analysis_options(sets, scenarios, iterations, seed, sensitivity, samples,
                                                      allocation, byproducts))
        command = _command_line(["lca", "report", "footprint", product], options)
        transforms = transforms_for(comparisons, allocation, project.parametric_model(), changed_values(changes))
        base = footprints(bd, items, comparisons, CONVENTIONAL, method, changes, transforms)[0]
        alternative = footprints(bd, items, comparisons, scenario, method, changes, transforms)[0]
        byproduct_statement = comparisons_statement(bd, comparisons, project.parametric_model(), changes)
        qualities = tuple(footprint_quality(bd, items, comparisons, s, method, changes, transforms,  # lca.dataquality
                                            project.databases)[items[0].id] for s in (CONVENTIONAL, scenario))
        unit = bd.Method(method.name).metadata.get("unit", "")
        evidence = collect_evidence(bd, project.databases, [bd.get_node(id=items[0].node_id).key], method.name,
                                    changes)
        analyses = _analyses(bd, project, {"subject": product, "copper": scenario.copper,
                                           "recycled_nickel": scenario.recycled_nickel}, method, changes, iterations,
                             seed, sensitivity, samples, transforms, allocation)
    subject = product_subject(base, alternative, chosen_templates, method=method, unit=unit, qualities=qualities)
    context = ReportContext(customer=customer or "", quantity=units, date=date, command=command, options=options,
                            inventories=project.inventories, fingerprint=project.fingerprint,
                            workbooks=workbook_hashes(project.inventories), parameters=base.parameters,
                            byproducts=byproduct_statement,
                            **_product_allocation(allocation, comparisons, project, changes))
    _write(subject, evidence, chosen_templates, context, output, overwrite, analyses=analyses)


def _product_allocation(allocation, comparisons, project, changes) -> dict:
    """ReportContext fields for a product: the allocation of each metal's comparison (none for cut-off)."""
    from lca.subjects.allocation import comparison_allocation

    if allocation == "cut-off":
        return {}
    chosen = {name: comparison_allocation(model, allocation, project.parametric_model(), changed_values(changes))
              for name, model in comparisons.items() if len(model.routes) >= 2}
    if not chosen:
        return {}
    parts = []
    for name, item in chosen.items():
        alpha, beta = item.coefficients()
        parts.append(f"{name}: {alpha:g} x Erec + {beta:g} x Ev ({item.parameters_text()})")
    return {"allocation": next(iter(chosen.values())),
            "allocation_formula": "; ".join(parts) + ", per unit of metal, Ev and Erec being that metal's primary and "
                                  "recycled routes"}


@report.command("templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace template files that already exist in DIRECTORY.")
@reports_errors
def report_templates(directory, overwrite):
    """Copy the report templates (texts per language, layout) into DIRECTORY, to edit."""
    from lca.report.templates import copy_shipped_templates

    for path in copy_shipped_templates(directory, overwrite=overwrite):
        click.echo(f"wrote {path}")
    click.echo(f"Edit them, then run: lca report copper -o report.xlsx --templates {directory}")

