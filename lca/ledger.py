"""Read and validate a mass-balance ledger workbook (ISO 22095-2 chain of custody).

Sheets, each a table with its labels in row 1:

* ``Settings``: rows of ``setting | value``: ``site``, ``balancing period`` (month, quarter
  or year), ``method`` (credit or rolling-average), ``ledger start`` and ``ledger end``
  (dates), ``carry over`` (yes/no), ``carry-over periods`` (whole number), ``rolling window
  periods`` (whole number, rolling-average method).
* ``Receipts``: ``date | lot id | supplier | category | gross mass (t) | copper assay (%) |
  assay source``.
* ``Conversion``: ``period | conversion factor | evidence`` and, for the rolling-average
  method, ``cathode output (t)``.
* ``Claims``: ``date | delivery id | customer | cathode (t)``.

The file is only read (python-calamine, which reads a million rows in seconds); every problem
is collected with sheet, row and column and raised together as a :class:`LedgerError`. Every
number is checked to be finite and in range (tonnes at most :data:`MAX_TONNES` per cell, assays
in (0, 100] %, conversion factors in (0, 1], whole numbers of periods, dates inside a ledger of
at most :data:`MAX_YEARS` years).

``read_ledger(path, partial=True)`` (``lca ledger check``) keeps the valid rows and returns the
problems with them, so that the balance of the valid rows and its over-claims are reported in the
same run as the cell problems. A row with a problem is left out of that balance, and a period
without a valid conversion row gets a factor of 0 (and output 0): its receipts earn no credit
until the row is fixed. Only a Settings sheet that cannot be used stops the balance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import CellRef, InventoryError, Problem
from .rules import brief
from .workbook import column_letter

__all__ = ["LedgerError", "Settings", "Receipt", "Conversion", "Claim", "Ledger", "read_ledger", "CATEGORIES",
           "period_of", "periods_between", "MAX_TONNES", "MAX_YEARS"]

CATEGORIES = ("air conditioner", "TV", "refrigerator", "washing machine", "other")
PERIODS = ("month", "quarter", "year")
METHODS = ("credit", "rolling-average")

RECEIPT_COLUMNS = ("date", "lot id", "supplier", "category", "gross mass (t)", "copper assay (%)", "assay source")
CONVERSION_COLUMNS = ("period", "conversion factor", "evidence")
CLAIM_COLUMNS = ("date", "delivery id", "customer", "cathode (t)")

# A lot, a delivery or a period's output above 10 million t (several years of the world's largest
# refinery) is a unit error (kg entered as t), not a quantity.
MAX_TONNES = 1e7
MAX_YEARS = 50  # a longer ledger is a mistyped date (and would need a conversion row per period)
MAX_PERIODS_SETTING = 1000  # carry-over and window periods; more is a typing error
SHOWN_PROBLEMS = 100  # the message lists this many; JSON output lists all


class LedgerError(InventoryError):
    """Problems in a ledger workbook, each with sheet, row and column."""

    def __init__(self, problems, note: str = ""):
        super().__init__(problems)
        count = len(self.problems)
        head = f"{count:,} problem{'s' if count != 1 else ''} in the ledger:"
        lines = [head, *(f"  - {p}" for p in self.problems[:SHOWN_PROBLEMS])]
        if count > SHOWN_PROBLEMS:
            lines.append(f"  ... and {count - SHOWN_PROBLEMS:,} more (`lca ledger check FILE --format json` lists all)")
        self.args = ("\n".join(lines + ([note] if note else [])),)


@dataclass(frozen=True)
class Settings:
    site: str
    period: str
    method: str
    start: dt.date
    end: dt.date
    carry_over: bool
    carry_periods: int
    window: int


class Receipt(NamedTuple):
    """One lot of scrap received (immutable; a tuple because a ledger may hold millions)."""

    row: int
    date: dt.date
    lot: str
    supplier: str
    category: str
    gross_t: float
    assay_pct: float
    assay_source: str

    @property
    def copper_t(self) -> float:
        return self.gross_t * self.assay_pct / 100.0


@dataclass(frozen=True)
class Conversion:
    row: int | None  # None: a placeholder for a period without a valid row (read with partial=True)
    period: str
    factor: float
    evidence: str
    output_t: float | None = None


@dataclass(frozen=True)
class Claim:
    row: int
    date: dt.date
    delivery: str
    customer: str
    tonnes: float


@dataclass(frozen=True)
class Ledger:
    path: Path
    fingerprint: str
    settings: Settings
    receipts: tuple[Receipt, ...]
    conversions: dict  # period label -> Conversion
    claims: tuple[Claim, ...]
    periods: tuple[str, ...]
    problems: tuple[Problem, ...] = ()  # read with partial=True: the problems of the rows left out


def period_of(day: dt.date, period: str) -> str:
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}"


def periods_between(start: dt.date, end: dt.date, period: str) -> tuple[str, ...]:
    labels, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        label = period_of(day, period)
        if label not in labels:
            labels.append(label)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return tuple(labels)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_number(value) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _tonnes(value, *, allow_zero: bool = False) -> float | None:
    """A finite number of tonnes, > 0 (or >= 0) and at most MAX_TONNES, else None."""
    number = _as_number(value)
    if number is None or number > MAX_TONNES or number < 0 or (number == 0 and not allow_zero):
        return None
    return number


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, sheet, row, column, message, hint):
        self.problems.append(Problem(CellRef(self.path.name, sheet, row, column), message, hint))

    def raw(self, book, sheet: str, required: tuple[str, ...]):
        """(label -> index, label -> column letter, data rows) of a sheet, or None if unusable."""
        if sheet not in book.sheet_names:
            self.add(sheet, None, None, f"the ledger has no sheet '{sheet}'",
                     f"add a sheet '{sheet}' (start from `lca ledger init`)")
            return None
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if not rows:
            self.add(sheet, 1, "A", "the sheet is empty", f"row 1 must hold the labels {', '.join(required)}")
            return None
        labels = [_text(v).lower() for v in rows[0]]
        missing = [c for c in required if c not in labels]
        if missing:
            self.add(sheet, 1, None, f"missing column(s) {', '.join(missing)}",
                     f"row 1 must hold the labels {', '.join(required)}")
            return None
        index = {label: i for i, label in enumerate(labels) if label}
        return index, {label: column_letter(i) for label, i in index.items()}, rows

    @staticmethod
    def records(index, rows, start: int = 2):
        """Yield (row number, {label: value}) for each non-blank row of ``rows``."""
        for number, cells in enumerate(rows, start=start):
            if all(v in (None, "") for v in cells):
                continue
            yield number, {label: (cells[i] if i < len(cells) else None) for label, i in index.items()}

    def table(self, book, sheet: str, required: tuple[str, ...]):
        """Yield (row number, {label: value}, {label: column letter}) for each non-blank row."""
        found = self.raw(book, sheet, required)
        if found is None:
            return
        index, letters, rows = found
        for number, values in self.records(index, rows[1:]):
            yield number, values, letters


def _settings(reader: _Reader, book) -> Settings | None:
    values, places = {}, {}
    for number, row, letters in reader.table(book, "Settings", ("setting", "value")):
        key = _text(row["setting"]).lower()
        values[key] = row["value"]
        places[key] = (number, letters["value"])

    def need(key, parse, hint):
        if key not in values:
            reader.add("Settings", None, "A", f"setting '{key}' is missing", hint)
            return None
        result = parse(values[key])
        if result is None:
            reader.add("Settings", places[key][0], places[key][1],
                       f"setting '{key}' = {brief(values[key])} is not valid", hint)
        return result

    def choice(options):
        return lambda v: _text(v).lower() if _text(v).lower() in options else None

    def whole(v):
        number = _as_number(v)
        return int(number) if number is not None and 0 <= number <= MAX_PERIODS_SETTING and number == int(number) \
            else None

    def yes_no(v):
        text = _text(v).lower()
        return {"yes": True, "true": True, "no": False, "false": False}.get(text)

    period = need("balancing period", choice(PERIODS), "write month, quarter or year")
    method = need("method", choice(METHODS), "write credit or rolling-average")
    start = need("ledger start", _as_date, "a date such as 2025-09-01")
    end = need("ledger end", _as_date, "a date such as 2026-08-31")
    carry = values.get("carry over", "no")
    carry_over = yes_no(carry)
    if carry_over is None:
        reader.add("Settings", places.get("carry over", (None,))[0], "B",
                   f"setting 'carry over' = {brief(carry)} is not yes or no", "write yes or no")
    carry_periods = whole(values.get("carry-over periods", 0))
    if carry_periods is None:
        reader.add("Settings", places.get("carry-over periods", (None,))[0], "B",
                   f"setting 'carry-over periods' = {brief(values.get('carry-over periods'))} is not a whole number "
                   f"from 0 to {MAX_PERIODS_SETTING}", "write 0, 1, 2...")
    window = whole(values.get("rolling window periods", 1))
    if window is None or window == 0:
        reader.add("Settings", places.get("rolling window periods", (None,))[0], "B",
                   f"setting 'rolling window periods' = {brief(values.get('rolling window periods'))} is not a "
                   f"whole number from 1 to {MAX_PERIODS_SETTING}", "write 1, 3, 12...")
    if start and end and end < start:
        reader.add("Settings", places["ledger end"][0], "B", f"ledger end {end} is before ledger start {start}",
                   "swap the dates")
        end = None
    elif start and end and (end.year - start.year) > MAX_YEARS:
        reader.add("Settings", places["ledger end"][0], "B", f"ledger end {end} is more than {MAX_YEARS} years after "
                   f"ledger start {start}", "check the years of 'ledger start' and 'ledger end'")
        end = None
    if None in (period, method, start, end, carry_over, carry_periods, window):
        return None
    return Settings(site=_text(values.get("site")), period=period, method=method, start=start, end=end,
                    carry_over=carry_over, carry_periods=carry_periods if carry_over else 0, window=window)


def read_ledger(path: str | Path, *, partial: bool = False) -> Ledger:
    """Read and validate a ledger; raise LedgerError listing every problem.

    With ``partial``, return the valid rows with the problems in ``Ledger.problems`` instead (see
    the module docstring); raise only when the Settings sheet cannot be used."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    reader = _Reader(path)
    try:
        data = path.read_bytes()
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise LedgerError([Problem(CellRef(path.name), f"cannot be read as a workbook ({brief(str(exc), 200)})",
                                   "give the path of an .xlsx ledger (start from `lca ledger init`)")]) from exc
    settings = _settings(reader, book)
    periods = periods_between(settings.start, settings.end, settings.period) if settings else ()
    conversions = _conversions(reader, book, settings, periods)
    receipts, _ = _receipts(reader, book, settings)
    claims = _claims(reader, book, settings)

    if reader.problems and (not partial or settings is None):
        raise LedgerError(reader.problems, "" if settings else
                          "The balance cannot be computed until the Settings sheet is fixed.")
    rolling = settings.method == "rolling-average"
    for label in periods:  # partial: no credit (and no output) until the period's row is fixed
        conversions.setdefault(label, Conversion(None, label, 0.0, "", 0.0 if rolling else None))
    return Ledger(path=path, fingerprint=hashlib.sha256(data).hexdigest(), settings=settings,
                  receipts=tuple(receipts), conversions=conversions, claims=tuple(claims), periods=periods,
                  problems=tuple(reader.problems))


