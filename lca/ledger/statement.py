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
from lca.ledger.wording import wording
from lca.rules import brief
from lca.xlsx import PER_TONNE_FORMAT, TONNES_FORMAT, display_unit, put

__all__ = ["build_statement", "add_statement_sheets", "check_covered", "statement_title", "Footprint"]

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
UNIT = Alignment(wrap_text=True, vertical="top", indent=1)  # "100.000  t", not "100.000t"


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


def statement_title(ledger, delivery: str) -> str:
    """The statement's page header: the product and the delivery."""
    return f"{ledger.settings.product}: delivery {delivery}"


def _footprint_rows(ledger, claim, footprint: Footprint, w: dict, names: dict) -> list:
    comparison = footprint.comparison
    reference, recycled = comparison.routes[0], comparison.routes[1]
    unit = display_unit(comparison.unit)
    metal = ledger.settings.metal
    rows = [
        (w["footprint"], None, None),
        (w["comparison"], comparison.comparison, None),
        (w["method"], " | ".join(comparison.method.name), None),
        (w["functional_unit"], names.get(comparison.functional_unit, comparison.functional_unit), None),
    ]
    for value in footprint.values:
        label = w[f"value_{value.what}"].format(metal=metal)
        if value.parameter:
            rows.append((label, value.value, w["value_used"].format(parameter=value.parameter)))
        else:
            rows.append((label, value.value, w["value_unused"]))
    for parameter, default in footprint.defaults.items():
        rows.append((w["default"].format(parameter=parameter), default, w["default_note"]))
    if ledger.settings.parameter_note:
        rows.append((w["parameter_note"], ledger.settings.parameter_note, None))
    recycled_t, other_t = claim.claimed_t, claim.delivered_t - claim.claimed_t
    cfp = (recycled_t * recycled.total + other_t * reference.total) / 1000.0
    per_t = w["per_t"].format(unit=unit)
    rows += [
        (w["cfp_route"].format(route=names.get(recycled.label, recycled.label)), recycled.total, per_t),
        (w["cfp_route"].format(route=names.get(reference.label, reference.label)), reference.total, per_t),
        (w["cfp_delivery"], cfp, "t CO2-eq"),
        (w["cfp_per_t"], cfp * 1000.0 / claim.delivered_t, per_t),
        (None, None, None),
        (w["comparison_heading"], None, None),
        (w["reference_metal"], claim.delivered_t * reference.total / 1000.0, "t CO2-eq"),
        (w["difference"], claim.delivered_t * reference.total / 1000.0 - cfp, "t CO2-eq"),
    ]
    return rows


