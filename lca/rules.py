"""The physical rules every exchange amount obeys, in a workbook and after any parameter change.

One function decides whether an amount is possible, so that ``lca inventory check``, the
import, ``--set``, scenarios and Monte Carlo draws all apply the same rules:

* every amount is a finite number of at most :data:`MAX_AMOUNT` in magnitude (per unit of the
  activity's reference flow; larger values overflow the float32 matrices bw2calc solves);
* inputs (``technosphere``) and emissions (``biosphere``) are consumptions: they are >= 0
  unless the exchange is marked with a role in the ``role`` column: ``credit`` (an avoided
  product or an uptake, entered negative) or ``waste`` (a waste flow sent to treatment, entered
  negative as in ecoinvent's convention);
* ``substitution`` exchanges are Brightway's own credits: entered positive, subtracted by
  bw2calc;
* the production exchange is positive, or negative for a waste-treatment activity (role
  ``waste`` on its production row);
* an activity may use some of its own product, but less than it makes: an input of its own
  product of at least its production amount leaves no net output (self-use 1.5 of 1).

A stage of a solved route may be negative only when it holds a marked credit; the solved
checks live in :mod:`lca.calculate`.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

__all__ = ["MAX_AMOUNT", "ROLES", "AmountProblem", "amount_problem", "evaluated_amount_problem", "brief",
           "brief_text", "did_you_mean", "unknown_name", "ABBREVIATIONS", "ends_sentence"]

MAX_AMOUNT = 1e12
ROLES = ("credit", "waste")


@dataclass(frozen=True)
class AmountProblem:
    """Why an amount is impossible, and what to do about it."""

    message: str
    hint: str


def _show(value: float) -> str:
    return f"{value:,.6g}"


def amount_problem(*, kind: str, amount: float, role: str | None = None, name: str = "",
                   own_product: bool = False, production: float | None = None) -> AmountProblem | None:
    """The problem with ``amount`` of one exchange, or None when it is possible.

    ``kind`` is the exchange type (production, technosphere, biosphere, substitution), ``role``
    the value of its ``role`` column (None, 'credit' or 'waste'), ``own_product`` whether a
    technosphere exchange consumes the activity's own product, ``production`` the activity's
    production amount (for that self-use check).
    """
    label = f"exchange {name!r}" if name else "exchange"
    if role is not None and role not in ROLES:
        return AmountProblem(f"{label} has role {brief(role)}, which is not one of {', '.join(ROLES)}",
                             "leave 'role' empty for an ordinary input or emission; write 'credit' for an avoided "
                             "product or uptake, 'waste' for a waste flow sent to treatment")
    if not isinstance(amount, (int, float)) or isinstance(amount, bool) or not math.isfinite(amount):
        return AmountProblem(f"amount of {label} is {brief(amount)}, not a finite number",
                             "enter a plain finite number")
    if abs(amount) > MAX_AMOUNT:
        return AmountProblem(f"amount of {label} is {_show(amount)}, larger in magnitude than {MAX_AMOUNT:.0e} "
                             "per unit of the activity's reference flow",
                             "check the unit and the decimal point; use a larger unit (e.g. metric ton for kilogram)")
    if kind == "production":
        if amount == 0:
            return AmountProblem(f"the production amount of {label} is zero", "the reference flow must be non-zero, "
                                 "normally 1")
        if amount < 0 and role != "waste":
            return AmountProblem(f"the production amount of {label} is {_show(amount)}, negative",
                                 "enter the reference flow positive (normally 1); a waste-treatment activity's "
                                 "negative reference flow needs 'waste' in the 'role' column")
        return None
    if kind == "substitution":
        if amount < 0:
            return AmountProblem(f"the substitution (credit) {label} is {_show(amount)}, negative",
                                 "enter a substitution positive: Brightway subtracts it")
        return None
    if amount < 0 and role is None:
        what = "an emission" if kind == "biosphere" else "an input"
        return AmountProblem(f"{label} is {_show(amount)}: {what} cannot be negative",
                             "enter the consumption as a positive number; a credit (avoided product, uptake) or a "
                             "waste flow needs 'credit' or 'waste' in the 'role' column")
    if own_product and production is not None and production > 0 and amount >= production:
        return AmountProblem(f"{label} uses {_show(amount)} of the activity's own product per {_show(production)} "
                             "produced, which leaves no net output",
                             "self-use must be less than the production amount (e.g. 0.02 of 1)")
    return None


def evaluated_amount_problem(*, kind: str, amount, role: str | None = None, name: str = "",
                             own_product: bool = False, production=None) -> AmountProblem | None:
    """:func:`amount_problem` for an amount evaluated from a formula after a parameter change.

    ``amount`` (and ``production``) may be a float or a numpy array of draws; for an array the
    first impossible draw is reported, with its index and the share of draws that fail.
    """
    import numpy as np

    values = np.atleast_1d(np.asarray(amount, dtype=float))
    made = None if production is None else np.broadcast_to(np.asarray(production, dtype=float), values.shape)
    bad = ~np.isfinite(values) | (np.abs(values) > MAX_AMOUNT)
    if kind == "production":
        bad |= values == 0
        if role != "waste":
            bad |= values < 0
    elif kind == "substitution" or role is None:
        bad |= values < 0
    if own_product and made is not None and kind not in ("production", "substitution"):
        bad |= (made > 0) & (values >= made)
    if role is not None and role not in ROLES:
        bad[:] = True
    if not bad.any():
        return None
    first = int(np.flatnonzero(bad)[0])
    problem = amount_problem(kind=kind, amount=float(values[first]), role=role, name=name, own_product=own_product,
                             production=None if made is None else float(made[first]))
    if problem is None:  # not reachable: the two checks state the same rules
        problem = AmountProblem(f"amount of exchange {name!r} is impossible ({_show(float(values[first]))})", "")
    if values.size == 1:
        return problem
    return AmountProblem(f"{problem.message} (draw {first}; {bad.mean():.1%} of the draws)", problem.hint)


def brief(value, limit: int = 60) -> str:
    """A value quoted for an error message, cut to ``limit`` characters (never megabytes of text)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit - 15]}... ({len(text):,} characters)"


