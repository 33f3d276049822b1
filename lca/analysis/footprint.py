"""Product footprints with the supply of each comparison switchable.

A choice of supplies is a scenario (:mod:`lca.subjects.supply`): each comparison it names takes
all its supply from one route (``copper=scrap``) or a recycled share from the recycled route and
the rest from the default primary route (``nickel=0.2``); a comparison it does not name runs as
its workbook says. The scenario is applied to the technosphere matrix itself (the supply mixes'
input columns are rewritten), then the matrix is factorised once for all products; every result
and every part split follows from it. The conventional and the chosen scenarios come from the
supply mixes' ``conventional supply`` and ``chosen supply`` rows.

Closed loops (ISO 14044 4.3.4.3): a part may declare that its production scrap goes back, through
a comparison's recycled route, into the supply mix it draws on (lca.subjects.products, ``closed
loop`` rows). The recycled share the loop supplies is at most scrap rate x recovery (+ a named other
source); a chosen share above it is refused (:func:`check_closed_loops`, run by
:func:`footprints`), and the default chosen supply takes its row's share or the loop's maximum,
whichever is lower (:func:`chosen_scenario`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from lca.analysis.battery_regulation import regulation_view
from lca.analysis.calculate import _check_sum, _lca_for, _Splitter
from lca.brightway.methods import Method
from lca.errors import ClosedLoopError, ComparisonError, LCAError, SupplyError
from lca.rules import unknown_name
from lca.subjects.products import MASS_UNITS
from lca.subjects.routes import select_pair
from lca.subjects.supply import CHOSEN_ROW, Scenario, SupplyChoice, choice_of

__all__ = ["Scenario", "ProductResult", "RouteAmount", "LoopLimit", "ClosedLoopError", "footprints", "loop_limits",
           "check_closed_loops", "chosen_scenario", "conventional_scenario", "recycled_routes"]


def _supply_models(comparisons: dict) -> list:
    return [m for m in comparisons.values() if m.supply_node is not None]


def conventional_scenario(comparisons: dict) -> Scenario:
    """The supplies of the supply mixes' ``conventional supply`` rows (the reference of --compare)."""
    return Scenario(*[choice_of(m.id, m.conventional_supply) for m in _supply_models(comparisons)
                      if m.conventional_supply])


def recycled_routes(comparisons: dict) -> dict[str, set[str]]:
    """Comparison id -> the ids of its recycled routes (group 'recycled', or the pair's alternative)."""
    found = {}
    for model in comparisons.values():
        grouped = {r.id for r in model.routes if r.group == "recycled"}
        found[model.id] = grouped or {select_pair(model)[1].id}
    return found


def check_choice(comparisons: dict, choice: SupplyChoice) -> None:
    """Refuse a choice that names no comparison with a supply mix, or no route of it."""
    model = comparisons.get(choice.comparison)
    offered = ", ".join(m.id for m in _supply_models(comparisons)) or "none"
    if model is None:
        raise SupplyError(unknown_name("comparison", choice.comparison, [m.id for m in _supply_models(comparisons)],
                                       of="with a supply mix").rstrip("."),
                          comparison=choice.comparison)
    if model.supply_node is None:
        raise SupplyError(f"comparison {choice.comparison!r} has no supply mix (an activity with a 'supply of' row), "
                          f"so a product's supply of it cannot be switched (comparisons with a supply mix: {offered})",
                          comparison=choice.comparison)
    if choice.route is not None and choice.route not in {r.id for r in model.routes}:
        message = unknown_name("route", choice.route, [r.id for r in model.routes],
                               of=f"of comparison {choice.comparison}")
        raise SupplyError(message.rstrip("."), comparison=choice.comparison)


@dataclass(frozen=True)
class LoopLimit:
    """The largest recycled share that one product's closed loop supplies, and its arithmetic."""

    product: str
    loop: object  # lca.products.ClosedLoop
    scrap_rate: float
    recovery: float
    other: float

    @property
    def maximum(self) -> float:
        return self.scrap_rate * self.recovery + self.other

    @property
    def arithmetic(self) -> str:
        loop = self.loop
        other = f" + other source {loop.database}.{loop.other_source} {self.other:g}" if self.other else ""
        return (f"scrap rate {loop.database}.{loop.scrap_rate} {self.scrap_rate:g} x recovery {self.recovery:.6g} "
                f"({loop.recovery}){other} = {self.maximum:.4g}")


