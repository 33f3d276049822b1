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

Impossible results. Every solved result is checked in one pass over its supply vector: a
non-finite score, a route or product total below zero, a stage below zero that holds no marked
credit (role ``credit`` or a substitution exchange, see :mod:`lca.rules`), or a negative supply
of an activity that no credit, waste or substitution exchange leads to each stop the run
(:class:`~lca.errors.ImpossibleResult`). The inventory check refuses unmarked negative amounts,
so a positive off-diagonal technosphere entry or a negative biosphere entry is a marked one; the
exchange's role is read from Brightway only on the rare path, to tell a credit from a waste flow.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from lca.brightway.exchange_parts import parts_of
from lca.brightway.methods import Method
from lca.errors import ComparisonError, ImpossibleResult, LCAError, NothingCharacterised, SingularTechnosphere
from lca.rules import unknown_name
from lca.subjects.allocation import PRIMARY_BURDEN_STAGE
from lca.subjects.routes import ComparisonModel, select_pair

__all__ = ["RouteResult", "Comparison", "compare", "check_total", "RESULT_DIGITS"]

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
    byproducts: object = None  # lca.byproducts.ByproductStatement of the run (None: not stated)

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

    from lca.brightway.background_package import inputs_for

    # a background the user brought enters solved once, as the cumulative flows of the linked activities
    prepared = inputs_for(bd, demand_ids, method.name)
    if prepared is None:
        fu, data_objs, _ = bd.prepare_lca_inputs(demand={i: 1 for i in demand_ids}, method=method.name,
                                                 remapping=False)
    else:
        fu, data_objs = prepared
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
            raise NothingCharacterised(_nothing_characterised(method, exc)) from exc
    return lca


class _Splitter:
    """Totals and stage splits on one factorised LCA."""

    def __init__(self, lca, bd=None, unit: str = ""):
        self.lca = lca
        self.bd, self.unit = bd, unit  # bd: to name activities and read exchange roles in error messages
        self.direct = np.asarray((lca.characterization_matrix @ lca.biosphere_matrix).sum(axis=0)).ravel()
        self.technosphere = lca.technosphere_matrix.tocsc()
        self.column_of = lca.dicts.activity
        self.row_to_id = {row: node for node, row in lca.dicts.product.items()}
        self._unit_scores: dict[int, float] = {}
        self._graph = None
        self._id_of_column: dict[int, int] | None = None

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


    # --- impossible results (lca.errors.ImpossibleResult) ------------------------------------

    def check(self, label: str, total: float, scores: dict[str, float], supply, stage_of: dict[int, str]) -> None:
        """Stop on a non-finite score, a negative total, a negative stage without a marked credit, or a
        negative supply that no credit, waste or substitution exchange leads to (one pass over ``supply``)."""
        if not (math.isfinite(total) and all(math.isfinite(v) for v in scores.values())
                and np.isfinite(supply).all()):
            raise ImpossibleResult(
                f"The result of {label} is not a finite number (total {total}). An amount or a parameter value "
                "makes the system degenerate: run `lca inventory check`, and check any --set or scenario values.")
        tolerance = 1e-9 * max(1.0, float(np.abs(supply).max(initial=0.0)))
        for column in np.flatnonzero(supply < -tolerance):
            if int(column) not in self._graph_parts()[3]:
                node = self._node_of_column(int(column))
                raise ImpossibleResult(
                    f"The solved system of {label} supplies {float(supply[column]):.6g} units of {self._name(node)} "
                    "(a negative amount), and no credit, waste or substitution exchange leads to it. An activity "
                    "that uses more of a product than the system makes does this: check the self-use and the "
                    f"inputs between {self._name(node)} and the activities it supplies (`lca inventory check`), "
                    "and any --set or scenario values.")
        scale = 1e-6 * max(1.0, abs(total), sum(abs(v) for v in scores.values()))
        check_total(label, total, self.unit, scale)
        for stage, score in scores.items():
            if score < -scale and not self._stage_has_credit(stage, stage_of):
                members = ", ".join(self._name(n) for n, s in stage_of.items() if s == stage)
                raise ImpossibleResult(
                    f"Stage {stage!r} of {label} is {score:.6g} {self.unit}, negative, but its activities ({members}) "
                    "hold no marked credit. Check their amounts for a sign error (`lca inventory check`) and any "
                    "--set or scenario values; an avoided product or an uptake needs 'credit' in the 'role' column.")

    def _graph_parts(self):
        """(technosphere as coo, its diagonal mask, {column: provider columns of its ordinary inputs},
        columns reached through a credit, waste or substitution entry); built on first use only."""
        if self._graph is None:
            matrix = self.technosphere.tocoo()
            own_row = np.full(matrix.shape[1], -1)
            product = self.lca.dicts.product
            for node, column in self.column_of.items():
                own_row[column] = product[node] if node in product else -1
            diagonal = matrix.row == own_row[matrix.col]
            column_of_row = np.full(matrix.shape[0], -1)
            for row, node in self.row_to_id.items():
                column_of_row[row] = self.column_of[node] if node in self.column_of else -1
            credited = column_of_row[matrix.row[~diagonal & (matrix.data > 0)]]
            inputs: dict[int, list[int]] = {}
            ordinary = ~diagonal & (matrix.data < 0)
            for row, column in zip(matrix.row[ordinary], matrix.col[ordinary], strict=True):
                inputs.setdefault(int(column), []).append(int(column_of_row[row]))
            self._graph = (matrix, diagonal, inputs, self._downstream({int(c) for c in credited if c >= 0}, inputs))
        return self._graph

    @staticmethod
    def _downstream(start: set[int], inputs: dict[int, list[int]], stop=frozenset()) -> set[int]:
        seen, queue = set(start), list(start)
        while queue:
            for provider in inputs.get(queue.pop(), ()):
                if provider >= 0 and provider not in seen and provider not in stop:
                    seen.add(provider)
                    queue.append(provider)
        return seen

    def _stage_has_credit(self, stage: str, stage_of: dict[int, str]) -> bool:
        """Whether the stage's activities, or the providers outside the stages they draw on, hold a marked credit."""
        matrix, diagonal, inputs, _ = self._graph_parts()
        members = {self.column_of[n] for n, s in stage_of.items() if s == stage and n in self.column_of}
        others = {self.column_of[n] for n, s in stage_of.items() if s != stage and n in self.column_of}
        reached = self._downstream(members, inputs, stop=frozenset(others))
        candidates = set(matrix.col[~diagonal & (matrix.data > 0)].tolist())
        biosphere = self.lca.biosphere_matrix.tocoo()
        candidates |= set(biosphere.col[biosphere.data < 0].tolist())
        candidates &= reached
        if self.bd is None:
            return bool(candidates)
        for column in candidates:  # a waste flow is entered negative too: only a credit explains a negative stage
            node = self.bd.get_node(id=self._node_of_column(column))
            if any(part.get("role") == "credit" or e["type"] == "substitution"
                   for e in node.exchanges() for part in parts_of(e)):
                return True
        return False

    def _node_of_column(self, column: int) -> int:
        if self._id_of_column is None:
            self._id_of_column = {c: n for n, c in self.column_of.items()}
        return self._id_of_column[column]

    def _name(self, node: int) -> str:
        if self.bd is None:
            return f"activity {node}"
        found = self.bd.get_node(id=node)
        return f"{found['name']!r} ({found['database']})"


