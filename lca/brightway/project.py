"""The Brightway project: chosen, built from the workbooks, and kept in step with them.

One data folder holds one Brightway project per inventory folder. The project holds
``biosphere3`` (from bw2io's bundled flow list), the offered climate-change methods (from
bw2io's bundled LCIA file) and one database per workbook. A content fingerprint of the
workbooks is stored beside the project; when it differs from the workbooks on disk, the
inventory databases are validated and rewritten before any result is computed, so a result
is never stale. A file lock (filelock) serialises `lca` processes on one data folder.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lca import __version__
from lca.brightway.datafolder import check_writable, project_damage
from lca.brightway.exchange_parts import PARTS, merge_formula_exchanges, parts_of
from lca.brightway.methods import METHODS, install_methods
from lca.brightway.names import _project_dir, _project_name
from lca.brightway.repair import (
    base_zips,
    check_project,
    database_metadata,
    describe,
    open_registry,
    owned_databases,
    owned_files,
    remove_project,
    reprocess_base,
    update_base_in_place,
)
from lca.brightway.session import import_brightway
from lca.brightway.session import load_state as _load_state
from lca.brightway.session import quiet as _quiet
from lca.brightway.session import read_state as _read_state
from lca.brightway.session import write_state as _write_state
from lca.errors import DataFolderError, LCAError, ProjectError, ProjectLockTimeout
from lca.paths import resolve_data_dir, resolve_inventories, workbook_files

__all__ = ["OpenProject", "open_project", "fingerprint", "workbook_hashes", "import_brightway", "BUILD_SCHEMA"]

# Bump when the way workbooks are written to Brightway changes: forces a rebuild.
BUILD_SCHEMA = "13"
BASE_PROJECT = "lca-cfp-base"  # biosphere3 + methods, copied into each inventory folder's project
_LOCK_FILE = "lca-cfp.lock"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class OpenProject:
    """A built, current project; valid while the ``open_project`` context is open."""

    name: str
    data_dir: Path
    inventories: Path
    fingerprint: str
    databases: tuple[str, ...]
    rebuilt: bool
    directory: Path | None = None  # the Brightway project's folder
    background: str | None = None  # the background mapping the tool's databases were written with (None: shipped)
    background_note: str = ""  # what the mapping replaced, for the run's notes

    def parametric_model(self):
        """The parameters, distributions and parameterised exchanges written on import."""
        from lca.brightway.parametric import FILE_NAME
        from lca.brightway.parametric_store import load_model

        path = self.directory / FILE_NAME
        try:
            return load_model(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # checked at open: changed since, by another program
            raise DataFolderError(f"The parametric model {path} cannot be read ({type(exc).__name__}: "
                                  f"{str(exc)[:120]}). Run the command again: the tool checks the file when it "
                                  "opens the project and rebuilds it from the workbooks.") from exc


def workbook_hashes(folder: Path) -> tuple[tuple[str, str], ...]:
    """(file name, SHA-256 hex) of each workbook in the folder."""
    return tuple((path.name, hashlib.sha256(path.read_bytes()).hexdigest()) for path in workbook_files(folder))


def fingerprint(folder: Path) -> str:
    """SHA-256 over the build schema and each workbook's name and bytes."""
    digest = hashlib.sha256(f"lca-cfp build {BUILD_SCHEMA}\n".encode())
    for name, sha in workbook_hashes(folder):
        digest.update(name.encode() + b"\0")
        digest.update(bytes.fromhex(sha))
    return digest.hexdigest()


def _base_fingerprint() -> str:
    names = "|".join("/".join(m.name) for m in METHODS)
    return hashlib.sha256(f"{BUILD_SCHEMA}|{names}".encode()).hexdigest()


def _build_base(bd, progress: Progress) -> None:
    with _quiet():
        import bw2io

        if "biosphere3" in bd.databases:
            del bd.databases["biosphere3"]
        progress("  writing biosphere3 (elementary flows bundled with bw2io)")
        bw2io.create_default_biosphere3()
        gc.collect()  # bw2io leaves the flow list's file open; close it while warnings are off
        progress(f"  writing {len(METHODS)} climate-change methods (IPCC 2021, IPCC 2013)")
        install_methods()


