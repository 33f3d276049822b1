"""Data-quality ratings of exchanges, and the weighted rating and primary data share of a result.

Ratings (docs/data-quality.md). An exchange row may carry, in optional columns, ``TeR``, ``GeR``,
``TiR`` (technological, geographical and temporal representativeness, 1 good, 2 fair, 3 poor: the
1-3 scale of the PACT Technical Specification v2 ``DataQualityIndicators`` and the Catena-X PCF
Rulebook) and ``primary data`` (``yes`` / ``no``: the companies of the chain's own data). The four
go together: an exchange is rated with all four or none. :func:`read_rating` checks them for
:mod:`lca.inventory`; the tool writes them to Brightway under the same keys (as bw2io's
ExcelImporter does with extra columns).

Results. A result's burden enters through (a) the biosphere exchanges of foreground activities and
(b) the technosphere inputs of foreground activities from a background database (one that uses
no other inventory database and that another uses: ``cfp_background``). Their contributions,
supply x amount x characterisation factor for (a) and supply x amount x cumulative unit score of
the provider for (b), sum to the total. A (b) contribution is rated by combining the input's own
rating with the provider's: per indicator the worse (larger) of the exchange's rating and the
provider's contribution-weighted rating of the biosphere exchanges of its whole (background)
supply chain; it is primary data only to the extent that both are (Pathfinder Framework v2: the
primary data share rests on both the activity data and the emission factor). Over a result:

* ``technological``, ``geographical``, ``temporal``: the averages of the rated contributions'
  ratings, weighted by their absolute contributions; ``dqr`` their mean;
* ``primary_data_share``: the share of the result from contributions flagged primary;
* ``coverage``: the share of the result that carries ratings.

Shares are of the sum of absolute contributions (the total, unless a credit is involved). Every
contribution is assessed, not only those above 5 % of the total: ``coverage`` says how much of
the result the ratings cover (PACT v2 ``coveragePercent``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RATING_COLUMNS", "PRIMARY_COLUMN", "QUALITY_COLUMNS", "DataQuality", "read_rating", "Analysis",
           "comparison_quality", "footprint_quality", "quality_line", "background_databases"]

from lca.brightway.exchange_parts import expanded
from lca.inventory.ratings import PRIMARY_COLUMN, QUALITY_COLUMNS, RATING_COLUMNS, read_rating
from lca.inventory.ratings import stored_rating as _stored_rating
from lca.inventory.site_rows import is_site

# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataQuality:
    """Weighted data-quality rating of one result (1 good .. 3 poor) and its primary data share.

    Shares are fractions (0 to 1); ``as_dict`` gives percentages, as PACT does.
    """

    technological: float | None  # PACT technologicalDQR
    geographical: float | None  # PACT geographicalDQR
    temporal: float | None  # PACT temporalDQR
    primary_data_share: float  # PACT primaryDataShare / 100
    coverage: float  # PACT coveragePercent / 100
    rated_exchanges: int = 0  # contributing exchanges that carry ratings
    exchanges: int = 0  # contributing exchanges

    @property
    def dqr(self) -> float | None:
        """The mean of the three ratings (None without ratings)."""
        parts = (self.technological, self.geographical, self.temporal)
        return None if any(p is None for p in parts) else sum(parts) / 3

    def as_dict(self) -> dict:
        def rating(value):
            return None if value is None else round(value, 3)

        return {"dqr": rating(self.dqr), "technological_dqr": rating(self.technological),
                "geographical_dqr": rating(self.geographical), "temporal_dqr": rating(self.temporal),
                "primary_data_share_percent": round(100 * self.primary_data_share, 2),
                "coverage_percent": round(100 * self.coverage, 2),
                "rated_exchanges": self.rated_exchanges, "contributing_exchanges": self.exchanges}


def quality_line(quality: DataQuality | None) -> str:
    """``data quality: DQR 2.1 (TeR 2.0, GeR 2.3, TiR 1.9), primary data 0 %, coverage 100 %``."""
    if quality is None:
        return ""
    share = f"primary data {100 * quality.primary_data_share:.0f} %, coverage {100 * quality.coverage:.0f} %"
    if quality.dqr is None:
        return f"data quality: no rated exchange contributes ({share})"
    return (f"data quality: DQR {quality.dqr:.1f} (TeR {quality.technological:.1f}, GeR {quality.geographical:.1f}, "
            f"TiR {quality.temporal:.1f}), {share}")


@dataclass(frozen=True)
class _Vector:
    """Contributions of the foreground items to one result, and what they leave unexplained."""

    values: np.ndarray
    total: float

    def __add__(self, other: _Vector) -> _Vector:
        return _Vector(self.values + other.values, self.total + other.total)

    def __mul__(self, factor: float) -> _Vector:
        return _Vector(self.values * factor, self.total * factor)

    __rmul__ = __mul__


def background_databases(bd, databases) -> frozenset[str]:
    """The inventory databases that use no other inventory database and that another one uses."""
    databases = tuple(databases)
    depends = {name: set(bd.databases[name].get("depends", ())) & set(databases) - {name} for name in databases}
    used = set().union(*depends.values()) if depends else set()
    return frozenset(name for name in databases if not depends[name] and name in used)


NOISE = 1e-12  # contributions below this share of a result are round-off of the solve, not exchanges


class Analysis:
    """The rated contributions of one loaded, factorised, characterised LCA (lca.calculate._lca_for)."""

    def __init__(self, bd, lca, databases, changes=None):
        from bw2data.backends import ActivityDataset, ExchangeDataset

        self.lca = lca
        databases = tuple(databases)
        background = background_databases(bd, databases)
        ids = {(a.database, a.code): a.id for a in
               ActivityDataset.select(ActivityDataset.id, ActivityDataset.database, ActivityDataset.code)
               .where(ActivityDataset.database << list(databases))}
        exchanges = list(ExchangeDataset.select().where(ExchangeDataset.output_database << list(databases)))
        flows = {(e.input_database, e.input_code) for e in exchanges if e.type == "biosphere"}
        if flows:
            ids.update({(a.database, a.code): a.id for a in
                        ActivityDataset.select(ActivityDataset.id, ActivityDataset.database, ActivityDataset.code)
                        .where((ActivityDataset.code << sorted({code for _, code in flows}))
                               & (ActivityDataset.database << sorted({db for db, _ in flows})))})
        amounts = dict(changes.amounts) if changes is not None else {}
        self.cf = np.asarray(lca.characterization_matrix.diagonal()).ravel()
        self.direct = np.asarray((lca.characterization_matrix @ lca.biosphere_matrix).sum(axis=0)).ravel()
        biosphere, technosphere = lca.biosphere_matrix.tocsr(), lca.technosphere_matrix.tocsr()
        rows_of = {"biosphere": lca.dicts.biosphere, "technosphere": lca.dicts.product}
        node_of_row = {row: node for node, row in lca.dicts.product.items()}

        # every exchange that sits in a matrix cell; cells shared by several exchanges are split by amount
        cells: dict[tuple, list] = {}  # cell -> [(exchange data, amount)]
        databases_of: dict[tuple, tuple[str, str]] = {}  # cell -> (its activity's database, its input's)
        for e in exchanges:
            if e.type not in ("biosphere", "technosphere", "substitution"):
                continue
            output, source = ids.get((e.output_database, e.output_code)), ids.get((e.input_database, e.input_code))
            matrix = "biosphere" if e.type == "biosphere" else "technosphere"
            if output not in lca.dicts.activity or source not in rows_of[matrix]:
                continue
            cell = (matrix, rows_of[matrix][source], lca.dicts.activity[output])
            # a merged exchange (lca.brightway.exchange_parts) counts part by part, each with its own rating
            cells.setdefault(cell, []).extend(expanded(e.id, e.data, amounts))
            databases_of.setdefault(cell, (e.output_database, e.input_database))
        self._databases_of = databases_of
        self._background_items = self._items(cells, biosphere, technosphere, background, node_of_row, inside=True)
        self._unit: dict[int, tuple[float, tuple]] = {}
        raw = self._items(cells, biosphere, technosphere, background, node_of_row, inside=False)
        foreground = [name for name in databases if name not in background]
        sites = {a.id for a in ActivityDataset.select(ActivityDataset.id, ActivityDataset.data)
                 .where(ActivityDataset.database << foreground) if is_site(a.data.get)}
        self._raw_items = _through_sites(raw, cells, technosphere, sites, lca.dicts)
        self.columns = np.array([i[0] for i in self._raw_items], dtype=int)

    def _items(self, cells, biosphere, technosphere, background, node_of_row, *, inside: bool):
        """(column, factor, rating, provider) per exchange: biosphere exchanges of the background activities
        (``inside``), or those of the foreground and its inputs from the background (not ``inside``)."""
        items = []
        for (matrix, row, column), group in cells.items():
            database, input_database = self._databases_of[(matrix, row, column)]
            if (database in background) != inside:
                continue
            provider = None
            if matrix == "biosphere":
                value = float(biosphere[row, column]) * self.cf[row]
            else:
                provider = node_of_row[row]
                if inside or input_database not in background:
                    continue  # inputs within the foreground (or within the background) carry no burden of their own
                value = -float(technosphere[row, column])  # inputs are negative in the matrix
            written = sum(abs(amount) for _, amount in group)
            for data, amount in group:
                share = abs(amount) / written if written else 1.0 / len(group)
                items.append((column, value * share, _stored_rating(data), provider))
        return items

    def _provider(self, node: int) -> tuple[float, tuple]:
        """(unit score, (rated share, (TeR, GeR, TiR), primary share)) of a background provider, from the
        biosphere exchanges of its whole supply chain weighted by their contributions."""
        if node not in self._unit:
            if not hasattr(self, "_bg"):
                items = self._background_items
                rated = np.array([r is not None for _, _, r, _ in items], dtype=bool)
                table = np.array([r if r is not None else (0.0, 0.0, 0.0, 0.0) for _, _, r, _ in items],
                                 dtype=float).reshape(len(items), 4)
                self._bg = (np.array([c for c, _, _, _ in items], dtype=int),
                            np.array([f for _, f, _, _ in items], dtype=float), rated, table)
            columns, factors, rated, table = self._bg
            self.lca.redo_lci({node: 1})
            supply = self.lca.supply_array
            score = float(self.direct @ supply)
            values = supply[columns] * factors
            weights = np.abs(values)
            whole = float(weights.sum()) + abs(score - float(values.sum()))
            w = weights * rated
            if whole == 0 or w.sum() == 0:
                self._unit[node] = (score, (0.0, (0.0, 0.0, 0.0), 0.0))
            else:
                average = tuple(float(x) for x in (w @ table[:, :3]) / w.sum())
                self._unit[node] = (score, (float(w.sum()) / whole, average, float(w @ table[:, 3]) / whole))
        return self._unit[node]

    def vector(self, node: int) -> _Vector:
        """The contributions to one unit of ``node``."""
        self._resolve()
        self.lca.redo_lci({node: 1})
        supply = self.lca.supply_array
        return _Vector(supply[self.columns] * self.scaled, float(self.direct @ supply))

    def _resolve(self) -> None:
        """Scale the background inputs by their providers' unit scores and give every item its
        (rated share, ratings, primary share)."""
        if hasattr(self, "scaled"):
            return
        unrated = (0.0, (0.0, 0.0, 0.0), 0.0)
        scaled, resolved = [], []
        for _column, factor, rating, provider in self._raw_items:
            if provider is None:  # a biosphere exchange of the foreground: its own rating
                scaled.append(factor)
                resolved.append(unrated if rating is None else (1.0, tuple(rating[:3]), rating[3]))
                continue
            # an input from the background: per indicator the worse of its own and its provider's rating
            score, (share, average, primary_share) = self._provider(provider)
            scaled.append(factor * score)
            if rating is None or share == 0:
                resolved.append(unrated)
            else:
                worse = tuple(max(float(mine), theirs) for mine, theirs in zip(rating[:3], average, strict=True))
                resolved.append((share, worse, rating[3] * primary_share))
        count = len(resolved)
        self.scaled = np.array(scaled, dtype=float)
        self.rated = np.array([r[0] for r in resolved], dtype=float)
        self.ratings = np.array([r[1] for r in resolved], dtype=float).reshape(count, 3)
        self.primary = np.array([r[2] for r in resolved], dtype=float)

    def quality(self, vector: _Vector) -> DataQuality:
        """The weighted ratings, primary data share and coverage of one result."""
        weights = np.abs(vector.values)
        whole = float(weights.sum()) + abs(vector.total - float(vector.values.sum()))
        rated = weights * self.rated
        # an exchange contributes when its share is above round-off (a route at 0 % share solves to ~1e-18)
        material = weights > NOISE * whole
        contributing = int(material.sum())
        counted = int((material & (self.rated > 0)).sum())
        if whole == 0:
            return DataQuality(None, None, None, 0.0, 0.0, counted, contributing)
        primary = float(weights @ self.primary) / whole
        if rated.sum() == 0:
            return DataQuality(None, None, None, primary, 0.0, counted, contributing)
        averages = (rated @ self.ratings) / rated.sum()
        return DataQuality(float(averages[0]), float(averages[1]), float(averages[2]), primary,
                           float(rated.sum()) / whole, counted, contributing)


def _worse(mine, theirs):
    """Per indicator the worse (larger) of two ratings, primary only as far as both are; None if one is unrated."""
    if mine is None or theirs is None:
        return None
    return (*(max(float(a), float(b)) for a, b in zip(mine[:3], theirs[:3], strict=True)), min(mine[3], theirs[3]))


def _through_sites(items, cells, technosphere, sites, dicts):
    """The items of a site's exchanges moved to the activities that draw on the site (lca.inventory.site_rows).

    A site only splits its consumers' input between regions: the quantity drawn, and how well it is known,
    is the consumer's exchange (e.g. a part's kWh), the site's own exchanges hold the split. So each item at
    a site becomes one item per consumer exchange, its factor times what the consumer draws per unit of the
    site, rated per indicator the worse of the two exchanges. The site's supply is what its consumers draw
    (a site is no functional unit), so the contributions still sum to the result.
    """
    columns = {dicts.activity[s]: dicts.product[s] for s in sites if s in dicts.activity and s in dicts.product}
    site_of_row = {row: column for column, row in columns.items()}
    drawn: dict[int, list] = {}  # site column -> [(consumer column, amount per unit of the site, rating)]
    for (matrix, row, column), group in cells.items():
        site = site_of_row.get(row) if matrix == "technosphere" else None
        if site is None or column == site:
            continue
        per = -float(technosphere[row, column]) / float(technosphere[row, site])
        written = sum(abs(amount) for _, amount in group)
        for data, amount in group:
            share = abs(amount) / written if written else 1.0 / len(group)
            drawn.setdefault(site, []).append((column, per * share, _stored_rating(data)))
    for _ in range(len(drawn)):  # a site drawing on a site moves on in the next pass
        if not any(item[0] in drawn for item in items):
            break
        items = [moved for column, factor, rating, provider in items for moved in
                 ([(consumer, factor * per, _worse(rating, theirs), provider)
                   for consumer, per, theirs in drawn[column]] if column in drawn
                  else [(column, factor, rating, provider)])]
    return items


# --- per command ---------------------------------------------------------------------------


def comparison_quality(bd, model, results, method, changes, databases) -> list[dict[str, DataQuality]]:
    """For each Comparison of ``model`` in ``results`` (one per recycling allocation, same parameters), the
    data quality of each route and blend: ``{route or blend id: DataQuality}``.

    The routes, bases, blends and allocations are combined exactly as :func:`lca.calculate.compare` combines
    their stages: a blend is (1 - x) reference + x alternative, an allocated recycled route alpha x its own
    + beta x the primary route, and a route on a basis the basis's own part + the supply mix per basis unit
    x the route.
    """
    from lca.analysis.calculate import _lca_for

    if not results:
        return []
    nodes = {r.id: r.node_id for r in model.routes}
    bases = {b.id: b.node_id for b in model.bases}
    demand = list(nodes.values()) + list(bases.values())
    analysis = Analysis(bd, _lca_for(bd, demand, method, changes), databases, changes)
    out = []
    for result in results:
        reference, alternative = (r.id for r in result.routes)
        ref, alt = analysis.vector(nodes[reference]), analysis.vector(nodes[alternative])
        if result.allocation is not None:
            alt = result.allocation.apply(alt, ref)
        own, factor = None, 1.0
        if result.basis in bases and model.supply_node is not None:
            basis = analysis.vector(bases[result.basis])
            analysis.lca.redo_lci({bases[result.basis]: 1})
            factor = float(analysis.lca.supply_array[analysis.lca.dicts.activity[model.supply_node]])
            own = basis + analysis.vector(model.supply_node) * (-factor)
        per = {}
        for route_id, vector in ((reference, ref), (alternative, alt)):
            per[route_id] = vector if own is None else own + vector * factor
        for blend in result.blends:
            mixed = ref * (1 - blend.share) + alt * blend.share
            per[blend.id] = mixed if own is None else own + mixed * factor
        out.append({key: analysis.quality(vector) for key, vector in per.items()})
    return out


def footprint_quality(bd, products, comparisons, scenario, method, changes, transforms,
                      databases) -> dict[str, DataQuality]:
    """The data quality of each product's footprint under ``scenario``, on the matrices that
    :func:`lca.footprint.footprints` solves (same allocation transforms, same supply mixes)."""
    from lca.analysis.calculate import _lca_for
    from lca.analysis.footprint import _apply, _weights
    from lca.subjects.allocation import apply_transforms

    supplies = [m.supply_node for m in comparisons.values() if m.supply_node is not None]
    lca = _lca_for(bd, [p.node_id for p in products] + supplies, method, changes)
    apply_transforms(lca, transforms)
    _apply(lca, _weights(comparisons, scenario))
    analysis = Analysis(bd, lca, databases, changes)
    return {p.id: analysis.quality(analysis.vector(p.node_id)) for p in products}
