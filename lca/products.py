"""Products are data: an activity with a ``product`` row is a product, its parts are stages.

Metadata rows under the product's ``Activity`` row: ``product`` (an id), ``product label``,
``declared mass (kg)`` and optionally ``mass tolerance`` (default 0.05). The parts are the
activities of the product's database that it draws on, each with a ``stage`` row naming the
part. A specialist adds a product by adding such an activity block; no code changes.

Closed loop (ISO 14044 4.3.4.3): a part whose production scrap is recycled back into the same
product system declares the loop in rows under its ``Activity`` row: ``closed loop`` (the
comparison whose supply mix the recycled material feeds, e.g. the one of the part's active
material), ``loop scrap rate`` (a parameter of the part's database: the share of the material
made that is scrapped, so the part carries ``1 / (1 - rate)`` gross material per good unit),
``loop recovery`` (a formula in the scope of that comparison's recycled route's database: the
recycled material that comes back per unit of it in the gross material) and ``loop other source``
(a parameter of the part's database: a recycled share from a named other source, 0 unless its
source names it). The largest recycled share the loop supplies is rate x recovery + other
(lca.footprint refuses a chosen share above it).

Mass closure: a product's mass is the sum of its inputs in mass units (kilogram, metric ton,
gram), plus, for inputs that are activities of its own database counted per ``unit``, the amount
times that activity's mass, recursively. Energy, transport and services count zero. It must
match the declared mass within the tolerance; otherwise the check reports the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ComparisonError, Problem

__all__ = ["Product", "ClosedLoop", "LOOP_ROWS", "MASS_UNITS", "product_mass", "product_problems", "list_products",
           "find_products"]

MASS_UNITS = {"kilogram": 1.0, "metric ton": 1000.0, "gram": 0.001}
DEFAULT_TOLERANCE = 0.05
# the rows that declare a closed loop on a part: (row, what it holds)
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


@dataclass(frozen=True)
class Product:
    id: str
    label: str
    name: str
    node_id: int
    unit: str
    database: str
    declared_mass_kg: float
    materials_mass_kg: float
    stage_order: tuple[str, ...]
    stages: tuple[tuple[int, str], ...]
    loops: tuple[ClosedLoop, ...] = ()  # closed loops declared on its parts

    @property
    def stage_of(self) -> dict[int, str]:
        return dict(self.stages)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


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
    from .routes import has_burden, reachable

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
            if not _text(other.meta("stage")) and has_burden(other):  # a pass-through needs no stage
                problems.append(Problem(other.where, f"activity {other.name!r} is part of product {product!r} but "
                                        "has no 'stage'", "add a row 'stage' naming the part (e.g. 'compressor')"))
    return problems


def _loop_of(get, part: str, database: str) -> ClosedLoop | None:
    """The closed loop declared by a part's rows (``get(row)`` reads one), or None."""
    comparison = _text(get("closed loop"))
    if not comparison:
        return None
    return ClosedLoop(part=part, database=database, comparison=comparison, scrap_rate=_text(get("loop scrap rate")),
                      recovery=_text(get("loop recovery")), other_source=_text(get("loop other source")))


def _loop_problems(inventory) -> list[Problem]:
    """Each declared closed loop names an existing comparison with a recycled route, parameters of its
    workbook and a recovery formula that evaluates; its other source is 0 or named."""
    from .parameters import FormulaError, evaluate_formula

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
            loop = _loop_of(activity.meta, activity.name, db.name)
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


def list_products(bd, databases) -> dict[str, Product]:
    """All products of the project's inventory databases, in workbook order."""
    from .routes import ProjectGraph, reachable

    graph = ProjectGraph(bd, databases)
    nodes, technosphere = graph.nodes, graph.technosphere

    found = []
    for key, node in nodes.items():
        product = _text(node.get("product"))
        if not product:
            continue
        members = reachable(key, graph.inputs_of, key[0])
        loops = tuple(loop for m in sorted(members, key=lambda m: nodes[m].get("source row") or 0)
                      if (loop := _loop_of(nodes[m].get, nodes[m]["name"], m[0])) is not None)
        staged = sorted(((nodes[m], _text(nodes[m].get("stage"))) for m in members if _text(nodes[m].get("stage"))),
                        key=lambda pair: pair[0].get("source row") or 0)
        found.append((node.get("source row") or 0, Product(
            id=product, label=_text(node.get("product label")), name=node["name"], node_id=node.id,
            unit=node["unit"], database=key[0], declared_mass_kg=float(node.get("declared mass (kg)")),
            materials_mass_kg=product_mass(key, technosphere, lambda k: nodes[k]["unit"]),
            stage_order=tuple(dict.fromkeys(stage for _, stage in staged)),
            stages=tuple((n.id, stage) for n, stage in staged), loops=loops,
        )))
    return {p.id: p for _, p in sorted(found, key=lambda item: (item[1].database, item[0]))}


def find_products(bd, databases, ids) -> list[Product]:
    products = list_products(bd, databases)
    missing = [i for i in ids if i not in products]
    if missing:
        offered = ", ".join(products) or "none"
        raise ComparisonError(f"No product {missing[0]!r} in the inventories (they define: {offered}). "
                              "See `lca products`; a product is an activity with a 'product' row.")
    return [products[i] for i in ids]
