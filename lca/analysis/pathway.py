"""A pathway's states, solved: the baseline, every combination of levers, the final state.

A **state** is the baseline with a set of levers taken, in the order the file lists them (a
later lever's value of the same parameter, supply or site wins). Parameter values, supply
choices and site regions (lca.subjects.sites: a region is a set of parameter values) are
resolved and checked once per lever, then every state is checked against the workbooks' rules
(lca.brightway.parametric) and the closed loops (lca.analysis.footprint.check_closed_loops).

The 2^n states are solved on the Monte Carlo engine's system (lca.analysis.montecarlo.System)
with each state as one column of "draws": the same static matrices as bw2calc, the states'
parameter values re-evaluated as arrays. The baseline and the final state are also solved by
bw2calc itself (lca.analysis.footprint.footprints, or a route's unit score), and the two must
agree to 1e-6 relative; the reported values are bw2calc's, and the attributions take them as end points
(they sum exactly to the system's baseline minus final, which is bw2calc's to that tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lca.analysis.attribution import all_subsets, shapley, waterfall
from lca.errors import ComparisonError, LCAError, ParameterError, PathwayError, SupplyError
from lca.rules import brief
from lca.subjects.changes import Change, refuse_without_effect

__all__ = ["Group", "PathwayPlan", "plan_pathway", "all_states", "check_state", "StateSystem", "Attribution",
           "attribute", "check_agreement"]

AGREEMENT = 1e-6  # relative: system against bw2calc at the baseline and the final state


@dataclass(frozen=True)
class Group:
    """The baseline's or one lever's changes, resolved against the inventories."""

    name: str
    values: dict  # parameter id -> value (sites' regions included)
    origins: dict  # parameter id -> where it was set
    choices: tuple  # lca.subjects.supply.SupplyChoice
    regions: tuple  # (site, region)


@dataclass(frozen=True)
class StateValues:
    """What lca.analysis.footprint.check_closed_loops reads of a run's changes."""

    values: dict
    settings: tuple


@dataclass(frozen=True)
class PathwayPlan:
    subject_kind: str
    node_id: int
    label: str
    functional_unit: str
    product: object | None  # lca.subjects.products.Product
    baseline: Group
    levers: tuple[Group, ...]

    def state(self, taken: frozenset) -> tuple[dict, dict, tuple]:
        """(parameter values, origins, supply choices) with the levers in ``taken``, in file order."""
        values, origins, choices = dict(self.baseline.values), dict(self.baseline.origins), {}
        for c in self.baseline.choices:
            choices[c.comparison] = c
        for index, lever in enumerate(self.levers):
            if index in taken:
                values.update(lever.values)
                origins.update(lever.origins)
                for c in lever.choices:
                    choices[c.comparison] = c
        return values, origins, tuple(choices.values())


def _group(name, changes: tuple[Change, ...], supply, regions, *, model, comparisons, sites, kind) -> Group:
    from lca.analysis.footprint import check_choice
    from lca.subjects.supply import choice_of

    all_changes = list(changes)
    if regions:
        from lca.subjects.sites import site_changes

        for site, region, origin in regions:
            all_changes += list(site_changes(sites, {site: region}, origin))
    values, origins = {}, {}
    for change in all_changes:
        parameter = model.find(change.name, origin=change.origin)
        if parameter.id in values:
            raise PathwayError(f"{change.origin}: {parameter.id} is set twice in {name} (also by "
                               f"{origins[parameter.id]}); give it once.")
        values[parameter.id] = change.value
        origins[parameter.id] = change.origin
    if values:
        model.check_changes(values, origins)
        refuse_without_effect(model, values, origins)
    choices = []
    for comparison, value, origin in supply:
        if kind != "product":
            raise PathwayError(f"{origin}: a supply choice ({comparison}: {brief(value)}) applies to a product; this "
                               "pathway's subject is a route. Choose the route in 'subject' instead.")
        try:
            choice = choice_of(comparison, value)
            check_choice(comparisons, choice)
        except SupplyError as exc:
            raise PathwayError(f"{origin}: {exc}") from None
        choices.append(choice)
    return Group(name, values, origins, tuple(choices), tuple((s, r) for s, r, _ in regions))