def _write_inventory(bd, inventory, progress: Progress, *, owned: set[str], project: str) -> tuple[str, ...]:
    """Replace the tool's databases with the workbooks' ones; databases the tool did not write are left alone."""
    names = tuple(db.name for db in inventory.databases)
    with _quiet():
        foreign = sorted(n for n in bd.databases if n != "biosphere3" and n not in owned)
        clashes = [db for db in inventory.databases if db.name in foreign or db.name == "biosphere3"]
        if clashes:
            db = clashes[0]
            raise ProjectError(
                f"The Brightway project {project} already holds a database {db.name!r} that the tool did not "
                f"write, and the workbook {db.path.name} defines a database of that name; nothing was changed. "
                "Rename the database in the workbook (its 'Database' row), or delete that database from the "
                "project with bw2data if you no longer need it.")
        if foreign:
            progress(f"  leaving alone {len(foreign)} database{'s' if len(foreign) != 1 else ''} that the tool did "
                     f"not write: {', '.join(foreign)}")
        for stale in sorted(owned - set(names)):
            del bd.databases[stale]
        for database in inventory.databases:
            progress(f"  writing {database.name} ({database.path.name}, {len(database.activities)} activities)")
            if database.name in bd.databases:
                del bd.databases[database.name]
            data = {}
            for activity in database.activities:
                record = {k: v for k, v in activity.metadata}
                record.update({
                    "name": activity.name, "location": activity.location, "unit": activity.unit,
                    "reference product": activity.reference_product, "type": "process",
                    "worksheet": activity.where.sheet, "source row": activity.where.row,
                })
                # formula exchanges sharing input and type: one Brightway exchange (lca.brightway.exchange_parts)
                record["exchanges"] = merge_formula_exchanges([_exchange_record(e) for e in activity.exchanges])
                data[activity.key] = record
            db = bd.Database(database.name)
            db.register(**database_metadata(database, project))
            db.write(data)
            _register_parameters(bd, database)
        _save_parametric_model(bd, inventory, names)
        dependent = [n for n in foreign if set(bd.databases[n].get("depends", ())) & set(names)]
    for name in dependent:  # its processed arrays hold the node ids of the databases just rewritten
        progress(f"  {name} links to {', '.join(sorted(set(bd.databases[name]['depends']) & set(names)))}, "
                 f"rewritten just now: process it again before using it outside the tool "
                 f"(bw2data: Database({name!r}).process()); the tool leaves it as it was")
    return names


def _save_parametric_model(bd, inventory, names) -> None:
    """Write the parametric model (lca.parametric) beside the project, with node and exchange ids: one
    formula exchange (and one uncertain exchange) per part of a merged exchange, with its part index."""
    from bw2data.backends import ActivityDataset, ExchangeDataset

    from lca.brightway.parametric import FILE_NAME
    from lca.brightway.parametric_store import build_model, save_model
    from lca.distributions import from_fields

    linked = sorted({a.database for a in inventory.external})  # the project's own background, where linked
    node_ids = {(a.database, a.code): a.id for a in
                ActivityDataset.select(ActivityDataset.id, ActivityDataset.database, ActivityDataset.code)
                .where(ActivityDataset.database << list(names) + ["biosphere3"] + linked)}
    formula_exchanges, uncertain = [], []
    for exc in ExchangeDataset.select().where(ExchangeDataset.output_database << list(names)):
        output, input_key = (exc.output_database, exc.output_code), (exc.input_database, exc.input_code)
        parts = parts_of(exc.data)
        for k, data in enumerate(parts):
            part = k if PARTS in exc.data else None
            formula = data.get("formula")
            if formula:
                formula_exchanges.append((exc.id, output, input_key, exc.type, formula, data.get("amount"), part))
            distribution = from_fields(data["amount"], data) if data.get("uncertainty type") else None
            if distribution is not None:
                uncertain.append((exc.id, output, input_key, exc.type, distribution, part))
    save_model(build_model(inventory, node_ids, formula_exchanges, uncertain), Path(bd.projects.dir) / FILE_NAME)


def _register_parameters(bd, database) -> None:
    """Make the database parameters and exchange formulas live Brightway parameters.

    The tool evaluates formulas itself (the amounts written above are already the results);
    this makes the project parametric for other Brightway tools too: after a change of a
    DatabaseParameter, ``bw2data.parameters.recalculate()`` rewrites the amounts. Each activity
    with formulas gets its own group, as ``bw2io.ExcelImporter`` only does for activities that
    have activity parameters.
    """
    from bw2data.parameters import ActivityParameter, ParameterizedExchange, parameters

    if not database.parameters:
        return
    records = []
    for p in database.parameters:
        record = {"name": p.name, "amount": p.amount, "unit": p.unit, "source": p.source}
        if p.formula:
            record["formula"] = p.formula
        if p.distribution is not None or p.minimum is None or p.maximum is None or p.minimum != p.maximum:
            # a fixed value's minimum = maximum (composition_sum = 1) is the tool's own check; Activity
            # Browser refuses such bounds (ImproperBoundsError), so they stay in the workbook only
            record.update({k: v for k, v in (("minimum", p.minimum), ("maximum", p.maximum)) if v is not None})
        if p.distribution is not None:
            record.update(p.distribution.fields())
        records.append(record)
    parameters.new_database_parameters(records, database.name)
    # one transaction for all groups: bw2data saves each parameterised exchange on its own (a commit each)
    taken = {group for (group,) in ActivityParameter.select(ActivityParameter.group)  # another database's
             .where(ActivityParameter.database != database.name).tuples()}  # (a bw2io re-import): left to it
    with ParameterizedExchange._meta.database.atomic():
        for activity in database.activities:
            if any(e.formula for e in activity.exchanges):
                group = f"{database.name}:{activity.code}"
                parameters.add_exchanges_to_group(group if group not in taken else f"lca-cfp:{group}", activity.key)
    bd.Database(database.name).process()


