"""Cheap checks of the Brightway data folder: is it writable, and are the files in it sound?

The checks read files directly (sqlite3, zipfile, json), never through bw2data, so that a
damaged file is found before bw2data trips over it with a traceback. They are cheap enough to
run at every open: SQLite files get a header check and, below a size limit, ``PRAGMA
quick_check``; zip files get their central directory read and, below a size limit, every CRC
checked; the files only the tool writes are compared with the size and SHA-256 recorded when
they were written.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lca.errors import DataFolderError

__all__ = ["OWNER_KEY", "OWNER_NAME_KEY", "marked_as_written", "Damage", "check_writable", "sqlite_problem",
           "zip_problem", "json_problem", "file_record", "record_problem", "project_damage", "foreign_data"]

OWNER_KEY = "lca_cfp_project"  # database metadata: the name of the tool's project that wrote the database
OWNER_NAME_KEY = "lca_cfp_database"  # ... and the name it wrote it under: a copy (Database.copy) keeps the
# metadata under another name, and is the user's, never the tool's to rewrite or delete


def marked_as_written(name: str, meta, project: str) -> bool:
    """Whether database ``name``'s metadata says the tool's project ``project`` wrote it, under that name."""
    return isinstance(meta, dict) and meta.get(OWNER_KEY) == project and meta.get(OWNER_NAME_KEY) == name

_SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_LIMIT = 256 * 2**20  # quick_check reads the whole file: skipped above this size (an ecoinvent import)
TESTZIP_LIMIT = 32 * 2**20  # testzip decompresses every member: skipped above this size


def check_writable(folder: Path, what: str) -> None:
    """Raise DataFolderError unless ``folder`` is a folder in which a file can be created and removed.

    ``os.access`` alone is not enough (root passes it on a read-only mount); creating a temporary
    file is the real test. ``what`` names the folder in the message and the fix.
    """
    if not folder.is_dir():
        raise DataFolderError(f"{folder} ({what}) is not a folder. Remove or rename it, or choose another "
                              "folder with --data-dir or BRIGHTWAY2_DIR.")
    problem = None
    if not os.access(folder, os.W_OK | os.X_OK):
        problem = "permission denied"
    else:
        try:
            handle, temporary = tempfile.mkstemp(prefix=".lca-cfp-write-test-", dir=folder)
            os.close(handle)
            os.unlink(temporary)
        except OSError as exc:
            problem = exc.strerror or str(exc)
    if problem:
        raise DataFolderError(f"The {what} {folder} is not writable ({problem}); the tool keeps its Brightway "
                              "project and lock file there. Make it writable (chmod u+w), or point --data-dir or "
                              "BRIGHTWAY2_DIR at a writable folder.")


def sqlite_problem(path: Path) -> str | None:
    """What is wrong with the SQLite file at ``path`` (missing, truncated, not SQLite, corrupt), or None."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if size == 0:
        return "empty (0 bytes)"
    if header != _SQLITE_HEADER:
        return "not an SQLite database"
    if size > QUICK_CHECK_LIMIT:
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"damaged ({exc})"
    if not result or result[0] != "ok":
        return f"damaged (sqlite quick_check: {str(result[0] if result else '')[:120]})"
    return None


def zip_problem(path: Path) -> str | None:
    """What is wrong with the zip file (a processed datapackage) at ``path``, or None."""
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip() if size <= TESTZIP_LIMIT else None
    except FileNotFoundError:
        return "missing"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return f"not a readable zip file ({exc})"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return f"damaged (member {bad} fails its CRC check)" if bad else None


def json_problem(path: Path) -> str | None:
    """What is wrong with a JSON file bw2data keeps (databases.json, methods.json), or None if absent or sound."""
    try:
        json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    except ValueError as exc:
        return f"not valid JSON ({str(exc)[:80]})"
    return None


