"""`lca params`, `lca scenarios`, `lca uncertainty` and `lca sensitivity`."""

from __future__ import annotations

import sys

import click

from lca.cli.common import (
    ITERATIONS,
    SEED,
    SHARE,
    SOBOL_SAMPLES,
    allocation_option,
    changed_values,
    choose_seed,
    location_options,
    parameter_changes,
    parameter_options,
    progress_to_stderr,
    reports_errors,
)

__all__ = ["params", "scenarios", "uncertainty", "sensitivity"]


@click.command()
@click.option("--uncertain", is_flag=True, help="Only the parameters that have a distribution.")
@click.option("--wide", is_flag=True, help="Show sources and formulas in full.")
@parameter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@location_options
@reports_errors
def params(uncertain, wide, sets, scenarios, byproducts, fmt, data_dir, inventories):
    """List the parameters: value, unit, range or distribution, source (with --set/--scenario applied)."""
    from lca.output.analysis import dumps, params_rows, params_table
    from lca.subjects.changes import resolve_changes

    with open_project_quietly(data_dir, inventories) as project:
        model = project.parametric_model()
        values = None
        if sets or scenarios or byproducts:
            from lca.subjects.byproducts import switch_changes

            fixed = switch_changes(model, byproducts) if byproducts else ()
            resolved = resolve_changes(model, tuple(sets), tuple(scenarios), project.inventories, fixed)
            values = model.evaluate(resolved.values).values
    rows = params_rows(model, values)
    if uncertain:
        rows = [r for r in rows if r["distribution"]]
    if fmt == "json":
        click.echo(dumps({"parameters": rows}), nl=False)
    else:
        click.echo(params_table(rows, wide=wide), nl=False)


@click.command()
@click.option("--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
              help="Folder of inventory workbooks; its 'scenarios' folder is listed first. Env: LCA_INVENTORIES.")
@reports_errors
def scenarios(inventories):
    """List the named scenarios (YAML files) that --scenario accepts."""
    from pathlib import Path

    from lca.subjects.changes import list_scenarios

    for scenario in list_scenarios(Path(inventories) if inventories else None):
        values = ", ".join(f"{c.name} = {c.value:g}" for c in scenario.changes)
        click.echo(f"{scenario.name}: {scenario.description}\n    sets {values}\n    source: {scenario.source}\n"
                   f"    file: {scenario.path}")


def open_project_quietly(data_dir, inventories):
    from lca.brightway.project import open_project

    return open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr())


def study_options(function):
    for option in reversed([
        click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100)."),
        click.option("--basis", default=None, help="Comparisons: functional unit, e.g. cam for nickel."),
        click.option("--primary-route", default=None, help="Comparisons: which primary route to compare."),
        click.option("--copper", default=None, help="Products: copper route of the chosen supply (default scrap)."),
        click.option("--recycled-nickel", type=SHARE, default=None, metavar="X",
                     help="Products: recycled nickel share of the chosen supply (default 0.2)."),
        allocation_option(),
    ]):
        function = option(function)
    return function


def _study(bd, project, subject, basis, primary_route, copper, recycled_nickel, changes=None):
    from lca.analysis.uncertainty import study_for

    study = study_for(bd, project.databases, subject, basis=basis, primary_route=primary_route, copper=copper,
                      recycled_nickel=recycled_nickel, changes=changes)
    if study.note:
        click.echo(f"note: {study.note}", err=True)
    return study


def _transforms(bd, project, allocation, changes, subject, primary_route):
    """The recycling allocation's transforms of the recycled routes (none for cut-off)."""
    from lca.subjects.allocation import transforms_for
    from lca.subjects.routes import list_comparisons

    return transforms_for(list_comparisons(bd, project.databases), allocation, project.parametric_model(),
                          changed_values(changes), {subject: primary_route})


@click.command()
@click.argument("subject")
@click.option("-n", "--iterations", default=10000, show_default=True, type=ITERATIONS,
              help="Number of paired draws.")
@click.option("--seed", type=SEED, default=None, help="Random seed; the same seed gives the same numbers. "
              "Without it a seed is chosen and printed.")
