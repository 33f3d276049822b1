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

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .distributions import Distribution
from .errors import ParameterError
from .model import ParameterValue
from .parameters import FormulaError, compile_formula, evaluate
from .rules import brief, evaluated_amount_problem

__all__ = ["Parameter", "FormulaExchange", "UncertainExchange", "ParametricModel", "Evaluation", "FILE_NAME",
           "build_model", "save_model", "load_model"]

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


@dataclass(frozen=True)
class UncertainExchange(_ExchangeFacts):
    """An exchange with a distribution of its own (from the workbook's uncertainty columns)."""

    exchange_id: int = 0
    output: int = 0
    input: int = 0
    type: str = ""
    distribution: Distribution | None = None  # of the amount as written (sign included)


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
        import difflib

        close = difflib.get_close_matches(name, list(self._by_name) + list(self.by_id), n=3) if len(name) < 100 else []
        hint = f" Did you mean {', '.join(close)}?" if close else ""
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


def _show(value) -> str:
    return f"{value:,.6g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else brief(value)


def _range_text(low, high) -> str:
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def _allowed(p: Parameter) -> list:
    """The rules a value that replaces ``p``'s obeys: (test, rule as text) pairs, empty when any finite number goes.

    An exact parameter's minimum/maximum is its allowed range. A set value fixes the parameter
    for the run, so its distribution no longer describes it: the bounds of a uniform or
    triangular distribution are the uncertainty of the workbook's value (a 2030 grid factor lies
    outside the FY2022 range by design), not a physical limit. What a distribution does say about
    the quantity itself still holds: a lognormal quantity keeps the sign of its amount and is
    never zero, and a truncated normal or lognormal stays within its truncation. Physically
    impossible values are caught where they show: the amount rules (lca.rules) on every
    re-evaluated exchange and the allowed ranges of calculated parameters.
    """
    d = p.distribution
    if d is None:
        low, high = p.minimum, p.maximum
    elif d.kind in ("normal", "lognormal"):
        low, high = d.minimum, d.maximum
    else:
        low, high = None, None
    tests, texts = [], []
    if d is not None and d.kind == "lognormal":
        positive = d.amount > 0
        tests.append((lambda v: v > 0) if positive else (lambda v: v < 0))
        texts.append("above 0" if positive else "below 0")
    if low is not None or high is not None:
        lo, hi = (-math.inf if low is None else low), (math.inf if high is None else high)
        tolerance = 1e-9 * max(1.0, *(abs(x) for x in (lo, hi) if math.isfinite(x)))
        tests.append(lambda v: lo - tolerance <= v <= hi + tolerance)
        texts.append(_range_text(low, high))
    rules = []
    if tests:
        rules.append((lambda v, tests=tuple(tests): all(t(v) for t in tests),
                      f"its allowed range {_range_text(low, high)}" if d is None else
                      f"its distribution ({d.describe()}: values {' and '.join(texts)})"))
    if p.lower_limit is not None or p.upper_limit is not None:
        ll = -math.inf if p.lower_limit is None else p.lower_limit
        ul = math.inf if p.upper_limit is None else p.upper_limit
        rules.append((lambda v: ll <= v <= ul, f"its physical limits ({_range_text(p.lower_limit, p.upper_limit)})"))
    return rules


def _give(rules, p: Parameter) -> str:
    """What to give: the values every rule of ``p`` allows, as one interval where it can be written so."""
    d = p.distribution
    lows, highs = [], []
    if d is None:
        lows.append(p.minimum), highs.append(p.maximum)
    elif d.kind in ("normal", "lognormal"):
        lows.append(d.minimum), highs.append(d.maximum)
    lows.append(p.lower_limit), highs.append(p.upper_limit)
    low = max((x for x in lows if x is not None), default=None)
    high = min((x for x in highs if x is not None), default=None)
    positive = d is not None and d.kind == "lognormal"
    if positive and (low is None or low <= 0) and d.amount > 0:
        return "above 0" + (f" and at most {high:.6g}" if high is not None else "")
    if positive and d.amount < 0 and (high is None or high >= 0):
        return "below 0" + (f" and at least {low:.6g}" if low is not None else "")
    return _range_text(low, high)


def outside_uncertainty(model, changes: dict, origins: dict) -> list[str]:
    """Notes for changed values outside the uniform/triangular range of the workbook value they replace.

    Such a value is allowed (:func:`_allowed`: the range is the uncertainty of today's value, and
    a scenario may lie beyond it), but a reader of the result should see that it does.
    """
    notes = []
    for pid, value in changes.items():
        d = model.by_id[pid].distribution
        if d is None or d.kind not in ("uniform", "triangular") or d.minimum is None or d.maximum is None:
            continue
        if not d.minimum <= value <= d.maximum:
            notes.append(f"{origins.get(pid, '--set')}: {pid} = {_show(value)} lies outside the uncertainty range "
                         f"of its workbook value ({d.describe()}); it is fixed at that value for this run")
    return notes


def exchange_problem(exchange, amount, production=None):
    """The lca.rules problem of an exchange's amount (a float, or an array of draws), or None."""
    return evaluated_amount_problem(kind=exchange.type, amount=amount, role=exchange.role, name=exchange.name,
                                    own_product=exchange.own_product, production=production)


# --- built from the validated inventory, stored as JSON beside the project --------------------


def _parameters_of(scope, values) -> list[Parameter]:
    return [Parameter(scope=scope, name=v.name, amount=float(v.amount), formula=v.formula, unit=v.unit,
                      source=v.source, minimum=v.minimum, maximum=v.maximum, distribution=v.distribution,
                      lower_limit=v.lower_limit, upper_limit=v.upper_limit)
            for v in values]


