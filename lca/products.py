"""Products are data: an activity with a ``product`` row is a product, its parts are stages.

Metadata rows under the product's ``Activity`` row: ``product`` (an id), ``product label``,
``declared mass (kg)`` and optionally ``mass tolerance`` (default 0.05). The parts are the
activities of the product's database that it draws on, each with a ``stage`` row naming the
part. A specialist adds a product by adding such an activity block; no code changes.

Mass closure: a product's mass is the sum of its inputs in mass units (kilogram, metric ton,
gram), plus, for inputs that are activities of its own database counted per ``unit``, the amount
times that activity's mass, recursively. Energy, transport and services count zero. It must
match the declared mass within the tolerance; otherwise the check reports the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ComparisonError, Problem

__all__ = ["Product", "MASS_UNITS", "product_mass", "product_problems", "list_products", "find_products"]

MASS_UNITS = {"kilogram": 1.0, "metric ton": 1000.0, "gram": 0.001}
DEFAULT_TOLERANCE = 0.05


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
        staged = sorted(((nodes[m], _text(nodes[m].get("stage"))) for m in members if _text(nodes[m].get("stage"))),
                        key=lambda pair: pair[0].get("source row") or 0)
        found.append((node.get("source row") or 0, Product(
            id=product, label=_text(node.get("product label")), name=node["name"], node_id=node.id,
            unit=node["unit"], database=key[0], declared_mass_kg=float(node.get("declared mass (kg)")),
            materials_mass_kg=product_mass(key, technosphere, lambda k: nodes[k]["unit"]),
            stage_order=tuple(dict.fromkeys(stage for _, stage in staged)),
            stages=tuple((n.id, stage) for n, stage in staged),
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
