"""Turn results into text: a table for people, JSON and CSV with stable keys for scripts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice

from lca import __version__
from lca.analysis.calculate import Comparison
from lca.analysis.dataquality import quality_line
from lca.output.battery_regulation import regulation_dict, regulation_lines
from lca.output.records import rounded

__all__ = ["comparison_dict", "comparison_csv", "comparison_table", "rounded", "parameters_list",
           "parameters_line", "allocation_dict", "allocations_dict", "allocations_csv", "allocations_table",
           "csv_text", "csv_chunks", "rows_csv", "spreadsheet_safe", "FORMULA_STARTS"]

# A text cell starting with one of these is run as a formula by Excel or LibreOffice when the CSV
# is opened (OWASP "CSV injection"; the full-width forms are converted by Japanese input).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A CSV cell no spreadsheet runs as a formula: text starting with = + - @, a tab or a carriage
    return gets a leading single quote (OWASP); numbers, None and other text are unchanged, so a
    negative number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value):
    value = spreadsheet_safe(value)
    if isinstance(value, str) and "\r" in value:  # the csv module leaves a lone CR unquoted: it would split the row
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _csv_lines(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def csv_text(header, rows) -> str:
    """CSV of ``rows`` (sequences) under ``header``; the one CSV writer, every text cell made safe."""
    return _csv_lines([header]) + _csv_lines(rows)


def csv_chunks(header, rows, size: int = 10_000) -> Iterator[str]:
    """The text of :func:`csv_text` in pieces of ``size`` rows, for a file too large to hold as one string."""
    yield _csv_lines([header])
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield _csv_lines(chunk)


def rows_csv(rows: list[dict], fields=("product",)) -> str:
    """CSV of records (the keys of the first are the columns; ``fields`` when there are none)."""
    header = list(rows[0]) if rows else list(fields)
    return csv_text(header, ([row.get(k) for k in header] for row in rows))


def _route_dict(route, quality=None) -> dict:
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
    if quality is not None:  # {route or blend id: lca.dataquality.DataQuality}
        found = quality.get(route.id)
        record["data_quality"] = found.as_dict() if found is not None else None
    return record


def comparison_dict(result: Comparison, *, fingerprint: str | None = None, quality: dict | None = None) -> dict:
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
        "routes": [_route_dict(route, quality) for route in result.routes],
        "difference": {
            "from": first.id,
            "to": second.id,
            "absolute": rounded(absolute),
            "relative": rounded(relative, 4),
            "description": f"{first.id} minus {second.id}; relative to {first.id}",
        },
        "blends": [_route_dict(blend, quality) for blend in result.blends],
        "parameters": parameters_list(result.parameters),
        "allocation": allocation_dict(result),
        "byproduct_allocation": result.byproducts.as_dict() if result.byproducts is not None else None,
        "provenance": {"tool_version": __version__, "inventory_fingerprint": fingerprint},
    }


def allocation_dict(result: Comparison) -> dict:
    """The recycling allocation of a comparison: approach, parameters, and how the recycled route was formed."""
    allocation = result.allocation
    if allocation is None:
        return {"approach": "cut-off", "parameters": {}, "recycled_route": "as modelled (cut-off)"}
    alpha, beta = allocation.coefficients()
    return {"approach": allocation.approach,
            "parameters": {"A": allocation.A, "R1": allocation.R1, "Qsin_Qp": allocation.Qsin_Qp, "R2": allocation.R2,
                           "Qsout_Qp": allocation.Qsout_Qp},
            "coefficients": {"alpha": alpha, "beta": beta,
                             "description": "recycled route = alpha x Erec + beta x Ev (per unit of metal)"},
            "recycled_route": result.allocation_formula}


def allocations_dict(results, *, fingerprint: str | None = None, qualities=None) -> dict:
    """`--allocation all`: one comparison per approach, and their differences side by side."""
    data = {"allocation": "all",
            "summary": [{"approach": r.allocation.approach, "reference": rounded(r.routes[0].total),
                         "alternative": rounded(r.routes[1].total), "difference": rounded(r.difference[0]),
                         "relative": rounded(r.difference[1], 4)} for r in results],
            "approaches": [comparison_dict(r, fingerprint=fingerprint, quality=q)
                           for r, q in zip(results, qualities or [None] * len(results), strict=True)]}
    return data


def allocations_csv(results) -> tuple[list, list]:
    """(header, rows) of `--allocation all`: the rows of each approach's comparison, the approach first."""
    return (["allocation", *_CSV_HEADER],
            [[result.allocation.approach, *row] for result in results for row in _comparison_rows(result)])


