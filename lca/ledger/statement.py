"""The customer's mass-balance statement for one delivery, as an Excel workbook.

It records what the claim rests on: the delivery and the claim in the settings' words, the
period's balance and the credit available before and after the claim, the conversion factor and
its evidence, the lots the claimed tonnes were traced to, and the delivery's carbon footprint
from the comparison the settings name, computed with the ledger's values where the settings
link them (lca.ledger.links). ISO 14067 counts no avoided emissions in a CFP, so the difference
to conventional metal is shown apart, as a labelled comparison. The fingerprints of the ledger
and the inventories make the same inputs give the same statement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lca import __version__
from lca.errors import StatementRefused
from lca.ledger.records import period_of
from lca.rules import brief
from lca.xlsx import put

__all__ = ["build_statement", "add_statement_sheets", "check_covered", "Footprint"]

METHOD_TEXT = {"credit": "credit method", "rolling-average": "rolling-average percentage method"}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _print_setup(sheet, title: str) -> None:
    """Landscape A4, one page wide, header row repeated: the statement prints as it reads."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddHeader.left.text = title.replace("&", "&&")  # '&' starts a header code
    sheet.oddHeader.left.size = 8
    sheet.oddFooter.right.text = "&P / &N"


@dataclass(frozen=True)
class Footprint:
    """The comparison result the statement uses, with the ledger's values and the model's defaults."""

    comparison: object  # lca.calculate.Comparison
    values: tuple = ()  # lca.ledger.links.LedgerValue
    defaults: dict = field(default_factory=dict)  # parameter id -> model value


def check_covered(ledger, balance, delivery: str):
    cover = balance.covers.get(delivery)
    if cover is None:
        known = ", ".join(brief(d, 30) for d in sorted(balance.covers)[:10]) or "none"
        more = f" and {len(balance.covers) - 10:,} more" if len(balance.covers) > 10 else ""
        raise StatementRefused(f"Delivery {brief(delivery)} is not in the ledger {ledger.path.name} (Claims sheet); "
                               f"nothing was written. Deliveries in the ledger: {known}{more}.")
    if not cover.accepted:
        why = {"output": f"its {cover.delivered_t:,.3f} t exceed the {max(0.0, cover.output_left_t):,.3f} t of the "
                         f"period's output left",
               "share": f"only {cover.available_before_t:,.3f} t of it may count as recycled (the period's share)",
               "credit": f"only {cover.available_before_t:,.3f} t of credit were available when it was claimed"}
        raise StatementRefused(
            f"Delivery {brief(delivery)} ({cover.claimed_t:,.3f} t claimed) is not covered by the ledger: "
            f"{why.get(cover.reason, 'it was refused')} (period {cover.period}); nothing was written. "
            "Run `lca ledger check` for the balance.")
    return cover


def build_statement(ledger, balance, delivery: str, footprint: Footprint, *, fingerprint: str,
                    command: str) -> Workbook:
    """Return the statement workbook (not yet saved); refuse deliveries the ledger does not cover."""
    book = Workbook()
    book.remove(book.active)
    claim = add_statement_sheets(book, ledger, balance, delivery, footprint, fingerprint=fingerprint,
                                 command=command)
    book.properties.creator = f"lca-cfp {__version__}"
    fixed = dt.datetime.combine(claim.date, dt.time())
    book.properties.created = book.properties.modified = fixed  # same inputs, same statement
    return book


