"""By-product (multi-output) allocation: economic, mass or none, switched for all workbooks at once.

A multi-output process X (a copper smelter making blister copper and sulfuric acid, a nickel
refinery making nickel and cobalt sulfate...) is modelled for its reference product only: every
input and emission of X, including its inputs of upstream intermediate products, is multiplied
by X's allocation factor, the share of X's burden that the reference product carries. Because
the upstream inputs are scaled too, the whole chain above X is allocated, not only X's own energy
(ISO 14044 4.3.4.2: the inputs and outputs of the system are partitioned, not those of one unit).

The factor is a parameter of X's workbook, named in X's ``allocation factor`` metadata row,
written from the two switch flags of the workbook, ``byproduct_mass`` and ``byproduct_economic``:

    f = 1 + byproduct_mass * (m - 1) + byproduct_economic * (e - 1)

with m = main mass / (main mass + co-product masses) and e = main value / (main value +
co-product values), from the co-product outputs and prices in the workbook. So the three
approaches are

    none      (mass 0, economic 0):  f = 1      the reference product carries everything
    mass      (mass 1, economic 0):  f = m
    economic  (mass 0, economic 1):  f = e      (the shipped default)

:func:`switch_changes` gives the flag values of an approach for every workbook that declares the
flags, as fixed parameter changes (lca.scenarios.resolve_changes), so one switch treats every
compared route alike; a --set of a flag that contradicts it is refused there.
:func:`byproduct_problems` checks the data: the factor parameter exists, the flags exist in pairs
and name one approach, and every exchange of an allocated process uses the factor (a process
allocated only in part would leave some of its burden, or its upstream, unallocated).
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.choices import ByproductAllocation
from lca.errors import ParameterError
from lca.inventory.route_rows import (
    COPRODUCTS_KEY,
    FACTOR_KEY,
    FLAGS,
    PREALLOCATED_KEY,
    approach_of,
    byproduct_problems,
    check_flag_values,
)
from lca.inventory.route_rows import text as _text

__all__ = ["ByproductAllocation", "DEFAULT", "FLAGS", "FACTOR_KEY", "COPRODUCTS_KEY", "AllocatedProcess",
           "ByproductStatement", "byproduct_statement", "comparisons_statement", "switch_changes", "approach_of",
           "allocated_processes", "byproduct_problems", "check_flag_values"]




DEFAULT = ByproductAllocation.default()


@dataclass(frozen=True)
class AllocatedProcess:
    """A multi-output process and the share of its burden its reference product carries."""

    database: str
    code: str
    name: str
    stage: str
    co_products: str
    factor_parameter: str  # parameter id, e.g. cfp_copper.smelt_alloc
    factor: float
    routes: tuple[str, ...] = ()  # the routes (or products) whose foreground it is part of
    preallocated: bool = False  # allocated by the data's source (co_products says how); the switch does not apply


@dataclass(frozen=True)
class ByproductStatement:
    """The by-product allocation of a run: the approach and each multi-output process's factor."""

    approach: ByproductAllocation | None  # None: no workbook declares by-product allocation
    processes: tuple[AllocatedProcess, ...] = ()

    def text(self) -> str:
        """One line (reports): the approach and each process's factor."""
        if self.approach is None:
            return "none declared (no multi-output process in the workbooks)"
        parts = [f"{p.stage or p.name} " + ("fixed by its source" if p.preallocated else f"{p.factor:.3f}")
                 for p in self.processes]
        return self.approach.value + (f" (share carried by the main product: {'; '.join(parts)})" if parts else "")

    def lines(self) -> list[str]:
        """Lines for tables: the approach, then one per process with its factor and co-products."""
        if self.approach is None:
            return ["By-product allocation: none declared (no multi-output process in the workbooks)"]
        lines = [f"By-product allocation: {self.approach.value}"
                 + (" (share of each process's burden carried by its main product)" if self.processes else "")]
        width = max((len(p.stage or p.name) for p in self.processes), default=0) + 2
        for p in self.processes:
            if p.preallocated:
                lines.append(f"  {p.stage or p.name:<{width}}fixed  {', '.join(p.routes)}; allocated by its source: "
                             f"{p.co_products}")
                continue
            lines.append(f"  {p.stage or p.name:<{width}}{p.factor:.3f}  {', '.join(p.routes)}"
                         + (f"; co-products: {p.co_products}" if p.co_products else ""))
        return lines

    def as_dict(self) -> dict:
        return {"approach": self.approach.value if self.approach else None,
                "processes": [{"database": p.database, "activity": p.name, "stage": p.stage,
                               "co_products": p.co_products, "factor_parameter": p.factor_parameter,
                               "factor": None if p.preallocated else round(p.factor, 6),
                               "preallocated": p.preallocated, "routes": list(p.routes)} for p in self.processes]}


