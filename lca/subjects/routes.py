"""What is compared: comparisons, routes, supply mixes and bases are data in the workbooks.

Metadata rows under an ``Activity`` declare them:

* a **route**: ``comparison`` (e.g. ``nickel``), ``route`` (an id), ``route label``, and
  optionally ``route group`` (``primary`` or ``recycled``) and ``default route`` (``yes``, on
  the primary route compared by default). Its stages are the ``stage`` rows of the activities
  of its own database that it draws on.
* a **supply mix**: ``supply of`` = the comparison; its inputs are routes of that comparison
  (shares by formula), ``report shares`` (e.g. ``0; 0.2; 1``) lists the recycled shares
  shown by default, and ``supply basis`` (e.g. ``ni``) names the routes' own unit as a basis;
  ``recycled content of`` names the EU Battery Regulation metal whose active-material supply it is
  (lca.inventory.regulation_rows, docs/battery-regulation.md).
* a **basis** (another functional unit): ``basis of`` = the comparison, ``basis`` (an id) and
  ``basis label``; it draws on the routes only through the supply mix. A route's result on a
  basis is the basis's own stages plus (supply mix per basis unit) x (route's stages).

Without route groups the first two routes in workbook order are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.errors import ComparisonError
from lca.inventory.regulation_rows import METAL_ROW, metal_of
from lca.inventory.route_rows import has_burden, parse_shares, reachable, route_problems
from lca.inventory.route_rows import text as _text
from lca.rules import unknown_name
from lca.subjects.supply import CHOSEN_ROW, CONVENTIONAL_ROW, QUANTITY_LABEL_ROW, QUANTITY_ROW

__all__ = ["Route", "Basis", "ComparisonModel", "ProjectGraph", "list_comparisons", "find_comparison", "select_pair",
           "reachable", "has_burden",
           "route_problems", "parse_shares", "comparison_in"]



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
    conventional_supply: str = ""  # the supply mix's 'conventional supply' row: a route id or a share
    chosen_supply: str = ""  # its 'chosen supply' row
    quantities: tuple[tuple[str, str, int], ...] = ()  # (key, label, node id): 'product quantity' rows
    recycled_content_of: str = ""  # the supply mix's 'recycled content of' row: an Article 8 metal (battery regulation)

    @property
    def grouped(self) -> bool:
        return any(r.group for r in self.routes)








# --- checks on the validated inventory --------------------------------------------------




# --- reading them back from the Brightway project --------------------------------------


class ProjectGraph:
    """The nodes of the inventory databases, with every technosphere input read at once (one query
    over Brightway's exchange table, in its row order, as ``node.technosphere()`` gives them)."""

    def __init__(self, bd, databases):
        from bw2data import labels
        from bw2data.backends import ExchangeDataset

        self.nodes = {node.key: node for name in databases for node in bd.Database(name)}
        self._inputs: dict = {key: [] for key in self.nodes}
        query = (ExchangeDataset.select(ExchangeDataset.output_database, ExchangeDataset.output_code,
                                        ExchangeDataset.input_database, ExchangeDataset.input_code,
                                        ExchangeDataset.data)
                 .where((ExchangeDataset.output_database << list(databases))
                        & (ExchangeDataset.type << list(labels.technosphere_negative_edge_types)))
                 .order_by(ExchangeDataset.id))
        for row in query:
            output = (row.output_database, row.output_code)
            if output in self._inputs:
                self._inputs[output].append(((row.input_database, row.input_code), row.data["amount"],
                                             row.data.get("unit", "")))

    def technosphere(self, key) -> list[tuple[tuple[str, str], float, str]]:
        """(input key, amount, unit) of each technosphere input of ``key``."""
        return self._inputs.get(key, [])

    def inputs_of(self, key) -> list[tuple[str, str]]:
        return [source for source, _, _ in self.technosphere(key)]




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
    basis_keys: dict[str, list] = {}
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
            basis_keys.setdefault(basis_of, []).append(key)
            stop = frozenset(s.key for s in supplies.values())  # every supply mix, another comparison's too
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
            conventional_supply=_text(supply.get(CONVENTIONAL_ROW)) if supply is not None else "",
            chosen_supply=_text(supply.get(CHOSEN_ROW)) if supply is not None else "",
            quantities=_quantities(([supply] if supply is not None else [])
                                   + [nodes[k] for k in basis_keys.get(comparison, [])]),
            recycled_content_of=metal_of(supply.get(METAL_ROW)) if supply is not None else "",
        )
    return models


def _quantities(nodes) -> tuple[tuple[str, str, int], ...]:
    """(key, label, node id) of the nodes' 'product quantity' rows."""
    return tuple((_text(n.get(QUANTITY_ROW)), _text(n.get(QUANTITY_LABEL_ROW)) or _text(n.get(QUANTITY_ROW)), n.id)
                 for n in nodes if _text(n.get(QUANTITY_ROW)))


def find_comparison(bd, databases, comparison: str) -> ComparisonModel:
    return comparison_in(list_comparisons(bd, databases), comparison)


def comparison_in(comparisons: dict, comparison: str) -> ComparisonModel:
    """``comparisons[comparison]``, or a ComparisonError naming the comparisons there are."""
    if comparison not in comparisons:
        raise ComparisonError(f"{unknown_name('comparison', comparison, comparisons)} A comparison is made of route "
                              "activities with a 'comparison' row in the workbooks.")
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
                raise ComparisonError(unknown_name("primary route", primary_route, [r.id for r in primaries],
                                                   of=f"of comparison {model.id}"))
            reference = matches[0]
        return reference, recycled[0]
    if primary_route is not None and primary_route != model.routes[0].id:
        offered = ", ".join(r.id for r in model.routes)
        raise ComparisonError(f"primary route {primary_route!r}: comparison {model.id!r} has no alternative "
                              f"primary routes (its routes: {offered}).")
    return model.routes[0], model.routes[1]
