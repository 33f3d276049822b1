"""`lca export olca`: the inventories as an openLCA JSON-LD zip."""

from __future__ import annotations

import click

from lca import runs
from lca.cli.common import format_option, location_options, note_to_stderr, progress_to_stderr, reports_errors, where_of
from lca.output import render

__all__ = ["olca"]


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The zip to write (.zip), to import in openLCA with File > Import > JSON-LD.")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@format_option("export-olca")
@location_options
@reports_errors
def olca(output, overwrite, fmt, data_dir, inventories):
    """Write every inventory database (processes, flows, units, parameters) as openLCA JSON-LD.

    Formulas are translated to openLCA's syntax; anything openLCA cannot state exactly (an
    operator, a unit, clashing names) refuses the export with the place named. docs/olca-export.md.
    """
    request = runs.OlcaExportRequest(output=output, overwrite=overwrite)
    result = runs.export_olca(request, where_of(data_dir, inventories), progress_to_stderr(), note_to_stderr)
    click.echo(render(result, fmt), nl=False)
