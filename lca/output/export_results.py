"""Renderers of the export commands' summaries (lca.runs.export_olca, lca.runs.export_pact),
registered on the table and JSON renderers by result kind: what was written, with its counts, or
one line per PACT footprint with its id and value per declared unit."""

from __future__ import annotations

from lca.output.to_json import RENDER as JSON
from lca.output.to_json import dumps
from lca.output.to_table import RENDER as TABLE

__all__ = ["olca_counts", "pact_table", "pact_json"]


def olca_counts(run) -> dict:
    """The counts of an openLCA export, by entity kind."""
    done = run.written
    return {"processes": done.processes, "product_flows": done.product_flows,
            "elementary_flows": done.elementary_flows, "parameters": done.parameters,
            "unit_groups": done.unit_groups, "locations": done.locations}


@TABLE.kind("export-olca")
def _olca_table(run) -> str:
    done = run.written
    text = (f"Wrote {done.path}: {done.processes} processes, {done.product_flows} product flows, "
            f"{done.elementary_flows} elementary flows, {done.parameters} parameters, {done.unit_groups} unit groups, "
            f"{done.locations} locations")
    if done.distributions_left_out:
        text += (f"\nnote: {done.distributions_left_out} distributions openLCA cannot state (truncated, or a lognormal "
                 "of a negative amount) were left out; their values are written (docs/olca-export.md)")
    return text + "\n"


@JSON.kind("export-olca")
def _olca_json(run) -> str:
    return dumps({"path": str(run.written.path), "format": "openLCA JSON-LD (olca-schema 2)",
                  "databases": list(run.databases), **olca_counts(run),
                  "distributions_left_out": run.written.distributions_left_out})


def _line(document: dict) -> str:
    pcf = document["pcf"]
    return (f"  {document['id']}  {pcf['pcfExcludingBiogenicUptake']} kg CO2e per {pcf['declaredUnitAmount']} "
            f"{pcf['declaredUnitOfMeasurement']}  (fossil {pcf['fossilGhgEmissions']}, primary data "
            f"{pcf['primaryDataShare']} %)  {document['productDescription']}")


@TABLE.kind("export-pact")
def pact_table(result) -> str:
    count = len(result.footprints)
    lines = [f"Wrote {result.written}: {count} PACT v3 product footprint{'s' if count != 1 else ''}"]
    lines += [_line(d) for d in result.footprints]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


@JSON.kind("export-pact")
def pact_json(result) -> str:
    return dumps({"written": str(result.written), "ids": [d["id"] for d in result.footprints],
                       "notes": list(result.notes)})
