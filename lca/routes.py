"""What is compared: comparisons, routes, supply mixes and bases are data in the workbooks.

Metadata rows under an ``Activity`` declare them:

* a **route**: ``comparison`` (e.g. ``nickel``), ``route`` (an id), ``route label``, and
  optionally ``route group`` (``primary`` or ``recycled``) and ``default route`` (``yes``, on
  the primary route compared by default). Its stages are the ``stage`` rows of the activities
  of its own database that it draws on.
* a **supply mix**: ``supply of`` = the comparison; its inputs are routes of that comparison
  (shares by formula), ``report shares`` (e.g. ``0; 0.2; 1``) lists the recycled shares
  shown by default, and ``supply basis`` (e.g. ``ni``) names the routes' own unit as a basis.
* a **basis** (another functional unit): ``basis of`` = the comparison, ``basis`` (an id) and
  ``basis label``; it draws on the routes only through the supply mix. A route's result on a
  basis is the basis's own stages plus (supply mix per basis unit) x (route's stages).

Without route groups the first two routes in workbook order are compared.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .errors import ComparisonError, Problem

__all__ = ["Route", "Basis", "ComparisonModel", "ProjectGraph", "list_comparisons", "find_comparison", "select_pair",
           "reachable", "has_burden",
           "route_problems", "parse_shares"]

GROUPS = ("primary", "recycled")


@dataclass(frozen=True)
class Route:
    comparison: str
    id: str
    label: str
    name: str
    node_id: int
    database: str
    functional_unit: str
    stage_order: tuple[str, ...]
    stages: tuple[tuple[int, str], ...]  # (node id, stage) of the foreground it draws on
    group: str = ""
    default: bool = False

    @property
    def stage_of(self) -> dict[int, str]:
        return dict(self.stages)


@dataclass(frozen=True)
class Basis:
    id: str
    label: str
    name: str
    node_id: int
    stage_order: tuple[str, ...]
    stages: tuple[tuple[int, str], ...]  # its own foreground, not through the supply mix

    @property
    def stage_of(self) -> dict[int, str]:
        return dict(self.stages)


@dataclass(frozen=True)
class ComparisonModel:
    id: str
    routes: tuple[Route, ...]
    bases: tuple[Basis, ...] = ()
    supply_node: int | None = None
    report_shares: tuple[float, ...] = ()
    default_basis: str = "default"  # the routes' own unit; the supply mix may name it ('supply basis')

    @property
    def grouped(self) -> bool:
        return any(r.group for r in self.routes)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def parse_shares(text) -> tuple[float, ...]:
    """'0; 0.2; 1' -> (0.0, 0.2, 1.0); ValueError if a part is not a share in [0, 1]."""
    shares = []
    for part in _text(text).replace(",", ";").split(";"):
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


# --- checks on the validated inventory --------------------------------------------------


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
            if member in skip or _text(other.meta("stage")):
                continue
            if has_burden(other):  # an activity with no burden of its own only passes its inputs on
                add(other, f"activity {other.name!r} is part of {label} but has no 'stage'",
                    "add a row 'stage' (e.g. 'electrorefining') under its 'Activity' row")

    routes: dict[str, dict[str, object]] = {}
    for key, activity in activities.items():
        comparison = _text(activity.meta("comparison"))
        if not comparison:
            continue
        route = _text(activity.meta("route"))
        if not route or not _text(activity.meta("route label")):
            add(activity, f"activity {activity.name!r} has 'comparison' but no 'route' or 'route label'",
                "add rows 'route' (a short id) and 'route label' under the 'Activity' row")
            continue
        if route in routes.setdefault(comparison, {}):
            add(activity, f"route {route!r} of comparison {comparison!r} is defined twice "
                f"(also at {routes[comparison][route].where})", "give each route of a comparison its own id")
            continue
        routes[comparison][route] = activity
        group = _text(activity.meta("route group")).lower()
        if group and group not in GROUPS:
            add(activity, f"route group {group!r} of route {route!r} is not one of {', '.join(GROUPS)}",
                "write 'primary' or 'recycled' in the 'route group' row")
        needs_stages(reachable(key, inputs_of, activity.database), f"route {route!r}")
    for comparison, members in routes.items():
        first = next(iter(members.values()))
        if len(members) < 2:
            add(first, f"comparison {comparison!r} has only one route",
                "declare a second activity with the same 'comparison' and another 'route'")
        defaults = [a for a in members.values() if _text(a.meta("default route")).lower() in ("yes", "true", "1")]
        if len(defaults) > 1:
            add(defaults[1], f"comparison {comparison!r} has more than one 'default route'",
                "mark exactly one primary route with 'default route' = yes")
    for key, activity in activities.items():
        supply_of = _text(activity.meta("supply of"))
        if supply_of:
            if supply_of not in routes:
                add(activity, f"'supply of' names comparison {supply_of!r}, which has no routes",
                    f"use one of: {', '.join(sorted(routes)) or 'none defined'}")
            try:
                parse_shares(activity.meta("report shares"))
            except ValueError as exc:
                add(activity, f"'report shares' {activity.meta('report shares')!r} is not a list of shares: {exc}",
                    "write shares between 0 and 1 separated by ';', e.g. 0; 0.2; 1")
        basis_of = _text(activity.meta("basis of"))
        if basis_of:
            if not _text(activity.meta("basis")) or not _text(activity.meta("basis label")):
                add(activity, f"activity {activity.name!r} has 'basis of' but no 'basis' or 'basis label'",
                    "add rows 'basis' (a short id) and 'basis label'")
            supplies = [k for k, a in activities.items() if _text(a.meta("supply of")) == basis_of]
            reach = reachable(key, inputs_of, activity.database)
            if not supplies or not set(supplies) & set(reach):
                add(activity, f"basis {activity.meta('basis')!r} does not draw on a 'supply of' {basis_of} activity",
                    "take the routes' product through the supply mix activity marked 'supply of'")
                continue
            own = reachable(key, inputs_of, activity.database, frozenset(supplies))
            bypass = [k for k in own if _text(activities[k].meta("comparison")) == basis_of]
            if bypass:
                add(activity, f"basis {activity.meta('basis')!r} draws on route {activities[bypass[0]].name!r} "
                    "directly, not through the supply mix", "take the route's product from the 'supply of' activity "
                    "only: a direct input would be counted twice")
                continue
            needs_stages(own, f"basis {activity.meta('basis')!r}", skip=set(supplies))
    return problems


# --- reading them back from the Brightway project --------------------------------------


class ProjectGraph:
    """The nodes of the inventory databases, with each one's technosphere inputs read once."""

    def __init__(self, bd, databases):
        self.nodes = {node.key: node for name in databases for node in bd.Database(name)}
        self._inputs: dict = {}

    def technosphere(self, key) -> list[tuple[tuple[str, str], float, str]]:
        """(input key, amount, unit) of each technosphere input of ``key``."""
        if key not in self._inputs:
            node = self.nodes.get(key)
            self._inputs[key] = [] if node is None else [
                (exc.input.key, exc["amount"], exc.get("unit", "")) for exc in node.technosphere()]
        return self._inputs[key]

    def inputs_of(self, key) -> list[tuple[str, str]]:
        return [source for source, _, _ in self.technosphere(key)]


