"""The PACT export's settings file: who declares the footprint and what the product is called.

A small YAML file (``lca export pact ... --config pact.yaml``; a commented template is shipped as
``inventories/pact-template.yaml``)::

    company:
      name: Hokuriku Copper Refining K.K.
      ids: [urn:lei:5493001KJTIIGC8Y1R12]
    reference period: {start: 2022-01-01, end: 2022-12-31}
    validity period: {start: 2023-01-01, end: 2025-12-31}      # optional
    cross-sectoral standards: [ISO14067]                        # optional, this is the default
    products:
      copper:                       # a comparison: every route and ledger delivery of it ...
        name: Electrolytic copper cathode, grade A
        ids: [urn:gtin:4912345678904]
        fossil carbon content: 0    # kg C per kg of product
        biogenic carbon content: 0
        carbon content source: LME grade A cathode, Cu >= 99.9935 % (BS EN 1978 Cu-CATH-1)
      copper/scrap:                 # ... or one route (it wins over the comparison's entry)
        description: ...

Everything read is checked here, with the file and line in the message: the company's name and
every id must be real (placeholders such as 'Example', 'Company 1', 'TODO' or the PACT
specification's example ids are refused), ids are URNs, dates are dates, numbers are finite and
not negative. What a footprint needs and the file does not give is refused later, by the export,
with the key to add.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from lca.errors import ExportError
from lca.rules import brief

__all__ = ["PactConfig", "ProductEntry", "read_config", "check_urn", "check_name", "PLACEHOLDER"]

MAX_BYTES = 1_000_000
URN = re.compile(r"^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$")
# words that mark a value as not yet filled in (whole words, any case)
PLACEHOLDER = re.compile(r"\b(example|examples|placeholder|todo|tbd|tbc|xxx+|lorem|ipsum|acme|dummy|sample|"
                         r"changeme|change me|your company|company name|product name|fill in|n/?a)\b|^company\s*\d*$|"
                         r"^product\s*\d*$|[<>]|\.\.\.", re.IGNORECASE)
# free text (descriptions, sources) may say 'example' or '>=', but not that it is still to be written
UNFILLED = re.compile(r"\b(todo|tbd|tbc|placeholder|lorem|ipsum|fill in|changeme)\b|<[^<>]*>", re.IGNORECASE)
# ids that the PACT v3 examples use (spec/v3/examples/example-1..4.json): a copy is not an id of yours
SPEC_EXAMPLE_IDS = frozenset({"urn:gtin:5695872369587", "urn:gtin:4712345060507", "urn:gtin:5268596541023",
                              "urn:pact:productclassification:cas:1456",
                              "urn:pact:productclassification:un-cpc:1234",
                              "urn:pact:productclassification:un-cpc:7892"})
TOP = ("company", "reference period", "validity period", "cross-sectoral standards", "products")
PRODUCT_KEYS = ("name", "description", "ids", "classifications", "fossil carbon content",
                "biogenic carbon content", "carbon content source", "exempted emissions percent",
                "exempted emissions source", "geography")


@dataclass(frozen=True)
class ProductEntry:
    key: str  # the subject it is for: a comparison, COMPARISON/ROUTE or a product id
    line: int
    name: str = ""
    description: str = ""
    ids: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    fossil_carbon: float | None = None  # kg C per kg of product
    biogenic_carbon: float | None = None
    carbon_source: str = ""
    exempted_percent: float | None = None
    exempted_source: str = ""
    geography: str = ""


@dataclass(frozen=True)
class PactConfig:
    file: str  # as given ('' when none: everything from options)
    company_name: str = ""
    company_ids: tuple[str, ...] = ()
    period: tuple[dt.date, dt.date] | None = None
    validity: tuple[dt.date, dt.date] | None = None
    standards: tuple[str, ...] = ("ISO14067",)
    products: dict = field(default_factory=dict)  # key -> ProductEntry

    def entry(self, *keys: str) -> ProductEntry:
        """The entries for ``keys`` (most specific first) merged: a field set in an earlier one wins."""
        found = [self.products[k] for k in keys if k in self.products]
        if not found:
            return ProductEntry(keys[0], 0)
        merged = {}
        for entry in reversed(found):
            merged.update({k: v for k, v in entry.__dict__.items() if v not in ("", (), None)})
        return ProductEntry(**{**merged, "key": found[0].key, "line": found[0].line})


def check_name(value, where: str, what: str, *, pattern=PLACEHOLDER) -> str:
    """``value`` as a non-empty text that is not a placeholder, or an ExportError at ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise ExportError(f"{where}: {what} is {brief(value)}; write it as text.")
    text = value.strip()
    if pattern.search(text):
        raise ExportError(f"{where}: {what} {brief(text)} looks like a placeholder, not a real value; "
                          "write the real one (a PACT footprint goes to your customers' systems as it is).")
    return text


