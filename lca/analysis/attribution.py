"""Two ways to attribute a pathway's saving to its levers.

``value(S)`` is the footprint with the baseline and the levers in the set ``S`` taken (a frozenset
of lever indices, 0-based); the saving of the whole pathway is ``value({}) - value(all)``.

* **Waterfall** (in the order written): lever *i* saves ``value({0..i-1}) - value({0..i})``. The
  savings telescope to the whole saving, but a lever's saving depends on the levers before it (a
  lower grid factor saves less once the electricity use has been cut).
* **Shapley values** (order-independent): lever *i* saves the average, over every order in which
  the levers could be taken, of what it saves when it is taken::

      phi_i = sum over S not holding i of  |S|! (n - |S| - 1)! / n!  x  (value(S) - value(S + {i}))

  They sum to the whole saving too (efficiency), a lever that changes nothing gets 0 (null
  player), and reordering the levers does not change them (symmetry). Exact: every one of the
  2^n combinations is solved (n is at most lca.subjects.pathway_file.MAX_LEVERS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import combinations
from math import factorial

__all__ = ["all_subsets", "waterfall", "shapley"]


def all_subsets(n: int) -> list[frozenset]:
    """Every subset of range(n), smallest first."""
    return [frozenset(c) for size in range(n + 1) for c in combinations(range(n), size)]


def waterfall(n: int, value: Callable[[frozenset], float] | Mapping) -> list[float]:
    """Saving of each lever taken in the order 0, 1, ..., n - 1."""
    get = value.__getitem__ if isinstance(value, Mapping) else value
    return [get(frozenset(range(i))) - get(frozenset(range(i + 1))) for i in range(n)]


def shapley(n: int, value: Callable[[frozenset], float] | Mapping) -> list[float]:
    """Shapley saving of each lever (``value`` given for every subset of range(n))."""
    get = value.__getitem__ if isinstance(value, Mapping) else value
    whole = factorial(n)
    weights = [factorial(s) * factorial(n - s - 1) / whole for s in range(n)]
    out = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        total = 0.0
        for size in range(n):
            for subset in combinations(others, size):
                s = frozenset(subset)
                total += weights[size] * (get(s) - get(s | {i}))
        out.append(total)
    return out
