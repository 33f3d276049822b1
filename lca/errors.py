"""One error hierarchy for the calculator.

Every error says what is wrong, where (file, sheet, row, column where there is one), the bad
value, and how to fix it. Only :mod:`lca.cli` turns these into exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LCAError",
    "InventoryError",
    "Problem",
    "CellRef",
    "NotAWorkbook",
    "InventoryFolderError",
    "MethodError",
    "ComparisonError",
    "SupplyError",
    "ClosedLoopError",
    "SiteError",
    "SupplyParameterError",
    "SingularTechnosphere",
    "ProjectLockTimeout",
    "ProjectError",
    "OutputError",
    "ReportTemplateError",
    "ParameterError",
    "ScenarioError",
    "PathwayError",
    "ImpossibleResult",
    "DataFolderError",
    "LedgerError",
    "StatementRefused",
    "ExportError",
    "ExportRefused",
    "NothingCharacterised",
]


class LCAError(Exception):
    """Base class: any error the calculator reports to a user."""


@dataclass(frozen=True)
class CellRef:
    """A place in a workbook: file, sheet, row (1-based) and column letter."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook, with the place and a hint on how to fix it."""

    where: CellRef
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text}\n    fix: {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return {
            "file": self.where.file,
            "sheet": self.where.sheet,
            "row": self.where.row,
            "column": self.where.column,
            "message": self.message,
            "hint": self.hint,
        }


class InventoryError(LCAError):
    """One or more problems in the inventory workbooks; all of them are listed."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the inventory workbooks:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class NotAWorkbook(InventoryError):
    """A file in the inventory folder is not a readable .xlsx workbook."""


class InventoryFolderError(LCAError):
    """The inventory folder is missing, empty, or cannot be used as asked."""


class MethodError(LCAError):
    """An impact method that the tool does not offer was asked for."""


class ComparisonError(LCAError):
    """A comparison or route asked for does not exist in the inventories."""


class SupplyError(ComparisonError):
    """A supply choice (a comparison's route or recycled share in a product run) that the inventories
    do not offer; ``comparison`` names the comparison (the CLI maps it to the option that set it)."""

    def __init__(self, message: str, *, comparison: str | None = None):
        super().__init__(message)
        self.comparison = comparison


class ClosedLoopError(ComparisonError):
    """A chosen recycled share above what a product's closed loop supplies."""


class SiteError(ComparisonError):
    """A site, or a region of a site, that the inventories do not offer (``site`` names the site asked for)."""

    def __init__(self, message: str, *, site: str | None = None):
        super().__init__(message)
        self.site = site


class SingularTechnosphere(LCAError):
    """The technosphere matrix cannot be solved (singular)."""


class ExportError(LCAError):
    """A footprint or inventory export that cannot state what the format asks for truthfully, or whose
    settings file is wrong; the message names what is missing and where to give it."""


class NothingCharacterised(LCAError):
    """The method characterises none of the elementary flows of the system (every score would be 0)."""


class ProjectError(LCAError):
    """The Brightway project could not be built or opened."""


class ProjectLockTimeout(ProjectError):
    """Another `lca` process held the project lock for too long."""


class OutputError(LCAError):
    """An output file could not be written as asked."""


class ReportTemplateError(LCAError):
    """A report template file is missing, not valid TOML, lacks a key or uses an unknown placeholder."""


class ParameterError(LCAError):
    """A parameter change (--set, a scenario file) or a draw that cannot be applied."""


class SupplyParameterError(ParameterError):
    """A parameter change that would set a supply mix's shares, which every result sets itself;
    ``comparison`` names the supply mix's comparison (the CLI names the options that set it)."""

    def __init__(self, message: str, *, comparison: str):
        super().__init__(message)
        self.comparison = comparison


class ScenarioError(ParameterError):
    """A scenario file that is missing, not valid YAML, or not a mapping of parameter names to numbers."""


class PathwayError(ScenarioError):
    """A pathway file (baseline, target, levers) that cannot be read or does not fit the inventories."""


class ImpossibleResult(LCAError):
    """A solved score or supply is impossible: negative without a marked credit, or not finite."""


class DataFolderError(ProjectError):
    """A file in the Brightway data folder is damaged or cannot be written; the message names it and the fix."""


class LedgerError(InventoryError):
    """Problems in a mass-balance ledger workbook, each with sheet, row and column."""

    SHOWN = 100  # the message lists this many; `lca ledger check --format json` lists all

    def __init__(self, problems, note: str = ""):
        super().__init__(problems)
        count = len(self.problems)
        head = f"{count:,} problem{'s' if count != 1 else ''} in the ledger:"
        lines = [head, *(f"  - {p}" for p in self.problems[:self.SHOWN])]
        if count > self.SHOWN:
            lines.append(f"  ... and {count - self.SHOWN:,} more (`lca ledger check FILE --format json` lists all)")
        self.args = ("\n".join(lines + ([note] if note else [])),)


class StatementRefused(LCAError):
    """The ledger does not cover the delivery a statement was asked for."""


class ExportRefused(ExportError):
    """The inventories hold something another tool's format cannot state exactly; nothing was written."""
