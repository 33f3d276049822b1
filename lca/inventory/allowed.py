"""The rules a value that replaces a parameter's obeys (a --set, a scenario or ledger value, a site
region's value): its allowed range, its distribution's support and its physical limits. They read only
what a parameter declares in its workbook (``distribution``, ``minimum``, ``maximum``, ``lower_limit``,
``upper_limit``), so the workbook checks (:mod:`lca.inventory.site_rows`) and the parametric model
(:mod:`lca.brightway.parameter_rules`) apply the same ones."""

from __future__ import annotations

import math

from lca.rules import brief

__all__ = ["allowed_rules", "what_to_give", "range_text", "show_value"]


def show_value(value) -> str:
    return f"{value:,.6g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else brief(value)


def range_text(low, high) -> str:
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def allowed_rules(p) -> list:
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
        texts.append(range_text(low, high))
    rules = []
    if tests:
        rules.append((lambda v, tests=tuple(tests): all(t(v) for t in tests),
                      f"its allowed range {range_text(low, high)}" if d is None else
                      f"its distribution ({d.describe()}: values {' and '.join(texts)})"))
    if p.lower_limit is not None or p.upper_limit is not None:
        ll = -math.inf if p.lower_limit is None else p.lower_limit
        ul = math.inf if p.upper_limit is None else p.upper_limit
        rules.append((lambda v: ll <= v <= ul, f"its physical limits ({range_text(p.lower_limit, p.upper_limit)})"))
    return rules


def what_to_give(rules, p) -> str:
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
    return range_text(low, high)
