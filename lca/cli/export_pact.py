"""`lca export pact`: PACT v3 product footprints as JSON."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import (
    allocation_option,
    changes_of,
    format_option,
    location_options,
    note_to_stderr,
    parameter_options,
    progress_to_stderr,
    reports_errors,
    where_of,
)
from lca.output import render

__all__ = ["pact"]


@click.command()
@click.argument("subject", required=False)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The JSON file to write (.json; one footprint, or a list for a whole comparison).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="PACT settings file (YAML): company, reference period, product names, ids and carbon content "
                   "(template: inventories/pact-template.yaml).")
@click.option("--company", "company", default="", help="Company name (overrides the settings file).")
@click.option("--company-id", "company_ids", multiple=True, metavar="URN",
              help="Company id, a URN such as urn:lei:...; repeatable (overrides the settings file).")
@click.option("--product-id", "product_ids", multiple=True, metavar="URN",
              help="Product id, a URN such as urn:gtin:...; repeatable (overrides the settings file).")
@click.option("--ledger", "ledger", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="A mass-balance ledger workbook: export the footprint of one of its deliveries.")
@click.option("--delivery", "delivery", default=None, help="The delivery id (Claims sheet) with --ledger.")
@click.option("--supersedes", "supersedes", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="An earlier export of the same footprints: a changed footprint names the one it replaces "
                   "(precedingPfIds).")
@click.option("--method", "method_text", default=None,
              help="ipcc2021-gwp100 (AR6, default) or ipcc2013-gwp100 (AR5).")
@click.option("--basis", "basis", default=None,
              help="The product a comparison's footprint is per, where its routes are per metal contained "
                   "(nickel: niso4-hexahydrate or cam); required there.")
@allocation_option()
@parameter_options
@click.option("--overwrite", is_flag=True, help="Replace the output file if it exists.")
@format_option("export-pact")
@location_options
@reports_errors
def pact(subject, output, config, company, company_ids, product_ids, ledger, delivery, supersedes, method_text,
         basis, allocation, sets, scenarios, byproducts, overwrite, fmt, data_dir, inventories):
    """PACT v3 ProductFootprint of SUBJECT: a route (copper/scrap), every route of a comparison (copper),
    or a product (cell-2170); or of a ledger delivery (--ledger FILE --delivery ID, no SUBJECT).

    Per 1 kg for bulk metals (PACT asks for declaredUnitAmount 1 in kg), per piece or kWh for products.
    Company and product data come from --config or the options; anything the model cannot state is
    refused with the key to add. docs/pact.md says where each field comes from.
    """
    request = runs.PactExportRequest(
        subject=subject, output=output, config=config, company_name=company, company_ids=tuple(company_ids),
        product_ids=tuple(product_ids), ledger=ledger, delivery=delivery, method=method_text, basis=basis,
        allocation=allocation,
        changes=changes_of(sets, scenarios, byproducts), supersedes=supersedes, overwrite=overwrite)
    result = runs.export_pact(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)
