"""Parameter formulas: parsed against a whitelist, evaluated with float arithmetic, bounded in work.

A formula (a parameter's ``formula`` cell or an exchange's) is a Python-syntax arithmetic
expression over the parameters in scope. Allowed, and nothing else:

* numbers, parameter names, parentheses;
* ``+ - * / ** %`` and unary ``+ -``;
* calls of the functions in :data:`FUNCTIONS` (``abs``, ``min``, ``max``, ``sqrt``, ``exp``,
  ``log``, ``log10``) with plain arguments.

No strings, attribute access (``a.b``), subscripts, lambdas, comprehensions, comparisons or
keywords. Numbers are floats, so a tower of powers (``9**9**9``) overflows at once to an
error instead of building a huge integer, and a formula of at most :data:`MAX_LENGTH`
characters does a bounded amount of work: evaluating one never runs for long, whoever wrote it.
The same evaluator serves the workbook check (scalars) and the parametric model (scalars, or
numpy arrays of Monte Carlo draws). docs/inventory-data.md lists the rules for workbook authors.

Scopes nest as in bw2data: project parameters, then a workbook's database parameters, then an
activity's own parameters.
"""

from __future__ import annotations

import ast
import functools
import math
from dataclasses import dataclass

import numpy as np

from lca.rules import brief

__all__ = ["FormulaError", "Formula", "FUNCTIONS", "MAX_LENGTH", "ParameterSpec", "compile_formula", "evaluate",
           "evaluate_formula", "evaluate_parameters"]

MAX_LENGTH = 2000  # characters; the longest shipped formula has about 100
_MAX_NODES = 400  # syntax-tree nodes


def _min(*args):
    return functools.reduce(np.minimum, args)


def _max(*args):
    return functools.reduce(np.maximum, args)


