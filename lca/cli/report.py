"""`lca report`: the customer's Excel report for a comparison or a product.

    lca report COMPARISON -o FILE.xlsx [--customer --tonnes --ledger --delivery ...]
    lca report footprint PRODUCT -o FILE.xlsx [--copper --recycled-nickel --units ...]
    lca report templates DIR        copy the editable texts and layout
"""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    DATE,
    ITERATIONS,
    SEED,
    SHARE,
    SHORTHANDS,
    SOBOL_SAMPLES,
    TONNES,
    UNITS,
    UserError,
    allocation_option,
    changes_of,
    choose_seed,
    location_options,
    note_to_stderr,
    parameter_options,
    progress_to_stderr,
    reports_errors,
    supply_options,
    supply_texts,
    where_of,
)
from lca.output import render

__all__ = ["report"]


def _report_options(function):
    options = [
        click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
                     help="The report workbook to write (.xlsx)."),
        click.option("--overwrite", is_flag=True, help="Replace the output file if it exists."),
        click.option("--customer", default=None, help="Customer name shown on the report."),
        click.option("--preparer", default=None,
                     help="Who prepared the report (your organisation), shown as 'Prepared by' and in the page "
                          "header (default: house.company of the templates; empty: not stated)."),
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

    command.help = f"Excel report for the {runs.brief(name)} comparison of the inventories."
    return command


def _common(output, overwrite, customer, preparer, lang, method_text, report_date, templates, iterations, seed,
            sensitivity, samples, allocation, sets, scenarios, byproducts) -> dict:
    """The fields every report request takes (the seed chosen now, so the report records it)."""
    return dict(output=output, overwrite=overwrite, customer=customer, preparer=preparer, lang=lang,
                method=method_text, date=report_date.date() if report_date else None, templates=templates,
                iterations=iterations,
                seed=choose_seed(seed) if iterations or sensitivity else seed, sensitivity=sensitivity,
                samples=samples, allocation=allocation, changes=changes_of(sets, scenarios, byproducts))


def _comparison_report(name, tonnes, basis, primary_route, recycled_share, ledger_file, delivery, data_dir,
                       inventories, **common):
    if bool(ledger_file) != bool(delivery):
        raise UserError("Give --ledger and --delivery together (the statement is for one delivery of the ledger).")
    request = runs.ComparisonReportRequest(comparison=name, tonnes=tonnes, basis=basis, primary_route=primary_route,
                                           recycled_share=recycled_share, ledger=ledger_file, delivery=delivery,
                                           **_common(**common))
    written = runs.comparison_report(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(written), nl=False)


@report.command("footprint")
@click.argument("product")
@_report_options
@click.option("--units", type=UNITS, default=1.0, show_default=True,
              help="The customer's number of product units, for the saving.")
@supply_options(product_help="")
@reports_errors
def footprint_report(product, units, supply, copper, recycled_nickel, data_dir, inventories, **common):
    """Excel report for PRODUCT: conventional supply (the supply mixes' 'conventional supply' rows: primary
    copper, no recycled nickel) against the chosen supply ('chosen supply' rows, or --supply in their place),
    as `lca footprint PRODUCT --compare`."""
    request = runs.ProductReportRequest(product=product, units=units,
                                        supply=supply_texts(supply, copper, recycled_nickel),
                                        shorthands=SHORTHANDS, **_common(**common))
    written = runs.product_report(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(written), nl=False)


@report.command("pathway")
@click.argument("pathway")
@_report_options
@reports_errors
def pathway_report(pathway, data_dir, inventories, **common):
    """Excel report for PATHWAY (a file or a name, `lca pathways`): baseline, each lever's saving with a
    waterfall chart, the target and the gap, and what each lever assumes."""
    fields = _common(**common)
    if fields.pop("sensitivity"):
        raise UserError("--sensitivity applies to comparison and product reports; a pathway report has the "
                        "Monte Carlo probability (-n, --seed).")
    request = runs.PathwayReportRequest(pathway=pathway, **fields)
    written = runs.pathway_report(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(written), nl=False)


@report.command("templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace template files that already exist in DIRECTORY.")
@reports_errors
def report_templates(directory, overwrite):
    """Copy the report templates (texts per language, layout) into DIRECTORY, to edit."""
    click.echo(render(runs.report_templates(directory, overwrite=overwrite)), nl=False)