def _values(bd, changes) -> dict[str, float]:
    """Parameter id -> value for this run: after --set/--scenario, else the workbooks' values."""
    if changes is not None and changes.values:
        return dict(changes.values)
    from bw2data.parameters import DatabaseParameter, ProjectParameter

    values = {p.name: p.amount for p in ProjectParameter.select()}
    values.update({f"{p.database}.{p.name}": p.amount for p in DatabaseParameter.select()})
    return values


def loop_limits(bd, products, comparisons: dict, changes=None) -> list[LoopLimit]:
    """The closed loops of ``products`` with the values of this run (``changes``: MatrixChanges)."""
    from lca.inventory.formulas import evaluate_formula

    loops = [(p.id, loop) for p in products for loop in p.loops]
    if not loops:
        return []
    values = _values(bd, changes)
    limits = []
    for product, loop in loops:
        model = comparisons.get(loop.comparison)
        if model is None:
            raise ComparisonError(f"The closed loop of {loop.part!r} feeds comparison {loop.comparison!r}, which the "
                                  f"inventories do not define (they define: {', '.join(comparisons) or 'none'}).")
        _, recycled = select_pair(model)
        scope = bd.get_node(id=recycled.node_id)["database"]
        symbols = {pid: v for pid, v in values.items() if "." not in pid}
        symbols.update({pid.split(".", 1)[1]: v for pid, v in values.items() if pid.startswith(scope + ".")})
        limits.append(LoopLimit(product, loop, float(values[f"{loop.database}.{loop.scrap_rate}"]),
                                float(evaluate_formula(loop.recovery, symbols)),
                                float(values[f"{loop.database}.{loop.other_source}"])))
    return limits


def _other_source_problem(limit: LoopLimit, changes) -> str | None:
    """A share from another source set on the command line names no source (a scenario file or
    the workbook's source cell must)."""
    pid = f"{limit.loop.database}.{limit.loop.other_source}"
    origin = next((o for p, _, o in (changes.settings if changes is not None else ()) if p == pid), None)
    if limit.other > 0 and origin == "--set":
        return (f"--set {pid} = {limit.other:g} gives the closed loop of {limit.loop.part!r} recycled material from "
                "another source without naming it. Put the value in a scenario file whose 'source' names the other "
                "source (--scenario FILE), or in the workbook with a source beginning 'other source:'.")
    return None


def check_closed_loops(bd, products, comparisons: dict, scenario: Scenario, changes=None) -> list[LoopLimit]:
    """Refuse a chosen recycled share above what a product's closed loop supplies (ClosedLoopError);
    the limits otherwise."""
    limits = loop_limits(bd, products, comparisons, changes)
    recycled = recycled_routes(comparisons)
    for limit in limits:
        problem = _other_source_problem(limit, changes)
        if problem:
            raise ClosedLoopError(problem)
        share = scenario.recycled_share(limit.loop.comparison, recycled)
        if share is None or share <= limit.maximum + 1e-12:
            continue
        loop = limit.loop
        raise ClosedLoopError(
            f"A recycled {loop.comparison} share of {share:.4g} is more than the closed loop of product "
            f"{limit.product!r} supplies: its part {loop.part!r} sends its production scrap back through the "
            f"recycled route, at most {limit.maximum:.4g} ({limit.maximum:.2%}) of the {loop.comparison} it draws "
            f"= {limit.arithmetic}. Lower the share (at most {limit.maximum:.4g}), raise the scrap rate for this run "
            f"(--set {loop.database}.{loop.scrap_rate}=...), or name another source of recycled material "
            f"({loop.database}.{loop.other_source}, in a scenario file or the workbook, with its source).")
    return limits


