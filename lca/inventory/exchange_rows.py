"""The exchange rows of an activity's ``Exchanges`` block, checked and linked: columns, type, amount
(which must agree with its formula), role, data-quality rating, unit, source, uncertainty, and
the provider or biosphere flow it names (mixed into :mod:`lca.inventory.load`'s checker, which
has ``add``, and ``_agrees`` from :class:`~lca.inventory.tables.ParameterChecks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lca.distributions import DistributionError, from_fields
from lca.errors import Problem
from lca.inventory.flows import BIOSPHERE
from lca.inventory.formulas import FormulaError, evaluate_formula
from lca.inventory.linking import link_biosphere, link_technosphere, unit_hint
from lca.inventory.model import Exchange
from lca.inventory.ratings import QUALITY_COLUMNS, read_rating
from lca.inventory.tables import UNCERTAINTY_COLUMNS, is_excel_formula, uncertainty_cell
from lca.inventory.tables import cell_number as _number
from lca.inventory.tables import cell_text as _text
from lca.inventory.units import is_known_unit, normalize_unit
from lca.rules import ROLES, amount_problem, brief

if TYPE_CHECKING:
    from lca.inventory.activity_rows import Draft

__all__ = ["EXCHANGE_COLUMNS", "ExchangeChecks", "SOURCE_HINT"]

SOURCE_HINT = "put the publication, year and table, or 'derived: <arithmetic>', in the 'comment' column"

EXCHANGE_COLUMNS = (
    "name", "amount", "unit", "database", "location", "categories", "type",
    "reference product", "formula", "uncertainty type", "loc", "scale", "shape",
    "minimum", "maximum", "comment", "role", *QUALITY_COLUMNS,
)
_REQUIRED_COLUMNS = ("name", "amount", "unit", "type")
_TYPES = ("production", "technosphere", "biosphere", "substitution")


def _categories(value) -> tuple[str, ...]:
    text = _text(value)
    return tuple(part.strip() for part in text.split("::")) if text else ()


class ExchangeChecks:
    """The exchange part of the workbook checker."""

    def exchanges(self, draft: Draft, providers: dict, names_by_db: dict, flows) -> tuple[Exchange, ...]:
        raw = draft.raw
        section = raw.exchanges
        if section is None or section.header is None or not section.rows:
            # bw2io reads an activity without exchanges (csv_add_missing_exchanges_section), and bw2data
            # gives a process without a production exchange an implicit production of 1: written out here
            return (Exchange(type="production", input=(draft.database, draft.code), amount=1.0, unit=draft.unit,
                             where=draft.ref(raw.start.number, "A"), name=draft.name,
                             comment="implicit production of 1 (the activity has no exchanges; as bw2data)"),)
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
        if not comment:  # a warning (bw2io reads it); an error with `lca inventory check --strict`
            self.unsourced.append(Problem(where("comment") if "comment" in columns else where("name"),
                                          f"exchange {brief(name)} has no source", SOURCE_HINT))
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
                    providers=providers, names_by_db=names_by_db, external=getattr(self, "external", None))
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
