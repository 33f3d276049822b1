"""Cell values and parameter tables of the inventory workbooks: read, evaluated and checked.

Used by :mod:`lca.inventory`: the parameter blocks (project, database and activity parameters)
with their formulas, allowed ranges and distributions. Every problem is added to the checker
with its cell, as for the rest of a workbook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lca.distributions import FIELDS, DistributionError, from_fields
from lca.errors import CellRef
from lca.inventory.formulas import ParameterSpec, evaluate_parameters
from lca.inventory.labels import labels_of
from lca.inventory.model import ParameterValue
from lca.inventory.workbook import RawWorkbook, Section
from lca.rules import brief, brief_text

__all__ = ["ParameterChecks", "UNCERTAINTY_COLUMNS", "cell_text", "cell_number", "is_excel_formula",
           "uncertainty_cell", "parameter_values"]

UNCERTAINTY_COLUMNS = FIELDS  # the stats_arrays columns of parameter and exchange tables
# an amount cell agrees with its formula's value within this (the rounding of a cached value)
_REL_TOLERANCE, _ABS_TOLERANCE = 1e-6, 1e-12


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_number(value) -> float | None:
    """A finite float from a cell value (numbers, or text that bw2io would numerize)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def is_excel_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


@dataclass(frozen=True)
class _ParameterMeta:
    unit: str
    source: str
    minimum: float | None
    maximum: float | None
    distribution: object = None  # lca.distributions.Distribution, or None when exact
    amount_at: object = None  # CellRef of the amount cell (checked against the formula's value)
    lower_limit: float | None = None
    upper_limit: float | None = None
    labels: tuple = ()  # ((language, text), ...) from the optional columns 'label' and 'label (ja)'