def _exchange_record(exchange) -> dict:
    record = {"input": exchange.input, "amount": exchange.amount, "type": exchange.type,
              "unit": exchange.unit, "comment": exchange.comment,
              # where the workbook states it: the tool's readers keep the workbook's order of merged parts
              "worksheet": exchange.where.sheet, "source row": exchange.where.row}
    if exchange.formula:
        record["formula"] = exchange.formula
        # what bw2data's add_exchanges_to_group would otherwise save exchange by exchange (slow)
        record["original_amount"] = exchange.amount
    record.update(dict(exchange.uncertainty))
    record.update(dict(exchange.quality))  # TeR, GeR, TiR, primary data (lca.dataquality), as bw2io keeps them
    if exchange.role:
        record["role"] = exchange.role  # 'credit' or 'waste' (lca.rules): why a negative amount is right
    return record


@contextmanager
def open_project(
    *,
    data_dir: str | os.PathLike | None = None,
    inventories: str | os.PathLike | None = None,
    progress: Progress | None = None,
    lock_timeout: float = 600.0,
    background: str | None = None,
) -> Iterator[OpenProject]:
    """Open (building, rebuilding or repairing as needed) the project for an inventory folder.

    ``background`` names a background mapping (lca.inventory.background_map; None or 'shipped': the
    workbooks' own background). The data-folder lock is held for the whole ``with`` block, so a
    calculation never sees a project another process is rewriting.
    """
    from filelock import FileLock, Timeout

    progress = progress or (lambda message: None)
    data_dir = resolve_data_dir(data_dir)
    folder = resolve_inventories(inventories)
    check_writable(data_dir, "Brightway data folder")
    lock = FileLock(str(data_dir / _LOCK_FILE))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout as exc:
        raise ProjectLockTimeout(
            f"Another `lca` process has held {data_dir / _LOCK_FILE} for over {lock_timeout:.0f} s. "
            "Wait for it to finish; if none is running, delete the lock file."
        ) from exc
    except OSError as exc:
        raise DataFolderError(f"Cannot create the lock file {data_dir / _LOCK_FILE}: {exc.strerror or exc}. Make "
                              "the data folder writable, or choose another with --data-dir or BRIGHTWAY2_DIR.") from exc
    try:
        yield _prepare(data_dir, folder, progress, background)
    finally:
        lock.release()


def _ensure_base_project(bd, data_dir: Path, progress: Progress) -> None:
    """Make the shared base project (biosphere3 + methods) current, building it if needed."""
    base_dir = _project_dir(data_dir, BASE_PROJECT)
    if base_dir.is_dir():
        state, state_problem = _load_state(base_dir)
        damage = project_damage(base_dir, state, state_problem) if state.get("base") == _base_fingerprint() else []
        if damage:  # the base project is the tool's alone
            progress(f"{describe(damage)}: rebuilding the Brightway base project.")
            remove_project(bd, BASE_PROJECT, base_dir)
    with _quiet():
        bd.projects.set_current(BASE_PROJECT)
    project_dir = Path(bd.projects.dir)
    if _read_state(project_dir).get("base") == _base_fingerprint() and "biosphere3" in bd.databases:
        return
    progress(f"Building the Brightway base project in {data_dir} (first run; no network needed)")
    try:
        _build_base(bd, progress)
    except Exception as exc:  # a half-written base must not be trusted next time
        _write_state(project_dir, {})
        raise ProjectError(f"Could not build the Brightway project in {data_dir}: {exc}. "
                           "Delete that folder and run again.") from exc
    _write_state(project_dir, {"base": _base_fingerprint(), "tool": __version__, "zips": base_zips(bd, project_dir)})


