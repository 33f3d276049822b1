"""Transport amounts must show their basis: distance x mass, never a bare t-km number.

A freight exchange (unit ton kilometer) is either a formula that uses a distance parameter in
km (e.g. ``scrap_truck_km / scrap_cu_content``: the mass basis is the rest of the formula), or
a number whose comment gives the arithmetic as ``<mass> t x <distance> km`` and whose value is
that product. A bare number, or a comment whose arithmetic does not give the amount, is a
problem. The rule exists because a shipped amount once read 0.003 t-km per kg under a comment
that said 0.001 t x 3,000 km (which is 3).
"""

from __future__ import annotations

import re

from lca.errors import Problem
from lca.inventory.formulas import compile_formula

__all__ = ["transport_problems", "TKM_UNITS", "KM_UNITS"]

TKM_UNITS = ("ton kilometer", "tonne kilometer", "t*km", "tkm")
KM_UNITS = ("km", "kilometer", "kilometre", "kilometers", "kilometres")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?(?:e-?\d+)?)"
_TIMES = r"\s*(?:x|×|\*)\s*"
_ARITHMETIC = (re.compile(_NUMBER + r"\s*t" + _TIMES + _NUMBER + r"\s*km", re.IGNORECASE),
               re.compile(_NUMBER + r"\s*km" + _TIMES + _NUMBER + r"\s*t\b", re.IGNORECASE))


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _comment_product(comment: str) -> list[float]:
    """Every 'M t x D km' (or 'D km x M t') product the comment states."""
    products = []
    for pattern in _ARITHMETIC:
        for match in pattern.finditer(comment):
            products.append(_number(match.group(1)) * _number(match.group(2)))
    return products


def transport_problems(inventory) -> list[Problem]:
    """Freight exchanges of ``inventory`` (lca.model.Inventory) without a visible distance x mass basis."""
    def distances(parameters) -> set:
        return {p.name for p in parameters if p.unit.strip().lower() in KM_UNITS}

    km = distances(inventory.project_parameters)
    problems = []
    for database in inventory.databases:
        names = km | distances(database.parameters)
        for activity in database.activities:
            local = names | distances(activity.parameters)
            for exchange in activity.exchanges:
                if exchange.type != "technosphere" or exchange.unit.strip().lower() not in TKM_UNITS:
                    continue
                if exchange.formula:
                    if compile_formula(exchange.formula).names & local:
                        continue
                    message = (f"transport '{exchange.name}' = {exchange.formula} uses no distance parameter in km, "
                               "so its distance cannot be seen or checked")
                else:
                    products = _comment_product(exchange.comment)
                    if any(abs(p - exchange.amount) <= 1e-6 * max(abs(p), abs(exchange.amount)) for p in products):
                        continue
                    if products:
                        stated = ", ".join(f"{p:g}" for p in products)
                        message = (f"transport '{exchange.name}' = {exchange.amount:g} t-km per {activity.unit}, but "
                                   f"its comment's mass x distance gives {stated}")
                    else:
                        message = (f"transport '{exchange.name}' = {exchange.amount:g} t-km per {activity.unit} is a "
                                   "bare number: neither its distance nor its mass basis can be checked")
                problems.append(Problem(exchange.where, message,
                                        "write it as distance x mass: a formula with a distance parameter in km (e.g. "
                                        "sea_km * 0.001 for 1 kg carried sea_km km), or a comment 'derived: 0.001 t x "
                                        "3,000 km = 3 t-km' whose product is the amount"))
    return problems
