"""Validate the inventory workbooks and turn them into linked, typed activities.

:func:`load_inventory` reads every workbook of a folder, collects *every* problem (file,
sheet, row, column, and a hint), and raises one :class:`~lca.errors.InventoryError` listing
them all; nothing is written anywhere. What it returns is the validated inventory that
:mod:`lca.project` writes to Brightway.
"""

from __future__ import annotations

from pathlib import Path

from lca.errors import CellRef, InventoryError, Problem
from lca.inventory.activity_rows import ActivityChecks, Draft
from lca.inventory.exchange_rows import EXCHANGE_COLUMNS, ExchangeChecks
from lca.inventory.flows import flow_index
from lca.inventory.linking import ExternalActivity, external_leaf
from lca.inventory.model import Activity, Database, Exchange, Inventory, ParameterValue
from lca.inventory.tables import ParameterChecks, parameter_values
from lca.paths import workbook_files
from lca.rules import brief

__all__ = ["Exchange", "Activity", "ParameterValue", "Database", "Inventory", "load_inventory", "stale_amounts",
           "EXCHANGE_COLUMNS"]


class _Checker(ActivityChecks, ExchangeChecks, ParameterChecks):
    """Every check of the workbooks, each problem collected with its cell (the parts: the workbook and
    activity blocks in :mod:`lca.inventory.activity_rows`, the exchange rows in
    :mod:`lca.inventory.exchange_rows`, the parameter tables in :mod:`lca.inventory.tables`)."""

    def __init__(self, folder: Path, external=None):
        self.folder = folder
        self.external = external  # database name -> [ExternalActivity] or None: the project's other databases
        self.problems: list[Problem] = []
        self.stale: list[tuple[CellRef, float]] = []  # amount cells that disagree with their formula
        self.unsourced: list[Problem] = []  # exchanges without a source (problems only when strict)

    def add(self, where: CellRef, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, hint))


def _place(problem: Problem):
    where = problem.where
    return (where.file, where.sheet or "", where.row or 0, where.column or "")


def _write_order(checker: _Checker, databases: dict, drafts_by_db: dict) -> list[str]:
    """Providers before consumers; a loop between databases is a problem."""
    needs = {name: set() for name in databases}
    for name, database in databases.items():
        for activity in database.activities:
            for exchange in activity.exchanges:
                other = exchange.input[0]
                if other != name and other in needs:
                    needs[name].add(other)
    order, done = [], set()
    while len(done) < len(needs):
        ready = sorted(n for n in needs if n not in done and needs[n] <= done)
        if not ready:
            stuck = sorted(n for n in needs if n not in done)
            where = CellRef(drafts_by_db[stuck[0]][0].book.path.name) if drafts_by_db[stuck[0]] else CellRef(stuck[0])
            checker.add(where, f"databases {', '.join(stuck)} consume each other's activities",
                        "background data must not consume foreground activities; move the shared activity "
                        "into one workbook")
            return order + stuck
        order.extend(ready)
        done.update(ready)
    return order


def _linked_external(databases: dict, providers: dict) -> tuple[Activity, ...]:
    """The project activities (outside the workbooks) that exchanges link to, as leaf activities: a production
    of 1 and nothing else, as the inventory's checks see them (their own data stay in Brightway)."""
    wanted = {e.input for db in databases.values() for a in db.activities for e in a.exchanges
              if e.type != "biosphere" and e.input[0] not in databases}
    found = {p.key: p for candidates in providers.values() for p in candidates
             if isinstance(p, ExternalActivity) and p.key in wanted}
    return tuple(external_leaf(found[key]) for key in sorted(found))


def stale_amounts(folder: Path) -> list[tuple[CellRef, float]]:
    """The amount cells (exchanges and parameters) that disagree with their formula, each with the
    formula's value: what to type in them, e.g. after a parameter's value was edited."""
    checker = _Checker(Path(folder))
    try:
        load_inventory(folder, check_solvable=False, _checker=checker)
    except InventoryError:
        pass
    return list(checker.stale)


