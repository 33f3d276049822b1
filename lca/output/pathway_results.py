"""Renderers of `lca pathway` (lca.runs.pathway.PathwayRun) and `lca pathways`, registered on the
table, JSON and CSV renderers by result kind."""

from __future__ import annotations

from lca.output.analysis import _stats, dumps
from lca.output.results import parameters_list
from lca.output.to_csv import RENDER as CSV
from lca.output.to_json import RENDER as JSON
from lca.output.to_table import RENDER as TABLE

__all__ = ["pathway_dict"]


def _state(state, unit: str) -> dict:
    from lca.output.battery_regulation import regulation_dict

    view = getattr(state.result, "regulation", None)
    return {"label": state.label, "year": state.year, "footprint": state.value,
            "parameters": parameters_list(state.settings), "supply": dict(state.supply),
            "supply_label": state.supply_label, "regions": dict(state.regions),
            "battery_regulation": regulation_dict(view, unit) if view is not None else None}


def _probability(p) -> dict | None:
    if p is None:
        return None
    return {"iterations": p.iterations, "seed": p.seed, "sources": p.sources, "probability_target_reached":
            p.probability, "uncertain_parameters": p.uncertain_parameters,
            "baseline": _stats(p.baseline), "final": _stats(p.final)}


def pathway_dict(run) -> dict:
    target = run.target
    return {
        "pathway": run.name, "description": run.description, "file": run.path,
        "subject": {"kind": run.subject_kind, "id": run.subject, "route": run.route, "label": run.label,
                    "functional_unit": run.functional_unit},
        "method": list(run.method.name), "method_id": run.method.id, "unit": f"{run.unit} per {run.functional_unit}",
        "allocation": run.allocation,
        "baseline": _state(run.baseline, run.unit),
        "levers": [{"name": lv.name, "year": lv.year, "source": lv.source, "parameters": parameters_list(lv.settings),
                    "supply": dict(lv.supply), "regions": dict(lv.regions), "saving_waterfall": lv.waterfall,
                    "saving_shapley": lv.shapley, "footprint_after": lv.after} for lv in run.levers],
        "final": _state(run.final, run.unit),
        "saving": run.saving, "reduction": run.reduction,
        "target": {"year": target.year, "reduction": target.reduction, "value": run.target_value,
                   "given_value": target.value, "source": target.source, "label": target.label},
        "gap": run.gap, "reached": run.reached, "states_solved": run.states_solved,
        "monte_carlo": _probability(run.probability),
        "fingerprint": run.fingerprint,
    }


@JSON.result("pathway")
def _pathway_json(run) -> dict:
    return pathway_dict(run)


@CSV.result("pathway")
def _pathway_csv(run) -> tuple[list, list]:
    """One row per step: the baseline, each lever, the final state and the target (the renderer adds unit and
    method)."""
    common = [run.name, run.subject if run.route is None else f"{run.subject}:{run.route}"]
    rows = [common + ["baseline", run.baseline.label, run.baseline.year, run.baseline.value, "", ""]]
    rows += [common + ["lever", lever.name, lever.year, lever.after, lever.waterfall, lever.shapley]
             for lever in run.levers]
    rows.append(common + ["final", run.final.label, run.final.year, run.final.value, run.saving,
                          run.saving])
    rows.append(common + ["target", run.target.label or run.target.text, run.target.year, run.target_value, "",
                          ""])
    return ["pathway", "subject", "step", "name", "year", "footprint", "saving_waterfall", "saving_shapley"], rows


def _share(value: float, baseline: float) -> str:
    return f"{value / baseline:6.1%}" if baseline else "     -"


