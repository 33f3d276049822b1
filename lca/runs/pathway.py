"""`lca pathway FILE|NAME` and `lca pathways`: does the plan reach its target, and what does each
lever save (in the order written, and order-independent)?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lca.runs.session import Session, Where, open_session

__all__ = ["PathwayRequest", "PathwayRun", "PathwayList", "LeverResult", "PathwayState", "PathwayProbability",
           "pathway", "pathway_in", "pathways"]


@dataclass(frozen=True)
class PathwayRequest:
    pathway: str  # a file or the name of a pathway in the inventories' 'pathways' folder
    method: str | None = None  # None: the file's method, else the default
    allocation: str = "cut-off"
    iterations: int = 0  # paired Monte Carlo draws (0: none)
    seed: int | None = None
    sources: str = "all"


@dataclass(frozen=True)
class PathwayState:
    """The baseline or the final state: its footprint and what describes it."""

    label: str
    year: int
    value: float
    settings: tuple  # ((parameter id, value, origin), ...)
    supply: tuple  # ((key, value), ...) as lca.subjects.supply.Scenario.as_dict
    supply_label: str
    regions: tuple  # ((site, region), ...)
    result: object = None  # lca.analysis.footprint.ProductResult (product subjects)
    source: str = ""  # what the baseline's values describe (the file's baseline source)


@dataclass(frozen=True)
class LeverResult:
    name: str
    year: int
    source: str
    settings: tuple  # ((parameter id, value, origin), ...) the lever sets (its regions' values included)
    supply: tuple  # ((key, value), ...)
    regions: tuple  # ((site, region), ...)
    waterfall: float  # saving in the order written
    shapley: float  # order-independent saving
    after: float  # footprint after this lever, levers taken in the order written


@dataclass(frozen=True)
class PathwayProbability:
    iterations: int
    seed: int | None
    sources: str
    probability: float  # share of paired draws in which the target is reached
    baseline: object  # lca.analysis.uncertainty.Stats
    final: object
    uncertain_parameters: int


@dataclass(frozen=True)
class PathwayRun:
    kind: ClassVar[str] = "pathway"
    name: str
    description: str
    path: str
    subject_kind: str  # product or route
    subject: str  # product id, or comparison id
    route: str | None
    label: str
    functional_unit: str
    method: object
    unit: str
    allocation: str
    baseline: PathwayState
    final: PathwayState
    levers: tuple[LeverResult, ...]
    target: object  # lca.subjects.pathway_file.Target
    target_value: float
    states_solved: int
    probability: PathwayProbability | None
    fingerprint: str
    about: object = None  # lca.output.envelope.About: the subject, its unit, the baseline's changes

    @property
    def saving(self) -> float:
        return self.baseline.value - self.final.value

    @property
    def gap(self) -> float:
        """How far the final footprint lies above the target (0 or less: reached)."""
        return self.final.value - self.target_value

    @property
    def reached(self) -> bool:
        return self.final.value <= self.target_value + 1e-12 * max(1.0, abs(self.target_value))

    @property
    def reduction(self) -> float | None:
        return self.saving / self.baseline.value if self.baseline.value else None


@dataclass(frozen=True)
class PathwayList:
    kind: ClassVar[str] = "pathways"
    pathways: tuple  # lca.subjects.pathway_file.PathwayFile


def pathways(where: Where | None = None) -> PathwayList:
    """The pathways of the inventories folder and the shipped ones (no project is opened)."""
    from pathlib import Path

    from lca.subjects.pathway_file import list_pathways

    where = where or Where()
    return PathwayList(tuple(list_pathways(Path(where.inventories) if where.inventories else None)))


def _bw_value(session: Session, plan, values, origins, scenario, method, transforms):
    """The state's footprint by bw2calc (and the ProductResult of a product)."""
    from lca.analysis.footprint import footprints
    from lca.subjects.changes import ResolvedChanges, matrix_changes

    changes = matrix_changes(session.parametric, ResolvedChanges(dict(values), dict(origins))) if values else None
    if plan.product is not None:
        result = footprints(session.bd, [plan.product], session.comparisons, scenario, method, changes, transforms)[0]
        return result.total, result
    from lca.analysis.calculate import _lca_for, _Splitter
    from lca.analysis.footprint import _apply
    from lca.subjects.allocation import apply_transforms

    lca = _lca_for(session.bd, [plan.node_id], method, changes)
    if transforms:
        apply_transforms(lca, transforms)
        _apply(lca, {})
    return _Splitter(lca, session.bd).unit_score(plan.node_id), None


