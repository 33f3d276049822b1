"""Write ledger workbooks for tests (and the shipped example) with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from lca.ledger import CLAIM_COLUMNS, CONVERSION_COLUMNS, RECEIPT_COLUMNS

SETTINGS = {
    "site": "Saganoseki smelter and refinery (example)",
    "balancing period": "quarter",
    "method": "credit",
    "ledger start": dt.date(2025, 10, 1),
    "ledger end": dt.date(2026, 6, 30),
    "carry over": "yes",
    "carry-over periods": 1,
    "rolling window periods": 2,
}


def write_ledger(path: Path, *, settings=None, receipts=(), conversions=(), claims=(), output=False) -> Path:
    """receipts: (date, lot, supplier, category, gross t, assay %, source); conversions: (period,
    factor, evidence[, output t]); claims: (date, delivery, customer, tonnes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Settings"
    sheet.append(["setting", "value"])
    for key, value in dict(SETTINGS, **(settings or {})).items():
        sheet.append([key, value])
    receipts_sheet = book.create_sheet("Receipts")
    receipts_sheet.append(list(RECEIPT_COLUMNS))
    for row in receipts:
        receipts_sheet.append(list(row))
    conversion_sheet = book.create_sheet("Conversion")
    conversion_sheet.append(list(CONVERSION_COLUMNS) + (["cathode output (t)"] if output else []))
    for row in conversions:
        conversion_sheet.append(list(row))
    claims_sheet = book.create_sheet("Claims")
    claims_sheet.append(list(CLAIM_COLUMNS))
    for row in claims:
        claims_sheet.append(list(row))
    for worksheet in book.worksheets:  # a user's text such as '=HYPERLINK(...)' stays text
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)
    return path
