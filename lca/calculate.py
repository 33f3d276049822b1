"""Run the LCA for a comparison with one factorisation, and split every result by stage.

Stage split. Each foreground activity (an activity of the route's own database) carries a
``stage``. Its contribution is its supply times its direct characterised emissions plus, for
each background activity it consumes, the amount consumed times that activity's cumulative
score per unit. Summed over the foreground this equals the total exactly, because background
activities never consume foreground ones (the inventory check enforces it); the sum is checked.

Bases and blends. A basis (e.g. 1 t cathode material) draws on the routes through a supply
mix. Its result for a route is its own stages plus s x (route's stages), where s is the supply
mix per basis unit, taken from the basis's own supply vector. A blend with recycled share x is
(1 - x) x reference + x x recycled, stage by stage: the model is linear, so this is exact.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .allocation import PRIMARY_BURDEN_STAGE
from .errors import ComparisonError, LCAError, SingularTechnosphere
from .methods import Method
from .routes import ComparisonModel, select_pair

__all__ = ["RouteResult", "Comparison", "compare", "RESULT_DIGITS"]

RESULT_DIGITS = 6  # significant digits reported; float32 data carry ~1e-7 relative noise


@dataclass(frozen=True)
class RouteResult:
    id: str
    label: str
    activity: str
    total: float
    stages: tuple[tuple[str, float], ...]  # (stage name, score), in workbook order
    share: float | None = None  # recycled share, for blends


@dataclass(frozen=True)
class Comparison:
    comparison: str
    functional_unit: str
    basis: str
    method: Method
    unit: str
    routes: tuple[RouteResult, ...]  # (reference, alternative)
    blends: tuple[RouteResult, ...] = ()
    parameters: tuple = ()  # ((parameter id, value, origin), ...) changed for this run
    allocation: object = None  # lca.allocation.Allocation (None: the inventory as modelled, cut-off)
    allocation_formula: str = ""  # how the recycled route's result was formed, with the numbers

    @property
    def difference(self) -> tuple[float, float | None]:
        """(first route minus second, that difference relative to the first)."""
        first, second = self.routes[0].total, self.routes[1].total
        absolute = first - second
        return absolute, (absolute / first if first else None)


def _nothing_characterised(method: Method, reason) -> str:
    return (f"Method {method.id} characterises none of the elementary flows of these routes ({reason}). "
            "A zero footprint here would be a wrong number: check the biosphere flows' names and "
            "categories in the workbooks, or choose another method (`lca methods`).")


def loaded_lca(bd, demand_ids, method: Method):
    """A bw2calc LCA for ``demand_ids`` with its technosphere and biosphere matrices loaded, nothing solved."""
    import bw2calc as bc

    fu, data_objs, _ = bd.prepare_lca_inputs(demand={i: 1 for i in demand_ids}, method=method.name, remapping=False)
    lca = bc.LCA(demand=fu, data_objs=data_objs)
    lca.load_lci_data()
    return lca


def _lca_for(bd, demand_ids: list[int], method: Method, changes=None):
    """A solved, characterised LCA for ``demand_ids``; ``changes`` (lca.matrices.MatrixChanges)
    are written into the matrices before the technosphere is factorised."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # bw2calc warnings here mean a wrong result
        warnings.filterwarnings("ignore", message="(?s).*pypardiso")
        lca = loaded_lca(bd, demand_ids, method)
        if changes is not None:
            changes.apply(lca)
        try:
            lca.lci(factorize=True)
        except (RuntimeError, UserWarning) as exc:
            raise SingularTechnosphere(
                f"Brightway could not solve the technosphere matrix ({exc}). Run `lca inventory check` "
                "to find the activities involved."
            ) from exc
        try:
            lca.lcia()
        except UserWarning as exc:
            raise LCAError(_nothing_characterised(method, exc)) from exc
    return lca


class _Splitter:
    """Totals and stage splits on one factorised LCA."""

    def __init__(self, lca):
        self.lca = lca
        self.direct = np.asarray((lca.characterization_matrix @ lca.biosphere_matrix).sum(axis=0)).ravel()
        self.technosphere = lca.technosphere_matrix.tocsc()
        self.column_of = lca.dicts.activity
        self.row_to_id = {row: node for node, row in lca.dicts.product.items()}
        self._unit_scores: dict[int, float] = {}

    def unit_score(self, node: int) -> float:
        if node not in self._unit_scores:
            self.lca.redo_lci({node: 1})
            self._unit_scores[node] = float(self.direct @ self.lca.supply_array)
        return self._unit_scores[node]

    def split(self, node: int, stage_order, stage_of: dict[int, str], skip=frozenset()):
        """(total, {stage: score}, supply vector) for one unit of ``node``.

        Inputs from ``stage_of`` activities are counted in their own stage; inputs from ``skip``
        are left out (the caller accounts for them); all other inputs count at their unit score.
        """
        self.lca.redo_lci({node: 1})
        supply = self.lca.supply_array.copy()
        total = float(self.direct @ supply)
        scores = {stage: 0.0 for stage in stage_order}
        for member, stage in stage_of.items():
            column = self.column_of[member]
            if supply[column] == 0:
                continue
            start, end = self.technosphere.indptr[column], self.technosphere.indptr[column + 1]
            upstream = 0.0
            rows = self.technosphere.indices[start:end]
            for row, value in zip(rows, self.technosphere.data[start:end], strict=True):
                provider = self.row_to_id[row]
                if provider in stage_of or provider in skip or provider == node:
                    continue
                upstream += -float(value) * self.unit_score(provider)
            scores[stage] += float(supply[column]) * (float(self.direct[column]) + upstream)
        return total, scores, supply


