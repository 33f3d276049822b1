"""Writing one report sheet: titles, key-value blocks, tables, wrapped texts and print set-up,
all in the template's font and colours. Every value goes through ``xlsxout.put``, so text
from workbooks, options or templates is never stored as a formula."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lca.xlsx import put

__all__ = ["SheetWriter", "display_width"]

_TOP = Alignment(vertical="top")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def display_width(text) -> int:
    """Width in Excel character units: East Asian wide characters count twice."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class SheetWriter:
    """Writes rows top to bottom on one worksheet; ``row`` is the next free row."""

    def __init__(self, sheet, templates, *, header: str = "", one_page: bool = False):
        self.sheet = sheet
        self.layout = templates.layout
        self.font_name = templates.font
        self.size = self.layout["fonts"]["size"]
        self.row = 1
        self.paragraph_rows: list[int] = []
        self._headers: list[tuple[int, tuple]] = []
        self._wrapped: set[int] = set()
        self._fonts: dict[tuple, Font] = {}
        self._widths: dict[int, int] = {}
        colours = self.layout["colours"]
        self.header_fill = PatternFill("solid", fgColor=colours["header_fill"])
        self.total_fill = PatternFill("solid", fgColor=colours["total_fill"])
        self.flag_fill = PatternFill("solid", fgColor=colours["unverified_fill"])
        self._setup_print(header, one_page)

    # --- cells ------------------------------------------------------------------------

    def font(self, **kwargs) -> Font:
        key = tuple(sorted(kwargs.items()))
        if key not in self._fonts:  # one Font object per style: building one per cell is slow
            self._fonts[key] = Font(name=self.font_name, size=kwargs.pop("size", self.size), **kwargs)
        return self._fonts[key]

    def cell(self, row: int, column: int, value, number_format: str | None = None, *, measure: bool = True, **font):
        cell = put(self.sheet, row, column, value, number_format)
        cell.font = self.font(**font)
        if measure and value is not None:
            shown = f"{value:,.1f}" if isinstance(value, float) else str(value)[:80]  # widths are capped
            self._widths[column] = max(self._widths.get(column, 0), display_width(shown) + 2)
        return cell

    # --- blocks -----------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.cell(self.row, 1, text, measure=False, bold=True, size=self.layout["fonts"]["title_size"],
                  color=self.layout["colours"]["heading_text"])
        self.row += 2

    def heading(self, text: str) -> None:
        self.cell(self.row, 1, text, measure=False, bold=True, color=self.layout["colours"]["heading_text"])
        self.row += 1

    def note(self, text: str) -> None:
        self.cell(self.row, 1, text, measure=False, italic=True)
        self.row += 2

    def pairs(self, items, number_format: str | None = None) -> dict[str, tuple[int, int]]:
        """Label in column A, value in B (unit in C if given); returns label -> (row, column) of B."""
        where = {}
        for item in items:
            label, value, *rest = item
            fmt = rest[0] if rest else number_format
            self.cell(self.row, 1, label, bold=True)
            cell = self.cell(self.row, 2, value, fmt if isinstance(value, int | float | dt.date) else None)
            cell.alignment = Alignment(horizontal="left", vertical="top")
            where[label] = (self.row, 2)
            self.row += 1
        self.row += 1
        return where

    def table(self, header, rows, formats=(), *, flags=(), totals=(), freeze: bool = False) -> tuple[int, int]:
        """A header row and data rows; returns (header row, last data row)."""
        top = self.row
        for column, label in enumerate(header, start=1):
            cell = self.cell(top, column, label, bold=True, color=self.layout["colours"]["header_text"])
            cell.fill = self.header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            self._widths[column] = min(max(self._widths.get(column, 0), 12), 40)
        self._headers.append((top, tuple(header)))
        for offset, values in enumerate(rows, start=1):
            row = top + offset
            total = offset - 1 in totals
            for column, value in enumerate(values, start=1):
                fmt = formats[column - 1] if column - 1 < len(formats) else None
                cell = self.cell(row, column, value, fmt if isinstance(value, int | float) else None, bold=total)
                cell.alignment = _TOP
                if total:
                    cell.fill = self.total_fill
                elif offset - 1 in flags:
                    cell.fill = self.flag_fill
        last = top + len(rows)
        if freeze:
            self.sheet.freeze_panes = self.sheet.cell(row=top + 1, column=1)
            self.sheet.print_title_rows = f"{top}:{top}"
        self.row = last + 2
        return top, last

    def paragraph(self, heading: str, text: str, width: int = 110) -> None:
        """A bold heading, then the text wrapped in one wide cell (row height set to fit)."""
        self.heading(heading)
        cell = self.cell(self.row, 1, text, measure=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = sum(max(1, math.ceil(display_width(part) / (width * 1.1))) for part in text.split("\n"))
        self.sheet.row_dimensions[self.row].height = 14 * lines + 4
        self.paragraph_rows.append(self.row)
        self._widths[1] = max(self._widths.get(1, 0), width)
        self.row += 2

    # --- finishing --------------------------------------------------------------------

    def wrap(self, column: int) -> None:
        """Wrap the text of ``column`` in every row written (row heights follow in ``widths``)."""
        self._wrapped.add(column)

    def widths(self, fixed: dict[int, int] | None = None, cap: int = 60) -> None:
        """Set column widths from the longest value written (at most ``cap``), or as given in ``fixed``;
        then the heights of header rows and of rows with wrapped text, which viewers do not grow."""
        chosen = {column: min(width, cap) for column, width in self._widths.items()}
        chosen.update(fixed or {})
        for column, width in chosen.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = width

        def lines(text, column) -> int:
            # a width unit holds about 1.15 characters of the 10 pt report font
            return max(1, math.ceil(display_width(text) / (1.15 * max(chosen.get(column, 10) - 1, 1))))

        for row, header in self._headers:
            self.sheet.row_dimensions[row].height = 14 * max(lines(label, c) for c, label in enumerate(header, 1)) + 2
        for column in self._wrapped:
            for (cell,) in self.sheet.iter_rows(min_col=column, max_col=column, min_row=1, max_row=self.row):
                if isinstance(cell.value, str) and cell.row not in self.paragraph_rows:
                    cell.alignment = _WRAP_TOP
                    needed = 13 * lines(cell.value, column) + 2
                    if needed > (self.sheet.row_dimensions[cell.row].height or 15):
                        self.sheet.row_dimensions[cell.row].height = needed

    def _setup_print(self, header: str, one_page: bool) -> None:
        page = self.layout["page"]
        sheet = self.sheet
        sheet.page_setup.orientation = page["orientation"]
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4 if page["paper"].lower() == "a4" else sheet.PAPERSIZE_LETTER
        if page.get("fit_to_width", True):
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 1 if one_page else 0
        sheet.print_options.gridLines = False
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        if header:
            sheet.oddHeader.left.text = header.replace("&", "&&")  # '&' starts a header code in Excel
            sheet.oddHeader.left.size = 8
        sheet.oddFooter.right.text = "&P / &N"
        sheet.oddFooter.right.size = 8