def _footprint_rows(ledger, claim, footprint: Footprint) -> list:
    comparison = footprint.comparison
    reference, recycled = comparison.routes[0], comparison.routes[1]
    unit = comparison.unit
    rows = [
        ("Carbon footprint of the delivery", None, None),
        ("Comparison model", comparison.comparison, None),
        ("Method", " | ".join(comparison.method.name), None),
        ("Functional unit of the model", comparison.functional_unit, None),
    ]
    for value in footprint.values:
        label = f"{value.what[0].upper()}{value.what[1:]} of the lots used ({ledger.settings.metal})"
        if value.parameter:
            rows.append((label, value.value, f"used in the model as {value.parameter}"))
        else:
            rows.append((label, value.value, "not used: no link in the settings"))
    for parameter, default in footprint.defaults.items():
        rows.append((f"Model default of {parameter}", default, "replaced by the ledger's value"))
    if ledger.settings.parameter_note:
        rows.append(("Note on the model's parameters", ledger.settings.parameter_note, None))
    recycled_t, other_t = claim.claimed_t, claim.delivered_t - claim.claimed_t
    cfp = (recycled_t * recycled.total + other_t * reference.total) / 1000.0
    rows += [
        (f"CFP per t, {recycled.label}", recycled.total, f"{unit} per t"),
        (f"CFP per t, {reference.label}", reference.total, f"{unit} per t"),
        ("CFP of this delivery (claimed t x recycled route + rest x reference route)", cfp, "t CO2-eq"),
        ("CFP per t of metal in this delivery", cfp * 1000.0 / claim.delivered_t, f"{unit} per t"),
        (None, None, None),
        ("Comparison, not part of the CFP (ISO 14067 counts no avoided emissions)", None, None),
        ("The same metal from the reference route", claim.delivered_t * reference.total / 1000.0, "t CO2-eq"),
        ("Difference: reference route minus this delivery", claim.delivered_t * reference.total / 1000.0 - cfp,
         "t CO2-eq"),
    ]
    return rows


