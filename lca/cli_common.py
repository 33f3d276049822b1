"""What the command modules share: the error-to-exit-code wrapper, progress, common options."""

from __future__ import annotations

import functools
import sys

import click

from .errors import LCAError

__all__ = ["FORMATS", "UserError", "reports_errors", "progress_to_stderr", "location_options", "parameter_options",
           "parameter_changes", "allocation_option", "changed_values", "choose_seed"]

FORMATS = click.Choice(["table", "json", "csv"])


class UserError(click.ClickException):
    """An LCAError shown to the user: message on stderr, exit code 1, no traceback."""

    exit_code = 1


def reports_errors(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except LCAError as exc:
            raise UserError(str(exc)) from exc

    return wrapper


def progress_to_stderr():
    """Progress lines for stderr, bound now: Brightway's own output is silenced while building."""
    stream = sys.stderr

    def progress(message: str) -> None:
        print(message, file=stream, flush=True)

    return progress


def location_options(function):
    function = click.option(
        "--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
        help="Folder of inventory workbooks (default: the shipped set). Env: LCA_INVENTORIES.",
    )(function)
    function = click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=str),
        help="Brightway data folder (default: BRIGHTWAY2_DIR, else a per-user folder).",
    )(function)
    return function


def parameter_options(function):
    """--set NAME=VALUE and --scenario FILE, both repeatable (lca.scenarios)."""
    function = click.option(
        "--scenario", "scenarios", multiple=True, metavar="FILE|NAME",
        help="Apply the parameter values of a scenario YAML file, or of a named scenario (see `lca scenarios`). "
             "Repeatable; later ones win.",
    )(function)
    function = click.option(
        "--set", "sets", multiple=True, metavar="NAME=VALUE",
        help="Set a parameter for this run, in its unit (see `lca params`); repeatable, applied after --scenario.",
    )(function)
    return function


def parameter_changes(project, sets, scenarios):
    """The matrix changes for --set/--scenario in an open project (None when none are given)."""
    if not sets and not scenarios:
        return None
    from .scenarios import matrix_changes, resolve_changes

    model = project.parametric_model()
    return matrix_changes(model, resolve_changes(model, tuple(sets), tuple(scenarios), project.inventories))


def allocation_option(*, allow_all: bool = False):
    """--allocation cut-off|avoided-burden|cff (and 'all' where the results go side by side)."""
    from .allocation import APPROACHES

    choices = list(APPROACHES) + (["all"] if allow_all else [])
    return click.option(
        "--allocation", type=click.Choice(choices), default="cut-off", show_default=True,
        help="Recycling allocation: cut-off (recycled content, 100:0), avoided-burden (end of life, 0:100) or cff "
             "(PEF Circular Footprint Formula, parameters cff_* in the workbooks)"
             + ("; 'all' shows the three side by side." if allow_all else "."),
    )


def changed_values(changes) -> dict:
    """Parameter id -> value after --set/--scenario (empty when nothing was changed)."""
    return dict(changes.values) if changes else {}


def choose_seed(seed: int | None) -> int:
    """The seed to use: the given one, or a fresh one that the output then records (so any run can be repeated)."""
    if seed is not None:
        if seed < 0:
            raise UserError(f"--seed {seed} is negative; give a whole number from 0 up.")
        return seed
    import secrets

    return secrets.randbelow(2**31)