def load_inventory(folder: Path, *, check_solvable: bool = True, strict: bool = False, external=None,
                   _checker: _Checker | None = None) -> Inventory:
    """Read, validate and link every workbook in ``folder``; raise InventoryError listing all problems.
    An exchange without a source is a problem only when ``strict``; otherwise the inventory lists it
    (``unsourced``) for a warning. ``external`` (database name -> list of
    :class:`~lca.inventory.linking.ExternalActivity`, or None) reads the databases of the Brightway
    project that no workbook defines, for exchanges that link to them (lca.brightway.foreign)."""
    folder = Path(folder)
    checker = _checker or _Checker(folder, external)
    books = [b for b in (checker.read(p) for p in workbook_files(folder)) if b is not None]
    # project parameters are shared by all workbooks
    project_specs, project_meta = [], {}
    for book in books:
        specs, meta = checker._parameter_specs(book, book.project_parameters)
        project_specs.extend(specs)
        project_meta.update(meta)
    project_symbols = checker._evaluate(project_specs, {}, project_meta)

    drafts_by_db: dict[str, list[Draft]] = {}
    db_info = {}
    seen_db: dict[str, CellRef] = {}
    for book in books:
        drafts, info = checker.drafts(book, project_symbols)
        name = info[0]
        if name in seen_db:
            checker.add(book.database[1], f"database {brief(name)} is also defined in {seen_db[name]}",
                        "give each workbook its own database name")
            continue
        seen_db[name] = book.database[1]
        drafts_by_db[name] = drafts
        db_info[name] = (book.path, info)

    providers: dict[tuple[str, str], list[Draft]] = {}
    names_by_db: dict[str, set[str]] = {name: set() for name in drafts_by_db}
    for name, drafts in drafts_by_db.items():
        for draft in drafts:
            providers.setdefault((name, draft.name), []).append(draft)
            names_by_db[name].add(draft.name)
    flows = flow_index()

    databases = {}
    for name, drafts in drafts_by_db.items():
        activities = []
        for draft in drafts:
            exchanges = checker.exchanges(draft, providers, names_by_db, flows)
            activities.append(Activity(
                database=draft.database, code=draft.code, name=draft.name, location=draft.location,
                unit=draft.unit, reference_product=draft.reference_product,
                where=draft.ref(draft.raw.start.number, "B"),
                metadata=tuple((k, v) for k, v in draft.metadata.items()), exchanges=exchanges,
                parameters=draft.parameters,
                meta_cells=tuple((k, draft.ref(row.number, "B")) for k, (_, row) in draft.raw.metadata.items()
                                 if k in draft.metadata),
            ))
        path, (_, metadata, parameters) = db_info[name]
        databases[name] = Database(name, path, metadata, parameters, tuple(activities))

    order = _write_order(checker, databases, drafts_by_db)
    if strict:
        checker.problems.extend(checker.unsourced)
    if checker.problems:
        raise InventoryError(sorted(checker.problems, key=_place))
    inventory = Inventory(folder, tuple(databases[n] for n in order),
                          parameter_values(project_specs, project_meta, project_symbols),
                          unsourced=tuple(sorted(checker.unsourced, key=_place)),
                          external=_linked_external(databases, providers))
    from lca.inventory.product_rows import product_problems
    from lca.inventory.regulation_rows import regulation_problems
    from lca.inventory.route_rows import byproduct_problems, route_problems
    from lca.inventory.site_rows import site_problems
    from lca.inventory.solvable import unsolvable_problems
    from lca.inventory.transport import transport_problems

    problems = (route_problems(inventory) + product_problems(inventory) + transport_problems(inventory)
                + byproduct_problems(inventory) + site_problems(inventory) + regulation_problems(inventory))
    if check_solvable:
        problems += unsolvable_problems(inventory)
    if problems:
        raise InventoryError(problems)
    return inventory
