"""Brightway unit names as openLCA units, unit groups and flow properties.

Ids: openLCA's reference ids, as olca-schema ships them (``olca_schema/units/units.csv``: unit,
unit group and flow property ids of openLCA's reference data), so an import into a database with
openLCA's reference data merges with its units instead of duplicating them. Conversion factors are
to the reference unit of each openLCA unit group (kg, MJ, t*km, Item(s), m3, m2, m, l is 0.001 m3):
a metric ton is 1000 kg, a kWh 3.6 MJ (1 kWh = 3,600 kJ), a ton kilometer is openLCA's reference
unit of goods transport. A unit outside :data:`UNITS` is refused by name; add it here with its factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["UNITS", "OlcaUnit", "unit_of", "unit_groups"]

# Brightway unit name -> (openLCA unit symbol, factor to the group's reference unit, reference unit symbol)
UNITS = {
    "kilogram": ("kg", 1.0, "kg"),
    "gram": ("g", 0.001, "kg"),
    "metric ton": ("t", 1000.0, "kg"),
    "megajoule": ("MJ", 1.0, "MJ"),
    "kilojoule": ("kJ", 0.001, "MJ"),
    "gigajoule": ("GJ", 1000.0, "MJ"),
    "kilowatt hour": ("kWh", 3.6, "MJ"),
    "megawatt hour": ("MWh", 3600.0, "MJ"),
    "ton kilometer": ("t*km", 1.0, "t*km"),
    "unit": ("Item(s)", 1.0, "Item(s)"),
    "cubic meter": ("m3", 1.0, "m3"),
    "litre": ("l", 0.001, "m3"),
    "square meter": ("m2", 1.0, "m2"),
    "meter": ("m", 1.0, "m"),
    "kilometer": ("km", 1000.0, "m"),
}


@dataclass(frozen=True)
class OlcaUnit:
    """One unit with its openLCA group and flow property (ids from olca-schema's reference table)."""

    symbol: str
    unit_id: str
    factor: float  # to the group's reference unit
    group_id: str
    group_name: str
    property_id: str
    property_name: str
    reference: str  # the group's reference unit symbol


@cache
def _table() -> dict[str, tuple[str, str, str, str, str]]:
    """openLCA reference ids by unit symbol: (unit id, group name, group id, property name, property id)."""
    import csv
    from importlib.resources import files

    text = files("olca_schema.units").joinpath("units.csv").read_text(encoding="utf-8")
    rows = csv.reader(text.splitlines())
    next(rows)
    return {row[0]: (row[1], row[2], row[3], row[4], row[5]) for row in rows}


def unit_of(name: str) -> OlcaUnit | None:
    """The openLCA unit of the Brightway unit ``name``; None when it is not in :data:`UNITS`."""
    if name not in UNITS:
        return None
    symbol, factor, reference = UNITS[name]
    unit_id, group_name, group_id, property_name, property_id = _table()[symbol]
    return OlcaUnit(symbol, unit_id, factor, group_id, group_name, property_id, property_name, reference)


def unit_groups(used) -> tuple[list, list]:
    """(UnitGroup entities, FlowProperty entities) holding the OlcaUnits ``used``, each group with its
    reference unit and the used units."""
    import olca_schema as o

    groups: dict[str, list[OlcaUnit]] = {}
    for unit in used:
        groups.setdefault(unit.group_id, []).append(unit)
    group_entities, properties = [], []
    for members in groups.values():
        first = members[0]
        name_of = {v[0]: k for k, v in UNITS.items()}
        reference = unit_of(name_of[first.reference])
        units = {u.symbol: u for u in [reference, *members]}
        prop_ref = o.Ref(ref_type=o.RefType.FlowProperty, id=first.property_id, name=first.property_name)
        group_entities.append(o.UnitGroup(
            id=first.group_id, name=first.group_name, default_flow_property=prop_ref,
            units=[o.Unit(id=u.unit_id, name=u.symbol, conversion_factor=u.factor, is_ref_unit=u.factor == 1.0
                          and u.symbol == first.reference) for u in sorted(units.values(), key=lambda u: u.factor)]))
        properties.append(o.FlowProperty(
            id=first.property_id, name=first.property_name, flow_property_type=o.FlowPropertyType.PHYSICAL_QUANTITY,
            unit_group=o.Ref(ref_type=o.RefType.UnitGroup, id=first.group_id, name=first.group_name)))
    return group_entities, properties
