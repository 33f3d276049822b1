"""The customer's mass-balance statement for one delivery, as an Excel workbook.

It records what the claim rests on: the period's balance, the credit available before and
after the claim, the conversion factor and its evidence, the copper model's CFP per tonne of
the scrap-derived and the conventional route (with the method), the saving for the delivery,
and the fingerprints of the ledger and the inventories, so the same inputs give the same
statement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font

from . import __version__
from .errors import LCAError
from .ledger import period_of
from .rules import brief
from .xlsxout import put

__all__ = ["build_statement", "add_statement_sheets", "check_covered", "StatementRefused"]


class StatementRefused(LCAError):
    """The ledger does not cover the delivery asked for."""


def check_covered(ledger, balance, delivery: str):
    cover = balance.covers.get(delivery)
    if cover is None:
        known = ", ".join(brief(d, 30) for d in sorted(balance.covers)[:10]) or "none"
        more = f" and {len(balance.covers) - 10:,} more" if len(balance.covers) > 10 else ""
        raise StatementRefused(f"Delivery {brief(delivery)} is not in the ledger {ledger.path.name} (Claims sheet); "
                               f"no statement was written. Deliveries in the ledger: {known}{more}.")
    if not cover.accepted:
        raise StatementRefused(
            f"Delivery {brief(delivery)} ({cover.tonnes:,.3f} t) is not covered by the ledger: only "
            f"{cover.available_before_t:,.3f} t were available when it was claimed (period {cover.period}); "
            "no statement was written. Run `lca ledger check` for the balance.")
    return cover


def build_statement(ledger, balance, delivery: str, comparison, *, fingerprint: str, command: str) -> Workbook:
    """Return the statement workbook (not yet saved); refuse deliveries the ledger does not cover."""
    book = Workbook()
    book.remove(book.active)
    claim = add_statement_sheets(book, ledger, balance, delivery, comparison, fingerprint=fingerprint,
                                 command=command)
    book.properties.creator = f"lca-cfp {__version__}"
    fixed = dt.datetime.combine(claim.date, dt.time())
    book.properties.created = book.properties.modified = fixed  # same inputs, same statement
    return book


def add_statement_sheets(book, ledger, balance, delivery: str, comparison, *, fingerprint: str, command: str,
                         titles: tuple[str, str] = ("Statement", "Period receipts")):
    """Add the statement and its period receipts to ``book``; return the delivery's claim."""
    cover = check_covered(ledger, balance, delivery)
    claim = next(c for c in ledger.claims if c.delivery == delivery)
    period = balance.period(cover.period)
    conversion = ledger.conversions[cover.period]
    primary, scrap = comparison.routes[0], comparison.routes[1]
    difference, _ = comparison.difference
    method_text = "credit method" if ledger.settings.method == "credit" else "rolling-average percentage method"

    sheet = book.create_sheet(titles[0])
    bold = Font(bold=True)
    rows = [
        ("Mass-balance statement: scrap-derived copper cathode", None, None),
        (None, None, None),
        ("Site", ledger.settings.site, None),
        ("Customer", claim.customer, None),
        ("Delivery id", claim.delivery, None),
        ("Delivery date", claim.date, None),
        ("Cathode delivered", claim.tonnes, "t"),
        ("Claim", f"{claim.tonnes:,.3f} t of copper cathode counted as 100 % scrap-derived (copper from end-of-life "
                  f"home appliances) under a mass-balance chain of custody, ISO 22095:2020 and ISO 22095-2:2026, "
                  f"{method_text}", None),
        (None, None, None),
        ("Balance evidence", None, None),
        ("Balancing period", cover.period, None),
        ("Conversion factor (cathode per t copper in scrap)", conversion.factor, "t/t"),
        ("Conversion factor evidence", conversion.evidence, None),
        ("Scrap copper received in the period", period.scrap_copper_t, "t"),
        ("Credits carried in", period.opening_t, "t cathode"),
        ("Credits in (scrap copper x conversion factor)", period.credits_in_t, "t cathode"),
        ("Claims out in the period", period.claims_out_t, "t cathode"),
        ("Credits expired at period end", period.expired_t, "t cathode"),
        ("Closing balance (carried out)", period.closing_t, "t cathode"),
        ("Available just before this claim", cover.available_before_t, "t cathode"),
        ("Available just after this claim", cover.available_after_t, "t cathode"),
    ]
    if period.recycled_share is not None:
        rows += [("Recycled share of the period (rolling average)", period.recycled_share, "fraction"),
                 ("Allowance of the period", period.allowance_t, "t cathode")]
    rows += [
        (None, None, None),
        ("Carbon footprint (copper model)", None, None),
        ("Method", " | ".join(comparison.method.name), None),
        ("Functional unit", comparison.functional_unit, None),
        (f"CFP, {scrap.label}", scrap.total, f"{comparison.unit} per t"),
        (f"CFP, {primary.label}", primary.total, f"{comparison.unit} per t"),
        ("Difference per t (conventional minus scrap-derived)", difference, f"{comparison.unit} per t"),
        ("Saving for this delivery", difference * claim.tonnes / 1000.0, "t CO2-eq"),
        (None, None, None),
        ("Provenance", None, None),
        ("Ledger file", ledger.path.name, None),
        ("Ledger SHA-256", ledger.fingerprint, None),
        ("Inventory fingerprint", fingerprint, None),
        ("Tool", f"lca-cfp {__version__}", None),
        ("Command", command, None),
    ]
    for index, (label, value, unit) in enumerate(rows, start=1):
        if label is not None:
            put(sheet, index, 1, label)
        if value is not None:
            fmt = "yyyy-mm-dd" if isinstance(value, dt.date) else ("#,##0.000" if isinstance(value, float) else None)
            put(sheet, index, 2, value, fmt)
        if unit is not None:
            put(sheet, index, 3, unit)
        if label in ("Balance evidence", "Carbon footprint (copper model)", "Provenance") or index == 1:
            sheet.cell(row=index, column=1).font = bold
    sheet.column_dimensions["A"].width = 52
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 26

    evidence = book.create_sheet(titles[1])
    header = ["category", "lots", "scrap (t)", "copper (t)", "credits (t cathode)"]
    for column, label in enumerate(header, start=1):
        put(evidence, 1, column, label).font = bold
    groups = defaultdict(lambda: [0, 0.0, 0.0])
    for receipt in ledger.receipts:
        if period_of(receipt.date, ledger.settings.period) == cover.period:
            group = groups[receipt.category]
            group[0] += 1
            group[1] += receipt.gross_t
            group[2] += receipt.copper_t
    for row, (category, (lots, gross, copper)) in enumerate(sorted(groups.items()), start=2):
        for column, value in enumerate((category, lots, gross, copper, copper * conversion.factor), start=1):
            put(evidence, row, column, value, "#,##0.000" if isinstance(value, float) else None)
    evidence.freeze_panes = "A2"
    for letter in "ABCDE":
        evidence.column_dimensions[letter].width = 20
    return claim
