"""Unit names: the canonical Brightway spellings and the aliases users type.

The canonical names are the ones bw2io writes after ``normalize_units`` (ecoinvent's unit
names). A tonne is a metric tonne: ``t``, ``tonne`` and ``metric ton`` all mean 1000 kg.
"""

from __future__ import annotations

__all__ = ["CANONICAL_UNITS", "normalize_unit", "is_known_unit"]

CANONICAL_UNITS = frozenset(
    {
        "kilogram", "gram", "metric ton",
        "kilowatt hour", "megajoule", "kilojoule", "gigajoule", "watt hour",
        "ton kilometer", "kilogram kilometer", "person kilometer", "vehicle kilometer",
        "cubic meter", "normal cubic meter", "standard cubic meter", "litre",
        "square meter", "square meter-year", "cubic meter-year", "meter", "kilometer",
        "meter-year", "hour", "year", "unit", "hectare", "kilo Becquerel", "Becquerel",
        "kilogram day", "kilometer-year", "livestock unit",
    }
)

# Aliases, lower-cased. bw2io writes "ton" for "t": ecoinvent's ton is the metric tonne.
_ALIASES = {
    "kg": "kilogram", "g": "gram",
    "t": "metric ton", "ton": "metric ton", "tonne": "metric ton", "tonnes": "metric ton",
    "kwh": "kilowatt hour", "mj": "megajoule", "kj": "kilojoule", "gj": "gigajoule",
    "wh": "watt hour", "tkm": "ton kilometer", "t*km": "ton kilometer",
    "metric ton*km": "ton kilometer", "kgkm": "kilogram kilometer", "pkm": "person kilometer",
    "vkm": "vehicle kilometer", "m3": "cubic meter", "nm3": "normal cubic meter",
    "sm3": "standard cubic meter", "l": "litre", "m2": "square meter", "m": "meter",
    "km": "kilometer", "h": "hour", "hr": "hour", "a": "year", "p": "unit", "item(s)": "unit",
    "ha": "hectare", "kbq": "kilo Becquerel", "bq": "Becquerel",
}
_BY_LOWER = {u.lower(): u for u in CANONICAL_UNITS}


def normalize_unit(unit: object) -> object:
    """Return the canonical spelling of ``unit``, or ``unit`` unchanged if unknown."""
    if not isinstance(unit, str):
        return unit
    key = unit.strip().lower()
    return _ALIASES.get(key) or _BY_LOWER.get(key) or unit.strip()


def is_known_unit(unit: object) -> bool:
    return isinstance(unit, str) and normalize_unit(unit) in CANONICAL_UNITS
