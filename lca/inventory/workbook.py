"""Read a workbook in bw2io's Excel layout into blocks that remember where every cell was.

This mirrors how ``bw2io.ExcelImporter`` cuts a sheet into blocks (``Database``,
``Project parameters``, ``Database parameters``, ``Activity`` with metadata rows, optional
``Parameters`` and one ``Exchanges`` block), so that a workbook this module accepts is one
that a plain ``ExcelImporter`` reads the same way. Nothing is interpreted here beyond the
block structure: :mod:`lca.inventory` checks the values.

Bounded reading. A sheet's stored used range may claim ``A1:XFD1048576`` (one stray value or
formatting far below the inventory): only the cells present are read, and runs of blank rows are
kept as one (blocks end at a blank row, however many there are). A sheet that stores more than
:data:`MAX_SHEET_ROWS` rows (formatting copied down to row 1,000,000) is refused after a fast
count of its rows, before any parsing, so no workbook takes more than a few seconds.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lca.errors import CellRef, NotAWorkbook, Problem
from lca.rules import brief

__all__ = ["Row", "Section", "RawActivity", "RawWorkbook", "read_workbook", "column_letter"]

_ACTIVITY_END = ("activity", "database", "project parameters")
MAX_SHEET_ROWS = 100_000  # rows stored per sheet; the shipped inventories have under 700


UNKNOWN = "(Unknown)"  # what bw2io's Excel exports write for a missing value


def column_letter(index: int) -> str:
    """0-based column index to an Excel letter (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Row:
    """One worksheet row: its 1-based number and its cell values (trailing blanks dropped)."""

    number: int
    cells: tuple
    unknown: frozenset = frozenset()  # indices of the cells that held '(Unknown)' (read as blank)

    def get(self, index: int):
        return self.cells[index] if index < len(self.cells) else None

    @property
    def keyword(self) -> str | None:
        first = self.get(0)
        return first.strip().lower() if isinstance(first, str) else None


@dataclass
class Section:
    """A labelled table: a header row, then data rows (dicts of label -> (value, column))."""

    header: Row | None = None
    labels: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)

    def records(self):
        """Yield (row, {label: value}, {label: column letter}) for each data row."""
        for row in self.rows:
            values, columns = {}, {}
            for index, label in enumerate(self.labels):
                if label:
                    values[label] = row.get(index)
                    columns[label] = column_letter(index)
            yield row, values, columns


@dataclass
class RawActivity:
    name: object
    start: Row
    metadata: dict = field(default_factory=dict)  # key -> (value, Row)
    parameters: Section | None = None
    exchanges: Section | None = None


@dataclass
class RawWorkbook:
    path: Path
    database: tuple[object, CellRef] | None = None
    database_metadata: dict = field(default_factory=dict)  # key -> (value, CellRef)
    project_parameters: list[tuple[str, Section]] = field(default_factory=list)
    database_parameters: list[tuple[str, Section]] = field(default_factory=list)
    activities: list[tuple[str, RawActivity]] = field(default_factory=list)  # (sheet, activity)
    problems: list[Problem] = field(default_factory=list)

    def ref(self, sheet: str | None = None, row: int | None = None, column: str | None = None):
        return CellRef(self.path.name, sheet, row, column)


def _is_blank(row: Row) -> bool:
    return not any(v not in (None, "") for v in row.cells)


def _stored_rows(archive: zipfile.ZipFile, part: str) -> int:
    """How many rows a worksheet part stores (a byte count of its row tags, without parsing)."""
    count, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again with the next chunk
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def _too_many_rows(path: Path) -> list[Problem]:
    problems = []
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                stored = _stored_rows(archive, part)
                if stored > MAX_SHEET_ROWS:
                    problems.append(Problem(
                        CellRef(path.name), f"a sheet ({part.rsplit('/', 1)[-1]}) stores {stored:,} rows, more than "
                        f"{MAX_SHEET_ROWS:,} (formatting or values copied far below the inventory)",
                        "select the unused rows below the inventory, delete them (Delete Rows, not just the "
                        "contents) and save; or split the inventory into several workbooks"))
    return problems


