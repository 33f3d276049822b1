"""The CSV renderer: one row per record, spreadsheet-safe cells."""

from __future__ import annotations

from lca.choices import OutputFormat
from lca.output.battery_regulation import add_regulation, csv_rows
from lca.output.renderer import Renderer
from lca.output.results import allocations_csv, comparison_csv, csv_text, footprints_rows, rounded, rows_csv

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
        base, alternative = run.baseline or run.results, run.results if run.compare else None
        return _union_csv(add_regulation(footprints_rows(base, alternative), base, alternative, unit=run.unit,
                                         flat=True))
    result = run.results[0]
    return _union_csv(csv_rows(result, [{"product": result.product, "part": part, "score": rounded(score)}
                                        for part, score in result.parts]
                               + [{"product": result.product, "part": "total", "score": rounded(result.total)}]))


def _union_csv(rows: list[dict]) -> str:
    """CSV of records whose keys differ (a regulated product's columns): every key, in first-seen order."""
    header = list(dict.fromkeys(key for row in rows for key in row)) or ["product"]
    return csv_text(header, ([row.get(k) for k in header] for row in rows))
