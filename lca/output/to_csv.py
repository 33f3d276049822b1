"""The CSV renderer: one row per record, spreadsheet-safe cells; every row of a computed result
carries its unit and method (lca.output.envelope.with_unit_and_method)."""

from __future__ import annotations

from lca.choices import OutputFormat
from lca.output.battery_regulation import add_regulation, csv_rows, regulation_columns
from lca.output.envelope import about_of, with_unit_and_method
from lca.output.renderer import Renderer
from lca.output.results import allocations_csv, comparison_csv, csv_text, footprints_rows, rounded, rows_csv

__all__ = ["RENDER", "union_table"]

RENDER = Renderer(OutputFormat.CSV, finish=lambda run, table: csv_text(*with_unit_and_method(run, *table)),
                  check=about_of)


@RENDER.result("compare")
def _compare(run) -> tuple:
    return allocations_csv(run.results) if run.all_allocations else comparison_csv(run.result)


@RENDER.kind("products")
def _products(listed) -> str:
    from lca.output.records import product_rows

    return rows_csv(product_rows(listed.products))


@RENDER.result("footprint")
def _footprint(run) -> tuple:
    if run.all_products:
        base, alternative = run.baseline or run.results, run.results if run.compare else None
        rows = add_regulation(footprints_rows(base, alternative), base, alternative, unit=run.unit, flat=True)
        # the unit column is the result's, per unit of each product; the product's own unit is product_unit
        rows = [{("product_unit" if key == "unit" else key): value for key, value in row.items()}
                | {"unit": f"{run.unit} per 1 {row['unit']}"} for row in rows]
        return union_table(rows)
    if run.compare:
        return union_table(_compared_parts(run.baseline[0], run.results[0]))
    result = run.results[0]
    return union_table(csv_rows(result, [{"product": result.product, "part": part, "score": rounded(score)}
                                         for part, score in result.parts]
                                + [{"product": result.product, "part": "total", "score": rounded(result.total)}]))


def _compared_parts(base, alternative) -> list[dict]:
    """One row per part of a product under both scenarios (conventional first), then the totals and
    the saving; a regulated product's view on the total row (the second scenario's prefixed ``alternative_``)."""
    chosen = dict(alternative.parts)
    parts = list(dict.fromkeys([p for p, _ in base.parts] + [p for p, _ in alternative.parts]))
    scores = dict(base.parts)
    rows = []
    for part in parts:
        score, other = rounded(scores.get(part, 0.0)), rounded(chosen.get(part, 0.0))
        # the saving of the rounded scores: an unchanged part saves 0, not float32 noise
        rows.append({"product": base.product, "part": part, "score": score, "alternative_score": other,
                     "saving": rounded(score - other)})
    saving = base.total - alternative.total
    rows.append({"product": base.product, "part": "total", "score": rounded(base.total),
                 "alternative_score": rounded(alternative.total), "saving": rounded(saving),
                 "saving_relative": rounded(saving / base.total if base.total else None, 4)})
    rows = csv_rows(base, rows)
    if alternative.regulation is not None:
        columns = regulation_columns(alternative.regulation)
        rows[-1].update({f"alternative_{key}": value for key, value in columns.items()})
    return rows


def union_table(rows: list[dict]) -> tuple[list, list]:
    """(header, rows) of records whose keys differ (a regulated product's columns): every key, in first-seen order."""
    header = list(dict.fromkeys(key for row in rows for key in row)) or ["product"]
    return header, [[row.get(k) for k in header] for row in rows]