def check_total(label: str, total: float, unit: str, tolerance: float = 0.0) -> None:
    """A route's or product's total below zero stops the run (ImpossibleResult)."""
    if not math.isfinite(total):
        raise ImpossibleResult(f"The total of {label} is not a finite number ({total}). Run `lca inventory "
                               "check`, and check any --set or scenario values.")
    if total < -tolerance:
        raise ImpossibleResult(
            f"The total of {label} is {total:.6g} {unit}: a negative footprint is impossible. Check its credits "
            "(role 'credit', substitution exchanges) against its burdens, the signs of its amounts (`lca "
            "inventory check`) and any --set or scenario values.")


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
            offered = [model.default_basis] + [b.id for b in model.bases]
            raise ComparisonError(unknown_name("basis", basis, offered, of=f"of comparison {model.id}"))
    demand = [reference.node_id, alternative.node_id] + ([chosen.node_id] if chosen else [])
    unit = bd.Method(method.name).metadata.get("unit", "")
    splitter = _Splitter(_lca_for(bd, demand, method, changes), bd, unit)

    per_route = {}
    for route in (reference, alternative):
        total, stages, supply = splitter.split(route.node_id, route.stage_order, route.stage_of)
        _check_sum(f"route {route.id!r}", sum(stages.values()), total)
        splitter.check(f"route {route.id!r}", total, stages, supply, route.stage_of)
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
        splitter.check(f"basis {chosen.id!r}", total, own, supply, chosen.stage_of)
        functional_unit = chosen.label

    def result(route_id, label, activity, route_weights, share=None):
        stages = _combine((1.0, own), *((factor * w, per_route[r]) for r, w in route_weights))
        ordered = [s for r, _ in route_weights for s in per_route[r]] + list(own)
        stages = {s: stages[s] for s in dict.fromkeys(ordered)}
        return RouteResult(route_id, label, activity, sum(stages.values()), tuple(stages.items()), share)

    routes = tuple(result(r.id, r.label, r.name, [(r.id, 1.0)]) for r in (reference, alternative))
    if all(r.total == 0 for r in routes) and splitter.lca.inventory.sum() != 0:
        raise NothingCharacterised(_nothing_characterised(method, "all scores are zero"))
    blends = ()
    if shares:
        blends = tuple(
            result(f"blend-{x:g}", f"{x:.0%} {alternative.id}, {1 - x:.0%} {reference.id}", "",
                   [(reference.id, 1 - x), (alternative.id, x)], share=x)
            for x in shares
        )
    for r in routes + blends:
        check_total(f"route {r.id!r} ({r.label})", r.total, unit,
                    1e-6 * max(1.0, sum(abs(score) for _, score in r.stages)))
    return Comparison(comparison=model.id, functional_unit=functional_unit,
                      basis=chosen.id if chosen else model.default_basis, method=method, unit=unit,
                      routes=routes, blends=blends, parameters=changes.settings if changes is not None else (),
                      allocation=allocation, allocation_formula=formula)
