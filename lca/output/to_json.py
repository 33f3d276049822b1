"""The JSON renderer: stable keys, for scripts (design note 7); a computed result's record goes
under the envelope of lca.output.envelope (subject, method, unit, allocation, changes, provenance)."""

from __future__ import annotations

import json

from lca.choices import OutputFormat
from lca.output.battery_regulation import add_regulation
from lca.output.envelope import about_of, with_envelope
from lca.output.renderer import Renderer
from lca.output.results import (
    allocations_dict,
    comparison_dict,
    comparison_of_footprints,
    footprint_dict,
    footprints_rows,
    parameters_list,
)

__all__ = ["RENDER", "dumps"]



def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDER = Renderer(OutputFormat.JSON, finish=lambda run, record: dumps(with_envelope(run, record)),
                  check=about_of)


@RENDER.result("compare")
def _compare(run) -> dict:
    if run.all_allocations:
        return allocations_dict(run.results, fingerprint=run.fingerprint, qualities=run.qualities)
    return comparison_dict(run.result, fingerprint=run.fingerprint, quality=run.quality)


@RENDER.kind("products")
def _products(listed) -> str:
    from lca.output.records import product_rows

    return dumps(product_rows(listed.products))


@RENDER.result("footprint")
def _footprint(run) -> dict:
    if run.all_products:
        rows = footprints_rows(run.baseline or run.results, run.results if run.compare else None)
        add_regulation(rows, run.baseline or run.results, run.results if run.compare else None, unit=run.unit,
                       flat=False)
        for row in rows:
            for key, quality in zip(("data_quality", "alternative_data_quality"), run.qualities, strict=False):
                row[key] = quality[row["product"]].as_dict()
        return {"method_id": run.method.id, "products": rows, "parameters": parameters_list(run.settings),
                "byproduct_allocation": run.statement.as_dict()}
    qualities = run.product_qualities
    if run.compare:
        return comparison_of_footprints(run.baseline[0], run.results[0], method=run.method, unit=run.unit,
                                        qualities=qualities, byproducts=run.statement)
    return footprint_dict(run.results[0], method=run.method, unit=run.unit, quality=qualities[0],
                          byproducts=run.statement)
