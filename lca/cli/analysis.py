"""`lca uncertainty` and `lca sensitivity`."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    ITERATIONS,
    SEED,
    SOBOL_SAMPLES,
    Counter,
    allocation_option,
    changes_of,
    choose_seed,
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

__all__ = ["uncertainty", "sensitivity"]


def study_options(function):
    for option in reversed([
        click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100)."),
        click.option("--basis", default=None, help="Comparisons: functional unit, e.g. cam for nickel."),
        click.option("--primary-route", default=None, help="Comparisons: which primary route to compare."),
        supply_options(product_help="Products, the chosen supply against the conventional one. "),
        allocation_option(),
    ]):
        function = option(function)
    return function


def _request(subject, method_text, basis, primary_route, supply, copper, recycled_nickel, allocation, sets, scenarios,
             byproducts):
    return runs.StudyRequest(subject=subject, method=method_text, basis=basis, primary_route=primary_route,
                             supply=supply_texts(supply, copper, recycled_nickel), allocation=allocation,
                             changes=changes_of(sets, scenarios, byproducts))


@click.command()
@click.argument("subject")
@click.option("-n", "--iterations", default=10000, show_default=True, type=ITERATIONS,
              help="Number of paired draws.")
@click.option("--seed", type=SEED, default=None, help="Random seed; the same seed gives the same numbers. "
              "Without it a seed is chosen and printed.")
@click.option("--sources", type=click.Choice(runs.SOURCES), default="all", show_default=True,
              help="Draw parameter distributions, exchange distributions, or both.")
@click.option("--draws", "draws", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE.csv",
              help="Also write every paired draw to FILE.csv: draw index, each route's value, their difference, "
                   "unit and method on every row.")
@click.option("--overwrite", is_flag=True, help="Replace the --draws file if it exists.")
@study_options
@parameter_options
@format_option("uncertainty")
@plot_option
@location_options
@reports_errors
def uncertainty(subject, iterations, seed, sources, draws, overwrite, method_text, basis, primary_route, supply, copper,
                recycled_nickel, allocation, sets, scenarios, byproducts, fmt, plot, data_dir, inventories):
    """Paired Monte Carlo of SUBJECT (a comparison such as copper, or a product against conventional supply).

    Both routes are computed from the same draws, so the spread of the difference is right.
    Parameter distributions and exchange distributions from the workbooks are drawn.
    """
    request = _request(subject, method_text, basis, primary_route, supply, copper, recycled_nickel, allocation, sets,
                       scenarios, byproducts)
    with Counter("Monte Carlo", iterations, "draws") as advance:
        result = runs.uncertainty(request, iterations=iterations, seed=choose_seed(seed), sources=sources,
                                  where=where_of(data_dir, inventories), progress=progress_to_stderr(),
                                  notify=note_to_stderr, advance=advance, draws=draws, overwrite=overwrite)
    click.echo(render(result, fmt), nl=False)
    write_plot(result, plot)
    if result.draws_written:
        note_to_stderr(f"wrote the {iterations:,} paired draws to {result.draws_written}")


@click.command()
@click.argument("subject")
@click.option("--samples", default=1024, show_default=True, type=SOBOL_SAMPLES,
              help="Sobol base sample size N (a power of 2); N x (parameters + 2) evaluations. 0 skips Sobol.")
@click.option("--seed", type=SEED, default=None, help="Seed of the Sobol sample; chosen and printed when not given.")
@study_options
@parameter_options
@format_option("sensitivity")
@plot_option
@location_options
@reports_errors
def sensitivity(subject, samples, seed, method_text, basis, primary_route, supply, copper, recycled_nickel, allocation,
                sets, scenarios, byproducts, fmt, plot, data_dir, inventories):
    """Rank the parameters by their effect on SUBJECT's difference: one at a time, and Sobol indices."""
    request = _request(subject, method_text, basis, primary_route, supply, copper, recycled_nickel, allocation, sets,
                       scenarios, byproducts)
    with Counter("Sensitivity", None, "evaluations") as advance:
        result = runs.sensitivity(request, samples=samples, seed=choose_seed(seed),
                                  where=where_of(data_dir, inventories), progress=progress_to_stderr(),
                                  notify=note_to_stderr, advance=advance)
    click.echo(render(result, fmt), nl=False)
    write_plot(result, plot)
