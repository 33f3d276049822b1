"""Keeping the tool's Brightway projects sound, and its hands off data it did not write.

Used by :mod:`lca.project` under the data-folder lock: what to do about a damaged project
folder (rebuild what the tool wrote alone, repair in place, or refuse with the file and the
fix), which databases are the tool's, and the records of its own files that the next open
verifies (:mod:`lca.datafolder`).
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from lca.brightway.datafolder import (
    OWNER_KEY,
    OWNER_NAME_KEY,
    Damage,
    check_writable,
    file_record,
    foreign_data,
    marked_as_written,
    project_damage,
    sqlite_problem,
)
from lca.brightway.methods import METHODS, install_methods
from lca.brightway.session import import_brightway
from lca.brightway.session import load_state as _load_state
from lca.brightway.session import quiet as _quiet
from lca.errors import DataFolderError

__all__ = ["open_registry", "check_project", "remove_project", "describe", "base_zips", "owned_files",
           "update_base_in_place", "reprocess_base", "database_metadata", "owned_databases"]


# Database metadata keys that bw2data sets itself (or takes as arguments of ``register``): a workbook's
# metadata row of that name (one exported by bw2io, say) is kept as "workbook:<key>" instead.
_BW2DATA_KEYS = frozenset({"self", "write_empty", "backend", "depends", "number", "modified", "processed", "dirty",
                           "searchable", "geocollections", "parameters"})


def database_metadata(database, project: str) -> dict:
    """What ``register`` gets: the workbook's metadata rows, then the tool's own keys, which win."""
    metadata = {}
    for key, value in database.metadata:
        metadata[f"workbook:{key}" if key.lower() in _BW2DATA_KEYS else key] = value
    metadata.update({"source_file": database.path.name, OWNER_KEY: project, OWNER_NAME_KEY: database.name})
    return metadata


def owned_databases(bd, state: dict, project: str) -> set[str]:
    """The databases of the current project that the tool wrote: listed in its state, or marked as written by
    this project under their own name (a copy made with bw2data's Database.copy is the user's)."""
    listed = set(state.get("databases", ()))
    return {name for name in bd.databases if name in listed or marked_as_written(name, bd.databases[name], project)}


def open_registry(data_dir: Path):
    """bw2data, pointed at ``data_dir``, once its project registry (projects.db) is known to be sound."""

    registry = data_dir / "projects.db"
    problem = sqlite_problem(registry) if registry.exists() else None
    if problem is None:
        try:
            bd = import_brightway(data_dir)
            len(bd.projects)  # reads the registry
            return bd
        except Exception as exc:  # peewee / sqlite errors on a registry that passed the quick check
            problem = f"unusable ({type(exc).__name__}: {exc})"
    raise DataFolderError(
        f"The Brightway project registry {registry} is {problem}. It lists every Brightway project in "
        f"{data_dir}, yours included, so the tool does not replace it: restore it from a backup, or move it away "
        "and run again (the tool registers its own projects again; the folders of other projects stay on disk, "
        "to be registered again with bw2data).")


def remove_project(bd, name: str, project_dir: Path) -> None:
    """Unregister project ``name`` and delete its folder: only for a project all of whose data the tool wrote."""

    with _quiet():
        if name in bd.projects:
            bd.projects.delete_project(name, delete_dir=False)
    try:
        if project_dir.exists():
            shutil.rmtree(project_dir)
    except OSError as exc:
        raise DataFolderError(f"Cannot delete the damaged project folder {project_dir}: {exc.strerror or exc}. "
                              "Delete it yourself and run again.") from exc


def describe(damage: list[Damage]) -> str:
    shown = "; ".join(str(d) for d in damage[:3])
    return shown + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")


def check_project(bd, name: str, project_dir: Path, progress) -> tuple[dict, tuple, bool]:
    """Look for damage in the project folder before bw2data opens it.

    Returns (state, (foreign databases, foreign methods), repair). A damaged project that holds
    only what the tool wrote is deleted here (to be rebuilt from the workbooks); one that also
    holds other data is repaired in place (``repair``) when the damage is in files the tool
    writes alone, and refused otherwise.
    """

    if not project_dir.is_dir():
        if name in bd.projects:
            progress(f"The Brightway project folder {project_dir} is missing: rebuilding it from the workbooks.")
        return {}, ([], []), False
    check_writable(project_dir, "Brightway project folder")
    state, state_problem = _load_state(project_dir)
    damage = project_damage(project_dir, state, state_problem)
    foreign = foreign_data(project_dir, state, name, [m.name for m in METHODS])
    if not damage:
        return state, foreign or ([], []), False
    if foreign is not None and not any(foreign):
        progress(f"{describe(damage)}. Everything in the Brightway project {name} was written by the tool: "
                 "rebuilding it from the workbooks.")
        remove_project(bd, name, project_dir)
        return {}, ([], []), False
    kept = "" if foreign is None else ", ".join([*foreign[0], *("|".join(m) for m in foreign[1])])
    if foreign is None or any(d.shared for d in damage):
        holds = ("may hold data that the tool did not write (which cannot be told from the damaged files)"
                 if foreign is None else f"also holds data that the tool did not write ({kept})")
        raise DataFolderError(
            f"{describe(damage)}. The Brightway project {name} {holds}, so the tool does not delete it. "
            f"Restore the file from a backup; or, if you do not need that data, delete the folder {project_dir} "
            "and run again: the tool rebuilds its project from the workbooks. The workbooks are not at fault.")
    progress(f"{describe(damage)}. Repairing the tool's files in the Brightway project {name} from the workbooks; "
             f"leaving alone what the tool did not write ({kept}).")
    return state, foreign, True


def base_zips(bd, project_dir: Path) -> list[str]:
    """The processed datapackages of biosphere3 and the offered methods, relative to the project folder."""

    with _quiet():
        paths = [bd.Database("biosphere3").filepath_processed()]
        paths += [bd.Method(m.name).filepath_processed() for m in METHODS if m.name in bd.methods]
    return sorted(str(Path(p).relative_to(project_dir)) for p in paths)


def owned_files(bd, project_dir: Path, databases) -> dict:
    """Size and SHA-256 of the files only the tool writes: its databases' datapackages, the parametric model."""
    from lca.brightway.parametric import FILE_NAME

    with _quiet():
        paths = [Path(bd.Database(name).filepath_processed()) for name in databases] + [project_dir / FILE_NAME]
    return {str(p.relative_to(project_dir)): file_record(p) for p in paths}


def update_base_in_place(bd, project_dir: Path, foreign, progress) -> None:
    """Bring a project that holds other data up to the tool's base without deleting it: methods rewritten,
    biosphere3 written only if absent (other databases may link to it)."""

    kept = ", ".join([*foreign[0], *("|".join(m) for m in foreign[1])])
    progress(f"Updating the Brightway project in {project_dir} in place: it holds data the tool did not write "
             f"({kept}), which is left alone.")
    with _quiet():
        import bw2io

        if "biosphere3" not in bd.databases:
            bw2io.create_default_biosphere3()
            gc.collect()
        install_methods()


def reprocess_base(bd) -> None:
    """Rewrite the processed datapackages of biosphere3 and the offered methods from bw2data's stores."""

    with _quiet():
        bd.Database("biosphere3").process()
        for method in METHODS:
            if method.name in bd.methods:
                bd.Method(method.name).process()
