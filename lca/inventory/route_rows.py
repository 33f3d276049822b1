"""The rows that declare comparisons, routes, supply mixes, bases and by-product allocation, and
their checks on a validated inventory (:mod:`lca.subjects` reads the same rows back from the
Brightway project; the rows are described in :mod:`lca.subjects.routes` and
:mod:`lca.subjects.byproducts`)."""

from __future__ import annotations

import math
import re
from collections import deque

from lca.choices import ByproductAllocation
from lca.errors import ParameterError, Problem
from lca.inventory.site_rows import is_site

__all__ = ["text", "GROUPS", "parse_shares", "reachable", "has_burden", "route_problems", "byproduct_problems",
           "FLAGS", "FACTOR_KEY", "COPRODUCTS_KEY", "PREALLOCATED_KEY"]


GROUPS = ("primary", "recycled")


def text(value) -> str:
    """A cell's text, stripped ('' for an empty cell)."""
    return "" if value is None else str(value).strip()


def parse_shares(cell) -> tuple[float, ...]:
    """'0; 0.2; 1' -> (0.0, 0.2, 1.0); ValueError if a part is not a share in [0, 1]."""
    shares = []
    for part in text(cell).replace(",", ";").split(";"):
        if part.strip():
            value = float(part)
            if not 0 <= value <= 1:
                raise ValueError(f"{value:g} is not between 0 and 1")
            shares.append(value)
    return tuple(shares)


def reachable(start, inputs_of, database: str, stop=frozenset()) -> list:
    """Keys of the activities of ``database`` that ``start`` draws on (itself included),
    not going through the keys in ``stop``."""
    seen, queue, order = {start}, deque([start]), [start]
    while queue:
        for key in inputs_of(queue.popleft()):
            if key[0] == database and key not in seen and key not in stop:
                seen.add(key)
                queue.append(key)
                order.append(key)
    return order


def route_problems(inventory) -> list[Problem]:
    """Check the comparison, route, supply and basis metadata of a validated inventory."""
    problems: list[Problem] = []
    activities = inventory.activities

    def inputs_of(key):
        return [e.input for e in activities[key].exchanges if e.type not in ("production", "biosphere")]

    def add(activity, message, hint):
        problems.append(Problem(activity.where, message, hint))

    def needs_stages(members, label, skip=()):
        for member in members:
            other = activities[member]
            if member in skip or text(other.meta("stage")) or is_site(other.meta):  # site_rows checks sites
                continue
            if has_burden(other):  # an activity with no burden of its own only passes its inputs on
                add(other, f"activity {other.name!r} is part of {label} but has no 'stage'",
                    "add a row 'stage' (e.g. 'electrorefining') under its 'Activity' row")

    routes: dict[str, dict[str, object]] = {}
    for key, activity in activities.items():
        comparison = text(activity.meta("comparison"))
        if not comparison:
            continue
        route = text(activity.meta("route"))
        if not route or not text(activity.meta("route label")):
            add(activity, f"activity {activity.name!r} has 'comparison' but no 'route' or 'route label'",
                "add rows 'route' (a short id) and 'route label' under the 'Activity' row")
            continue
        if route in routes.setdefault(comparison, {}):
            add(activity, f"route {route!r} of comparison {comparison!r} is defined twice "
                f"(also at {routes[comparison][route].where})", "give each route of a comparison its own id")
            continue
        routes[comparison][route] = activity
        _check_exempted(activity, add)
        group = text(activity.meta("route group")).lower()
        if group and group not in GROUPS:
            add(activity, f"route group {group!r} of route {route!r} is not one of {', '.join(GROUPS)}",
                "write 'primary' or 'recycled' in the 'route group' row")
        needs_stages(reachable(key, inputs_of, activity.database), f"route {route!r}")
    for comparison, members in routes.items():
        first = next(iter(members.values()))
        if len(members) < 2:
            add(first, f"comparison {comparison!r} has only one route",
                "declare a second activity with the same 'comparison' and another 'route'")
        defaults = [a for a in members.values() if text(a.meta("default route")).lower() in ("yes", "true", "1")]
        if len(defaults) > 1:
            add(defaults[1], f"comparison {comparison!r} has more than one 'default route'",
                "mark exactly one primary route with 'default route' = yes")
    for key, activity in activities.items():
        supply_of = text(activity.meta("supply of"))
        if supply_of:
            if supply_of not in routes:
                add(activity, f"'supply of' names comparison {supply_of!r}, which has no routes",
                    f"use one of: {', '.join(sorted(routes)) or 'none defined'}")
            try:
                parse_shares(activity.meta("report shares"))
            except ValueError as exc:
                add(activity, f"'report shares' {activity.meta('report shares')!r} is not a list of shares: {exc}",
                    "write shares between 0 and 1 separated by ';', e.g. 0; 0.2; 1")
            problems.extend(_supply_row_problems(activity, supply_of, routes.get(supply_of, {})))
        if supply_of or text(activity.meta("basis of")):
            problems.extend(quantity_problems(activity))
        basis_of = text(activity.meta("basis of"))
        if basis_of:
            if not text(activity.meta("basis")) or not text(activity.meta("basis label")):
                add(activity, f"activity {activity.name!r} has 'basis of' but no 'basis' or 'basis label'",
                    "add rows 'basis' (a short id) and 'basis label'")
            supplies = [k for k, a in activities.items() if text(a.meta("supply of")) == basis_of]
            reach = reachable(key, inputs_of, activity.database)
            if not supplies or not set(supplies) & set(reach):
                add(activity, f"basis {activity.meta('basis')!r} does not draw on a 'supply of' {basis_of} activity",
                    "take the routes' product through the supply mix activity marked 'supply of'")
                continue
            every_supply = frozenset(k for k, a in activities.items() if text(a.meta("supply of")))
            own = reachable(key, inputs_of, activity.database, every_supply)  # another comparison's mix too
            bypass = [k for k in own if text(activities[k].meta("comparison")) == basis_of]
            if bypass:
                add(activity, f"basis {activity.meta('basis')!r} draws on route {activities[bypass[0]].name!r} "
                    "directly, not through the supply mix", "take the route's product from the 'supply of' activity "
                    "only: a direct input would be counted twice")
                continue
            needs_stages(own, f"basis {activity.meta('basis')!r}", skip=every_supply)
    return problems


