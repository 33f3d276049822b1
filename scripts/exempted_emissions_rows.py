#!/usr/bin/env python3
"""Add the routes' 'exempted emissions percent' and 'exempted emissions source' rows (PACT
exemptedEmissionsPercent) to the shipped workbooks, from the estimates of docs/cut-off.md.

    python scripts/exempted_emissions_rows.py [INVENTORIES]     (default: the repository's inventories/)

Rows go right after the route's 'route label' row, as scripts/battery_regulation_rows.py adds its
rows (same rules: a row already there with the same value is left alone; another value is reported).
Only routes whose exclusions docs/cut-off.md sums are given a value; the nickel routes are not
(the page gives per-flow ranges, not a per-route sum), so the PACT export refuses them and says why.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from battery_regulation_rows import add_row, blocks  # noqa: E402

from lca.inventory.route_rows import EXEMPTED, EXEMPTED_SOURCE  # noqa: E402
from lca.xlsx import save_atomically  # noqa: E402

_PAGE = "docs/cut-off.md, 'Copper: what is still excluded, with estimates' (2026-12-02)"
# (activity code, percent, source)
ROWS = (
    ("route-cu-primary", 5,
     f"derived: {_PAGE}: sum C2 of the estimated exclusions, ~268 of 5,354 kg CO2e / t Cu before by-product "
     "allocation = 5.0 % (water supply 101, tailings 48, tankhouse steam 53, concentrate moisture 34, port handling "
     "6, CH4 and N2O of power <= 11, refining additives ~10, non-ideal detonation ~5); capital goods (~160, 3 %) "
     "are outside the boundary by decision (criterion C4) and not counted here"),
    ("route-cu-scrap", 6.7,
     f"derived: {_PAGE}: sum C2 of the estimated exclusions, ~70 of 1,040 kg CO2e / t Cu = 6.7 % (tankhouse steam "
     "53, CH4 and N2O of power <= 2, refining additives ~10, dismantling auxiliaries ~5); capital goods (~31, 3 %) "
     "are outside the boundary by decision (criterion C4) and not counted here"),
)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "inventories"
    import openpyxl

    status = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        changed = False
        for sheet in book.worksheets:
            for code, percent, source in ROWS:
                found = blocks(sheet).get(code)
                if found is None:
                    continue
                for key, value in ((EXEMPTED_SOURCE, source), (EXEMPTED, percent)):
                    start, end = blocks(sheet)[code]
                    outcome = add_row(sheet, start, end, key, value, "route label")
                    print(f"{path.name} {code} {key}: {outcome}")
                    changed |= outcome == "added"
                    status |= outcome.startswith("differs")
        if changed:
            save_atomically(book, path, overwrite=True, print_setup=None)  # an inventory workbook, not printed
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
