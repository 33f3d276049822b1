"""Paired Monte Carlo on the inventory: many draws of the whole system, solved together.

Why not loop over bw2calc's ``next()``: each call rebuilds the matrices and solves a sparse
system for one draw, about a millisecond or more each. Here only the part of the system that
can vary is solved per draw (the activities the compared routes reach whose own upstream holds a
varying cell: in practice the foreground), and every draw is solved at once, as arrays over the
draws:

* The unit score ``y`` of every activity satisfies ``A^T y = h``, where ``h`` holds each
  activity's direct characterised emissions. Solving it once per draw gives every route's
  score per unit, so the routes of one draw come from the same sampled data (paired).
* Activities are taken in topological order of the supply graph (providers first), so for an
  activity without loops ``y_j = (h_j - sum_i A_ij y_i) / A_jj`` is a vector operation over
  all draws. Loops (strongly connected groups of activities) are solved as small dense
  systems, one per draw, with numpy's batched solver.
* What varies: parameters with a distribution (their formulas re-evaluated on arrays, giving
  every parameterised exchange's amount per draw) and exchanges with a distribution of their
  own. Both enter as deltas to the static matrices built by bw2calc, which are never changed.
* Static activities (nothing upstream of them varies, e.g. a whole background database such as
  ecoinvent with its large loops) are solved once, with one sparse LU, and enter the per-draw
  solve as constants (lca.analysis.montecarlo_layout). Only the model's distributions are drawn
  (the tool's workbooks): a foreign background's own uncertainty information is not drawn, its
  activities stay at their amounts.

A *target* is one activity's score, optionally with a supply mix's inputs set (a variant),
which is how bases (e.g. 1 t cathode material) and products get a score per route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lca.analysis.montecarlo_layout import adjacency, layout
from lca.brightway.matrices import SIGN
from lca.brightway.parametric import exchange_problem
from lca.distributions import sample
from lca.errors import ParameterError
from lca.subjects.allocation import allocated

__all__ = ["Target", "System", "DrawSources", "ALL_SOURCES", "CHUNK"]

CHUNK = 5000  # draws solved together; fixed, so that a seed gives the same numbers for any run length


@dataclass(frozen=True)
class Target:
    id: str
    node: int  # node id whose score per unit is wanted
    columns: tuple = ()  # ((supply node id, ((route node id, share), ...)), ...): supply mix inputs set


@dataclass(frozen=True)
class DrawSources:
    parameters: bool = True
    exchanges: bool = True


ALL_SOURCES = DrawSources()


class System:
    """The static system of one bw2calc LCA, reduced to what the targets reach; ``varying``: the reached
    columns solved per draw, ``static_scores``: the unit scores of the other reached columns."""

    def __init__(self, lca, model, targets: tuple[Target, ...], changes: dict | None = None, transforms=()):
        """``lca``: a bw2calc LCA with lci and lcia data loaded (static amounts); ``model``: the
        ParametricModel; ``changes``: parameter id -> value fixed for the run (--set); ``transforms``:
        recycling allocation of recycled routes (lca.allocation.Transform)."""
        self.model = model
        self.targets = targets
        self.changes = dict(changes or {})
        self.transforms = {lca.dicts.activity[t.recycled]: (lca.dicts.activity[t.primary], t.alpha, t.beta)
                           for t in transforms if t.recycled in lca.dicts.activity}  # routes this system reaches
        activity = lca.dicts.activity  # node id -> column
        product = lca.dicts.product  # node id -> row
        biosphere = lca.dicts.biosphere
        count = len(activity)
        self.node_of_col = np.empty(count, dtype=np.int64)
        for node, col in activity.items():
            self.node_of_col[col] = node
        rows = np.array([product[int(node)] for node in self.node_of_col], dtype=np.int64)
        technosphere = lca.technosphere_matrix.tocsr()[rows, :].tocsc()  # square, node order = column order
        cf = np.asarray(lca.characterization_matrix.diagonal()).ravel()
        self.h0 = np.asarray(cf @ lca.biosphere_matrix).ravel()
        self.cf_of_flow = {flow: float(cf[row]) for flow, row in biosphere.items()}
        self.col = activity
        self._lca = lca  # kept for brightway_arrays (a cross-check against bw2calc)

        # varying cells: parameterised exchanges and exchanges with distributions
        self.formula_cells = [(i, e) for i, e in enumerate(model.exchanges) if e.output in activity]
        self.uncertain_cells = [(i, e) for i, e in enumerate(model.uncertain_exchanges) if e.output in activity]
        cells = [(activity[e.input], activity[e.output]) for _, e in self.formula_cells + self.uncertain_cells
                 if e.type != "biosphere" and e.input in activity]  # (row, column) of technosphere cells drawn
        supply_cells = [(activity[route], activity[supply]) for target in targets
                        for supply, shares in target.columns for route, _ in shares]
        extra_edges = [(j, i) for i, j in cells + supply_cells]
        extra_edges += [(recycled, primary) for recycled, (primary, _, _) in self.transforms.items()]
        sources = {activity[e.output] for _, e in self.formula_cells + self.uncertain_cells}
        sources |= set(self.transforms) | {j for _, j in supply_cells}
        graph = adjacency(technosphere, extra_edges)
        shape = layout(technosphere, self.h0, graph, [self.col[t.node] for t in targets], sources)
        self.nodes = shape.reached.tolist()  # columns the targets reach
        self.varying = shape.varying.tolist()  # of them, those solved per draw; the others are static
        self.groups = [list(group) for group in shape.groups]
        self.static_scores = shape.static_scores
        self.at = {j: k for k, j in enumerate(self.varying)}  # column -> row of the per-draw arrays
        self.diagonal = technosphere.diagonal()
        self._inputs(technosphere, extra_edges, set(cells + supply_cells))
        reached = set(self.nodes)
        self.formula_cells = [(i, e) for i, e in self.formula_cells if self.col[e.output] in reached]
        self.uncertain_cells = [(i, e) for i, e in self.uncertain_cells if self.col[e.output] in reached]
        used = model.used_by([i for i, _ in self.formula_cells])
        # the parameters that can move these targets; the others are neither drawn nor varied
        self.relevant = [p for p in model.uncertain if p.id in used and p.id not in self.changes]

    def _inputs(self, technosphere, extra_edges, moving: set) -> None:
        """Inputs of the varying columns: ``inputs[j]`` {row i: static value} of the varying providers and of the
        cells that can change (``moving``: drawn, or set by a target), and ``offset[k]`` for the k-th varying
        column j, what its other (static) providers add to its score: sum of A_ij y_i, the same in every draw."""
        self.inputs: dict[int, dict[int, float]] = {}
        self.offset = np.zeros(len(self.varying))
        indptr, indices, data = technosphere.indptr, technosphere.indices, technosphere.data
        extra: dict[int, list[int]] = {}
        for j, i in extra_edges:
            extra.setdefault(j, []).append(i)
        for k, j in enumerate(self.varying):
            rows, values = indices[indptr[j]:indptr[j + 1]], data[indptr[j]:indptr[j + 1]]
            own = {int(i): float(a) for i, a in zip(rows, values, strict=True) if i != j}
            for i in extra.get(j, ()):
                if i != j:
                    own.setdefault(i, 0.0)
            fixed = [i for i in own if i not in self.at and (i, j) not in moving]
            self.offset[k] = sum(own[i] * self.static_scores[i] for i in fixed)
            for i in fixed:
                del own[i]
            if own:
                self.inputs[j] = own

    # --- draws -----------------------------------------------------------------------------

    def uncertain_parameters(self, sources: DrawSources):
        return list(self.relevant) if sources.parameters else []

    def _random(self, size: int, rng, sources: DrawSources):
        """Parameter draws and exchange draws for ``size`` iterations from ``rng``."""
        parameters = self.relevant
        exchanges = [e for _, e in self.uncertain_cells]
        # always draw for every uncertain quantity, so the stream does not depend on the sources chosen
        uniforms = rng.random((len(parameters) + len(exchanges), size))
        draws, exchange_values = {}, None
        if sources.parameters and parameters:
            values = sample([p.distribution for p in parameters], uniforms[:len(parameters)])
            draws = {p.id: values[k] for k, p in enumerate(parameters)}
        if sources.exchanges and exchanges:
            exchange_values = sample([e.distribution for e in exchanges], uniforms[len(parameters):])
        return draws, exchange_values

    def _cell_deltas(self, size: int, draws: dict, exchange_values):
        """What the draws (and --set) change, per matrix cell, by node ids and with Brightway's sign:
        ({(input, activity): delta}, {(flow, activity): delta}), each delta an array over the draws."""
        technosphere: dict[tuple[int, int], np.ndarray] = {}
        biosphere: dict[tuple[int, int], np.ndarray] = {}

        def add(exchange, delta):
            if exchange.type == "biosphere":
                key = (exchange.input, exchange.output)
                biosphere[key] = biosphere.get(key, 0.0) + delta
            elif exchange.input in self.col:
                key = (exchange.input, exchange.output)
                technosphere[key] = technosphere.get(key, 0.0) + SIGN[exchange.type] * delta

        if draws or self.changes:
            evaluation = self.model.evaluate(self.changes, draws, origin="--set")
            for index, exchange in self.formula_cells:
                delta = np.asarray(evaluation.amounts[index], dtype=float) - exchange.amount
                add(exchange, np.broadcast_to(delta, (size,)))
        if exchange_values is not None:
            for k, (_, exchange) in enumerate(self.uncertain_cells):
                _check_draws(exchange, exchange_values[k])
                add(exchange, exchange_values[k] - exchange.distribution.amount)
        return technosphere, biosphere

    def _deltas(self, size: int, draws: dict, exchange_values):
        """Per draw: technosphere deltas {(i, j): array} by matrix position, and the direct scores H of the
        varying nodes (varying nodes x draws, rows as ``self.at``)."""
        cells, flows = self._cell_deltas(size, draws, exchange_values)
        technosphere = {(self.col[i], self.col[j]): delta for (i, j), delta in cells.items() if np.any(delta != 0)}
        h = np.repeat(self.h0[self.varying][:, None], size, axis=1)
        for (flow, j), delta in flows.items():
            h[self.at[self.col[j]]] += self.cf_of_flow.get(flow, 0.0) * delta
        return technosphere, h

    # --- solving ---------------------------------------------------------------------------

    def solve(self, technosphere: dict, h: np.ndarray, columns: tuple = ()) -> np.ndarray:
        """Unit scores of the varying nodes (varying nodes x draws, rows as ``self.at``) for one variant (supply
        mix inputs set by ``columns``); static providers enter with their scores (``static_scores``)."""
        size = h.shape[1]
        overrides: dict[int, dict[int, float]] = {}
        for supply, shares in columns:
            overrides[self.col[supply]] = {self.col[route]: -float(share) for route, share in shares}
        at, static_scores = self.at, self.static_scores
        y = np.empty((len(self.varying), size))

        def value(i):
            return y[at[i]] if i in at else static_scores[i]

        def coefficient(i, j):
            if j in overrides and i in overrides[j]:
                return overrides[j][i]
            static = self.inputs.get(j, {}).get(i, 0.0) if i != j else self.diagonal[j]
            delta = technosphere.get((i, j))
            return static if delta is None else static + delta

        for group in self.groups:
            if len(group) == 1:
                j = group[0]
                rhs = h[at[j]] - self.offset[at[j]]
                for i in self.inputs.get(j, {}):
                    a = coefficient(i, j)
                    if np.any(a != 0):
                        rhs -= a * value(i)
                y[at[j]] = rhs / coefficient(j, j)
                if j in self.transforms:  # recycling allocation: alpha x Erec + beta x Ev
                    primary, alpha, beta = self.transforms[j]
                    y[at[j]] = allocated(y[at[j]], value(primary), alpha, beta)
                continue
            inside = {j: k for k, j in enumerate(group)}
            m = len(group)
            transposed = np.zeros((size, m, m))  # A_CC^T per draw
            rhs = np.empty((size, m))
            for j, col_k in inside.items():
                rhs[:, col_k] = h[at[j]] - self.offset[at[j]]
                for i in list(self.inputs.get(j, {})) + [j]:
                    a = coefficient(i, j)
                    if i in inside:
                        transposed[:, col_k, inside[i]] = a
                    else:
                        rhs[:, col_k] -= a * value(i)
            y[[at[j] for j in group]] = np.linalg.solve(transposed, rhs[:, :, None])[:, :, 0].T
        return y

    def pick(self, y: np.ndarray, node: int) -> np.ndarray:
        """The unit scores of ``node`` (a node id) over the draws of ``y`` (from ``solve``)."""
        j = self.col[node]
        return y[self.at[j]].copy() if j in self.at else np.full(y.shape[1], self.static_scores[j])

    def run(self, n: int, seed: int | None, sources: DrawSources | None = None,
            progress: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
        """Scores of every target for ``n`` paired draws."""
        sources = sources or ALL_SOURCES
        rng = np.random.default_rng(seed)
        out = {t.id: np.empty(n) for t in self.targets}
        for start in range(0, n, CHUNK):
            size = min(CHUNK, n - start)
            scores = self._scores(size, *self._random(size, rng, sources))
            for key, values in scores.items():
                out[key][start:start + size] = values
            if progress is not None:
                progress(size)
        return out

    def _scores(self, size: int, draws: dict, exchange_values=None) -> dict[str, np.ndarray]:
        technosphere, h = self._deltas(size, draws, exchange_values)
        variants: dict[tuple, list[Target]] = {}
        for target in self.targets:
            variants.setdefault(target.columns, []).append(target)
        out = {}
        for columns, targets in variants.items():
            y = self.solve(technosphere, h, columns)
            for target in targets:
                out[target.id] = self.pick(y, target.node)
        return out

    def score(self, node: int, values: dict[str, np.ndarray], columns: tuple = (),
              exchange_values: np.ndarray | None = None) -> np.ndarray:
        """Scores of ``node`` for parameter values given as arrays (one entry per state or draw), with
        the supply mix inputs ``columns`` set; exchanges at ``exchange_values`` (exchanges x draws) or
        their amounts. Used by pathways: each state of the levers is one entry."""
        size = len(next(iter(values.values()))) if values else 1
        out = np.empty(size)
        for start in range(0, size, CHUNK):
            stop = min(size, start + CHUNK)
            part = {k: np.asarray(v, dtype=float)[start:stop] for k, v in values.items()}
            drawn = None if exchange_values is None else exchange_values[:, start:stop]
            technosphere, h = self._deltas(stop - start, part, drawn)
            out[start:stop] = self.pick(self.solve(technosphere, h, columns), node)
        return out

    def evaluate(self, values: dict[str, np.ndarray], progress: Callable[[int], None] | None = None
                 ) -> dict[str, np.ndarray]:
        """Scores of every target for given parameter values (id -> array, all of one length);
        other parameters at their values, exchanges at their amounts (``progress(n)`` after each chunk of
        ``n`` points). Used by sensitivity analysis."""
        size = len(next(iter(values.values()))) if values else 1
        out = {t.id: np.empty(size) for t in self.targets}
        for start in range(0, size, CHUNK):
            part = {k: np.asarray(v, dtype=float)[start:start + CHUNK] for k, v in values.items()}
            for key, scores in self._scores(min(CHUNK, size - start), part).items():
                out[key][start:start + CHUNK] = scores
            if progress is not None:
                progress(min(CHUNK, size - start))
        return out

    def brightway_arrays(self, n: int, seed: int | None, sources: DrawSources | None = None):
        """The draws of ``run`` as whole matrix cell values, in bw_processing's layout: for each matrix,
        (indices as (row id, column id), values: cells x draws). A bw2calc LCA given these as an array
        datapackage that overwrites the cells computes, draw by draw, what ``run`` computes."""
        sources = sources or ALL_SOURCES
        rng = np.random.default_rng(seed)
        technosphere_values: dict[tuple[int, int], list] = {}
        biosphere_values: dict[tuple[int, int], list] = {}
        lca = self._lca
        tech_matrix, bio_matrix = lca.technosphere_matrix.tocsr(), lca.biosphere_matrix.tocsr()
        for start in range(0, n, CHUNK):
            size = min(CHUNK, n - start)
            draws, exchange_values = self._random(size, rng, sources)
            cells_t, cells_b = self._cell_deltas(size, draws, exchange_values)
            for (row_id, col_id), delta in cells_t.items():
                static = tech_matrix[lca.dicts.product[row_id], lca.dicts.activity[col_id]]
                technosphere_values.setdefault((row_id, col_id), []).append(static + delta)
            for (row_id, col_id), delta in cells_b.items():
                static = bio_matrix[lca.dicts.biosphere[row_id], lca.dicts.activity[col_id]]
                biosphere_values.setdefault((row_id, col_id), []).append(static + delta)

        def layout(cells):
            keys = list(cells)
            return keys, np.array([np.concatenate(cells[k]) for k in keys]).reshape(len(keys), n)

        return {"technosphere_matrix": layout(technosphere_values), "biosphere_matrix": layout(biosphere_values)}

    def static(self) -> dict[str, float]:
        """Scores of every target without draws (for checks against the deterministic results)."""
        return {key: float(values[0]) for key, values in self._scores(1, {}).items()}


def _check_draws(exchange, values: np.ndarray) -> None:
    """Draws of an exchange's own distribution obey the amount rules (lca.rules), as its workbook amount does.

    The distributions are bounded where the workbook says so (minimum/maximum); an unbounded normal can
    still draw a negative input, which would be a wrong number, so it is an error naming the exchange.
    """
    problem = exchange_problem(exchange, values, exchange.production)
    if problem is not None:
        raise ParameterError(
            f"In the Monte Carlo draws: {problem.message}; it is drawn from the distribution of {exchange.label()} "
            f"({exchange.distribution.describe()}). Bound it in the workbook (minimum/maximum, or a lognormal for "
            "an amount that must stay positive), or leave exchange distributions out with --sources parameters.")
