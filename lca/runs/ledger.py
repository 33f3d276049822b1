"""`lca ledger`: the mass-balance chain of custody of a ledger workbook (check, trace, statement, init).

``ledger_check`` and ``ledger_trace`` read the ledger with ``partial=True`` (the balance of the rows
without problems) and return a result that holds the ledger's problems; its ``error`` is the
LedgerError the command ends with (None when the ledger has none). A ledger whose Settings cannot be
used gives a result with ``unread`` set (the LedgerError of the read) and nothing else.
``ledger_statement`` opens the project, computes the delivery's footprint and writes the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from lca.errors import LedgerError
from lca.runs.session import Changes, Where, open_session

__all__ = ["LedgerCheck", "LedgerTrace", "LedgerInit", "StatementRequest", "StatementRun", "ledger_init",
           "ledger_check", "ledger_trace", "ledger_statement"]

# said when the ledger has problems of its own (rows left out of the balance)
PARTIAL_NOTE = ("The balance above counts only the rows without problems (a receipt left out can cause an "
                "over-claim, a claim left out can hide one): fix them and run again.")


@dataclass(frozen=True)
class _LedgerResult:
    file: str  # the ledger as given
    unread: LedgerError | None = None  # the ledger's Settings cannot be used: only this is set
    book: object = None  # lca.ledger.Ledger, read with partial=True
    balance: object = None  # lca.ledger.Balance of its rows without problems

    @property
    def problems(self) -> tuple:
        """Every problem: the unreadable Settings', or the cells' and the balance's."""
        if self.unread is not None:
            return tuple(self.unread.problems)
        return tuple(self.book.problems) + tuple(self.balance.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def error(self) -> LedgerError | None:
        """The error the command ends with (after its output), or None."""
        if self.unread is not None:
            return self.unread
        if not self.problems:
            return None
        return LedgerError(list(self.problems), PARTIAL_NOTE if self.book.problems else "")


@dataclass(frozen=True)
class LedgerCheck(_LedgerResult):
    kind: ClassVar[str] = "ledger-check"


@dataclass(frozen=True)
class LedgerTrace(_LedgerResult):
    kind: ClassVar[str] = "ledger-trace"
    delivery: str | None = None  # only this delivery's claim (None: all)

    @property
    def lines(self) -> list:
        """The trace lines (lca.ledger.TraceLine) shown."""
        return [line for line in self.balance.trace if self.delivery is None or line.delivery == self.delivery]

    @property
    def covers(self) -> list:
        """The claims (lca.ledger.ClaimCover) shown."""
        return [c for c in self.balance.covers.values() if self.delivery is None or c.delivery == self.delivery]


@dataclass(frozen=True)
class LedgerInit:
    kind: ClassVar[str] = "ledger-init"
    written: tuple[Path, ...]


@dataclass(frozen=True)
class StatementRequest:
    file: str  # the ledger workbook
    delivery: str  # a delivery id of its Claims sheet
    output: str  # the statement workbook to write
    overwrite: bool = False
    method: str | None = None  # impact method id (None: the default)
    command: str = ""  # the command line recorded in the statement


@dataclass(frozen=True)
class StatementRun:
    kind: ClassVar[str] = "ledger-statement"
    written: Path


def ledger_init(directory, overwrite: bool = False) -> LedgerInit:
    """Copy the ledger template and the worked examples into ``directory``."""
    from lca.paths import copy_shipped_inventories, shipped_inventories

    return LedgerInit(tuple(copy_shipped_inventories(directory, overwrite=overwrite,
                                                     source=shipped_inventories() / "ledger")))


def _read(file):
    """(the ledger read with partial=True and its balance, None), or (None, the LedgerError) when its
    Settings cannot be used."""
    from lca.ledger import balance, read_ledger

    try:
        book = read_ledger(file, partial=True)
    except LedgerError as exc:
        return None, exc
    return (book, balance(book)), None


def ledger_check(file) -> LedgerCheck:
    """The balance per site and period of the ledger at ``file``, with all its problems."""
    read, unread = _read(file)
    if unread is not None:
        return LedgerCheck(str(file), unread)
    return LedgerCheck(str(file), None, *read)


def ledger_trace(file, delivery: str | None = None) -> LedgerTrace:
    """Which lots' credits each accepted claim used (only ``delivery``'s, when given)."""
    from lca.errors import StatementRefused
    from lca.rules import brief

    read, unread = _read(file)
    if unread is not None:
        return LedgerTrace(str(file), unread, delivery=delivery)
    book, result = read
    if delivery is not None and delivery not in result.covers:
        raise StatementRefused(f"Delivery {brief(delivery)} is not in the ledger {book.path.name} (Claims sheet).")
    return LedgerTrace(str(file), None, book, result, delivery=delivery)


def ledger_statement(request: StatementRequest, where: Where | None = None, progress=None,
                     notify=None) -> StatementRun:
    """Write the customer's statement for one delivery the ledger covers (refused before any
    Brightway work when the ledger does not cover it or the output cannot be written)."""
    from lca.analysis.calculate import compare as run_compare
    from lca.brightway.methods import get_method
    from lca.ledger.footprint import comparison_of, footprint_for, open_delivery
    from lca.ledger.statement import build_statement, statement_title
    from lca.report.templates import load_templates, shipped_templates
    from lca.xlsx import check_output, save_atomically

    method = get_method(request.method)
    found = open_delivery(request.file, request.delivery)  # refuse before any Brightway work
    check_output(request.output, overwrite=request.overwrite)
    with open_session(where, progress, notify) as session:
        model = comparison_of(session.bd, session.databases, found)
        changes = session.changes(Changes(fixed=found.fixed))
        comparison = run_compare(session.bd, model, method, changes=changes)
        footprint = footprint_for(found, comparison, session.parametric)
        fingerprint = session.fingerprint
    workbook = build_statement(found.ledger, found.balance, request.delivery, footprint, fingerprint=fingerprint,
                               command=request.command)
    # the report's print set-up (the shipped layout; the statement is in English, like its sheet names)
    setup = load_templates(shipped_templates(), "en").print_setup(
        workbook.sheetnames, title=statement_title(found.ledger, request.delivery))
    return StatementRun(save_atomically(workbook, request.output, overwrite=request.overwrite, print_setup=setup))
