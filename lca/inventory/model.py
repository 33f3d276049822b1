"""The validated inventory: typed, linked activities ready to be written to Brightway."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lca.distributions import Distribution
from lca.errors import CellRef

__all__ = ["Exchange", "Activity", "ParameterValue", "Database", "Inventory"]


@dataclass(frozen=True)
class Exchange:
    type: str
    input: tuple[str, str]  # (database, code)
    amount: float
    unit: str
    where: CellRef
    formula: str | None = None
    comment: str = ""
    uncertainty: tuple = ()  # ((field, value), ...) as stats_arrays fields
    role: str | None = None  # 'credit' or 'waste' for a marked negative amount (lca.rules), else None
    name: str = ""  # as written in the workbook, for messages
    quality: tuple = ()  # (("TeR", 1), ("GeR", 2), ("TiR", 1), ("primary data", "no")), or () unrated (lca.dataquality)


@dataclass(frozen=True)
class Activity:
    database: str
    code: str
    name: str
    location: str
    unit: str
    reference_product: str
    where: CellRef
    metadata: tuple = ()  # ((key, value), ...) custom rows such as stage or route
    exchanges: tuple[Exchange, ...] = ()
    parameters: tuple[ParameterValue, ...] = ()  # activity parameters (rare; database ones are usual)
    meta_cells: tuple = ()  # ((key, CellRef of its value), ...) of the metadata rows

    @property
    def key(self) -> tuple[str, str]:
        return (self.database, self.code)

    def meta(self, key: str, default=None):
        return dict(self.metadata).get(key, default)

    def meta_where(self, key: str) -> CellRef:
        """The cell of metadata row ``key``'s value (the Activity row's when it has none)."""
        return dict(self.meta_cells).get(key, self.where)


@dataclass(frozen=True)
class ParameterValue:
    """A parameter as written (formula, unit, source, distribution) and its evaluated value.

    ``minimum``/``maximum`` bound the distribution when there is one, else they are the
    allowed range of the value.
    """

    name: str
    amount: float
    formula: str | None
    unit: str
    source: str
    minimum: float | None = None
    maximum: float | None = None
    distribution: Distribution | None = None
    # physical limits of the quantity (columns 'lower limit' / 'upper limit'), e.g. 0 to 1 for a
    # yield: they hold for the workbook value, every draw and every --set, whatever the distribution
    lower_limit: float | None = None
    upper_limit: float | None = None
    # what the report calls it: ((language, text), ...) from the optional columns 'label' (en) and
    # 'label (ja)'; a report in a language without one names the parameter by its id
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Database:
    name: str
    path: Path
    metadata: tuple
    parameters: tuple[ParameterValue, ...]
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Inventory:
    folder: Path
    databases: tuple[Database, ...]  # in write order: providers first
    project_parameters: tuple[ParameterValue, ...] = ()
    unsourced: tuple = ()  # lca.errors.Problem of each exchange without a source (a warning unless strict)
    # activities of databases no workbook defines (the project's own background) that exchanges link to, as
    # leaves (production only); never written: they are in Brightway already
    external: tuple[Activity, ...] = ()

    @property
    def activities(self) -> dict[tuple[str, str], Activity]:
        found = {a.key: a for db in self.databases for a in db.activities}
        found.update((a.key, a) for a in self.external)
        return found