@TABLE.result("pathway")
def _pathway_table(run) -> str:
    base = run.baseline.value
    lines = [f"Pathway:   {run.name}" + (f"  ({run.description})" if run.description else ""),
             f"Subject:   {run.label}  [{run.subject if run.route is None else f'{run.subject}:{run.route}'}]",
             f"Per:       {run.functional_unit}",
             f"Method:    {run.method.label}  [{run.method.id}]",
             f"Unit:      {run.unit}", ""]
    regions = ", ".join(f"{site} in {region}" for site, region in run.baseline.regions)
    lines.append(f"Baseline {run.baseline.year} ({run.baseline.label})" + (f", {regions}" if regions else ""))
    if run.baseline.supply_label:
        lines.append(f"  supply: {run.baseline.supply_label}")
    for pid, value, _ in run.baseline.settings:
        lines.append(f"  {pid} = {value:g}")
    width = max([len(lv.name) for lv in run.levers] + [24]) + 2
    lines += ["", f"  {'':<{width}}{'year':>6}{'footprint':>13}{'saving, in order':>18}{'share':>8}"
                  f"{'Shapley saving':>16}{'share':>8}",
              f"  {'baseline':<{width}}{run.baseline.year:>6}{base:>13,.3f}"]
    for lever in run.levers:
        lines.append(f"  {lever.name:<{width}}{lever.year:>6}{lever.after:>13,.3f}{lever.waterfall:>18,.3f}"
                     f"{_share(lever.waterfall, base):>8}{lever.shapley:>16,.3f}{_share(lever.shapley, base):>8}")
    lines.append(f"  {'final':<{width}}{run.final.year:>6}{run.final.value:>13,.3f}{run.saving:>18,.3f}"
                 f"{_share(run.saving, base):>8}{run.saving:>16,.3f}{_share(run.saving, base):>8}")
    lines.append(f"  {'target':<{width}}{run.target.year:>6}{run.target_value:>13,.3f}  ({run.target.text})")
    lines.append("")
    if run.reached:
        lines.append(f"Target reached: {run.final.value:,.3f} is {-run.gap:,.3f} {run.unit} below the target "
                     f"{run.target_value:,.3f} ({run.reduction:.1%} below the baseline).")
    else:
        lines.append(f"Target NOT reached: {run.final.value:,.3f} is {run.gap:,.3f} {run.unit} above the target "
                     f"{run.target_value:,.3f}; the levers cut {run.reduction:.1%} of the baseline, the target asks "
                     f"for {1 - run.target_value / base:.1%}.")
    lines.append(f"Savings in order: each lever after the ones above it; Shapley: averaged over every order "
                 f"({run.states_solved} combinations solved). Both sum to baseline minus final.")
    from lca.output.battery_regulation import regulation_lines

    results = [state.result for state in (run.baseline, run.final) if getattr(state.result, "regulation", None)]
    if results:
        lines.append("")
        lines += regulation_lines(results, run.unit)
    p = run.probability
    if p is not None:
        lines.append("")
        lines.append(f"Monte Carlo ({p.iterations:,} paired draws, seed {p.seed}, {p.uncertain_parameters} parameters "
                     f"drawn): probability that the target is reached {p.probability:.1%}")
        for name, stats in (("baseline", p.baseline), ("final", p.final)):
            lines.append(f"  {name:<9} median {stats.median:,.3f}, 95 % interval {stats.p2_5:,.3f} to "
                         f"{stats.p97_5:,.3f}")
    return "\n".join(lines) + "\n"


@JSON.kind("pathways")
def _pathways_json(listed) -> str:
    return dumps({"pathways": [{"name": p.path.stem, "title": p.name, "description": p.description,
                                "subject": p.subject if p.route is None else f"{p.subject}:{p.route}",
                                "baseline_year": p.baseline.year, "target_year": p.target.year,
                                "target": p.target.text, "levers": [lv.name for lv in p.levers],
                                "file": str(p.path)} for p in listed.pathways]})


@TABLE.kind("pathways")
def _pathways_table(listed) -> str:
    if not listed.pathways:
        return "No pathways. Put pathway files (YAML) in the inventories' 'pathways' folder.\n"
    lines = []
    for p in listed.pathways:
        subject = p.subject if p.route is None else f"{p.subject}:{p.route}"
        lines.append(f"{p.path.stem:<28}{subject:<20}{p.baseline.year}->{p.target.year}  {p.target.text}; "
                     f"{len(p.levers)} levers")
        if p.description:
            lines.append(f"{'':<28}{p.description}")
    return "\n".join(lines) + "\n"
