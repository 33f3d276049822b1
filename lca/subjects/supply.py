"""Supply choices: which route, or which recycled share, each comparison's supply mix takes in a
product run. Nothing here names a metal: comparisons are data.

A **choice** names a comparison by its id and either one of its routes (the supply mix takes all
from that route) or a share (the recycled share of the mix; the rest comes from the comparison's
default primary route): ``copper=scrap``, ``nickel=0.2``.

A **scenario** is a set of choices, at most one per comparison. A comparison it does not name
runs as its workbook says (the supply mix's own formulas). Two scenarios are built from rows of
each supply mix (``supply of`` activity), a route id or a share each:

* ``conventional supply``: the supply of the conventional scenario, the reference of
  ``lca footprint --compare``, of a product's report and of its uncertainty;
* ``chosen supply``: the supply of the chosen scenario they compare it with (the choices given on
  the command line take its place; a default share is lowered to what a product's closed loop
  supplies: :func:`lca.analysis.footprint.chosen_scenario`).

A **product quantity** row (an id, e.g. ``copper_cathode_kg``, with ``product quantity label``)
on a supply mix or a basis reports the mass of it that one unit of a product draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lca.choices import SupplySwitch
from lca.errors import SupplyError
from lca.inventory.route_rows import CHOSEN_ROW, CONVENTIONAL_ROW, QUANTITY_LABEL_ROW, QUANTITY_ROW
from lca.rules import brief

__all__ = ["SupplyChoice", "Scenario", "parse_choice", "choice_of", "CONVENTIONAL_ROW", "CHOSEN_ROW",
           "QUANTITY_ROW", "QUANTITY_LABEL_ROW", "SHARE_PREFIX"]

# a share choice is written as recycled_<comparison> in JSON and CSV (recycled_nickel: 0.2)
SHARE_PREFIX = "recycled_"


@dataclass(frozen=True)
class SupplyChoice:
    comparison: str
    route: str | None = None  # all the supply from this route
    share: float | None = None  # or this recycled share of the mix

    @property
    def switch(self) -> SupplySwitch:
        return SupplySwitch.ROUTE if self.route is not None else SupplySwitch.SHARE

    @property
    def key(self) -> str:
        """Its key in JSON and CSV: the comparison id for a route, recycled_<id> for a share."""
        return self.comparison if self.route is not None else SHARE_PREFIX + self.comparison

    @property
    def value(self) -> str | float:
        return self.route if self.route is not None else self.share

    @property
    def text(self) -> str:
        return f"{self.comparison}={self.route if self.route is not None else f'{self.share:g}'}"

    @property
    def label(self) -> str:
        if self.route is not None:
            return f"{self.comparison} {self.route}"
        return f"{self.share * 100:.3g}% recycled {self.comparison}"


def choice_of(comparison: str, value) -> SupplyChoice:
    """A choice from a value: a number is a recycled share (0 to 1), any other text a route id."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        share = float(value)
    else:
        text = str(value).strip()
        try:
            share = float(text)
        except ValueError:
            if not text:
                raise SupplyError(f"the supply of {comparison!r} is empty: give a route id or a recycled share "
                                  "from 0 to 1", comparison=comparison) from None
            return SupplyChoice(comparison, route=text)
    if not math.isfinite(share) or not 0 <= share <= 1:
        raise SupplyError(f"a recycled {comparison} share of {brief(value)} is outside 0 to 1: give a fraction, "
                          "e.g. 0.2 for 20 %", comparison=comparison)
    return SupplyChoice(comparison, share=share)


def parse_choice(text: str) -> SupplyChoice:
    """'copper=scrap' or 'nickel=0.2' -> a SupplyChoice (SupplyError when it is not COMPARISON=VALUE)."""
    comparison, sep, value = str(text).partition("=")
    if not sep or not comparison.strip() or not value.strip():
        raise SupplyError(f"{brief(text)} is not COMPARISON=ROUTE or COMPARISON=SHARE: write a comparison id, '=' "
                          "and one of its route ids or a recycled share from 0 to 1")
    return choice_of(comparison.strip(), value.strip())


class Scenario:
    """An immutable set of supply choices (one per comparison) and a note on how it was chosen.

    ``Scenario(choice, ...)`` or by keywords: ``Scenario(copper="scrap", recycled_nickel=0.2)``
    (a comparison id for a route, recycled_<id> for a share). ``scenario.copper`` reads the route
    chosen for comparison copper, ``scenario.recycled_nickel`` the recycled share of nickel (the
    share is 1 or 0 when a route of the recycled or primary group was chosen: see
    :meth:`recycled_share`).
    """

    __slots__ = ("choices", "note")

    def __init__(self, *choices: SupplyChoice, note: str = "", **named):
        given = list(choices)
        for key, value in named.items():
            if key.startswith(SHARE_PREFIX):
                given.append(choice_of(key[len(SHARE_PREFIX):], float(value)))
            else:
                given.append(choice_of(key, value))
        by_comparison = {}
        for choice in given:  # a later choice for the same comparison wins
            by_comparison[choice.comparison] = choice
        object.__setattr__(self, "choices", tuple(by_comparison.values()))
        object.__setattr__(self, "note", note)

    def __setattr__(self, name, value):
        raise AttributeError("a Scenario is immutable")

    def __eq__(self, other) -> bool:
        return isinstance(other, Scenario) and set(self.choices) == set(other.choices)

    def __hash__(self) -> int:
        return hash(frozenset(self.choices))

    def __repr__(self) -> str:
        return f"Scenario({', '.join(c.text for c in self.choices)})"

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.startswith(SHARE_PREFIX):
            comparison = name[len(SHARE_PREFIX):]
            choice = self.choice(comparison)
            if choice is not None and choice.share is not None:
                return choice.share
            return 0.0 if choice is None else None
        choice = self.choice(name)
        if choice is None or choice.route is None:
            raise AttributeError(f"scenario {self!r} chooses no route for {name!r}")
        return choice.route

    def choice(self, comparison: str) -> SupplyChoice | None:
        return next((c for c in self.choices if c.comparison == comparison), None)

    def with_choices(self, choices, note: str | None = None) -> Scenario:
        """This scenario with ``choices`` in place of its own for the same comparisons."""
        return Scenario(*self.choices, *choices, note=self.note if note is None else note)

    def recycled_share(self, comparison: str, recycled_routes: dict[str, set[str]]) -> float | None:
        """The recycled share of ``comparison``'s supply: the share chosen, or 1 / 0 for a route in /
        out of ``recycled_routes[comparison]``; None when the scenario does not set it."""
        choice = self.choice(comparison)
        if choice is None:
            return None
        if choice.share is not None:
            return choice.share
        return 1.0 if choice.route in recycled_routes.get(comparison, set()) else 0.0

    @property
    def label(self) -> str:
        return ", ".join(c.label for c in self.choices) or "the workbooks' supply mixes"

    def as_dict(self) -> dict:
        """{comparison: route} and {recycled_<comparison>: share}, in choice order."""
        return {c.key: c.value for c in self.choices}