def _conversions(reader: _Reader, book, settings: Settings | None, periods) -> dict:
    conversions = {}
    rolling = settings is not None and settings.method == "rolling-average"
    required = CONVERSION_COLUMNS + (("cathode output (t)",) if rolling else ())
    for number, row, letters in reader.table(book, "Conversion", required):
        label = _text(row["period"])
        factor = _as_number(row["conversion factor"])
        if periods and label not in periods:
            reader.add("Conversion", number, letters["period"], f"period {brief(label)} is not a period of the ledger",
                       f"use labels like {periods[0]!r}")
            continue
        if factor is None or not 0 < factor <= 1:
            reader.add("Conversion", number, letters["conversion factor"],
                       f"conversion factor {brief(row['conversion factor'])} is not a number in (0, 1]",
                       "the cathode yield per t of copper in scrap, e.g. 0.95")
            continue
        if label in conversions:
            reader.add("Conversion", number, letters["period"], f"period {brief(label)} has a second conversion "
                       f"factor (first at row {conversions[label].row})", "keep one row per period")
            continue
        output = _tonnes(row.get("cathode output (t)"))
        if rolling and output is None:
            reader.add("Conversion", number, letters["cathode output (t)"],
                       f"cathode output {brief(row.get('cathode output (t)'))} is not a positive number of tonnes "
                       f"(at most {MAX_TONNES:,.0f})", "the rolling-average method needs the period's cathode output")
            continue
        if not _text(row["evidence"]):
            reader.add("Conversion", number, letters["evidence"], "conversion factor without evidence",
                       "name the yield measurement or audit report the factor comes from")
        conversions[label] = Conversion(number, label, factor, _text(row["evidence"]), output if rolling else None)
    for label in periods:
        if label not in conversions:
            reader.add("Conversion", None, "A", f"period {label} has no conversion factor",
                       f"add a row for {label} with its conversion factor and evidence")
    return conversions


