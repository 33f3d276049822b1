"""Run the LCA for the routes of a comparison, with one factorisation, and split by stage.

Stage split. Each foreground activity (an activity of the route's own database) carries a
``stage``. Its contribution is its supply times its direct characterised emissions plus, for
each background activity it consumes, the amount consumed times that activity's cumulative
score per unit. Summed over the foreground this equals the route total exactly, because
background activities never consume foreground ones (the inventory check enforces it);
the sum is checked anyway.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .errors import LCAError, SingularTechnosphere
from .methods import Method
from .routes import Route

__all__ = ["RouteResult", "Comparison", "compare_routes", "RESULT_DIGITS"]

RESULT_DIGITS = 6  # significant digits reported; float32 data carry ~1e-7 relative noise


@dataclass(frozen=True)
class RouteResult:
    id: str
    label: str
    activity: str
    total: float
    stages: tuple[tuple[str, float], ...]  # (stage name, score), in workbook order


@dataclass(frozen=True)
class Comparison:
    comparison: str
    functional_unit: str
    method: Method
    unit: str
    routes: tuple[RouteResult, ...]

    @property
    def difference(self) -> tuple[float, float | None]:
        """(first route minus second, that difference relative to the first)."""
        first, second = self.routes[0].total, self.routes[1].total
        absolute = first - second
        return absolute, (absolute / first if first else None)


def _lca_for(bd, demand_ids: list[int], method: Method):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # bw2calc warnings here mean a wrong result
        warnings.filterwarnings("ignore", message="(?s).*pypardiso")
        import bw2calc as bc

        fu, data_objs, _ = bd.prepare_lca_inputs(demand={i: 1 for i in demand_ids}, method=method.name,
                                                 remapping=False)
        lca = bc.LCA(demand=fu, data_objs=data_objs)
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


def _nothing_characterised(method: Method, reason) -> str:
    return (f"Method {method.id} characterises none of the elementary flows of these routes ({reason}). "
            "A zero footprint here would be a wrong number: check the biosphere flows' names and "
            "categories in the workbooks, or choose another method (`lca methods`).")


def compare_routes(bd, routes: list[Route], method: Method, *, comparison: str) -> Comparison:
    """Totals and stage split of ``routes`` under ``method`` (one factorisation)."""
    if len(routes) < 2:
        raise LCAError(f"Comparison {comparison!r} needs two routes; the inventories define {len(routes)}.")
    ids = [r.node_id for r in routes]
    lca = _lca_for(bd, ids, method)
    direct = np.asarray((lca.characterization_matrix @ lca.biosphere_matrix).sum(axis=0)).ravel()
    technosphere = lca.technosphere_matrix.tocsc()
    column_of = lca.dicts.activity
    row_to_id = {row: node for node, row in lca.dicts.product.items()}

    unit_scores: dict[int, float] = {}

    def unit_score(node: int) -> float:
        if node not in unit_scores:
            lca.redo_lci({node: 1})
            unit_scores[node] = float(direct @ lca.supply_array)
        return unit_scores[node]

    results = []
    for route in routes:
        lca.redo_lci({route.node_id: 1})
        supply = lca.supply_array.copy()
        total = float(direct @ supply)
        stage_scores = {stage: 0.0 for stage in route.stage_order}
        for node, stage in route.stage_of.items():
            column = column_of[node]
            if supply[column] == 0:
                continue
            start, end = technosphere.indptr[column], technosphere.indptr[column + 1]
            upstream = 0.0
            for row, value in zip(technosphere.indices[start:end], technosphere.data[start:end], strict=True):
                provider = row_to_id[row]
                if provider in route.stage_of or provider == route.node_id:
                    continue  # foreground: counted in its own stage
                upstream += -float(value) * unit_score(provider)
            stage_scores[stage] += float(supply[column]) * (float(direct[column]) + upstream)
        split = sum(stage_scores.values())
        if abs(split - total) > 1e-6 * max(1.0, abs(total)):
            raise LCAError(
                f"The stages of route {route.id!r} sum to {split:.6g}, not to its total {total:.6g}: a "
                "background activity consumes a foreground one. Move it into the foreground workbook."
            )
        results.append(RouteResult(
            id=route.id, label=route.label, activity=route.name, total=total,
            stages=tuple((s, stage_scores[s]) for s in route.stage_order),
        ))
    if all(r.total == 0 for r in results) and lca.inventory.sum() != 0:
        raise LCAError(_nothing_characterised(method, "all scores are zero"))
    unit = bd.Method(method.name).metadata.get("unit", "")
    return Comparison(comparison=comparison, functional_unit=routes[0].functional_unit, method=method,
                      unit=unit, routes=tuple(results))
