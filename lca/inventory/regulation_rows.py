"""The EU Battery Regulation's own table, and the rows that put a product under it, with their
checks on a validated inventory (:mod:`lca.subjects` reads the rows back from the Brightway
project; :mod:`lca.analysis.battery_regulation` computes the view; docs/battery-regulation.md).

Regulation (EU) 2023/1542 of the European Parliament and of the Council of 12 July 2023 concerning
batteries and waste batteries (OJ L 191, 28.7.2023, p. 1):

* Article 8(2) and 8(3): the minimum share of cobalt, lithium and nickel present in the active
  materials that is recovered from battery manufacturing waste or post-consumer waste (lead: in
  the battery), from 18 August 2031 and from 18 August 2036 (:data:`MINIMUMS`);
* Article 7 and Annex II: the carbon footprint per life-cycle stage (:data:`LIFE_CYCLE_STAGES`;
  the use stage is excluded).

Metadata rows under an ``Activity`` row:

* ``battery regulation`` = ``(EU) 2023/1542`` on a product (an activity with a ``product`` row)
  per ``kilowatt hour``: the product is under the regulation;
* ``life-cycle stage`` on every part of such a product (each activity of its workbook it draws on
  that has a ``stage`` row): one of :data:`LIFE_CYCLE_STAGES`; the parts of one stage name declare
  the same life-cycle stage;
* ``recycled content of`` on a supply mix (an activity with a ``supply of`` row): the Article 8
  metal whose active-material supply it is (one of :data:`METALS`); its comparison's routes are in
  a mass unit, and no product draws two supply mixes naming the same metal.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

from lca.errors import Problem
from lca.inventory.product_rows import MASS_UNITS
from lca.inventory.route_rows import reachable, text

__all__ = ["REGULATION", "REGULATION_ROW", "STAGE_ROW", "METAL_ROW", "REGULATED_UNIT", "SOURCE", "Minimum",
           "MINIMUMS", "METALS", "LIFE_CYCLE_STAGES", "metal_of", "life_cycle_stage_of", "regulation_problems"]

REGULATION = "(EU) 2023/1542"
REGULATION_ROW = "battery regulation"
STAGE_ROW = "life-cycle stage"
METAL_ROW = "recycled content of"
REGULATED_UNIT = "kilowatt hour"  # Annex II: the carbon footprint is declared per kWh
SOURCE = ("Regulation (EU) 2023/1542 concerning batteries and waste batteries, OJ L 191, 28.7.2023: Article 8(2) "
          "and 8(3) (recycled content), Article 7 and Annex II (carbon footprint by life-cycle stage)")


@dataclass(frozen=True)
class Minimum:
    """One Article 8 minimum: the share of ``metal`` recovered from waste, from ``applies_from``."""

    metal: str
    applies_from: dt.date
    share: float


_2031, _2036 = dt.date(2031, 8, 18), dt.date(2036, 8, 18)
# Article 8(2) (from 18 August 2031) and 8(3) (from 18 August 2036); both manufacturing and
# post-consumer waste count. Lead is the share in the battery, the others in the active materials.
MINIMUMS = (
    Minimum("cobalt", _2031, 0.16), Minimum("lead", _2031, 0.85), Minimum("lithium", _2031, 0.06),
    Minimum("nickel", _2031, 0.06),
    Minimum("cobalt", _2036, 0.26), Minimum("lead", _2036, 0.85), Minimum("lithium", _2036, 0.12),
    Minimum("nickel", _2036, 0.15),
)
METALS = tuple(sorted({m.metal for m in MINIMUMS}))

# Annex II, point 2 (life-cycle stages of the carbon footprint; the use stage is excluded)
LIFE_CYCLE_STAGES = ("raw material acquisition and pre-processing", "main product production", "distribution",
                     "end of life and recycling")


def metal_of(value) -> str:
    """A ``recycled content of`` cell as the table spells it ('Nickel ' -> 'nickel')."""
    return text(value).lower()


def life_cycle_stage_of(value) -> str:
    """A ``life-cycle stage`` cell as the table spells it."""
    return " ".join(text(value).lower().split())


def regulation_problems(inventory) -> list[Problem]:
    """Check the regulation rows of a validated inventory (see the module docstring)."""
    activities = inventory.activities
    problems = _metal_problems(activities) + _stage_problems(activities)
    for key, activity in activities.items():
        if REGULATION_ROW in dict(activity.metadata):
            problems += _product_problems(key, activity, activities)
    return problems


def _metal_problems(activities) -> list[Problem]:
    problems = []
    mixes: dict[tuple, str] = {}
    for key, activity in activities.items():
        if METAL_ROW not in dict(activity.metadata):
            continue
        where, metal = activity.meta_where(METAL_ROW), metal_of(activity.meta(METAL_ROW))
        comparison = text(activity.meta("supply of"))
        if not comparison:
            problems.append(Problem(where, f"'{METAL_ROW}' is on {activity.name!r}, which is not a supply mix (it "
                                    "has no 'supply of' row)", "move the row to the supply mix ('supply of' "
                                    "activity) that supplies the metal of the active material, or delete it"))
        elif metal not in METALS:
            problems.append(Problem(where, f"'{METAL_ROW}' of supply mix {activity.name!r} is "
                                    f"{text(activity.meta(METAL_ROW))!r}, not a metal with an Article 8 minimum of "
                                    f"Regulation {REGULATION}", f"write one of: {', '.join(METALS)}, or delete the "
                                    "row"))
        else:
            mixes[key] = metal
            problems += _route_unit_problems(activity, comparison, metal, activities)
    return problems + _shared_metal_problems(mixes, activities)


def _route_unit_problems(mix, comparison: str, metal: str, activities) -> list[Problem]:
    """The routes of a mix with recycled content are in a mass unit: the share is a share of mass."""
    return [Problem(a.where, f"route {text(a.meta('route'))!r} of comparison {comparison!r} is in {a.unit!r}, but "
                    f"its supply mix {mix.name!r} declares the recycled content of {metal}, a share by mass",
                    f"declare the route per mass of metal contained ({', '.join(MASS_UNITS)}), e.g. 1 metric ton")
            for a in activities.values() if text(a.meta("comparison")) == comparison and a.unit not in MASS_UNITS]


def _shared_metal_problems(mixes: dict, activities) -> list[Problem]:
    """No product draws two supply mixes naming the same metal (its share would have two answers)."""
    problems, reported = [], set()
    for key, activity in activities.items():
        product = text(activity.meta("product"))
        if not product or not mixes:
            continue
        seen: dict[str, tuple] = {}
        for member in _everything_drawn(key, activities):
            metal = mixes.get(member)
            if metal is None:
                continue
            first = seen.setdefault(metal, member)
            if first != member and (first, member) not in reported:
                reported.add((first, member))
                mix, other = activities[member], activities[first]
                problems.append(Problem(mix.meta_where(METAL_ROW), f"product {product!r} draws two supply mixes "
                                        f"with '{METAL_ROW}' = {metal}: {other.name!r} ({other.meta_where(METAL_ROW)})"
                                        f" and {mix.name!r}", f"keep '{METAL_ROW}' on the one supply mix that "
                                        f"supplies the {metal} of the product's active material"))
    return problems


def _everything_drawn(start, activities) -> list:
    """Every activity ``start`` draws on, in any workbook (itself included)."""
    seen, queue, order = {start}, deque([start]), [start]
    while queue:
        for exchange in activities[queue.popleft()].exchanges:
            source = exchange.input
            if exchange.type in ("production", "biosphere") or source in seen or source not in activities:
                continue
            seen.add(source)
            queue.append(source)
            order.append(source)
    return order


def _stage_problems(activities) -> list[Problem]:
    problems = []
    for activity in activities.values():
        if STAGE_ROW not in dict(activity.metadata):
            continue
        where = activity.meta_where(STAGE_ROW)
        if not life_cycle_stage_of(activity.meta(STAGE_ROW)):
            problems.append(Problem(where, f"'{STAGE_ROW}' of {activity.name!r} has no value",
                                    "write one of: " + "; ".join(LIFE_CYCLE_STAGES) + "; or delete the row"))
        elif life_cycle_stage_of(activity.meta(STAGE_ROW)) not in LIFE_CYCLE_STAGES:
            problems.append(Problem(where, f"'{STAGE_ROW}' of {activity.name!r} is "
                                    f"{text(activity.meta(STAGE_ROW))!r}, not a life-cycle stage of Annex II of "
                                    f"Regulation {REGULATION}", "write one of: " + "; ".join(LIFE_CYCLE_STAGES)))
        elif not text(activity.meta("stage")):
            problems.append(Problem(where, f"{activity.name!r} has a '{STAGE_ROW}' but no 'stage': only a product's "
                                    "parts (activities with a 'stage' row) are summed per life-cycle stage",
                                    "add the 'stage' row that names the part, or delete the 'life-cycle stage' row"))
    return problems


def _product_problems(key, activity, activities) -> list[Problem]:
    """A regulated product: the row's value, a product per kWh, and every part's life-cycle stage."""
    where, value = activity.meta_where(REGULATION_ROW), text(activity.meta(REGULATION_ROW))
    product = text(activity.meta("product"))
    if not product:
        return [Problem(where, f"'{REGULATION_ROW}' is on {activity.name!r}, which is not a product (it has no "
                        "'product' row)", "move the row to the product's activity, or delete it")]
    problems = []
    if " ".join(value.split()) != REGULATION:
        problems.append(Problem(where, f"'{REGULATION_ROW}' of product {product!r} is {value!r}; the tool knows "
                                f"Regulation {REGULATION} only", f"write {REGULATION}, or delete the row"))
    if activity.unit != REGULATED_UNIT:
        problems.append(Problem(where, f"product {product!r} is under Regulation {REGULATION} but is declared per "
                                f"{activity.unit!r}; its carbon footprint is declared per {REGULATED_UNIT} (Annex II)",
                                f"declare the product per {REGULATED_UNIT} (a second product per kWh drawing on the "
                                "per-unit parts), or delete the row"))

    def inputs_of(node):
        return [e.input for e in activities[node].exchanges if e.type not in ("production", "biosphere")]

    declared: dict[str, tuple] = {}
    for member in reachable(key, inputs_of, activity.database):
        part = activities[member]
        stage = text(part.meta("stage"))
        if not stage:
            continue
        life = life_cycle_stage_of(part.meta(STAGE_ROW))
        if STAGE_ROW not in dict(part.metadata):
            problems.append(Problem(part.where, f"part {part.name!r} (stage {stage!r}) of product {product!r}, which "
                                    f"is under Regulation {REGULATION}, has no '{STAGE_ROW}'",
                                    f"add a row '{STAGE_ROW}' under its 'Activity' row: one of "
                                    + "; ".join(LIFE_CYCLE_STAGES)))
            continue
        if life not in LIFE_CYCLE_STAGES:  # reported by _stage_problems
            continue
        first = declared.setdefault(stage, (life, part))
        if first[0] != life:
            problems.append(Problem(part.meta_where(STAGE_ROW), f"parts of stage {stage!r} of product {product!r} "
                                    f"declare two life-cycle stages: {first[0]!r} ({first[1].name!r}) and {life!r} "
                                    f"({part.name!r})", "a stage is summed as one: give its parts the same "
                                    f"'{STAGE_ROW}', or give them different 'stage' names"))
    return problems
