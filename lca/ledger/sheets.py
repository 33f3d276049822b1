"""The rows of a ledger's Receipts, Conversion and Claims sheets, checked cell by cell (the layout is
in :mod:`lca.ledger.read`): every problem is added to the reader with its sheet, row and column,
and only the valid rows come back."""

from __future__ import annotations

import datetime as dt

from lca.inventory.workbook import column_letter
from lca.ledger.cells import MAX_TONNES, Reader, as_date, as_number, text, tonnes
from lca.ledger.records import Claim, Conversion, Receipt
from lca.ledger.settings import Settings
from lca.rules import brief

__all__ = ["read_conversions", "read_claims", "read_receipts"]

_EPS = 1e-9


def _site(reader, sheet, number, letters, row, settings) -> str | None:
    """The row's site: the one named (one of the settings' sites), or the only site. Without
    sites (unusable settings) any text is taken."""
    if not settings.sites:
        return text(row.get("site")) or "-"
    if "site" not in row or text(row["site"]) == "":
        if len(settings.sites) == 1:
            return settings.sites[0]
        reader.add(sheet, number, letters.get("site"), "row without a site",
                   f"write one of the ledger's sites: {', '.join(settings.sites)}")
        return None
    named = {s.lower(): s for s in settings.sites}.get(text(row["site"]).lower())
    if named is None:
        reader.add(sheet, number, letters["site"], f"site {brief(row['site'])} is not a site of the ledger",
                   f"write one of: {', '.join(settings.sites)} (or add the site to the setting 'site')")
    return named