def plan_pathway(pathway, *, model, comparisons: dict, products: dict, sites: dict) -> PathwayPlan:
    """Resolve a lca.subjects.pathway_file.PathwayFile against the inventories."""
    from lca.subjects.products import missing_products
    from lca.subjects.routes import comparison_in

    kind = pathway.subject_kind
    if kind == "product":
        missing_products(products, [pathway.subject])
        product = products[pathway.subject]
        node, label, unit = product.node_id, product.label, f"1 {product.unit}"
    else:
        comparison = comparison_in(comparisons, pathway.subject)
        route = next((r for r in comparison.routes if r.id == pathway.route), None)
        if route is None:
            raise ComparisonError(f"{pathway.path}: {pathway.route!r} is not a route of comparison {comparison.id} "
                                  f"(its routes: {', '.join(r.id for r in comparison.routes)}).")
        product, node, label, unit = None, route.node_id, f"{comparison.id} {route.id}: {route.label}", \
            route.functional_unit
    common = dict(model=model, comparisons=comparisons, sites=sites, kind=kind)
    b = pathway.baseline
    baseline = _group("the baseline", b.changes, b.supply, b.regions, **common)
    levers = tuple(_group(f"lever {brief(lv.name)}", lv.changes, lv.supply, lv.regions, **common)
                   for lv in pathway.levers)
    return PathwayPlan(kind, node, label, unit, product, baseline, levers)


def _scenario(plan: PathwayPlan, comparisons: dict, choices):
    from lca.analysis.footprint import conventional_scenario

    if plan.subject_kind != "product":
        return None
    return conventional_scenario(comparisons).with_choices(choices, note="")


def _what(taken: frozenset, names) -> str:
    return "the baseline" + (" with " + ", ".join(brief(names[i]) for i in sorted(taken)) if taken else "")


def _check_scalar_state(plan: PathwayPlan, taken: frozenset, values: dict, origins: dict, scenario, evaluated: dict,
                        *, bd, comparisons, names) -> None:
    """The checks that read one state's evaluated parameter values: by-product flags, closed loops."""
    from lca.analysis.footprint import check_closed_loops
    from lca.inventory.route_rows import check_flag_values

    try:
        check_flag_values(evaluated)
        if plan.product is not None:
            settings = tuple((pid, v, origins[pid]) for pid, v in values.items())
            check_closed_loops(bd, [plan.product], comparisons, scenario, StateValues(evaluated, settings))
    except (ParameterError, ComparisonError) as exc:
        if isinstance(exc, PathwayError):
            raise
        raise PathwayError(f"{_what(taken, names)} cannot be calculated: {exc}") from None


def check_state(plan: PathwayPlan, taken: frozenset, *, bd, model, comparisons, names) -> tuple:
    """Check one state against the workbooks' rules and the closed loops; (values, origins, scenario)."""
    values, origins, choices = plan.state(taken)
    scenario = _scenario(plan, comparisons, choices)
    try:
        evaluation = model.evaluate(values, origins=origins)
    except ParameterError as exc:
        raise PathwayError(f"{_what(taken, names)} cannot be calculated: {exc}") from None
    _check_scalar_state(plan, taken, values, origins, scenario, evaluation.values, bd=bd, comparisons=comparisons,
                        names=names)
    return values, origins, scenario


def all_states(plan: PathwayPlan, *, bd, model, comparisons, names) -> tuple[list[frozenset], list]:
    """Every combination of levers, each state checked: the workbooks' rules on all states at once (each
    lever's own values were checked by plan_pathway; a failing combination is then found and named),
    the by-product flags and the closed loops state by state."""
    subsets = all_subsets(len(plan.levers))
    raw = [plan.state(s) for s in subsets]
    pids = sorted({pid for values, _, _ in raw for pid in values})
    draws = {pid: np.array([values.get(pid, model.by_id[pid].amount) for values, _, _ in raw]) for pid in pids}
    try:
        evaluation = model.evaluate({}, draws) if pids else model.evaluate({})
    except ParameterError:
        for s in subsets:
            check_state(plan, s, bd=bd, model=model, comparisons=comparisons, names=names)
        raise
    states = []
    for k, (s, (values, origins, choices)) in enumerate(zip(subsets, raw, strict=True)):
        scenario = _scenario(plan, comparisons, choices)
        evaluated = {pid: (float(v[k]) if np.ndim(v) else v) for pid, v in evaluation.values.items()}
        _check_scalar_state(plan, s, values, origins, scenario, evaluated, bd=bd, comparisons=comparisons,
                            names=names)
        states.append((values, origins, scenario))
    return subsets, states


