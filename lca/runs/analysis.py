"""`lca uncertainty` and `lca sensitivity`: the paired Monte Carlo and the sensitivity of a subject,
a comparison (its reference route against its recycled one) or a product (its conventional supply
against the chosen one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lca.runs.footprint import given_supply
from lca.runs.session import Changes, Session, Where, open_session

__all__ = ["StudyRequest", "UncertaintyRun", "SensitivityRun", "uncertainty", "sensitivity", "study_in",
           "transforms_in", "SOURCES"]

SOURCES = ("all", "parameters", "exchanges")


@dataclass(frozen=True)
class StudyRequest:
    """What is studied: a comparison id or a product id, and how."""

    subject: str
    method: str | None = None
    basis: str | None = None  # comparisons
    primary_route: str | None = None  # comparisons
    supply: tuple[str, ...] = ()  # products: COMPARISON=ROUTE|SHARE in place of the chosen supply's defaults
    allocation: str = "cut-off"
    changes: Changes = Changes()


@dataclass(frozen=True)
class UncertaintyRun:
    kind: ClassVar[str] = "uncertainty"
    result: object  # lca.analysis.uncertainty.UncertaintyResult
    fingerprint: str
    about: object = None  # lca.output.envelope.About: what the result is of (JSON envelope, CSV columns)
    draws_written: str | None = None  # the file of the paired draws (--draws), when asked


@dataclass(frozen=True)
class SensitivityRun:
    kind: ClassVar[str] = "sensitivity"
    result: object  # lca.analysis.sensitivity.SensitivityResult
    fingerprint: str
    about: object = None  # lca.output.envelope.About
    descriptions: tuple = ()  # (parameter id, its English description) where a workbook's 'label' gives one


def study_in(session: Session, request: StudyRequest, changes):
    """The study of ``request`` (lca.analysis.uncertainty.Study); its note goes to the session's notify."""
    from lca.analysis.uncertainty import study_for

    supply = given_supply(request.supply, session.comparisons) if request.supply else None
    study = study_for(session.bd, session.databases, request.subject, basis=request.basis,
                      primary_route=request.primary_route, supply=supply, changes=changes,
                      comparisons=session.comparisons, products=session.products)
    if study.note:
        session.notify(study.note)
    return study


def check_product_supply(session: Session, request: StudyRequest, study, method, changes, transforms) -> None:
    """A product's two scenarios pass the footprint's checks (closed loops, a supply choice that a direct
    draw would bypass) before any draw: the deterministic footprints of the same system."""
    from lca.analysis.footprint import footprints

    for scenario in study.scenarios:
        footprints(session.bd, [session.products[request.subject]], session.comparisons, scenario, method, changes,
                   transforms)


def study_about(session: Session, request: StudyRequest, study, method, changes):
    """What a study's result is of (lca.output.envelope.About): the comparison or the product studied."""
    (_, reference), (_, alternative) = study.labels
    if study.subject in session.comparisons:
        kind, name = "comparison", f"{reference} vs {alternative}"
    else:
        kind, name = "product", session.products[study.subject].label
    return session.about(kind=kind, id=study.subject, name=name, method=method, functional_unit=study.functional_unit,
                         allocation=request.allocation, changes=changes)


def transforms_in(session: Session, request: StudyRequest, changes) -> tuple:
    """The recycling allocation's transforms of the recycled routes (none for cut-off)."""
    from lca.subjects.allocation import transforms_for

    return transforms_for(session.comparisons, request.allocation, session.parametric,
                          dict(changes.values) if changes else {}, {request.subject: request.primary_route})


def uncertainty(request: StudyRequest, *, iterations: int, seed: int, sources: str = "all", where: Where | None = None,
                progress=None, notify=None, advance=None, draws: str | None = None,
                overwrite: bool = False) -> UncertaintyRun:
    """Paired Monte Carlo: both targets from the same ``iterations`` draws (``advance(n)`` after each chunk);
    ``draws``, a .csv file: every paired draw written there (lca.output.analysis.draws_csv), atomically."""
    from lca.analysis.montecarlo import DrawSources
    from lca.analysis.uncertainty import run_uncertainty
    from lca.brightway.methods import get_method
    from lca.xlsx import check_output

    method = get_method(request.method)
    if draws is not None:
        check_output(draws, overwrite=overwrite, suffix=".csv")  # before any draw
    drawn = DrawSources(parameters=sources in ("all", "parameters"), exchanges=sources in ("all", "exchanges"))
    with open_session(where, progress, notify) as session:
        changes = session.changes(request.changes)
        study = study_in(session, request, changes)
        transforms = transforms_in(session, request, changes)
        check_product_supply(session, request, study, method, changes, transforms)
        result = run_uncertainty(session.bd, study, method, session.parametric, n=iterations, seed=seed,
                                 changes=changes, sources=drawn, progress=advance, transforms=transforms,
                                 allocation=request.allocation, keep_draws=draws is not None)
        run = UncertaintyRun(result, session.fingerprint, study_about(session, request, study, method, changes))
    if draws is None:
        return run
    from dataclasses import replace

    from lca.output.analysis import draws_csv
    from lca.xlsx import write_text_atomically

    written = write_text_atomically(draws_csv(run), draws, overwrite=overwrite, suffix=".csv")
    return replace(run, result=replace(result, draws=None), draws_written=str(written))


def sensitivity(request: StudyRequest, *, samples: int, seed: int, where: Where | None = None, progress=None,
                notify=None, advance=None) -> SensitivityRun:
    """One-at-a-time ranking and Sobol indices (``samples`` base sample size, 0: none) of the difference
    (``advance(n, total)`` after each chunk of evaluations)."""
    from lca.analysis.sensitivity import analyse
    from lca.analysis.uncertainty import system_for
    from lca.brightway.methods import get_method

    method = get_method(request.method)
    with open_session(where, progress, notify) as session:
        changes = session.changes(request.changes)
        study = study_in(session, request, changes)
        transforms = transforms_in(session, request, changes)
        check_product_supply(session, request, study, method, changes, transforms)
        system = system_for(session.bd, study, method, session.parametric, changes, transforms)
        result = analyse(system, subject=study.subject, functional_unit=study.functional_unit, method=method,
                         unit=session.method_unit(method), labels=study.labels, samples=samples, seed=seed,
                         settings=changes.settings if changes else (), progress=advance)
        ranked = {row.parameter for row in result.tornado}
        descriptions = tuple((p.id, dict(p.labels)["en"]) for p in session.parametric.parameters
                             if p.id in ranked and dict(p.labels).get("en"))
        return SensitivityRun(result, session.fingerprint, study_about(session, request, study, method, changes),
                              descriptions)
