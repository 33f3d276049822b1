"""Link exchanges to their providers, or say precisely why they do not link.

Technosphere exchanges link by database, name, location, reference product and unit (as
bw2io's ``link_technosphere_by_activity_hash`` and ``match_database`` do); biosphere exchanges
by name, categories and unit against ``biosphere3``. A failure comes back as a
:class:`LinkFailure` naming the column at fault, the message and a hint with the closest names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from lca.errors import CellRef
from lca.inventory.flows import BIOSPHERE
from lca.inventory.model import Activity, Exchange
from lca.inventory.units import CANONICAL_UNITS
from lca.rules import brief

__all__ = ["LinkFailure", "ExternalActivity", "external_leaf", "add_external", "link_technosphere", "link_biosphere",
           "unit_hint"]


@dataclass(frozen=True)
class LinkFailure:
    column: str
    message: str
    hint: str


@dataclass(frozen=True)
class ExternalActivity:
    """An activity of a database that no workbook defines but the Brightway project holds (a background the
    user imported with bw2io, ecoinvent_interface or copied from another project): a provider to link to."""

    database: str
    code: str
    name: str
    location: str
    unit: str
    reference_product: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.database, self.code)

    @property
    def place(self) -> str:
        return f"{self.name!r} ({self.location}) in the project's database {self.database!r}"


def external_leaf(activity: ExternalActivity) -> Activity:
    """A project activity as the inventory's checks see it: a leaf (a production of 1 and nothing else; its own
    data stay in Brightway and are never written by the tool)."""
    where = CellRef(f"Brightway database {activity.database}")
    return Activity(database=activity.database, code=activity.code, name=activity.name, location=activity.location,
                    unit=activity.unit, reference_product=activity.reference_product, where=where,
                    exchanges=(Exchange(type="production", input=activity.key, amount=1.0, unit=activity.unit,
                                        where=where, name=activity.name),))


def _did_you_mean(word: str, choices, cutoff: float) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=cutoff)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unit_hint(unit: str) -> str:
    suggestion = _did_you_mean(unit.lower(), {u.lower() for u in CANONICAL_UNITS}, 0.5)
    return (suggestion + " " if suggestion else "") + \
        "use a Brightway unit name such as kilogram, metric ton, kilowatt hour, megajoule, ton kilometer"


def add_external(database: str, activities, providers: dict, names_by_db: dict) -> None:
    """Offer the activities of a project database that no workbook defines as providers."""
    names_by_db[database] = {a.name for a in activities}
    for activity in activities:
        providers.setdefault((database, activity.name), []).append(activity)


def link_technosphere(*, name, unit, database, location, product, providers, names_by_db, external=None):
    """Return ((database, code), None) or (None, LinkFailure).

    ``providers`` maps (database, name) to candidate activities (with ``location``,
    ``reference_product``, ``unit``, ``database``, ``code`` and ``place``); ``names_by_db``
    maps each database to its activity names. ``external`` (database name -> list of
    :class:`ExternalActivity`, or None) reads a database that no workbook defines from the
    Brightway project, on first use; it is None where no project is open.
    """
    if database not in names_by_db and external is not None:
        found = external(database)
        if found is not None:
            add_external(database, found, providers, names_by_db)
    if database not in names_by_db:
        where = "which no workbook defines" + (" and the Brightway project does not hold" if external is not None
                                               else " (no Brightway project was read)")
        return None, LinkFailure("database", f"exchange {brief(name)} points to database {brief(database)}, {where}",
                                 f"use one of: {', '.join(sorted(names_by_db))}; or import that database into the "
                                 "tool's project first (docs/background.md)")
    candidates = providers.get((database, name), [])
    if not candidates:
        hint = _did_you_mean(name, names_by_db[database], 0.5) or \
            f"no activity of that name in {database}; add one or correct the name"
        return None, LinkFailure("name", f"technosphere exchange {brief(name)} links to nothing in {database}", hint)
    matches = [p for p in candidates if (not location or p.location == location)
               and (not product or p.reference_product == product)]
    if not matches:
        offered = "; ".join(f"location {brief(p.location)}, reference product {brief(p.reference_product)}"
                            for p in candidates)
        column = "location" if location and all(p.location != location for p in candidates) else "reference product"
        return None, LinkFailure(column, f"technosphere exchange {brief(name)} (location {brief(location)}, reference "
                                 f"product {brief(product)}) links to nothing", f"available: {offered}")
    if len(matches) > 1:
        offered = ", ".join(repr(p.location) for p in matches)
        return None, LinkFailure("location", f"technosphere exchange {brief(name)} matches {len(matches)} activities",
                                 f"give the location (one of {offered}) and the reference product")
    provider = matches[0]
    if unit != provider.unit:
        return None, LinkFailure("unit", f"unit mismatch: exchange {brief(name)} in {brief(unit)}, but its provider "
                                 f"({provider.place}) produces {brief(provider.unit)}",
                                 f"convert the amount to {brief(provider.unit)} and change the unit")
    return (provider.database, provider.code), None


def link_biosphere(*, name, unit, database, categories, flows):
    """Return ((biosphere3, code), None) or (None, LinkFailure); ``flows`` as in lca.flows."""
    if database != BIOSPHERE:
        return None, LinkFailure("database", f"biosphere exchange {brief(name)} points to {brief(database)}",
                                 f"elementary flows come from {BIOSPHERE}; write {BIOSPHERE} or leave it blank")
    code = flows.get((name, categories, unit))
    if code is not None:
        return (BIOSPHERE, code), None
    same_name = [k for k in flows if k[0] == name]
    if not same_name:
        hint = _did_you_mean(name, {k[0] for k in flows}, 0.6) or "use an ecoinvent 3.9 elementary flow name"
        return None, LinkFailure("name", f"unknown biosphere flow {brief(name)}", hint)
    if not [k for k in same_name if k[1] == categories]:
        shown = "::".join(categories) or "(blank)"
        offered = ", ".join(sorted({"::".join(k[1]) for k in same_name}))
        return None, LinkFailure("categories", f"biosphere flow {brief(name)} has no categories {brief(shown)}",
                                 f"use one of: {offered}")
    units = ", ".join(sorted({k[2] for k in same_name if k[1] == categories}))
    return None, LinkFailure("unit", f"unit mismatch: biosphere flow {brief(name)} is in {units}, not {brief(unit)}",
                             f"convert the amount to {units}")
