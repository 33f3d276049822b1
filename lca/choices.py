"""The closed choices of the tool, as ``str`` enums: each member compares equal to its text, so
a value read from a command line, a workbook or JSON is checked once and then passed on typed."""

from __future__ import annotations

from enum import Enum

__all__ = ["ByproductAllocation", "RecyclingAllocation", "SubjectKind", "OutputFormat", "SupplySwitch"]


class _Choice(str, Enum):
    def __str__(self) -> str:
        return self.value

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)


class ByproductAllocation(_Choice):
    """How a multi-output process shares its burden with its co-products (docs/byproducts.md)."""

    ECONOMIC = "economic"
    MASS = "mass"
    NONE = "none"

    @classmethod
    def default(cls) -> ByproductAllocation:
        return cls.ECONOMIC


class RecyclingAllocation(_Choice):
    """How a recycled route shares the burden of primary material (docs/allocation.md)."""

    CUT_OFF = "cut-off"
    AVOIDED_BURDEN = "avoided-burden"
    CFF = "cff"


class SubjectKind(_Choice):
    """What a command is about: a comparison of routes or a product."""

    COMPARISON = "comparison"
    PRODUCT = "product"


class OutputFormat(_Choice):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class SupplySwitch(_Choice):
    """How a supply mix is switched in a product scenario: all from one route, or a recycled share."""

    ROUTE = "route"
    SHARE = "share"
