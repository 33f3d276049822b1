"""Rendering of `lca export pact` results (kind "export-pact"): what was written, one line per
footprint with its id and value per declared unit, and the supersession notes."""

from __future__ import annotations

import json

from lca.output.to_json import RENDER as JSON
from lca.output.to_table import RENDER as TABLE

__all__ = ["pact_table", "pact_json"]


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
    return json.dumps({"written": str(result.written), "ids": [d["id"] for d in result.footprints],
                       "notes": list(result.notes)}, indent=2) + "\n"