# words ending in a full stop that do not end a sentence (a source's "e.g. Table 3", "Kuipers et al. 2018")
ABBREVIATIONS = frozenset({"e.g", "i.e", "al", "cf", "vs", "no", "fig", "tab", "p", "pp", "approx", "ca", "vol", "ed",
                           "eds", "app"})


def ends_sentence(before: str) -> bool:
    """Whether a full stop after ``before`` ends a sentence: not after an abbreviation (``ABBREVIATIONS``)
    or an initial ('J. Smith')."""
    word = before.rsplit(" ", 1)[-1].lstrip("(")
    return not (word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()))


def brief_text(text: str, limit: int = 80) -> str:
    """A long text (a parameter's source, a note) quoted in a message: its first sentence, cut to ``limit``
    characters with an ellipsis; the whole text stays in the workbook and in `lca params --wide`."""
    text = " ".join(str(text).split())
    end = next((i + 1 for i, c in enumerate(text) if c in ".;" and (i + 1 == len(text) or text[i + 1] == " ")
                and i > 10 and (c == ";" or ends_sentence(text[:i]))), len(text))
    first = text[:end].rstrip(".;")
    shortened = first != text.rstrip(".;")
    if len(first) > limit:
        first, shortened = first[:limit - 3].rstrip(), True
    return first + ("..." if shortened else "")


def did_you_mean(name, known) -> str:
    """' Did you mean 'copper'?' for the known names closest to ``name`` (difflib), '' when none is close."""
    text = str(name)
    if len(text) > 100:  # no near miss, and difflib is quadratic
        return ""
    close = difflib.get_close_matches(text, [str(k) for k in known], n=3)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unknown_name(what: str, name, known, *, of: str = "", shown: int = 20) -> str:
    """The one message for a name that is not among ``known`` (comparisons, products, pathways, sites,
    methods, scenarios...): "unknown comparison 'coper'. Did you mean 'copper'? Known: cobalt, copper, ...";
    ``of`` places it ("of comparison nickel")."""
    known = [str(k) for k in known]
    listed = ", ".join(known[:shown]) + (f", ... ({len(known)} in all)" if len(known) > shown else "")
    where = f" {of}" if of else ""
    return f"unknown {what} {brief(name)}{where}.{did_you_mean(name, known)} Known: {listed or 'none'}."
