"""The records of a mass-balance ledger as read from its workbook (receipts, conversion rows, claims,
the ledger itself) and its periods; :mod:`lca.ledger.read` reads and validates them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lca.errors import CellRef, Problem
from lca.ledger.settings import Settings

__all__ = ["Receipt", "Conversion", "Claim", "Ledger", "period_of", "period_bounds", "periods_between",
           "RECEIPT_COLUMNS", "CONVERSION_COLUMNS", "CLAIM_COLUMNS"]

RECEIPT_COLUMNS = ("date", "lot id", "supplier", "site", "category", "gross mass (t)", "{metal} assay (%)",
                   "assay source")
CONVERSION_COLUMNS = ("period", "site", "conversion factor", "output (t)", "evidence")
CLAIM_COLUMNS = ("date", "delivery id", "customer", "site", "delivered (t)", "claimed (t)")


class Receipt(NamedTuple):
    """One lot of scrap received (a tuple because a ledger may hold millions)."""

    row: int
    date: dt.date
    lot: str
    supplier: str
    site: str
    category: str
    gross_t: float
    assay_pct: float
    assay_source: str
    eligible: bool

    @property
    def metal_t(self) -> float:
        return self.gross_t * self.assay_pct / 100.0


@dataclass(frozen=True)
class Conversion:
    row: int | None  # None: a placeholder for a period without a valid row (read with partial=True)
    period: str
    site: str
    factor: float
    output_t: float
    evidence: str


@dataclass(frozen=True)
class Claim:
    row: int
    date: dt.date
    delivery: str
    customer: str
    site: str
    delivered_t: float
    claimed_t: float


@dataclass(frozen=True)
class Ledger:
    path: Path
    fingerprint: str
    settings: Settings
    receipts: tuple[Receipt, ...]
    conversions: dict  # (period label, site) -> Conversion
    claims: tuple[Claim, ...]
    periods: tuple[str, ...]
    problems: tuple[Problem, ...] = ()  # read with partial=True: the problems of the rows left out
    letters: dict = field(default_factory=dict)  # sheet -> {label: column letter}

    def where(self, sheet: str, row: int | None, label: str) -> CellRef:
        return CellRef(self.path.name, sheet, row, self.letters.get(sheet, {}).get(label))

    def conversion(self, period: str, site: str) -> Conversion:
        return self.conversions[(period, site)]


def period_of(day: dt.date, period: str) -> str:
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}"


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period labelled by :func:`period_of` ('2025-Q4', '2025-10', '2025')."""
    year, _, rest = label.partition("-")
    if not rest:
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    first = (int(rest[1:]) - 1) * 3 + 1 if rest.startswith("Q") else int(rest)
    last = first + 2 if rest.startswith("Q") else first
    after = dt.date(int(year) + last // 12, last % 12 + 1, 1)
    return dt.date(int(year), first, 1), after - dt.timedelta(days=1)


def periods_between(start: dt.date, end: dt.date, period: str) -> tuple[str, ...]:
    labels, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        label = period_of(day, period)
        if label not in labels:
            labels.append(label)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return tuple(labels)