def allocations_table(results) -> str:
    first = results[0]
    ref, alt = first.routes[0], first.routes[1]
    decimals = 1 if max(abs(r.total) for result in results for r in result.routes) >= 100 else 3
    lines = [f"Comparison: {first.comparison}   per {first.functional_unit}",
             f"Method:     {' | '.join(first.method.name)}  [{first.method.id}]",
             f"Unit:       {first.unit}", *parameters_line(first.parameters), "",
             f"{'recycling allocation':<26}{ref.id:>14}{alt.id:>14}{'difference':>14}{'relative':>10}"]
    for result in results:
        absolute, relative = result.difference
        share = f"{relative:.1%}" if relative is not None else "-"
        lines.append(f"{result.allocation.approach:<26}{_number(result.routes[0].total, decimals):>14}"
                     f"{_number(result.routes[1].total, decimals):>14}{_number(absolute, decimals):>14}{share:>10}")
    lines.append("")
    for result in results:
        lines.append(f"{result.allocation.approach}: {alt.id} = {result.allocation_formula}")
    return "\n".join(lines) + "\n"


def parameters_list(settings) -> list[dict]:
    """Parameter changes of a run, for JSON: id, value and where the value came from."""
    return [{"id": pid, "value": value, "origin": origin} for pid, value, origin in settings]


def parameters_line(settings) -> list[str]:
    """A table header line listing the parameter changes, if any."""
    if not settings:
        return []
    from lca.subjects.changes import settings_text

    return ["Parameters: " + settings_text(settings)]


_CSV_HEADER = ("comparison", "route", "route_label", "stage", "score", "unit", "method")


def _comparison_rows(result: Comparison):
    unit = f"{result.unit} per {result.functional_unit}"
    for route in result.routes + result.blends:
        for stage, score in route.stages:
            yield [result.comparison, route.id, route.label, stage, rounded(score), unit, result.method.id]
        yield [result.comparison, route.id, route.label, "total", rounded(route.total), unit, result.method.id]
    absolute, relative = result.difference
    first, second = result.routes[0].id, result.routes[1].id
    yield [result.comparison, f"{first}-minus-{second}", "difference (absolute)", "total", rounded(absolute), unit,
           result.method.id]
    yield [result.comparison, f"{first}-minus-{second}", "difference (relative to first route)", "total",
           rounded(relative, 4), "fraction", result.method.id]


def comparison_csv(result: Comparison) -> tuple[list, list]:
    """(header, rows) of a comparison: one row per stage and total of each route and blend, then the difference."""
    return list(_CSV_HEADER), list(_comparison_rows(result))


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


