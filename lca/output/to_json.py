"""The JSON renderer: stable keys, for scripts (design note 7)."""

from __future__ import annotations

import json

from lca.choices import OutputFormat
from lca.output.battery_regulation import add_regulation
from lca.output.renderer import Renderer
from lca.output.results import (
    allocations_json,
    comparison_json,
    comparison_of_footprints,
    footprint_dict,
    footprints_rows,
    parameters_list,
)

__all__ = ["RENDER", "dumps"]

RENDER = Renderer(OutputFormat.JSON)


def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@RENDER.kind("compare")
def _compare(run) -> str:
    if run.all_allocations:
        return allocations_json(run.results, fingerprint=run.fingerprint, qualities=run.qualities)
    return comparison_json(run.result, fingerprint=run.fingerprint, quality=run.quality)


@RENDER.kind("products")
def _products(listed) -> str:
    from lca.output.records import product_rows

    return dumps(product_rows(listed.products))


@RENDER.kind("footprint")
def _footprint(run) -> str:
    if run.all_products:
        rows = footprints_rows(run.baseline or run.results, run.results if run.compare else None)
        add_regulation(rows, run.baseline or run.results, run.results if run.compare else None, unit=run.unit,
                       flat=False)
        for row in rows:
            for key, quality in zip(("data_quality", "alternative_data_quality"), run.qualities, strict=False):
                row[key] = quality[row["product"]].as_dict()
        return dumps({"method": list(run.method.name), "method_id": run.method.id,
                      "unit": f"{run.unit} per product unit", "products": rows,
                      "parameters": parameters_list(run.settings), "byproduct_allocation": run.statement.as_dict()})
    qualities = run.product_qualities
    if run.compare:
        return dumps(comparison_of_footprints(run.baseline[0], run.results[0], method=run.method, unit=run.unit,
                                              qualities=qualities, byproducts=run.statement))
    return dumps(footprint_dict(run.results[0], method=run.method, unit=run.unit, quality=qualities[0],
                                byproducts=run.statement))
