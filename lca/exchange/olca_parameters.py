"""Brightway parameters as openLCA parameters, and distributions as openLCA uncertainties.

Project and database parameters become openLCA global parameters (one namespace for all
databases); activity parameters become process parameters. A name that two databases define alike
(same value, same formula, same distribution; the shipped m_h2o, cff_A, byproduct_economic, ...) is
written once. A name that they define differently (the shipped scrap_truck_km: 550 km for copper
scrap, 300 km for nickel scrap) is prefixed with the database name in every database that defines
it (``cfp_copper_scrap_truck_km``), and every formula of those databases is rewritten to match;
project parameters keep their names. Formulas are translated by :mod:`lca.exchange.olca_formulas`;
every name a formula uses must resolve to a written parameter.

Distributions (stats_arrays fields) map where openLCA has the same distribution: lognormal (2) as
geometric mean exp(loc) and geometric standard deviation exp(scale), normal (3) as mean and sd,
uniform (4) as minimum and maximum, triangular (5) as minimum, mode (loc) and maximum. openLCA has no
truncated normal or lognormal and no lognormal of a negative amount: those distributions are left
out (the value is written) and counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lca.exchange.olca_formulas import OlcaFormulaError, check_name, translate
from lca.inventory.formulas import compile_formula

__all__ = ["Definition", "GlobalParameters", "uncertainty_of", "global_parameters", "names_in"]

_PROJECT = ""  # the scope of project parameters


@dataclass(frozen=True)
class Definition:
    scope: str  # database name, or "" for a project parameter
    name: str
    amount: float
    formula: str | None
    description: str
    fields: tuple  # the stats_arrays fields, ((key, value), ...)


@dataclass
class GlobalParameters:
    """The global parameters written, the names each database's formulas use, and the problems found."""

    entities: list = field(default_factory=list)
    rename: dict = field(default_factory=dict)  # database -> {workbook name: openLCA name}
    defined: dict = field(default_factory=dict)  # database -> set of names it defines
    project: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    left_out: int = 0  # distributions openLCA cannot state

    def resolve(self, database: str, name: str, local=()) -> str | None:
        """The openLCA name of ``name`` in a formula of ``database`` (None when nothing defines it)."""
        if name in local:
            return name
        if name in self.defined.get(database, ()):
            return self.rename.get(database, {}).get(name, name)
        return name if name in self.project else None


def names_in(text: str) -> frozenset:
    return compile_formula(text).names


def uncertainty_of(data: dict, amount: float):
    """(olca Uncertainty or None, left out: bool) of stats_arrays fields ``data`` of a quantity ``amount``."""
    import olca_schema as o

    kind = data.get("uncertainty type")
    if kind in (None, 0, 1):
        return None, False
    low, high, loc, scale = (data.get(k) for k in ("minimum", "maximum", "loc", "scale"))
    truncated = any(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in (low, high))
    if kind == 2 and not truncated and amount > 0 and not data.get("negative"):
        loc = math.log(amount) if loc is None else loc
        return o.Uncertainty(distribution_type=o.UncertaintyType.LOG_NORMAL_DISTRIBUTION,
                             geom_mean=math.exp(loc), geom_sd=math.exp(scale)), False
    if kind == 3 and not truncated:
        return o.Uncertainty(distribution_type=o.UncertaintyType.NORMAL_DISTRIBUTION,
                             mean=amount if loc is None else loc, sd=scale), False
    if kind == 4 and low is not None and high is not None:
        return o.Uncertainty(distribution_type=o.UncertaintyType.UNIFORM_DISTRIBUTION, minimum=low, maximum=high), False
    if kind == 5 and low is not None and high is not None:
        return o.Uncertainty(distribution_type=o.UncertaintyType.TRIANGLE_DISTRIBUTION, minimum=low,
                             mode=amount if loc is None else loc, maximum=high), False
    return None, True


def _fields(data: dict) -> tuple:
    keys = ("uncertainty type", "loc", "scale", "shape", "minimum", "maximum", "negative")
    return tuple((k, data[k]) for k in keys if data.get(k) is not None)


