"""`lca export`: footprints and inventories in other tools' formats (PACT v3, openLCA JSON-LD)."""

from __future__ import annotations

import click

from lca.cli.export_olca import olca
from lca.cli.export_pact import pact

__all__ = ["export"]


@click.group()
def export():
    """Write footprints and inventories in other tools' formats: PACT v3 JSON, openLCA JSON-LD."""


export.add_command(pact)
export.add_command(olca)