def check_urn(value, where: str, what: str) -> str:
    """``value`` as a URN (``urn:NID:...``) that is neither a placeholder nor a PACT example id."""
    text = check_name(value, where, what)
    if not URN.match(text):
        raise ExportError(f"{where}: {what} {brief(text)} is not a URN; PACT ids are URNs such as "
                          "urn:lei:<20-character LEI>, urn:gtin:<GTIN>, urn:uuid:<uuid> or "
                          "urn:pact:company:customcode:<your code>.")
    if text.lower() in SPEC_EXAMPLE_IDS:
        raise ExportError(f"{where}: {what} {text} is an id from the PACT specification's examples; "
                          "give your own id.")
    return text


def _lines(node, path=(), out=None) -> dict:
    """(key, key, ...) -> line number of every mapping key and sequence item in the composed YAML."""
    import yaml

    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (str(key.value),)
            out[sub] = key.start_mark.line + 1
            _lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, path + (index,), out)
    return out


class _Reader:
    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines

    def where(self, *keys) -> str:
        for end in range(len(keys), -1, -1):
            if keys[:end] in self.lines:
                return f"{self.path}, line {self.lines[keys[:end]]}"
        return str(self.path)

    def mapping(self, value, keys: tuple, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise ExportError(f"{self.where(*keys)}: '{'.'.join(map(str, keys)) or 'the file'}' must be a mapping "
                              f"of keys ({', '.join(allowed)}).")
        for key in value:
            if str(key) not in allowed:
                raise ExportError(f"{self.where(*keys, str(key))}: unknown key {brief(key)}; "
                                  f"the keys here are: {', '.join(allowed)}.")
        return {str(k): v for k, v in value.items()}

    def texts(self, value, keys: tuple, what: str, check) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise ExportError(f"{self.where(*keys)}: {what} must be a list of one or more URNs.")
        found = tuple(check(item, self.where(*keys, i), what) for i, item in enumerate(items))
        if len(set(found)) != len(found):
            raise ExportError(f"{self.where(*keys)}: {what} lists an id twice; give each once.")
        return found

    def date(self, value, keys: tuple) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ExportError(f"{self.where(*keys)}: {brief(value)} is not a date; write it as YYYY-MM-DD.") from None

    def period(self, value, keys: tuple) -> tuple[dt.date, dt.date]:
        given = self.mapping(value, keys, ("start", "end"))
        if "start" not in given or "end" not in given:
            raise ExportError(f"{self.where(*keys)}: '{keys[-1]}' needs 'start' and 'end' (YYYY-MM-DD).")
        start, end = self.date(given["start"], keys + ("start",)), self.date(given["end"], keys + ("end",))
        if end < start:
            raise ExportError(f"{self.where(*keys, 'end')}: '{keys[-1]}' ends ({end}) before it starts ({start}).")
        return start, end

    def number(self, value, keys: tuple, high: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not 0 <= value <= high:
            bound = f"from 0 to {high:g}" if math.isfinite(high) else "of at least 0"
            raise ExportError(f"{self.where(*keys)}: '{keys[-1]}' is {brief(value)}; give a number {bound}.")
        return float(value)

    def product(self, key: str, value) -> ProductEntry:
        keys = ("products", key)
        given = self.mapping(value, keys, PRODUCT_KEYS)

        def text(name, free=False):
            if name not in given:
                return ""
            return check_name(given[name], self.where(*keys, name), f"'{name}' of {key}",
                              pattern=UNFILLED if free else PLACEHOLDER)

        entry = ProductEntry(
            key, self.lines.get(keys, 0), name=text("name"), description=text("description", True),
            ids=self.texts(given["ids"], keys + ("ids",), f"'ids' of {key}", check_urn) if "ids" in given else (),
            classifications=(self.texts(given["classifications"], keys + ("classifications",),
                                        f"'classifications' of {key}", check_urn)
                             if "classifications" in given else ()),
            fossil_carbon=(self.number(given["fossil carbon content"], keys + ("fossil carbon content",), 1.0)
                           if "fossil carbon content" in given else None),
            biogenic_carbon=(self.number(given["biogenic carbon content"], keys + ("biogenic carbon content",), 1.0)
                             if "biogenic carbon content" in given else None),
            carbon_source=text("carbon content source", True),
            exempted_percent=(self.number(given["exempted emissions percent"],
                                          keys + ("exempted emissions percent",), 100.0)
                              if "exempted emissions percent" in given else None),
            exempted_source=text("exempted emissions source", True),
            geography=text("geography"))
        for amount, source in (("fossil carbon content", "carbon content source"),
                               ("biogenic carbon content", "carbon content source"),
                               ("exempted emissions percent", "exempted emissions source")):
            if amount in given and source not in given:
                raise ExportError(f"{self.where(*keys, amount)}: '{amount}' of {key} has no '{source}'; "
                                  "say where the figure comes from (a publication, or 'derived:' with the arithmetic).")
        return entry


def read_config(path) -> PactConfig:
    """Read and check the settings file at ``path`` (errors name the file and line)."""
    import yaml

    from lca.subjects.changes import bounded_yaml

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ExportError(f"{path} is larger than {MAX_BYTES // 1000:,} kB; is it the PACT settings file?")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError(f"PACT settings file {path} does not exist; copy inventories/pact-template.yaml "
                          "and fill it in.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"Cannot read the PACT settings file {path}: {exc}.") from None
    bounded_yaml(path, text, what="a PACT settings file", layout="see inventories/pact-template.yaml",
                 error=ExportError)
    class Loader(yaml.SafeLoader):  # dates stay text: _Reader.date reads them, naming a bad one
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ExportError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc}).") from None
    reader = _Reader(path, _lines(node) if node is not None else {})
    top = reader.mapping(data if data is not None else {}, (), TOP)
    company = reader.mapping(top.get("company", {}), ("company",), ("name", "ids"))
    name = check_name(company["name"], reader.where("company", "name"), "company name") if "name" in company else ""
    ids = reader.texts(company["ids"], ("company", "ids"), "company ids", check_urn) if "ids" in company else ()
    period = reader.period(top["reference period"], ("reference period",)) if "reference period" in top else None
    validity = reader.period(top["validity period"], ("validity period",)) if "validity period" in top else None
    standards = ("ISO14067",)
    if "cross-sectoral standards" in top:
        raw = top["cross-sectoral standards"]
        items = raw if isinstance(raw, list) else [raw]
        standards = tuple(check_name(s, reader.where("cross-sectoral standards", i), "a cross-sectoral standard")
                          for i, s in enumerate(items))
    products = top.get("products") or {}
    if not isinstance(products, dict):
        raise ExportError(f"{reader.where('products')}: 'products' must map subjects (copper, copper/scrap, a "
                          "product id) to their names and ids.")
    entries = {str(k): reader.product(str(k), v) for k, v in products.items()}
    return PactConfig(str(path), name, ids, period, validity, standards, entries)