def has_burden(activity) -> bool:
    """Emissions of its own, or inputs from another database: then it needs a ``stage``."""
    return any(e.type == "biosphere" or (e.type not in ("production", "biosphere") and e.input[0] != activity.database)
               for e in activity.exchanges)


def list_comparisons(bd, databases, graph: ProjectGraph | None = None) -> dict[str, ComparisonModel]:
    """All comparisons in the project's inventory databases."""
    graph = graph or ProjectGraph(bd, databases)
    nodes, inputs_of = graph.nodes, graph.inputs_of

    def staged(members):
        pairs = [(nodes[m], _text(nodes[m].get("stage"))) for m in members if _text(nodes[m].get("stage"))]
        pairs.sort(key=lambda pair: pair[0].get("source row") or 0)
        return tuple(dict.fromkeys(stage for _, stage in pairs)), tuple((n.id, stage) for n, stage in pairs)

    found: dict[str, list] = {}
    supplies: dict[str, object] = {}
    bases: dict[str, list] = {}
    for node in nodes.values():
        if _text(node.get("supply of")):
            supplies[_text(node.get("supply of"))] = node
    for key, node in nodes.items():
        comparison = _text(node.get("comparison"))
        if comparison:
            order, stages = staged(reachable(key, inputs_of, key[0]))
            found.setdefault(comparison, []).append((node.get("source row") or 0, Route(
                comparison=comparison, id=_text(node.get("route")), label=_text(node.get("route label")),
                name=node["name"], node_id=node.id, database=key[0],
                functional_unit=f"1 {node['unit']} of {node.get('reference product') or node['name']}",
                stage_order=order, stages=stages, group=_text(node.get("route group")).lower(),
                default=_text(node.get("default route")).lower() in ("yes", "true", "1"),
            )))
        basis_of = _text(node.get("basis of"))
        if basis_of and basis_of in supplies:
            stop = frozenset({supplies[basis_of].key})
            order, stages = staged(reachable(key, inputs_of, key[0], stop))
            bases.setdefault(basis_of, []).append((node.get("source row") or 0, Basis(
                id=_text(node.get("basis")), label=_text(node.get("basis label")), name=node["name"],
                node_id=node.id, stage_order=order, stages=stages)))
    models = {}
    for comparison, items in sorted(found.items()):
        supply = supplies.get(comparison)
        models[comparison] = ComparisonModel(
            id=comparison,
            routes=tuple(r for _, r in sorted(items, key=lambda item: item[0])),
            bases=tuple(b for _, b in sorted(bases.get(comparison, []), key=lambda item: item[0])),
            supply_node=supply.id if supply is not None else None,
            report_shares=parse_shares(supply.get("report shares")) if supply is not None else (),
            default_basis=(_text(supply.get("supply basis")) if supply is not None else "") or "default",
        )
    return models


