"""`lca compare`: the per-unit CFP of each route of a comparison, under one or every recycling
allocation, with the by-product statement and the data quality of each route."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from lca.runs.session import Changes, Session, Where, open_session

__all__ = ["CompareRequest", "CompareRun", "compare", "compare_in"]

ALL = "all"


@dataclass(frozen=True)
class CompareRequest:
    comparison: str
    method: str | None = None  # method id or name (None: the default)
    basis: str | None = None
    primary_route: str | None = None
    recycled_share: float | None = None  # one blend in place of the workbook's report shares
    allocation: str = "cut-off"  # a recycling allocation, or "all"
    changes: Changes = Changes()
    quality: bool = True  # the data-quality ratings of each route (one more pass over the system)


@dataclass(frozen=True)
class CompareRun:
    kind: ClassVar[str] = "compare"
    results: tuple  # lca.analysis.calculate.Comparison, one per allocation approach
    qualities: tuple  # {route id: DataQuality} per result
    fingerprint: str
    all_allocations: bool
    about: object = None  # lca.output.envelope.About: what the results are of (JSON envelope, CSV columns)

    @property
    def result(self):
        return self.results[0]

    @property
    def quality(self):
        return self.qualities[0]


_ASK = object()


def compare_in(session: Session, request: CompareRequest, changes=_ASK) -> CompareRun:
    """The comparison in an open session; ``changes`` (MatrixChanges or None) when the caller has
    already resolved the run's parameter changes (else they are resolved from the request)."""
    from lca.analysis.calculate import compare as run_compare
    from lca.analysis.dataquality import comparison_quality
    from lca.brightway.methods import get_method
    from lca.subjects.allocation import APPROACHES, comparison_allocation
    from lca.subjects.byproducts import byproduct_statement

    method = get_method(request.method)
    bd = session.bd
    model = session.comparison(request.comparison)
    if changes is _ASK:
        changes = session.changes(request.changes)
    shares = (request.recycled_share,) if request.recycled_share is not None else model.report_shares
    values = dict(changes.values) if changes else {}
    approaches = APPROACHES if request.allocation == ALL else (request.allocation,)
    results = [run_compare(bd, model, method, basis=request.basis, primary_route=request.primary_route,
                           shares=shares, changes=changes,
                           allocation=comparison_allocation(model, approach, session.parametric, values,
                                                            request.primary_route))
               for approach in approaches]
    statement = byproduct_statement({route.id: [session.node(node) for node, _ in route.stages]
                                     for route in model.routes}, session.parametric, changes)
    results = [replace(r, byproducts=statement) for r in results]
    qualities = (comparison_quality(bd, model, results, method, changes, session.databases) if request.quality
                 else [{} for _ in results])
    first = results[0]
    about = session.about(kind="comparison", id=model.id, name=" vs ".join(r.label for r in first.routes[:2]),
                          method=method, functional_unit=first.functional_unit, allocation=request.allocation,
                          changes=changes, byproducts=statement)
    return CompareRun(tuple(results), tuple(qualities), session.fingerprint, request.allocation == ALL, about)


def compare(request: CompareRequest, where: Where | None = None, progress=None, notify=None) -> CompareRun:
    with open_session(where, progress, notify) as session:
        return compare_in(session, request)
