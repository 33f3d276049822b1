"""Product footprints with the supply route of each metal switchable.

A choice of routes is a scenario: the copper supply mix takes all its cathode from one copper
route (``primary`` or ``scrap``), and the nickel supply mix takes the share ``recycled_nickel``
from the recycled route and the rest from the default primary route. The scenario is applied to
the technosphere matrix itself (the supply mixes' input columns are rewritten), then the matrix
is factorised once for all products; every result and every part split follows from it.

Closed loops (ISO 14044 4.3.4.3): a part may declare that its production scrap goes back, through
a comparison's recycled route, into the supply mix it draws on (lca.products, ``closed loop``
rows). The recycled share the loop supplies is at most scrap rate x recovery (+ a named other
source); a chosen share above it is refused (:func:`check_closed_loops`, run by
:func:`footprints`), and the default chosen supply takes the target share
(:data:`TARGET_RECYCLED_SHARE`) or the loop's maximum, whichever is lower (:func:`chosen_scenario`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from lca.analysis.calculate import _check_sum, _lca_for, _Splitter
from lca.brightway.methods import Method
from lca.errors import ComparisonError, LCAError
from lca.subjects.products import MASS_UNITS
from lca.subjects.routes import select_pair

__all__ = ["Scenario", "ProductResult", "LoopLimit", "ClosedLoopError", "footprints", "loop_limits",
           "check_closed_loops", "chosen_scenario", "CONVENTIONAL", "TARGET_RECYCLED_SHARE"]

# the recycled share of the default chosen supply (Panasonic Energy's 2030 target, domain-data C2.8),
# unless the closed loop supplies less (then the loop's maximum)
TARGET_RECYCLED_SHARE = 0.2


class ClosedLoopError(ComparisonError):
    """A chosen recycled share above what the product's closed loop supplies."""


@dataclass(frozen=True)
class Scenario:
    copper: str = "primary"  # copper route id
    recycled_nickel: float = 0.0  # share of recycled nickel in the nickel supply
    note: str = field(default="", compare=False)  # how the share was chosen, when not as asked

    @property
    def recycled_shares(self) -> dict[str, float]:
        """Comparison id -> recycled share of its supply mix."""
        return {"nickel": self.recycled_nickel}

    @property
    def label(self) -> str:
        return f"copper {self.copper}, {self.recycled_nickel * 100:.3g}% recycled nickel"


CONVENTIONAL = Scenario()


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
    shares = scenario.recycled_shares
    for limit in limits:
        problem = _other_source_problem(limit, changes)
        if problem:
            raise ClosedLoopError(problem)
        share = shares.get(limit.loop.comparison)
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


def chosen_scenario(bd, products, comparisons: dict, copper: str | None = None,
                    recycled_nickel: float | None = None, changes=None) -> Scenario:
    """The chosen supply of ``--compare``, the uncertainty of a product and its report: ``copper``
    (default scrap) and ``recycled_nickel`` as given (checked against the closed loops), or by
    default TARGET_RECYCLED_SHARE, lowered to the loop's maximum when the loop supplies less (the
    scenario's ``note`` says so)."""
    if recycled_nickel is not None:
        scenario = Scenario(copper=copper or "scrap", recycled_nickel=recycled_nickel)
        check_closed_loops(bd, products, comparisons, scenario, changes)
        return scenario
    limits = [limit for limit in check_closed_loops(bd, products, comparisons, CONVENTIONAL, changes)
              if limit.loop.comparison in CONVENTIONAL.recycled_shares]
    share, note = TARGET_RECYCLED_SHARE, ""
    if limits:
        lowest = min(limits, key=lambda limit: limit.maximum)
        if lowest.maximum < share:
            share = lowest.maximum
            note = (f"recycled {lowest.loop.comparison} {share:.4g} in the chosen supply: the most that the closed "
                    f"loop of {lowest.product!r} supplies ({lowest.arithmetic}), below the {TARGET_RECYCLED_SHARE:g} "
                    "target; a higher share needs another named source")
    return Scenario(copper=copper or "scrap", recycled_nickel=share, note=note)


@dataclass(frozen=True)
class ProductResult:
    product: str
    label: str
    unit: str
    scenario: Scenario
    total: float
    parts: tuple[tuple[str, float], ...]
    copper_cathode_kg: float  # cathode drawn from the copper supply per unit
    cathode_material_kg: float  # nickel cathode material (CAM) per unit
    parameters: tuple = ()  # ((parameter id, value, origin), ...) changed for this run


def _weights(comparisons: dict, scenario: Scenario) -> dict[int, dict[int, float]]:
    """supply node -> {route node: share} for the scenario."""
    weights = {}
    copper = comparisons.get("copper")
    if copper is not None and copper.supply_node is not None:
        routes = {r.id: r for r in copper.routes}
        if scenario.copper not in routes:
            raise ComparisonError(f"--copper {scenario.copper!r} is not a copper route; use one of: "
                                  f"{', '.join(routes)}.")
        weights[copper.supply_node] = {r.node_id: float(r.id == scenario.copper) for r in copper.routes}
    for comparison, share in scenario.recycled_shares.items():
        model = comparisons.get(comparison)
        if model is None or model.supply_node is None:
            continue
        if not 0 <= share <= 1:
            raise ComparisonError(f"--recycled-{comparison} {share:g} is outside 0 to 1.")
        reference, recycled = select_pair(model)
        shares = {r.node_id: 0.0 for r in model.routes}
        shares[reference.node_id] = 1.0 - share
        shares[recycled.node_id] = share
        weights[model.supply_node] = shares
    return weights


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
    supplies = [m.supply_node for m in comparisons.values() if m.supply_node is not None]
    lca = _lca_for(bd, [p.node_id for p in products] + supplies, method, changes)
    apply_transforms(lca, transforms)
    _apply(lca, _weights(comparisons, scenario))
    splitter = _Splitter(lca, bd, bd.Method(method.name).metadata.get("unit", ""))
    copper_supply = comparisons["copper"].supply_node if "copper" in comparisons else None
    nickel = comparisons.get("nickel")
    cam = next((b.node_id for b in nickel.bases if b.id == "cam"), None) if nickel else None
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

        def per_unit_kg(node, supply=supply):
            if node is None:
                return 0.0
            return MASS_UNITS.get(unit_of(node), 0.0) * float(supply[splitter.column_of[node]])

        results.append(ProductResult(
            product=product.id, label=product.label, unit=product.unit, scenario=scenario, total=total,
            parts=tuple(parts.items()), copper_cathode_kg=per_unit_kg(copper_supply),
            cathode_material_kg=per_unit_kg(cam), parameters=changes.settings if changes is not None else (),
        ))
    if results and all(r.total == 0 for r in results) and np.asarray(lca.inventory.sum()) != 0:
        raise LCAError(f"Method {method.id} characterises none of the products' elementary flows.")
    return results