# the rows of a supply mix that make products' supply data (read back by lca.subjects.supply)
CONVENTIONAL_ROW = "conventional supply"
CHOSEN_ROW = "chosen supply"
SUPPLY_ROWS = (CONVENTIONAL_ROW, CHOSEN_ROW)
QUANTITY_ROW = "product quantity"
QUANTITY_LABEL_ROW = "product quantity label"


def _supply_row_problems(activity, comparison: str, routes: dict) -> list[Problem]:
    """A supply mix's 'conventional supply' / 'chosen supply' rows name a route of its comparison or
    give a share from 0 to 1; a 'product quantity' id is a plain name (it becomes a JSON key)."""
    problems = []
    for row in SUPPLY_ROWS:
        value = activity.meta(row)
        if value is None or text(value) == "":
            if row in dict(activity.metadata):
                problems.append(Problem(activity.meta_where(row), f"'{row}' of supply mix {activity.name!r} has no "
                                        "value", "write a route id or a recycled share from 0 to 1, or delete the row"))
            continue
        try:
            share = float(value)
        except (TypeError, ValueError):
            if routes and text(value) not in routes:
                problems.append(Problem(activity.meta_where(row), f"'{row}' of supply mix {activity.name!r} names "
                                        f"{text(value)!r}, which is not a route of comparison {comparison!r}",
                                        f"write one of its routes ({', '.join(sorted(routes))}) or a recycled share "
                                        "from 0 to 1"))
            continue
        if not math.isfinite(share) or not 0 <= share <= 1:
            problems.append(Problem(activity.meta_where(row), f"'{row}' of supply mix {activity.name!r} is {value!r}, "
                                    "not a share from 0 to 1",
                                    "write a recycled share such as 0 or 0.2, or a route id"))
    return problems


def quantity_problems(activity) -> list[Problem]:
    key = text(activity.meta(QUANTITY_ROW))
    if key and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return [Problem(activity.meta_where(QUANTITY_ROW), f"'{QUANTITY_ROW}' {key!r} of {activity.name!r} is not "
                        "a plain name (it is a key of the JSON output)", "write letters, digits and _, e.g. "
                        "copper_cathode_kg")]
    return []


def has_burden(activity) -> bool:
    """Emissions of its own, or inputs from another database: then it needs a ``stage``."""
    return any(e.type == "biosphere" or (e.type not in ("production", "biosphere") and e.input[0] != activity.database)
               for e in activity.exchanges)


FLAGS = {ByproductAllocation.MASS: "byproduct_mass", ByproductAllocation.ECONOMIC: "byproduct_economic"}


FACTOR_KEY = "allocation factor"


COPRODUCTS_KEY = "co-products"


PREALLOCATED_KEY = "pre-allocated"  # data allocated by their source, which the switch cannot change


def approach_of_flags(mass: float, economic: float, where: str) -> ByproductAllocation:
    if mass not in (0.0, 1.0) or economic not in (0.0, 1.0) or mass + economic > 1:
        raise ParameterError(f"{where}: by-product allocation flags byproduct_mass = {mass:g} and "
                             f"byproduct_economic = {economic:g} do not name one approach; use 0/0 (none), "
                             "1/0 (mass) or 0/1 (economic), or the by-product allocation switch")
    if mass:
        return ByproductAllocation.MASS
    return ByproductAllocation.ECONOMIC if economic else ByproductAllocation.NONE