def find_comparison(bd, databases, comparison: str) -> ComparisonModel:
    comparisons = list_comparisons(bd, databases)
    if comparison not in comparisons:
        offered = ", ".join(comparisons) or "none"
        raise ComparisonError(f"No comparison {comparison!r} in the inventories (they define: {offered}). "
                              "Mark route activities with a 'comparison' row in the workbooks.")
    return comparisons[comparison]


def select_pair(model: ComparisonModel, primary_route: str | None = None) -> tuple[Route, Route]:
    """The reference route (a primary one) and the alternative (the recycled one)."""
    if model.grouped:
        primaries = [r for r in model.routes if r.group == "primary"]
        recycled = [r for r in model.routes if r.group == "recycled"]
        if not primaries or not recycled:
            raise ComparisonError(f"Comparison {model.id!r} needs a route of group 'primary' and one of group "
                                  "'recycled'; add 'route group' rows to its route activities.")
        if primary_route is None:
            reference = next((r for r in primaries if r.default), primaries[0])
        else:
            matches = [r for r in primaries if r.id == primary_route]
            if not matches:
                offered = ", ".join(r.id for r in primaries)
                raise ComparisonError(f"--primary-route {primary_route!r} is not a primary route of {model.id}. "
                                      f"Use one of: {offered}.")
            reference = matches[0]
        return reference, recycled[0]
    if primary_route is not None and primary_route != model.routes[0].id:
        offered = ", ".join(r.id for r in model.routes)
        raise ComparisonError(f"--primary-route {primary_route!r}: comparison {model.id!r} has no alternative "
                              f"primary routes (its routes: {offered}).")
    return model.routes[0], model.routes[1]
