"""Evaluate Brightway parameter formulas, with the interpreter Brightway itself uses.

Formulas follow bw2parameters (asteval, Python syntax). Scopes nest as in bw2data: project
parameters, then a workbook's database parameters, then an activity's own parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["FormulaError", "ParameterSpec", "evaluate_formula", "evaluate_parameters"]


class FormulaError(ValueError):
    """A formula that does not evaluate to a finite number; the message says why."""


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter as written: a value, or a formula over other parameters."""

    name: str
    amount: float | None
    formula: str | None
    key: object = None  # opaque handle the caller uses to place problems


def _interpreter():
    from bw2parameters import Interpreter

    return Interpreter()


def _symbols(interpreter, formula: str) -> set[str]:
    from bw2parameters.errors import MissingName

    try:
        return set(interpreter.get_symbols(formula)) - set(interpreter.symtable)
    except MissingName as exc:
        raise FormulaError(f"formula {formula!r} is not valid Python syntax") from exc


def evaluate_formula(formula: str, symbols: dict[str, float], interpreter=None) -> float:
    """Evaluate ``formula`` with ``symbols``; raise FormulaError with a readable reason."""
    interpreter = interpreter or _interpreter()
    unknown = sorted(_symbols(interpreter, formula) - set(symbols))
    if unknown:
        raise FormulaError(
            f"formula {formula!r} uses unknown name{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}"
        )
    interpreter.error = []
    try:
        value = interpreter.eval(formula, known_symbols=dict(symbols), raise_errors=True)
    except ZeroDivisionError as exc:
        raise FormulaError(f"formula {formula!r} divides by zero") from exc
    except Exception as exc:  # asteval re-raises whatever the expression raised
        raise FormulaError(f"formula {formula!r} does not evaluate: {exc}") from exc
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FormulaError(f"formula {formula!r} gives {value!r}, not a finite number")
    return float(value)


def evaluate_parameters(
    specs: list[ParameterSpec], known: dict[str, float]
) -> tuple[dict[str, float], list[tuple[ParameterSpec, str]]]:
    """Evaluate ``specs`` (in any order) on top of ``known``.

    Returns the values (``known`` plus the new ones) and a list of (spec, reason) for every
    parameter that failed, including those caught in a cycle.
    """
    interpreter = _interpreter()
    values = dict(known)
    failures: list[tuple[ParameterSpec, str]] = []
    pending: dict[str, tuple[ParameterSpec, set[str]]] = {}
    for spec in specs:
        if spec.formula:
            try:
                pending[spec.name] = (spec, _symbols(interpreter, spec.formula))
            except FormulaError as exc:
                failures.append((spec, str(exc)))
        elif spec.amount is not None:
            values[spec.name] = float(spec.amount)
    progress = True
    while pending and progress:
        progress = False
        for name, (spec, needs) in list(pending.items()):
            if needs & set(pending) - {name}:
                continue
            del pending[name]
            progress = True
            try:
                values[name] = evaluate_formula(spec.formula, values, interpreter)
            except FormulaError as exc:
                failures.append((spec, str(exc)))
    for name, (spec, needs) in pending.items():
        loop = ", ".join(sorted((needs & set(pending)) | {name}))
        failures.append((spec, f"formula {spec.formula!r} is part of a circular definition ({loop})"))
    return values, failures
