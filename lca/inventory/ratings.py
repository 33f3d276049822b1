"""Data-quality rating columns of an exchange row: ``TeR``, ``GeR``, ``TiR`` (1 good .. 3 poor) and
``primary data`` (yes / no), read and checked for :mod:`lca.inventory.exchange_rows` (docs/data-quality.md).

The four go together: an exchange is rated with all four or none. The tool writes them to
Brightway under the same keys (as bw2io's ExcelImporter does with extra columns);
:mod:`lca.analysis.dataquality` weighs them over a result.
"""

from __future__ import annotations

import math

__all__ = ["RATING_COLUMNS", "PRIMARY_COLUMN", "QUALITY_COLUMNS", "NAMES", "read_rating", "stored_rating"]

RATING_COLUMNS = ("TeR", "GeR", "TiR")
PRIMARY_COLUMN = "primary data"
QUALITY_COLUMNS = (*RATING_COLUMNS, PRIMARY_COLUMN)
_RATINGS = (1, 2, 3)
NAMES = {"TeR": "technological", "GeR": "geographical", "TiR": "temporal"}


# --- the workbook columns ------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rating(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value) and value in _RATINGS:
        return int(value)
    return None


def read_rating(values: dict, name: str = "") -> tuple[tuple, list[tuple[str, str, str]]]:
    """The ratings of one exchange row (``values``: column label -> cell value).

    Returns ``(quality, problems)``: ``quality`` is ``(("TeR", 1), ("GeR", 2), ("TiR", 1),
    ("primary data", "no"))``, or ``()`` when the row carries no rating (or a bad one);
    ``problems`` are ``(column label, message, fix)``.
    """
    cells = {column: values.get(column) for column in QUALITY_COLUMNS}
    given = [column for column, value in cells.items() if not _blank(value)]
    if not given:
        return (), []
    label = f"exchange {name!r}" if name else "exchange"
    problems, quality = [], []
    for column in RATING_COLUMNS:
        value = cells[column]
        if _blank(value):
            continue
        rating = _rating(value)
        if rating is None:
            problems.append((column, f"{label}: {column} ({NAMES[column]} representativeness) is {value!r}, "
                             "not 1, 2 or 3", f"write 1 (good), 2 (fair) or 3 (poor) in column {column!r} "
                             "(docs/data-quality.md), or leave all four rating cells empty"))
        else:
            quality.append((column, rating))
    primary = cells[PRIMARY_COLUMN]
    if not _blank(primary):
        text = primary.strip().lower() if isinstance(primary, str) else None
        if text not in ("yes", "no"):
            problems.append((PRIMARY_COLUMN, f"{label}: 'primary data' is {primary!r}, not yes or no",
                             "write yes (the companies' own data for this exchange) or no in column 'primary data'"))
        else:
            quality.append((PRIMARY_COLUMN, text))
    missing = [column for column in QUALITY_COLUMNS if _blank(cells[column])]
    if missing and not problems:
        problems.append((missing[0], f"{label} is rated in {', '.join(given)} but not in {', '.join(missing)}",
                         "fill in all four of TeR, GeR, TiR (1-3) and primary data (yes/no), or none"))
    if problems:
        return (), problems
    return tuple(quality), []


def stored_rating(data: dict):
    """(TeR, GeR, TiR, primary 0/1) from a Brightway exchange's data, or None when it is not rated."""
    ratings = [_rating(data.get(column)) for column in RATING_COLUMNS]
    primary = data.get(PRIMARY_COLUMN)
    primary = primary.strip().lower() if isinstance(primary, str) else None
    if any(r is None for r in ratings) or primary not in ("yes", "no"):
        return None
    return (*ratings, 1.0 if primary == "yes" else 0.0)