def file_record(path: Path) -> list:
    """[size in bytes, SHA-256 hex] of a file the tool wrote, to verify it later."""
    data = path.read_bytes()
    return [len(data), hashlib.sha256(data).hexdigest()]


def record_problem(path: Path, record) -> str | None:
    """Whether ``path`` still matches its ``file_record``: None, or what differs."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if size != record[0]:
        return f"{size} bytes instead of the {record[0]} written"
    try:
        if file_record(path)[1] != record[1]:
            return "its content differs from what was written"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None


@dataclass(frozen=True)
class Damage:
    """A damaged file in a project folder."""

    path: Path
    problem: str
    shared: bool  # the file also holds data the tool may not have written (SQLite stores, bw2data's metadata)

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


_SHARED_SQLITE = ("lci/databases.db", "parameters.db")
_SHARED_JSON = ("databases.json", "methods.json")


def project_damage(project_dir: Path, state: dict, state_problem: str | None) -> list[Damage]:
    """The damaged files of a project folder: bw2data's stores, and what the tool recorded in its state.

    ``state["zips"]`` lists processed datapackages (biosphere3, methods) that must be sound zips;
    ``state["files"]`` maps files only the tool writes to their ``file_record``.
    """
    found = []
    if state_problem:
        found.append(Damage(project_dir / "lca-cfp-state.json", state_problem, False))
    for relative in _SHARED_SQLITE:
        problem = sqlite_problem(project_dir / relative)
        if problem:
            found.append(Damage(project_dir / relative, problem, True))
    for relative in _SHARED_JSON:
        problem = json_problem(project_dir / relative)
        if problem is None and state.get("base") and not (project_dir / relative).exists():
            problem = "missing"  # bw2data writes both when a project is made; the tool's state says it was
        if problem:
            found.append(Damage(project_dir / relative, problem, True))
    for relative in state.get("zips", ()):
        problem = zip_problem(project_dir / relative)
        if problem:
            found.append(Damage(project_dir / relative, problem, False))
    for relative, record in sorted(state.get("files", {}).items()):
        problem = record_problem(project_dir / relative, record)
        if problem:
            found.append(Damage(project_dir / relative, problem, False))
    return found


def foreign_data(project_dir: Path, state: dict, project_name: str, offered_methods) -> tuple[list, list] | None:
    """(databases, methods) in a project folder that the tool did not write, or None if that cannot be told.

    The tool's databases are those its state lists, those whose metadata carries ``OWNER_KEY`` =
    this project, and ``biosphere3``; its methods are the offered ones. Read from bw2data's
    ``databases.json`` and ``methods.json``; if ``databases.json`` is unreadable, from the
    database names in ``lci/databases.db``.
    """
    owned = set(state.get("databases", ())) | {"biosphere3"}
    try:
        databases = json.loads((project_dir / "databases.json").read_bytes())
        foreign_databases = sorted(name for name, meta in databases.items()
                                   if name not in owned and not marked_as_written(name, meta, project_name))
    except FileNotFoundError:
        foreign_databases = []
    except (OSError, ValueError, AttributeError):
        store = project_dir / "lci" / "databases.db"
        names = None if sqlite_problem(store) else _sqlite_names(store, "SELECT DISTINCT database FROM activitydataset")
        if names is None:
            return None
        foreign_databases = sorted(names - owned)
    try:
        methods = json.loads((project_dir / "methods.json").read_bytes())
        offered = {tuple(name) for name in offered_methods}
        foreign_methods = sorted(tuple(name) for name, _ in methods if tuple(name) not in offered)
    except FileNotFoundError:
        foreign_methods = []
    except (OSError, ValueError, TypeError):
        return None
    return foreign_databases, foreign_methods


def _sqlite_names(path: Path, sql: str) -> set[str] | None:
    """The first column of ``sql`` on a sound SQLite file, or None when it cannot be read."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return {row[0] for row in connection.execute(sql)}
        finally:
            connection.close()
    except sqlite3.Error:
        return None
