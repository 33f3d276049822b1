"""The rows that declare products, their parts and closed loops, and their checks on a validated
inventory, with the mass-closure rule (described in :mod:`lca.subjects.products`, which reads the
same rows back from the Brightway project)."""

from __future__ import annotations

from dataclasses import dataclass

from lca.errors import Problem
from lca.inventory.route_rows import has_burden, reachable
from lca.inventory.route_rows import text as _text
from lca.inventory.site_rows import is_site

__all__ = ["ClosedLoop", "LOOP_ROWS", "MASS_UNITS", "DEFAULT_TOLERANCE", "OTHER_SOURCE_PREFIX", "product_mass",
           "product_problems", "loop_of"]


MASS_UNITS = {"kilogram": 1.0, "metric ton": 1000.0, "gram": 0.001}


DEFAULT_TOLERANCE = 0.05


LOOP_ROWS = (("closed loop", "the comparison whose supply mix the recycled scrap feeds"),
             ("loop scrap rate", "a parameter of this workbook: the share of the material made that is scrapped"),
             ("loop recovery", "a formula over the parameters of the comparison's recycled route's workbook: the "
                               "recycled material that comes back per unit in the gross material"),
             ("loop other source", "a parameter of this workbook: a recycled share from a named other source "
                                   "(0 unless its source names one)"))


OTHER_SOURCE_PREFIX = "other source:"


@dataclass(frozen=True)
class ClosedLoop:
    """A part's closed loop, as declared in its rows (see the module docstring)."""

    part: str  # the part's activity name
    database: str  # the part's database (where scrap_rate and other_source live)
    comparison: str
    scrap_rate: str  # parameter name
    recovery: str  # formula
    other_source: str  # parameter name


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def product_mass(key, exchanges_of, unit_of, _seen=None) -> float:
    """Mass in kg of one unit of ``key`` by the closure rule above.

    ``exchanges_of(key)`` yields (input key, amount, unit) of its technosphere inputs;
    ``unit_of(key)`` gives an activity's unit.
    """
    seen = _seen or set()
    if key in seen:
        raise ValueError(f"loop through {key}")
    seen = seen | {key}
    mass = 0.0
    for source, amount, unit in exchanges_of(key):
        if unit in MASS_UNITS:
            mass += amount * MASS_UNITS[unit]
        elif source[0] == key[0] and unit_of(source) == "unit":
            mass += amount * product_mass(source, exchanges_of, unit_of, seen)
    return mass


def product_problems(inventory) -> list[Problem]:
    """Check the product metadata and the mass closure of a validated inventory."""

    activities = inventory.activities
    problems: list[Problem] = []

    def exchanges_of(key):
        return [(e.input, e.amount, e.unit) for e in activities[key].exchanges if e.type == "technosphere"]

    def inputs_of(key):
        return [e.input for e in activities[key].exchanges if e.type not in ("production", "biosphere")]

    problems += _loop_problems(inventory)
    seen: dict[str, object] = {}
    for key, activity in activities.items():
        product = _text(activity.meta("product"))
        if not product:
            continue
        if product in seen:
            problems.append(Problem(activity.where, f"product id {product!r} is used twice (also at {seen[product]})",
                                    "give every product its own id"))
            continue
        seen[product] = activity.where
        declared = _number(activity.meta("declared mass (kg)"))
        tolerance = _number(activity.meta("mass tolerance"))
        tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
        if not _text(activity.meta("product label")):
            problems.append(Problem(activity.where, f"product {product!r} has no 'product label'",
                                    "add a row 'product label' with a readable name"))
        if declared is None or declared <= 0:
            problems.append(Problem(activity.where, f"product {product!r} has no positive 'declared mass (kg)' "
                                    f"(found {activity.meta('declared mass (kg)')!r})",
                                    "add a row 'declared mass (kg)' with the product's mass per unit"))
            continue
        try:
            mass = product_mass(key, exchanges_of, lambda k: activities[k].unit)
        except ValueError as exc:
            problems.append(Problem(activity.where, f"product {product!r}: parts form a loop ({exc})",
                                    "parts must not consume the product or each other in a circle"))
            continue
        gap = mass - declared
        if abs(gap) > tolerance * declared:
            problems.append(Problem(
                activity.where, f"product {product!r}: its materials add up to {mass:,.3f} kg per {activity.unit}, "
                f"the declared mass is {declared:,.3f} kg (gap {gap:+,.3f} kg, {gap / declared:+.1%}; tolerance "
                f"{tolerance:.0%})", "add the missing materials (or remove double counts) in kilogram, or correct "
                "'declared mass (kg)'; a row 'mass tolerance' changes the tolerance"))
        for member in reachable(key, inputs_of, activity.database):
            other = activities[member]
            # a pass-through needs no stage, nor does a site (lca.inventory.site_rows checks who draws on it)
            if not _text(other.meta("stage")) and has_burden(other) and not is_site(other.meta):
                problems.append(Problem(other.where, f"activity {other.name!r} is part of product {product!r} but "
                                        "has no 'stage'", "add a row 'stage' naming the part (e.g. 'compressor')"))
    return problems


