"""`lca export pact`: PACT v3 ProductFootprints of a route, every route of a comparison, a product or
a ledger delivery, written as JSON (one footprint, or a list for a whole comparison).

Each footprint is computed as `lca compare` / `lca footprint` / `lca ledger statement` compute it,
once with the chosen GWP100 method and once with each of its parts (fossil, biogenic, land use:
lca.brightway.methods.SPLITS), which must add up to it. Everything that can be refused without
Brightway (the settings file, the output path, the ledger, the superseded export) is refused first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from lca.errors import ComparisonError, ExportError, NothingCharacterised
from lca.runs.session import Changes, Session, Where, open_session

__all__ = ["PactExportRequest", "PactExportRun", "export_pact"]

CUT_OFF_TEXT = ("Recycling: cut-off (recycled content) approach: the scrap enters burden-free at the recycler's gate; "
                "its collection, pre-treatment and refining are counted")
MAX_PREVIOUS_BYTES = 20_000_000


@dataclass(frozen=True)
class PactExportRequest:
    subject: str | None  # COMPARISON, COMPARISON/ROUTE or PRODUCT (None with a ledger delivery)
    output: str
    config: str | None = None
    company_name: str = ""
    company_ids: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    ledger: str | None = None
    delivery: str | None = None
    method: str | None = None
    basis: str | None = None  # a basis the comparison offers (nickel: niso4-hexahydrate), per kg of that product
    allocation: str = "cut-off"
    changes: Changes = Changes()
    supersedes: str | None = None
    overwrite: bool = False


@dataclass(frozen=True)
class PactExportRun:
    kind: ClassVar[str] = "export-pact"
    written: Path
    footprints: tuple  # the ProductFootprint documents (dicts), as written
    notes: tuple[str, ...] = ()


def _previous(path) -> list:
    try:
        if Path(path).stat().st_size > MAX_PREVIOUS_BYTES:
            raise ExportError(f"{path} is larger than {MAX_PREVIOUS_BYTES // 1_000_000} MB; is it a PACT export?")
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"--supersedes {path}: no such file.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"--supersedes {path}: not a readable JSON file ({exc}).") from None
    return data if isinstance(data, list) else [data]


def _parts(compute, split: tuple[str, ...]) -> list[float]:
    """``compute(method)`` for the fossil, biogenic and land-use methods of ``split`` (0 where a part
    characterises none of the system's flows: it has no such emission)."""
    from lca.brightway.methods import get_method

    out = []
    for method_id in split:
        try:
            out.append(compute(get_method(method_id)))
        except NothingCharacterised:
            out.append(0.0)
    return out


def _allocation_text(result) -> str:
    allocation = result.allocation
    text = CUT_OFF_TEXT if allocation is None or allocation.approach == "cut-off" else \
        f"Recycling: {allocation.approach}: {result.allocation_formula}"
    if result.byproducts is not None:
        text += f". By-products: {result.byproducts.text()}"
    return text + " (docs/allocation.md, docs/byproducts.md)."


def _settings_note(settings) -> tuple[str, ...]:
    """The run's parameter changes ((id, value, origin), ...) as a note for the comment."""
    if not settings:
        return ()
    from lca.subjects.changes import settings_text

    return (f"Parameters changed for this footprint: {settings_text(settings)}",)


def _exempted(node) -> tuple[float, str] | None:
    percent, source = node.get("exempted emissions percent"), node.get("exempted emissions source")
    if percent is None or percent == "":
        return None
    return float(percent), str(source or "")


class _Subjects:
    """Computes the Declared footprints of the subjects asked for, in one session."""

    def __init__(self, session: Session, request: PactExportRequest, method, split):
        from lca.analysis.dataquality import background_databases
        from lca.brightway.foreign import linked_databases

        self.session, self.request, self.method, self.split = session, request, method, split
        self.secondary = tuple((d, str(session.bd.databases[d].get("version", "unversioned")))
                               for d in sorted(background_databases(session.bd, session.databases))
                               + list(linked_databases(session.bd, session.databases)))
        self._runs = {}  # the compare runs of this export, by what they were asked

    def _declared(self, **fields):
        from lca.exchange.pact import Declared

        return Declared(method_name=self.method.name, method_label=self.method.label, secondary=self.secondary,
                        **fields)

    def basis(self, model):
        """The basis the footprint is per (None: the routes' own unit), refusing a comparison whose routes
        are per the metal contained: PACT states a footprint per kg of the product itself."""
        asked = self.request.basis
        offered = {b.id: b for b in model.bases}
        if not offered:
            if asked not in (None, "default", model.default_basis):
                raise ExportError(f"Comparison {model.id} offers no basis {asked!r}; leave out --basis.")
            return None
        if asked not in offered:
            listed = "; ".join(f"--basis {b.id} ({b.label})" for b in model.bases)
            raise ExportError(f"The routes of {model.id} are per the {model.id} they contain, not per kg of a product; "
                              f"PACT states a footprint per declared unit of the product (productMassPerDeclaredUnit). "
                              f"Choose the product: {listed}. Nothing was written.")
        return offered[asked]

    def _compare(self, comparison, method, primary_route=None, share=None, changes=None, quality=False, basis=None):
        from lca.runs.compare import CompareRequest, compare_in

        request = CompareRequest(comparison, method.id, basis=basis.id if basis is not None else None,
                                 primary_route=primary_route, recycled_share=share,
                                 allocation=self.request.allocation, changes=changes or self.request.changes,
                                 quality=quality)
        if request not in self._runs:  # the routes of one comparison share their runs
            self._runs[request] = compare_in(self.session, request)
        return self._runs[request]

    def route(self, model, route, primary_route, basis=None):
        run = self._compare(model.id, self.method, primary_route, quality=True, basis=basis)
        index = [r.id for r in run.result.routes].index(route.id)
        result = run.result.routes[index]
        parts = _parts(lambda m: self._compare(model.id, m, primary_route, basis=basis).result.routes[index].total,
                       self.split)
        node = self.session.node(route.node_id)
        unit_node = self.session.node(basis.node_id) if basis is not None else node
        return self._declared(
            keys=(f"{model.id}/{route.id}", model.id), what=f"route {model.id}/{route.id}",
            label=route.label if basis is None else f"{route.label}; per {basis.label}",
            reference_product=unit_node.get("reference product") or unit_node["name"], unit=unit_node["unit"],
            mass_kg=None, total=result.total, fossil=parts[0], biogenic=parts[1], land_use=parts[2],
            stages=result.stages, location=node.get("location", ""),
            quality=run.quality.get(route.id), exempted=_exempted(node), allocation=_allocation_text(run.result),
            notes=(f"Route {route.id} of comparison {model.id}, per {run.result.functional_unit} in the model",
                   *_settings_note(run.result.parameters)))

    def comparison(self, model, route_id=None):
        from lca.subjects.routes import select_pair

        basis = self.basis(model)
        pairs = []
        if model.grouped:
            for route in model.routes:
                if route.group == "primary":
                    pairs.append((route, route.id))
            recycled = select_pair(model)[1]
            pairs.append((recycled, None))
        else:
            pairs = [(route, None) for route in select_pair(model)]
        if route_id is not None:
            pairs = [p for p in pairs if p[0].id == route_id]
            if not pairs:
                offered = ", ".join(f"{model.id}/{r.id}" for r in model.routes)
                raise ComparisonError(f"Comparison {model.id} has no route {route_id!r}; its routes: {offered}.")
        return [self.route(model, route, primary, basis) for route, primary in pairs]

    def product(self, product_id):
        from lca.runs.footprint import FootprintRequest, footprint_in

        def run(method, quality=False):
            request = FootprintRequest(product=product_id, method=method.id, allocation=self.request.allocation,
                                       changes=self.request.changes, quality=quality)
            return footprint_in(self.session, request)

        main = run(self.method, quality=True)
        result = main.results[0]
        parts = _parts(lambda m: run(m).results[0].total, self.split)
        product = self.session.products[product_id]
        node = self.session.node(product.node_id)
        return self._declared(
            keys=(product_id,), what=f"product {product_id}", label=product.label,
            reference_product=node.get("reference product") or product.name, unit=product.unit,
            mass_kg=product.declared_mass_kg, total=result.total, fossil=parts[0],
            biogenic=parts[1], land_use=parts[2], stages=result.parts,
            location=node.get("location", ""), quality=main.product_qualities[0],
            allocation=f"{CUT_OFF_TEXT if self.request.allocation == 'cut-off' else self.request.allocation}. "
                       f"By-products: {main.statement.text()} (docs/allocation.md, docs/byproducts.md).",
            notes=(f"Product {product_id} per {product.unit}, with the conventional supply of each comparison",
                   *_settings_note(main.settings)))

    def delivery(self, found):
        from lca.ledger.footprint import comparison_of
        from lca.ledger.records import period_bounds

        session, claim, settings = self.session, found.claim, found.ledger.settings
        model = comparison_of(session.bd, session.databases, found)
        basis = self.basis(model)
        share = claim.claimed_t / claim.delivered_t
        asked = self.request.changes
        changes = Changes(asked.sets, asked.scenarios, asked.byproducts, tuple(found.fixed))
        run = self._compare(model.id, self.method, share=share, changes=changes, quality=True, basis=basis)
        blend = run.result.blends[0]
        parts = _parts(lambda m: self._compare(model.id, m, share=share, changes=changes,
                                               basis=basis).result.blends[0].total, self.split)
        reference, recycled = (session.node(r.node_id) for r in _pair_routes(model, run.result))
        exempted = None
        shares = ((1 - share, reference, run.result.routes[0].total), (share, recycled, run.result.routes[1].total))
        stated = [(w, _exempted(n), t) for w, n, t in shares]
        if all(e is not None for _, e, _ in stated) and blend.total:
            percent = sum(w * e[0] * t for w, e, t in stated) / blend.total
            exempted = (percent, f"derived: {1 - share:.4f} x {stated[0][1][0]:g} % of "
                                 f"{stated[0][2]:,.1f} + {share:.4f} x {stated[1][1][0]:g} % of {stated[1][2]:,.1f}, "
                                 f"over {blend.total:,.1f} kg CO2e per unit; {stated[0][1][1]}; {stated[1][1][1]}")
        cover = found.balance.covers[claim.delivery]
        return self._declared(
            keys=(model.id,), what=f"delivery {claim.delivery} of ledger {found.ledger.path.name}",
            label=f"{settings.product} of delivery {claim.delivery} ({claim.delivered_t:,.3f} t of {settings.metal}, "
                  f"{claim.claimed_t:,.3f} t of it claimed as recycled {settings.metal} from {settings.input_kind} "
                  f"scrap under the ledger's mass balance)",
            reference_product=settings.product,
            unit=(session.node(basis.node_id) if basis is not None else reference)["unit"], mass_kg=None,
            total=blend.total,
            fossil=parts[0], biogenic=parts[1], land_use=parts[2], stages=blend.stages,
            location=reference.get("location", ""), quality=run.quality.get(blend.id), exempted=exempted,
            allocation=_allocation_text(run.result), period=period_bounds(cover.period),
            notes=(f"Mass-balance chain of custody (ISO 22095), {settings.method} method, site {cover.site}, "
                   f"period {cover.period}: {claim.claimed_t:,.3f} t of the {claim.delivered_t:,.3f} t delivery "
                   f"{claim.delivery} ({claim.date}) are claimed as recycled {settings.metal} "
                   f"({settings.input_description}); the footprint is {share:.4f} x the recycled route + "
                   f"{1 - share:.4f} x the reference route; ledger {found.ledger.path.name}, fingerprint "
                   f"{found.ledger.fingerprint}", *_settings_note(run.result.parameters)))


def _once(notify):
    """``notify`` that says each note once (the parts of a footprint are computed in several runs)."""
    said = set()

    def once(message: str) -> None:
        if message not in said and notify is not None:
            said.add(message)
            notify(message)

    return once


def _pair_routes(model, result):
    by_id = {r.id: r for r in model.routes}
    return by_id[result.routes[0].id], by_id[result.routes[1].id]


def export_pact(request: PactExportRequest, where: Where | None = None, progress=None,
                notify=None) -> PactExportRun:
    from lca import __version__
    from lca.brightway.methods import SPLITS, get_method
    from lca.exchange.pact import Options, product_footprint, supersede
    from lca.exchange.pact_config import PactConfig, check_name, check_urn, read_config
    from lca.xlsx import check_output, write_atomically

    if request.allocation == "avoided-burden":
        raise ExportError("A PACT footprint counts no avoided emissions (ISO 14067), so it cannot use the "
                          "avoided-burden allocation; use --allocation cut-off (the default) or cff.")
    method = get_method(request.method)
    if method.id not in SPLITS:
        raise ExportError(f"PACT footprints are IPCC GWP100 with their fossil, biogenic and land-use parts; "
                          f"{method.id} is not one of {', '.join(SPLITS)}.")
    if (request.ledger is None) != (request.delivery is None):
        raise ExportError("Give --ledger FILE and --delivery ID together.")
    if bool(request.subject) == bool(request.ledger):
        raise ExportError("Give a SUBJECT (a comparison such as copper, a route such as copper/scrap, or a product), "
                          "or --ledger FILE --delivery ID, not both.")
    config = read_config(request.config) if request.config else PactConfig("")
    options = Options(
        company_name=check_name(request.company_name, "--company", "the company name") if request.company_name else "",
        company_ids=tuple(check_urn(i, "--company-id", "a company id") for i in request.company_ids),
        product_ids=tuple(check_urn(i, "--product-id", "a product id") for i in request.product_ids),
        tool=f"lca-cfp {__version__}")
    previous = _previous(request.supersedes) if request.supersedes else None
    check_output(request.output, overwrite=request.overwrite, suffix=".json")
    notify = _once(notify)
    found = None
    if request.ledger:
        from lca.ledger.footprint import open_delivery

        found = open_delivery(request.ledger, request.delivery)  # refuse before any Brightway work
    with open_session(where, progress, notify) as session:
        subjects = _Subjects(session, request, method, SPLITS[method.id])
        if found is not None:
            declared = [subjects.delivery(found)]
        else:
            declared = _named(session, subjects, request.subject)
        options = replace(options, fingerprint=session.fingerprint)
        single = found is not None or "/" in request.subject or request.subject in session.products
    documents = [product_footprint(d, config, options) for d in declared]
    notes = []
    if previous is not None:
        documents, notes = supersede(documents, previous, request.supersedes)
    payload = documents[0] if single and len(documents) == 1 else documents
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    written = write_atomically(text.encode("utf-8"), request.output, overwrite=request.overwrite, suffix=".json")
    return PactExportRun(written, tuple(documents), tuple(notes))


def _named(session: Session, subjects: _Subjects, subject: str) -> list:
    comparison, _, route = subject.partition("/")
    if comparison in session.comparisons:
        return subjects.comparison(session.comparison(comparison), route or None)
    if not route and subject in session.products:
        if subjects.request.basis is not None:
            raise ExportError(f"--basis is for comparisons; product {subject} is per its own unit. Leave it out.")
        return [subjects.product(subject)]
    comparisons = ", ".join(session.comparisons) or "none"
    products = ", ".join(session.products) or "none"
    raise ComparisonError(f"{subject!r} is neither a comparison (copper, copper/scrap; comparisons: {comparisons}) "
                          f"nor a product (products: {products}).")
