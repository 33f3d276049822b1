"""The CSV renderer: one row per record, spreadsheet-safe cells."""

from __future__ import annotations

from lca.choices import OutputFormat
from lca.output.renderer import Renderer
from lca.output.results import allocations_csv, comparison_csv, footprints_rows, rounded, rows_csv

__all__ = ["RENDER"]

RENDER = Renderer(OutputFormat.CSV)


@RENDER.kind("compare")
def _compare(run) -> str:
    return allocations_csv(run.results) if run.all_allocations else comparison_csv(run.result)


@RENDER.kind("products")
def _products(listed) -> str:
    from lca.output.records import product_rows

    return rows_csv(product_rows(listed.products))


@RENDER.kind("footprint")
def _footprint(run) -> str:
    if run.all_products or run.compare:
        return rows_csv(footprints_rows(run.baseline or run.results, run.results if run.compare else None))
    result = run.results[0]
    return rows_csv([{"product": result.product, "part": part, "score": rounded(score)} for part, score in result.parts]
                    + [{"product": result.product, "part": "total", "score": rounded(result.total)}])
