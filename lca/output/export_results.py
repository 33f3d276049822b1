"""Renderers of the export commands' summaries (lca.runs.export_olca),
registered on the table and JSON renderers by result kind."""

from __future__ import annotations

from lca.output.to_json import RENDER as JSON
from lca.output.to_json import dumps
from lca.output.to_table import RENDER as TABLE

__all__ = ["olca_counts"]


def olca_counts(run) -> dict:
    """The counts of an openLCA export, by entity kind."""
    return {"processes": run.processes, "product_flows": run.product_flows, "elementary_flows": run.elementary_flows,
            "parameters": run.parameters, "unit_groups": run.unit_groups, "locations": run.locations}


@TABLE.kind("export-olca")
def _olca_table(run) -> str:
    text = (f"Wrote {run.path}: {run.processes} processes, {run.product_flows} product flows, "
            f"{run.elementary_flows} elementary flows, {run.parameters} parameters, {run.unit_groups} unit groups, "
            f"{run.locations} locations")
    if run.distributions_left_out:
        text += (f"\nnote: {run.distributions_left_out} distributions openLCA cannot state (truncated, or a lognormal "
                 "of a negative amount) were left out; their values are written (docs/olca-export.md)")
    return text + "\n"


@JSON.kind("export-olca")
def _olca_json(run) -> str:
    return dumps({"path": str(run.path), "format": "openLCA JSON-LD (olca-schema 2)", "databases": list(run.databases),
                  **olca_counts(run), "distributions_left_out": run.distributions_left_out})
