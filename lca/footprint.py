"""Product footprints with the supply route of each metal switchable.

A choice of routes is a scenario: the copper supply mix takes all its cathode from one copper
route (``primary`` or ``scrap``), and the nickel supply mix takes the share ``recycled_nickel``
from the recycled route and the rest from the default primary route. The scenario is applied to
the technosphere matrix itself (the supply mixes' input columns are rewritten), then the matrix
is factorised once for all products; every result and every part split follows from it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .calculate import _check_sum, _lca_for, _Splitter
from .errors import ComparisonError, LCAError
from .methods import Method
from .products import MASS_UNITS
from .routes import select_pair

__all__ = ["Scenario", "ProductResult", "footprints", "CONVENTIONAL"]


@dataclass(frozen=True)
class Scenario:
    copper: str = "primary"  # copper route id
    recycled_nickel: float = 0.0  # share of recycled nickel in the nickel supply

    @property
    def label(self) -> str:
        return f"copper {self.copper}, {self.recycled_nickel:.0%} recycled nickel"


CONVENTIONAL = Scenario()


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
    nickel = comparisons.get("nickel")
    if nickel is not None and nickel.supply_node is not None:
        if not 0 <= scenario.recycled_nickel <= 1:
            raise ComparisonError(f"--recycled-nickel {scenario.recycled_nickel:g} is outside 0 to 1.")
        reference, recycled = select_pair(nickel)
        shares = {r.node_id: 0.0 for r in nickel.routes}
        shares[reference.node_id] = 1.0 - scenario.recycled_nickel
        shares[recycled.node_id] = scenario.recycled_nickel
        weights[nickel.supply_node] = shares
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
    from .allocation import apply_transforms

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