def byproduct_statement(nodes_by_route: dict, model, changes=None) -> ByproductStatement:
    """The approach, and the multi-output processes among the nodes of each route (route id ->
    bw2data nodes, e.g. the foreground of each compared route) with their factors after
    ``changes`` (lca.matrices.MatrixChanges, or None for the workbook values); ``model`` is the
    parametric model."""
    values = dict(changes.values) if changes is not None and changes.values else dict(model.evaluate().values)
    approach = approach_of(values)
    processes, routes_of = {}, {}
    for route, nodes in nodes_by_route.items():
        for node in nodes:
            name = _text(node.get(FACTOR_KEY))
            fixed = _text(node.get(PREALLOCATED_KEY))
            if fixed and not name:
                routes_of.setdefault(node.id, []).append(route)
                processes.setdefault(node.id, dict(
                    database=node["database"], code=node["code"], name=node["name"], stage=_text(node.get("stage")),
                    co_products=fixed, factor_parameter="", factor=float("nan"), preallocated=True))
                continue
            if not name:
                continue
            routes_of.setdefault(node.id, []).append(route)
            if node.id in processes:
                continue
            database = node["database"]
            pid = next((i for i in (f"{database}.{node['code']}.{name}", f"{database}.{name}", name) if i in values),
                       None)
            processes[node.id] = dict(
                database=database, code=node["code"], name=node["name"], stage=_text(node.get("stage")),
                co_products=_text(node.get(COPRODUCTS_KEY)), factor_parameter=pid or name,
                factor=float(values[pid]) if pid else float("nan"))
    found = [AllocatedProcess(**fields, routes=tuple(dict.fromkeys(routes_of[node_id])))
             for node_id, fields in processes.items()]
    return ByproductStatement(approach, tuple(sorted(found, key=lambda p: (p.database, p.stage, p.name))))


def comparisons_statement(bd, comparisons: dict, model, changes=None) -> ByproductStatement:
    """The statement over every route of ``comparisons`` (id -> lca.routes.ComparisonModel), the
    routes named ``comparison:route``: what a product's supply can draw on."""
    nodes = {f"{cid}:{route.id}": [bd.get_node(id=node) for node, _ in route.stages]
             for cid, comparison in comparisons.items() for route in comparison.routes}
    return byproduct_statement(nodes, model, changes)


def _flag_values(approach: ByproductAllocation) -> dict[str, float]:
    return {flag: 1.0 if kind == approach else 0.0 for kind, flag in FLAGS.items()}


def switch_changes(model, approach: ByproductAllocation | str) -> tuple:
    """The flag values of ``approach`` for every workbook that declares the flags, as fixed
    changes (lca.scenarios.Change). A ParameterError when no workbook declares them: the switch
    would otherwise change nothing while saying it did."""
    from lca.subjects.changes import Change

    approach = ByproductAllocation(approach)
    databases = sorted({p.database for p in model.parameters if p.name in FLAGS.values() and p.database})
    if not databases:
        raise ParameterError(
            f"by-product allocation {approach.value!r} was asked for, but no workbook declares the switch "
            f"(database parameters {' and '.join(FLAGS.values())}). Add them to the workbooks with multi-output "
            "processes (docs/byproducts.md), or leave out the switch.")
    origin = f"by-product allocation {approach.value}"
    return tuple(Change(f"{database}.{flag}", value, origin)
                 for database in databases for flag, value in _flag_values(approach).items())








def allocated_processes(inventory, values: dict) -> tuple[AllocatedProcess, ...]:
    """The multi-output processes of ``inventory`` with their factor at parameter ``values``
    (id -> value, e.g. an lca.parametric Evaluation's values)."""
    found = []
    for database in inventory.databases:
        for activity in database.activities:
            name = _text(activity.meta(FACTOR_KEY))
            if not name:
                continue
            pid = f"{activity.database}.{activity.code}.{name}"
            pid = pid if pid in values else f"{activity.database}.{name}"
            factor = values.get(pid, values.get(name))
            found.append(AllocatedProcess(
                database=activity.database, code=activity.code, name=activity.name,
                stage=_text(activity.meta("stage")), co_products=_text(activity.meta(COPRODUCTS_KEY)),
                factor_parameter=pid, factor=float(factor) if factor is not None else float("nan")))
    return tuple(found)






