"""Writing one report sheet: titles, key-value blocks, tables and wrapped texts, all in the
template's font and colours (the print set-up is applied to every sheet when the workbook is saved:
lca.xlsx.apply_print_setup). Every value goes through ``xlsxout.put``, so text
from workbooks, options or templates is never stored as a formula."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lca.xlsx import put

__all__ = ["SheetWriter", "display_width", "significant_format", "SIGNIFICANT"]

_TOP = Alignment(vertical="top")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_NUMBER = Alignment(horizontal="right", vertical="top")
SIGNIFICANT = "significant"  # a number format of layout.toml: each number its own, of significant_digits


def significant_format(value: float, digits: int = 4) -> str:
    """An Excel number format that shows ``value`` to ``digits`` significant digits (the cell keeps
    the full value): 13.4631141984 -> "#,##0.00" (13.46), 0.00700 -> "#,##0.000" (0.007),
    482.408 -> "#,##0.0" (482.4), 1.5e-06 -> "0.0E+00"; whole numbers and values of 10^digits or
    more show no decimals."""
    if value == 0 or not math.isfinite(value):
        return "0"
    shown = f"{value:.{digits}g}"
    if "e" in shown:  # very small (or very large) numbers: scientific, the mantissa's decimals only
        mantissa, exponent = shown.split("e")
        if int(exponent) > 0:
            return "#,##0"
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return ("0." + "0" * decimals if decimals else "0") + "E+00"
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return "#,##0." + "0" * decimals if decimals else "#,##0"


def display_width(text) -> int:
    """Width in Excel character units: East Asian wide characters count twice."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class SheetWriter:
    """Writes rows top to bottom on one worksheet; ``row`` is the next free row."""

    def __init__(self, sheet, templates):
        self.sheet = sheet
        self.layout = templates.layout
        self.font_name = templates.font
        self.size = self.layout["fonts"]["size"]
        self.row = 1
        self.paragraph_rows: list[int] = []
        self._free_rows: set[int] = set()  # titles, headings and notes: one line that runs across, never wrapped
        self._spans: dict[int, tuple[int, int, str]] = {}  # row of a text wrapped across columns -> (first, last, text)
        self._headers: list[tuple[int, tuple]] = []
        self._wrapped: set[int] = set()
        self._fonts: dict[tuple, Font] = {}
        self._widths: dict[int, int] = {}
        colours = self.layout["colours"]
        self.header_fill = PatternFill("solid", fgColor=colours["header_fill"])
        self.total_fill = PatternFill("solid", fgColor=colours["total_fill"])
        self.flag_fill = PatternFill("solid", fgColor=colours["unverified_fill"])

    # --- cells ------------------------------------------------------------------------

    def font(self, **kwargs) -> Font:
        key = tuple(sorted(kwargs.items()))
        if key not in self._fonts:  # one Font object per style: building one per cell is slow
            self._fonts[key] = Font(name=self.font_name, size=kwargs.pop("size", self.size), **kwargs)
        return self._fonts[key]

    def cell(self, row: int, column: int, value, number_format: str | None = None, *, measure: bool = True, **font):
        """Write one cell; a number that is not whole never keeps Excel's "General" format (it would
        print 13.4631141984): without a format of its own it shows ``significant_digits`` digits."""
        if isinstance(value, float) and not value.is_integer() and number_format in (None, "General", SIGNIFICANT):
            number_format = significant_format(value, self.layout["number_formats"]["significant_digits"])
        elif number_format == SIGNIFICANT:
            number_format = "#,##0"
        cell = put(self.sheet, row, column, value, number_format)
        cell.font = self.font(**font)
        if measure and value is not None:
            shown = f"{value:,.1f}" if isinstance(value, float) else str(value)[:80]  # widths are capped
            self._widths[column] = max(self._widths.get(column, 0), display_width(shown) + 2)
        return cell

    # --- blocks -----------------------------------------------------------------------

    def title(self, text: str) -> None:
        self._free_rows.add(self.row)
        self.cell(self.row, 1, text, measure=False, bold=True, size=self.layout["fonts"]["title_size"],
                  color=self.layout["colours"]["heading_text"])
        self.row += 2

    def heading(self, text: str) -> None:
        self._free_rows.add(self.row)
        self.cell(self.row, 1, text, measure=False, bold=True, color=self.layout["colours"]["heading_text"])
        self.row += 1

    def note(self, text: str, span: int = 0) -> None:
        """An italic line; with ``span``, wrapped across columns 1 to ``span`` (merged), so that a long
        note stays inside the printed width."""
        self._free_rows.add(self.row)
        cell = self.cell(self.row, 1, text, measure=False, italic=True)
        if span > 1:
            cell.alignment = _WRAP_TOP
            self._span(self.row, 1, span, text)
        self.row += 2

    def _span(self, row: int, first: int, last: int, text: str) -> None:
        self.sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        self._spans[row] = (first, last, text)

    def pairs(self, items, number_format: str | None = None, *, span: int = 0) -> dict[str, tuple[int, int]]:
        """Label in column A, value in B; returns label -> (row, column) of B. With ``span``, a text value
        is wrapped across columns B to ``span`` (merged), so that it stays inside the printed width."""
        where = {}
        for item in items:
            label, value, *rest = item
            fmt = rest[0] if rest else number_format
            self.cell(self.row, 1, label, bold=True)
            text = isinstance(value, str) and span > 2
            cell = self.cell(self.row, 2, value, fmt if isinstance(value, int | float | dt.date) else None,
                             measure=not text)
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=text)
            if text:
                self._span(self.row, 2, span, value)
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
                number = isinstance(value, int | float)
                cell = self.cell(row, column, value, fmt if number else None, bold=total)
                cell.alignment = _NUMBER if number else _TOP
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
        """Wrap the text of ``column`` in every row written but titles, headings and notes (row heights
        follow in ``widths``)."""
        self._wrapped.add(column)

    def widths(self, fixed: dict[int, int] | None = None, cap: int = 60) -> None:
        """Set column widths from the longest value written (at most ``cap``), or as given in ``fixed``;
        then the heights of header rows and of rows with wrapped text, which viewers do not grow."""
        chosen = {column: min(width, cap) for column, width in self._widths.items()}
        chosen.update(fixed or {})
        for column, width in chosen.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = width

        def lines(text, column) -> int:
            # a width unit holds about 1.25 characters of the 10 pt report font, wrapped at word ends
            return max(1, math.ceil(display_width(text) / (1.25 * max(chosen.get(column, 10) - 1, 1))))

        for row, header in self._headers:
            self.sheet.row_dimensions[row].height = 14 * max(lines(label, c) for c, label in enumerate(header, 1)) + 2
        for row, (first, last, text) in self._spans.items():
            across = sum(chosen.get(c, 10) for c in range(first, last + 1))
            self.sheet.row_dimensions[row].height = 13 * max(1, math.ceil(display_width(text) / (1.2 * across))) + 2
        unwrapped = set(self.paragraph_rows) | self._free_rows
        last = self.sheet.max_row  # not beyond: iter_rows creates the cells it visits, and an empty row prints
        for column in self._wrapped:
            for (cell,) in self.sheet.iter_rows(min_col=column, max_col=column, min_row=1, max_row=last):
                if isinstance(cell.value, str) and cell.row not in unwrapped:
                    cell.alignment = _WRAP_TOP
                    needed = 13 * lines(cell.value, column) + 2
                    if needed > (self.sheet.row_dimensions[cell.row].height or 15):
                        self.sheet.row_dimensions[cell.row].height = needed