class StateSystem:
    """The Monte Carlo engine's system for a pathway's subject, with the supply columns of its states."""

    def __init__(self, plan: PathwayPlan, states: list, *, bd, model, comparisons, method, transforms):
        from lca.analysis.footprint import _weights
        from lca.analysis.montecarlo import System, Target
        from lca.analysis.uncertainty import _lca

        self.plan, self.model = plan, model
        lca = _lca(bd, [plan.node_id], method)
        self.columns = []
        for _, _, scenario in states:
            columns = ()
            if scenario is not None:
                columns = tuple(sorted((supply, tuple(sorted(shares.items())))
                                       for supply, shares in _weights(comparisons, scenario).items()
                                       if supply in lca.dicts.activity))
            self.columns.append(columns)
        targets = tuple(Target(f"variant {k}", plan.node_id, c) for k, c in enumerate(dict.fromkeys(self.columns)))
        self.system = System(lca, model, targets or (Target("subject", plan.node_id),), {}, transforms)
        self.states = states

    def deterministic(self) -> np.ndarray:
        """The footprint of every state, at the workbooks' values and the states' changes."""
        pids = sorted({pid for values, _, _ in self.states for pid in values})
        out = np.empty(len(self.states))
        groups: dict[tuple, list[int]] = {}
        for k, columns in enumerate(self.columns):
            groups.setdefault(columns, []).append(k)
        for columns, members in groups.items():
            draws = {pid: np.array([self.states[k][0].get(pid, self.model.by_id[pid].amount) for k in members])
                     for pid in pids}
            out[members] = self.system.score(self.plan.node_id, draws, columns)
        return out

    def paired(self, which: tuple[int, ...], n: int, seed: int | None, sources, progress=None) -> list[np.ndarray]:
        """Monte Carlo draws of the states ``which`` (indices), all from the same draws: each state fixes
        the parameters it sets and keeps the others' draws."""
        from lca.analysis.montecarlo import CHUNK

        rng = np.random.default_rng(seed)
        out = [np.empty(n) for _ in which]
        for start in range(0, n, CHUNK):
            size = min(CHUNK, n - start)
            draws, exchange_values = self.system._random(size, rng, sources)
            for slot, k in enumerate(which):
                values = dict(draws)
                values.update({pid: np.full(size, v) for pid, v in self.states[k][0].items()})
                out[slot][start:start + size] = self.system.score(self.plan.node_id, values, self.columns[k],
                                                                  exchange_values)
            if progress is not None:
                progress(size)
        return out

    def uncertain_parameters(self, sources) -> int:
        return len(self.system.uncertain_parameters(sources))


@dataclass(frozen=True)
class Attribution:
    values: dict  # frozenset -> footprint
    waterfall: tuple[float, ...]
    shapley: tuple[float, ...]
    cumulative: tuple[float, ...]  # footprint after each lever, in file order

    @property
    def baseline(self) -> float:
        return self.values[frozenset()]

    @property
    def final(self) -> float:
        return self.values[frozenset(range(len(self.waterfall)))]


def attribute(values: dict, n: int) -> Attribution:
    return Attribution(values, tuple(waterfall(n, values)), tuple(shapley(n, values)),
                       tuple(values[frozenset(range(i + 1))] for i in range(n)))


def check_agreement(label: str, system_value: float, bw_value: float) -> None:
    """The system's value of a state against bw2calc's; an LCAError if they differ."""
    if abs(system_value - bw_value) > AGREEMENT * max(1.0, abs(bw_value)):
        raise LCAError(f"Internal check failed for {label}: the pathway's solver gives {system_value:.10g}, bw2calc "
                       f"{bw_value:.10g}. Please report this with the pathway file.")