def _definitions(bd, databases) -> list[Definition]:
    from bw2data.parameters import DatabaseParameter, ProjectParameter

    found = [Definition(_PROJECT, p.name, float(p.amount), p.formula or None, str(p.data.get("source", "")),
                        _fields(p.data)) for p in ProjectParameter.select().order_by(ProjectParameter.name)]
    for database in databases:
        query = DatabaseParameter.select().where(DatabaseParameter.database == database)
        found += [Definition(database, p.name, float(p.amount), p.formula or None, str(p.data.get("source", "")),
                             _fields(p.data)) for p in query.order_by(DatabaseParameter.name)]
    return found


def global_parameters(bd, databases, key) -> GlobalParameters:
    """The global parameters of ``databases`` (entity ids from ``key(text)``), clashes resolved as above."""
    import olca_schema as o

    result = GlobalParameters()
    definitions = _definitions(bd, databases)
    for d in definitions:
        if d.scope == _PROJECT:
            result.project.add(d.name)
        else:
            result.defined.setdefault(d.scope, set()).add(d.name)
        result.rename.setdefault(d.scope, {})
    # rename until no openLCA name has two different definitions (names compared case-insensitively)
    while True:
        texts = {d: _translated(d, result) for d in definitions}
        groups: dict[str, list[Definition]] = {}
        for d in definitions:
            groups.setdefault(result.rename[d.scope].get(d.name, d.name).lower(), []).append(d)
        changed = False
        for members in groups.values():
            distinct = {(m.name, m.amount, texts[m], m.fields) for m in members}
            if len({(a, t, f) for _, a, t, f in distinct}) <= 1 and len({n for n, *_ in distinct}) == 1:
                continue
            keep = next((m for m in members if m.scope == _PROJECT), None)
            for m in members:
                alike = keep is not None and (m.name, m.amount, texts[m], m.fields) == \
                    (keep.name, keep.amount, texts[keep], keep.fields)
                if m.scope == _PROJECT or alike:
                    continue
                if m.name in result.rename[m.scope]:  # already prefixed and still clashing
                    others = ", ".join(f"{x.scope or 'project'}.{x.name}" for x in members if x is not m)
                    result.problems.append(f"{m.scope}: parameter {m.name} is written as "
                                           f"{result.rename[m.scope][m.name]}, which clashes with {others}; "
                                           "rename one of them in its workbook")
                    return result
                result.rename[m.scope][m.name] = f"{m.scope}_{m.name}"
                changed = True
        if not changed:
            break
    written = set()
    for d in definitions:
        name = result.rename[d.scope].get(d.name, d.name)
        if name.lower() in written or texts[d] is _FAILED:
            continue
        written.add(name.lower())
        alike = [x.scope or "project" for x in definitions if x is not d and texts[x] == texts[d]
                 and result.rename[x.scope].get(x.name, x.name) == name]
        description = d.description + (f" (defined alike in {d.scope or 'project'}, {', '.join(alike)})"
                                       if alike else "")
        uncertainty, left_out = uncertainty_of(dict(d.fields), d.amount)
        result.left_out += left_out
        result.entities.append(o.Parameter(
            id=key(f"parameter:{name}"), name=name, parameter_scope=o.ParameterScope.GLOBAL_SCOPE,
            is_input_parameter=d.formula is None, value=d.amount, formula=texts[d], description=description,
            uncertainty=None if d.formula else uncertainty, category="lca-cfp"))
    return result


_FAILED = object()


def _translated(d: Definition, result: GlobalParameters):
    """The openLCA formula of ``d`` (None without one; _FAILED after recording the problem)."""
    where = f"{d.scope or 'project parameters'}: parameter {d.name}"
    try:
        check_name(result.rename[d.scope].get(d.name, d.name))
        if not d.formula:
            return None
        return translate_in(d.formula, d.scope, result, where)
    except OlcaFormulaError as exc:
        problem = f"{where}" + (f", formula {d.formula!r}" if d.formula else "") + f": {exc}"
        if problem not in result.problems:
            result.problems.append(problem)
        return _FAILED


def translate_in(formula: str, database: str, result: GlobalParameters, where: str, local=()) -> str:
    """``formula`` of ``database`` (and the activity parameters ``local``) in openLCA's syntax and names."""
    rename = {}
    for name in names_in(formula):
        target = result.resolve(database, name, local)
        if target is None:
            raise OlcaFormulaError(f"it uses {name}, which no project, database or activity parameter defines")
        rename[name] = target
    return translate(formula, rename)