def chosen_scenario(bd, products, comparisons: dict, given: Scenario | None = None, changes=None) -> Scenario:
    """The chosen supply of ``--compare``, the uncertainty of a product and its report: the supply
    mixes' ``chosen supply`` rows, with the ``given`` choices in their place (checked against the
    closed loops of ``products``). A row's share is lowered to a loop's maximum when the loop
    supplies less (the scenario's ``note`` says so)."""
    given = given or Scenario()
    defaults = [choice_of(m.id, m.chosen_supply) for m in _supply_models(comparisons) if m.chosen_supply]
    for choice in given.choices:
        check_choice(comparisons, choice)
    limits = check_closed_loops(bd, products, comparisons, given, changes)
    lowered, notes = [], []
    for choice in defaults:
        if given.choice(choice.comparison) is not None:
            lowered.append(given.choice(choice.comparison))
            continue
        mine = [limit for limit in limits if limit.loop.comparison == choice.comparison]
        if choice.share is not None and mine:
            lowest = min(mine, key=lambda limit: limit.maximum)
            if lowest.maximum < choice.share:
                notes.append(f"recycled {choice.comparison} {lowest.maximum:.4g} in the chosen supply: the most that "
                             f"the closed loop of {lowest.product!r} supplies ({lowest.arithmetic}), below the "
                             f"{choice.share:g} target of the {choice.comparison} supply mix's '{CHOSEN_ROW}' row; "
                             "a higher share needs another named source")
                choice = SupplyChoice(choice.comparison, share=lowest.maximum)
        lowered.append(choice)
    return Scenario(*lowered, *given.choices, note="; ".join(notes))  # a given choice keeps its default's place


@dataclass(frozen=True)
class RouteAmount:
    """How much of one route of a comparison with a supply mix one unit of a product draws, in the
    route's unit (metal contained), from the solved system: its supply, less what a recycling
    allocation's virtual primary input adds (lca.subjects.allocation)."""

    comparison: str
    route: str
    amount: float
    unit: str
    recycled: bool  # a recycled route (recycled_routes)


@dataclass(frozen=True)
class ProductResult:
    """One product's footprint under one scenario. ``quantities``: (key, label, kg per unit) of the
    'product quantity' rows of the comparisons' supply mixes and bases (e.g. copper_cathode_kg),
    also readable as attributes (``result.copper_cathode_kg``)."""

    product: str
    label: str
    unit: str
    scenario: Scenario
    total: float
    parts: tuple[tuple[str, float], ...]
    quantities: tuple[tuple[str, str, float], ...] = ()
    parameters: tuple = ()  # ((parameter id, value, origin), ...) changed for this run
    draws_on: tuple[str, ...] = ()  # the comparisons whose supply mix one unit draws on (under this scenario)
    route_amounts: tuple[RouteAmount, ...] = ()  # each route of each comparison with a supply mix
    regulation: object = None  # lca.analysis.battery_regulation.BatteryRegulationView, for a product under it

    def __getattr__(self, name: str):
        if not name.startswith("__"):
            for key, _, value in object.__getattribute__(self, "quantities"):
                if key == name:
                    return value
        raise AttributeError(name)


def _weights(comparisons: dict, scenario: Scenario) -> dict[int, dict[int, float]]:
    """supply node -> {route node: share} for the scenario."""
    weights = {}
    for choice in scenario.choices:
        check_choice(comparisons, choice)
        model = comparisons[choice.comparison]
        if choice.route is not None:
            weights[model.supply_node] = {r.node_id: float(r.id == choice.route) for r in model.routes}
            continue
        reference, recycled = select_pair(model)
        shares = {r.node_id: 0.0 for r in model.routes}
        shares[reference.node_id] = 1.0 - choice.share
        shares[recycled.node_id] = choice.share
        weights[model.supply_node] = shares
    return weights


def _check_through_mix(product, supply, column_of, comparisons, scenario, weights, transforms) -> None:
    """A supply choice sets a comparison's supply mix; refuse it when the product also draws a route of
    that comparison directly (not through the mix): that part would keep its route, against the choice."""
    virtual = _virtual_draws(supply, column_of, transforms)
    for choice in scenario.choices:
        model = comparisons[choice.comparison]
        mix = supply[column_of[model.supply_node]]
        for route in model.routes:
            if route.node_id not in column_of:
                continue
            through = mix * weights[model.supply_node].get(route.node_id, 0.0) + virtual.get(route.node_id, 0.0)
            drawn = float(supply[column_of[route.node_id]])
            if abs(drawn - through) > 1e-9 * max(1.0, abs(drawn), abs(mix)):
                raise SupplyError(
                    f"product {product.id!r} draws route {route.id!r} of comparison {choice.comparison} directly "
                    f"({drawn - through:.4g} units per unit, not through its supply mix), so the supply choice "
                    f"{choice.text} would not set all of its {choice.comparison}: take that input through the supply "
                    "mix in the workbook, or set its direct share to 0 for this run", comparison=choice.comparison)


