"""Text and JSON for parameters, Monte Carlo results and sensitivity (stable JSON keys)."""

from __future__ import annotations

import json

from lca.output.envelope import with_unit_and_method
from lca.output.results import csv_chunks, parameters_line, parameters_list, rounded

__all__ = ["params_rows", "params_table", "uncertainty_dict", "uncertainty_table", "uncertainty_csv",
           "sensitivity_dict", "sensitivity_table", "sensitivity_csv", "draws_csv"]


def params_rows(model, values: dict | None = None) -> list[dict]:
    """One record per parameter: id, value (after any changes), unit, formula, range, source."""
    rows = []
    for p in model.parameters:
        d = p.distribution
        rows.append({
            "id": p.id, "name": p.name, "database": p.database, "value": rounded((values or {}).get(p.id, p.amount)),
            "unit": p.unit, "formula": p.formula or "", "range": p.range_text(),
            "distribution": None if d is None else {"kind": d.kind, "loc": d.loc, "scale": d.scale,
                                                    "minimum": d.minimum, "maximum": d.maximum},
            "minimum": p.minimum, "maximum": p.maximum, "source": p.source,
        })
    return rows


def params_table(rows: list[dict], *, wide: bool = False) -> str:
    id_width = max([len(r["id"]) for r in rows] + [10]) + 2
    lines = [f"{'parameter':<{id_width}}{'value':>14}  {'unit':<34}{'range or distribution':<44}source"]
    for r in rows:
        source = r["source"] if wide else (r["source"][:60] + ("..." if len(r["source"]) > 60 else ""))
        value = f"{r['value']:.6g}"
        if r["formula"]:
            source = f"= {r['formula']}" if not wide else f"= {r['formula']}; {r['source']}"
        lines.append(f"{r['id']:<{id_width}}{value:>14}  {r['unit'][:33]:<34}{r['range'][:43]:<44}{source}")
    return "\n".join(lines) + "\n"


def _stats(stats) -> dict:
    return {"mean": rounded(stats.mean), "median": rounded(stats.median), "std": rounded(stats.std),
            "p2_5": rounded(stats.p2_5), "p97_5": rounded(stats.p97_5), "deterministic": rounded(stats.static),
            "deterministic_inside_95": stats.inside}


def _header(result) -> dict:
    """The keys of an analysis JSON beside the envelope (lca.output.envelope) that states subject, method and unit."""
    return {"functional_unit": result.functional_unit, "method_id": result.method.id}


def uncertainty_dict(result) -> dict:
    ref_id, ref_label, ref = result.reference
    alt_id, alt_label, alt = result.alternative
    return {
        **_header(result),
        "iterations": result.iterations,
        "seed": result.seed,
        "sampled": {"parameters": result.uncertain_parameters, "exchanges": result.uncertain_exchanges},
        "routes": [{"id": ref_id, "label": ref_label, **_stats(ref)},
                   {"id": alt_id, "label": alt_label, **_stats(alt)}],
        "difference": {"from": ref_id, "to": alt_id, **_stats(result.difference),
                       "description": f"{ref_id} minus {alt_id}, draw by draw (paired)"},
        "probability_alternative_lower": round(result.probability_lower, 6),
        "parameters": parameters_list(result.parameters),
    }


def uncertainty_csv(result) -> tuple[list, list]:
    """(header, rows) of a Monte Carlo: one row per route and one for the paired difference, with the run's
    draws and seed on each (the unit and method columns are added by the CSV renderer)."""
    ref_id, ref_label, ref = result.reference
    alt_id, alt_label, alt = result.alternative
    rows = [[result.subject, ref_id, ref_label, *_stats(ref).values()],
            [result.subject, alt_id, alt_label, *_stats(alt).values()],
            [result.subject, f"{ref_id}-minus-{alt_id}", f"{ref_id} minus {alt_id}, draw by draw (paired)",
             *_stats(result.difference).values()]]
    header = ["subject", "route", "route_label", *_stats(ref), "iterations", "seed", "probability_alternative_lower"]
    return header, [[*row, result.iterations, result.seed, round(result.probability_lower, 6)] for row in rows]


def draws_csv(run):
    """The text pieces of the paired draws' CSV (``uncertainty --draws``): one row per draw with its index, each
    route's value, their difference, and the unit and method columns of every result CSV."""
    result = run.result
    reference, alternative = result.draws
    ref_id, alt_id = result.reference[0], result.alternative[0]
    rows = ([index, r, a, r - a] for index, (r, a) in enumerate(zip(reference.tolist(), alternative.tolist(),
                                                                     strict=True)))
    return csv_chunks(*with_unit_and_method(run, ["draw", ref_id, alt_id, f"{ref_id}-minus-{alt_id}"], rows))


