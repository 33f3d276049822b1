"""Writing workbooks safely: text never becomes a formula, files appear whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["put", "check_output", "save_atomically"]


def put(sheet, row: int, column: int, value, number_format: str | None = None):
    """Write ``value``; text is always stored as text, even if it begins with = + - or @."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and cell.data_type != "s":
        cell.data_type = "s"  # openpyxl would store '=...' as a formula: user text must stay text
    if number_format:
        cell.number_format = number_format
    return cell


def check_output(path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """The resolved output path, or an OutputError if it cannot be written as asked.

    Commands call it before calculating, so a bad path fails at once; saving checks again.
    """
    path = Path(path).expanduser().resolve()
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path} does not end in .xlsx; give an output file name ending in .xlsx.")
    if path.exists() and not overwrite:
        raise OutputError(f"{path} already exists; nothing was written. Pass --overwrite to replace it, "
                          "or choose another file name.")
    if not path.parent.is_dir():
        raise OutputError(f"Folder {path.parent} does not exist; create it or choose another output path.")
    return path


def save_atomically(book, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Save to a temporary file beside ``path``, then rename it into place.

    An existing file is replaced only with ``overwrite``; a failed save leaves nothing behind.
    """
    path = check_output(path, overwrite=overwrite)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.tmp", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
