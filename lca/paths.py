"""Where things live: the Brightway data folder and the inventory folder.

Resolution order, most specific first:

* data folder: ``--data-dir``, then ``BRIGHTWAY2_DIR``, then a per-user folder
  (``platformdirs.user_data_dir("lca-cfp")/brightway``);
* inventories: ``--inventories``, then ``LCA_INVENTORIES``, then the workbooks shipped
  with the package (the ``inventories/`` folder of a checkout, or the copy inside a wheel).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lca.errors import InventoryFolderError

__all__ = [
    "DATA_DIR_ENV",
    "INVENTORIES_ENV",
    "resolve_data_dir",
    "resolve_inventories",
    "shipped_inventories",
    "shipped_folder",
    "workbook_files",
    "copy_shipped_inventories",
]

DATA_DIR_ENV = "BRIGHTWAY2_DIR"
INVENTORIES_ENV = "LCA_INVENTORIES"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The Brightway data folder to use (created if missing)."""
    if data_dir is not None:
        path = Path(data_dir)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("lca-cfp", appauthor=False)) / "brightway"
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InventoryFolderError(
            f"Cannot create the Brightway data folder {path}: {exc.strerror}. "
            "Choose a writable folder with --data-dir or BRIGHTWAY2_DIR."
        ) from exc
    return path


def shipped_folder(checkout_name: str, package_name: str) -> Path:
    """A data folder that comes with the tool: ``checkout_name`` in a source checkout or editable
    install, else the package ``lca.<package_name>`` that setup.cfg maps it to in a wheel."""
    root = Path(__file__).resolve().parent.parent
    checkout = root / checkout_name
    if (root / "setup.cfg").is_file() and checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / package_name


def shipped_inventories() -> Path:
    """The workbooks that come with the tool (``inventories/``)."""
    return shipped_folder("inventories", "shipped_inventories")


def resolve_inventories(inventories: str | os.PathLike | None = None) -> Path:
    """The inventory folder to use; it must exist and hold at least one workbook."""
    if inventories is not None:
        path, origin = Path(inventories), "--inventories"
    elif os.environ.get(INVENTORIES_ENV):
        path, origin = Path(os.environ[INVENTORIES_ENV]), INVENTORIES_ENV
    else:
        path, origin = shipped_inventories(), "the shipped inventories"
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise InventoryFolderError(
            f"Inventory folder {path} (from {origin}) does not exist. "
            "Create one with `lca inventory init DIR`, or point --inventories at a folder "
            "of .xlsx workbooks."
        )
    if not workbook_files(path):
        raise InventoryFolderError(
            f"Inventory folder {path} (from {origin}) holds no .xlsx workbook. "
            "Copy the shipped workbooks there with `lca inventory init DIR`."
        )
    return path


def workbook_files(folder: Path) -> list[Path]:
    """The inventory workbooks in a folder, sorted; Excel's lock files (~$x.xlsx) are skipped."""
    return sorted(
        p for p in folder.glob("*.xlsx") if p.is_file() and not p.name.startswith(("~$", "."))
    )


PACT_TEMPLATE = "pact-template.yaml"  # settings of `lca export pact`, copied with the workbooks


def copy_shipped_inventories(target: str | os.PathLike, *, overwrite: bool = False,
                             source: Path | None = None) -> list[Path]:
    """Copy the shipped workbooks (or those of ``source``) into ``target`` for a user to edit.

    Refuses to replace an existing workbook unless ``overwrite``: nothing a user wrote is lost.
    """
    target = Path(target).expanduser().resolve()
    sources = workbook_files(source or shipped_inventories())
    if source is None and (shipped_inventories() / PACT_TEMPLATE).is_file():  # the export's settings template
        sources.append(shipped_inventories() / PACT_TEMPLATE)
    clashes = [target / s.name for s in sources if (target / s.name).exists()]
    if clashes and not overwrite:
        names = ", ".join(str(c) for c in clashes)
        raise InventoryFolderError(
            f"{names} already exist{'s' if len(clashes) == 1 else ''}; nothing was copied. "
            "Choose an empty folder, or pass --overwrite to replace them."
        )
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for source in sources:
            destination = target / source.name
            temporary = destination.with_name(f".{source.name}.tmp")
            try:
                shutil.copyfile(source, temporary)
                os.replace(temporary, destination)
            finally:
                if temporary.exists():
                    temporary.unlink()
            written.append(destination)
    except OSError as exc:
        done = f" ({len(written)} of {len(sources)} copied before)" if written else ""
        raise InventoryFolderError(
            f"Cannot write the workbooks into {target}: {exc.strerror or exc} ({exc.filename or target}){done}. "
            "Choose a writable folder (one that is not a file)."
        ) from exc
    return written
