"""`lca ledger`: the mass-balance chain of custody (check, statement, init)."""

from __future__ import annotations

import json
import sys

import click

from .cli_common import FORMATS, location_options, progress_to_stderr, reports_errors


@click.group()
def ledger():
    """Mass-balance chain of custody: check a ledger, write a customer's statement."""


def _balance_rows(result):
    for p in result.periods:
        yield {
            "period": p.period, "conversion_factor": p.conversion_factor, "receipts": p.receipts,
            "scrap_copper_t": p.scrap_copper_t, "carried_in_t": p.opening_t, "credits_in_t": p.credits_in_t,
            "claims": p.claims, "claims_out_t": p.claims_out_t, "expired_t": p.expired_t,
            "closing_t": p.closing_t, "recycled_share": p.recycled_share, "allowance_t": p.allowance_t,
        }


@ledger.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace files that already exist in DIRECTORY.")
@reports_errors
def ledger_init(directory, overwrite):
    """Copy the ledger template and the worked example into DIRECTORY."""
    from .paths import copy_shipped_inventories, shipped_inventories

    for path in copy_shipped_inventories(directory, overwrite=overwrite, source=shipped_inventories() / "ledger"):
        click.echo(f"wrote {path}")
    click.echo(f"Fill in the template, then run: lca ledger check {directory}/ledger-template.xlsx")


@ledger.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@reports_errors
def ledger_check(file, fmt):
    """Balance per period (credits in, claims out, carried over, expired, closing); exit 1 on any problem.

    Every problem is reported in one run: the cells with problems, and the over-claims of the
    balance of the other rows."""
    from .ledger import LedgerError, read_ledger
    from .massbalance import balance
    from .output import rows_csv

    try:
        book = read_ledger(file, partial=True)
    except LedgerError as exc:  # the Settings sheet cannot be used: no balance
        if fmt == "json":
            click.echo(json.dumps({"ledger": str(file), "ok": False, "periods": [],
                                   "problems": [p.as_dict() for p in exc.problems]}, indent=2, default=str))
            sys.exit(1)
        raise
    result = balance(book)
    problems = book.problems + result.problems
    rows = list(_balance_rows(result))
    if fmt == "json":
        click.echo(json.dumps({"ledger": str(book.path), "sha256": book.fingerprint, "site": book.settings.site,
                               "method": result.method, "ok": not problems, "complete": not book.problems,
                               "periods": rows, "problems": [p.as_dict() for p in problems]}, indent=2, default=str))
    elif fmt == "csv":
        click.echo(rows_csv(rows, fields=("period",)), nl=False)
    else:
        click.echo(f"Ledger {book.path.name}: {book.settings.site}, {result.method} method, "
                   f"{book.settings.period}ly periods (t of cathode)"
                   + (" - without the rows with problems (see below)" if book.problems else ""))
        numbers = [(p.scrap_copper_t, p.opening_t, p.credits_in_t, p.claims_out_t, p.expired_t, p.closing_t)
                   for p in result.periods]
        w = max([len(f"{v:,.3f}") for row in numbers for v in row] + [10]) + 2
        click.echo(f"{'period':<9}{'factor':>7}{'scrap Cu':>{w}}{'carried in':>{w}}{'credits in':>{w}}"
                   f"{'claims out':>{w}}{'expired':>{w}}{'closing':>{w}}")
        for p, row in zip(result.periods, numbers, strict=True):
            click.echo(f"{p.period:<9}{p.conversion_factor:>7.3f}" + "".join(f"{v:>{w},.3f}" for v in row)
                       + (f"   share {p.recycled_share:.2%}, allowance {p.allowance_t:,.3f}"
                          if p.recycled_share is not None else ""))
    if problems:
        if fmt == "json":
            sys.exit(1)
        raise LedgerError(list(problems), "The balance above counts only the rows without problems (a receipt "
                          "left out can cause an over-claim, a claim left out can hide one): fix them and run again."
                          if book.problems else "")


@ledger.command("statement")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--delivery", required=True, help="Delivery id from the ledger's Claims sheet.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The statement workbook to write (.xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace the output file if it exists.")
@click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100).")
@location_options
@reports_errors
def ledger_statement(file, delivery, output, overwrite, method_text, data_dir, inventories):
    """Write the customer's statement for one delivery the ledger covers."""
    from pathlib import Path

    from .calculate import compare as run_compare
    from .ledger import read_ledger
    from .massbalance import balance
    from .methods import get_method
    from .project import open_project
    from .routes import find_comparison
    from .statement import build_statement, check_covered
    from .xlsxout import check_output, save_atomically

    method = get_method(method_text)
    book = read_ledger(file)
    result = balance(book)
    check_covered(book, result, delivery)  # refuse before any Brightway work
    check_output(output, overwrite=overwrite)
    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        comparison = run_compare(bd, find_comparison(bd, project.databases, "copper"), method)
    command = "lca " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("lca") else \
        f"lca ledger statement {Path(file).name} --delivery {delivery} -o {Path(output).name}"
    workbook = build_statement(book, result, delivery, comparison, fingerprint=project.fingerprint,
                               command=command)
    written = save_atomically(workbook, output, overwrite=overwrite)
    click.echo(f"wrote {written}")