class ParameterChecks:
    """The parameter part of the workbook checker (mixed into lca.inventory's checker, which has ``add``
    and ``stale``, the amount cells that disagree with their formula, with the formula's value)."""

    def _parameter_specs(self, book: RawWorkbook, sections: list[tuple[str, Section]]):
        specs, meta = [], {}
        for sheet, section in sections:
            if "name" not in section.labels:
                where = book.ref(sheet, section.header.number if section.header else None)
                self.add(where, "a parameter block has no 'name' column header",
                         "the row below 'Database parameters' must hold the labels name, amount, unit, source")
                continue
            for row, values, columns in section.records():
                name = cell_text(values.get("name"))
                where = book.ref(sheet, row.number, columns.get("name"))
                if not name.isidentifier():
                    self.add(where, f"parameter name {brief(name)} is not a valid name",
                             "use letters, digits and underscores, starting with a letter")
                    continue
                formula = cell_text(values.get("formula")) or None
                amount_cell = values.get("amount")
                if is_excel_formula(amount_cell):
                    self.add(book.ref(sheet, row.number, columns["amount"]),
                             f"parameter {name} holds an Excel cell formula {brief(amount_cell)}",
                             "type the number, or put a Brightway formula in the 'formula' column")
                    continue
                amount = cell_number(amount_cell)
                if formula is None and amount is None:
                    self.add(book.ref(sheet, row.number, columns.get("amount")),
                             f"parameter {name} has no numeric amount (found {brief(amount_cell)})",
                             "enter a number in 'amount' or a formula in 'formula'")
                    continue
                # with a formula, an empty amount is computed (bw2data evaluates it on import); a
                # number must agree with the formula (checked in _evaluate), text is refused there too
                column = columns.get("formula") if formula else columns.get("amount")
                specs.append(ParameterSpec(name, amount, formula, book.ref(sheet, row.number, column)))
                bounds = {}
                for label in ("minimum", "maximum", "lower limit", "upper limit"):
                    cell = values.get(label)
                    bounds[label] = cell_number(cell)
                    if cell not in (None, "") and bounds[label] is None:
                        self.add(book.ref(sheet, row.number, columns[label]),
                                 f"{label} of parameter {name} is not a number ({brief(cell)})",
                                 f"enter a number, or leave '{label}' empty")
                distribution = self._distribution(book, sheet, row, values, columns, name, amount, formula)
                meta[name] = _ParameterMeta(cell_text(values.get("unit")),
                                            cell_text(values.get("source") or values.get("comment")),
                                            bounds["minimum"], bounds["maximum"], distribution,
                                            book.ref(sheet, row.number, columns.get("amount")),
                                            bounds["lower limit"], bounds["upper limit"], labels_of(values))
                self._check_limits(book.ref(sheet, row.number, columns.get("lower limit") or columns.get("name")),
                                   name, amount if formula is None else None, bounds, distribution)
                if formula and amount is None and amount_cell not in (None, ""):
                    self.add(book.ref(sheet, row.number, columns.get("amount")),
                             f"amount of parameter {name} is {brief(amount_cell)}, not a number",
                             "type the formula's value in 'amount' (or leave it empty); the formula gives the "
                             "value")
        return specs, meta

    def _check_limits(self, where, name, amount, bounds, distribution):
        """The physical limits hold the amount, the allowed range and the distribution's bounds."""
        low, high = bounds["lower limit"], bounds["upper limit"]
        if low is None and high is None:
            return
        if low is not None and high is not None and low > high:
            self.add(where, f"parameter {name}: lower limit {low:g} is above upper limit {high:g}",
                     "swap them, or correct the one that is wrong")
            return
        inside = (lambda v: (low is None or v >= low) and (high is None or v <= high))  # noqa: E731
        shown = f"{'' if low is None else f'{low:g}'} to {'' if high is None else f'{high:g}'}"
        checks = [("its amount", amount), ("its minimum", bounds["minimum"]), ("its maximum", bounds["maximum"])]
        if distribution is not None:
            checks += [("its distribution's minimum", distribution.minimum),
                       ("its distribution's maximum", distribution.maximum)]
        if distribution is not None and distribution.kind in ("normal", "lognormal"):
            open_low = distribution.kind == "normal" and low is not None and distribution.minimum is None
            if open_low or (high is not None and distribution.maximum is None):
                self.add(where, f"parameter {name}: its {distribution.kind} distribution is not truncated within its "
                         f"physical limits {shown}, so a draw could leave them",
                         "give the distribution a minimum and maximum inside the limits")
        for what, value in checks:
            if value is not None and not inside(value):
                self.add(where, f"parameter {name}: {what} {value:g} lies outside its physical limits {shown}",
                         "correct the value, or the limits if they are wrong")

    def _distribution(self, book, sheet, row, values, columns, name, amount, formula):
        """A parameter's distribution from its uncertainty columns (None when exact); problems are added."""
        fields = {k: values.get(k) for k in UNCERTAINTY_COLUMNS}
        where = book.ref(sheet, row.number, columns.get("uncertainty type") or columns.get("name"))
        if formula and cell_text(fields["uncertainty type"]) not in ("", "0", "1", "none", "undefined"):
            self.add(where, f"parameter {name} has a formula and a distribution",
                     "a calculated parameter follows the parameters its formula uses: put the distribution "
                     "on those, or replace the formula by a number")
            return None
        if formula or amount is None:
            return None
        try:
            return from_fields(amount, {k: uncertainty_cell(v) for k, v in fields.items()})
        except (DistributionError, ValueError, TypeError) as exc:
            self.add(where, f"uncertainty of parameter {name}: {exc}",
                     "see the uncertainty columns in docs/uncertainty.md")
            return None

    def _evaluate(self, specs, known: dict, meta: dict | None = None) -> dict:
        """Evaluate parameters; report failures, and values outside their stated minimum/maximum."""
        values, failures = evaluate_parameters(specs, known)
        for spec, reason in failures:
            self.add(spec.key, brief(reason, 200), "fix the formula, or define the names it uses as parameters")
        for spec in specs:
            info = (meta or {}).get(spec.name)
            if spec.formula and spec.amount is not None and spec.name in values and info is not None:
                self._agrees(info.amount_at, f"amount of parameter {spec.name}", spec.amount, spec.amount,
                             values[spec.name], f"its formula {brief(spec.formula)} (column {spec.key.column})")
        for spec in specs:
            info = (meta or {}).get(spec.name)
            value = values.get(spec.name)
            if info is None or value is None:
                continue
            if spec.formula and ((info.lower_limit is not None and value < info.lower_limit)
                                 or (info.upper_limit is not None and value > info.upper_limit)):
                self.add(spec.key, f"parameter {spec.name} = {value:g} (its formula) lies outside its physical limits "
                         f"{info.lower_limit} to {info.upper_limit}",
                         "change the values its formula uses, or the limits if they are wrong")
            if info.distribution is not None:  # its own check covers it
                continue
            low, high = info.minimum, info.maximum
            tolerance = 1e-9 * max(1.0, abs(value))
            if (low is not None and value < low - tolerance) or (high is not None and value > high + tolerance):
                shown = f"{low:g} to {high:g}" if low is not None and high is not None else \
                    (f"at least {low:g}" if low is not None else f"at most {high:g}")
                what = f" (source: {brief_text(info.source)})" if info.source else ""
                self.add(spec.key, f"parameter {spec.name} = {value:g} is outside its allowed range {shown}{what}",
                         "change the value (or the values its formula uses) to lie in the range")
        return values

    def _agrees(self, place: CellRef, what: str, cell, amount: float | None, value: float, source: str):
        """``value`` when the amount cell holds it (within rounding), else None and a problem at ``place``."""
        if amount is not None and math.isclose(amount, value, rel_tol=_REL_TOLERANCE, abs_tol=_ABS_TOLERANCE):
            return value
        self.stale.append((place, value))
        fix = (f"to keep the formula, type its value {value:.10g} in the amount cell; to use another number, "
               "edit the formula (or the parameters it uses), or clear the formula and type the number")
        if amount is None:
            shown = "empty" if cell in (None, "") else f"{brief(cell)}, not a number"
            self.add(place, f"{what} is {shown}, but {source} gives {value:.10g}", fix)
        else:
            self.add(place, f"{what} is {amount:.10g}, but {source} gives {value:.10g}: the amount cell and the "
                     "formula disagree", fix)
        return None


def uncertainty_cell(value):
    """A cell of an uncertainty column: numbers as floats, names (e.g. 'triangular') kept as text."""
    number = cell_number(value)
    if number is not None:
        return number
    return cell_text(value) or None


def parameter_values(specs, meta, symbols) -> tuple[ParameterValue, ...]:
    return tuple(
        ParameterValue(spec.name, symbols.get(spec.name), spec.formula, meta[spec.name].unit,
                       meta[spec.name].source, meta[spec.name].minimum, meta[spec.name].maximum,
                       meta[spec.name].distribution, meta[spec.name].lower_limit, meta[spec.name].upper_limit,
                       meta[spec.name].labels)
        for spec in specs if spec.name in meta
    )
