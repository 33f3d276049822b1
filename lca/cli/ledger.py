"""`lca ledger`: the mass-balance chain of custody (check, trace, statement, init)."""

from __future__ import annotations

import json
import sys

import click

from lca.cli.common import FORMATS, location_options, progress_to_stderr, reports_errors


@click.group()
def ledger():
    """Mass-balance chain of custody: check a ledger, trace its claims, write a customer's statement."""


def _balance_rows(result):
    for p in result.periods:
        yield {
            "period": p.period, "site": p.site, "conversion_factor": p.conversion_factor, "receipts": p.receipts,
            "scrap_metal_t": p.scrap_metal_t, "ineligible_metal_t": p.ineligible_metal_t,
            "carried_in_t": p.opening_t, "credits_in_t": p.credits_in_t, "used_t": p.used_t, "claims": p.claims,
            "claims_out_t": p.claims_out_t, "expired_t": p.expired_t, "closing_t": p.closing_t,
            "output_t": p.output_t, "delivered_t": p.delivered_t, "recycled_share": p.recycled_share,
            "window_share": p.window_share,
        }


def _read(file, fmt):
    """The ledger read with partial=True, or exit 1 (JSON: the problems) when its Settings cannot be used."""
    from lca.ledger import LedgerError, read_ledger

    try:
        return read_ledger(file, partial=True)
    except LedgerError as exc:
        if fmt == "json":
            click.echo(json.dumps({"ledger": str(file), "ok": False, "periods": [],
                                   "problems": [p.as_dict() for p in exc.problems]}, indent=2, default=str))
            sys.exit(1)
        raise


def _finish(book, problems, fmt):
    from lca.ledger import LedgerError

    if problems:
        if fmt == "json":
            sys.exit(1)
        raise LedgerError(list(problems), "The balance above counts only the rows without problems (a receipt "
                          "left out can cause an over-claim, a claim left out can hide one): fix them and run again."
                          if book.problems else "")


@ledger.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace files that already exist in DIRECTORY.")
@reports_errors
def ledger_init(directory, overwrite):
    """Copy the ledger template and the worked examples (copper, nickel) into DIRECTORY."""
    from lca.paths import copy_shipped_inventories, shipped_inventories

    for path in copy_shipped_inventories(directory, overwrite=overwrite, source=shipped_inventories() / "ledger"):
        click.echo(f"wrote {path}")
    click.echo(f"Fill in the template, then run: lca ledger check {directory}/ledger-template.xlsx")


@ledger.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@reports_errors
def ledger_check(file, fmt):
    """Balance per site and period (credits in, used, claimed, carried, expired, output); exit 1 on any problem.

    Every problem is reported in one run: the cells with problems, and the over-claims of the
    balance of the other rows."""
    from lca.ledger import balance
    from lca.output.results import rows_csv

    book = _read(file, fmt)
    result = balance(book)
    problems = book.problems + result.problems
    rows = list(_balance_rows(result))
    settings = book.settings
    if fmt == "json":
        click.echo(json.dumps({"ledger": str(book.path), "sha256": book.fingerprint, "sites": list(settings.sites),
                               "multi_site_boundary": settings.multi_site, "metal": settings.metal,
                               "product": settings.product, "eligible_categories": list(settings.eligible),
                               "input": settings.input_kind, "method": result.method, "ok": not problems,
                               "complete": not book.problems, "periods": rows,
                               "problems": [p.as_dict() for p in problems]}, indent=2, default=str))
    elif fmt == "csv":
        click.echo(rows_csv(rows, fields=("period", "site")), nl=False)
    else:
        click.echo(f"Ledger {book.path.name}: {settings.site}, {settings.metal} in {settings.product}, "
                   f"{result.method} method, {settings.period}ly periods (t of {settings.metal})"
                   + (" - without the rows with problems (see below)" if book.problems else ""))
        click.echo(f"Credit only for {settings.claim_wording}"
                   + (f"; recorded without credit: {', '.join(settings.other)}" if settings.other else ""))
        many = len(settings.pools) > 1
        numbers = [(p.scrap_metal_t, p.opening_t, p.credits_in_t, p.used_t, p.claims_out_t, p.expired_t,
                    p.closing_t, p.output_t) for p in result.periods]
        headers = ("scrap " + settings.metal[:8], "carried in", "credits in", "used", "claimed", "expired",
                   "closing", "output")
        w = max([len(f"{v:,.3f}") for row in numbers for v in row] + [len(h) for h in headers]) + 2
        site_w = max(len(p) for p in settings.pools) + 2 if many else 0
        click.echo(f"{'period':<9}" + (f"{'site':<{site_w}}" if many else "") + f"{'factor':>7}"
                   + "".join(f"{h:>{w}}" for h in headers))
        for p, row in zip(result.periods, numbers, strict=True):
            click.echo(f"{p.period:<9}" + (f"{p.site:<{site_w}}" if many else "") + f"{p.conversion_factor:>7.3f}"
                       + "".join(f"{v:>{w},.3f}" for v in row)
                       + (f"   share {p.recycled_share:.2%} (window {p.window_share:.2%})"
                          if p.recycled_share is not None else ""))
    _finish(book, problems, fmt)


