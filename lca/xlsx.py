"""Writing outputs safely: text never becomes a formula, files (workbooks, JSON, zip archives) appear
whole or not at all, and every sheet of a saved workbook gets the print set-up."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lca.errors import OutputError

__all__ = ["put", "check_output", "save_atomically", "write_atomically", "write_text_atomically", "current_umask",
           "display_unit", "PER_TONNE_FORMAT", "TONNES_FORMAT", "PrintSetup", "apply_print_setup"]

# The number formats of a customer's figures, the same in the report (reports/layout.toml ships them)
# and in the mass-balance statement: a score per t to one decimal, a mass of CO2-eq in t to three. The
# cell keeps the value; only its display is rounded, so every sheet shows the same figure.
PER_TONNE_FORMAT = "#,##0.0"
TONNES_FORMAT = "#,##0.000"


def display_unit(unit: str) -> str:
    """A unit as a customer's workbook spells it: 'kg CO2-eq', whatever case the method's metadata
    uses (bw2io's IPCC methods say 'kg CO2-Eq')."""
    return unit.replace("CO2-Eq", "CO2-eq").replace("CO2-EQ", "CO2-eq").replace("CO2eq", "CO2-eq")


def put(sheet, row: int, column: int, value, number_format: str | None = None):
    """Write ``value``; text is always stored as text, even if it begins with = + - or @."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and cell.data_type != "s":
        cell.data_type = "s"  # openpyxl would store '=...' as a formula: user text must stay text
    if number_format:
        cell.number_format = number_format
    return cell


def check_output(path: str | os.PathLike, *, overwrite: bool = False, suffix: str = ".xlsx") -> Path:
    """The resolved output path, or an OutputError if it cannot be written as asked.

    Commands call it before calculating, so a bad path fails at once; saving checks again. The
    folder is tested by creating and removing a temporary file in it (``os.access`` says yes to
    root even on a read-only mount).
    """
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give the output file's name, e.g. {path / 'report.xlsx'}.")
    if path.suffix.lower() != suffix:
        raise OutputError(f"{path} does not end in {suffix}; give an output file name ending in {suffix}.")
    if path.exists() and not overwrite:
        raise OutputError(f"{path} already exists; nothing was written. Pass --overwrite to replace it, "
                          "or choose another file name.")
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"{path.parent} is a file, not a folder; choose an output path in a folder.")
    if not path.parent.is_dir():
        raise OutputError(f"Folder {path.parent} does not exist; create it or choose another output path.")
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".write-test", dir=path.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"Cannot write in the folder {path.parent} ({exc.strerror or exc}); nothing was calculated. "
                          "Make the folder writable, or choose another output path.") from exc
    return path


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def _replace_atomically(write, path, *, overwrite: bool, suffix: str) -> Path:
    """``write(temporary path)`` beside ``path``, then rename it into place (see save_atomically)."""
    path = check_output(path, overwrite=overwrite, suffix=suffix)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=f"{suffix}.tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


@dataclass(frozen=True)
class PrintSetup:
    """How every sheet of a workbook prints: A4 or letter, one page wide (as many pages tall as its
    rows need), the header row of a table repeated on each page, a page header and a footer with the
    sheet's name and "page N / M". ``orientation`` maps a sheet's title to "portrait" or "landscape"
    (the others get ``default_orientation``); the sheets in ``one_page`` print on a single page."""

    paper: str = "A4"
    default_orientation: str = "landscape"
    orientation: tuple[tuple[str, str], ...] = ()  # (sheet title, orientation)
    one_page: tuple[str, ...] = ()  # sheet titles
    fit_to_width: bool = True
    header_left: str = ""  # e.g. the preparer; '' leaves it empty
    header_right: str = ""  # e.g. the report's title
    margin_inches: float = 0.5


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a header code in Excel


def apply_print_setup(book, setup: PrintSetup) -> None:
    """Give every worksheet of ``book`` the print set-up (a chart sheet has none)."""
    orientation = dict(setup.orientation)
    for sheet in book.worksheets:
        page = sheet.page_setup
        page.orientation = orientation.get(sheet.title, setup.default_orientation)
        page.paperSize = sheet.PAPERSIZE_A4 if setup.paper.lower() == "a4" else sheet.PAPERSIZE_LETTER
        if setup.fit_to_width:
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            page.fitToWidth = 1
            page.fitToHeight = 1 if sheet.title in setup.one_page else 0  # 0: as many pages tall as needed
        sheet.print_options.gridLines = False
        margins = sheet.page_margins
        margins.left = margins.right = setup.margin_inches
        if not sheet.print_title_rows and sheet.freeze_panes:  # a frozen header row prints on every page
            first_data_row = sheet[sheet.freeze_panes].row
            if first_data_row > 1:
                sheet.print_title_rows = f"{first_data_row - 1}:{first_data_row - 1}"
        for part, text in ((sheet.oddHeader.left, setup.header_left), (sheet.oddHeader.right, setup.header_right)):
            part.text = _header_text(text) if text else None
            part.size = 8
        sheet.oddFooter.left.text = "&A"  # the sheet's name
        sheet.oddFooter.left.size = 8
        sheet.oddFooter.right.text = "&P / &N"
        sheet.oddFooter.right.size = 8


def save_atomically(book, path: str | os.PathLike, *, overwrite: bool = False,
                    print_setup: PrintSetup | None) -> Path:
    """Save to a temporary file beside ``path``, then rename it into place.

    ``print_setup`` is applied to every sheet first (here, so that no sheet is saved without it;
    None only for a workbook that is not printed, e.g. a data template). An existing file is replaced
    only with ``overwrite``; a failed save leaves nothing behind. The file gets the permissions of any
    file the user creates (0o666 less the umask), not the 0o600 of the temporary file.
    """
    if print_setup is not None:
        apply_print_setup(book, print_setup)
    return _replace_atomically(book.save, path, overwrite=overwrite, suffix=".xlsx")


def write_atomically(data: bytes, path: str | os.PathLike, *, overwrite: bool = False, suffix: str) -> Path:
    """Write ``data`` to ``path`` (which must end in ``suffix``) as :func:`save_atomically` saves a workbook."""
    return _replace_atomically(lambda temporary: Path(temporary).write_bytes(data), path, overwrite=overwrite,
                               suffix=suffix)


def write_text_atomically(pieces, path: str | os.PathLike, *, overwrite: bool = False, suffix: str) -> Path:
    """Write the text ``pieces`` (strings, in order; UTF-8) to ``path`` as :func:`save_atomically` saves a
    workbook, one piece at a time (a file of millions of rows is never one string in memory)."""
    def write(temporary):
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            for piece in pieces:
                handle.write(piece)

    return _replace_atomically(write, path, overwrite=overwrite, suffix=suffix)
