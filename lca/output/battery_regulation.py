"""The EU Battery Regulation view of a product footprint (lca.analysis.battery_regulation) as a
JSON record, flat CSV columns and table lines. A product without the view gets none of them."""

from __future__ import annotations

from lca.inventory.regulation_rows import METALS, MINIMUMS
from lca.output.records import rounded

__all__ = ["regulation_dict", "regulation_columns", "regulation_lines", "stage_key", "add_regulation", "csv_rows"]


def stage_key(stage: str) -> str:
    """A life-cycle stage as a plain key: 'end of life and recycling' -> 'end_of_life_and_recycling'."""
    return "_".join(stage.replace("-", " ").split())


def _day(date) -> str:
    return date.isoformat()


def regulation_dict(view, unit: str) -> dict:
    """The JSON record of ``view``; ``unit`` is the method's (kg CO2-Eq)."""
    return {
        "regulation": view.regulation,
        "source": view.source,
        "functional_unit": view.functional_unit,
        "recycled_content": {
            "description": "Article 8: share of each metal in the active materials (lead: in the battery) recovered "
                           "from battery manufacturing waste or post-consumer waste, by mass, from the routes that "
                           "one functional unit draws through the supply mixes declaring 'recycled content of'",
            "metals": [{"metal": c.metal, "share": rounded(c.share), "recycled_kg": rounded(c.recycled_kg),
                        "total_kg": rounded(c.total_kg), "supply_mixes_of": list(c.comparisons),
                        "minimums": [{"applies_from": _day(m.applies_from), "minimum": m.minimum, "met": m.met}
                                     for m in c.minimums]}
                       for c in view.recycled_content],
            "not_in_product": list(view.not_in_product),
        },
        "missed": [{"metal": metal, "applies_from": _day(m.applies_from), "minimum": m.minimum, "share": rounded(share)}
                   for metal, m, share in view.missed],
        "statement": view.statement,
        "carbon_footprint": {
            "unit": f"{unit} per {view.functional_unit}",
            "stages": {s.stage: rounded(s.score) for s in view.stages},  # None: not modelled
            "parts": {s.stage: list(s.parts) for s in view.stages},
            "not_modelled": list(view.not_modelled),
            "total": rounded(view.total),
        },
    }


def regulation_columns(view) -> dict:
    """Flat CSV columns of ``view`` (an empty cell: not in the product, or a stage not modelled)."""
    columns: dict = {"battery_regulation": view.regulation}
    drawn = {c.metal: c for c in view.recycled_content}
    for metal in METALS:
        content = drawn.get(metal)
        columns[f"recycled_content_{metal}"] = rounded(content.share) if content else None
        for year, minimum in _minimums_of(metal):
            met = next((m.met for m in content.minimums if m.applies_from.year == year), None) if content else None
            columns[f"recycled_content_{metal}_minimum_{year}"] = minimum
            columns[f"recycled_content_{metal}_met_{year}"] = met
    for stage in view.stages:
        columns[f"cfp_{stage_key(stage.stage)}"] = rounded(stage.score)
    columns["cfp_not_modelled"] = "; ".join(view.not_modelled)
    columns["battery_regulation_statement"] = view.statement
    return columns


def _minimums_of(metal: str) -> list[tuple[int, float]]:
    return sorted((m.applies_from.year, m.share) for m in MINIMUMS if m.metal == metal)


def regulation_lines(results, unit: str) -> list[str]:
    """Table lines of the view of each result (scenario) that has one."""
    lines = []
    for result in results:
        view = result.regulation
        if view is None:
            continue
        dates = view.dates
        lines += ["", f"EU Battery Regulation {view.regulation}: {result.product}  [{result.scenario.label}]",
                  "  Recycled content in the active materials (Article 8: recovered from battery manufacturing or "
                  "post-consumer waste)",
                  f"    {'metal':<10}{'share':>9}{'recycled kg':>14}{'total kg':>12}"
                  + "".join(f"{'from ' + _day(d):>22}" for d in dates)]
        for content in view.recycled_content:
            cells = {m.applies_from: f"{m.minimum * 100:g} % {'met' if m.met else 'missed'}" for m in content.minimums}
            lines.append(f"    {content.metal:<10}{content.share:>9.2%}{content.recycled_kg:>14.4g}"
                         f"{content.total_kg:>12.4g}" + "".join(f"{cells.get(d, '-'):>22}" for d in dates))
        if view.not_in_product:
            lines.append(f"    not in the product: {', '.join(view.not_in_product)}")
        lines.append(f"  {view.statement}")
        lines.append(f"  Carbon footprint by life-cycle stage (Article 7, Annex II), {unit} per {view.functional_unit}")
        width = max(len(s.stage) for s in view.stages) + 4
        for stage in view.stages:
            value = "not modelled" if stage.score is None else f"{stage.score:,.3f}"
            parts = f"  ({', '.join(stage.parts)})" if stage.parts else ""
            lines.append(f"    {stage.stage:<{width}}{value:>14}{parts}")
        lines.append(f"    {'total of the modelled stages':<{width}}{view.total:>14,.3f}")
        if view.not_modelled:
            lines.append(f"    not modelled (no part declares them): {', '.join(view.not_modelled)}")
    return lines


def add_regulation(rows: list[dict], base_results, alternative_results, *, unit: str, flat: bool) -> list[dict]:
    """The product rows of ``footprints_rows`` with the view of each regulated product: a
    ``battery_regulation`` record (``alternative_battery_regulation`` for the second scenario), or
    its flat columns (prefixed ``alternative_``) with ``flat``."""
    results = [("", {r.product: r for r in base_results}),
               ("alternative_", {r.product: r for r in alternative_results or ()})]
    for row in rows:
        for prefix, by_product in results:
            result = by_product.get(row["product"])
            if result is None or result.regulation is None:
                continue
            if flat:
                row.update({prefix + key: value for key, value in regulation_columns(result.regulation).items()})
            else:
                row[prefix + "battery_regulation"] = regulation_dict(result.regulation, unit)
    return rows


def csv_rows(result, rows: list[dict]) -> list[dict]:
    """The part rows of one product's CSV (product, part, score), with the view of a regulated one:
    each part's life-cycle stage, and the flat columns on the total row."""
    view = result.regulation
    if view is None:
        return rows
    life = {part: stage.stage for stage in view.stages for part in stage.parts}
    for row in rows:
        if row["part"] == "total":
            row.update(regulation_columns(view))
        else:
            row["life_cycle_stage"] = life.get(row["part"])
    return rows
