"""`lca products` and `lca footprint`: product footprints with the supply of each comparison chosen."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    UserError,
    allocation_option,
    changes_of,
    format_option,
    location_options,
    note_to_stderr,
    parameter_options,
    plot_option,
    progress_to_stderr,
    reports_errors,
    supply_options,
    supply_texts,
    where_of,
    write_plot,
)
from lca.output import render


@click.command()
@format_option("products")
@location_options
@reports_errors
def products(fmt, data_dir, inventories):
    """List the products with unit, declared mass and the mass their materials add up to."""
    listed = runs.products(where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(listed, fmt), nl=False)


@click.command()
@click.argument("product", required=False)
@click.option("--all", "all_products", is_flag=True, help="Every product, in one table (one factorisation).")
@supply_options(product_help="")
@click.option("--compare", is_flag=True, help="Also the conventional supply (the supply mixes' 'conventional supply' "
              "rows: primary copper, no recycled nickel) beside the chosen one ('chosen supply' rows: scrap copper "
              "and 20 % recycled nickel, or a closed loop's maximum if lower; --supply takes their place), with "
              "the saving.")
@click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100).")
@allocation_option()
@parameter_options
@format_option("footprint")
@plot_option
@location_options
@reports_errors
def footprint(product, all_products, supply, copper, recycled_nickel, compare, method_text, allocation, sets, scenarios,
              byproducts, fmt, plot, data_dir, inventories):
    """Cradle-to-gate CFP of PRODUCT per unit, by part, with the supply of each comparison chosen."""
    if bool(product) == bool(all_products):
        raise UserError("Name one PRODUCT, or pass --all (see `lca products`).")
    request = runs.FootprintRequest(
        product=product, all_products=all_products, supply=supply_texts(supply, copper, recycled_nickel),
        compare=compare, method=method_text, allocation=allocation, changes=changes_of(sets, scenarios, byproducts),
        quality=fmt == "json" or not all_products)
    result = runs.footprint(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)
    write_plot(result, plot)