def byproduct_problems(inventory) -> list[Problem]:
    """Check the by-product allocation data of a validated inventory (see the module docstring)."""
    problems: list[Problem] = []
    for database in inventory.databases:
        names = {p.name: p for p in database.parameters}
        flags = [flag for flag in FLAGS.values() if flag in names]
        allocated = [a for a in database.activities if text(a.meta(FACTOR_KEY))]
        place = allocated[0].where if allocated else (database.activities[0].where if database.activities else None)
        if len(flags) == 1 and place is not None:
            missing = next(f for f in FLAGS.values() if f not in names)
            problems.append(Problem(place, f"database {database.name} declares {flags[0]} but not {missing}",
                                    f"add the database parameter {missing} (0 or 1) beside {flags[0]}"))
        elif len(flags) == 2 and place is not None:
            mass, economic = (names[f].amount for f in FLAGS.values())
            try:
                approach_of_flags(float(mass), float(economic), database.name)
            except ParameterError as exc:
                problems.append(Problem(place, str(exc), "write 0 or 1 in both flags, at most one of them 1"))
        for activity in allocated:
            name = text(activity.meta(FACTOR_KEY))
            local = {p.name for p in activity.parameters}
            if name not in names and name not in local:
                problems.append(Problem(activity.where, f"'{FACTOR_KEY}' of {activity.name!r} names {name!r}, "
                                        f"which is not a parameter of {database.name}",
                                        "name the parameter that holds this process's allocation factor"))
                continue
            if len(flags) < 2:
                problems.append(Problem(activity.where, f"{activity.name!r} is allocated ({name}) but "
                                        f"{database.name} has no by-product allocation flags",
                                        f"add database parameters {' and '.join(FLAGS.values())}"))
            for exchange in activity.exchanges:
                if exchange.type == "production":
                    continue
                if not exchange.formula or name not in _symbols(exchange.formula):
                    problems.append(Problem(
                        exchange.where,
                        f"exchange {exchange.name or exchange.input[1]!r} of the multi-output process "
                        f"{activity.name!r} does not use its allocation factor {name}: part of the process's "
                        "burden (or of its upstream chain) would stay unallocated",
                        f"multiply its formula by {name} (an exchange without a formula: write the formula "
                        f"'<amount> * {name}')"))
    return problems


def _symbols(formula: str) -> frozenset:
    from lca.inventory.formulas import compile_formula

    try:
        return compile_formula(formula).names
    except Exception:  # a formula that does not compile is reported by the formula checks
        return frozenset()


def approach_of(values: dict) -> ByproductAllocation | None:
    """The approach that evaluated parameter ``values`` (id -> value) select, the same in every
    workbook; None when no workbook declares the flags."""
    found = set()
    for pid, value in values.items():
        database, _, name = pid.rpartition(".")
        if name == FLAGS[ByproductAllocation.MASS]:
            economic = values.get(f"{database}.{FLAGS[ByproductAllocation.ECONOMIC]}", 0.0)
            found.add(approach_of_flags(float(value), float(economic), pid))
    if len(found) > 1:
        raise ParameterError("the workbooks select different by-product allocations "
                             f"({', '.join(sorted(a.value for a in found))}); compared routes must be treated "
                             "alike: set the flags byproduct_mass/byproduct_economic the same in every workbook, "
                             "or use the by-product allocation switch")
    return found.pop() if found else None


def check_flag_values(values: dict) -> None:
    """Refuse flag values that name no single approach, or different approaches in two workbooks."""
    approach_of(values)


EXEMPTED = "exempted emissions percent"  # the route's estimated exclusions (PACT exemptedEmissionsPercent)
EXEMPTED_SOURCE = "exempted emissions source"


def _check_exempted(activity, add) -> None:
    """A route's 'exempted emissions percent' is a number from 0 to 100 with an 'exempted emissions source'."""
    percent, source = activity.meta(EXEMPTED), text(activity.meta(EXEMPTED_SOURCE))
    if percent is None or text(percent) == "":
        if source:
            add(activity, f"route {activity.name!r} has '{EXEMPTED_SOURCE}' but no '{EXEMPTED}'",
                f"add a row '{EXEMPTED}' with the estimated exclusions in percent of the route's result")
        return
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= 100):
        add(activity, f"'{EXEMPTED}' of route {activity.name!r} is {percent!r}",
            "write a number from 0 to 100 (percent of the route's result; docs/cut-off.md)")
    elif not source:
        add(activity, f"route {activity.name!r} has '{EXEMPTED}' but no '{EXEMPTED_SOURCE}'",
            "say where the estimate comes from (e.g. 'docs/cut-off.md, copper, sum C2')")