def pathway_in(session: Session, request: PathwayRequest, *, advance=None) -> PathwayRun:
    from lca.analysis.montecarlo import DrawSources
    from lca.analysis.pathway import StateSystem, all_states, attribute, check_agreement, plan_pathway
    from lca.analysis.uncertainty import Stats
    from lca.brightway.methods import get_method
    from lca.brightway.parameter_rules import outside_uncertainty
    from lca.subjects.allocation import transforms_for
    from lca.subjects.pathway_file import find_pathway, read_pathway

    file = read_pathway(find_pathway(request.pathway, session.project.inventories))
    method = get_method(request.method or file.method)
    model, comparisons = session.parametric, session.comparisons
    plan = plan_pathway(file, model=model, comparisons=comparisons, products=session.products,
                        sites=_sites(session, file))
    names = [lever.name for lever in file.levers]
    subsets, states = all_states(plan, bd=session.bd, model=model, comparisons=comparisons, names=names)
    n = len(file.levers)
    first, last = 0, len(subsets) - 1  # the empty set, then ... the full set
    for k in (first, last):
        values, origins, _ = states[k]
        for note in outside_uncertainty(model, values, origins):
            session.notify(note)
    transforms = transforms_for(comparisons, request.allocation, model, dict(model.evaluate(states[first][0]).values))
    final_transforms = transforms_for(comparisons, request.allocation, model,
                                      dict(model.evaluate(states[last][0]).values))
    if transforms != final_transforms:
        from lca.errors import PathwayError

        raise PathwayError(f"{file.path}: the levers change the recycling allocation's own parameters "
                           f"({request.allocation}); a pathway is calculated under one allocation. Leave those "
                           "parameters out of the levers.")
    system = StateSystem(plan, states, bd=session.bd, model=model, comparisons=comparisons, method=method,
                         transforms=transforms)
    solved = system.deterministic()
    values = {s: float(solved[k]) for k, s in enumerate(subsets)}
    ends = []
    for k, label, year in ((first, file.baseline.label or f"baseline {file.baseline.year}", file.baseline.year),
                           (last, f"after the levers, {file.levers[-1].year}", file.levers[-1].year)):
        state_values, origins, scenario = states[k]
        bw_total, result = _bw_value(session, plan, state_values, origins, scenario, method, transforms)
        check_agreement(label, float(solved[k]), bw_total)
        regions = dict(plan.baseline.regions)
        if k == last:
            for lever in plan.levers:
                regions.update(dict(lever.regions))
        if scenario is not None:  # the supplies this product draws on
            from lca.subjects.supply import Scenario

            scenario = Scenario(*[c for c in scenario.choices if c.comparison in result.draws_on])
        ends.append(PathwayState(
            label=label, year=year, value=bw_total,
            settings=tuple((pid, v, origins[pid]) for pid, v in state_values.items()),
            supply=tuple(scenario.as_dict().items()) if scenario is not None else (),
            supply_label=scenario.label if scenario is not None and scenario.choices else "",
            regions=tuple(regions.items()), result=result, source=file.baseline.source if k == first else ""))
    # the end points are bw2calc's (they agree with the system to 1e-6), so that the savings sum exactly to
    # the baseline minus the final footprint as reported
    values[subsets[first]], values[subsets[last]] = ends[0].value, ends[1].value
    attribution = attribute(values, n)
    levers = tuple(LeverResult(
        name=lever.name, year=lever.year, source=lever.source,
        settings=tuple((pid, v, group.origins[pid]) for pid, v in group.values.items()),
        supply=tuple((c.key, c.value) for c in group.choices), regions=group.regions,
        waterfall=attribution.waterfall[i], shapley=attribution.shapley[i], after=attribution.cumulative[i])
        for i, (lever, group) in enumerate(zip(file.levers, plan.levers, strict=True)))
    target_value = file.target.value_for(ends[0].value)
    probability = None
    if request.iterations:
        import numpy as np

        sources = DrawSources(parameters=request.sources in ("all", "parameters"),
                              exchanges=request.sources in ("all", "exchanges"))
        base, final = system.paired((first, last), request.iterations, request.seed, sources, advance)
        goal = base * (1.0 - file.target.reduction) if file.target.reduction is not None else file.target.value
        probability = PathwayProbability(request.iterations, request.seed, request.sources,
                                         float(np.mean(final <= goal)), Stats.of(base, ends[0].value),
                                         Stats.of(final, ends[1].value), system.uncertain_parameters(sources))
    return PathwayRun(
        name=file.name, description=file.description, path=str(file.path), subject_kind=file.subject_kind,
        subject=file.subject, route=file.route, label=plan.label, functional_unit=plan.functional_unit,
        method=method, unit=session.method_unit(method), allocation=request.allocation, baseline=ends[0],
        final=ends[1], levers=levers, target=file.target, target_value=target_value, states_solved=len(subsets),
        probability=probability, fingerprint=session.fingerprint,
        about=session.about(kind=file.subject_kind, id=file.subject, name=plan.label, method=method,
                            functional_unit=plan.functional_unit, allocation=request.allocation, changes=None,
                            settings=ends[0].settings))


def _sites(session: Session, file) -> dict:
    uses = file.baseline.regions or any(lever.regions for lever in file.levers)
    return session.sites if uses else {}


def pathway(request: PathwayRequest, where: Where | None = None, progress=None, notify=None,
            advance=None) -> PathwayRun:
    with open_session(where, progress, notify) as session:
        return pathway_in(session, request, advance=advance)
