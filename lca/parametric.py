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
        """The distribution, or the allowed range, as a short text."""
        if self.distribution is not None:
            return self.distribution.describe()
        if self.minimum is None and self.maximum is None:
            return ""
        low = "" if self.minimum is None else f"{self.minimum:.4g}"
        high = "" if self.maximum is None else f"{self.maximum:.4g}"
        return f"allowed {low} to {high}"


@dataclass(frozen=True)
class FormulaExchange:
    exchange_id: int  # Brightway ExchangeDataset id
    output: int  # node ids
    input: int
    type: str
    formula: str
    amount: float  # as evaluated on import
    scope: tuple[str, ...]


@dataclass(frozen=True)
class UncertainExchange:
    """An exchange with a distribution of its own (from the workbook's uncertainty columns)."""

    exchange_id: int
    output: int
    input: int
    type: str
    distribution: Distribution  # of the amount as written (sign included)


@dataclass(frozen=True)
class Evaluation:
    """Parameter values and exchange amounts for one set of changes (scalars, or arrays of draws)."""

    values: dict  # parameter id -> float or array
    amounts: tuple  # per FormulaExchange, float or array


def _interpreter():
    from bw2parameters import Interpreter

    return Interpreter()


_SYMBOLS: dict[str, frozenset] = {}


def _symbols_of(interpreter, formula: str) -> frozenset:
    """Names a formula uses (parsed once per formula: the same formulas are evaluated for every chunk)."""
    if formula not in _SYMBOLS:
        _SYMBOLS[formula] = frozenset(set(interpreter.get_symbols(formula)) - set(interpreter.symtable))
    return _SYMBOLS[formula]


class ParametricModel:
    def __init__(self, parameters: tuple[Parameter, ...], exchanges: tuple[FormulaExchange, ...],
                 uncertain_exchanges: tuple[UncertainExchange, ...] = ()):
        self.parameters = parameters
        self.exchanges = exchanges
        self.uncertain_exchanges = uncertain_exchanges
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
            raise ParameterError(f"{origin}: parameter {name!r} exists in several workbooks ({ids}); "
                                 "qualify it with its database, e.g. " + matches[0].id)
        import difflib

        close = difflib.get_close_matches(name, list(self._by_name) + list(self.by_id), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ParameterError(f"{origin}: no parameter {name!r} in the inventories.{hint} "
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
        interpreter = _interpreter()
        used: set[str] = set()
        pending = [(self.exchanges[i].formula, self.exchanges[i].scope) for i in exchange_indices]
        while pending:
            formula, scope = pending.pop()
            for name in _symbols_of(interpreter, formula):
                parameter = self._resolve(name, scope)
                if parameter is not None and parameter.id not in used:
                    used.add(parameter.id)
                    if parameter.formula:
                        pending.append((parameter.formula, parameter.scope))
        return used

    # --- evaluation ---------------------------------------------------------------------

    def _order(self):
        """Scopes outer to inner, and each scope's parameters in dependency order (computed once)."""
        if self._plan is not None:
            return self._plan
        interpreter = _interpreter()
        scopes: dict[tuple, list[Parameter]] = {}
        for p in self.parameters:
            scopes.setdefault(p.scope, []).append(p)
        plan = []
        for scope in sorted(scopes, key=len):
            members = scopes[scope]
            names = {p.name for p in members}
            needs = {p.name: (_symbols_of(interpreter, p.formula) & names) - {p.name} if p.formula else set()
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
                 *, origin: str = "--set") -> Evaluation:
        """Values of all parameters and amounts of all parameterised exchanges.

        ``changes`` (parameter id -> value) fix parameters, replacing their formula or
        distribution; ``draws`` (parameter id -> array) give sampled values. Calculated parameters
        with an allowed range are checked, and a value outside it is an error naming the change.
        """
        changes = dict(changes or {})
        draws = draws or {}
        interpreter = _interpreter()
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
                    value = draws[p.id]
                elif p.formula:
                    value = _evaluate(interpreter, p.formula, symbols, size, what=f"parameter {p.id}")
                else:
                    value = p.amount
                symbols[p.name] = value
                values[p.id] = value
            symbols_by_scope[scope] = symbols
        self._check_ranges(values, changes, origin)
        amounts = []
        for exchange in self.exchanges:
            scope = exchange.scope if exchange.scope in symbols_by_scope else exchange.scope[:1]
            amounts.append(_evaluate(interpreter, exchange.formula, symbols_by_scope.get(scope, {}), size,
                                     what=f"exchange formula {exchange.formula!r}"))
        return Evaluation(values=values, amounts=tuple(amounts))

    def _check_ranges(self, values: dict, changes: dict, origin: str) -> None:
        for p in self.parameters:
            # with a distribution, minimum/maximum bound the draws, not the values a user may set
            if p.distribution is not None or (p.minimum is None and p.maximum is None):
                continue
            value = np.asarray(values[p.id], dtype=float)
            low = -math.inf if p.minimum is None else p.minimum
            high = math.inf if p.maximum is None else p.maximum
            tolerance = 1e-9 * max(1.0, abs(low) if math.isfinite(low) else 1.0, abs(high) if math.isfinite(high)
                                   else 1.0)
            outside = (value < low - tolerance) | (value > high + tolerance)
            if not outside.any():
                continue
            shown = f"{p.minimum:g} to {p.maximum:g}" if p.minimum is not None and p.maximum is not None else \
                (f"at least {p.minimum:g}" if p.minimum is not None else f"at most {p.maximum:g}")
            if value.ndim == 0:
                cause = "" if p.id in changes else f" (its formula {p.formula} gives {float(value):g})"
                raise ParameterError(f"{origin}: parameter {p.id} = {float(value):g} is outside its allowed range "
                                     f"{shown}{cause}. Change the value(s) so that it lies in the range.")
            raise ParameterError(
                f"Parameter {p.id} ({p.formula}) leaves its allowed range {shown} in {outside.mean():.1%} of the "
                "draws. Narrow the distributions of the parameters it uses, or fix them with --set.")


def _evaluate(interpreter, formula: str, symbols: dict, size: int | None, *, what: str):
    """Evaluate ``formula`` on scalars or arrays; formulas that do not vectorise run draw by draw."""
    names = _symbols_of(interpreter, formula)
    used = {k: v for k, v in symbols.items() if k in names}
    try:
        value = interpreter.eval(formula, known_symbols=dict(used), raise_errors=True)
        interpreter.error = []
        array = np.asarray(value, dtype=float)
        if array.ndim == 0 or (size is not None and array.shape == (size,)):
            return _finite(array if array.ndim else float(array), formula, what)
    except Exception:  # asteval re-raises whatever the expression raised; retry draw by draw below
        interpreter.error = []
        if size is None:
            raise ParameterError(f"{what} does not evaluate with these values") from None
    if size is None:
        raise ParameterError(f"{what} does not give a number")
    out = np.empty(size)
    for i in range(size):
        point = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in used.items()}
        try:
            out[i] = float(interpreter.eval(formula, known_symbols=point, raise_errors=True))
        except Exception as exc:
            raise ParameterError(f"{what} fails in draw {i}: {exc}") from exc
    return _finite(out, formula, what)


def _finite(value, formula: str, what: str):
    if not np.all(np.isfinite(value)):
        raise ParameterError(f"{what} gives a value that is not a finite number (inf or nan); "
                             f"check the values that {formula!r} divides by")
    return value


# --- built from the validated inventory, stored as JSON beside the project --------------------


def _parameters_of(scope, values) -> list[Parameter]:
    return [Parameter(scope=scope, name=v.name, amount=float(v.amount), formula=v.formula, unit=v.unit,
                      source=v.source, minimum=v.minimum, maximum=v.maximum, distribution=v.distribution)
            for v in values]


def build_model(inventory, node_ids: dict, formula_exchanges: list[tuple[int, tuple, tuple, str, str, float]],
                uncertain_exchanges: list[tuple[int, tuple, tuple, str, Distribution]] = ()):
    """The model of a validated inventory; ``formula_exchanges`` are (exchange id, output key,
    input key, type, formula, amount) as written to Brightway, ``uncertain_exchanges`` (exchange
    id, output key, input key, type, distribution), and ``node_ids`` maps keys to node ids."""
    parameters = _parameters_of((), inventory.project_parameters)
    scoped_activities = set()
    for database in inventory.databases:
        parameters += _parameters_of((database.name,), database.parameters)
        for activity in database.activities:
            if activity.parameters:
                scoped_activities.add(activity.key)
                parameters += _parameters_of(activity.key, activity.parameters)
    exchanges = tuple(
        FormulaExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key], type=kind,
                        formula=formula, amount=float(amount),
                        scope=tuple(output) if output in scoped_activities else (output[0],))
        for exc_id, output, input_key, kind, formula, amount in formula_exchanges
    )
    uncertain = tuple(UncertainExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key],
                                        type=kind, distribution=distribution)
                      for exc_id, output, input_key, kind, distribution in uncertain_exchanges)
    return ParametricModel(tuple(parameters), exchanges, uncertain)


