"""How sure is the difference? Paired Monte Carlo for a comparison or a product (lca.montecarlo).

The reference and the alternative (two routes, or a product under conventional and chosen
supply) are scored on the same draws, and the difference is taken draw by draw, so its spread
is that of the difference, not of two independent totals.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np

from lca.analysis.montecarlo import ALL_SOURCES, DrawSources, System, Target
from lca.brightway.methods import Method
from lca.errors import ComparisonError, SupplyError
from lca.rules import did_you_mean, unknown_name
from lca.subjects.routes import ComparisonModel, select_pair

__all__ = ["Stats", "Histogram", "UncertaintyResult", "Study", "study_for", "system_for", "run_uncertainty",
           "PERCENTILES"]

PERCENTILES = (2.5, 97.5)
# numpy's "auto" bins (the larger of the Sturges and Freedman-Diaconis counts), at most this many:
# enough to show the shape of the draws, few enough to be read as bars in a plot
MAX_BINS = 80


@dataclass(frozen=True)
class Stats:
    mean: float
    median: float
    std: float
    p2_5: float
    p97_5: float
    static: float  # the deterministic result (no draws), for reference

    @property
    def inside(self) -> bool:
        """Whether the deterministic result lies inside the 95 % interval of the draws."""
        return self.p2_5 <= self.static <= self.p97_5

    def outside_text(self, name: str) -> str:
        """The plain statement for a deterministic value outside its own 95 % interval ('' inside)."""
        if self.inside:
            return ""
        side = "below" if self.static < self.p2_5 else "above"
        return (f"{name}: the deterministic value {self.static:,.1f} lies {side} its own 95 % interval "
                f"({self.p2_5:,.1f} to {self.p97_5:,.1f}): the distributions are not centred on the values used")

    @classmethod
    def of(cls, values: np.ndarray, static: float) -> Stats:
        low, high = np.percentile(values, PERCENTILES)
        return cls(mean=float(values.mean()), median=float(np.median(values)), std=float(values.std(ddof=1)),
                   p2_5=float(low), p97_5=float(high), static=static)


@dataclass(frozen=True)
class Histogram:
    """The draws counted in equal bins: ``counts[i]`` draws lie from ``edges[i]`` to ``edges[i + 1]``
    (kept instead of the draws themselves, for a plot: a result of 10 million draws stays small)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    @classmethod
    def of(cls, values: np.ndarray) -> Histogram:
        edges = np.histogram_bin_edges(values, bins="auto")
        if len(edges) - 1 > MAX_BINS:
            edges = np.histogram_bin_edges(values, bins=MAX_BINS)
        counts, edges = np.histogram(values, bins=edges)
        return cls(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


@dataclass(frozen=True)
class UncertaintyResult:
    subject: str  # comparison id or product id
    functional_unit: str
    method: Method
    unit: str
    iterations: int
    seed: int | None
    sources: DrawSources
    reference: tuple[str, str, Stats]  # (id, label, stats)
    alternative: tuple[str, str, Stats]
    difference: Stats  # reference minus alternative, draw by draw
    probability_lower: float  # share of draws in which the alternative is lower than the reference
    uncertain_parameters: int
    uncertain_exchanges: int
    parameters: tuple = ()  # ((parameter id, value, origin), ...) fixed for the run
    allocation: str = "cut-off"  # recycling allocation approach (lca.allocation)
    histogram: Histogram | None = None  # of the difference's draws
    # the paired draws (reference, alternative arrays), kept only when asked (run_uncertainty's keep_draws)
    draws: tuple | None = field(default=None, compare=False, repr=False)


def _lca(bd, demand_ids, method):
    """A bw2calc LCA with the static matrices and the characterisation loaded (nothing solved)."""
    from lca.analysis.calculate import loaded_lca

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="(?s).*pypardiso")
        lca = loaded_lca(bd, demand_ids, method)
        lca.load_lcia_data()
    return lca


@dataclass(frozen=True)
class Study:
    """What is compared: two targets scored on the same draws."""

    subject: str  # comparison or product id
    functional_unit: str
    targets: tuple[Target, Target]  # ids "reference" and "alternative"
    labels: tuple[tuple[str, str], tuple[str, str]]  # (id, label) of each
    note: str = ""  # how the chosen supply was set, when not as asked (lca.footprint.chosen_scenario)
    scenarios: tuple = ()  # a product's (conventional, chosen) lca.subjects.supply.Scenario


def _comparison_study(model: ComparisonModel, basis: str | None, primary_route: str | None) -> Study:
    reference, alternative = select_pair(model, primary_route)
    labels = ((reference.id, reference.label), (alternative.id, alternative.label))
    if basis in (None, "default", model.default_basis):
        targets = (Target("reference", reference.node_id), Target("alternative", alternative.node_id))
        return Study(model.id, reference.functional_unit, targets, labels)
    chosen = next((b for b in model.bases if b.id == basis), None)
    if chosen is None:
        offered = [model.default_basis] + [b.id for b in model.bases]
        raise ComparisonError(unknown_name("basis", basis, offered, of=f"of comparison {model.id}"))

    def only(route):
        return ((model.supply_node, tuple((r.node_id, float(r.node_id == route.node_id)) for r in model.routes)),)

    targets = (Target("reference", chosen.node_id, only(reference)),
               Target("alternative", chosen.node_id, only(alternative)))
    return Study(model.id, chosen.label, targets, labels)


