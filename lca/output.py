"""Turn results into text: a table for people, JSON and CSV with stable keys for scripts."""

from __future__ import annotations

import csv
import io
import json

from . import __version__
from .calculate import RESULT_DIGITS, Comparison

__all__ = ["comparison_dict", "comparison_json", "comparison_csv", "comparison_table", "rounded"]


def rounded(value: float | None, digits: int = RESULT_DIGITS) -> float | None:
    """Round to ``digits`` significant digits: Brightway's float32 data carry ~1e-7 noise."""
    if value is None:
        return None
    result = float(f"{value:.{digits}g}")
    return 0.0 if result == 0 else result


def _route_dict(route) -> dict:
    record = {
        "id": route.id,
        "label": route.label,
        "total": rounded(route.total),
        "stages": {stage: rounded(score) for stage, score in route.stages},
    }
    if route.share is None:
        record["activity"] = route.activity
    else:
        record["share"] = route.share
    return record


def comparison_dict(result: Comparison, *, fingerprint: str | None = None) -> dict:
    """The JSON shape of design.md (functional_unit, method, unit, routes, difference), plus
    ``basis``, ``blends`` (recycled shares) and ``provenance``."""
    absolute, relative = result.difference
    first, second = result.routes[0], result.routes[1]
    return {
        "comparison": result.comparison,
        "functional_unit": result.functional_unit,
        "basis": result.basis,
        "method": list(result.method.name),
        "method_id": result.method.id,
        "unit": f"{result.unit} per {result.functional_unit}",
        "routes": [_route_dict(route) for route in result.routes],
        "difference": {
            "from": first.id,
            "to": second.id,
            "absolute": rounded(absolute),
            "relative": rounded(relative, 4),
            "description": f"{first.id} minus {second.id}; relative to {first.id}",
        },
        "blends": [_route_dict(blend) for blend in result.blends],
        "provenance": {"tool_version": __version__, "inventory_fingerprint": fingerprint},
    }


def comparison_json(result: Comparison, *, fingerprint: str | None = None) -> str:
    return json.dumps(comparison_dict(result, fingerprint=fingerprint), indent=2, ensure_ascii=False) + "\n"


def comparison_csv(result: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    unit = f"{result.unit} per {result.functional_unit}"
    writer.writerow(["comparison", "route", "route_label", "stage", "score", "unit", "method_id"])
    for route in result.routes + result.blends:
        for stage, score in route.stages:
            writer.writerow([result.comparison, route.id, route.label, stage, rounded(score), unit, result.method.id])
        writer.writerow([result.comparison, route.id, route.label, "total", rounded(route.total), unit,
                         result.method.id])
    absolute, relative = result.difference
    first, second = result.routes[0].id, result.routes[1].id
    writer.writerow([result.comparison, f"{first}-minus-{second}", "difference (absolute)", "total",
                     rounded(absolute), unit, result.method.id])
    writer.writerow([result.comparison, f"{first}-minus-{second}", "difference (relative to first route)",
                     "total", rounded(relative, 4), "fraction", result.method.id])
    return buffer.getvalue()


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _stage_lines(route, width: int, decimals: int) -> list[str]:
    lines = []
    for stage, score in route.stages:
        share = f"{100 * score / route.total:5.1f} %" if route.total else ""
        lines.append(f"  {stage:<{width}}{_number(score, decimals):>14}  {share}")
    lines.append(f"  {'total':<{width}}{_number(route.total, decimals):>14}")
    lines.append("")
    return lines


def comparison_table(result: Comparison) -> str:
    unit = result.unit
    lines = [
        f"Comparison: {result.comparison}   per {result.functional_unit}",
        f"Method:     {' | '.join(result.method.name)}  [{result.method.id}]",
        f"Unit:       {unit}",
        "",
    ]
    everything = result.routes + result.blends
    width = max([len(s) for r in everything for s, _ in r.stages] + [len(b.label) for b in result.blends]
                + [28]) + 4
    # one number format for the whole table: 1 decimal for scores in the hundreds, else 3
    decimals = 1 if max(abs(r.total) for r in result.routes) >= 100 else 3
    for route in result.routes:
        lines.append(f"{route.label}  [{route.id}]")
        lines += _stage_lines(route, width, decimals)
    absolute, relative = result.difference
    first, second = result.routes[0], result.routes[1]
    share = f" ({100 * relative:.1f} % of {first.id})" if relative is not None else ""
    lines.append(f"Difference {first.id} - {second.id}: {_number(absolute, decimals)} {unit}{share}")
    if result.blends:
        lines += ["", f"Supply with a share of {second.id} (per {result.functional_unit}):"]
        for blend in result.blends:
            lines.append(f"  {blend.label:<{width}}{_number(blend.total, decimals):>14}")
    return "\n".join(lines) + "\n"