def _prepare(data_dir: Path, folder: Path, progress: Progress, background: str | None = None) -> OpenProject:
    from lca.brightway.background_package import build_package
    from lca.brightway.datafolder import file_record
    from lca.brightway.foreign import (
        characterise_linked_biospheres,
        external_reader,
        foreign_identity,
        mapping_note,
        run_fingerprint,
    )
    from lca.inventory.background_map import SHIPPED, apply_mapping, mapping_path, read_mapping
    from lca.inventory.load import load_inventory

    mapping_file = mapping_path(folder, background) if background and background != SHIPPED else None
    workbooks = fingerprint(folder)
    bd = open_registry(data_dir)
    name = _project_name(folder)
    project_dir = _project_dir(data_dir, name)
    state, foreign, repair = check_project(bd, name, project_dir, progress)
    rebuilt = False
    if state.get("base") == _base_fingerprint() or (project_dir.is_dir() and any(foreign)):
        try:
            with _quiet():
                bd.projects.set_current(name)
        except Exception as exc:
            raise DataFolderError(f"Brightway could not open the project folder {project_dir} ({type(exc).__name__}: "
                                  f"{str(exc)[:200]}). Restore it from a backup, or delete it and run again: the tool "
                                  "rebuilds it from the workbooks.") from exc
        if state.get("base") != _base_fingerprint():  # a new tool version, in a project that holds other data
            update_base_in_place(bd, project_dir, foreign, progress)
            state = {k: v for k, v in state.items() if k not in ("inventory", "files")}
            state.update(base=_base_fingerprint(), tool=__version__, zips=base_zips(bd, project_dir))
            _write_state(project_dir, state)
            rebuilt = True
        if repair:
            reprocess_base(bd)
    else:
        # a new inventory folder (or a new tool version): start from a copy of the base project
        _ensure_base_project(bd, data_dir, progress)
        remove_project(bd, name, project_dir)
        with _quiet():
            bd.projects.set_current(BASE_PROJECT)
            bd.projects.copy_project(name, switch=True)
        state = _read_state(project_dir)
        rebuilt = True
    owned = owned_databases(bd, state, name)
    mapping_sha = hashlib.sha256(mapping_file.read_bytes()).hexdigest() if mapping_file else None
    current = run_fingerprint(workbooks, mapping_sha, foreign_identity(bd, owned))
    if state.get("inventory") != current or repair:
        background_name = mapping_file.stem if mapping_file else None
        if rebuilt or repair or "inventory" not in state:  # new, repaired, or the last import did not finish
            progress(f"Checking and importing the inventory workbooks in {folder}")
        elif state.get("workbooks", workbooks) != workbooks:
            progress(f"Inventory workbooks in {folder} changed: checking and re-importing them")
        elif (state.get("background"), state.get("background sha")) != (background_name, mapping_sha):
            progress(f"The background changed ({state.get('background') or 'shipped'} to "
                     f"{background_name or 'shipped'}, or its mapping was edited): checking and re-importing the "
                     "inventory workbooks")
        else:
            progress("A database the tool did not write changed (or was imported): checking and re-importing the "
                     "inventory workbooks that may link to it")
        external = external_reader(bd, owned)
        inventory = load_inventory(folder, external=external)  # raises before anything is written
        note = ""
        if mapping_file is not None:
            mapping = read_mapping(mapping_file, inventory, external)
            inventory = apply_mapping(inventory, mapping)
            note = mapping_note(mapping)
            progress(f"  {note}")
        if inventory.unsourced:
            first = inventory.unsourced[0]
            progress(f"  warning: {len(inventory.unsourced):,} exchange{'s' if len(inventory.unsourced) != 1 else ''} "
                     f"without a source (first: {first.where}); `lca inventory check` lists them")
        state = {k: v for k, v in state.items() if k not in ("inventory", "files", "background note")}
        _write_state(project_dir, state)  # from here until the end, the project is not current
        try:
            databases = _write_inventory(bd, inventory, progress, owned=owned, project=name)
            biospheres = characterise_linked_biospheres(bd, inventory, state, progress)
            files = owned_files(bd, project_dir, databases)
            package = build_package(bd, inventory, project_dir, progress)
            if package is not None:
                files[package.name] = file_record(package)
        except LCAError:
            raise
        except Exception as exc:
            raise ProjectError(f"Could not write the inventories to Brightway: {exc}") from exc
        state = dict(state, inventory=current, databases=list(databases), folder=str(folder), files=files,
                     workbooks=workbooks, background=background_name, biospheres=biospheres,
                     **{"background note": note, "background sha": mapping_sha})
        _write_state(project_dir, state)
        rebuilt = True
        progress("Project ready.")
    return OpenProject(name=name, data_dir=data_dir, inventories=folder, fingerprint=current,
                       databases=tuple(state.get("databases", ())), rebuilt=rebuilt, directory=project_dir,
                       background=state.get("background"), background_note=state.get("background note", ""))