def _facts_finder(inventory):
    """A function (output key, input key, type, formula) -> the _ExchangeFacts fields of that workbook exchange."""
    activities = inventory.activities
    taken: set[int] = set()

    def facts(output, input_key, kind, formula=None, uncertain=False) -> dict:
        activity = activities.get(tuple(output))
        if activity is None:
            return {}
        made = [e.amount for e in activity.exchanges if e.type == "production"]
        supply = str(activity.meta("supply of") or "").strip()
        provider = activities.get(tuple(input_key))
        for exchange in activity.exchanges:
            if id(exchange) in taken or exchange.input != tuple(input_key) or exchange.type != kind:
                continue
            if (formula is not None and exchange.formula != formula) or (uncertain and not exchange.uncertainty):
                continue
            taken.add(id(exchange))
            return {"role": getattr(exchange, "role", None), "production": float(sum(made)) if made else None,
                    "name": getattr(exchange, "name", "") or (provider.name if provider else ""),
                    "activity": activity.name, "where": str(exchange.where),
                    "supply_of": supply if supply and provider is not None
                    and str(provider.meta("comparison") or "").strip() == supply else ""}
        return {"activity": activity.name, "production": float(sum(made)) if made else None}

    return facts


def build_model(inventory, node_ids: dict, formula_exchanges: list[tuple[int, tuple, tuple, str, str, float]],
                uncertain_exchanges: list[tuple[int, tuple, tuple, str, Distribution]] = ()):
    """The model of a validated inventory; ``formula_exchanges`` are (exchange id, output key,
    input key, type, formula, amount) as written to Brightway, ``uncertain_exchanges`` (exchange
    id, output key, input key, type, distribution), and ``node_ids`` maps keys to node ids. Each
    exchange keeps what the amount rules need (role, production amount) and where it was written."""
    parameters = _parameters_of((), inventory.project_parameters)
    scoped_activities = set()
    for database in inventory.databases:
        parameters += _parameters_of((database.name,), database.parameters)
        for activity in database.activities:
            if activity.parameters:
                scoped_activities.add(activity.key)
                parameters += _parameters_of(activity.key, activity.parameters)
    facts = _facts_finder(inventory)
    exchanges = tuple(
        FormulaExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key], type=kind,
                        formula=formula, amount=float(amount),
                        scope=tuple(output) if output in scoped_activities else (output[0],),
                        **facts(output, input_key, kind, formula=formula))
        for exc_id, output, input_key, kind, formula, amount in formula_exchanges
    )
    facts = _facts_finder(inventory)
    uncertain = tuple(UncertainExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key],
                                        type=kind, distribution=distribution,
                                        **facts(output, input_key, kind, uncertain=True))
                      for exc_id, output, input_key, kind, distribution in uncertain_exchanges)
    return ParametricModel(tuple(parameters), exchanges, uncertain, _named_in_metadata(inventory))


def _named_in_metadata(inventory) -> frozenset:
    """Ids of the database parameters whose name is the whole value of an activity metadata row."""
    named = set()
    for database in inventory.databases:
        names = {p.name for p in database.parameters}
        for activity in database.activities:
            for _, value in activity.metadata:
                if isinstance(value, str) and value.strip() in names:
                    named.add(f"{database.name}.{value.strip()}")
    return frozenset(named)


def _distribution_dict(d: Distribution | None):
    if d is None:
        return None
    return {"kind": d.kind, "amount": d.amount, "loc": d.loc, "scale": d.scale, "minimum": d.minimum,
            "maximum": d.maximum}


def save_model(model: ParametricModel, path: Path) -> None:
    def parameter(p: Parameter) -> dict:
        return {"scope": list(p.scope), "name": p.name, "amount": p.amount, "formula": p.formula, "unit": p.unit,
                "source": p.source, "minimum": p.minimum, "maximum": p.maximum,
                "lower_limit": p.lower_limit, "upper_limit": p.upper_limit,
                "distribution": _distribution_dict(p.distribution)}

    def facts(e) -> dict:
        return {"role": e.role, "production": e.production, "name": e.name, "activity": e.activity,
                "where": e.where, "supply_of": e.supply_of}

    data = {"parameters": [parameter(p) for p in model.parameters],
            "exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input, "type": e.type,
                           "formula": e.formula, "amount": e.amount, "scope": list(e.scope), **facts(e)}
                          for e in model.exchanges],
            "uncertain_exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input,
                                     "type": e.type, "distribution": _distribution_dict(e.distribution),
                                     **facts(e)}
                                    for e in model.uncertain_exchanges],
            "read_by_name": sorted(model.read_by_name)}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1))
    temporary.replace(path)


def load_model(path: Path) -> ParametricModel:
    data = json.loads(Path(path).read_text())
    parameters = tuple(
        Parameter(scope=tuple(p["scope"]), name=p["name"], amount=p["amount"], formula=p["formula"],
                  unit=p["unit"], source=p["source"], minimum=p["minimum"], maximum=p["maximum"],
                  lower_limit=p.get("lower_limit"), upper_limit=p.get("upper_limit"),
                  distribution=None if p["distribution"] is None else Distribution(**p["distribution"]))
        for p in data["parameters"])
    exchanges = tuple(FormulaExchange(**dict(e, scope=tuple(e["scope"]))) for e in data["exchanges"])
    uncertain = tuple(UncertainExchange(**dict(e, distribution=Distribution(**e["distribution"])))
                      for e in data.get("uncertain_exchanges", ()))
    return ParametricModel(parameters, exchanges, uncertain, frozenset(data.get("read_by_name", ())))