@ledger.command("trace")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--delivery", default=None, help="Only this delivery id.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@reports_errors
def ledger_trace(file, delivery, fmt):
    """Which lots' credits each accepted claim used, tonne by tonne (oldest credit first)."""
    from lca.ledger import balance
    from lca.output.results import rows_csv
    from lca.rules import brief

    def cut(value: str, width: int) -> str:
        return value if len(value) <= width else value[:width - 1] + "~"

    book = _read(file, fmt)
    result = balance(book)
    if delivery is not None and delivery not in result.covers:
        from lca.errors import StatementRefused

        raise StatementRefused(f"Delivery {brief(delivery)} is not in the ledger {book.path.name} (Claims sheet).")
    lines = [line for line in result.trace if delivery is None or line.delivery == delivery]
    rows = [{"delivery": line.delivery, "lot": line.lot, "receipt_row": line.receipt_row,
             "received": line.receipt_date.isoformat(), "site": line.site, "category": line.category,
             "tonnes": line.tonnes} for line in lines]
    problems = book.problems + result.problems
    if fmt == "json":
        covers = [{"delivery": c.delivery, "period": c.period, "claimed_t": c.claimed_t, "accepted": c.accepted}
                  for c in result.covers.values() if delivery is None or c.delivery == delivery]
        click.echo(json.dumps({"ledger": str(book.path), "sha256": book.fingerprint, "ok": not problems,
                               "claims": covers, "trace": rows, "problems": [p.as_dict() for p in problems]},
                              indent=2, default=str))
    elif fmt == "csv":
        click.echo(rows_csv(rows, fields=("delivery", "lot")), nl=False)
    else:
        click.echo(f"{'delivery':<14}{'lot':<14}{'row':>8}  {'received':<11}{'category':<18}{'t':>12}")
        for line in lines:
            click.echo(f"{cut(line.delivery, 13):<14}{cut(line.lot, 13):<14}{line.receipt_row:>8}  "
                       f"{line.receipt_date.isoformat():<11}{cut(line.category, 17):<18}{line.tonnes:>12,.3f}")
        for cover in result.covers.values():
            if (delivery is None or cover.delivery == delivery) and not cover.accepted:
                click.echo(f"{cut(cover.delivery, 13):<14}refused: traces to no lot")
    _finish(book, problems, fmt)


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

    from lca.analysis.calculate import compare as run_compare
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project
    from lca.cli.common import parameter_changes
    from lca.ledger.footprint import comparison_of, footprint_for, open_delivery
    from lca.ledger.statement import build_statement
    from lca.xlsx import check_output, save_atomically

    method = get_method(method_text)
    found = open_delivery(file, delivery)  # refuse before any Brightway work
    check_output(output, overwrite=overwrite)
    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        model = comparison_of(bd, project.databases, found)
        changes = parameter_changes(project, (), (), found.fixed)
        comparison = run_compare(bd, model, method, changes=changes)
        footprint = footprint_for(found, comparison, project.parametric_model())
    command = "lca " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("lca") else \
        f"lca ledger statement {Path(file).name} --delivery {delivery} -o {Path(output).name}"
    workbook = build_statement(found.ledger, found.balance, delivery, footprint, fingerprint=project.fingerprint,
                               command=command)
    written = save_atomically(workbook, output, overwrite=overwrite)
    click.echo(f"wrote {written}")
