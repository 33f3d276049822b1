"""`lca params` and `lca scenarios`: the parameters of the inventories and the named scenarios."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    changes_of,
    format_option,
    location_options,
    note_to_stderr,
    parameter_options,
    progress_to_stderr,
    reports_errors,
    where_of,
)
from lca.output import render

__all__ = ["params", "scenarios"]


@click.command()
@click.option("--uncertain", is_flag=True, help="Only the parameters that have a distribution.")
@click.option("--wide", is_flag=True, help="Show sources and formulas in full.")
@parameter_options
@format_option("params")
@location_options
@reports_errors
def params(uncertain, wide, sets, scenarios, byproducts, fmt, data_dir, inventories):
    """List the parameters: value, unit, range or distribution, source (with --set/--scenario applied)."""
    request = runs.ParamsRequest(uncertain=uncertain, wide=wide, changes=changes_of(sets, scenarios, byproducts))
    result = runs.params(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)


@click.command()
@click.option("--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
              help="Folder of inventory workbooks; its 'scenarios' folder is listed first. Env: LCA_INVENTORIES.")
@reports_errors
def scenarios(inventories):
    """List the named scenarios (YAML files) that --scenario accepts."""
    click.echo(render(runs.scenarios(inventories)), nl=False)
