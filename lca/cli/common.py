"""What the command modules share: the error-to-exit-code wrapper, progress, common options."""

from __future__ import annotations

import functools
import math
import sys

import click

from lca.choices import ByproductAllocation, RecyclingAllocation
from lca.errors import LCAError, SupplyError, SupplyParameterError
from lca.runs import MAX_AMOUNT, Changes, Where, brief, parse_supply

__all__ = ["format_option", "UserError", "reports_errors", "progress_to_stderr", "Counter", "location_options",
           "parameter_options",
           "changes_of", "where_of", "note_to_stderr", "supply_options", "supply_texts", "SUPPLY", "plot_option",
           "write_plot",
           "allocation_option", "choose_seed", "Number", "WholeNumber",
           "NUMBER_TYPES", "FINITE", "SHARE", "TONNES", "UNITS", "ITERATIONS", "SEED", "SOBOL_SAMPLES",
           "MAX_ITERATIONS", "MAX_SOBOL_SAMPLES", "MAX_TONNES", "DATE"]

def format_option(kind: str):
    """--format with the formats lca.output renders for results of ``kind`` (table first, the default)."""
    from lca.output import formats_of

    return click.option("--format", "fmt", type=click.Choice(formats_of(kind)), default="table", show_default=True)


# --- numeric option types ------------------------------------------------------------------
# Every numeric option uses one of these, so click itself refuses NaN, infinities and values out
# of range (exit 2, the option named), before any work. tests/test_trust_cli.py walks the
# command tree and fails on a numeric option of any other type.


class Number(click.FloatRange):
    """A finite number, optionally within a range; ``hint`` says how to choose one."""

    name = "number"

    def __init__(self, min=None, max=None, min_open=False, max_open=False, *, hint: str = ""):
        super().__init__(min=min, max=max, min_open=min_open, max_open=max_open)
        self.hint = hint

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"{brief(value)} is not a number.", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{brief(value)} is not a finite number.{_hint(self.hint)}", param, ctx)
        try:
            return super().convert(number, param, ctx)
        except click.BadParameter as exc:
            raise click.BadParameter(f"{exc.message}{_hint(self.hint)}", ctx, param) from None


