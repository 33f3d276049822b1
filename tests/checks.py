"""Checks shared by the bad-input, fault and trust tests: a CLI failure that is clear and harmless.

``fails(run, args, *expected)`` runs the CLI and asserts exit 1 (or the code given), no
traceback, every expected text in stderr; ``digest(folder)`` hashes every file below a folder,
so a test can assert that a user's files are unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["digest", "fails", "edit_exchange_cell"]


def digest(folder) -> dict[str, str]:
    """sha256 of every file below ``folder``, by relative path."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fails(run, args, *expected, code: int = 1, unchanged=()) -> str:
    """Run ``lca ARGS``; assert exit ``code``, no traceback, each ``expected`` text in stderr and
    the folders in ``unchanged`` byte for byte as before. Returns stderr."""
    before = [digest(folder) for folder in unchanged]
    result = run(*args)
    assert result.exit_code == code, f"exit {result.exit_code}:\n{result.output}"
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    for folder, old in zip(unchanged, before, strict=True):
        assert digest(folder) == old, f"a file in {folder} was modified"
    return result.stderr


def edit_exchange_cell(path, row_match, column_label, value):
    """Set the cell under ``column_label`` in the first exchange row named ``row_match``.

    Returns (row, column letter)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path)
    sheet = book.active
    header = None
    for row in sheet.iter_rows():
        values = [c.value for c in row]
        if values and values[0] == "name" and column_label in values:
            header = values
            continue
        if header and values and values[0] == row_match:
            row[header.index(column_label)].value = value
            book.save(path)
            return row[0].row, get_column_letter(header.index(column_label) + 1)
    raise AssertionError(f"no exchange row {row_match!r}")