def add_statement_sheets(book, ledger, balance, delivery: str, footprint: Footprint, *, fingerprint: str,
                         command: str, titles: tuple[str, str, str] = ("Statement", "Period receipts", "Trace"),
                         texts: dict | None = None, names: dict | None = None):
    """Add the statement, its period receipts and its trace to ``book``; return the delivery's claim.
    ``texts`` replace the English words (lca.ledger.wording), ``names`` the comparison's English route
    labels and functional unit (a report in another language)."""
    w, names = wording(texts), names or {}
    cover = check_covered(ledger, balance, delivery)
    settings = ledger.settings
    claim = next(c for c in ledger.claims if c.delivery == delivery)
    period = balance.period(cover.period, cover.site)
    conversion = ledger.conversion(cover.period, claim.site)
    share = claim.claimed_t / claim.delivered_t
    method = w[f"method_{settings.method}"]
    metal, product = settings.metal, settings.product
    sheet = book.create_sheet(titles[0])
    rows = [
        (w["title"].format(metal=metal, product=product), None, None),
        (None, None, None),
        (w["site"], claim.site, None),
        (w["balance"], cover.site + (w["multi_site"] if settings.multi_site else ""), None),
        (w["customer"], claim.customer, None),
        (w["delivery"], claim.delivery, None),
        (w["delivery_date"], claim.date, None),
        (w["product"], product, None),
        (w["delivered"].format(Metal=metal.capitalize(), metal=metal), claim.delivered_t, "t"),
        (w["claimed"], claim.claimed_t, "t"),
        (w["share"], share, w["fraction"]),
        (w["claim"], w["claim_text"].format(claimed=f"{claim.claimed_t:,.3f}", delivered=f"{claim.delivered_t:,.3f}",
                                           metal=metal, product=product, share=f"{share:.1%}",
                                           wording=w["claim_wording"].format(
                                               metal=metal, input=settings.input_description,
                                               kind=settings.input_kind, eligible=", ".join(settings.eligible)),
                                           method=method), None),
        (None, None, None),
        (w["evidence"], None, None),
        (w["period"], cover.period, None),
        (w["conversion"].format(metal=metal), conversion.factor, "t/t"),
        (w["conversion_evidence"], conversion.evidence, None),
        (w["output"].format(metal=metal, product=product), period.output_t, "t"),
        (w["delivered_before"], period.output_t - cover.output_left_t, "t"),
        (w["eligible"].format(metal=metal), period.scrap_metal_t, "t"),
        (w["other"].format(metal=metal, other=", ".join(settings.other) or w["none"]), period.ineligible_metal_t, "t"),
        (w["opening"], period.opening_t, "t"),
        (w["credits_in"], period.credits_in_t, "t"),
        (w["used"], period.used_t, "t"),
        (w["claims_out"], period.claims_out_t, "t"),
        (w["expired"], period.expired_t, "t"),
        (w["closing"], period.closing_t, "t"),
    ]
    if period.recycled_share is None:
        rows += [(w["available_before"], cover.available_before_t, "t"),
                 (w["available_after"], cover.available_after_t, "t")]
    else:
        rows += [(w["window_share"], period.window_share, w["fraction"]),
                 (w["recycled_share"], period.recycled_share, w["fraction"]),
                 (w["most"], cover.available_before_t, "t")]
    rows += [(None, None, None), *_footprint_rows(ledger, claim, footprint, w, names), (None, None, None),
             (w["provenance"], None, None),
             (w["ledger_file"], ledger.path.name, None),
             (w["ledger_sha256"], ledger.fingerprint, None),
             (w["fingerprint"], fingerprint, None),
             (w["tool"], f"lca-cfp {__version__}", None),
             (w["command"], command, None)]
    headings = (w["evidence"], w["footprint"], w["provenance"])
    for index, (label, value, unit) in enumerate(rows, start=1):
        if label is not None:
            put(sheet, index, 1, label)
        if value is not None:
            put(sheet, index, 2, value, _number_format(value, unit))
        if unit is not None:
            put(sheet, index, 3, unit)
        if label in headings or index == 1 or label == w["comparison_heading"]:
            sheet.cell(row=index, column=1).font = BOLD
        elif label is not None:
            for column in (1, 2, 3):
                sheet.cell(row=index, column=column).alignment = UNIT if column == 3 else WRAP
            if isinstance(value, str) and len(value) > 70 or len(label) > 58:
                sheet.row_dimensions[index].height = 15 * (1 + max(len(str(value or "")) // 70, len(label) // 58))
    for letter, width in zip("ABC", (58, 70, 34), strict=True):
        sheet.column_dimensions[letter].width = width
    _receipts_sheet(book.create_sheet(titles[1]), ledger, cover, claim, w)
    _trace_sheet(book.create_sheet(titles[2]), balance, delivery, settings, w)
    return claim


def _number_format(value, unit: str | None) -> str | None:
    """A date as a date; a score per t as the report shows it (lca.xlsx.PER_TONNE_FORMAT), other numbers
    to three decimals."""
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if not isinstance(value, float):
        return None
    return PER_TONNE_FORMAT if (unit or "").endswith(" per t") else TONNES_FORMAT


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


def _receipts_sheet(sheet, ledger, cover, claim, w):
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
        rows.append((site, category, w["yes"] if eligible else w["no"], lots, gross, metal,
                     metal * factor if eligible else 0.0))
    _table(sheet, w["receipts_header"].format(metal=settings.metal).split("; "), rows)


def _trace_sheet(sheet, balance, delivery, settings, w):
    rows = [(line.lot, line.receipt_row, line.receipt_date, line.site, line.category, line.tonnes)
            for line in balance.traced(delivery)]
    _table(sheet, w["trace_header"].split("; "), rows)
