"""The table (text) renderer: what a person reads in a terminal."""

from __future__ import annotations

from lca.choices import OutputFormat
from lca.output.battery_regulation import regulation_lines
from lca.output.envelope import about_of
from lca.output.renderer import Renderer
from lca.output.results import allocations_table, comparison_table, footprint_table

__all__ = ["RENDER"]

RENDER = Renderer(OutputFormat.TABLE, check=about_of)


@RENDER.result("compare")
def _compare(run) -> str:
    if run.all_allocations:
        return allocations_table(run.results)
    return comparison_table(run.result, quality=run.quality)


@RENDER.kind("products")
def _products(listed) -> str:
    from lca.output.records import product_rows

    rows = product_rows(listed.products)
    width = max([len(r["product"]) for r in rows] + [8]) + 2
    lines = [f"{'product':<{width}}{'unit':<16}{'declared kg':>12}{'materials kg':>14}{'gap':>8}  label"]
    for r in rows:
        lines.append(f"{r['product']:<{width}}{r['unit']:<16}{r['declared_mass_kg']:>12,.3f}"
                     f"{r['materials_mass_kg']:>14,.3f}{r['mass_gap']:>8.1%}  {r['label']}")
    return "\n".join(lines) + "\n"


@RENDER.result("footprint")
def _footprint(run) -> str:
    from lca.output.results import footprints_rows

    if not run.all_products:
        results = [run.baseline[0], run.results[0]] if run.compare else list(run.results)
        return footprint_table(results, method=run.method, unit=run.unit, qualities=run.product_qualities,
                               byproducts=run.statement)
    chosen = run.results[0].scenario
    base = run.baseline[0].scenario if run.compare else None
    method = run.method
    lines = [f"Method: {' | '.join(method.name)}  [{method.id}]; {run.unit} per product unit; "
             + (f"{base.label} vs {chosen.label}" if run.compare else chosen.label)]
    lines.append(f"{'product':<22}{'unit':<16}{'total':>14}"
                 + (f"{'alternative':>14}{'saving':>12}{'saving':>8}" if run.compare else "") + "  label")
    for row in footprints_rows(run.baseline or run.results, run.results if run.compare else None):
        extra = (f"{row['alternative_total']:>14,.3f}{row['saving']:>12,.3f}{row['saving_relative']:>8.1%}"
                 if run.compare else "")
        lines.append(f"{row['product']:<22}{row['unit']:<16}{row['total']:>14,.3f}{extra}  {row['label']}")
    for index, result in enumerate(run.results):  # the regulated products' view, under each scenario shown
        lines += regulation_lines(([run.baseline[index]] if run.compare else []) + [result], run.unit)
    return "\n".join(lines) + "\n"
