"""Stand-in for lca.ledger.fastsheet (same interface), built on python-calamine's to_python."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["SheetColumns", "Column", "read_columns"]


@dataclass(frozen=True)
class Column:
    kind: np.ndarray  # uint8: 0 empty, 1 number, 2 text, 3 date, 4 bool, 5 other
    number: np.ndarray  # float64 where kind == 1, else NaN
    day: np.ndarray  # int32 date ordinal where kind == 3, else 0
    text: list  # str where kind == 2, else None


@dataclass(frozen=True)
class SheetColumns:
    labels: tuple[str, ...]
    rows: int
    columns: tuple[Column, ...]


def read_columns(path, sheet: str) -> SheetColumns | None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    if sheet not in book.sheet_names:
        return None
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    if not rows:
        return SheetColumns((), 0, ())
    labels = tuple("" if v is None else str(v).strip() for v in rows[0])
    data = rows[1:]
    while data and all(v in (None, "") for v in data[-1]):
        data.pop()
    n = len(data)
    columns = []
    for j in range(len(labels)):
        kind = np.zeros(n, np.uint8)
        number = np.full(n, math.nan)
        day = np.zeros(n, np.int32)
        texts = [None] * n
        for i, cells in enumerate(data):
            v = cells[j] if j < len(cells) else None
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                kind[i], number[i] = 4, float(v)
            elif isinstance(v, (int, float)):
                kind[i], number[i] = 1, float(v)
            elif isinstance(v, dt.datetime):
                kind[i], day[i] = 3, v.date().toordinal()
            elif isinstance(v, dt.date):
                kind[i], day[i] = 3, v.toordinal()
            elif isinstance(v, str):
                kind[i], texts[i] = 2, v
            else:
                kind[i] = 5
        columns.append(Column(kind, number, day, texts))
    return SheetColumns(labels, n, tuple(columns))
