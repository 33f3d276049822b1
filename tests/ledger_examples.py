"""The shipped ledger workbooks (inventories/ledger/), written from the data below.

    python tests/ledger_examples.py inventories/ledger

All data are fictitious and for illustration: the lots, assays, yields, outputs and claims of a
copper refinery taking appliance scrap, and of a nickel refinery taking a cell plant's cathode
production scrap back (closed loop). test_ledger.py checks that the shipped files hold exactly
these cells, so an edit to the examples is made here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

D = dt.date.fromisoformat

COPPER_SETTINGS = {
    "site": "Example refinery",
    "multi-site boundary": "no",
    "metal": "copper",
    "product": "copper cathode",
    "comparison": "copper",
    "eligible categories": "air conditioner, TV, refrigerator, washing machine",
    "other categories": "other",
    "input": "post-consumer",
    "input description": "end-of-life home appliances",
    "balancing period": "quarter",
    "method": "credit",
    "ledger start": D("2025-10-01"),
    "ledger end": D("2026-06-30"),
    "carry over": "yes",
    "carry-over periods": 1,
    "rolling window periods": 2,
    "yield parameter": "scrap_yield",
    "assay parameter": "scrap_cu_content",
    "parameter note": "",
}
COPPER_LOTS = [  # (date, supplier, category, gross t, Cu assay %)
    ("2025-10-03", "B", "refrigerator", 17.48, 49.2), ("2025-10-10", "C", "washing machine", 16.12, 42.4),
    ("2025-10-17", "A", "TV", 8.01, 41.8), ("2025-10-24", "B", "other", 17.69, 26.5),
    ("2025-10-31", "C", "air conditioner", 14.81, 58.3), ("2025-11-07", "A", "refrigerator", 21.04, 51.9),
    ("2025-11-14", "B", "washing machine", 9.69, 41.4), ("2025-11-21", "C", "TV", 8.47, 38.1),
    ("2025-11-28", "A", "other", 21.24, 27.6), ("2025-12-05", "B", "air conditioner", 11.22, 63.7),
    ("2025-12-12", "C", "refrigerator", 24.68, 51.5), ("2025-12-19", "A", "washing machine", 18.86, 48.4),
    ("2025-12-26", "B", "TV", 14.03, 41.3), ("2026-01-02", "C", "other", 18.13, 30.4),
    ("2026-01-09", "A", "air conditioner", 11.54, 59.9), ("2026-01-16", "B", "refrigerator", 8.55, 50.3),
    ("2026-01-23", "C", "washing machine", 17.4, 43.9), ("2026-01-30", "A", "TV", 24.8, 37.7),
    ("2026-02-06", "B", "other", 12.72, 32.5), ("2026-02-13", "C", "air conditioner", 17.81, 64.6),
    ("2026-02-20", "A", "refrigerator", 13.51, 47.6), ("2026-02-27", "B", "washing machine", 21.58, 44.7),
    ("2026-03-06", "C", "TV", 19.74, 40.1), ("2026-03-13", "A", "other", 17.57, 31.2),
    ("2026-03-20", "B", "air conditioner", 17.99, 64.1), ("2026-03-27", "C", "refrigerator", 22.54, 50.7),
    ("2026-04-03", "A", "washing machine", 13.85, 45.4), ("2026-04-10", "B", "TV", 18.19, 35.3),
    ("2026-04-17", "C", "other", 12.76, 28.6), ("2026-04-24", "A", "air conditioner", 14.14, 62.5),
    ("2026-05-01", "B", "refrigerator", 19.33, 46.2), ("2026-05-08", "C", "washing machine", 12.67, 46.1),
    ("2026-05-15", "A", "TV", 10.52, 36.8), ("2026-05-22", "B", "other", 20.41, 31.0),
    ("2026-05-29", "C", "air conditioner", 21.79, 62.3), ("2026-06-05", "A", "refrigerator", 17.71, 48.0),
    ("2026-06-12", "B", "washing machine", 14.52, 43.7), ("2026-06-19", "C", "TV", 12.19, 38.7),
]
COPPER_CONVERSION = [  # (period, factor, output t, evidence)
    ("2025-Q4", 0.95, 2400.0, "example: annual yield audit 2025, copper in scrap to cathode; production report Q4"),
    ("2026-Q1", 0.95, 2350.0, "example: annual yield audit 2025, copper in scrap to cathode; production report Q1"),
    ("2026-Q2", 0.96, 2500.0, "example: quarterly yield measurement 2026-Q2; production report Q2"),
]
COPPER_CLAIMS = [  # (date, delivery, customer, delivered t, claimed t)
    ("2025-12-15", "DLV-0001", "Example customer A", 50.0, 50.0),
    ("2026-03-10", "DLV-0002", "Example customer B", 80.0, 80.0),
    ("2026-03-28", "DLV-0003", "Example customer A", 100.0, 25.0),
    ("2026-06-20", "DLV-0004", "Example customer C", 70.0, 70.0),
]

NICKEL_SETTINGS = {
    "site": "Example nickel refinery",
    "multi-site boundary": "no",
    "metal": "nickel",
    "product": "battery-grade nickel sulfate for cathode material",
    "comparison": "nickel",
    "eligible categories": "electrode trim, electrode reject",
    "other categories": "cell reject",
    "input": "pre-consumer",
    "input description": "the cell plant's cathode production scrap (closed loop)",
    "balancing period": "quarter",
    "method": "rolling-average",
    "ledger start": D("2026-01-01"),
    "ledger end": D("2026-12-31"),
    "carry over": "yes",
    "carry-over periods": 1,
    "rolling window periods": 2,
    "yield parameter": "",
    "assay parameter": "",
    "parameter note": "Not linked: the model splits the recovery into pyro_ni_recovery x hydro_ni_recovery "
                      "(0.95 x 0.95 = 0.9025), and its scrap_ni_content is calculated from the cathode "
                      "composition (x_ni, cathode_cam_share, scrap_coating_share), so neither can be set from "
                      "one ledger value; the footprint uses the model's values.",
}
# (date, supplier, category, gross t, Ni assay %): coated electrode trim and rejects carry about
# 43 % Ni (scrap_ni_content of nickel.xlsx: 0.85 coating x 0.95 CAM x 0.534 Ni in NCA88 = 0.431)
NICKEL_LOTS = [
    ("2026-01-14", "Cell plant, electrode line 1", "electrode trim", 62.0, 43.4),
    ("2026-01-28", "Cell plant, electrode line 2", "electrode reject", 18.5, 41.2),
    ("2026-02-11", "Cell plant, electrode line 1", "electrode trim", 66.3, 43.0),
    ("2026-02-25", "Cell plant, assembly", "cell reject", 12.0, 19.5),
    ("2026-03-11", "Cell plant, electrode line 2", "electrode trim", 59.8, 43.6),
    ("2026-03-25", "Cell plant, electrode line 1", "electrode reject", 21.2, 40.8),
    ("2026-04-08", "Cell plant, electrode line 1", "electrode trim", 64.1, 43.1),
    ("2026-04-22", "Cell plant, electrode line 2", "electrode trim", 61.7, 43.3),
    ("2026-05-13", "Cell plant, assembly", "cell reject", 10.4, 20.1),
    ("2026-05-27", "Cell plant, electrode line 1", "electrode reject", 19.9, 41.5),
    ("2026-06-10", "Cell plant, electrode line 2", "electrode trim", 63.5, 42.9),
    ("2026-07-15", "Cell plant, electrode line 1", "electrode trim", 67.2, 43.2),
    ("2026-08-12", "Cell plant, electrode line 2", "electrode trim", 65.0, 43.5),
    ("2026-08-26", "Cell plant, electrode line 1", "electrode reject", 20.6, 41.0),
    ("2026-09-09", "Cell plant, assembly", "cell reject", 11.1, 19.8),
    ("2026-09-23", "Cell plant, electrode line 2", "electrode trim", 60.4, 43.4),
    ("2026-10-14", "Cell plant, electrode line 1", "electrode trim", 66.8, 43.0),
    ("2026-11-11", "Cell plant, electrode line 2", "electrode reject", 22.3, 41.3),
    ("2026-11-25", "Cell plant, electrode line 2", "electrode trim", 62.5, 43.1),
    ("2026-12-09", "Cell plant, electrode line 1", "electrode trim", 64.9, 43.3),
]
NICKEL_CONVERSION = [  # (period, factor, output t Ni in NiSO4, evidence)
    ("2026-Q1", 0.90, 420.0, "example: recovery audit 2025 (Ni in scrap to Ni in NiSO4); refinery output Q1"),
    ("2026-Q2", 0.90, 410.0, "example: recovery audit 2025; refinery output Q2"),
    ("2026-Q3", 0.91, 430.0, "example: recovery measurement 2026-Q3; refinery output Q3"),
    ("2026-Q4", 0.91, 425.0, "example: recovery measurement 2026-Q3; refinery output Q4"),
]
NICKEL_CLAIMS = [  # (date, delivery, customer, delivered t Ni, claimed t Ni)
    ("2026-03-30", "NI-0001", "Example cathode plant", 150.0, 30.0),
    ("2026-06-29", "NI-0002", "Example cathode plant", 160.0, 31.0),
    ("2026-09-29", "NI-0003", "Example cathode plant", 155.0, 30.0),
    ("2026-12-21", "NI-0004", "Example cathode plant", 140.0, 27.5),
]

TEMPLATE_SETTINGS = dict(COPPER_SETTINGS, site="your site id")
TEMPLATE_CONVERSION = [(p, 0.95, 0.0, "replace with the yield measurement or audit report and the period's output")
                       for p in ("2025-Q4", "2026-Q1", "2026-Q2")]

RECEIPT_LABELS = ("date", "lot id", "supplier", "site", "category", "gross mass (t)", "{metal} assay (%)",
                  "assay source")
CONVERSION_LABELS = ("period", "site", "conversion factor", "output (t)", "evidence")
CLAIM_LABELS = ("date", "delivery id", "customer", "site", "delivered (t)", "claimed (t)")


def _book(settings, lots, conversion, claims, lot_prefix, source) -> Workbook:
    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    sheet.title = "Settings"
    sheet.append(["setting", "value"])
    for key, value in settings.items():
        sheet.append([key, value])
    site = settings["site"]
    tables = {
        "Receipts": ([label.format(metal=settings["metal"]) for label in RECEIPT_LABELS],
                     [[D(d), f"{lot_prefix}-{i:04d}", s, site, c, g, a, source]
                      for i, (d, s, c, g, a) in enumerate(lots, start=1)]),
        "Conversion": (list(CONVERSION_LABELS), [[p, site, f, o, e] for p, f, o, e in conversion]),
        "Claims": (list(CLAIM_LABELS), [[D(d), n, c, site, t, k] for d, n, c, t, k in claims]),
    }
    for name, (labels, rows) in tables.items():
        table = book.create_sheet(name)
        table.append(labels)
        for row in rows:
            table.append(row)
        table.freeze_panes = "A2"
    for worksheet in book.worksheets:
        for cell in worksheet[1]:
            cell.font = bold
        for column in "ABCDEFGH":
            worksheet.column_dimensions[column].width = 24
        for cells in worksheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    return book


def examples() -> dict:
    """File name -> workbook."""
    return {
        "example-ledger.xlsx": _book(COPPER_SETTINGS, COPPER_LOTS, COPPER_CONVERSION, COPPER_CLAIMS, "LOT",
                                     "XRF on lot sample, supplier certificate"),
        "example-ledger-nickel.xlsx": _book(NICKEL_SETTINGS, NICKEL_LOTS, NICKEL_CONVERSION, NICKEL_CLAIMS, "NI-LOT",
                                            "ICP-OES on lot sample"),
        "ledger-template.xlsx": _book(TEMPLATE_SETTINGS, [], TEMPLATE_CONVERSION, [], "LOT", ""),
    }


def main(folder: str) -> None:
    for name, book in examples().items():
        book.save(Path(folder) / name)
        print(f"wrote {Path(folder) / name}")


if __name__ == "__main__":
    main(sys.argv[1])
