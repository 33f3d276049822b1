"""Read and validate a mass-balance ledger workbook (ISO 22095 / ISO 22095-2 chain of custody).

Sheets, each a table with its labels in row 1 (see :mod:`lca.ledger.settings` for Settings):

* ``Receipts``: ``date | lot id | supplier | category | gross mass (t) | <metal> assay (%) |
  assay source``, and ``site`` (required when the ledger has more than one site).
* ``Conversion``: per period (and site): ``period | conversion factor | output (t) | evidence``,
  and ``site`` as above. The factor is the yield from metal in scrap to metal in the product;
  the output is all the metal in the product made in the period, recycled or not.
* ``Claims``: ``date | delivery id | customer | delivered (t) | claimed (t)``, and ``site`` as
  above: the metal in the delivery and the part of it claimed as recycled.

The file is only read; every problem is collected with sheet, row and column and raised together
as a :class:`LedgerError`. Every number is checked to be finite and in range (tonnes at most
:data:`MAX_TONNES` per cell, assays in (0, 100] %, conversion factors in (0, 1], claimed at most
delivered), categories come from the settings, sites from the settings.

``read_ledger(path, partial=True)`` (``lca ledger check``) keeps the valid rows and returns the
problems with them, so that the balance of the valid rows and its over-claims are reported in the
same run as the cell problems. A row with a problem is left out of that balance, and a period
without a valid conversion row gets a factor of 0 and an output of 0: its receipts earn no credit
and its claims exceed its output until the row is fixed. Only unusable Settings stop the balance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from lca.errors import CellRef, LedgerError, Problem
from lca.ledger.cells import Reader, text
from lca.ledger.records import (
    CLAIM_COLUMNS,
    CONVERSION_COLUMNS,
    RECEIPT_COLUMNS,
    Claim,
    Conversion,
    Ledger,
    Receipt,
    period_of,
    periods_between,
)
from lca.ledger.settings import Settings, read_settings
from lca.ledger.sheets import read_claims, read_conversions, read_receipts
from lca.rules import brief

__all__ = ["LedgerError", "Receipt", "Conversion", "Claim", "Ledger", "read_ledger", "period_of", "periods_between",
           "RECEIPT_COLUMNS", "CONVERSION_COLUMNS", "CLAIM_COLUMNS"]


def read_ledger(path: str | Path, *, partial: bool = False) -> Ledger:
    """Read and validate a ledger; raise LedgerError listing every problem.

    With ``partial``, return the valid rows with the problems in ``Ledger.problems`` instead (see
    the module docstring); raise only when the Settings sheet cannot be used."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    reader = Reader(path)
    try:
        data = path.read_bytes()
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise LedgerError([Problem(CellRef(path.name), f"cannot be read as a workbook ({brief(str(exc), 200)})",
                                   "give the path of an .xlsx ledger (start from `lca ledger init`)")]) from exc
    settings = read_settings(reader, book)
    checks = settings or _lenient(reader, book)
    periods = periods_between(settings.start, settings.end, settings.period) if settings else ()
    letters = {}
    conversions = read_conversions(reader, book, checks, periods, letters)
    receipts = read_receipts(reader, book, checks, letters)
    claims = read_claims(reader, book, checks, letters)
    if settings is None:  # every sheet was checked as far as it can be without the settings
        raise LedgerError(reader.problems, "The balance cannot be computed until the Settings sheet is fixed.")
    if reader.problems and not partial:
        raise LedgerError(reader.problems)
    for label in periods:  # partial: no credit and no output until the period's row is fixed
        for site in settings.sites:
            conversions.setdefault((label, site), Conversion(None, label, site, 0.0, 0.0, ""))
    return Ledger(path=path, fingerprint=hashlib.sha256(data).hexdigest(), settings=settings,
                  receipts=tuple(receipts), conversions=conversions, claims=tuple(claims), periods=periods,
                  problems=tuple(reader.problems), letters=letters)


def _lenient(reader: Reader, book) -> Settings:
    """Settings that check only what needs no setting (used when the Settings sheet is unusable):
    any site and category, any date, the assay column whatever metal it names."""
    metal = "metal"
    if "Receipts" in book.sheet_names:
        header = next(iter(book.get_sheet_by_name("Receipts").iter_rows()), [])
        named = [text(v).lower()[:-len(" assay (%)")] for v in header if text(v).lower().endswith(" assay (%)")]
        metal = named[0] if named else metal
    return Settings(sites=(), multi_site=False, metal=metal, product="product", comparison="", eligible=(), other=(),
                    input_kind="", input_description="", period="month", method="credit", start=dt.date.min,
                    end=dt.date.max, carry_over=False, carry_periods=0, window=1)