def load_rows(path: Path) -> list[tuple[str, list[Row]]]:
    """All sheets as (name, rows); raise NotAWorkbook for anything openpyxl cannot read."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    hint = "save it as an Excel workbook (.xlsx), or move it out of the inventory folder"
    if not zipfile.is_zipfile(path):
        raise NotAWorkbook([Problem(CellRef(path.name), "is not an .xlsx workbook", hint)])
    try:
        too_many = _too_many_rows(path)
        if too_many:
            raise NotAWorkbook(too_many)
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NotAWorkbook(
            [Problem(CellRef(path.name), f"cannot be read as a workbook ({exc})", hint)]
        ) from exc
    try:
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # the stored used range may claim XFD1048576: read the cells present only
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = list(values)
                while values and values[-1] in (None, ""):
                    values.pop()
                if not values and rows and not rows[-1].cells:
                    continue  # a run of blank rows reads as one
                values = [v.strip() if isinstance(v, str) else v for v in values]
                # bw2io drops '(Unknown)' values (csv_drop_unknown): a blank cell here (the keys in column A stay)
                unknown = frozenset(i for i, v in enumerate(values) if i and v == UNKNOWN)
                rows.append(Row(number, tuple(None if i in unknown else v for i, v in enumerate(values)), unknown))
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        book.close()


def _section(rows: list[Row], start: int, stop_at_blank: bool = True) -> tuple[Section, int]:
    """Read a labelled section whose header is rows[start]; return it and the next index."""
    section = Section()
    if start >= len(rows):
        return section, start
    section.header = rows[start]
    labels = [str(v).strip() if v not in (None, "") else "" for v in section.header.cells]
    section.labels = tuple(labels)
    index = start + 1
    while index < len(rows):
        row = rows[index]
        if _is_blank(row):
            if stop_at_blank:
                break
            index += 1
            continue
        section.rows.append(row)
        index += 1
    return section, index


def _read_activity(sheet: str, rows: list[Row], start: int, book: RawWorkbook) -> int:
    """Read the activity starting at rows[start]; return the index after its end."""
    end = start + 1
    while end < len(rows) and rows[end].keyword not in _ACTIVITY_END:
        end += 1
    body = [r for r in rows[start + 1 : end] if not _is_blank(r)]
    activity = RawActivity(name=rows[start].get(1), start=rows[start])
    index = 0
    while index < len(body) and body[index].keyword not in ("parameters", "exchanges"):
        row = body[index]
        key = row.get(0)
        if isinstance(key, str) and key.strip().lower() == "database parameters":
            book.problems.append(
                Problem(
                    book.ref(sheet, row.number, "A"),
                    "a 'Database parameters' block stands inside an activity",
                    "move it above the first 'Activity' row: bw2io would read it as part of "
                    "this activity",
                )
            )
        elif key not in (None, ""):
            name = str(key).strip()
            if name in activity.metadata:  # bw2io keeps the last: the first would be ignored without a word
                earlier = activity.metadata[name][1].number
                book.problems.append(
                    Problem(book.ref(sheet, row.number, "A"),
                            f"row {brief(name)} appears twice in activity {brief(activity.name)} (also at row "
                            f"{earlier}); only one of them can hold",
                            "delete one of the two rows, keeping the value you mean")
                )
            activity.metadata[name] = (row.get(1), row)
        index += 1
    while index < len(body):
        row = body[index]
        if row.keyword == "parameters":
            if activity.parameters is not None:
                book.problems.append(
                    Problem(book.ref(sheet, row.number, "A"), "a second 'Parameters' block",
                            "keep one 'Parameters' block per activity")
                )
            section = Section(header=body[index + 1] if index + 1 < len(body) else None)
            index += 2
            while index < len(body) and body[index].keyword != "exchanges":
                section.rows.append(body[index])
                index += 1
            if section.header is not None:
                section.labels = tuple(
                    str(v).strip() if v not in (None, "") else "" for v in section.header.cells
                )
            activity.parameters = section
        elif row.keyword == "exchanges":
            if activity.exchanges is not None:
                book.problems.append(
                    Problem(book.ref(sheet, row.number, "A"), "a second 'Exchanges' block",
                            "keep one 'Exchanges' block per activity")
                )
            section, _ = _section(body, index + 1, stop_at_blank=False)
            activity.exchanges = section
            index = len(body)
        else:
            index += 1
    book.activities.append((sheet, activity))
    return end


def read_workbook(path: Path) -> RawWorkbook:
    """Cut every sheet of ``path`` into blocks; structural problems go to ``.problems``."""
    path = Path(path)
    book = RawWorkbook(path=path)
    for sheet, rows in load_rows(path):
        if not rows:
            continue
        first = rows[0].get(0)
        if not isinstance(first, str) or first.strip().lower() == "skip":
            continue  # bw2io ignores such sheets too
        if first.strip().lower() == "cutoff":
            try:
                cutoff = int(rows[0].get(1))
            except (TypeError, ValueError):
                book.problems.append(
                    Problem(book.ref(sheet, 1, "B"), f"cutoff column {rows[0].get(1)!r} is not a whole number",
                            "put the number of columns to keep in B1")
                )
                continue
            rows = [Row(r.number, r.cells[:cutoff]) for r in rows]
        index = 0
        while index < len(rows):
            row = rows[index]
            keyword = row.keyword
            if keyword == "database" and row.get(1) not in (None, ""):
                if book.database is not None:
                    book.problems.append(
                        Problem(book.ref(sheet, row.number, "A"), "a second 'Database' block",
                                "keep exactly one 'Database' block per workbook")
                    )
                book.database = (row.get(1), book.ref(sheet, row.number, "B"))
                index += 1
                while index < len(rows) and not _is_blank(rows[index]):
                    meta = rows[index]
                    if meta.keyword in _ACTIVITY_END + ("database parameters",):
                        break
                    name = str(meta.get(0))
                    if name in book.database_metadata:
                        book.problems.append(
                            Problem(book.ref(sheet, meta.number, "A"),
                                    f"database row {brief(name)} appears twice (also at "
                                    f"{book.database_metadata[name][1]}); only one of them can hold",
                                    "delete one of the two rows, keeping the value you mean"))
                    book.database_metadata[name] = (meta.get(1), book.ref(sheet, meta.number, "B"))
                    index += 1
            elif keyword in ("project parameters", "database parameters"):
                section, index = _section(rows, index + 1)
                target = book.project_parameters if keyword == "project parameters" else book.database_parameters
                target.append((sheet, section))
            elif keyword == "activity":
                index = _read_activity(sheet, rows, index, book)
            else:
                index += 1
    return book