class WholeNumber(click.IntRange):
    """A whole number within a range (``power_of_two``: 0 or a power of 2); ``hint`` says why the range."""

    name = "integer"

    def __init__(self, min=None, max=None, *, hint: str = "", power_of_two: bool = False):
        super().__init__(min=min, max=max)
        self.hint = hint
        self.power_of_two = power_of_two

    def convert(self, value, param, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            text = str(value).strip()
            if not (text.isascii() and text.lstrip("+-").isdigit()) or len(text) > 30:
                self.fail(f"{brief(value)} is not a whole number.{_hint(self.hint)}", param, ctx)
            value = int(text)
        try:
            number = super().convert(value, param, ctx)
        except click.BadParameter as exc:
            raise click.BadParameter(f"{exc.message}{_hint(self.hint)}", ctx, param) from None
        if self.power_of_two and number and number & (number - 1):
            self.fail(f"{number} is not a power of 2.{_hint(self.hint)}", param, ctx)
        return number


class Date(click.DateTime):
    """A date YYYY-MM-DD; a bad value is quoted briefly (click's own message quotes all of it)."""

    def __init__(self):
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        if isinstance(value, str) and len(value) > 30:
            self.fail(f"{brief(value)} is not a date YYYY-MM-DD.", param, ctx)
        return super().convert(value, param, ctx)


def _hint(text: str) -> str:
    return f" {text}" if text else ""


NUMBER_TYPES = (Number, WholeNumber)

# Monte Carlo keeps every draw of both targets (and their difference, and a sorted copy for the
# percentiles) in memory: about 40 bytes per draw, measured 25 MB more for 1e6 than for 1e5 draws
# of copper, plus ~12 s per million draws on one core (lca.montecarlo solves them in chunks of
# 5,000). 10 million draws, ~0.4 GiB and a few minutes, fix the 2.5 and 97.5 % points far more
# closely than the inventory data are known.
MAX_ITERATIONS = 10_000_000
# Sobol: N x (parameters + 2) evaluations and a sample of that many rows x parameters numbers,
# held several times over (unit sample, distribution values, scores): 2**16 with 20 parameters is
# ~1.4 million evaluations and under 1 GiB.
MAX_SOBOL_SAMPLES = 2**16
# More than the world's yearly copper production (~22 Mt): a larger quantity is a unit error.
MAX_TONNES = 1e9

FINITE = Number()
DATE = Date()
SHARE = Number(0, 1, hint="Give a fraction from 0 to 1, e.g. 0.2 for 20 %.")
TONNES = Number(0, MAX_TONNES, min_open=True, hint="Give metric tonnes, more than 0 and at most 1e9.")
UNITS = Number(0, MAX_AMOUNT, min_open=True, hint="Give the number of product units, more than 0.")
ITERATIONS = WholeNumber(2, MAX_ITERATIONS, hint=f"Give 2 to {MAX_ITERATIONS:,} draws: each keeps about 40 bytes in "
                         "memory, and 10,000 already give stable percentiles.")
SEED = WholeNumber(0, 2**32 - 1, hint="Give a whole number from 0 to 4294967295.")
SOBOL_SAMPLES = WholeNumber(0, MAX_SOBOL_SAMPLES, power_of_two=True,
                            hint=f"Give 0 (no Sobol) or a power of 2 up to {MAX_SOBOL_SAMPLES:,}, e.g. 512 or 1024: "
                                 "the work is N x (parameters + 2) evaluations.")


class UserError(click.ClickException):
    """An LCAError shown to the user: message on stderr, exit code 1, no traceback."""

    exit_code = 1


def reports_errors(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SupplyParameterError as exc:
            c = exc.comparison
            shorthand = "".join(f" or {option} {kind.upper()}" for comparison, kind, option in SHORTHANDS
                                if comparison == c)
            raise UserError(f"{exc} Use --recycled-share X (lca compare {c}, lca report {c}), or --supply "
                            f"{c}=ROUTE|SHARE{shorthand} (lca footprint, lca report footprint, lca uncertainty and "
                            "sensitivity of a product).") from exc
        except SupplyError as exc:
            shorthand = "".join(f" or {o}" for c, _, o in SHORTHANDS if c == exc.comparison)
            option = f" (option --supply {exc.comparison}=...{shorthand})" if exc.comparison else " (option --supply)"
            raise UserError(f"{str(exc).rstrip('.')}{option}.") from exc
        except LCAError as exc:
            raise UserError(str(exc)) from exc

    return wrapper


def note_to_stderr(message: str) -> None:
    """A note of the library (a value outside its range, a share lowered): on stderr, prefixed (and
    kept with a stored output, to be written again when it is replayed)."""
    from lca.runs import result_cache

    result_cache.noted(f"note: {message}")
    click.echo(f"note: {message}", err=True)


def plot_option(function):
    """--plot FILE.png|FILE.svg: also draw the result (lca.output.plots); a bad name stops before any work."""
    return click.option(
        "--plot", "plot", metavar="FILE.png|FILE.svg", default=None, callback=_checked_plot,
        help="Also draw the result as a chart in FILE: PNG or SVG, chosen by the extension. An existing FILE is "
             "replaced.",
    )(function)


def _checked_plot(context, parameter, value):
    if value is None:
        return None
    from lca.output.plots import check_plot

    try:
        return check_plot(value)
    except LCAError as exc:
        raise UserError(f"--plot: {exc}") from exc


def write_plot(result, path) -> None:
    """Draw ``result`` into ``path`` (the --plot file, None: none asked for) and say so on stderr."""
    if path is None:
        return
    from lca.output.plots import save_plot

    click.echo(f"wrote {save_plot(result, path)}", err=True)


def progress_to_stderr():
    """Progress lines for stderr, bound now: Brightway's own output is silenced while building."""
    stream = sys.stderr

    def progress(message: str) -> None:
        print(message, file=stream, flush=True)

    return progress


def _is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (a pipe, a file or a test's capture is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class Counter:
    """Progress of a long count on one stderr line, redrawn in place ('Monte Carlo: 4,000/10,000 draws')
    while stderr is a terminal; nothing at all otherwise, so a log or a pipe gets no control characters.

    The library never prints: it calls ``counter(n)`` after each chunk of ``n`` (``counter(n, total)``
    where only the library knows the total, as in a sensitivity run). Used as a context manager, the
    line is cleared at the end, so the result starts on a clean line.
    """

    def __init__(self, label: str, total: int | None = None, unit: str = "", stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.shown = _is_terminal(self.stream)
        self.label, self.total, self.unit, self.done = label, total, unit, 0
        self.width = 0

    def __call__(self, count: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done += count
        if not self.shown:
            return
        of = f"/{self.total:,}" if self.total else ""
        text = f"{self.label}: {self.done:,}{of} {self.unit}".rstrip()
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.shown and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
        return False


def location_options(function):
    function = click.option(
        "--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
        help="Folder of inventory workbooks (default: the shipped set). Env: LCA_INVENTORIES.",
    )(function)
    function = click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=str),
        help="Brightway data folder (default: BRIGHTWAY2_DIR, else a per-user folder).",
    )(function)
    function = click.option(
        "--background", metavar="NAME|FILE.xlsx", envvar="LCA_BACKGROUND", expose_value=False,
        callback=_remember_background,
        help="Run on another background database: a mapping in <inventories>/backgrounds/NAME.xlsx, or its path "
             "(docs/background.md). Default: the shipped background. Env: LCA_BACKGROUND.",
    )(function)
    return function


def _remember_background(context, parameter, value):
    context.meta["lca.background"] = value or None
    return value


def where_of(data_dir, inventories) -> Where:
    context = click.get_current_context(silent=True)
    background = context.meta.get("lca.background") if context is not None else None
    return Where(data_dir=data_dir, inventories=inventories, background=background)


def parameter_options(function):
    """--set NAME=VALUE and --scenario FILE, both repeatable (lca.subjects.changes), and --byproducts."""
    function = click.option(
        "--byproducts", "byproducts", type=click.Choice(ByproductAllocation.values()), default=None,
        help=f"By-product (multi-output) allocation of every workbook: economic (by value), mass, or none "
             f"(the main product carries all). Default: the workbooks' own, {ByproductAllocation.default().value}.",
    )(function)
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


def changes_of(sets=(), scenarios=(), byproducts=None) -> Changes:
    return Changes(sets=tuple(sets), scenarios=tuple(scenarios), byproducts=byproducts)


class SupplyChoiceType(click.ParamType):
    """COMPARISON=ROUTE or COMPARISON=SHARE (lca.subjects.supply); a malformed one exits 2."""

    name = "COMPARISON=ROUTE|SHARE"

    def convert(self, value, param, ctx):
        try:
            return parse_supply(value).text
        except SupplyError as exc:
            self.fail(str(exc), param, ctx)


SUPPLY = SupplyChoiceType()
# Shorthands kept from the first release: --copper ROUTE is --supply copper=ROUTE, --recycled-nickel
# SHARE is --supply nickel=SHARE (comparison ids of the shipped inventories; any other comparison
# is reached with --supply).
# (comparison, "route" | "share", option); a report records these choices with them too
SHORTHANDS = (("copper", "route", "--copper"), ("nickel", "share", "--recycled-nickel"))


def supply_options(*, product_help: str = ""):
    """--supply COMPARISON=ROUTE|SHARE (repeatable) and the shorthands --copper, --recycled-nickel."""
    def decorate(function):
        function = click.option(
            "--recycled-nickel", "recycled_nickel", type=SHARE, default=None, metavar="SHARE",
            help=f"{product_help}Shorthand for --supply nickel=SHARE: recycled share of the nickel supply mix.",
        )(function)
        function = click.option(
            "--copper", "copper", default=None, metavar="ROUTE",
            help=f"{product_help}Shorthand for --supply copper=ROUTE: the copper route (primary or scrap).",
        )(function)
        function = click.option(
            "--supply", "supply", type=SUPPLY, multiple=True, metavar="COMPARISON=ROUTE|SHARE",
            help=f"{product_help}The supply of a comparison's supply mix: all from one route (copper=scrap, "
                 "cobalt=recycled) or a recycled share from 0 to 1 (nickel=0.2, lithium=0.2). Repeatable; "
                 "without it, the supply mixes' own 'conventional supply' / 'chosen supply' rows.",
        )(function)
        return function
    return decorate


def supply_texts(supply=(), copper=None, recycled_nickel=None) -> tuple[str, ...]:
    """The supply choices as COMPARISON=VALUE texts: the shorthands first, then --supply (later ones win)."""
    given = {"--copper": copper, "--recycled-nickel": recycled_nickel}
    shorthand = tuple(f"{comparison}={given[option]:g}" if isinstance(given[option], float)
                      else f"{comparison}={given[option]}" for comparison, _, option in SHORTHANDS
                      if given[option] is not None)
    return shorthand + tuple(supply)


def allocation_option(*, allow_all: bool = False):
    """--allocation cut-off|avoided-burden|cff (and 'all' where the results go side by side)."""
    choices = list(RecyclingAllocation.values()) + (["all"] if allow_all else [])
    return click.option(
        "--allocation", type=click.Choice(choices), default="cut-off", show_default=True,
        help="Recycling allocation: cut-off (recycled content, 100:0), avoided-burden (end of life, 0:100) or cff "
             "(PEF Circular Footprint Formula, parameters cff_* in the workbooks)"
             + ("; 'all' shows the three side by side." if allow_all else "."),
    )


def choose_seed(seed: int | None) -> int:
    """The seed to use: the given one, or a fresh one that the output then records (so any run can be repeated)."""
    if seed is not None:  # checked by SEED: 0 to 2**32 - 1
        return seed
    import secrets

    return secrets.randbelow(2**31)
