"""The `lca` command line (with cli_products and cli_ledger): the only place where errors become exit codes."""

from __future__ import annotations

import json
import sys

import click

from lca import __version__, runs
from lca.cli.analysis import params, scenarios, sensitivity, uncertainty
from lca.cli.common import (
    FORMATS,
    SHARE,
    allocation_option,
    changes_of,
    location_options,
    note_to_stderr,
    parameter_options,
    progress_to_stderr,
    reports_errors,
    where_of,
)
from lca.cli.ledger import ledger
from lca.cli.products import footprint, products
from lca.cli.report import report
from lca.errors import InventoryError
from lca.output import render


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lca")
def cli():
    """Carbon footprint of primary versus recycled copper and nickel (Brightway 2.5).

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
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@location_options
@reports_errors
def compare(comparison, method_text, basis, primary_route, recycled_share, allocation, sets, scenarios, byproducts, fmt,
            data_dir,
            inventories):
    """Per-unit CFP of each route of COMPARISON (copper, nickel), its stages and the difference."""
    request = runs.CompareRequest(comparison=comparison, method=method_text, basis=basis, primary_route=primary_route,
                                  recycled_share=recycled_share, allocation=allocation,
                                  changes=changes_of(sets, scenarios, byproducts))
    result = runs.compare(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def methods(fmt):
    """List the impact methods offered (the first is the default)."""
    from lca.brightway.methods import METHODS

    if fmt == "json":
        click.echo(json.dumps([{"id": m.id, "name": list(m.name), "label": m.label} for m in METHODS], indent=2))
        return
    width = max(len(m.id) for m in METHODS) + 2
    for method in METHODS:
        click.echo(f"{method.id:<{width}}{' | '.join(method.name)}")


@cli.group()
def inventory():
    """Check or copy the inventory workbooks."""


@inventory.command("check")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
              help="Folder of inventory workbooks (default: the shipped set). Env: LCA_INVENTORIES.")
@reports_errors
def inventory_check(fmt, inventories):
    """Validate every workbook; list all problems with file, sheet, row and column."""
    from lca.inventory.load import load_inventory
    from lca.paths import resolve_inventories

    folder = resolve_inventories(inventories)
    try:
        loaded = load_inventory(folder)
    except InventoryError as exc:
        if fmt == "json":
            click.echo(json.dumps({"ok": False, "folder": str(folder),
                                   "problems": [p.as_dict() for p in exc.problems]}, indent=2))
            sys.exit(1)
        raise
    counts = {db.name: len(db.activities) for db in loaded.databases}
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "folder": str(folder), "databases": counts, "problems": []}, indent=2))
    else:
        listed = ", ".join(f"{name} ({n} activities)" for name, n in counts.items())
        click.echo(f"OK: {folder}: {listed}")


@inventory.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace workbooks that already exist in DIRECTORY.")
@reports_errors
def inventory_init(directory, overwrite):
    """Copy the shipped workbooks into DIRECTORY, to edit and use with --inventories."""
    from lca.paths import copy_shipped_inventories

    for path in copy_shipped_inventories(directory, overwrite=overwrite):
        click.echo(f"wrote {path}")
    click.echo(f"Edit them, then run: lca compare copper --inventories {directory}")


cli.add_command(products)
cli.add_command(footprint)
cli.add_command(ledger)
cli.add_command(report)
cli.add_command(params)
cli.add_command(scenarios)
cli.add_command(uncertainty)
cli.add_command(sensitivity)


def main() -> None:
    cli(prog_name="lca")


if __name__ == "__main__":
    main()