def uncertainty_table(result) -> str:
    ref_id, ref_label, ref = result.reference
    alt_id, alt_label, alt = result.alternative
    lines = [
        f"Monte Carlo: {result.subject}   per {result.functional_unit}",
        f"Method:      {' | '.join(result.method.name)}  [{result.method.id}]",
        f"Draws:       {result.iterations:,} paired (seed {result.seed}); sampled {result.uncertain_parameters} "
        f"parameters and {result.uncertain_exchanges} exchanges",
        f"Unit:        {result.unit}",
        *parameters_line(result.parameters),
        *([f"Recycling allocation: {result.allocation}"] if result.allocation != "cut-off" else []),
        "",
        f"{'':<24}{'deterministic':>14}{'mean':>12}{'median':>12}{'std':>10}{'2.5 %':>12}{'97.5 %':>12}",
    ]
    for name, stats in ((ref_id, ref), (alt_id, alt), (f"{ref_id} - {alt_id}", result.difference)):
        lines.append(f"{name:<24}{stats.static:>14,.1f}{stats.mean:>12,.1f}{stats.median:>12,.1f}{stats.std:>10,.1f}"
                     f"{stats.p2_5:>12,.1f}{stats.p97_5:>12,.1f}" + ("" if stats.inside else "  (!)"))
    outside = [stats.outside_text(name) for name, stats in ((ref_id, ref), (alt_id, alt),
                                                              (f"{ref_id} - {alt_id}", result.difference))]
    lines += [f"(!) {text}" for text in outside if text]
    lines += ["", f"Probability that {alt_id} is lower than {ref_id}: {result.probability_lower:.1%}",
              f"  {ref_id}: {ref_label}", f"  {alt_id}: {alt_label}"]
    return "\n".join(lines) + "\n"


def sensitivity_dict(result, descriptions: dict | None = None) -> dict:
    """``descriptions``: parameter id -> the workbook's description of it (None where it gives none)."""
    descriptions = descriptions or {}
    return {
        **_header(result),
        "output": f"{result.reference[0]} minus {result.alternative[0]}",
        "difference": rounded(result.difference),
        "one_at_a_time": [{
            "parameter": r.parameter, "description": descriptions.get(r.parameter), "unit": r.unit, "value": r.value,
            "low": rounded(r.low), "high": rounded(r.high),
            "difference_low": rounded(r.difference_low), "difference_high": rounded(r.difference_high),
            "swing": rounded(r.swing), "reference_low": rounded(r.reference_low),
            "reference_high": rounded(r.reference_high), "alternative_low": rounded(r.alternative_low),
            "alternative_high": rounded(r.alternative_high)} for r in result.tornado],
        "sobol": {"samples": result.samples, "seed": result.seed, "evaluations":
                  result.samples * (len(result.sobol) + 2) if result.sobol else 0,
                  "indices": [{"parameter": r.parameter, "first_order": round(r.first, 4),
                               "first_order_conf": round(r.first_conf, 4), "total": round(r.total, 4),
                               "total_conf": round(r.total_conf, 4)} for r in result.sobol]},
        "parameters": parameters_list(result.parameters),
    }


def sensitivity_csv(result) -> tuple[list, list]:
    """(header, rows) of a sensitivity: one row per parameter, its one-at-a-time swing and its Sobol indices
    (blank without Sobol); ``parameter_unit`` is the parameter's, the renderer's ``unit`` column the result's."""
    sobol = {r.parameter: r for r in result.sobol}
    header = ["subject", "output", "parameter", "parameter_unit", "value", "low", "high", "difference_low",
              "difference_high", "swing", "sobol_first_order", "sobol_first_order_conf", "sobol_total",
              "sobol_total_conf", "samples", "seed"]
    output = f"{result.reference[0]} minus {result.alternative[0]}"
    rows = []
    for r in result.tornado:
        s = sobol.get(r.parameter)
        indices = [round(s.first, 4), round(s.first_conf, 4), round(s.total, 4), round(s.total_conf, 4)] if s else \
            [None] * 4
        rows.append([result.subject, output, r.parameter, r.unit, r.value, rounded(r.low), rounded(r.high),
                     rounded(r.difference_low), rounded(r.difference_high), rounded(r.swing), *indices,
                     result.samples, result.seed])
    return header, rows


def sensitivity_table(result, top: int = 15) -> str:
    ref_id, alt_id = result.reference[0], result.alternative[0]
    lines = [
        f"Sensitivity: {result.subject}   per {result.functional_unit}",
        f"Method:      {' | '.join(result.method.name)}  [{result.method.id}]",
        f"Output:      difference {ref_id} - {alt_id} = {result.difference:,.1f} {result.unit}",
        f"Seed:        {result.seed}" + (f" (Sobol sample, N = {result.samples}); the same seed gives the same "
                                         "indices" if result.samples else " (no Sobol sample: --samples 0)"),
        *parameters_line(result.parameters),
        "",
        "One at a time (each parameter at the ends of its range, the others at their values):",
    ]
    width = max([len(r.parameter) for r in result.tornado] + [12]) + 2
    lines.append(f"  {'parameter':<{width}}{'low':>12}{'high':>12}{'diff at low':>14}{'diff at high':>14}{'swing':>10}")
    for r in result.tornado[:top]:
        lines.append(f"  {r.parameter:<{width}}{r.low:>12.4g}{r.high:>12.4g}{r.difference_low:>14,.1f}"
                     f"{r.difference_high:>14,.1f}{r.swing:>10,.1f}")
    if len(result.tornado) > top:
        lines.append(f"  ... {len(result.tornado) - top} more (--format json lists all)")
    if result.sobol:
        lines += ["", f"Sobol indices (SALib, N = {result.samples}, {result.samples * (len(result.sobol) + 2):,} "
                      "evaluations; +/- 95 % confidence):",
                  f"  {'parameter':<{width}}{'first order':>18}{'total':>18}"]
        for r in result.sobol[:top]:
            lines.append(f"  {r.parameter:<{width}}{r.first:>10.3f} +/-{r.first_conf:5.3f}"
                         f"{r.total:>10.3f} +/-{r.total_conf:5.3f}")
    return "\n".join(lines) + "\n"


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