def loop_of(get, part: str, database: str) -> ClosedLoop | None:
    """The closed loop declared by a part's rows (``get(row)`` reads one), or None."""
    comparison = _text(get("closed loop"))
    if not comparison:
        return None
    return ClosedLoop(part=part, database=database, comparison=comparison, scrap_rate=_text(get("loop scrap rate")),
                      recovery=_text(get("loop recovery")), other_source=_text(get("loop other source")))


def _loop_problems(inventory) -> list[Problem]:
    """Each declared closed loop names an existing comparison with a recycled route, parameters of its
    workbook and a recovery formula that evaluates; its other source is 0 or named."""
    from lca.inventory.formulas import FormulaError, evaluate_formula

    problems: list[Problem] = []
    parameters = {db.name: {p.name: p for p in db.parameters} for db in inventory.databases}
    project = {p.name: p.amount for p in inventory.project_parameters}
    recycled_db: dict[str, str] = {}
    for db in inventory.databases:
        for a in db.activities:
            if _text(a.meta("comparison")) and _text(a.meta("route group")) == "recycled":
                recycled_db.setdefault(_text(a.meta("comparison")), db.name)
    for db in inventory.databases:
        for activity in db.activities:
            loop = loop_of(activity.meta, activity.name, db.name)
            if loop is None:
                continue

            def add(message, hint, activity=activity):
                problems.append(Problem(activity.where, message, hint))

            what = f"the closed loop of {activity.name!r}"
            missing = [row for row, _ in LOOP_ROWS if not _text(activity.meta(row))]
            if missing:
                add(f"{what} has no {', '.join(repr(m) for m in missing)}",
                    "add the rows " + "; ".join(f"'{row}' = {text}" for row, text in LOOP_ROWS))
                continue
            if loop.comparison not in recycled_db:
                add(f"{what} feeds comparison {loop.comparison!r}, which has no recycled route",
                    "name a comparison (a 'comparison' row of the routes) that has a route with 'route group' = "
                    "recycled")
                continue
            own = parameters[db.name]
            values = {}
            for row, name in (("loop scrap rate", loop.scrap_rate), ("loop other source", loop.other_source)):
                if name not in own:
                    add(f"{what}: '{row}' names {name!r}, which is not a parameter of {db.name}",
                        f"add the parameter {name!r} to the 'Database parameters' of {db.name}, or correct the row")
                    continue
                values[row] = own[name].amount
            rate = values.get("loop scrap rate")
            if rate is not None and not 0 <= rate < 1:
                add(f"{what}: the scrap rate {loop.scrap_rate} = {rate:g} is outside 0 to below 1",
                    "a scrap rate is the share of the material made that is scrapped: 0 <= rate < 1")
            other = values.get("loop other source")
            if other is not None:
                source = own[loop.other_source].source or ""
                if not 0 <= other <= 1:
                    add(f"{what}: {loop.other_source} = {other:g} is outside 0 to 1", "give a share from 0 to 1")
                elif other > 0 and not source.strip().lower().startswith(OTHER_SOURCE_PREFIX):
                    add(f"{what}: {loop.other_source} = {other:g} supplies recycled material from another source, "
                        "but its source does not name that source",
                        f"begin the parameter's source with '{OTHER_SOURCE_PREFIX} <who supplies it, what, how "
                        "much, reference>', or set it to 0")
            symbols = dict(project)
            symbols.update({name: p.amount for name, p in parameters[recycled_db[loop.comparison]].items()})
            try:
                recovery = evaluate_formula(loop.recovery, symbols)
            except (FormulaError, ValueError, ZeroDivisionError, OverflowError) as exc:
                add(f"{what}: 'loop recovery' = {loop.recovery!r} does not evaluate over the parameters of "
                    f"{recycled_db[loop.comparison]} ({exc})",
                    "write a formula over that workbook's parameters, e.g. the recycled route's recoveries")
                continue
            if not 0 < recovery <= 1:
                add(f"{what}: the loop recovery {loop.recovery} = {recovery:g} is outside 0 (exclusive) to 1",
                    "the recovery is the recycled material that comes back per unit of it in the gross material")
    return problems