def _site_columns(settings: Settings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (("site",), ()) if len(settings.sites) > 1 else ((), ("site",))


def _category(settings: Settings, categories: dict, written) -> str | None:
    """The category as the settings spell it (any text without settings), or None."""
    if not settings.categories:
        return text(written) or None
    return categories.get(text(written).lower())


def read_conversions(reader: Reader, book, settings: Settings, periods, letters_out) -> dict:
    conversions = {}
    site_required, site_optional = _site_columns(settings)
    required = ("period", "conversion factor", "output (t)", "evidence") + site_required
    for number, row, letters in reader.table(book, "Conversion", required, site_optional):
        letters_out["Conversion"] = letters
        label = text(row["period"])
        if periods and label not in periods:
            reader.add("Conversion", number, letters["period"], f"period {brief(label)} is not a period of the ledger",
                       f"use labels like {periods[0]!r}")
            continue
        site = _site(reader, "Conversion", number, letters, row, settings)
        factor = as_number(row["conversion factor"])
        output = tonnes(row["output (t)"], allow_zero=True)
        ok = site is not None
        if factor is None or not 0 < factor <= 1:
            reader.add("Conversion", number, letters["conversion factor"],
                       f"conversion factor {brief(row['conversion factor'])} is not a number in (0, 1]",
                       f"the yield per t of {settings.metal} in scrap, e.g. 0.95")
            ok = False
        if output is None:
            reader.add("Conversion", number, letters["output (t)"],
                       "output (t) is empty" if text(row["output (t)"]) == "" else
                       f"output {brief(row['output (t)'])} is not a number of tonnes from 0 to {MAX_TONNES:,.0f}",
                       f"the t of {settings.metal} in all the {settings.product} made in the period, recycled or not "
                       "(every claim is reconciled with it)")
            ok = False
        if ok and (label, site) in conversions:
            reader.add("Conversion", number, letters["period"], f"period {brief(label)}"
                       + (f" at site {site}" if len(settings.sites) > 1 else "")
                       + f" has a second row (first at row {conversions[(label, site)].row})",
                       "keep one row per period" + (" and site" if len(settings.sites) > 1 else ""))
            continue
        if not text(row["evidence"]):
            reader.add("Conversion", number, letters["evidence"], "conversion factor without evidence",
                       "name the yield measurement or audit report the factor and the output come from")
        if ok:
            conversions[(label, site)] = Conversion(number, label, site, factor, output, text(row["evidence"]))
    for label in periods:
        for site in settings.sites:
            if (label, site) not in conversions:
                where = f" at site {site}" if len(settings.sites) > 1 else ""
                reader.add("Conversion", None, "A", f"period {label}{where} has no conversion row",
                           f"add a row for {label}{where} with its conversion factor, output and evidence")
    return conversions


def read_claims(reader: Reader, book, settings: Settings, letters_out) -> list:
    claims, deliveries = [], {}
    site_required, site_optional = _site_columns(settings)
    required = ("date", "delivery id", "customer", "delivered (t)", "claimed (t)") + site_required
    for number, row, letters in reader.table(book, "Claims", required, site_optional):
        letters_out["Claims"] = letters
        day = _checked_date(reader, "Claims", number, letters["date"], row["date"], settings)
        delivery = _checked_id(reader, "Claims", number, letters["delivery id"], row["delivery id"], deliveries,
                               "delivery", "each delivery is claimed once")
        site = _site(reader, "Claims", number, letters, row, settings)
        delivered = tonnes(row["delivered (t)"])
        claimed = tonnes(row["claimed (t)"])
        if delivered is None:
            reader.add("Claims", number, letters["delivered (t)"], f"delivered {brief(row['delivered (t)'])} is not a "
                       f"positive number of tonnes (at most {MAX_TONNES:,.0f})",
                       f"enter the t of {settings.metal} in the delivery of {settings.product}, > 0")
        if claimed is None:
            reader.add("Claims", number, letters["claimed (t)"], f"claimed {brief(row['claimed (t)'])} is not a "
                       f"positive number of tonnes (at most {MAX_TONNES:,.0f})",
                       f"enter the t of {settings.metal} claimed as recycled, > 0")
        elif delivered is not None and claimed > delivered + _EPS:
            reader.add("Claims", number, letters["claimed (t)"], f"claimed {claimed:,.3f} t is more than the "
                       f"{delivered:,.3f} t delivered", "a delivery can be claimed as at most 100 % recycled")
            claimed = None
        if None not in (day, site, delivered, claimed) and delivery:
            claims.append(Claim(number, day, delivery, text(row["customer"]), site, delivered, claimed))
    return claims


def _checked_date(reader: Reader, sheet: str, number: int, letter: str, value, settings) -> dt.date | None:
    """A date inside the ledger's periods, or None after reporting why not."""
    day = as_date(value)
    if day is None:
        reader.add(sheet, number, letter, f"date {brief(value)} is not a date", "enter a date")
    elif not settings.start <= day <= settings.end:
        reader.add(sheet, number, letter, f"date {day} is outside the ledger's periods "
                   f"({settings.start} to {settings.end})", "correct the date, or widen 'ledger start'/'ledger end'")
        return None
    return day


def _checked_id(reader: Reader, sheet: str, number: int, letter: str, value, seen: dict, what: str,
                hint: str) -> str:
    """A new, non-empty id (registered in ``seen``), or '' after reporting why not."""
    name = text(value)
    if not name:
        reader.add(sheet, number, letter, f"row without a {what} id", f"give every {what} an id")
        return ""
    if name in seen:
        reader.add(sheet, number, letter, f"duplicate {what} id {brief(name)} (also at row {seen[name]})", hint)
        return ""
    seen[name] = number
    return name


def _rows(sheet):
    """The sheet's rows from row 1 (iter_rows streams them; a sheet whose data do not start at A1
    is read whole so that row numbers stay exact)."""
    if sheet.start in (None, (0, 0)):
        return sheet.iter_rows()
    return iter(sheet.to_python(skip_empty_area=False))


def read_receipts(reader: Reader, book, settings: Settings, letters_out) -> list:
    """Receipts: a fast path for well-formed rows (a ledger may hold a million of them), every
    other row cell by cell with a located message."""
    if "Receipts" not in book.sheet_names:
        reader.add("Receipts", None, None, "the ledger has no sheet 'Receipts'",
                   "add a sheet 'Receipts' (start from `lca ledger init`)")
        return []
    rows = _rows(book.get_sheet_by_name("Receipts"))
    header = next(rows, None)
    site_required, site_optional = _site_columns(settings)
    assay_label = settings.assay_column
    required = ("date", "lot id", "supplier", "category", "gross mass (t)", assay_label, "assay source") \
        + site_required
    index = reader.labels("Receipts", list(header), required, site_optional) if header else None
    if index is None:
        if not header:
            reader.add("Receipts", 1, "A", "the sheet is empty", f"row 1 must hold the labels {', '.join(required)}")
        elif any(text(v).lower().endswith(" assay (%)") for v in header) and assay_label not in \
                [text(v).lower() for v in header]:
            reader.add("Receipts", 1, None, f"the assay column does not name the ledger's metal ({settings.metal})",
                       f"label it '{assay_label}', or correct the setting 'metal'")
        return []
    letters = {label: column_letter(i) for label, i in index.items()}
    letters_out["Receipts"] = letters
    i_date, i_lot, i_supplier, i_category, i_gross, i_assay, i_source = (
        index[c] for c in ("date", "lot id", "supplier", "category", "gross mass (t)", assay_label, "assay source"))
    i_site = index.get("site")
    width = max(index.values()) + 1
    first, last = settings.start, settings.end
    categories = {c.lower(): c for c in settings.categories}
    canonical = {c: c for c in settings.categories} if settings.categories else None
    only_site = settings.sites[0] if len(settings.sites) == 1 else None
    eligible = set(settings.eligible)
    numbers, date, datetime = (float, int), dt.date, dt.datetime
    new = tuple.__new__  # Receipt(...) without its Python-level __new__ (a million calls)
    receipts: list[Receipt] = []
    lots: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if len(cells) >= width:
            day, lot, gross, assay = cells[i_date], cells[i_lot], cells[i_gross], cells[i_assay]
            category = canonical.get(cells[i_category]) if canonical is not None else None
            place = only_site if i_site is None or cells[i_site] in ("", None) else \
                (cells[i_site] if cells[i_site] in settings.sites else None)
            if type(day) is datetime:
                day = day.date()
            if (type(day) is date and first <= day <= last and type(lot) is str and type(gross) in numbers
                    and type(assay) in numbers and category is not None and place is not None
                    and 0 < gross <= MAX_TONNES and 0 < assay <= 100):
                lot = lot.strip()
                if lot and lot not in lots:
                    lots[lot] = number
                    supplier, source = cells[i_supplier], cells[i_source]
                    receipts.append(new(Receipt, (number, day, lot, supplier if type(supplier) is str else
                                                  text(supplier), place, category, float(gross), float(assay),
                                                  source if type(source) is str else text(source),
                                                  category in eligible)))
                    continue
        if all(v in (None, "") for v in cells):
            continue
        row = {label: (cells[i] if i < len(cells) else None) for label, i in index.items()}
        receipt = _checked_receipt(reader, number, row, letters, lots, settings, categories)
        if receipt is not None:
            receipts.append(receipt)
    return receipts


def _checked_receipt(reader: Reader, number: int, row: dict, letters: dict, lots: dict, settings, categories):
    """The slow path: every check, with a located message for each failure."""
    day = _checked_date(reader, "Receipts", number, letters["date"], row["date"], settings)
    lot = _checked_id(reader, "Receipts", number, letters["lot id"], row["lot id"], lots, "lot",
                      "each lot is received once; correct the id or delete the duplicate row")
    site = _site(reader, "Receipts", number, letters, row, settings)
    gross = tonnes(row["gross mass (t)"])
    assay_label = settings.assay_column
    assay = as_number(row[assay_label])
    category = _category(settings, categories, row["category"])
    ok = day is not None and bool(lot) and site is not None
    if gross is None:
        reader.add("Receipts", number, letters["gross mass (t)"], f"gross mass {brief(row['gross mass (t)'])} is not "
                   f"a positive number of tonnes (at most {MAX_TONNES:,.0f})",
                   "enter the scrap mass in metric tonnes, > 0")
        ok = False
    if assay is None or not 0 < assay <= 100:
        reader.add("Receipts", number, letters[assay_label], f"{assay_label[:-4]} {brief(row[assay_label])} "
                   "is not a percentage in (0, 100]", f"enter the {settings.metal} content in mass %, e.g. 35.5")
        ok = False
    if category is None:
        reader.add("Receipts", number, letters["category"], f"unknown category {brief(text(row['category']))}",
                   f"use one of the ledger's categories: {', '.join(settings.categories)} (settings 'eligible "
                   "categories' and 'other categories')")
        ok = False
    if not ok:
        return None
    return Receipt(number, day, lot, text(row["supplier"]), site, category, gross, assay, text(row["assay source"]),
                   category in settings.eligible)
