"""The parametric model: named parameters, their formulas and distributions, and the exchanges
whose amounts follow from them.

It is written beside the Brightway project when the workbooks are imported (the same validated
inventory, the same fingerprint), and read back for every run that changes a parameter: ``--set``,
``--scenario``, Monte Carlo and sensitivity. Changing a parameter therefore always goes through
:meth:`ParametricModel.evaluate`, which re-evaluates every formula that depends on it and returns
the new amount of every parameterised exchange; nothing relies on Brightway's stored amounts
being recalculated (the classic trap of a parameter changed but not propagated).

Scopes nest as in the workbooks: project parameters, then a database's parameters, then an
activity's own. A parameter's id is its name qualified by its scope (``cfp_copper.ore_grade``);
the bare name is accepted wherever it is unique.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lca.distributions import Distribution
from lca.errors import ParameterError
from lca.inventory.allowed import allowed_rules as _allowed
from lca.inventory.allowed import range_text as _range_text
from lca.inventory.allowed import show_value as _show
from lca.inventory.allowed import what_to_give as _give
from lca.inventory.formulas import FormulaError, compile_formula, evaluate
from lca.inventory.model import ParameterValue
from lca.rules import brief, did_you_mean, evaluated_amount_problem

__all__ = ["Parameter", "FormulaExchange", "UncertainExchange", "ParametricModel", "Evaluation", "FILE_NAME",
           "exchange_problem"]

FILE_NAME = "lca-cfp-parametric.json"


@dataclass(frozen=True)
class Parameter(ParameterValue):
    """A parameter as read from the workbooks (lca.model.ParameterValue) and where it is defined."""

    scope: tuple[str, ...] = ()  # () project, (database,), or (database, activity code)

    @property
    def id(self) -> str:
        return ".".join(self.scope + (self.name,))

    @property
    def database(self) -> str:
        return self.scope[0] if self.scope else ""

    def range_text(self) -> str:
        """The distribution, or the allowed range, and the physical limits, as a short text."""
        limits = "" if self.lower_limit is None and self.upper_limit is None else \
            f"limits {_range_text(self.lower_limit, self.upper_limit)}"
        if self.distribution is not None:
            text = self.distribution.describe()
        elif self.minimum is None and self.maximum is None:
            text = ""
        else:
            low = "" if self.minimum is None else f"{self.minimum:.4g}"
            high = "" if self.maximum is None else f"{self.maximum:.4g}"
            text = f"allowed {low} to {high}"
        return "; ".join(t for t in (text, limits) if t)


@dataclass(frozen=True)
class _ExchangeFacts:
    """What the amount rules (lca.rules.amount_problem) and the messages need to know of an exchange."""

    role: str | None = None  # 'credit' or 'waste' (the workbook's role column), else None
    production: float | None = None  # the activity's production amount as written
    name: str = ""  # the exchange's name as written
    activity: str = ""  # the name of the activity it belongs to
    where: str = ""  # file, sheet and row of the exchange
    supply_of: str = ""  # a supply mix's input of a route of this comparison: every result sets its share

    @property
    def own_product(self) -> bool:
        return self.type == "technosphere" and self.input == self.output

    def label(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return f"exchange {self.name or self.type!r} of activity {self.activity!r}{place}"


@dataclass(frozen=True)
class FormulaExchange(_ExchangeFacts):
    exchange_id: int = 0  # Brightway ExchangeDataset id
    output: int = 0  # node ids
    input: int = 0
    type: str = ""
    formula: str = ""
    amount: float = 0.0  # as evaluated on import
    scope: tuple[str, ...] = ()
    part: int | None = None  # its index in the parts of a merged Brightway exchange (lca.brightway.exchange_parts)


@dataclass(frozen=True)
class UncertainExchange(_ExchangeFacts):
    """An exchange with a distribution of its own (from the workbook's uncertainty columns)."""

    exchange_id: int = 0
    output: int = 0
    input: int = 0
    type: str = ""
    distribution: Distribution | None = None  # of the amount as written (sign included)
    part: int | None = None  # as FormulaExchange.part


@dataclass(frozen=True)
class Evaluation:
    """Parameter values and exchange amounts for one set of changes (scalars, or arrays of draws)."""

    values: dict  # parameter id -> float or array
    amounts: tuple  # per FormulaExchange, float or array


def _symbols_of(formula: str) -> frozenset:
    """Names a formula uses (lca.parameters parses each formula once)."""
    try:
        return compile_formula(formula).names
    except FormulaError as exc:
        raise ParameterError(f"{exc}. Fix the formula in the workbook.") from None


class ParametricModel:
    def __init__(self, parameters: tuple[Parameter, ...], exchanges: tuple[FormulaExchange, ...],
                 uncertain_exchanges: tuple[UncertainExchange, ...] = (), read_by_name: frozenset = frozenset()):
        self.parameters = parameters
        self.exchanges = exchanges
        self.uncertain_exchanges = uncertain_exchanges
        # ids of parameters that an activity's metadata row names (e.g. a closed loop's other source):
        # the tool reads them by name, so a result depends on them without an exchange formula
        self.read_by_name = frozenset(read_by_name)
        self.by_id = {p.id: p for p in parameters}
        self._by_name: dict[str, list[Parameter]] = {}
        for p in parameters:
            self._by_name.setdefault(p.name, []).append(p)
        self._plan = None

    # --- naming -------------------------------------------------------------------------

    def find(self, name: str, *, origin: str = "--set") -> Parameter:
        """The parameter called ``name`` (id, or a bare name that is unique)."""
        if name in self.by_id:
            return self.by_id[name]
        matches = self._by_name.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(p.id for p in matches)
            raise ParameterError(f"{origin}: parameter {brief(name)} exists in several workbooks ({ids}); "
                                 "qualify it with its database, e.g. " + matches[0].id)
        hint = did_you_mean(name, list(self._by_name) + list(self.by_id))
        raise ParameterError(f"{origin}: no parameter {brief(name)} in the inventories.{hint} "
                             "`lca params` lists them.")

    @property
    def uncertain(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.distribution is not None)

    def _resolve(self, name: str, scope: tuple) -> Parameter | None:
        """The parameter that ``name`` means in ``scope`` (innermost scope first)."""
        for depth in range(len(scope), -1, -1):
            found = self.by_id.get(".".join(scope[:depth] + (name,)))
            if found is not None:
                return found
        return None

    def used_by(self, exchange_indices) -> set[str]:
        """Ids of the parameters that the formulas of these exchanges depend on, directly or through
        other parameters' formulas."""
        return self._used_by_formulas([(self.exchanges[i].formula, self.exchanges[i].scope) for i in exchange_indices])

    def _used_by_formulas(self, pending: list[tuple[str, tuple]]) -> set[str]:
        used: set[str] = set()
        pending = list(pending)
        while pending:
            formula, scope = pending.pop()
            for name in _symbols_of(formula):
                parameter = self._resolve(name, scope)
                if parameter is not None and parameter.id not in used:
                    used.add(parameter.id)
                    if parameter.formula:
                        pending.append((parameter.formula, parameter.scope))
        return used

    def without_effect(self, live_names=()) -> dict[str, str]:
        """Parameters that no result depends on, by id, each with the reason.

        A result depends on a parameter when an exchange formula uses it (directly or through other
        parameters' formulas), except the shares of a supply mix's routes: every result sets those
        itself (the blends of `lca compare`, the route choice of products). ``live_names`` are
        parameters the tool reads by name (the recycling-allocation parameters).
        """
        live = [i for i, e in enumerate(self.exchanges) if not e.supply_of]
        used = self.used_by(live)
        shares = {}
        for i, e in enumerate(self.exchanges):
            if e.supply_of:
                for pid in self.used_by([i]) - used:
                    shares.setdefault(pid, e.supply_of)
        out = {}
        for p in self.parameters:
            if p.id in used or p.name in live_names or p.id in self.read_by_name:
                continue
            if p.id in shares:
                out[p.id] = f"supply:{shares[p.id]}"
            elif p.formula:
                out[p.id] = "calculated"
            else:
                out[p.id] = "unused"
        return out

    # --- evaluation ---------------------------------------------------------------------

    def _order(self):
        """Scopes outer to inner, and each scope's parameters in dependency order (computed once)."""
        if self._plan is not None:
            return self._plan
        scopes: dict[tuple, list[Parameter]] = {}
        for p in self.parameters:
            scopes.setdefault(p.scope, []).append(p)
        plan = []
        for scope in sorted(scopes, key=len):
            members = scopes[scope]
            names = {p.name for p in members}
            needs = {p.name: (_symbols_of(p.formula) & names) - {p.name} if p.formula else set()
                     for p in members}
            ordered, done = [], set()
            while len(ordered) < len(members):
                ready = [p for p in members if p.name not in done and needs[p.name] <= done]
                if not ready:  # the import check rejects cycles; keep the rest in written order
                    ready = [p for p in members if p.name not in done]
                for p in ready:
                    ordered.append(p)
                    done.add(p.name)
            plan.append((scope, ordered))
        self._plan = plan
        return plan

    def evaluate(self, changes: dict[str, float] | None = None, draws: dict[str, np.ndarray] | None = None,
                 *, origin: str = "--set", origins: dict[str, str] | None = None) -> Evaluation:
        """Values of all parameters and amounts of all parameterised exchanges.

        ``changes`` (parameter id -> value) fix parameters, replacing their formula or
        distribution; ``draws`` (parameter id -> array) give sampled values; ``origins``
        (parameter id -> where its change came from, e.g. a scenario file and line) name the
        change in errors (else ``origin``). Every change obeys the rules of the workbook value
        it replaces (:meth:`check_changes`), every calculated parameter stays in its allowed
        range, and every re-evaluated exchange amount obeys lca.rules; a ParameterError says
        which parameter, value, rule and exchange, and what to change.
        """
        changes = dict(changes or {})
        draws = draws or {}
        origins = {pid: (origins or {}).get(pid, origin) for pid in changes}
        self.check_changes(changes, origins)
        size = max((len(v) for v in draws.values()), default=None)
        values: dict[str, object] = {}
        symbols_by_scope: dict[tuple, dict] = {}
        for scope, members in self._order():
            parent = symbols_by_scope.get(scope[:-1], {}) if scope else {}
            symbols = dict(parent)
            for p in members:
                if p.id in changes:
                    value = float(changes[p.id])
                elif p.id in draws:
                    value = np.asarray(draws[p.id], dtype=float)
                elif p.formula:
                    value = self._formula_value(p.formula, symbols, f"parameter {p.id}", changes, origins, p.scope)
                else:
                    value = p.amount
                symbols[p.name] = value
                values[p.id] = value
            symbols_by_scope[scope] = symbols
        self._check_ranges(values, changes, origins)
        amounts = []
        for exchange in self.exchanges:
            scope = exchange.scope if exchange.scope in symbols_by_scope else exchange.scope[:1]
            amount = self._formula_value(exchange.formula, symbols_by_scope.get(scope, {}),
                                         f"the formula of {exchange.label()}", changes, origins, scope)
            if size is not None and np.ndim(amount) == 0:
                amount = float(amount)
            amounts.append(amount)
        self._check_amounts(amounts, changes, origins, draws)
        return Evaluation(values=values, amounts=tuple(amounts))

    # --- the rules a change obeys ---------------------------------------------------------

    def check_changes(self, changes: dict, origins: dict) -> None:
        """Each changed parameter: a finite number, not a calculated one, within the range or the
        distribution's support that its workbook value obeys (lca.inventory_parameters, lca.distributions)."""
        for pid, value in changes.items():
            p = self.by_id[pid]
            told = f"{origins.get(pid, '--set')}: {pid} = {_show(value)}"
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise ParameterError(f"{told} is not a finite number. Give a plain number in its unit "
                                     f"({p.unit or 'see `lca params`'}).")
            if p.formula:
                uses = ", ".join(sorted(_symbols_of(p.formula))) or "none"
                raise ParameterError(f"{told}: {pid} is calculated in the workbook (= {p.formula}), so a value set "
                                     f"for it would contradict the parameters its formula uses. Set those instead "
                                     f"({uses}).")
            rules = _allowed(p)
            broken = [text for test, text in rules if not test(value)]
            if broken:
                raise ParameterError(f"{told} is outside {' and '.join(broken)}, the "
                                     f"rule{'s' if len(broken) > 1 else ''} its workbook value obeys. Give a value "
                                     f"{_give(rules, p)} (`lca params` lists each parameter's range and limits; they "
                                     "are declared in the workbook's parameter table).")

    def _cause(self, indices_or_formula, changes: dict, origins: dict, scope=()) -> str:
        """'--set a = 1, scenario x.yaml, line 3: b = 2' for the changes a formula depends on."""
        if isinstance(indices_or_formula, str):
            used = self._used_by_formulas([(indices_or_formula, scope)])
        else:
            used = self.used_by(indices_or_formula)
        named = [f"{origins.get(pid, '--set')}: {pid} = {_show(changes[pid])}" for pid in changes if pid in used]
        return "; ".join(named) if named else "with the parameter values of the workbooks"

    def _formula_value(self, formula: str, symbols: dict, what: str, changes: dict, origins: dict, scope):
        try:
            return evaluate(compile_formula(formula), symbols)
        except FormulaError as exc:
            cause = self._cause(formula, changes, origins, scope)
            raise ParameterError(f"{cause}: {what}: {exc}. Change the value(s) so that the formula gives a finite "
                                 "number.") from None

    def _check_ranges(self, values: dict, changes: dict, origins: dict) -> None:
        """Calculated parameters stay in their allowed range (e.g. a composition that must sum to 1)."""
        for p in self.parameters:
            if p.id in changes or p.distribution is not None or (p.minimum is None and p.maximum is None):
                continue  # changes are checked by check_changes; draws stay in their distribution's support
            value = np.asarray(values[p.id], dtype=float)
            low = -math.inf if p.minimum is None else p.minimum
            high = math.inf if p.maximum is None else p.maximum
            tolerance = 1e-9 * max(1.0, abs(low) if math.isfinite(low) else 1.0, abs(high) if math.isfinite(high)
                                   else 1.0)
            outside = (value < low - tolerance) | (value > high + tolerance)
            if not outside.any():
                continue
            shown = _range_text(p.minimum, p.maximum)
            if value.ndim == 0:
                cause = self._cause(p.formula, changes, origins, p.scope) if p.formula else \
                    f"{origins.get(p.id, '--set')}: {p.id} = {_show(float(value))}"
                formula = f" (its formula {p.formula} gives that)" if p.formula else ""
                raise ParameterError(f"{cause}: parameter {p.id} = {_show(float(value))} is outside its allowed range "
                                     f"{shown}{formula}. Change the value(s) so that it lies in the range.")
            raise ParameterError(
                f"Parameter {p.id} ({p.formula}) leaves its allowed range {shown} in {outside.mean():.1%} of the "
                "draws. Narrow the distributions of the parameters it uses, or fix them with --set.")

    def _check_amounts(self, amounts: list, changes: dict, origins: dict, draws: dict) -> None:
        """Every re-evaluated exchange amount obeys the workbook's amount rules (lca.rules)."""
        if not changes and not draws:
            return  # the workbook values: checked when the workbooks were read
        production = {e.output: amount for e, amount in zip(self.exchanges, amounts, strict=True)
                      if e.type == "production"}
        for index, (exchange, amount) in enumerate(zip(self.exchanges, amounts, strict=True)):
            made = production.get(exchange.output, exchange.production)
            problem = exchange_problem(exchange, amount, made)
            if problem is None:
                continue
            if np.ndim(amount) == 0 and np.ndim(made) == 0:
                changed = ", ".join(sorted(p for p in self.used_by([index]) if p in changes)) or "the values"
                raise ParameterError(f"{self._cause([index], changes, origins)}: {problem.message}; it is the formula "
                                     f"{exchange.formula} of {exchange.label()}. Change {changed} so that this "
                                     "amount is possible, as the workbook requires of its own value.")
            drawn = sorted(p for p in self.used_by([index]) if p in draws)
            raise ParameterError(
                f"In the Monte Carlo draws: {problem.message}; it is the formula {exchange.formula} of "
                f"{exchange.label()}, with the drawn parameters {', '.join(drawn) or 'none'}. Bound their "
                "distributions in the workbook (minimum/maximum) so that every draw gives a possible amount, or "
                "fix them with --set.")


def exchange_problem(exchange, amount, production=None):
    """The lca.rules problem of an exchange's amount (a float, or an array of draws), or None."""
    return evaluated_amount_problem(kind=exchange.type, amount=amount, role=exchange.role, name=exchange.name,
                                    own_product=exchange.own_product, production=production)
