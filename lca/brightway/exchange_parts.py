"""At most one parameterised exchange per (input, activity, type) in the written project: parts merged.

Activity Browser (its issue 1289) keys the parameterised exchanges of an activity by input and
output: when an activity has two exchanges with formulas from the same input (a grid's direct CO2
and the well-to-tank share of the same CO2 flow), it overwrites one with the other, and its
parameter Monte Carlo is wrong. So, when the workbooks are written to Brightway, the exchanges of
one activity that share input and type and have a formula are written as ONE Brightway exchange:

* ``amount``: the sum of the parts (in workbook order), ``formula``: ``(f1) + (f2) + ...``, so
  that ``bw2data.parameters.recalculate()`` gives the sum of what the parts' formulas give;
* ``comment``: ``part 1: <source 1> | part 2: <source 2>``; the ratings (TeR, GeR, TiR, primary
  data) and the role only where every part has the same;
* ``parts``: each part as the workbook states it: amount, formula, comment, unit, uncertainty
  fields, ratings, role, worksheet and source row, as JSON text (so that bw2io's Excel export,
  which writes each field as text, exports it). Nothing is lost.

The merged exchange carries no distribution of its own. The workbook check refuses an exchange
with both a formula and a distribution, so no part has one today; were one to, its distribution
would not be one of the sum (a lognormal part plus another part is no lognormal): other Brightway
tools would see the merged exchange as exact, the part's fields stay in ``parts``, and the tool's
own Monte Carlo draws it exactly as before (one UncertainExchange per part, its delta added to
the shared matrix cell).

Exchanges without a formula are written as they are, also when they share input and type with
formula exchanges: Activity Browser only keys the parameterised ones, and a plain exchange in the
same matrix cell adds up in Brightway as before. Only two or more formula exchanges are merged.

The tool reads exchanges part by part (:func:`parts_of`, :func:`expanded`): the parametric model
(one FormulaExchange per part, sharing the Brightway exchange id, with :func:`amount_key`), the
data-quality analysis, the report's evidence and the openLCA export (in the workbook's order,
:func:`workbook_row`), so every result is computed from the same parts as before. Only the matrix
cell differs: bw2data stores it in float32, once for the sum instead of once per part.
"""

from __future__ import annotations

import json

from lca.distributions import FIELDS as _UNCERTAINTY_FIELDS
from lca.inventory.ratings import QUALITY_COLUMNS

__all__ = ["PARTS", "merge_formula_exchanges", "merged_amount", "parts_of", "expanded", "amount_key",
           "workbook_row", "stored_parts"]

PARTS = "parts"
# what a merged exchange states for all its parts together (each part has its own under PARTS)
_OF_THE_WHOLE = frozenset({"amount", "original_amount", "formula", "comment", "unit", "role", "negative",
                           "source row", PARTS, *QUALITY_COLUMNS, *_UNCERTAINTY_FIELDS})


def merged_amount(amounts) -> float:
    """The amount of a merged exchange: the parts' amounts summed in their order (always the same
    floating-point sum, so the parametric model knows the amount Brightway stores)."""
    return float(sum(amounts))


def merge_formula_exchanges(records: list[dict]) -> list[dict]:
    """The exchange records of one activity with the formula exchanges of each (input, type) merged
    into one record, placed where the first of them was; the others as they are."""
    groups: dict[tuple, list[int]] = {}
    for index, record in enumerate(records):
        if record.get("formula"):
            groups.setdefault((tuple(record["input"]), record["type"]), []).append(index)
    shared = [indices for indices in groups.values() if len(indices) > 1]
    merged = {indices[0]: _merged([records[i] for i in indices]) for indices in shared}
    dropped = {i for indices in shared for i in indices[1:]}
    return [merged.get(i, record) for i, record in enumerate(records) if i not in dropped]


def _merged(parts: list[dict]) -> dict:
    first = parts[0]
    amount = merged_amount([p["amount"] for p in parts])
    record = {"input": first["input"], "type": first["type"], "amount": amount, "unit": first["unit"],
              "worksheet": first.get("worksheet"), "source row": first.get("source row"),
              "comment": " | ".join(f"part {k}: {p.get('comment') or ''}" for k, p in enumerate(parts, start=1)),
              "formula": " + ".join(f"({p['formula']})" for p in parts), "original_amount": amount}
    for column in QUALITY_COLUMNS:
        values = [p.get(column) for p in parts]
        if values[0] is not None and all(v == values[0] for v in values):
            record[column] = values[0]
    roles = {p.get("role") for p in parts}
    if len(roles) == 1 and None not in roles:
        record["role"] = first["role"]
    # as JSON text: other tools copy an exchange's fields as they are (bw2io's write_lci_excel joins a list
    # field's items as text and fails on a list of records)
    record[PARTS] = json.dumps([{k: v for k, v in p.items() if k not in ("input", "type", "original_amount")}
                                for p in parts], sort_keys=True)
    return record


def stored_parts(data) -> list[dict]:
    parts = data.get(PARTS)
    if isinstance(parts, str):
        parts = json.loads(parts)
    return list(parts or ())


def parts_of(data) -> list[dict]:
    """The exchanges the workbook stated, from a stored exchange's data: its parts (each with the
    exchange's input, output and type), or the exchange itself."""
    parts = stored_parts(data)
    if not parts:
        return [data]
    shared = {k: v for k, v in data.items() if k not in _OF_THE_WHOLE}
    return [dict(shared, **part) for part in parts]


def workbook_row(data) -> int:
    """The workbook row of an exchange or part (0 if not known): sorting by it puts the parts of a
    merged exchange back among the activity's other exchanges where the workbook has them."""
    return data.get("source row") or 0


def amount_key(exchange_id: int, part: int | None):
    """The key of an exchange's (or a part's) amount in lca.brightway.matrices.MatrixChanges.amounts."""
    return exchange_id if part is None else (exchange_id, part)


def expanded(exchange_id: int, data, amounts: dict | None = None) -> list[tuple[dict, float]]:
    """(data, amount) of each part of a stored exchange (or of the exchange itself), the amount as
    changed by a run's parameter changes (``amounts``: MatrixChanges.amounts) or as written."""
    amounts = amounts or {}
    if not data.get(PARTS):
        return [(data, float(amounts.get(exchange_id, data.get("amount", 0.0))))]
    return [(part, float(amounts.get(amount_key(exchange_id, k), part.get("amount", 0.0))))
            for k, part in enumerate(parts_of(data))]