def add_statement_sheets(book, ledger, balance, delivery: str, footprint: Footprint, *, fingerprint: str,
                         command: str, titles: tuple[str, str, str] = ("Statement", "Period receipts", "Trace")):
    """Add the statement, its period receipts and its trace to ``book``; return the delivery's claim."""
    cover = check_covered(ledger, balance, delivery)
    settings = ledger.settings
    claim = next(c for c in ledger.claims if c.delivery == delivery)
    period = balance.period(cover.period, cover.site)
    conversion = ledger.conversion(cover.period, claim.site)
    share = claim.claimed_t / claim.delivered_t
    method = METHOD_TEXT[settings.method]
    sheet = book.create_sheet(titles[0])
    rows = [
        (f"Mass-balance statement: recycled {settings.metal} in {settings.product}", None, None),
        (None, None, None),
        ("Site", claim.site, None),
        ("Balance", cover.site + (" (multi-site boundary)" if settings.multi_site else ""), None),
        ("Customer", claim.customer, None),
        ("Delivery id", claim.delivery, None),
        ("Delivery date", claim.date, None),
        ("Product", settings.product, None),
        (f"{settings.metal.capitalize()} delivered", claim.delivered_t, "t"),
        ("Claimed as recycled", claim.claimed_t, "t"),
        ("Recycled content of the delivery", share, "fraction"),
        ("Claim", f"{claim.claimed_t:,.3f} t of the {claim.delivered_t:,.3f} t of {settings.metal} in this delivery "
                  f"of {settings.product} ({share:.1%}) count as {settings.claim_wording}, under a mass-balance "
                  f"chain of custody (ISO 22095:2020, ISO 22095-2:2026), {method}", None),
        (None, None, None),
        ("Balance evidence", None, None),
        ("Balancing period", cover.period, None),
        (f"Conversion factor (t {settings.metal} in product per t in scrap)", conversion.factor, "t/t"),
        ("Conversion factor and output evidence", conversion.evidence, None),
        (f"Output of the period ({settings.metal} in {settings.product})", period.output_t, "t"),
        ("Delivered before this claim in the period", period.output_t - cover.output_left_t, "t"),
        (f"Eligible scrap {settings.metal} received in the period", period.scrap_metal_t, "t"),
        (f"Other scrap {settings.metal} received (no credit: {', '.join(settings.other) or 'none'})",
         period.ineligible_metal_t, "t"),
        ("Credits carried in", period.opening_t, "t"),
        ("Credits in (eligible scrap x conversion factor)", period.credits_in_t, "t"),
        ("Credits used in the period", period.used_t, "t"),
        ("Claimed as recycled in the period", period.claims_out_t, "t"),
        ("Credits expired at period end", period.expired_t, "t"),
        ("Closing balance (carried out)", period.closing_t, "t"),
    ]
    if period.recycled_share is None:
        rows += [("Credit available just before this claim", cover.available_before_t, "t"),
                 ("Credit available just after this claim", cover.available_after_t, "t")]
    else:
        rows += [("Window share (credits over output of the window)", period.window_share, "fraction"),
                 ("Recycled share of the period's output", period.recycled_share, "fraction"),
                 ("Most this delivery may claim (share x delivered)", cover.available_before_t, "t")]
    rows += [(None, None, None), *_footprint_rows(ledger, claim, footprint), (None, None, None),
             ("Provenance", None, None),
             ("Ledger file", ledger.path.name, None),
             ("Ledger SHA-256", ledger.fingerprint, None),
             ("Inventory fingerprint", fingerprint, None),
             ("Tool", f"lca-cfp {__version__}", None),
             ("Command", command, None)]
    headings = ("Balance evidence", "Carbon footprint of the delivery", "Provenance")
    for index, (label, value, unit) in enumerate(rows, start=1):
        if label is not None:
            put(sheet, index, 1, label)
        if value is not None:
            fmt = "yyyy-mm-dd" if isinstance(value, dt.date) else ("#,##0.000" if isinstance(value, float) else None)
            put(sheet, index, 2, value, fmt)
        if unit is not None:
            put(sheet, index, 3, unit)
        if label in headings or index == 1 or (label or "").startswith("Comparison, not part"):
            sheet.cell(row=index, column=1).font = BOLD
        elif label is not None:
            for column in (1, 2, 3):
                sheet.cell(row=index, column=column).alignment = WRAP
            if isinstance(value, str) and len(value) > 70 or len(label) > 58:
                sheet.row_dimensions[index].height = 15 * (1 + max(len(str(value or "")) // 70, len(label) // 58))
    for letter, width in zip("ABC", (58, 70, 34), strict=True):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet, f"{settings.product}: delivery {claim.delivery}")
    _receipts_sheet(book.create_sheet(titles[1]), ledger, cover, claim)
    _trace_sheet(book.create_sheet(titles[2]), balance, delivery, settings)
    return claim


def _table(sheet, header, rows):
    for column, label in enumerate(header, start=1):
        put(sheet, 1, column, label).font = BOLD
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            fmt = "yyyy-mm-dd" if isinstance(value, dt.date) else ("#,##0.000" if isinstance(value, float) else None)
            put(sheet, number, column, value, fmt)
    sheet.freeze_panes = "A2"
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[chr(64 + column)].width = 20
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, sheet.title)


def _receipts_sheet(sheet, ledger, cover, claim):
    settings = ledger.settings
    groups = defaultdict(lambda: [0, 0.0, 0.0])
    sites = set(settings.sites_of(cover.site))
    for receipt in ledger.receipts:
        if receipt.site in sites and period_of(receipt.date, settings.period) == cover.period:
            group = groups[(receipt.site, receipt.category)]
            group[0] += 1
            group[1] += receipt.gross_t
            group[2] += receipt.metal_t
    rows = []
    for (site, category), (lots, gross, metal) in sorted(groups.items()):
        eligible = category in settings.eligible
        factor = ledger.conversion(cover.period, site).factor
        rows.append((site, category, "yes" if eligible else "no", lots, gross, metal,
                     metal * factor if eligible else 0.0))
    _table(sheet, ["site", "category", "eligible", "lots", "scrap (t)", f"{settings.metal} (t)", "credits (t)"], rows)


def _trace_sheet(sheet, balance, delivery, settings):
    rows = [(line.lot, line.receipt_row, line.receipt_date, line.site, line.category, line.tonnes)
            for line in balance.traced(delivery)]
    _table(sheet, ["lot id", "Receipts row", "received", "site", "category", "credit used (t)"], rows)
