#!/usr/bin/env python3
"""Add the EU Battery Regulation (EU) 2023/1542 rows to the shipped workbooks (docs/battery-regulation.md).

    python scripts/battery_regulation_rows.py [INVENTORIES]     (default: the repository's inventories/)

Each row in :data:`ROWS` goes under the ``Activity`` row of the activity with that ``code``, found
in whichever workbook of the folder holds it (the activity blocks may have moved): right after
its anchor row (``stage``, ``supply of``, ``declared mass (kg)``), or before ``Exchanges`` when
the block has no anchor, in the anchor row's cell style. A row already there with the same value
is left alone, so running the script twice changes nothing; a row there with another value is
reported and left as it is (exit status 1), as is a code found in no workbook or in two. A
workbook is written (atomically) only when a row was added.

Why each value: docs/battery-regulation.md, "The shipped cell".
"""

from __future__ import annotations

import argparse
import sys
from copy import copy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lca.inventory.regulation_rows import METAL_ROW, REGULATION, REGULATION_ROW, STAGE_ROW  # noqa: E402
from lca.xlsx import save_atomically  # noqa: E402

RAW = "raw material acquisition and pre-processing"
MAIN = "main product production"

# (activity code, row, value, anchor row)
ROWS = (
    ("ni-supply-cam", METAL_ROW, "nickel", "supply of"),
    ("co-supply-cam", METAL_ROW, "cobalt", "supply of"),
    ("li-supply-cam", METAL_ROW, "lithium", "supply of"),
    ("prod-cell-2170-kwh", REGULATION_ROW, REGULATION, "declared mass (kg)"),
    ("cell-cathode", STAGE_ROW, RAW, "stage"),
    ("cell-anode", STAGE_ROW, RAW, "stage"),
    ("cell-collectors", STAGE_ROW, RAW, "stage"),
    ("cell-electrolyte", STAGE_ROW, RAW, "stage"),
    ("cell-can", STAGE_ROW, RAW, "stage"),
    ("cu-foil", STAGE_ROW, RAW, "stage"),
    ("cell-manufacturing", STAGE_ROW, MAIN, "stage"),
)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def blocks(sheet) -> dict[str, tuple[int, int]]:
    """Activity code -> (its 'Activity' row, its 'Exchanges' row) on ``sheet``."""
    found, start = {}, None
    for row in range(1, sheet.max_row + 1):
        key = _text(sheet.cell(row, 1).value)
        if key == "Activity":
            start = row
        elif key == "Exchanges" and start is not None:
            code = next((_text(sheet.cell(r, 2).value) for r in range(start + 1, row)
                         if _text(sheet.cell(r, 1).value) == "code"), "")
            if code:
                found[code] = (start, row)
            start = None
    return found


def add_row(sheet, start: int, end: int, key: str, value, anchor: str) -> str:
    """Add ``key`` = ``value`` to the metadata rows start+1..end-1; 'added', 'present' or 'differs: ...'."""
    rows = {_text(sheet.cell(r, 1).value): r for r in range(start + 1, end)}
    if key in rows:
        found = sheet.cell(rows[key], 2).value
        return "present" if _text(found) == _text(value) else f"differs: {found!r} (not changed)"
    after = rows.get(anchor, end - 1)
    sheet.insert_rows(after + 1)
    for column in (1, 2):
        cell, model = sheet.cell(after + 1, column), sheet.cell(after, column)
        cell.value = key if column == 1 else value
        if model.has_style:
            cell._style = copy(model._style)
    return "added"


def apply(folder: Path) -> tuple[list[str], bool]:
    """Add the rows to the workbooks of ``folder``: (the report lines, whether all went well)."""
    from openpyxl import load_workbook

    paths = [path for path in sorted(folder.glob("*.xlsx")) if not path.name.startswith(("~", "."))]
    books = {path: load_workbook(path) for path in paths}
    lines, ok, changed = [], True, set()
    for code, key, value, anchor in ROWS:
        places = [(path, sheet) for path, book in books.items() for sheet in book.worksheets
                  if code in blocks(sheet)]
        if len(places) != 1:
            lines.append(f"{code}: found in {len(places)} places ({', '.join(p.name for p, _ in places) or 'none'}); "
                         "nothing added")
            ok = False
            continue
        path, sheet = places[0]
        start, end = blocks(sheet)[code]
        outcome = add_row(sheet, start, end, key, value, anchor)
        ok = ok and not outcome.startswith("differs")
        if outcome == "added":
            changed.add(path)
        lines.append(f"{path.name}: {code}: '{key}' = {value}: {outcome}")
    for path in sorted(changed):
        save_atomically(books[path], path, overwrite=True, print_setup=None)  # an inventory workbook, not printed
    return lines, ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inventories", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[1] / "inventories")
    args = parser.parse_args(argv)
    lines, ok = apply(args.inventories)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