def _claims(reader: _Reader, book, settings: Settings | None) -> list:
    claims, deliveries = [], {}
    for number, row, letters in reader.table(book, "Claims", CLAIM_COLUMNS):
        day = _checked_date(reader, "Claims", number, letters["date"], row["date"], settings)
        delivery = _checked_id(reader, "Claims", number, letters["delivery id"], row["delivery id"], deliveries,
                               "delivery", "each delivery is claimed once")
        tonnes = _tonnes(row["cathode (t)"])
        if tonnes is None:
            reader.add("Claims", number, letters["cathode (t)"], f"cathode {brief(row['cathode (t)'])} is not a "
                       f"positive number of tonnes (at most {MAX_TONNES:,.0f})",
                       "enter the tonnes of cathode delivered as scrap-derived, > 0")
        elif day is not None and delivery:
            claims.append(Claim(number, day, delivery, _text(row["customer"]), tonnes))
    return claims


def _receipts(reader: _Reader, book, settings: Settings | None):
    """Receipts, with a fast path for well-formed rows (a ledger may hold a million of them)."""
    receipts: list[Receipt] = []
    lots: dict[str, int] = {}
    found = reader.raw(book, "Receipts", RECEIPT_COLUMNS)
    if found is None:
        return receipts, lots
    index, letters, rows = found
    i_date, i_lot, i_supplier, i_category, i_gross, i_assay, i_source = (index[c] for c in RECEIPT_COLUMNS)
    width = max(i_date, i_lot, i_supplier, i_category, i_gross, i_assay, i_source) + 1
    first, last = (settings.start, settings.end) if settings else (dt.date.min, dt.date.max)
    categories, numbers, date, datetime = set(CATEGORIES), (float, int), dt.date, dt.datetime
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) >= width:
            day, lot, gross, assay, category = (cells[i_date], cells[i_lot], cells[i_gross], cells[i_assay],
                                                cells[i_category])
            if type(day) is datetime:
                day = day.date()
            if (type(day) is date and first <= day <= last and type(lot) is str and type(gross) in numbers
                    and type(assay) in numbers and category in categories and 0 < gross <= MAX_TONNES
                    and 0 < assay <= 100):
                lot = lot.strip()
                if lot and lot not in lots:
                    lots[lot] = number
                    supplier, source = cells[i_supplier], cells[i_source]
                    receipts.append(Receipt(number, day, lot, supplier if type(supplier) is str else _text(supplier),
                                            category, float(gross), float(assay),
                                            source if type(source) is str else _text(source)))
                    continue
        if all(v in (None, "") for v in cells):
            continue
        row = {label: (cells[i] if i < len(cells) else None) for label, i in index.items()}
        receipt = _checked_receipt(reader, number, row, letters, lots, settings)
        if receipt is not None:
            receipts.append(receipt)
    return receipts, lots