def _virtual_draws(supply, column_of, transforms) -> dict[int, float]:
    """Primary route node -> the amount of it that recycling allocations' transforms draw (beta x the
    recycled route's supply): a share of its burden, not metal that the product contains."""
    virtual: dict[int, float] = {}
    for t in transforms:
        if t.recycled in column_of:
            virtual[t.primary] = virtual.get(t.primary, 0.0) + t.beta * float(supply[column_of[t.recycled]])
    return virtual


def _route_amounts(supply, column_of, models, recycled: dict, transforms, unit_of) -> tuple[RouteAmount, ...]:
    """The amount of each route of ``models`` (comparisons with a supply mix) in the solved ``supply``."""
    virtual = _virtual_draws(supply, column_of, transforms)
    def drawn(node: int) -> float:
        if node not in column_of:
            return 0.0
        return float(supply[column_of[node]]) - virtual.get(node, 0.0) + 0.0  # + 0.0: no -0.0

    return tuple(RouteAmount(model.id, route.id, drawn(route.node_id), unit_of(route.node_id),
                             route.id in recycled[model.id]) for model in models for route in model.routes)


def _apply(lca, weights: dict[int, dict[int, float]]) -> None:
    """Rewrite the supply mixes' input columns of the technosphere matrix, then refactorise."""
    from scipy import sparse

    matrix = lca.technosphere_matrix.tocsc()
    rows, cols, values = [], [], []
    for supply, shares in weights.items():
        column = lca.dicts.activity[supply]
        for route, share in shares.items():
            row = lca.dicts.product[route]
            rows.append(row)
            cols.append(column)
            values.append(-share - float(matrix[row, column]))  # inputs are negative in the matrix
    delta = sparse.csc_matrix((values, (rows, cols)), shape=matrix.shape)
    lca.technosphere_matrix = (matrix + delta).tocsc()
    if hasattr(lca, "solver"):
        del lca.solver
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="(?s).*PARDISO")
        lca.decompose_technosphere()


def footprints(bd, products, comparisons: dict, scenario: Scenario, method: Method,
               changes=None, transforms=()) -> list[ProductResult]:
    """Footprint per unit of each product under ``scenario`` (one factorisation for all);
    ``transforms`` (lca.allocation) rewrite the recycled routes for a recycling allocation."""
    from lca.subjects.allocation import apply_transforms

    check_closed_loops(bd, products, comparisons, scenario, changes)
    supplied, recycled = sorted(_supply_models(comparisons), key=lambda m: m.id), recycled_routes(comparisons)
    supplies = [m.supply_node for m in comparisons.values() if m.supply_node is not None]
    lca = _lca_for(bd, [p.node_id for p in products] + supplies, method, changes)
    apply_transforms(lca, transforms)
    weights = _weights(comparisons, scenario)
    _apply(lca, weights)
    splitter = _Splitter(lca, bd, bd.Method(method.name).metadata.get("unit", ""))
    quantities = [q for model in sorted(comparisons.values(), key=lambda m: m.id) for q in model.quantities]
    units: dict[int, str] = {}

    def unit_of(node: int) -> str:
        if node not in units:
            units[node] = bd.get_node(id=node)["unit"]
        return units[node]

    results = []
    for product in products:
        total, parts, supply = splitter.split(product.node_id, product.stage_order, product.stage_of)
        _check_sum(f"product {product.id!r}", sum(parts.values()), total)
        splitter.check(f"product {product.id!r}", total, parts, supply, product.stage_of)
        _check_through_mix(product, supply, splitter.column_of, comparisons, scenario, weights, transforms)

        def per_unit_kg(node, supply=supply):
            if node is None:
                return 0.0
            return MASS_UNITS.get(unit_of(node), 0.0) * float(supply[splitter.column_of[node]])

        result = ProductResult(
            product=product.id, label=product.label, unit=product.unit, scenario=scenario, total=total,
            parts=tuple(parts.items()),
            quantities=tuple((k, label, per_unit_kg(node)) for k, label, node in quantities),
            parameters=changes.settings if changes is not None else (),
            draws_on=tuple(sorted(m.id for m in comparisons.values() if m.supply_node is not None
                                  and supply[splitter.column_of[m.supply_node]] != 0)),
            route_amounts=_route_amounts(supply, splitter.column_of, supplied, recycled, transforms, unit_of),
        )
        results.append(replace(result, regulation=regulation_view(product, result, comparisons)))
    if results and all(r.total == 0 for r in results) and np.asarray(lca.inventory.sum()) != 0:
        raise LCAError(f"Method {method.id} characterises none of the products' elementary flows.")
    return results
