"""`lca pathway` and `lca pathways`: a plan's levers against its target."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    ITERATIONS,
    SEED,
    Counter,
    allocation_option,
    choose_seed,
    format_option,
    location_options,
    note_to_stderr,
    plot_option,
    progress_to_stderr,
    reports_errors,
    where_of,
    write_plot,
)
from lca.output import render

__all__ = ["pathway", "pathways"]


@click.command()
@click.argument("pathway")
@click.option("--method", "method_text", default=None,
              help="Impact method id (default: the pathway file's 'method', else ipcc2021-gwp100).")
@click.option("-n", "--iterations", default=None, type=ITERATIONS,
              help="Paired Monte Carlo draws of the baseline and the final state: the probability that the target "
                   "is reached (default: none).")
@click.option("--seed", type=SEED, default=None, help="Random seed of the draws; chosen and printed when not given.")
@click.option("--sources", type=click.Choice(runs.SOURCES), default="all", show_default=True,
              help="Draw parameter distributions, exchange distributions, or both.")
@allocation_option()
@format_option("pathway")
@plot_option
@location_options
@reports_errors
def pathway(pathway, method_text, iterations, seed, sources, allocation, fmt, plot, data_dir, inventories):
    """Baseline, each lever's saving, the final footprint and the gap to the target of PATHWAY.

    PATHWAY is a pathway file (YAML) or the name of one (`lca pathways`). Savings are given in the
    order the levers are written (waterfall) and order-independent (Shapley values); both sum to
    baseline minus final.
    """
    request = runs.PathwayRequest(pathway=pathway, method=method_text, allocation=allocation,
                                  iterations=iterations or 0, seed=choose_seed(seed) if iterations else seed,
                                  sources=sources)
    with Counter("Monte Carlo", iterations, "draws") as advance:
        result = runs.pathway(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr,
                              advance=advance)
    click.echo(render(result, fmt), nl=False)
    write_plot(result, plot)


@click.command()
@click.option("--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
              help="Folder of inventory workbooks; its 'pathways' folder is listed first. Env: LCA_INVENTORIES.")
@format_option("pathways")
@reports_errors
def pathways(inventories, fmt):
    """List the pathways (YAML files) that `lca pathway` accepts by name."""
    click.echo(render(runs.pathways(runs.Where(inventories=inventories)), fmt), nl=False)