def _checked_date(reader: _Reader, sheet: str, number: int, letter: str, value, settings) -> dt.date | None:
    """A date inside the ledger's periods, or None after reporting why not (the caller still checks
    the rest of the row)."""
    day = _as_date(value)
    if day is None:
        reader.add(sheet, number, letter, f"date {brief(value)} is not a date", "enter a date")
    elif settings and not settings.start <= day <= settings.end:
        reader.add(sheet, number, letter, f"date {day} is outside the ledger's periods "
                   f"({settings.start} to {settings.end})", "correct the date, or widen 'ledger start'/'ledger end'")
        return None
    return day


def _checked_id(reader: _Reader, sheet: str, number: int, letter: str, value, seen: dict, what: str,
                hint: str) -> str:
    """A new, non-empty id (registered in ``seen``), or '' after reporting why not."""
    text = _text(value)
    if not text:
        reader.add(sheet, number, letter, f"row without a {what} id", f"give every {what} an id")
        return ""
    if text in seen:
        reader.add(sheet, number, letter, f"duplicate {what} id {brief(text)} (also at row {seen[text]})", hint)
        return ""
    seen[text] = number
    return text


def _checked_receipt(reader: _Reader, number: int, row: dict, letters: dict, lots: dict, settings):
    """The slow path: every check, with a located message for each failure."""
    day = _checked_date(reader, "Receipts", number, letters["date"], row["date"], settings)
    lot = _checked_id(reader, "Receipts", number, letters["lot id"], row["lot id"], lots, "lot",
                      "each lot is received once; correct the id or delete the duplicate row")
    gross = _tonnes(row["gross mass (t)"])
    assay = _as_number(row["copper assay (%)"])
    category = _text(row["category"])
    ok = day is not None and bool(lot)
    if gross is None:
        reader.add("Receipts", number, letters["gross mass (t)"], f"gross mass {brief(row['gross mass (t)'])} is not "
                   f"a positive number of tonnes (at most {MAX_TONNES:,.0f})",
                   "enter the scrap mass in metric tonnes, > 0")
        ok = False
    if assay is None or not 0 < assay <= 100:
        reader.add("Receipts", number, letters["copper assay (%)"], f"copper assay {brief(row['copper assay (%)'])} "
                   "is not a percentage in (0, 100]", "enter the copper content in mass %, e.g. 35.5")
        ok = False
    if category not in CATEGORIES:
        reader.add("Receipts", number, letters["category"], f"unknown category {brief(category)}",
                   f"use one of: {', '.join(CATEGORIES)}")
        ok = False
    if not ok:
        return None
    return Receipt(number, day, lot, _text(row["supplier"]), category, gross, assay, _text(row["assay source"]))
