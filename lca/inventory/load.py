"""Validate the inventory workbooks and turn them into linked, typed activities.

:func:`load_inventory` reads every workbook of a folder, collects *every* problem (file,
sheet, row, column, and a hint), and raises one :class:`~lca.errors.InventoryError` listing
them all; nothing is written anywhere. What it returns is the validated inventory that
:mod:`lca.project` writes to Brightway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lca.distributions import DistributionError, from_fields
from lca.errors import CellRef, InventoryError, NotAWorkbook, Problem
from lca.inventory.flows import BIOSPHERE, flow_index
from lca.inventory.formulas import FormulaError, evaluate_formula
from lca.inventory.linking import link_biosphere, link_technosphere, unit_hint
from lca.inventory.model import Activity, Database, Exchange, Inventory, ParameterValue
from lca.inventory.ratings import QUALITY_COLUMNS, read_rating
from lca.inventory.tables import (
    UNCERTAINTY_COLUMNS,
    ParameterChecks,
    is_excel_formula,
    parameter_values,
    uncertainty_cell,
)
from lca.inventory.tables import cell_number as _number
from lca.inventory.tables import cell_text as _text
from lca.inventory.units import is_known_unit, normalize_unit
from lca.inventory.workbook import RawActivity, RawWorkbook, read_workbook
from lca.paths import workbook_files
from lca.rules import ROLES, amount_problem, brief

__all__ = ["Exchange", "Activity", "ParameterValue", "Database", "Inventory", "load_inventory", "stale_amounts",
           "EXCHANGE_COLUMNS"]

EXCHANGE_COLUMNS = (
    "name", "amount", "unit", "database", "location", "categories", "type",
    "reference product", "formula", "uncertainty type", "loc", "scale", "shape",
    "minimum", "maximum", "comment", "role", *QUALITY_COLUMNS,
)
_REQUIRED_COLUMNS = ("name", "amount", "unit", "type")
_TYPES = ("production", "technosphere", "biosphere", "substitution")


# ---------------------------------------------------------------------------------------
# helpers


def _categories(value) -> tuple[str, ...]:
    text = _text(value)
    return tuple(part.strip() for part in text.split("::")) if text else ()


@dataclass
class _Draft:
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


class _Checker(ParameterChecks):
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.stale: list[tuple[CellRef, float]] = []  # amount cells that disagree with their formula

    def add(self, where: CellRef, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, hint))

    # --- one workbook ----------------------------------------------------------------

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

    def drafts(self, book: RawWorkbook, project_symbols: dict) -> tuple[list[_Draft], tuple]:
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
            draft = _Draft(
                sheet=sheet, raw=raw, book=book, database=database, code=code, name=name,
                location=field_value("location"), unit=normalize_unit(unit),
                reference_product=field_value("reference product"),
                metadata={k: v for k, (v, _) in raw.metadata.items()
                          if k.lower() not in ("code", "location", "unit", "reference product")},
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

    # --- exchanges -------------------------------------------------------------------

    def exchanges(self, draft: _Draft, providers: dict, names_by_db: dict, flows) -> tuple[Exchange, ...]:
        raw = draft.raw
        section = raw.exchanges
        if section is None or section.header is None:
            self.add(draft.ref(raw.start.number, "A"), f"activity {brief(draft.name)} has no 'Exchanges' block",
                     "add an 'Exchanges' row, a header row, and at least the production exchange")
            return ()
        missing = [c for c in _REQUIRED_COLUMNS if c not in section.labels]
        if missing:
            self.add(draft.ref(section.header.number), f"the exchange header lacks column(s) {', '.join(missing)}",
                     f"the row under 'Exchanges' must label the columns: {', '.join(EXCHANGE_COLUMNS)}")
            return ()
        result, places = [], []
        for row, values, columns in section.records():
            exchange = self._exchange(draft, row, values, columns, providers, names_by_db, flows)
            if exchange is not None:
                result.append(exchange)
                places.append(draft.ref(row.number, columns.get("amount")))
        production = [e for e in result if e.type == "production"]
        written = any(_text(values.get("type")).lower() == "production" for _, values, _ in section.records())
        if not production and written:
            pass  # the production row itself was reported
        elif not production:
            self.add(draft.ref(raw.start.number, "A"), f"activity {brief(draft.name)} has no production exchange",
                     "add a row of type 'production' naming the activity itself, amount 1")
        elif len(production) > 1:
            self.add(production[1].where, f"activity {brief(draft.name)} has more than one production exchange",
                     "keep one production exchange per activity")
        made = production[0].amount if len(production) == 1 else None
        own = (draft.database, draft.code)
        for exchange, where in zip(result, places, strict=True):
            problem = amount_problem(kind=exchange.type, amount=exchange.amount, role=exchange.role,
                                     name=exchange.name, own_product=exchange.type == "technosphere"
                                     and exchange.input == own, production=made)
            if problem is not None:
                source = f" (the value of its formula {brief(exchange.formula)})" if exchange.formula else ""
                self.add(where, f"activity {brief(draft.name)}: {problem.message}{source}", problem.hint)
        return tuple(result)

    def _exchange(self, draft, row, values, columns, providers, names_by_db, flows) -> Exchange | None:
        where = lambda label: draft.ref(row.number, columns.get(label))  # noqa: E731
        name = _text(values.get("name"))
        kind = _text(values.get("type")).lower()
        ok = True
        if not name:
            self.add(where("name"), "exchange without a name", "fill in the name of the flow or activity")
            ok = False
        if kind not in _TYPES:
            self.add(where("type"), f"exchange type {brief(values.get('type'))} is not one of {', '.join(_TYPES)}",
                     "use production, technosphere or biosphere")
            return None
        amount = self._amount(draft, values, where, name)
        if amount is None:
            ok = False
        role = _text(values.get("role")).lower() or None
        if role is not None and role not in ROLES:
            self.add(where("role"), f"exchange {brief(name)} has role {brief(values.get('role'))}, not one of "
                     f"{', '.join(ROLES)}", "leave 'role' empty for an ordinary input or emission; write 'credit' "
                     "for an avoided product or uptake, 'waste' for a waste flow sent to treatment")
            ok = False
        quality, bad_ratings = read_rating(values, name)
        for label, message, fix in bad_ratings:  # optional columns TeR, GeR, TiR, primary data (lca.dataquality)
            self.add(where(label), message, fix)
        unit_text = _text(values.get("unit"))
        unit = normalize_unit(unit_text)
        if not unit_text:
            self.add(where("unit"), f"exchange {brief(name)} has no unit", "fill in the unit, e.g. kilogram")
            ok = False
        elif not is_known_unit(unit_text):
            self.add(where("unit"), f"unknown unit {brief(unit_text)} in exchange {brief(name)}", unit_hint(unit_text))
            ok = False
        comment = _text(values.get("comment"))
        if not comment:
            self.add(where("comment") if "comment" in columns else where("name"),
                     f"exchange {brief(name)} has no source",
                     "put the publication, year and table, or 'derived: <arithmetic>', in the 'comment' column")
        if not ok:
            return None
        uncertainty = self._exchange_uncertainty(values, where, name, amount)
        if uncertainty is None:
            return None
        if kind == "production":
            target = self._check_production(draft, values, where, name, unit)
            if target is None:
                return None
        else:
            if kind == "biosphere":
                target, failure = link_biosphere(
                    name=name, unit=unit, database=_text(values.get("database")) or BIOSPHERE,
                    categories=_categories(values.get("categories")), flows=flows)
            else:
                target, failure = link_technosphere(
                    name=name, unit=unit, database=_text(values.get("database")) or draft.database,
                    location=_text(values.get("location")), product=_text(values.get("reference product")),
                    providers=providers, names_by_db=names_by_db)
            if failure is not None:
                self.add(where(failure.column), failure.message, failure.hint)
                return None
        return Exchange(
            type=kind, input=target, amount=amount, unit=unit, where=where("name"),
            formula=_text(values.get("formula")) or None, comment=comment, uncertainty=uncertainty,
            role=role, name=name, quality=quality,
        )

    def _exchange_uncertainty(self, values, where, name, amount) -> tuple | None:
        """Normalised stats_arrays fields of an exchange ((), when exact); None after a problem."""
        fields = {k: uncertainty_cell(values.get(k)) for k in UNCERTAINTY_COLUMNS}
        try:
            distribution = from_fields(amount, fields)
        except (DistributionError, ValueError, TypeError) as exc:
            self.add(where("uncertainty type"), f"uncertainty of exchange {brief(name)}: {exc}",
                     "see the uncertainty columns in docs/uncertainty.md")
            return None
        if distribution is None:
            return ()
        if _text(values.get("formula")):
            self.add(where("uncertainty type"), f"exchange {brief(name)} has a formula and a distribution",
                     "its amount follows the parameters of the formula: put the distribution on those "
                     "parameters, or remove the formula")
            return None
        return tuple(distribution.fields().items())

    def _amount(self, draft, values, where, name) -> float | None:
        """The exchange's amount: its 'amount' cell, which must agree with its formula's value if it has one.

        bw2io stores the amount cell as the exchange's amount and the formula beside it; Brightway
        recalculates it only for activity parameters. So an amount that disagrees with its formula
        gives different numbers in different tools, and an empty one is an exchange bw2data refuses
        to write (InvalidExchange): both are refused here.
        """
        formula = _text(values.get("formula"))
        cell = values.get("amount")
        if is_excel_formula(cell):
            self.add(where("amount"), f"amount of {brief(name)} is an Excel cell formula {brief(cell)}",
                     "type the number; bw2io drops the amount of a formula cell written by a program. "
                     "For a calculated amount put a Brightway formula in the 'formula' column")
            return None
        amount = _number(cell)
        if not formula:
            if amount is None:
                shown = "empty" if cell in (None, "") else brief(cell)
                self.add(where("amount"), f"amount of {brief(name)} is not a number ({shown})",
                         "enter a plain number (decimal point, no units or text)")
            return amount
        try:
            value = evaluate_formula(formula, draft.symbols)
        except FormulaError as exc:
            self.add(where("formula"), brief(str(exc), 200),
                     "fix the formula, or define the names it uses as parameters")
            return None
        return self._agrees(where("amount"), f"amount of {brief(name)}", cell, amount, value,
                            f"its formula {brief(formula)} (column {where('formula').column})")

    def _check_production(self, draft, values, where, name, unit):
        if name != draft.name:
            self.add(where("name"), f"production exchange is named {brief(name)}, the activity {brief(draft.name)}",
                     "name the production exchange exactly like the activity")
            return None
        if unit != draft.unit:
            self.add(where("unit"),
                     f"unit mismatch: production exchange in {brief(unit)}, activity in {brief(draft.unit)}",
                     "use the activity's unit for its production exchange")
            return None
        return (draft.database, draft.code)

def _place(problem: Problem):
    where = problem.where
    return (where.file, where.sheet or "", where.row or 0, where.column or "")


def _write_order(checker: _Checker, databases: dict, drafts_by_db: dict) -> list[str]:
    """Providers before consumers; a loop between databases is a problem."""
    needs = {name: set() for name in databases}
    for name, database in databases.items():
        for activity in database.activities:
            for exchange in activity.exchanges:
                other = exchange.input[0]
                if other != name and other in needs:
                    needs[name].add(other)
    order, done = [], set()
    while len(done) < len(needs):
        ready = sorted(n for n in needs if n not in done and needs[n] <= done)
        if not ready:
            stuck = sorted(n for n in needs if n not in done)
            where = CellRef(drafts_by_db[stuck[0]][0].book.path.name) if drafts_by_db[stuck[0]] else CellRef(stuck[0])
            checker.add(where, f"databases {', '.join(stuck)} consume each other's activities",
                        "background data must not consume foreground activities; move the shared activity "
                        "into one workbook")
            return order + stuck
        order.extend(ready)
        done.update(ready)
    return order


def stale_amounts(folder: Path) -> list[tuple[CellRef, float]]:
    """The amount cells (exchanges and parameters) that disagree with their formula, each with the
    formula's value: what to type in them, e.g. after a parameter's value was edited."""
    checker = _Checker(Path(folder))
    try:
        load_inventory(folder, check_solvable=False, _checker=checker)
    except InventoryError:
        pass
    return list(checker.stale)


def load_inventory(folder: Path, *, check_solvable: bool = True, _checker: _Checker | None = None) -> Inventory:
    """Read, validate and link every workbook in ``folder``; raise InventoryError listing all problems."""
    folder = Path(folder)
    checker = _checker or _Checker(folder)
    books = [b for b in (checker.read(p) for p in workbook_files(folder)) if b is not None]
    # project parameters are shared by all workbooks
    project_specs, project_meta = [], {}
    for book in books:
        specs, meta = checker._parameter_specs(book, book.project_parameters)
        project_specs.extend(specs)
        project_meta.update(meta)
    project_symbols = checker._evaluate(project_specs, {}, project_meta)

    drafts_by_db: dict[str, list[_Draft]] = {}
    db_info = {}
    seen_db: dict[str, CellRef] = {}
    for book in books:
        drafts, info = checker.drafts(book, project_symbols)
        name = info[0]
        if name in seen_db:
            checker.add(book.database[1], f"database {brief(name)} is also defined in {seen_db[name]}",
                        "give each workbook its own database name")
            continue
        seen_db[name] = book.database[1]
        drafts_by_db[name] = drafts
        db_info[name] = (book.path, info)

    providers: dict[tuple[str, str], list[_Draft]] = {}
    names_by_db: dict[str, set[str]] = {name: set() for name in drafts_by_db}
    for name, drafts in drafts_by_db.items():
        for draft in drafts:
            providers.setdefault((name, draft.name), []).append(draft)
            names_by_db[name].add(draft.name)
    flows = flow_index()

    databases = {}
    for name, drafts in drafts_by_db.items():
        activities = []
        for draft in drafts:
            exchanges = checker.exchanges(draft, providers, names_by_db, flows)
            activities.append(Activity(
                database=draft.database, code=draft.code, name=draft.name, location=draft.location,
                unit=draft.unit, reference_product=draft.reference_product,
                where=draft.ref(draft.raw.start.number, "B"),
                metadata=tuple((k, v) for k, v in draft.metadata.items()), exchanges=exchanges,
                parameters=draft.parameters,
            ))
        path, (_, metadata, parameters) = db_info[name]
        databases[name] = Database(name, path, metadata, parameters, tuple(activities))

    order = _write_order(checker, databases, drafts_by_db)
    if checker.problems:
        raise InventoryError(sorted(checker.problems, key=_place))
    inventory = Inventory(folder, tuple(databases[n] for n in order),
                          parameter_values(project_specs, project_meta, project_symbols))
    from lca.inventory.product_rows import product_problems
    from lca.inventory.route_rows import byproduct_problems, route_problems
    from lca.inventory.solvable import unsolvable_problems
    from lca.inventory.transport import transport_problems

    problems = (route_problems(inventory) + product_problems(inventory) + transport_problems(inventory)
                + byproduct_problems(inventory))
    if check_solvable:
        problems += unsolvable_problems(inventory)
    if problems:
        raise InventoryError(problems)
    return inventory
