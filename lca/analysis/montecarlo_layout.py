"""The layout of the Monte Carlo system (lca.analysis.montecarlo.System): which nodes the targets reach,
which of those can vary from draw to draw, and the static rest, solved once.

A reached node is *static* when nothing in its upstream (the node itself and every node it reaches)
varies: no exchange of the model with a formula or a distribution has it as output, it is no recycled
route under a recycling allocation, and no target sets its inputs (a supply mix). Its unit score is
then the same in every draw and every variant, so all static nodes are solved once, together, with
one sparse factorisation of their technosphere (``A_SS^T y_S = h_S``; the static nodes' inputs are
static too, so this block stands alone). A background database of 20,000 activities with a large
loop costs one sparse LU this way instead of a dense solve of the loop per draw.

The other reached nodes (*varying*: the foreground and whatever draws on it) are solved per draw;
their strongly connected groups are ordered providers first. Nodes in one strongly connected group
reach each other, so a group is either wholly static or wholly varying.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components

from lca.errors import SingularTechnosphere

__all__ = ["Layout", "adjacency", "closure", "layout"]


@dataclass(frozen=True)
class Layout:
    reached: np.ndarray  # columns the targets reach, ascending
    varying: np.ndarray  # the reached columns with something varying upstream, ascending
    groups: tuple[tuple[int, ...], ...]  # strongly connected groups of the varying columns, providers first
    static_scores: np.ndarray  # unit score of every static reached column (one per column; 0 elsewhere)


def adjacency(technosphere: sparse.spmatrix, extra_edges=()) -> sparse.csr_matrix:
    """Consumer -> provider graph (``G[j, i] = 1``: column ``i`` is an input of column ``j``) of every stored
    off-diagonal cell of the square ``technosphere`` (providers in rows), and of ``extra_edges`` (j, i)."""
    count = technosphere.shape[0]
    cells = technosphere.tocoo()
    off = cells.row != cells.col
    extra = np.array([(j, i) for j, i in extra_edges if i != j], dtype=np.int64).reshape(-1, 2)
    consumers = np.concatenate([cells.col[off].astype(np.int64), extra[:, 0]])
    providers = np.concatenate([cells.row[off].astype(np.int64), extra[:, 1]])
    graph = sparse.csr_matrix((np.ones(len(consumers)), (consumers, providers)), shape=(count, count))
    graph.sum_duplicates()
    return graph


def closure(graph: sparse.csr_matrix, starts) -> np.ndarray:
    """Boolean mask of the nodes reachable from any of ``starts`` along ``graph`` (the starts included):
    one breadth-first search from an added node that points to every start."""
    count = graph.shape[0]
    starts = np.unique(np.asarray(list(starts), dtype=np.int64))
    mask = np.zeros(count, dtype=bool)
    if not len(starts):
        return mask
    cells = graph.tocoo()
    rows = np.concatenate([cells.row.astype(np.int64), np.full(len(starts), count)])
    cols = np.concatenate([cells.col.astype(np.int64), starts])
    extended = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(count + 1, count + 1))
    order = breadth_first_order(extended, count, directed=True, return_predecessors=False)
    mask[order[order < count]] = True
    return mask


def layout(technosphere: sparse.csc_matrix, h0: np.ndarray, graph: sparse.csr_matrix, starts, sources) -> Layout:
    """The layout for targets at columns ``starts``, with ``sources`` the columns whose own cells vary."""
    reached = closure(graph, starts)
    varying = closure(graph.T.tocsr(), sources) & reached  # consumers, direct or not, of a varying column
    static = np.flatnonzero(reached & ~varying)
    return Layout(reached=np.flatnonzero(reached), varying=np.flatnonzero(varying),
                  groups=_ordered_groups(graph, np.flatnonzero(varying)),
                  static_scores=_static_scores(technosphere, h0, static))


def _static_scores(technosphere: sparse.csc_matrix, h0: np.ndarray, static: np.ndarray) -> np.ndarray:
    """Unit scores of the ``static`` columns (closed under inputs) from one sparse LU of their block."""
    from scipy.sparse.linalg import splu

    scores = np.zeros(technosphere.shape[0])
    if not len(static):
        return scores
    block = technosphere[static][:, static]
    try:
        scores[static] = splu(block.T.tocsc()).solve(np.asarray(h0[static], dtype=float))
    except RuntimeError as error:  # SuperLU: the factor is exactly singular
        raise SingularTechnosphere(f"the technosphere of the activities without uncertainty cannot be solved "
                                   f"({error}): an activity without production, or a loop that makes nothing") from None
    if not np.all(np.isfinite(scores[static])):
        raise SingularTechnosphere("the technosphere of the activities without uncertainty cannot be solved "
                                   "(a score that is not finite)")
    return scores


def _ordered_groups(graph: sparse.csr_matrix, nodes: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """Strongly connected groups of ``nodes`` (ascending columns, closed under consumers), providers first;
    members of a group ascending."""
    if not len(nodes):
        return ()
    sub = graph[nodes][:, nodes]
    n_groups, labels = connected_components(sub, directed=True, connection="strong")
    members: list[list[int]] = [[] for _ in range(n_groups)]
    for k, label in enumerate(labels.tolist()):
        members[label].append(int(nodes[k]))
    cells = sub.tocoo()
    cross = labels[cells.row] != labels[cells.col]
    needs = [set() for _ in range(n_groups)]  # group -> the groups it draws on
    users: list[list[int]] = [[] for _ in range(n_groups)]
    for consumer, provider in set(zip(labels[cells.row[cross]].tolist(), labels[cells.col[cross]].tolist(),
                                      strict=True)):
        needs[consumer].add(provider)
        users[provider].append(consumer)
    waiting = [len(n) for n in needs]
    ready = sorted(g for g in range(n_groups) if not waiting[g])
    order = []
    while ready:
        group = ready.pop()
        order.append(group)
        for consumer in users[group]:
            waiting[consumer] -= 1
            if not waiting[consumer]:
                ready.append(consumer)
    return tuple(tuple(members[g]) for g in order)
