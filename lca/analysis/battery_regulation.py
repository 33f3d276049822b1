"""The EU Battery Regulation (EU) 2023/1542 view of a product's footprint (docs/battery-regulation.md).

For a product with a ``battery regulation`` row (lca.inventory.regulation_rows), computed from
the solved system of its footprint (:func:`lca.analysis.footprint.footprints`), not from
parameters:

* **recycled content** (Article 8): for each metal of the regulation's table, the mass of it
  that one unit of the product draws through the routes of the comparisons whose supply mix
  declares ``recycled content of`` = that metal; the share is the part from the recycled routes
  (group ``recycled``: manufacturing and post-consumer waste both count) over the part from all
  of them, set beside each minimum of the table (met when the share reaches it, to 1e-9). A
  metal drawn through no such supply mix is listed as not in the product.
* **carbon footprint by life-cycle stage** (Article 7, Annex II): the product's parts summed by
  the ``life-cycle stage`` their activities declare; a stage that no part declares is not
  modelled (None, never a number).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lca.errors import LCAError
from lca.inventory.product_rows import MASS_UNITS
from lca.inventory.regulation_rows import LIFE_CYCLE_STAGES, MINIMUMS, REGULATION, SOURCE

__all__ = ["MinimumCheck", "RecycledContent", "StageFootprint", "BatteryRegulationView", "regulation_view",
           "TOLERANCE"]

TOLERANCE = 1e-9  # a share within this of a minimum meets it (the solve carries ~1e-15 noise)


@dataclass(frozen=True)
class MinimumCheck:
    """One Article 8 minimum set beside a product's share."""

    applies_from: dt.date
    minimum: float
    met: bool


@dataclass(frozen=True)
class RecycledContent:
    """One metal: the kg per product unit from recycled routes and from all routes."""

    metal: str
    comparisons: tuple[str, ...]  # whose supply mixes declare it
    recycled_kg: float
    total_kg: float
    minimums: tuple[MinimumCheck, ...]

    @property
    def share(self) -> float:
        return self.recycled_kg / self.total_kg

    @property
    def missed(self) -> tuple[MinimumCheck, ...]:
        return tuple(m for m in self.minimums if not m.met)


@dataclass(frozen=True)
class StageFootprint:
    """One Annex II life-cycle stage: the sum of the parts that declare it, or None (not modelled)."""

    stage: str
    score: float | None
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatteryRegulationView:
    regulation: str
    functional_unit: str  # "1 kilowatt hour"
    recycled_content: tuple[RecycledContent, ...]  # the metals the product draws, in the table's order
    not_in_product: tuple[str, ...]  # the table's metals it draws through no supply mix declaring them
    stages: tuple[StageFootprint, ...]  # in Annex II order
    total: float
    source: str = SOURCE

    @property
    def not_modelled(self) -> tuple[str, ...]:
        return tuple(s.stage for s in self.stages if s.score is None)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(sorted({m.applies_from for m in MINIMUMS}))

    @property
    def missed(self) -> tuple[tuple[str, MinimumCheck, float], ...]:
        """(metal, minimum, share) of each minimum the product misses."""
        return tuple((c.metal, m, c.share) for c in self.recycled_content for m in c.missed)

    @property
    def statement(self) -> str:
        """A plain sentence: the minimums missed (each metal's share), and the metals that meet them all."""
        missed = [c for c in self.recycled_content if c.missed]
        met = [c.metal for c in self.recycled_content if not c.missed]
        if not self.recycled_content:
            return (f"It draws none of the Article 8 metals ({_names(self.not_in_product)}) through a supply mix that "
                    "declares 'recycled content of': no share is computed.")
        items = [f"{c.metal} ({_percent(c.share)} recycled; minimum "
                 + " and ".join(f"{_percent(m.minimum)} from {_date(m.applies_from)}" for m in c.missed) + ")"
                 for c in missed]
        if not missed:
            return f"It meets every Article 8 minimum of recycled content for {_names(met)}."
        text = f"It misses the Article 8 minimums of recycled content for {_names(items)}"
        return text + (f"; it meets those for {_names(met)}." if met else ".")


def _percent(share: float) -> str:
    return f"{share * 100:.3g} %"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not strftime('%B'): that follows the process's locale


def _date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _names(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _kg(amount) -> float:
    """A route amount (lca.analysis.footprint.RouteAmount) in kg of metal."""
    if amount.unit not in MASS_UNITS:
        raise LCAError(f"route {amount.route!r} of comparison {amount.comparison!r} is in {amount.unit!r}, not a mass "
                       "unit: its recycled content cannot be computed. Declare the routes per mass of metal "
                       "contained (`lca inventory check` names them).")
    return amount.amount * MASS_UNITS[amount.unit]


def recycled_content(route_amounts, comparisons: dict) -> tuple[tuple[RecycledContent, ...], tuple[str, ...]]:
    """(the metals drawn, the table's metals not drawn) from a result's route amounts."""
    by_metal: dict[str, list] = {}
    for amount in route_amounts:
        metal = comparisons[amount.comparison].recycled_content_of
        if metal:
            by_metal.setdefault(metal, []).append(amount)
    found, absent = [], []
    for metal in dict.fromkeys(m.metal for m in MINIMUMS):
        amounts = by_metal.get(metal, [])
        total = sum(_kg(a) for a in amounts)
        if total <= 0:
            absent.append(metal)
            continue
        recycled = sum(_kg(a) for a in amounts if a.recycled)
        share = recycled / total
        checks = tuple(MinimumCheck(m.applies_from, m.share, share >= m.share - TOLERANCE)
                       for m in sorted(MINIMUMS, key=lambda m: m.applies_from) if m.metal == metal)
        found.append(RecycledContent(metal, tuple(dict.fromkeys(a.comparison for a in amounts)), recycled, total,
                                     checks))
    return tuple(found), tuple(absent)


def stage_footprints(product, parts) -> tuple[StageFootprint, ...]:
    """The parts (stage, score) of ``product`` summed per Annex II life-cycle stage."""
    life_of = dict(product.life_cycle)
    undeclared = [stage for stage, _ in parts if life_of.get(stage) not in LIFE_CYCLE_STAGES]
    if undeclared:
        raise LCAError(f"part {undeclared[0]!r} of product {product.id!r}, which is under Regulation "
                       f"{product.regulation}, declares no 'life-cycle stage' of Annex II. Add the row under the "
                       "part's 'Activity' row (`lca inventory check` names every such part).")
    stages = []
    for stage in LIFE_CYCLE_STAGES:
        members = [(name, score) for name, score in parts if life_of[name] == stage]
        stages.append(StageFootprint(stage, sum(score for _, score in members) if members else None,
                                     tuple(name for name, _ in members)))
    return tuple(stages)


def regulation_view(product, result, comparisons: dict) -> BatteryRegulationView | None:
    """The view of ``result`` (a ProductResult of ``product``), or None for a product not under the regulation."""
    if not product.regulation:
        return None
    if product.regulation != REGULATION:
        raise LCAError(f"product {product.id!r} names Regulation {product.regulation!r}; the tool knows {REGULATION} "
                       "only (`lca inventory check`).")
    drawn, absent = recycled_content(result.route_amounts, comparisons)
    return BatteryRegulationView(regulation=product.regulation, functional_unit=f"1 {product.unit}",
                                 recycled_content=drawn, not_in_product=absent,
                                 stages=stage_footprints(product, result.parts), total=result.total)