def _distribution_dict(d: Distribution | None):
    if d is None:
        return None
    return {"kind": d.kind, "amount": d.amount, "loc": d.loc, "scale": d.scale, "minimum": d.minimum,
            "maximum": d.maximum}


def save_model(model: ParametricModel, path: Path) -> None:
    def parameter(p: Parameter) -> dict:
        return {"scope": list(p.scope), "name": p.name, "amount": p.amount, "formula": p.formula, "unit": p.unit,
                "source": p.source, "minimum": p.minimum, "maximum": p.maximum,
                "distribution": _distribution_dict(p.distribution)}

    data = {"parameters": [parameter(p) for p in model.parameters],
            "exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input, "type": e.type,
                           "formula": e.formula, "amount": e.amount, "scope": list(e.scope)}
                          for e in model.exchanges],
            "uncertain_exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input,
                                     "type": e.type, "distribution": _distribution_dict(e.distribution)}
                                    for e in model.uncertain_exchanges]}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1))
    temporary.replace(path)


def load_model(path: Path) -> ParametricModel:
    data = json.loads(Path(path).read_text())
    parameters = tuple(
        Parameter(scope=tuple(p["scope"]), name=p["name"], amount=p["amount"], formula=p["formula"],
                  unit=p["unit"], source=p["source"], minimum=p["minimum"], maximum=p["maximum"],
                  distribution=None if p["distribution"] is None else Distribution(**p["distribution"]))
        for p in data["parameters"])
    exchanges = tuple(FormulaExchange(**dict(e, scope=tuple(e["scope"]))) for e in data["exchanges"])
    uncertain = tuple(UncertainExchange(**dict(e, distribution=Distribution(**e["distribution"])))
                      for e in data.get("uncertain_exchanges", ()))
    return ParametricModel(parameters, exchanges, uncertain)
