"""What the tool offers and what the inventories hold: `lca methods`, `lca inventory check`,
`lca inventory init`, `lca params` and `lca scenarios`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from lca.errors import InventoryError
from lca.runs.session import Changes, Where, open_session

__all__ = ["MethodList", "InventoryCheck", "InventoryInit", "ParamsRequest", "ParamsList", "ScenarioList",
           "methods", "inventory_check", "inventory_init", "params", "scenarios"]


@dataclass(frozen=True)
class MethodList:
    kind: ClassVar[str] = "methods"
    methods: tuple  # lca.brightway.methods.Method, the default first


@dataclass(frozen=True)
class InventoryCheck:
    """The check of an inventory folder: its databases' activity counts, or the InventoryError listing
    every problem (``ok`` False)."""

    kind: ClassVar[str] = "inventory-check"
    folder: Path
    databases: dict = field(default_factory=dict)  # database name -> number of activities
    error: InventoryError | None = None
    unsourced: tuple = ()  # lca.errors.Problem of each exchange without a source (a warning; --strict: an error)
    linked: tuple = ()  # ((database, activities linked), ...) of the project's databases no workbook defines
    background: str = ""  # what the background mapping asked for (--background) maps, when one was checked

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def problems(self) -> tuple:
        return self.error.problems if self.error is not None else ()


@dataclass(frozen=True)
class InventoryInit:
    kind: ClassVar[str] = "inventory-init"
    written: tuple[Path, ...]


@dataclass(frozen=True)
class ParamsRequest:
    uncertain: bool = False  # only the parameters that have a distribution
    wide: bool = False  # the table shows sources and formulas in full
    changes: Changes = Changes()  # values shown after these changes


@dataclass(frozen=True)
class ParamsList:
    kind: ClassVar[str] = "params"
    parameters: tuple  # lca.brightway.parameters parameters, in the model's order
    values: dict | None = None  # parameter id -> value after the changes (None: no changes asked)
    wide: bool = False  # the table shows sources and formulas in full


@dataclass(frozen=True)
class ScenarioList:
    kind: ClassVar[str] = "scenarios"
    scenarios: tuple  # lca.subjects.changes.ScenarioFile, the inventories' first


def methods() -> MethodList:
    """The impact methods offered (the first is the default)."""
    from lca.brightway.methods import METHODS

    return MethodList(tuple(METHODS))


def inventory_check(inventories: str | None = None, strict: bool = False, where: Where | None = None) -> InventoryCheck:
    """Validate every workbook of the inventory folder (``inventories``, else the default one); with
    ``strict`` an exchange without a source is an error, not a warning. Exchanges that name a database
    no workbook defines, and a background mapping (``where.background``), are checked against the
    folder's Brightway project as it is (read, never built or written)."""
    from lca.brightway.foreign import mapping_note, project_reader
    from lca.inventory.background_map import SHIPPED, mapping_path, read_mapping
    from lca.inventory.load import load_inventory
    from lca.paths import resolve_inventories

    where = where or Where(inventories=inventories)
    folder = resolve_inventories(inventories or where.inventories)
    external = project_reader(where.data_dir, folder)
    note = ""
    try:
        loaded = load_inventory(folder, strict=strict, external=external)
        if where.background and where.background != SHIPPED:
            note = mapping_note(read_mapping(mapping_path(folder, where.background), loaded, external))
    except InventoryError as exc:
        return InventoryCheck(folder, error=exc)
    linked: dict[str, int] = {}
    for activity in loaded.external:
        linked[activity.database] = linked.get(activity.database, 0) + 1
    return InventoryCheck(folder, {db.name: len(db.activities) for db in loaded.databases},
                          unsourced=loaded.unsourced, linked=tuple(sorted(linked.items())), background=note)


def inventory_init(directory, overwrite: bool = False) -> InventoryInit:
    """Copy the shipped workbooks into ``directory``."""
    from lca.paths import copy_shipped_inventories

    return InventoryInit(tuple(copy_shipped_inventories(directory, overwrite=overwrite)))


def params(request: ParamsRequest | None = None, where: Where | None = None, progress=None,
           notify=None) -> ParamsList:
    """The parameters with their values after ``request.changes`` (--set, --scenario, the by-product switch)."""
    from lca.subjects.changes import resolve_changes

    request = request or ParamsRequest()
    asked = request.changes
    with open_session(where, progress, notify) as session:
        model = session.parametric
        values = None
        if asked.sets or asked.scenarios or asked.byproducts:
            from lca.subjects.byproducts import switch_changes

            fixed = switch_changes(model, asked.byproducts) if asked.byproducts else ()
            resolved = resolve_changes(model, tuple(asked.sets), tuple(asked.scenarios), session.project.inventories,
                                       fixed)
            values = model.evaluate(resolved.values).values
    parameters = tuple(p for p in model.parameters if not request.uncertain or p.distribution is not None)
    return ParamsList(parameters, values, request.wide)


def scenarios(inventories: str | None = None) -> ScenarioList:
    """The named scenarios: those of the inventory folder's 'scenarios' folder, then the shipped ones."""
    from lca.subjects.changes import list_scenarios

    return ScenarioList(tuple(list_scenarios(Path(inventories) if inventories else None)))
