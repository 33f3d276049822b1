"""`lca products` and `lca footprint`: the products, and their footprints with the supply of each
comparison chosen by id (``copper=scrap``, ``nickel=0.2``: lca.subjects.supply)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lca.errors import LCAError, SupplyError
from lca.runs.session import Changes, Session, Where, open_session

__all__ = ["FootprintRequest", "FootprintRun", "ProductList", "footprint", "footprint_in", "products",
           "given_supply", "product_scenarios"]


@dataclass(frozen=True)
class ProductList:
    kind: ClassVar[str] = "products"
    products: tuple  # lca.subjects.products.Product


@dataclass(frozen=True)
class FootprintRequest:
    product: str | None = None
    all_products: bool = False
    supply: tuple[str, ...] = ()  # COMPARISON=ROUTE or COMPARISON=SHARE, later ones win
    compare: bool = False  # also the conventional supply, beside the chosen one
    method: str | None = None
    allocation: str = "cut-off"
    changes: Changes = Changes()
    quality: bool = True  # the data-quality ratings of each result (one more pass over the system)


@dataclass(frozen=True)
class FootprintRun:
    kind: ClassVar[str] = "footprint"
    results: tuple  # lca.analysis.footprint.ProductResult under the chosen supply
    baseline: tuple | None  # under the conventional supply (with compare)
    qualities: tuple  # {product: DataQuality} per scenario shown (baseline first)
    statement: object  # lca.subjects.byproducts.ByproductStatement
    method: object
    unit: str
    all_products: bool
    compare: bool
    settings: tuple = ()  # the run's parameter changes ((id, value, origin), ...)
    about: object = None  # lca.output.envelope.About: what the results are of (JSON envelope, CSV columns)

    @property
    def product_qualities(self) -> list:
        """The DataQuality of the one product, per scenario shown (empty with --all)."""
        return [] if self.all_products else [q[self.results[0].product] for q in self.qualities]


def products(where: Where | None = None, progress=None, notify=None) -> ProductList:
    with open_session(where, progress, notify) as session:
        return ProductList(tuple(session.products.values()))


def given_supply(texts, comparisons: dict):
    """The Scenario of the choices ``texts`` (COMPARISON=ROUTE|SHARE), each checked against ``comparisons``."""
    from lca.analysis.footprint import check_choice
    from lca.subjects.supply import Scenario, parse_choice

    choices = [parse_choice(text) for text in texts]
    seen = {}
    for choice in choices:
        if choice.comparison in seen and seen[choice.comparison] != choice:
            raise SupplyError(f"the supply of {choice.comparison} is given twice ({seen[choice.comparison].text} and "
                              f"{choice.text}); give it once", comparison=choice.comparison)
        seen[choice.comparison] = choice
        check_choice(comparisons, choice)
    return Scenario(*choices)


def product_scenarios(session: Session, items, supply, changes, compare: bool):
    """(conventional, chosen) scenarios of a product run: without ``compare`` the chosen one is the
    conventional supply with the given choices in place; with it, the chosen supply's defaults
    (lowered to what a closed loop supplies) with the given choices in place."""
    from lca.analysis.footprint import chosen_scenario, conventional_scenario

    comparisons = session.comparisons
    given = given_supply(supply, comparisons)
    base = conventional_scenario(comparisons)
    if not compare:
        return base, base.with_choices(given.choices, note="")
    chosen = chosen_scenario(session.bd, items, comparisons, given, changes)
    if chosen.note:
        session.notify(chosen.note)
    return base, chosen


_ASK = object()


def footprint_in(session: Session, request: FootprintRequest, changes=_ASK) -> FootprintRun:
    """The footprints in an open session; ``changes`` (MatrixChanges or None) when the caller has
    already resolved the run's parameter changes (else they are resolved from the request)."""
    from lca.analysis.dataquality import footprint_quality
    from lca.analysis.footprint import footprints
    from lca.brightway.methods import get_method
    from lca.subjects.allocation import transforms_for
    from lca.subjects.byproducts import comparisons_statement

    if bool(request.product) == bool(request.all_products):
        raise LCAError("Name one product, or ask for all of them (see `lca products`).")
    method = get_method(request.method)
    bd, comparisons = session.bd, session.comparisons
    items = list(session.products.values()) if request.all_products else session.find_products([request.product])
    if changes is _ASK:
        changes = session.changes(request.changes)
    base, chosen = product_scenarios(session, items, request.supply, changes, request.compare)
    values = dict(changes.values) if changes else {}
    transforms = transforms_for(comparisons, request.allocation, session.parametric, values)
    results = footprints(bd, items, comparisons, chosen, method, changes, transforms)
    baseline = footprints(bd, items, comparisons, base, method, changes, transforms) if request.compare else None
    qualities = tuple(footprint_quality(bd, items, comparisons, s, method, changes, transforms, session.databases)
                      for s in ((base, chosen) if request.compare else (chosen,))) if request.quality else ()
    statement = comparisons_statement(bd, comparisons, session.parametric, changes)
    if request.all_products:
        subject = {"kind": "products", "id": "all", "name": "every product",
                   "functional_unit": "1 product unit (each product's own unit)"}
    else:
        one = items[0]
        subject = {"kind": "product", "id": one.id, "name": one.label, "functional_unit": f"1 {one.unit}"}
    about = session.about(**subject, method=method, allocation=request.allocation, changes=changes,
                          byproducts=statement)
    return FootprintRun(tuple(results), tuple(baseline) if baseline is not None else None, qualities, statement,
                        method, session.method_unit(method), request.all_products, request.compare,
                        changes.settings if changes else (), about)


def footprint(request: FootprintRequest, where: Where | None = None, progress=None, notify=None) -> FootprintRun:
    with open_session(where, progress, notify) as session:
        return footprint_in(session, request)
