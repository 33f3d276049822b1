"""Check that the technosphere matrix of an inventory can be solved, before Brightway sees it.

The matrix is built exactly as bw2calc builds it (production on the diagonal, technosphere
inputs negative, substitution positive). A singular matrix is reported with the activities
involved, found from the null space of the matrix.
"""

from __future__ import annotations

import numpy as np

from lca.errors import Problem

__all__ = ["technosphere_matrix", "unsolvable_problems"]


def technosphere_matrix(inventory):
    """Return (keys, sparse CSC matrix) of all activities in the inventory."""
    from scipy import sparse

    activities = inventory.activities
    keys = list(activities)
    index = {key: i for i, key in enumerate(keys)}
    rows, cols, values = [], [], []
    for key, activity in activities.items():
        column = index[key]
        for exchange in activity.exchanges:
            if exchange.type == "biosphere":
                continue
            sign = -1.0 if exchange.type == "technosphere" else 1.0
            rows.append(index[exchange.input])
            cols.append(column)
            values.append(sign * exchange.amount)
    matrix = sparse.coo_matrix((values, (rows, cols)), shape=(len(keys), len(keys))).tocsc()
    return keys, matrix


def unsolvable_problems(inventory) -> list[Problem]:
    """One problem per activity caught in a singular part of the matrix; [] if solvable."""
    from scipy.sparse.linalg import splu

    keys, matrix = technosphere_matrix(inventory)
    if not keys:
        return []
    try:
        splu(matrix)
        return []
    except RuntimeError:
        pass
    dense = matrix.toarray()
    _, singular_values, vt = np.linalg.svd(dense)
    tolerance = max(dense.shape) * np.finfo(float).eps * max(singular_values.max(), 1.0)
    null = vt[singular_values <= tolerance] if (singular_values <= tolerance).any() else vt[-1:]
    involved = sorted({i for vector in null for i in np.flatnonzero(np.abs(vector) > 1e-8)})
    activities = inventory.activities
    names = ", ".join(repr(activities[keys[i]].name) for i in involved)
    problems = []
    for i in involved:
        activity = activities[keys[i]]
        problems.append(Problem(
            activity.where,
            f"the technosphere matrix cannot be solved (singular): activity {activity.name!r} is part "
            f"of a set whose production and inputs cancel out ({names})",
            "check these activities' production amounts and the inputs they take from each other: "
            "an activity that consumes as much of its own product as it makes, or two activities "
            "that each consume all of the other's output, cannot be solved",
        ))
    return problems