def _check_sum(label: str, parts: float, total: float) -> None:
    if abs(parts - total) > 1e-6 * max(1.0, abs(total)):
        raise LCAError(
            f"The stages of {label} sum to {parts:.6g}, not to its total {total:.6g}: a background activity "
            "consumes a foreground one, or a basis draws on the routes other than through its supply mix. "
            "Fix the workbook links."
        )


def _combine(*weighted: tuple[float, dict[str, float]]) -> dict[str, float]:
    result: dict[str, float] = {}
    for weight, stages in weighted:
        for stage, score in stages.items():
            result[stage] = result.get(stage, 0.0) + weight * score
    return result


def compare(bd, model: ComparisonModel, method: Method, *, basis: str | None = None,
            primary_route: str | None = None, shares: tuple[float, ...] | None = None,
            changes=None, allocation=None) -> Comparison:
    """Reference and alternative route (and blends) of ``model`` under ``method``, on ``basis``;
    ``changes`` carry parameter changes into the matrices (lca.matrices)."""
    reference, alternative = select_pair(model, primary_route)
    chosen = None
    if basis not in (None, "default", model.default_basis):
        chosen = next((b for b in model.bases if b.id == basis), None)
        if chosen is None:
            offered = ", ".join([model.default_basis] + [b.id for b in model.bases])
            raise ComparisonError(f"--basis {basis!r} is not offered by comparison {model.id!r}. "
                                  f"Use one of: {offered}.")
    demand = [reference.node_id, alternative.node_id] + ([chosen.node_id] if chosen else [])
    splitter = _Splitter(_lca_for(bd, demand, method, changes))

    per_route = {}
    for route in (reference, alternative):
        total, stages, _ = splitter.split(route.node_id, route.stage_order, route.stage_of)
        _check_sum(f"route {route.id!r}", sum(stages.values()), total)
        per_route[route.id] = stages
    formula = ""
    if allocation is not None:  # the recycled route per unit of metal: alpha x Erec + beta x Ev (lca.allocation)
        alpha, beta = allocation.coefficients()
        primary, recycled = sum(per_route[reference.id].values()), sum(per_route[alternative.id].values())
        formula = allocation.formula_text(primary, recycled)
        stages = {stage: alpha * score for stage, score in per_route[alternative.id].items()}
        if beta:
            stages[PRIMARY_BURDEN_STAGE] = beta * primary
        per_route[alternative.id] = stages

    factor, own, functional_unit = 1.0, {}, reference.functional_unit
    if chosen is not None:
        total, own, supply = splitter.split(chosen.node_id, chosen.stage_order, chosen.stage_of,
                                            skip=frozenset({model.supply_node}))
        factor = float(supply[splitter.column_of[model.supply_node]])
        _check_sum(f"basis {chosen.id!r}", sum(own.values()) + factor * splitter.unit_score(model.supply_node),
                   total)
        functional_unit = chosen.label

    def result(route_id, label, activity, route_weights, share=None):
        stages = _combine((1.0, own), *((factor * w, per_route[r]) for r, w in route_weights))
        ordered = [s for r, _ in route_weights for s in per_route[r]] + list(own)
        stages = {s: stages[s] for s in dict.fromkeys(ordered)}
        return RouteResult(route_id, label, activity, sum(stages.values()), tuple(stages.items()), share)

    routes = tuple(result(r.id, r.label, r.name, [(r.id, 1.0)]) for r in (reference, alternative))
    if all(r.total == 0 for r in routes) and splitter.lca.inventory.sum() != 0:
        raise LCAError(_nothing_characterised(method, "all scores are zero"))
    blends = ()
    if shares:
        blends = tuple(
            result(f"blend-{x:g}", f"{x:.0%} {alternative.id}, {1 - x:.0%} {reference.id}", "",
                   [(reference.id, 1 - x), (alternative.id, x)], share=x)
            for x in shares
        )
    unit = bd.Method(method.name).metadata.get("unit", "")
    return Comparison(comparison=model.id, functional_unit=functional_unit,
                      basis=chosen.id if chosen else model.default_basis, method=method, unit=unit,
                      routes=routes, blends=blends, parameters=changes.settings if changes is not None else (),
                      allocation=allocation, allocation_formula=formula)
