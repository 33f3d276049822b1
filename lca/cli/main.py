"""The `lca` command line (with cli_products and cli_ledger): the only place where errors become exit codes."""

from __future__ import annotations

import sys

import click

from lca import __version__, runs
from lca.cli.analysis import sensitivity, uncertainty
from lca.cli.catalog import params, scenarios
from lca.cli.common import (
    SHARE,
    allocation_option,
    changes_of,
    format_option,
    location_options,
    note_to_stderr,
    parameter_options,
    plot_option,
    progress_to_stderr,
    reports_errors,
    where_of,
    write_plot,
)
from lca.cli.export import export
from lca.cli.ledger import ledger
from lca.cli.pathway import pathway, pathways
from lca.cli.products import footprint, products
from lca.cli.report import report
from lca.output import render


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lca")
def cli():
    """Carbon footprint of primary versus recycled metals: copper, nickel, cobalt, lithium (Brightway 2.5).

    Start with `lca compare copper`. Results are per functional unit, in kg CO2-eq.
    """


@cli.command()
@click.argument("comparison")
@click.option("--method", "method_text", default=None,
              help="Impact method id or name (default ipcc2021-gwp100); see `lca methods`.")
@click.option("--basis", default=None,
              help="Functional unit: 'default' (the routes' own unit) or a basis the comparison offers, "
                   "e.g. niso4-hexahydrate or cam for nickel.")
@click.option("--primary-route", default=None, help="Which primary route to compare (nickel: primary, "
              "primary-sulfide, primary-indonesia); default: the one marked 'default route'.")
@click.option("--recycled-share", "recycled_share", default=None, type=SHARE, metavar="X",
              help="Add the supply blend with this share (0 to 1) of the recycled route; without it, "
                   "the shares listed in the workbook (nickel: 0, 0.2, 1).")
@allocation_option(allow_all=True)
@parameter_options
@format_option("compare")
@plot_option
@location_options
@reports_errors
def compare(comparison, method_text, basis, primary_route, recycled_share, allocation, sets, scenarios, byproducts, fmt,
            plot, data_dir, inventories):
    """Per-unit CFP of each route of COMPARISON (copper, nickel, cobalt, lithium), its stages and the difference."""
    request = runs.CompareRequest(comparison=comparison, method=method_text, basis=basis, primary_route=primary_route,
                                  recycled_share=recycled_share, allocation=allocation,
                                  changes=changes_of(sets, scenarios, byproducts))
    result = runs.compare(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)
    write_plot(result, plot)


@cli.command()
@format_option("methods")
def methods(fmt):
    """List the impact methods offered (the first is the default)."""
    click.echo(render(runs.methods(), fmt), nl=False)


@cli.group()
def inventory():
    """Check or copy the inventory workbooks."""


@inventory.command("check")
@format_option("inventory-check")
@location_options
@click.option("--strict", is_flag=True, help="An exchange without a source is an error, not a warning.")
@reports_errors
def inventory_check(fmt, inventories, data_dir, strict):
    """Validate every workbook (and a --background mapping); list all problems with file, sheet, row and
    column. Links to databases no workbook defines are checked in the folder's Brightway project, if any."""
    result = runs.inventory_check(inventories, strict=strict, where=where_of(data_dir, inventories))
    if not result.ok and fmt != "json":
        raise result.error
    click.echo(render(result, fmt), nl=False)
    if not result.ok:
        sys.exit(1)


@inventory.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace workbooks that already exist in DIRECTORY.")
@reports_errors
def inventory_init(directory, overwrite):
    """Copy the shipped workbooks into DIRECTORY, to edit and use with --inventories."""
    for path in runs.inventory_init(directory, overwrite=overwrite).written:
        click.echo(f"wrote {path}")
    click.echo(f"Edit them, then run: lca compare copper --inventories {directory}")


cli.add_command(products)
cli.add_command(footprint)
cli.add_command(ledger)
cli.add_command(export)
cli.add_command(report)
cli.add_command(params)
cli.add_command(scenarios)
cli.add_command(uncertainty)
cli.add_command(sensitivity)
cli.add_command(pathway)
cli.add_command(pathways)


def main() -> None:
    """The command tree without the stored-result shortcut (the `lca` program is lca.cli.entry.main)."""
    cli(prog_name="lca")


if __name__ == "__main__":
    main()
