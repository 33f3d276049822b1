"""A workbook's ``Database`` block and its ``Activity`` blocks, checked and turned into drafts: the
activity's code, name, location, unit and reference product, and the database and activity
parameters (mixed into :mod:`lca.inventory.load`'s checker, which has ``add`` and the parameter
checks of :class:`~lca.inventory.tables.ParameterChecks`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lca.errors import CellRef, NotAWorkbook
from lca.inventory.linking import unit_hint
from lca.inventory.tables import cell_number as _number
from lca.inventory.tables import cell_text as _text
from lca.inventory.tables import parameter_values
from lca.inventory.units import is_known_unit, normalize_unit
from lca.inventory.workbook import RawActivity, RawWorkbook, read_workbook
from lca.rules import brief

__all__ = ["Draft", "ActivityChecks", "activity_hash"]


def _production_product(raw) -> str:
    """The reference product bw2io gives an activity without one (assign_only_product_as_production):
    the only production exchange's reference product, else its name; '' when there is not exactly one."""
    if raw.exchanges is None or raw.exchanges.header is None:
        return ""
    rows = [values for _, values, _ in raw.exchanges.records() if _text(values.get("type")).lower() == "production"]
    if len(rows) != 1:
        return ""
    return _text(rows[0].get("reference product")) or _text(rows[0].get("name"))


def activity_hash(name: str, fields: dict, reference_product: str) -> str:
    """The code bw2io's set_code_by_activity_hash gives an activity without one: md5 of its name,
    categories, unit (normalised), reference product (as written) and location, lower-cased."""
    import hashlib

    def value(key):
        return _text(fields.get(key, (None,))[0])

    unit = normalize_unit(value("unit")) if value("unit") else ""
    text = "".join(part.lower() for part in (name, value("categories"), unit, reference_product, value("location")))
    return hashlib.md5(text.encode("utf-8")).hexdigest()


@dataclass
class Draft:
    """An activity on its way through validation (raw exchange rows still attached)."""

    sheet: str
    raw: RawActivity
    book: RawWorkbook
    database: str
    code: str
    name: str
    location: str
    unit: str
    reference_product: str
    metadata: dict = field(default_factory=dict)
    symbols: dict = field(default_factory=dict)
    parameters: tuple = ()

    def ref(self, row: int | None = None, column: str | None = None) -> CellRef:
        return self.book.ref(self.sheet, row, column)

    @property
    def place(self) -> CellRef:
        """Where the activity is defined (its 'Activity' row), for messages."""
        return self.ref(self.raw.start.number, "B")


class ActivityChecks:
    """The workbook and activity part of the workbook checker."""

    def read(self, path: Path) -> RawWorkbook | None:
        try:
            book = read_workbook(path)
        except NotAWorkbook as exc:
            self.problems.extend(exc.problems)
            return None
        self.problems.extend(book.problems)
        if book.database is None or not _text(book.database[0]):
            self.add(CellRef(path.name), "has no 'Database' block",
                     "put 'Database' in column A and the database name in column B of the first sheet")
            return None
        return book

    def drafts(self, book: RawWorkbook, project_symbols: dict) -> tuple[list[Draft], tuple]:
        database = _text(book.database[0])
        specs, meta = self._parameter_specs(book, book.database_parameters)
        symbols = self._evaluate(specs, project_symbols, meta)
        parameters = parameter_values(specs, meta, symbols)
        drafts, codes = [], {}
        for sheet, raw in book.activities:
            start = book.ref(sheet, raw.start.number, "B")
            name = _text(raw.name)
            fields = {k.lower(): (v, row) for k, (v, row) in raw.metadata.items()}

            def field_value(key, sheet=sheet, fields=fields, name=name, raw=raw):
                value, row = fields.get(key, (None, None))
                if _text(value):
                    return _text(value)
                where = book.ref(sheet, row.number if row else raw.start.number, "B" if row else "A")
                self.add(where, f"activity {brief(name)} has no '{key}'",
                         f"add a row '{key}' with a value under the 'Activity' row")
                return ""

            written_product = _text(fields.get("reference product", (None,))[0])
            if not written_product and "reference product" in fields:
                fields.pop("reference product")
            if not written_product:  # bw2io: the only production exchange names it
                derived = _production_product(raw)
                if derived:
                    fields["reference product"] = (derived, raw.start)
            if not _text(fields.get("code", (None,))[0]):  # bw2io: set_code_by_activity_hash
                fields["code"] = (activity_hash(name, fields, written_product), raw.start)
            code = field_value("code")
            if code and _number(code) is not None:
                row = fields["code"][1]
                self.add(book.ref(sheet, row.number, "B"),
                         f"code {brief(code)} of activity {brief(name)} looks like a number",
                         "use a text code such as 'cu-smelting': bw2io turns number-like codes into numbers "
                         "and fails to write them")
            if code in codes:
                first = codes[code]
                self.add(book.ref(sheet, fields["code"][1].number, "B"),
                         f"duplicate activity code {brief(code)} (also at {first})",
                         "give every activity in a workbook its own code")
            elif code:
                codes[code] = book.ref(sheet, fields["code"][1].number, "B")
            unit = field_value("unit")
            if unit and not is_known_unit(unit):
                self.add(book.ref(sheet, fields["unit"][1].number, "B"),
                         f"unknown unit {brief(unit)} for activity {brief(name)}",
                         unit_hint(unit))
            draft = Draft(
                sheet=sheet, raw=raw, book=book, database=database, code=code, name=name,
                location=field_value("location"), unit=normalize_unit(unit),
                reference_product=field_value("reference product"),
                metadata={k: v for k, (v, row) in raw.metadata.items()  # '(Unknown)': no field, as in bw2io
                          if k.lower() not in ("code", "location", "unit", "reference product")
                          and not (v is None and 1 in row.unknown)},
            )
            if not name:
                self.add(start, "an 'Activity' row without a name", "put the activity name in column B")
            draft.symbols = symbols
            if raw.parameters is not None and raw.parameters.rows:
                act_specs, act_meta = self._parameter_specs(book, [(sheet, raw.parameters)])
                draft.symbols = self._evaluate(act_specs, symbols, act_meta)
                draft.parameters = parameter_values(act_specs, act_meta, draft.symbols)
            drafts.append(draft)
        metadata = tuple((k, v) for k, (v, _) in book.database_metadata.items())
        return drafts, (database, metadata, parameters)
