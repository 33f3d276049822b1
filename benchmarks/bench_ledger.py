"""Benchmark: check a mass-balance ledger of N receipts (default 1,000,000).

    python benchmarks/bench_ledger.py [--receipts N] [--keep FILE]

Writes a ledger (openpyxl write-only; not timed as part of the check), then prints the time of
`lca ledger check` in a fresh process, and of reading and balancing in this process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

CATEGORIES = ("air conditioner", "refrigerator", "washing machine", "TV", "other")
RECEIPT_COLUMNS = ("date", "lot id", "supplier", "site", "category", "gross mass (t)", "copper assay (%)",
                   "assay source")
CONVERSION_COLUMNS = ("period", "site", "conversion factor", "output (t)", "evidence")
CLAIM_COLUMNS = ("date", "delivery id", "customer", "site", "delivered (t)", "claimed (t)")


def write(path: Path, receipts: int) -> None:
    book = Workbook(write_only=True)
    settings = book.create_sheet("Settings")
    for row in (["setting", "value"], ["site", "benchmark"], ["metal", "copper"], ["product", "copper cathode"],
                ["comparison", "copper"], ["eligible categories", "air conditioner, refrigerator, washing machine, TV"],
                ["other categories", "other"], ["input", "post-consumer"],
                ["input description", "end-of-life home appliances"], ["balancing period", "month"],
                ["method", "credit"], ["ledger start", dt.date(2025, 1, 1)], ["ledger end", dt.date(2025, 12, 31)],
                ["carry over", "yes"], ["carry-over periods", 2]):
        settings.append(row)
    sheet = book.create_sheet("Receipts")
    sheet.append(list(RECEIPT_COLUMNS))
    start = dt.date(2025, 1, 1)
    for i in range(receipts):
        sheet.append([start + dt.timedelta(days=i * 365 // receipts), f"L{i:07d}", "plant", "benchmark",
                      CATEGORIES[i % 5], 1.0 + (i % 17), 30.0 + (i % 40), "XRF"])
    conversion = book.create_sheet("Conversion")
    conversion.append(list(CONVERSION_COLUMNS))
    for month in range(1, 13):
        conversion.append([f"2025-{month:02d}", "benchmark", 0.95, 50_000.0, "audit"])
    claims = book.create_sheet("Claims")
    claims.append(list(CLAIM_COLUMNS))
    for month in range(1, 13):
        claims.append([dt.date(2025, month, 28), f"D{month:02d}", "customer", "benchmark", 1000.0, 1000.0])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the ledger here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "ledger.xlsx"
        start = time.perf_counter()
        write(path, args.receipts)
        print(f"wrote {args.receipts:,} receipts in {time.perf_counter() - start:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB; not part of the check)")
        start = time.perf_counter()
        completed = subprocess.run([sys.executable, "-m", "lca", "ledger", "check", str(path)],
                                   capture_output=True, text=True, env=dict(os.environ))
        wall = time.perf_counter() - start
        print(f"lca ledger check, fresh process: {wall:.2f} s (exit {completed.returncode}; aim: under 10 s)")
        from lca.ledger import balance, read_ledger

        start = time.perf_counter()
        ledger = read_ledger(path)
        read = time.perf_counter() - start
        start = time.perf_counter()
        balance(ledger)
        print(f"in process: read and validate {read:.2f} s, balance {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
