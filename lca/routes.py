"""What is compared: routes are data, declared in the workbooks.

A route is an activity with the metadata rows ``comparison`` (e.g. ``copper``), ``route``
(an id such as ``primary``) and ``route label``. Its stages are the ``stage`` rows of the
activities of its own database that it draws on, directly or not. Routes of one comparison
are listed in workbook order; the first is the reference of the difference.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .errors import ComparisonError, Problem

__all__ = ["Route", "find_routes", "list_comparisons", "route_problems"]


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

    @property
    def stage_of(self) -> dict[int, str]:
        return dict(self.stages)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _foreground(start_key, inputs_of, database: str) -> list:
    """Keys of the activities of ``database`` that ``start_key`` draws on (itself included)."""
    seen, queue, order = {start_key}, deque([start_key]), [start_key]
    while queue:
        for key in inputs_of(queue.popleft()):
            if key[0] == database and key not in seen:
                seen.add(key)
                queue.append(key)
                order.append(key)
    return order


def route_problems(inventory) -> list[Problem]:
    """Check the route and stage metadata of a validated inventory."""
    problems: list[Problem] = []
    activities = inventory.activities
    inputs_of = lambda key: [e.input for e in activities[key].exchanges if e.type != "production"  # noqa: E731
                             and e.type != "biosphere"]
    seen: dict[tuple[str, str], object] = {}
    counts: dict[str, int] = {}
    for key, activity in activities.items():
        comparison = _text(activity.meta("comparison"))
        if not comparison:
            continue
        route = _text(activity.meta("route"))
        if not route or not _text(activity.meta("route label")):
            problems.append(Problem(activity.where, f"activity {activity.name!r} has 'comparison' but no "
                                    "'route' or 'route label'",
                                    "add rows 'route' (a short id) and 'route label' under the 'Activity' row"))
            continue
        if (comparison, route) in seen:
            problems.append(Problem(activity.where, f"route {route!r} of comparison {comparison!r} is "
                                    f"defined twice (also at {seen[(comparison, route)]})",
                                    "give each route of a comparison its own id"))
            continue
        seen[(comparison, route)] = activity.where
        counts[comparison] = counts.get(comparison, 0) + 1
        for member in _foreground(key, inputs_of, activity.database):
            other = activities[member]
            has_burden = any(e.type == "biosphere" or (e.type != "production" and e.input[0] != other.database)
                             for e in other.exchanges)
            if not _text(other.meta("stage")) and (member != key or has_burden):
                problems.append(Problem(other.where, f"activity {other.name!r} is part of route {route!r} "
                                        "but has no 'stage'",
                                        "add a row 'stage' (e.g. 'electrorefining') under its 'Activity' row"))
    for comparison, count in counts.items():
        if count < 2:
            first = next(w for (c, _), w in seen.items() if c == comparison)
            problems.append(Problem(first, f"comparison {comparison!r} has only one route",
                                    "declare a second activity with the same 'comparison' and another 'route'"))
    return problems


def list_comparisons(bd, databases) -> dict[str, list[Route]]:
    """All comparisons in the project's inventory databases, each with its routes in workbook order."""
    nodes = {}
    for name in databases:
        for node in bd.Database(name):
            nodes[node.key] = node
    inputs_cache: dict = {}

    def inputs_of(key):
        if key not in inputs_cache:
            inputs_cache[key] = [exc.input.key for exc in nodes[key].technosphere()] if key in nodes else []
        return inputs_cache[key]

    found: dict[str, list[tuple]] = {}
    for key, node in nodes.items():
        comparison = _text(node.get("comparison"))
        if not comparison:
            continue
        members = _foreground(key, inputs_of, key[0])
        staged = [(nodes[m], _text(nodes[m].get("stage"))) for m in members if _text(nodes[m].get("stage"))]
        staged.sort(key=lambda pair: pair[0].get("source row") or 0)
        stage_order = tuple(dict.fromkeys(stage for _, stage in staged))
        route = Route(
            comparison=comparison, id=_text(node.get("route")), label=_text(node.get("route label")),
            name=node["name"], node_id=node.id, database=key[0],
            functional_unit=f"1 {node['unit']} of {node.get('reference product') or node['name']}",
            stage_order=stage_order, stages=tuple((n.id, stage) for n, stage in staged),
        )
        found.setdefault(comparison, []).append((node.get("source row") or 0, route))
    return {c: [r for _, r in sorted(items, key=lambda item: item[0])] for c, items in sorted(found.items())}


def find_routes(bd, databases, comparison: str) -> list[Route]:
    comparisons = list_comparisons(bd, databases)
    if comparison not in comparisons:
        offered = ", ".join(comparisons) or "none"
        raise ComparisonError(f"No comparison {comparison!r} in the inventories (they define: {offered}). "
                              "Mark route activities with a 'comparison' row in the workbooks.")
    return comparisons[comparison]
