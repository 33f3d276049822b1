"""`lca ledger`: the mass-balance chain of custody (check, trace, statement, init)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from lca import runs
from lca.cli.common import (
    format_option,
    location_options,
    note_to_stderr,
    progress_to_stderr,
    reports_errors,
    where_of,
)
from lca.output import render


@click.group()
def ledger():
    """Mass-balance chain of custody: check a ledger, trace its claims, write a customer's statement."""


def _show(result, fmt):
    """Render ``result`` and end as the ledger commands do: a ledger whose Settings cannot be used
    stops before any output (JSON: its problems); any problem exits 1 (JSON: after the output,
    otherwise as an error message)."""
    if result.unread is not None and fmt != "json":
        raise result.unread
    click.echo(render(result, fmt), nl=False)
    if result.error is not None:
        if fmt == "json":
            sys.exit(1)
        raise result.error


@ledger.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace files that already exist in DIRECTORY.")
@reports_errors
def ledger_init(directory, overwrite):
    """Copy the ledger template and the worked examples (copper, nickel) into DIRECTORY."""
    for path in runs.ledger_init(directory, overwrite=overwrite).written:
        click.echo(f"wrote {path}")
    click.echo(f"Fill in the template, then run: lca ledger check {directory}/ledger-template.xlsx")


@ledger.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@format_option("ledger-check")
@reports_errors
def ledger_check(file, fmt):
    """Balance per site and period (credits in, used, claimed, carried, expired, output); exit 1 on any problem.

    Every problem is reported in one run: the cells with problems, and the over-claims of the
    balance of the other rows."""
    _show(runs.ledger_check(file), fmt)


@ledger.command("trace")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--delivery", default=None, help="Only this delivery id.")
@format_option("ledger-trace")
@reports_errors
def ledger_trace(file, delivery, fmt):
    """Which lots' credits each accepted claim used, tonne by tonne (oldest credit first)."""
    _show(runs.ledger_trace(file, delivery), fmt)


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
    # files by name only: the statement never shows the user's folders (the ledger's SHA-256 identifies it)
    words = ["lca", "ledger", "statement", Path(file).name, "--delivery", delivery, "-o", Path(output).name]
    command = shlex.join(words + (["--method", method_text] if method_text else []))
    request = runs.StatementRequest(file=file, delivery=delivery, output=output, overwrite=overwrite,
                                    method=method_text, command=command)
    result = runs.ledger_statement(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(f"wrote {result.written}")
