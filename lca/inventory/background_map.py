"""A background mapping: the workbook that puts another database under the routes (``--background NAME``).

A mapping workbook (``<inventories>/backgrounds/NAME.xlsx``, sheet ``Mapping``) names, for
activities of the tool's background databases (``cfp_background``: grids, fuels, freight,
reagents), a provider in a database of the Brightway project that no workbook defines (ecoinvent
imported with bw2io or ecoinvent_interface, a national database, or one copied in from another
project). One row per activity:

    database | activity | location | unit | provider database | provider code |
    provider name | provider reference product | provider location | source

``database`` defaults to ``cfp_background``; the provider is named by its code, or by name,
reference product and location (as an exchange links). The units must be equal (no factor is
applied) and every row needs a source. A mapped activity keeps its name, code and place in the
supply chain, so every result, stage and report reads as before; its own inputs and emissions are
replaced by one input of 1 unit of its provider. Activities a mapping does not name stay as shipped
(the run says how many). Only an activity of a database that draws on no other workbook database
(a background) can be mapped: a route's own activities are the study, not its background.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from lca.errors import CellRef, InventoryError, NotAWorkbook, Problem
from lca.inventory.linking import ExternalActivity, add_external, external_leaf, link_technosphere
from lca.inventory.model import Activity, Exchange, Inventory
from lca.inventory.tables import cell_text as _text
from lca.inventory.units import normalize_unit
from lca.inventory.workbook import column_letter, load_rows
from lca.rules import brief

__all__ = ["MappingRow", "BackgroundMapping", "MAPPING_SHEET", "MAPPING_COLUMNS", "mapping_path", "read_mapping",
           "apply_mapping", "available_mappings", "SHIPPED"]

MAPPING_SHEET = "Mapping"
MAPPING_COLUMNS = ("database", "activity", "location", "unit", "provider database", "provider code", "provider name",
                   "provider reference product", "provider location", "source")
_REQUIRED = ("activity", "unit", "provider database", "source")
DEFAULT_DATABASE = "cfp_background"
SHIPPED = "shipped"  # --background shipped: the workbooks' own background, as when no mapping is named
FOLDER = "backgrounds"


@dataclass(frozen=True)
class MappingRow:
    where: CellRef
    activity: tuple[str, str]  # (database, code) of the tool's activity that is mapped
    provider: tuple[str, str]  # (database, code) in the project
    provider_label: str  # the provider as a reader knows it: name (location) in database
    unit: str
    source: str
    provider_activity: ExternalActivity | None = None


@dataclass(frozen=True)
class BackgroundMapping:
    name: str
    path: Path
    sha256: str
    rows: tuple[MappingRow, ...]
    unmapped: tuple[str, ...] = ()  # names of the background activities left as shipped

    @property
    def databases(self) -> tuple[str, ...]:
        """The project databases the mapping links to."""
        return tuple(sorted({row.provider[0] for row in self.rows}))


def available_mappings(folder: Path) -> tuple[str, ...]:
    directory = Path(folder) / FOLDER
    return tuple(sorted(p.stem for p in directory.glob("*.xlsx") if not p.name.startswith("~$"))) \
        if directory.is_dir() else ()


def mapping_path(folder: Path, name: str) -> Path:
    """The mapping workbook of ``name``: a path to an .xlsx file, or a name in ``<folder>/backgrounds``."""
    if name.lower().endswith(".xlsx") or "/" in name or "\\" in name:
        path = Path(name).expanduser()
    else:
        path = Path(folder) / FOLDER / f"{name}.xlsx"
    if not path.is_file():
        from lca.paths import shipped_inventories

        offered = available_mappings(folder)
        if offered:
            hint = f"the inventory folder's mappings are: {', '.join(offered)}"
        elif Path(folder).resolve() == shipped_inventories().resolve():  # the installed package: not for edits
            hint = ("copy the inventories (`lca inventory init DIR`), put the mapping in DIR/backgrounds and run with "
                    "--inventories DIR (docs/background.md)")
        else:
            hint = f"put a mapping workbook in {Path(folder) / FOLDER} (docs/background.md)"
        raise InventoryError([Problem(CellRef(str(path)), f"background mapping {name!r} not found",
                                      f"{hint}; or give the path of an .xlsx file; '{SHIPPED}' is the shipped "
                                      "background")])
    return path


def _background_databases(inventory: Inventory) -> set[str]:
    """Workbook databases that draw on no other workbook database."""
    names = {db.name for db in inventory.databases}
    return {db.name for db in inventory.databases
            if not any(e.input[0] in names and e.input[0] != db.name
                       for a in db.activities for e in a.exchanges if e.type != "biosphere")}


def read_mapping(path: Path, inventory: Inventory, external) -> BackgroundMapping:
    """Read and check a mapping workbook against the inventory and the project (``external``: database name ->
    [ExternalActivity] or None); raise InventoryError listing every problem with its cell."""
    path = Path(path)
    try:
        sheets = dict(load_rows(path))
    except NotAWorkbook as exc:
        raise InventoryError(list(exc.problems)) from exc
    problems: list[Problem] = []

    def add(where, message, hint=""):
        problems.append(Problem(where, message, hint))

    rows = sheets.get(MAPPING_SHEET)
    if not rows:
        raise InventoryError([Problem(CellRef(path.name), f"has no sheet {MAPPING_SHEET!r} with a header row",
                                      f"name the sheet {MAPPING_SHEET} and label row 1: {', '.join(MAPPING_COLUMNS)}")])
    header = rows[0]
    labels = [_text(v).lower() for v in header.cells]
    for index, label in enumerate(labels):
        if label and label not in MAPPING_COLUMNS:
            add(CellRef(path.name, MAPPING_SHEET, header.number, column_letter(index)), f"unknown column {label!r}",
                f"the columns are: {', '.join(MAPPING_COLUMNS)}")
    missing = [c for c in _REQUIRED if c not in labels]
    if missing or problems:
        if missing:
            add(CellRef(path.name, MAPPING_SHEET, header.number), f"the header lacks column(s) {', '.join(missing)}",
                f"label row {header.number}: {', '.join(MAPPING_COLUMNS)}")
        raise InventoryError(problems)
    column = {label: index for index, label in enumerate(labels) if label}

    by_name: dict[tuple[str, str], list[Activity]] = {}
    for db in inventory.databases:
        for activity in db.activities:
            by_name.setdefault((db.name, activity.name), []).append(activity)
    backgrounds = _background_databases(inventory)
    own = {db.name for db in inventory.databases}
    providers: dict = {}
    names_by_db: dict = {}
    mapped: dict[tuple[str, str], CellRef] = {}
    found: list[MappingRow] = []
    for row in rows[1:]:
        if not any(v not in (None, "") for v in row.cells):
            continue

        def value(label, row=row):
            return _text(row.get(column[label])) if label in column else ""

        def cell(label, row=row):
            return CellRef(path.name, MAPPING_SHEET, row.number, column_letter(column.get(label, 0)))

        database = value("database") or DEFAULT_DATABASE
        name, location, unit, source = value("activity"), value("location"), value("unit"), value("source")
        if not name:
            add(cell("activity"), "the row names no activity", "write the name of the activity to map")
            continue
        candidates = [a for a in by_name.get((database, name), []) if not location or a.location == location]
        if database not in own:
            add(cell("database"), f"database {brief(database)} is not a workbook database",
                f"map activities of: {', '.join(sorted(backgrounds))}")
            continue
        if len(candidates) != 1:
            offered = ", ".join(sorted({a.location for a in by_name.get((database, name), [])}))
            add(cell("location" if candidates else "activity"),
                f"{'no' if not candidates else len(candidates)} activit{'y' if not candidates else 'ies'} "
                f"{brief(name)} in {database}" + (f" at location {brief(location)}" if location else ""),
                f"locations offered: {offered}" if offered else "copy the name from the workbook's Activity row")
            continue
        activity = candidates[0]
        if database not in backgrounds:
            add(cell("database"), f"{brief(name)} is in {database}, which draws on other workbook databases",
                f"only background activities can be mapped (databases: {', '.join(sorted(backgrounds))})")
            continue
        if activity.key in mapped:
            add(cell("activity"), f"{brief(name)} is mapped twice (first at {mapped[activity.key]})",
                "keep one row per activity")
            continue
        if normalize_unit(unit) != activity.unit:
            add(cell("unit"), f"unit {brief(unit)} is not the unit of {brief(name)} ({activity.unit})",
                f"write {activity.unit}; a provider in another unit cannot be mapped (no factor is applied)")
            continue
        if not source:
            add(cell("source"), f"the mapping of {brief(name)} has no source",
                "say why this provider stands for the activity (database, version, dataset)")
            continue
        provider_db, code = value("provider database"), value("provider code")
        if provider_db not in names_by_db:
            offered = external(provider_db) if external is not None and provider_db not in own else None
            if offered is None:
                add(cell("provider database"), f"the project holds no database {brief(provider_db)} outside the "
                    "workbooks", "import it into the tool's project first (docs/background.md), or correct the name")
                continue
            add_external(provider_db, offered, providers, names_by_db)
        if code:
            provider = next((p for candidates in providers.values() for p in candidates
                             if p.database == provider_db and p.code == code), None)
            if provider is None:
                add(cell("provider code"), f"no activity with code {brief(code)} in {provider_db}",
                    "copy the code from bw2data (activity['code']), or give name, reference product and location")
                continue
            target = provider.key
        else:
            target, failure = link_technosphere(
                name=value("provider name"), unit=activity.unit, database=provider_db,
                location=value("provider location"), product=value("provider reference product"),
                providers=providers, names_by_db=names_by_db)
            if failure is not None:
                add(cell(f"provider {failure.column}" if failure.column != "database" else "provider database"),
                    failure.message, failure.hint)
                continue
            provider = next(p for p in providers[(provider_db, value("provider name"))] if p.key == target)
        if provider.unit != activity.unit:
            add(cell("unit"), f"{brief(name)} is in {activity.unit}, but its provider {provider.place} produces "
                f"{provider.unit}", "map it to a provider in the same unit (no factor is applied)")
            continue
        mapped[activity.key] = cell("activity")
        found.append(MappingRow(cell("activity"), activity.key, provider.key, provider.place, activity.unit, source,
                                provider))
    if not found and not problems:
        add(CellRef(path.name, MAPPING_SHEET), "maps no activity", "add one row per background activity")
    if problems:
        raise InventoryError(problems)
    unmapped = tuple(a.name for db in inventory.databases if db.name in {r.activity[0] for r in found}
                     for a in db.activities if a.key not in mapped)
    return BackgroundMapping(path.stem, path, hashlib.sha256(path.read_bytes()).hexdigest(), tuple(found), unmapped)


def apply_mapping(inventory: Inventory, mapping: BackgroundMapping) -> Inventory:
    """The inventory with each mapped activity drawing 1 unit of its provider instead of its own inputs and
    emissions (its production exchange kept)."""
    rows = {row.activity: row for row in mapping.rows}
    databases = []
    for db in inventory.databases:
        activities = []
        for activity in db.activities:
            row = rows.get(activity.key)
            if row is None:
                activities.append(activity)
                continue
            production = tuple(e for e in activity.exchanges if e.type == "production")
            link = Exchange(type="technosphere", input=row.provider, amount=1.0, unit=row.unit, where=row.where,
                            comment=f"background mapping {mapping.name}: {row.source}", name=row.provider_label)
            activities.append(replace(activity, exchanges=production + (link,), parameters=()))
        databases.append(replace(db, activities=tuple(activities)))
    leaves = {a.key: a for a in inventory.external}
    for row in mapping.rows:
        leaves.setdefault(row.provider, external_leaf(row.provider_activity))
    return replace(inventory, databases=tuple(databases), external=tuple(leaves[k] for k in sorted(leaves)))