@click.option("--sources", type=click.Choice(["all", "parameters", "exchanges"]), default="all", show_default=True,
              help="Draw parameter distributions, exchange distributions, or both.")
@study_options
@parameter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@location_options
@reports_errors
def uncertainty(subject, iterations, seed, sources, method_text, basis, primary_route, copper, recycled_nickel,
                allocation, sets, scenarios, byproducts, fmt, data_dir, inventories):
    """Paired Monte Carlo of SUBJECT (copper, nickel, or a product against conventional supply).

    Both routes are computed from the same draws, so the spread of the difference is right.
    Parameter distributions and exchange distributions from the workbooks are drawn.
    """
    from lca.analysis.montecarlo import DrawSources
    from lca.analysis.uncertainty import run_uncertainty
    from lca.brightway.methods import get_method
    from lca.output.analysis import dumps, uncertainty_dict, uncertainty_table

    method = get_method(method_text)
    seed = choose_seed(seed)
    chosen = DrawSources(parameters=sources in ("all", "parameters"), exchanges=sources in ("all", "exchanges"))
    with open_project_quietly(data_dir, inventories) as project:
        import bw2data as bd

        changes = parameter_changes(project, sets, scenarios, byproducts=byproducts)
        study = _study(bd, project, subject, basis, primary_route, copper, recycled_nickel, changes)
        transforms = _transforms(bd, project, allocation, changes, subject, primary_route)
        with _progress(iterations) as advance:
            result = run_uncertainty(bd, study, method, project.parametric_model(), n=iterations, seed=seed,
                                     changes=changes, sources=chosen, progress=advance, transforms=transforms,
                                     allocation=allocation)
    if fmt == "json":
        click.echo(dumps(uncertainty_dict(result, fingerprint=project.fingerprint)), nl=False)
    else:
        click.echo(uncertainty_table(result), nl=False)


@click.command()
@click.argument("subject")
@click.option("--samples", default=1024, show_default=True, type=SOBOL_SAMPLES,
              help="Sobol base sample size N (a power of 2); N x (parameters + 2) evaluations. 0 skips Sobol.")
@click.option("--seed", type=SEED, default=None, help="Seed of the Sobol sample; chosen and printed when not given.")
@study_options
@parameter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@location_options
@reports_errors
def sensitivity(subject, samples, seed, method_text, basis, primary_route, copper, recycled_nickel, allocation, sets,
                scenarios, byproducts, fmt, data_dir, inventories):
    """Rank the parameters by their effect on SUBJECT's difference: one at a time, and Sobol indices."""
    from lca.analysis.sensitivity import analyse
    from lca.analysis.uncertainty import system_for
    from lca.brightway.methods import get_method
    from lca.output.analysis import dumps, sensitivity_dict, sensitivity_table

    method = get_method(method_text)
    seed = choose_seed(seed)
    with open_project_quietly(data_dir, inventories) as project:
        import bw2data as bd

        changes = parameter_changes(project, sets, scenarios, byproducts=byproducts)
        study = _study(bd, project, subject, basis, primary_route, copper, recycled_nickel, changes)
        system = system_for(bd, study, method, project.parametric_model(), changes,
                            _transforms(bd, project, allocation, changes, subject, primary_route))
        unit = bd.Method(method.name).metadata.get("unit", "")
        result = analyse(system, subject=study.subject, functional_unit=study.functional_unit, method=method,
                         unit=unit, labels=study.labels, samples=samples, seed=seed,
                         settings=changes.settings if changes else ())
    if fmt == "json":
        click.echo(dumps(sensitivity_dict(result, fingerprint=project.fingerprint)), nl=False)
    else:
        click.echo(sensitivity_table(result), nl=False)


class _progress:
    """A progress bar on stderr for long runs in a terminal; otherwise nothing."""

    def __init__(self, total: int):
        from lca.analysis.montecarlo import CHUNK

        self.bar = None
        if total > 4 * CHUNK and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Drawing", file=sys.stderr)

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
