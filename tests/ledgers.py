"""Write ledger workbooks for tests with openpyxl (the shipped examples: tests/ledger_examples.py)."""

from __future__ import annotations

from pathlib import Path

from ledger_examples import COPPER_SETTINGS
from openpyxl import Workbook

# the copper example's settings, at a site of its own, without the optional rows
SETTINGS = {**{k: v for k, v in COPPER_SETTINGS.items() if k not in ("multi-site boundary", "parameter note")},
            "site": "Saganoseki"}
RECEIPTS = ("date", "lot id", "supplier", "category", "gross mass (t)", "copper assay (%)", "assay source")
CONVERSION = ("period", "conversion factor", "output (t)", "evidence")
CLAIMS = ("date", "delivery id", "customer", "delivered (t)", "claimed (t)")


def write_ledger(path: Path, *, settings=None, receipts=(), conversions=(), claims=(), columns=None) -> Path:
    """receipts: (date, lot, supplier, category, gross t, assay %, source); conversions: (period,
    factor, output t, evidence); claims: (date, delivery, customer, delivered t, claimed t).
    ``columns`` replaces a sheet's labels, e.g. {"Claims": CLAIMS + ("site",)}; a setting whose
    value is None is left out."""
    labels = {"Receipts": RECEIPTS, "Conversion": CONVERSION, "Claims": CLAIMS, **(columns or {})}
    book = Workbook()
    sheet = book.active
    sheet.title = "Settings"
    sheet.append(["setting", "value"])
    for key, value in dict(SETTINGS, **(settings or {})).items():
        if value is not None:
            sheet.append([key, value])
    for name, rows in (("Receipts", receipts), ("Conversion", conversions), ("Claims", claims)):
        table = book.create_sheet(name)
        table.append(list(labels[name]))
        for row in rows:
            table.append(list(row))
    for worksheet in book.worksheets:  # a user's text such as '=HYPERLINK(...)' stays text
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)
    return path