def comparison_table(result: Comparison, quality: dict | None = None) -> str:
    unit = result.unit
    lines = [
        f"Comparison: {result.comparison}   per {result.functional_unit}",
        f"Method:     {' | '.join(result.method.name)}  [{result.method.id}]",
        f"Unit:       {unit}",
        *parameters_line(result.parameters),
        *([f"Recycling allocation: {result.allocation.approach} ({result.allocation.parameters_text()})"]
          if result.allocation is not None and result.allocation.approach != "cut-off" else []),
        *(result.byproducts.lines() if result.byproducts is not None else []),
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
        if quality and quality.get(route.id) is not None:  # lca.dataquality, under the route's total
            lines.insert(len(lines) - 1, f"  {quality_line(quality[route.id])}")
    absolute, relative = result.difference
    first, second = result.routes[0], result.routes[1]
    share = f" ({100 * relative:.1f} % of {first.id})" if relative is not None else ""
    lines.append(f"Difference {first.id} - {second.id}: {_number(absolute, decimals)} {unit}{share}")
    if result.blends:
        lines += ["", f"Supply with a share of {second.id} (per {result.functional_unit}):"]
        for blend in result.blends:
            lines.append(f"  {blend.label:<{width}}{_number(blend.total, decimals):>14}")
    return "\n".join(lines) + "\n"


# --- products ---------------------------------------------------------------------------


def footprint_dict(result, *, method, unit: str, quality=None, byproducts=None) -> dict:
    record = {
        "product": result.product,
        "label": result.label,
        "functional_unit": f"1 {result.unit}",
        "method": list(method.name),
        "method_id": method.id,
        "unit": f"{unit} per 1 {result.unit}",
        "scenario": result.scenario.as_dict(),
        "draws_on": list(result.draws_on),  # the comparisons whose supply mix the product draws on
        "total": rounded(result.total),
        "parts": {part: rounded(score) for part, score in result.parts},
        **{key: rounded(kg) for key, _, kg in result.quantities},  # the workbooks' 'product quantity' rows
        "parameters": parameters_list(result.parameters),
    }
    if result.regulation is not None:  # lca.analysis.battery_regulation, for a product under it
        record["battery_regulation"] = regulation_dict(result.regulation, unit)
    if quality is not None:  # lca.dataquality.DataQuality of this footprint
        record["data_quality"] = quality.as_dict()
    if byproducts is not None:  # lca.byproducts.ByproductStatement of the run
        record["byproduct_allocation"] = byproducts.as_dict()
    return record


def comparison_of_footprints(base, alternative, *, method, unit: str, qualities=(None, None), byproducts=None) -> dict:
    saving = base.total - alternative.total
    return {
        "product": base.product,
        "label": base.label,
        "functional_unit": f"1 {base.unit}",
        "method": list(method.name),
        "method_id": method.id,
        "unit": f"{unit} per 1 {base.unit}",
        "scenarios": [footprint_dict(base, method=method, unit=unit, quality=qualities[0]),
                      footprint_dict(alternative, method=method, unit=unit, quality=qualities[1])],
        "saving": {"absolute": rounded(saving), "relative": rounded(saving / base.total if base.total else None, 4),
                   "description": "first scenario minus second; relative to the first"},
        "parameters": parameters_list(base.parameters),
        "byproduct_allocation": byproducts.as_dict() if byproducts is not None else None,
    }


def footprint_table(results, *, method, unit: str, qualities=(), byproducts=None) -> str:
    """One product under one or two scenarios: parts side by side, then the saving."""
    first = results[0]
    lines = [f"Product:   {first.label}  [{first.product}]   per 1 {first.unit}",
             f"Method:    {' | '.join(method.name)}  [{method.id}]", f"Unit:      {unit}",
             *parameters_line(first.parameters), *(byproducts.lines() if byproducts is not None else []), ""]
    parts = list(dict.fromkeys(p for r in results for p, _ in r.parts))
    width = max([len(p) for p in parts] + [24]) + 2
    column = max([40] + [len(r.scenario.label) + 2 for r in results])  # a long label keeps a gap
    header = "".join(f"{r.scenario.label:>{column}}" for r in results)
    lines.append(f"  {'part':<{width}}{header}")
    for part in parts:
        cells = "".join(f"{dict(r.parts).get(part, 0.0):>{column},.3f}" for r in results)
        lines.append(f"  {part:<{width}}{cells}")
    lines.append(f"  {'total':<{width}}" + "".join(f"{r.total:>{column},.3f}" for r in results))
    for index, (_, label, _) in enumerate(first.quantities):  # those the product draws on
        if any(r.quantities[index][2] for r in results):
            lines.append(f"  {label:<{width}}" + "".join(f"{r.quantities[index][2]:>{column},.4f}" for r in results))
    for r, quality in zip(results, qualities, strict=False):  # lca.dataquality, one line per scenario
        lines.append(f"  {quality_line(quality)}" + (f"  [{r.scenario.label}]" if len(results) > 1 else ""))
    if len(results) == 2:
        saving = results[0].total - results[1].total
        share = f" ({saving / results[0].total:.1%})" if results[0].total else ""
        lines += ["", f"Saving per {first.unit}: {saving:,.3f} {unit}{share}"]
    lines += regulation_lines(results, unit)
    return "\n".join(lines) + "\n"


def footprints_rows(base_results, alternative_results=None) -> list[dict]:
    rows = []
    alternatives = {r.product: r for r in alternative_results or []}
    for base in base_results:
        row = {"product": base.product, "label": base.label, "unit": base.unit, **base.scenario.as_dict(),
               "total": rounded(base.total), **{key: rounded(kg) for key, _, kg in base.quantities}}
        if base.product in alternatives:
            other = alternatives[base.product]
            saving = base.total - other.total
            row.update({f"alternative_{key}": value for key, value in other.scenario.as_dict().items()})
            row.update({"alternative_total": rounded(other.total), "saving": rounded(saving),
                        "saving_relative": rounded(saving / base.total if base.total else None, 4)})
        rows.append(row)
    return rows
