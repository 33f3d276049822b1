"""Cell values and located problems, shared by the sheets of a ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lca.errors import CellRef, Problem
from lca.inventory.workbook import column_letter

__all__ = ["as_date", "as_number", "text", "tonnes", "Reader", "MAX_TONNES"]

# A lot, a delivery or a period's output above 10 million t (several years of the world's largest
# refinery) is a unit error (kg entered as t), not a quantity.
MAX_TONNES = 1e7


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_number(value) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def tonnes(value, *, allow_zero: bool = False) -> float | None:
    """A finite number of tonnes, > 0 (or >= 0) and at most MAX_TONNES, else None."""
    number = as_number(value)
    if number is None or number > MAX_TONNES or number < 0 or (number == 0 and not allow_zero):
        return None
    return number


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


class Reader:
    """Collects every problem of a ledger with its sheet, row and column."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, sheet, row, column, message, hint):
        self.problems.append(Problem(CellRef(self.path.name, sheet, row, column), message, hint))

    def labels(self, sheet: str, found: list, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        """label -> column index of row 1, or None after reporting missing labels."""
        labels = [text(v).lower() for v in found]
        missing = [c for c in required if c not in labels]
        if missing:
            self.add(sheet, 1, None, f"missing column(s) {', '.join(missing)}",
                     f"row 1 must hold the labels {', '.join(required)}"
                     + (f" (and may hold {', '.join(optional)})" if optional else ""))
            return None
        index = {}
        for i, label in enumerate(labels):
            if label in index and label in required + optional:
                self.add(sheet, 1, column_letter(i), f"column '{label}' appears twice (also column "
                         f"{column_letter(index[label])})", "keep one column of each label")
                return None
            if label:
                index.setdefault(label, i)
        return index

    def table(self, book, sheet: str, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        """Yield (row number, {label: value}, {label: column letter}) for each non-blank row."""
        if sheet not in book.sheet_names:
            self.add(sheet, None, None, f"the ledger has no sheet '{sheet}'",
                     f"add a sheet '{sheet}' (start from `lca ledger init`)")
            return
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if not rows:
            self.add(sheet, 1, "A", "the sheet is empty", f"row 1 must hold the labels {', '.join(required)}")
            return
        index = self.labels(sheet, rows[0], required, optional)
        if index is None:
            return
        letters = {label: column_letter(i) for label, i in index.items()}
        for number, cells in enumerate(rows[1:], start=2):
            if all(v in (None, "") for v in cells):
                continue
            yield number, {label: (cells[i] if i < len(cells) else None) for label, i in index.items()}, letters