# name -> (function, smallest and largest number of arguments); numpy, so that arrays of draws work too
FUNCTIONS = {
    "abs": (np.abs, 1, 1),
    "min": (_min, 1, 20),
    "max": (_max, 1, 20),
    "sqrt": (np.sqrt, 1, 1),
    "exp": (np.exp, 1, 1),
    "log": (np.log, 1, 1),  # natural logarithm
    "log10": (np.log10, 1, 1),
}
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.UAdd, ast.USub)
_WHAT = {ast.Attribute: "attribute access ('.')", ast.Subscript: "subscripts ('[...]')",
         ast.Lambda: "lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
         ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension", ast.Compare: "a comparison",
         ast.BoolOp: "'and'/'or'", ast.IfExp: "'if ... else'", ast.NamedExpr: "':='", ast.List: "a list",
         ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set", ast.JoinedStr: "a string",
         ast.Starred: "'*' arguments", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield"}


class FormulaError(ValueError):
    """A formula that is not allowed or does not evaluate to a finite number; the message says why."""


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, the parameter names it uses, and its compiled code."""

    text: str
    names: frozenset
    code: object


def _refuse(text: str, reason: str):
    raise FormulaError(f"formula {brief(text, 40)} {reason} (allowed: numbers, parameters, + - * / ** %, "
                       f"{', '.join(FUNCTIONS)})")


class _Floats(ast.NodeTransformer):
    """Integer literals become floats: float arithmetic overflows to an error instead of growing without bound."""

    def visit_Constant(self, node):
        return ast.copy_location(ast.Constant(float(node.value)), node)


@functools.lru_cache(maxsize=4096)
def compile_formula(text: str) -> Formula:
    """Parse and check ``text`` against the whitelist; FormulaError says what is not allowed."""
    if not isinstance(text, str):
        raise FormulaError(f"formula {brief(text)} is not text")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        _refuse(text, f"is {len(text):,} characters long, more than {MAX_LENGTH:,}")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        _refuse(text, "is not a valid expression")
    nodes = list(ast.walk(tree))
    if len(nodes) > _MAX_NODES:
        _refuse(text, f"has {len(nodes):,} parts, more than {_MAX_NODES}")
    names, called = set(), set()
    for node in nodes:
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                shown = node.func.id if isinstance(node.func, ast.Name) else "an expression"
                _refuse(text, f"calls {shown!r}: not an allowed function")
            _, low, high = FUNCTIONS[node.func.id]
            if node.keywords or not low <= len(node.args) <= high:
                _refuse(text, f"calls {node.func.id} with {len(node.args)} argument(s)"
                        + (" and keywords" if node.keywords else ""))
            called.add(id(node.func))
        elif isinstance(node, ast.Name):
            if node.id.startswith("_"):
                _refuse(text, f"uses the name {node.id!r} (names must not start with '_')")
            if id(node) not in called:
                names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                _refuse(text, f"contains {brief(node.value, 20)}: not a number")
            if isinstance(node.value, int) and abs(node.value) > 1e300:
                _refuse(text, "contains a number too large for a float")
        elif isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Load) + _OPERATORS):
            continue
        else:
            _refuse(text, f"uses {_WHAT.get(type(node), type(node).__name__)}: not allowed")
    code = compile(ast.fix_missing_locations(_Floats().visit(tree)), "<formula>", "eval")
    return Formula(text=text, names=frozenset(names), code=code)


def evaluate(formula: Formula, symbols: dict):
    """Value of a checked formula: a float, or an array when a symbol is an array of draws.

    Raises FormulaError for an unknown name, a division by zero or a result that is not finite.
    """
    unknown = sorted(formula.names - set(symbols))
    if unknown:
        raise FormulaError(f"formula {brief(formula.text)} uses unknown name{'s' if len(unknown) > 1 else ''} "
                           f"{', '.join(unknown)}")
    namespace = {name: function for name, (function, _, _) in FUNCTIONS.items()}
    for name in formula.names:
        value = symbols[name]
        namespace[name] = value if isinstance(value, np.ndarray) else float(value)
    try:
        with np.errstate(all="ignore"):
            value = eval(formula.code, {"__builtins__": {}}, namespace)  # noqa: S307 - whitelisted arithmetic only
            array = np.asarray(value, dtype=float)  # a complex power such as (-8) ** (1/3) fails here
    except ZeroDivisionError:
        raise FormulaError(f"formula {brief(formula.text)} divides by zero") from None
    except OverflowError:
        raise FormulaError(f"formula {brief(formula.text)} gives a number too large for a float") from None
    except TypeError as exc:
        reason = "a fractional power of a negative number" if "complex" in str(exc) else brief(str(exc), 120)
        raise FormulaError(f"formula {brief(formula.text)} does not give a real number ({reason})") from None
    except (ArithmeticError, ValueError) as exc:
        raise FormulaError(f"formula {brief(formula.text)} does not evaluate: {brief(str(exc), 120)}") from None
    if not np.all(np.isfinite(array)):
        raise FormulaError(f"formula {brief(formula.text)} gives a value that is not a finite number (inf or nan); "
                           "check what it divides by, takes the logarithm or square root of")
    return array if array.ndim else float(array)


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter as written: a value, or a formula over other parameters."""

    name: str
    amount: float | None
    formula: str | None
    key: object = None  # opaque handle the caller uses to place problems


def evaluate_formula(formula: str, symbols: dict[str, float], interpreter=None) -> float:
    """Check and evaluate ``formula`` with ``symbols`` (scalars); raise FormulaError with a readable reason."""
    value = evaluate(compile_formula(formula), symbols)
    if isinstance(value, np.ndarray):
        raise FormulaError(f"formula {brief(formula)} does not give a single number")
    if not math.isfinite(value):
        raise FormulaError(f"formula {brief(formula)} gives {value!r}, not a finite number")
    return value


def evaluate_parameters(
    specs: list[ParameterSpec], known: dict[str, float]
) -> tuple[dict[str, float], list[tuple[ParameterSpec, str]]]:
    """Evaluate ``specs`` (in any order) on top of ``known``.

    Returns the values (``known`` plus the new ones) and a list of (spec, reason) for every
    parameter that failed, including those caught in a cycle.
    """
    values = dict(known)
    failures: list[tuple[ParameterSpec, str]] = []
    pending: dict[str, tuple[ParameterSpec, set[str]]] = {}
    for spec in specs:
        if spec.formula:
            try:
                pending[spec.name] = (spec, set(compile_formula(spec.formula).names))
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
                values[name] = evaluate_formula(spec.formula, values)
            except FormulaError as exc:
                failures.append((spec, str(exc)))
    for name, (spec, needs) in pending.items():
        loop = ", ".join(sorted((needs & set(pending)) | {name}))
        failures.append((spec, f"formula {brief(spec.formula)} is part of a circular definition ({loop})"))
    return values, failures
