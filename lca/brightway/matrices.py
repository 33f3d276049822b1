"""Carry parameter changes into the matrices of a Brightway LCA.

A parameterised exchange's new amount (from :meth:`lca.parametric.ParametricModel.evaluate`)
differs from the amount stored on import by a delta. The delta is added to the matrix cell the
exchange sits in, with Brightway's sign (technosphere inputs are negative). Adding deltas, rather
than writing amounts, keeps cells right where several exchanges share one (two CO2 rows of an
activity) and where some of them have no formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lca.brightway.exchange_parts import amount_key, merged_amount

__all__ = ["SIGN", "CellChange", "MatrixChanges"]

# Brightway's sign of each exchange type in its matrix (bw2data flips technosphere inputs)
SIGN = {"production": 1.0, "substitution": 1.0, "technosphere": -1.0, "generic consumption": -1.0,
        "biosphere": 1.0}


@dataclass(frozen=True)
class CellChange:
    matrix: str  # "technosphere" or "biosphere"
    input: int  # node ids: row (product or elementary flow) and column (activity)
    output: int
    delta: object  # float, or an array of draws; already signed as in the matrix


@dataclass(frozen=True)
class MatrixChanges:
    cells: tuple[CellChange, ...]
    settings: tuple = ()  # ((parameter id, value, origin), ...) that led to them, for the record
    values: tuple = ()  # ((parameter id, value), ...) of every parameter after the changes
    # ((key, amount), ...) of the exchanges whose amount changed; the key is the exchange id, or (exchange
    # id, part) for a part of a merged exchange (lca.brightway.exchange_parts.amount_key)
    amounts: tuple = ()

    @classmethod
    def from_amounts(cls, model, amounts, settings: tuple = (), values: dict | None = None) -> MatrixChanges:
        """Changes that bring each parameterised exchange of ``model`` to ``amounts``; the parts of a
        merged Brightway exchange change its one stored amount together."""
        cells, changed = [], []
        stored: dict[int, list] = {}  # Brightway exchange id -> [(part, new amount)]
        for exchange, amount in zip(model.exchanges, amounts, strict=True):
            stored.setdefault(exchange.exchange_id, []).append((exchange, amount))
        for group in stored.values():
            if all(np.ndim(amount) == 0 and float(amount) == exchange.amount for exchange, amount in group):
                continue  # as the workbook says
            exchange = group[0][0]
            # Brightway stores matrix amounts as float32: the delta is taken from the stored value, so
            # that a changed cell holds the new amount exactly (an amount set to 0 becomes 0, not a residue)
            written = merged_amount([e.amount for e, _ in group]) if exchange.part is not None else exchange.amount
            delta = sum(np.asarray(amount, dtype=float) for _, amount in group) - float(np.float32(written))
            if delta.ndim == 0:
                delta = float(delta)
                changed += [(amount_key(e.exchange_id, e.part), float(amount)) for e, amount in group
                            if float(amount) != e.amount]
            matrix = "biosphere" if exchange.type == "biosphere" else "technosphere"
            cells.append(CellChange(matrix, exchange.input, exchange.output, SIGN[exchange.type] * delta))
        scalars = tuple((k, float(v)) for k, v in (values or {}).items() if np.ndim(v) == 0)
        return cls(tuple(cells), settings, scalars, tuple(changed))

    def apply(self, lca) -> None:
        """Add the (scalar) deltas to a loaded LCA's technosphere and biosphere matrices."""
        from scipy import sparse

        for matrix, rows_of in (("technosphere", lca.dicts.product), ("biosphere", lca.dicts.biosphere)):
            cells = [c for c in self.cells if c.matrix == matrix and c.input in rows_of
                     and c.output in lca.dicts.activity]
            if not cells:
                continue
            current = getattr(lca, f"{matrix}_matrix")
            delta = sparse.csr_matrix(([float(c.delta) for c in cells],
                                       ([rows_of[c.input] for c in cells],
                                        [lca.dicts.activity[c.output] for c in cells])), shape=current.shape)
            setattr(lca, f"{matrix}_matrix", (current + delta).tocsr())
