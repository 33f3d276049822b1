"""Brightway (Python-syntax) formulas rewritten in openLCA's formula language, exactly or not at all.

The workbooks' formulas are the whitelisted arithmetic of :mod:`lca.inventory.formulas`. openLCA's
interpreter (openLCA 2 manual, "Constants, operators and functions for formulas in openLCA";
olca-modules ``olca-formula`` FormulaParser.jj and FunctionFactory.java) differs in ways that change
a value if the text is copied:

=================  ==================  ==============================================================
Brightway          openLCA             rule here
=================  ==================  ==============================================================
``a ** b``         ``a ^ b``           written with both operands bracketed unless they are a name, a
                                       number or a call: openLCA's unary minus binds tighter than
                                       ``^`` (``-2^2`` is 4 there, ``-2**2`` is -4 in Python)
``log(x)``         ``ln(x)``           natural logarithm
``log10(x)``       ``log(x)``          base-10 logarithm
``min(a, b)``      ``min(a; b)``       arguments separated by ``;`` (also ``max``)
``abs sqrt exp``   same names
``a % b``          (none)              refused: openLCA's ``mod`` is Java's remainder (sign of the
                                       dividend), Python's ``%`` takes the sign of the divisor
=================  ==================  ==============================================================

The expression is rebuilt from its syntax tree, so grouping is kept exactly: the right operand of
``-`` or ``/`` (and of ``+`` or ``*``, since floating-point sums depend on their order) is bracketed
when it is itself a sum or product. Numbers are written as Python's shortest round-trip text of the
float the tool computes with. Names must suit openLCA (ASCII letter first, then letters, digits,
underscores; at most 255 characters; not a keyword or constant of its interpreter), and a formula
longer than 255 characters after translation is refused (the manual's limit).
"""

from __future__ import annotations

import ast
import re

from lca.inventory.formulas import FormulaError, compile_formula

__all__ = ["OlcaFormulaError", "translate", "check_name", "MAX_TEXT"]

MAX_TEXT = 255  # openLCA 2 manual, parameter rules: names and formulas of at most 255 characters
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
# tokens and constants of openLCA's interpreter that a parameter name would collide with
_RESERVED = frozenset({"mod", "div", "xor", "pi", "e", "true", "false"})
_FUNCTIONS = {"abs": "abs", "min": "min", "max": "max", "sqrt": "sqrt", "exp": "exp", "log": "ln", "log10": "log"}
_BINARY = {ast.Add: ("+", 1), ast.Sub: ("-", 1), ast.Mult: ("*", 2), ast.Div: ("/", 2)}


class OlcaFormulaError(ValueError):
    """A formula or name with no exact openLCA equivalent; the message says what is not supported."""


def check_name(name: str) -> str:
    """``name`` if openLCA accepts it as a parameter name, else OlcaFormulaError saying why."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise OlcaFormulaError(f"the name {name!r} is not an openLCA parameter name (an ASCII letter, then letters, "
                               "digits or underscores)")
    if len(name) > MAX_TEXT:
        raise OlcaFormulaError(f"the name {name[:40]!r}... has {len(name)} characters, more than openLCA's {MAX_TEXT}")
    if name.lower() in _RESERVED:
        raise OlcaFormulaError(f"the name {name!r} is a keyword or constant of openLCA's formula interpreter "
                               f"({', '.join(sorted(_RESERVED))})")
    return name


def translate(text: str, rename: dict[str, str] | None = None) -> str:
    """The openLCA formula of the workbook formula ``text``, with names mapped through ``rename``.

    Raises OlcaFormulaError naming what has no exact openLCA equivalent.
    """
    try:
        compile_formula(text)  # the workbook's whitelist first: what passes is numbers, names, + - * / ** % and calls
    except FormulaError as exc:
        raise OlcaFormulaError(str(exc)) from None
    tree = ast.parse(text.strip(), mode="eval").body
    result = _Writer(rename or {}).write(tree)
    if len(result) > MAX_TEXT:
        raise OlcaFormulaError(f"it is {len(result)} characters long in openLCA's syntax, more than the {MAX_TEXT} "
                               "openLCA accepts; split it with a dependent parameter")
    return result


class _Writer:
    def __init__(self, rename: dict[str, str]):
        self.rename = rename

    def write(self, node) -> str:
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            return check_name(self.rename.get(node.id, node.id))
        if isinstance(node, ast.Call):
            name = node.func.id
            if name not in _FUNCTIONS:
                raise OlcaFormulaError(f"the function {name}() has no openLCA equivalent")
            return f"{_FUNCTIONS[name]}({'; '.join(self.write(a) for a in node.args)})"
        if isinstance(node, ast.UnaryOp):
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            return sign + self.atom(node.operand)  # openLCA: a sign applies to one element only
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mod):
                raise OlcaFormulaError("the operator % has no exact openLCA equivalent (openLCA's 'mod' keeps the "
                                       "sign of the dividend, Python's % that of the divisor)")
            if isinstance(node.op, ast.Pow):
                return f"{self.atom(node.left)}^{self.atom(node.right)}"
            symbol, level = _BINARY[type(node.op)]
            left = self.operand(node.left, level, right=False)
            right = self.operand(node.right, level, right=True)
            return f"{left} {symbol} {right}"
        raise OlcaFormulaError(f"{type(node).__name__} is not supported")  # compile_formula lets nothing else through

    def atom(self, node) -> str:
        """A name, a number, a call, or anything else in brackets."""
        text = self.write(node)
        simple = isinstance(node, (ast.Name, ast.Call)) or (isinstance(node, ast.Constant) and node.value >= 0)
        return text if simple else f"({text})"

    def operand(self, node, level: int, *, right: bool) -> str:
        text = self.write(node)
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Pow):
            inner = _BINARY[type(node.op)][1] if type(node.op) in _BINARY else 0
            if inner < level or (right and inner == level):
                return f"({text})"
        if isinstance(node, ast.UnaryOp):
            return f"({text})"  # '2 * -a' is not valid openLCA syntax
        return text


def _number(value) -> str:
    number = float(value)  # the tool computes in floats (lca.inventory.formulas)
    text = repr(number)
    if "inf" in text or "nan" in text:
        raise OlcaFormulaError(f"the number {value!r} is not finite")
    return text[:-2] if text.endswith(".0") else text
