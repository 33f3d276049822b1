"""The Settings sheet of a ledger: what is balanced, where, how, and what earns credit.

Rows of ``setting | value`` (labels in row 1). Required: ``site`` (one site id, or several
separated by commas), ``metal``, ``product``, ``comparison``, ``eligible categories``,
``input`` (post-consumer or pre-consumer), ``input description``, ``balancing period``,
``method``, ``ledger start``, ``ledger end``. Optional: ``multi-site boundary`` (yes/no,
default no), ``other categories``, ``carry over`` (default no), ``carry-over periods``
(default 0), ``rolling window periods`` (default 1), ``yield parameter``, ``assay parameter``
and ``parameter note`` (see :mod:`lca.ledger.links`).

Nothing about a metal is in the code: the metal names the Receipts assay column
(``<metal> assay (%)``), the comparison names the routes of the statement's footprint, and the
categories and the input kind give the claim's wording.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lca.ledger.cells import as_date, as_number, text
from lca.rules import brief

__all__ = ["Settings", "read_settings", "PERIODS", "METHODS", "INPUTS", "MAX_YEARS", "MAX_PERIODS_SETTING"]

PERIODS = ("month", "quarter", "year")
METHODS = ("credit", "rolling-average")
INPUTS = ("post-consumer", "pre-consumer")
MAX_YEARS = 50  # a longer ledger is a mistyped date (and would need a conversion row per period)
MAX_PERIODS_SETTING = 1000  # carry-over and window periods; more is a typing error
MAX_LIST = 100  # sites or categories; more is a pasted column, not a setting

_REQUIRED_HINTS = {
    "site": "the site id, or several separated by commas (e.g. 'Saganoseki' or 'Saganoseki, Hibi')",
    "metal": "the metal balanced, e.g. copper or nickel; the Receipts sheet then has a '<metal> assay (%)' column",
    "product": "what the claims are made on, e.g. 'copper cathode' or 'nickel in NMC811 cathode active material'",
    "comparison": "the comparison id whose routes give the statement's footprint (as in `lca compare`), e.g. copper",
    "eligible categories": "the scrap categories that earn credit, separated by commas (e.g. 'air conditioner, "
                           "TV, refrigerator, washing machine')",
    "input": "post-consumer (end-of-life products) or pre-consumer (production scrap)",
    "input description": "where the scrap comes from, as the claim should say it, e.g. 'end-of-life home appliances'",
    "balancing period": "month, quarter or year",
    "method": "credit or rolling-average",
    "ledger start": "a date such as 2025-09-01",
    "ledger end": "a date such as 2026-08-31",
}


@dataclass(frozen=True)
class Settings:
    sites: tuple[str, ...]
    multi_site: bool  # True: the sites form one boundary and share their credits
    metal: str
    product: str
    comparison: str
    eligible: tuple[str, ...]  # categories that earn credit
    other: tuple[str, ...]  # categories recorded without credit
    input_kind: str  # post-consumer | pre-consumer
    input_description: str
    period: str
    method: str
    start: dt.date
    end: dt.date
    carry_over: bool
    carry_periods: int
    window: int
    yield_parameter: str = ""
    assay_parameter: str = ""
    parameter_note: str = ""

    @property
    def site(self) -> str:
        return ", ".join(self.sites)

    @property
    def assay_column(self) -> str:
        return f"{self.metal} assay (%)"

    @property
    def categories(self) -> tuple[str, ...]:
        return self.eligible + self.other

    def pool_of(self, site: str) -> str:
        """The balance a site's rows belong to: its own, or the multi-site boundary's."""
        return " + ".join(self.sites) if self.multi_site else site

    @property
    def pools(self) -> tuple[str, ...]:
        return (" + ".join(self.sites),) if self.multi_site else self.sites

    def sites_of(self, pool: str) -> tuple[str, ...]:
        return self.sites if self.multi_site else (pool,)

    @property
    def claim_wording(self) -> str:
        """What a claimed tonne is, from the settings (eligible categories and input)."""
        return (f"{self.metal} recovered from {self.input_description} ({self.input_kind} scrap: "
                f"{', '.join(self.eligible)})")


def _names(value) -> tuple[str, ...] | None:
    """'a, b, c' -> ('a', 'b', 'c'); None when a name repeats or the list is too long."""
    names = tuple(n.strip() for n in text(value).split(",") if n.strip())
    if len(names) > MAX_LIST or len({n.lower() for n in names}) != len(names):
        return None
    return names


def read_settings(reader, book) -> Settings | None:
    """The settings, or None after reporting every problem (the balance then cannot be computed)."""
    values, places = {}, {}
    for number, row, letters in reader.table(book, "Settings", ("setting", "value")):
        key = text(row["setting"]).lower()
        if key in values:
            reader.add("Settings", number, letters["setting"], f"setting '{brief(key)}' is given twice (first at "
                       f"row {places[key][0]})", "keep one row per setting")
            continue
        values[key] = row["value"]
        places[key] = (number, letters["value"])

    def need(key, parse, hint=None, *, default=None, required=True):
        hint = hint or _REQUIRED_HINTS.get(key, "")
        if key not in values or text(values[key]) == "":
            if required:
                reader.add("Settings", places.get(key, (None,))[0], "A" if key not in values else "B",
                           f"setting '{key}' is missing", f"add a row '{key}' with {hint}")
                return None
            return default
        result = parse(values[key])
        if result is None:
            reader.add("Settings", places[key][0], places[key][1],
                       f"setting '{key}' = {brief(values[key])} is not valid: expected {hint}", f"write {hint}")
        return result

    def choice(options):
        return lambda v: text(v).lower() if text(v).lower() in options else None

    def whole(low):
        def parse(v):
            number = as_number(v)
            ok = number is not None and low <= number <= MAX_PERIODS_SETTING and number == int(number)
            return int(number) if ok else None
        return parse

    def yes_no(v):
        return {"yes": True, "true": True, "no": False, "false": False}.get(text(v).lower())

    def plain(v):
        value = text(v)
        return value if len(value) <= 500 else None

    sites = need("site", _names)
    multi_site = need("multi-site boundary", yes_no, "yes or no", default=False, required=False)
    metal = need("metal", lambda v: plain(v).lower() if plain(v) and "," not in plain(v) else None)
    product = need("product", plain)
    comparison = need("comparison", plain)
    eligible = need("eligible categories", _names)
    other = need("other categories", _names, "categories recorded without credit, separated by commas",
                 default=(), required=False)
    input_kind = need("input", choice(INPUTS))
    description = need("input description", plain)
    period = need("balancing period", choice(PERIODS))
    method = need("method", choice(METHODS))
    start = need("ledger start", as_date)
    end = need("ledger end", as_date)
    carry_over = need("carry over", yes_no, "yes or no", default=False, required=False)
    carry_periods = need("carry-over periods", whole(0), f"a whole number from 0 to {MAX_PERIODS_SETTING}",
                         default=0, required=False)
    window = need("rolling window periods", whole(1), f"a whole number from 1 to {MAX_PERIODS_SETTING}",
                  default=1, required=False)
    links = {key: need(key, plain, "a parameter id of the comparison's model (see `lca params`)", default="",
                       required=False) for key in ("yield parameter", "assay parameter")}
    note = need("parameter note", plain, "a sentence of at most 500 characters", default="", required=False)
    if eligible and other is not None:
        both = sorted({c.lower() for c in eligible} & {c.lower() for c in other})
        if both:
            reader.add("Settings", places["other categories"][0], places["other categories"][1],
                       f"categor{'ies' if len(both) > 1 else 'y'} {', '.join(both)} both eligible and not",
                       "name each category in one of 'eligible categories' and 'other categories'")
            other = None
    if multi_site and sites and len(sites) < 2:
        reader.add("Settings", places["multi-site boundary"][0], places["multi-site boundary"][1],
                   "a multi-site boundary needs at least two sites", "list the sites in 'site', or write no")
        multi_site = None
    if start and end and end < start:
        reader.add("Settings", places["ledger end"][0], places["ledger end"][1],
                   f"ledger end {end} is before ledger start {start}", "swap the dates")
        end = None
    elif start and end and (end.year - start.year) > MAX_YEARS:
        reader.add("Settings", places["ledger end"][0], places["ledger end"][1],
                   f"ledger end {end} is more than {MAX_YEARS} years after ledger start {start}",
                   "check the years of 'ledger start' and 'ledger end'")
        end = None
    found = (sites, multi_site, metal, product, comparison, eligible, other, input_kind, description, period, method,
             start, end, carry_over, carry_periods, window, links["yield parameter"], links["assay parameter"], note)
    if any(v is None for v in found):
        return None
    return Settings(sites=sites, multi_site=multi_site, metal=metal, product=product, comparison=comparison,
                    eligible=eligible, other=other, input_kind=input_kind, input_description=description,
                    period=period, method=method, start=start, end=end, carry_over=carry_over,
                    carry_periods=carry_periods if carry_over else 0, window=window,
                    yield_parameter=links["yield parameter"], assay_parameter=links["assay parameter"],
                    parameter_note=note)