def _product_study(product, comparisons, base, chosen) -> Study:
    from lca.analysis.footprint import _weights

    def columns(scenario):
        return tuple((supply, tuple(shares.items())) for supply, shares in _weights(comparisons, scenario).items())

    targets = (Target("reference", product.node_id, columns(base)),
               Target("alternative", product.node_id, columns(chosen)))
    return Study(product.id, f"1 {product.unit} of {product.label}", targets,
                 (("conventional", base.label), ("chosen", chosen.label)), note=chosen.note, scenarios=(base, chosen))


def study_for(bd, databases, subject: str, *, basis=None, primary_route=None, supply=None, changes=None,
              comparisons=None, products=None) -> Study:
    """The study for a comparison id (copper, nickel) or a product id (the product under conventional
    supply against the chosen one, as ``lca footprint --compare``; ``supply``, a Scenario, holds the
    choices given in place of the chosen supply's defaults; ``changes``, the run's MatrixChanges,
    give the closed loops' limits: lca.analysis.footprint.chosen_scenario). ``comparisons`` and
    ``products`` may be passed when already read."""
    from lca.analysis.footprint import chosen_scenario, conventional_scenario
    from lca.subjects.products import list_products
    from lca.subjects.routes import list_comparisons

    comparisons = comparisons if comparisons is not None else list_comparisons(bd, databases)
    given = supply.choices if supply is not None else ()
    if subject in comparisons:
        if given:
            raise SupplyError(f"a supply choice ({', '.join(c.text for c in given)}) applies to products; "
                              f"{subject!r} is a comparison", comparison=given[0].comparison)
        return _comparison_study(comparisons[subject], basis, primary_route)
    products = products if products is not None else list_products(bd, databases)
    if subject not in products:
        raise ComparisonError(f"{subject!r} is neither a comparison ({', '.join(comparisons) or 'none'}) nor a product "
                              f"({', '.join(products) or 'none'}).{did_you_mean(subject, [*comparisons, *products])} "
                              "See `lca products`.")
    if basis is not None or primary_route is not None:
        raise ComparisonError(f"a basis and a primary route apply to comparisons; {subject!r} is a product.")
    chosen = chosen_scenario(bd, [products[subject]], comparisons, supply, changes)
    return _product_study(products[subject], comparisons, conventional_scenario(comparisons), chosen)


def system_for(bd, study: Study, method: Method, parametric, changes=None, transforms=()) -> System:
    """The Monte Carlo system of a study; ``changes`` (MatrixChanges) fix parameters for the run;
    ``transforms`` apply a recycling allocation (lca.allocation)."""
    fixed = {pid: value for pid, value, _ in changes.settings} if changes else {}
    lca = _lca(bd, sorted({t.node for t in study.targets}), method)
    # a supply mix outside the targets' matrix is one the subject does not draw on: its column stays out
    targets = tuple(replace(t, columns=tuple((supply, shares) for supply, shares in t.columns
                                             if supply in lca.dicts.activity)) for t in study.targets)
    return System(lca, parametric, targets, fixed, transforms)


def run_uncertainty(bd, study: Study, method: Method, parametric, *, n: int, seed: int | None, changes=None,
                    sources: DrawSources = ALL_SOURCES, progress=None, transforms=(),
                    allocation: str = "cut-off", keep_draws: bool = False) -> UncertaintyResult:
    """Paired Monte Carlo of a study: both targets from the same ``n`` draws (kept in the result: ``keep_draws``)."""
    if n < 2:
        raise ComparisonError(f"{n} draws are too few for a Monte Carlo run; use at least 2 (e.g. 10000).")
    system = system_for(bd, study, method, parametric, changes, transforms)
    scores = system.run(n, seed, sources, progress)
    static = system.static()
    difference = scores["reference"] - scores["alternative"]
    unit = bd.Method(method.name).metadata.get("unit", "")
    (ref_id, ref_label), (alt_id, alt_label) = study.labels
    return UncertaintyResult(
        subject=study.subject, functional_unit=study.functional_unit, method=method, unit=unit, iterations=n,
        seed=seed, sources=sources,
        reference=(ref_id, ref_label, Stats.of(scores["reference"], static["reference"])),
        alternative=(alt_id, alt_label, Stats.of(scores["alternative"], static["alternative"])),
        difference=Stats.of(difference, static["reference"] - static["alternative"]),
        probability_lower=float(np.mean(difference > 0)),
        uncertain_parameters=len(system.uncertain_parameters(sources)),
        uncertain_exchanges=len(system.uncertain_cells) if sources.exchanges else 0,
        parameters=changes.settings if changes else (), allocation=allocation, histogram=Histogram.of(difference),
        draws=(scores["reference"], scores["alternative"]) if keep_draws else None,
    )
