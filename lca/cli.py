"""The `lca` command line. The only place where errors become messages and exit codes."""

from __future__ import annotations

import functools
import json
import sys

import click

from . import __version__
from .errors import InventoryError, LCAError

FORMATS = click.Choice(["table", "json", "csv"])


class UserError(click.ClickException):
    """An LCAError shown to the user: message on stderr, exit code 1, no traceback."""

    exit_code = 1


def _reports_errors(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except LCAError as exc:
            raise UserError(str(exc)) from exc

    return wrapper


def _progress_to_stderr():
    """Progress lines for stderr, bound now: Brightway's own output is silenced while building."""
    stream = sys.stderr

    def progress(message: str) -> None:
        print(message, file=stream, flush=True)

    return progress


def _location_options(function):
    function = click.option(
        "--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
        help="Folder of inventory workbooks (default: the shipped set). Env: LCA_INVENTORIES.",
    )(function)
    function = click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=str),
        help="Brightway data folder (default: BRIGHTWAY2_DIR, else a per-user folder).",
    )(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lca")
def cli():
    """Carbon footprint of primary versus recycled copper and nickel (Brightway 2.5).

    Start with `lca compare copper`. Results are per functional unit, in kg CO2-eq.
    """


@cli.command()
@click.argument("comparison")
@click.option("--method", "method_text", default=None,
              help="Impact method id or name (default ipcc2021-gwp100); see `lca methods`.")
@click.option("--basis", default=None,
              help="Functional unit: 'default' (the routes' own unit) or a basis the comparison offers, "
                   "e.g. niso4-hexahydrate or cam for nickel.")
@click.option("--primary-route", default=None, help="Which primary route to compare (nickel: primary, "
              "primary-sulfide, primary-indonesia); default: the one marked 'default route'.")
@click.option("--recycled-share", "recycled_share", default=None, type=float, metavar="X",
              help="Add the supply blend with this share (0 to 1) of the recycled route; without it, "
                   "the shares listed in the workbook (nickel: 0, 0.2, 1).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_location_options
@_reports_errors
def compare(comparison, method_text, basis, primary_route, recycled_share, fmt, data_dir, inventories):
    """Per-unit CFP of each route of COMPARISON (copper, nickel), its stages and the difference."""
    from .calculate import compare as run_compare
    from .methods import get_method
    from .output import comparison_csv, comparison_json, comparison_table
    from .project import open_project
    from .routes import find_comparison

    method = get_method(method_text)
    if recycled_share is not None and not 0 <= recycled_share <= 1:
        raise UserError(f"--recycled-share {recycled_share:g} is outside 0 to 1: give the recycled share as a "
                        "fraction, e.g. 0.2 for 20 %.")
    with open_project(data_dir=data_dir, inventories=inventories, progress=_progress_to_stderr()) as project:
        import bw2data as bd

        model = find_comparison(bd, project.databases, comparison)
        shares = (recycled_share,) if recycled_share is not None else model.report_shares
        result = run_compare(bd, model, method, basis=basis, primary_route=primary_route, shares=shares)
    if fmt == "json":
        click.echo(comparison_json(result, fingerprint=project.fingerprint), nl=False)
    elif fmt == "csv":
        click.echo(comparison_csv(result), nl=False)
    else:
        click.echo(comparison_table(result), nl=False)


@cli.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_location_options
@_reports_errors
def products(fmt, data_dir, inventories):
    """List the products with unit, declared mass and the mass their materials add up to."""
    from .output import rows_csv
    from .products import list_products
    from .project import open_project

    with open_project(data_dir=data_dir, inventories=inventories, progress=_progress_to_stderr()) as project:
        import bw2data as bd

        found = list_products(bd, project.databases)
    rows = [{"product": p.id, "label": p.label, "unit": p.unit, "declared_mass_kg": p.declared_mass_kg,
             "materials_mass_kg": round(p.materials_mass_kg, 6),
             "mass_gap": round((p.materials_mass_kg - p.declared_mass_kg) / p.declared_mass_kg, 6)}
            for p in found.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(rows_csv(rows), nl=False)
    else:
        width = max([len(r["product"]) for r in rows] + [8]) + 2
        click.echo(f"{'product':<{width}}{'unit':<16}{'declared kg':>12}{'materials kg':>14}{'gap':>8}  label")
        for r in rows:
            click.echo(f"{r['product']:<{width}}{r['unit']:<16}{r['declared_mass_kg']:>12,.3f}"
                       f"{r['materials_mass_kg']:>14,.3f}{r['mass_gap']:>8.1%}  {r['label']}")


@cli.command()
@click.argument("product", required=False)
@click.option("--all", "all_products", is_flag=True, help="Every product, in one table (one factorisation).")
@click.option("--copper", "copper", default=None, help="Copper route for the copper parts: primary (default) or scrap.")
@click.option("--recycled-nickel", "recycled_nickel", type=float, default=None, metavar="SHARE",
              help="Share (0 to 1) of recycled nickel in the cathode material; default 0.")
@click.option("--compare", is_flag=True, help="Also the alternative routes (copper scrap and, unless given, 20 % "
              "recycled nickel), side by side with the saving.")
@click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_location_options
@_reports_errors
def footprint(product, all_products, copper, recycled_nickel, compare, method_text, fmt, data_dir, inventories):
    """Cradle-to-gate CFP of PRODUCT per unit, by part, with the metal supply routes chosen."""
    from .footprint import CONVENTIONAL, Scenario, footprints
    from .methods import get_method
    from .output import comparison_of_footprints, footprint_dict, footprint_table, footprints_rows, rounded, rows_csv
    from .products import find_products, list_products
    from .project import open_project
    from .routes import list_comparisons

    if bool(product) == bool(all_products):
        raise UserError("Name one PRODUCT, or pass --all (see `lca products`).")
    if recycled_nickel is not None and not 0 <= recycled_nickel <= 1:
        raise UserError(f"--recycled-nickel {recycled_nickel:g} is outside 0 to 1: give a fraction, e.g. 0.2.")
    method = get_method(method_text)
    chosen = Scenario(copper=copper or "primary", recycled_nickel=recycled_nickel or 0.0)
    if compare:
        base = CONVENTIONAL
        chosen = Scenario(copper=copper or "scrap", recycled_nickel=0.2 if recycled_nickel is None else recycled_nickel)
    with open_project(data_dir=data_dir, inventories=inventories, progress=_progress_to_stderr()) as project:
        import bw2data as bd

        items = list(list_products(bd, project.databases).values()) if all_products else \
            find_products(bd, project.databases, [product])
        comparisons = list_comparisons(bd, project.databases)
        results = footprints(bd, items, comparisons, chosen, method)
        baseline = footprints(bd, items, comparisons, base, method) if compare else None
        unit = bd.Method(method.name).metadata.get("unit", "")
    if all_products:
        rows = footprints_rows(baseline or results, results if compare else None)
        if fmt == "json":
            click.echo(json.dumps({"method": list(method.name), "method_id": method.id,
                                   "unit": f"{unit} per product unit", "products": rows}, indent=2, ensure_ascii=False))
        elif fmt == "csv":
            click.echo(rows_csv(rows), nl=False)
        else:
            click.echo(f"Method: {' | '.join(method.name)}  [{method.id}]; {unit} per product unit; "
                       + (f"{base.label} vs {chosen.label}" if compare else chosen.label))
            click.echo(f"{'product':<22}{'unit':<16}{'total':>14}"
                       + (f"{'alternative':>14}{'saving':>12}{'saving':>8}" if compare else "") + "  label")
            for row in rows:
                extra = (f"{row['alternative_total']:>14,.3f}{row['saving']:>12,.3f}{row['saving_relative']:>8.1%}"
                         if compare else "")
                click.echo(f"{row['product']:<22}{row['unit']:<16}{row['total']:>14,.3f}{extra}  {row['label']}")
        return
    if compare:
        if fmt == "json":
            click.echo(json.dumps(comparison_of_footprints(baseline[0], results[0], method=method, unit=unit),
                                  indent=2, ensure_ascii=False))
        elif fmt == "csv":
            click.echo(rows_csv(footprints_rows(baseline, results)), nl=False)
        else:
            click.echo(footprint_table([baseline[0], results[0]], method=method, unit=unit), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(footprint_dict(results[0], method=method, unit=unit), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(rows_csv([{"product": results[0].product, "part": part, "score": rounded(score)}
                             for part, score in results[0].parts]
                            + [{"product": results[0].product, "part": "total", "score": rounded(results[0].total)}]),
                   nl=False)
    else:
        click.echo(footprint_table(results, method=method, unit=unit), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def methods(fmt):
    """List the impact methods offered (the first is the default)."""
    from .methods import METHODS

    if fmt == "json":
        click.echo(json.dumps([{"id": m.id, "name": list(m.name), "label": m.label} for m in METHODS], indent=2))
        return
    width = max(len(m.id) for m in METHODS) + 2
    for method in METHODS:
        click.echo(f"{method.id:<{width}}{' | '.join(method.name)}")


@cli.group()
def inventory():
    """Check or copy the inventory workbooks."""


@inventory.command("check")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--inventories", type=click.Path(file_okay=False, path_type=str), envvar="LCA_INVENTORIES",
              help="Folder of inventory workbooks (default: the shipped set). Env: LCA_INVENTORIES.")
@_reports_errors
def inventory_check(fmt, inventories):
    """Validate every workbook; list all problems with file, sheet, row and column."""
    from .inventory import load_inventory
    from .paths import resolve_inventories

    folder = resolve_inventories(inventories)
    try:
        loaded = load_inventory(folder)
    except InventoryError as exc:
        if fmt == "json":
            click.echo(json.dumps({"ok": False, "folder": str(folder),
                                   "problems": [p.as_dict() for p in exc.problems]}, indent=2))
            sys.exit(1)
        raise
    counts = {db.name: len(db.activities) for db in loaded.databases}
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "folder": str(folder), "databases": counts, "problems": []}, indent=2))
    else:
        listed = ", ".join(f"{name} ({n} activities)" for name, n in counts.items())
        click.echo(f"OK: {folder}: {listed}")


@inventory.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--overwrite", is_flag=True, help="Replace workbooks that already exist in DIRECTORY.")
@_reports_errors
def inventory_init(directory, overwrite):
    """Copy the shipped workbooks into DIRECTORY, to edit and use with --inventories."""
    from .paths import copy_shipped_inventories

    for path in copy_shipped_inventories(directory, overwrite=overwrite):
        click.echo(f"wrote {path}")
    click.echo(f"Edit them, then run: lca compare copper --inventories {directory}")


@cli.group()
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
@_reports_errors
def ledger_init(directory, overwrite):
    """Copy the ledger template and the worked example into DIRECTORY."""
    from .paths import copy_shipped_inventories, shipped_inventories

    for path in copy_shipped_inventories(directory, overwrite=overwrite, source=shipped_inventories() / "ledger"):
        click.echo(f"wrote {path}")
    click.echo(f"Fill in the template, then run: lca ledger check {directory}/ledger-template.xlsx")


@ledger.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_reports_errors
def ledger_check(file, fmt):
    """Balance per period (credits in, claims out, carried over, expired, closing); exit 1 on any problem."""
    import csv
    import io

    from .ledger import read_ledger
    from .massbalance import balance

    book = read_ledger(file)
    result = balance(book)
    rows = list(_balance_rows(result))
    if fmt == "json":
        click.echo(json.dumps({"ledger": str(book.path), "sha256": book.fingerprint, "site": book.settings.site,
                               "method": result.method, "ok": not result.problems, "periods": rows,
                               "problems": [p.as_dict() for p in result.problems]}, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["period"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(f"Ledger {book.path.name}: {book.settings.site}, {result.method} method, "
                   f"{book.settings.period}ly periods (t of cathode)")
        numbers = [(p.scrap_copper_t, p.opening_t, p.credits_in_t, p.claims_out_t, p.expired_t, p.closing_t)
                   for p in result.periods]
        w = max([len(f"{v:,.3f}") for row in numbers for v in row] + [10]) + 2
        click.echo(f"{'period':<9}{'factor':>7}{'scrap Cu':>{w}}{'carried in':>{w}}{'credits in':>{w}}"
                   f"{'claims out':>{w}}{'expired':>{w}}{'closing':>{w}}")
        for p, row in zip(result.periods, numbers, strict=True):
            click.echo(f"{p.period:<9}{p.conversion_factor:>7.3f}" + "".join(f"{v:>{w},.3f}" for v in row)
                       + (f"   share {p.recycled_share:.2%}, allowance {p.allowance_t:,.3f}"
                          if p.recycled_share is not None else ""))
    if result.problems:
        from .ledger import LedgerError

        if fmt == "json":
            sys.exit(1)
        raise LedgerError(list(result.problems))


@ledger.command("statement")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--delivery", required=True, help="Delivery id from the ledger's Claims sheet.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The statement workbook to write (.xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace the output file if it exists.")
@click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100).")
@_location_options
@_reports_errors
def ledger_statement(file, delivery, output, overwrite, method_text, data_dir, inventories):
    """Write the customer's statement for one delivery the ledger covers."""
    from pathlib import Path

    from .calculate import compare as run_compare
    from .ledger import read_ledger
    from .massbalance import balance
    from .methods import get_method
    from .project import open_project
    from .routes import find_comparison
    from .statement import _check_covered, build_statement
    from .xlsxout import save_atomically

    method = get_method(method_text)
    book = read_ledger(file)
    result = balance(book)
    _check_covered(book, result, delivery)  # refuse before any Brightway work
    if Path(output).exists() and not overwrite:
        from .errors import OutputError

        raise OutputError(f"{Path(output).resolve()} already exists; nothing was written. Pass --overwrite to "
                          "replace it, or choose another file name.")
    with open_project(data_dir=data_dir, inventories=inventories, progress=_progress_to_stderr()) as project:
        import bw2data as bd

        comparison = run_compare(bd, find_comparison(bd, project.databases, "copper"), method)
    command = "lca " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("lca") else \
        f"lca ledger statement {Path(file).name} --delivery {delivery} -o {Path(output).name}"
    workbook = build_statement(book, result, delivery, comparison, fingerprint=project.fingerprint,
                               command=command)
    written = save_atomically(workbook, output, overwrite=overwrite)
    click.echo(f"wrote {written}")


def main() -> None:
    cli(prog_name="lca")


if __name__ == "__main__":
    main()
