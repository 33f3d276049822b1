"""Products are data: an activity with a ``product`` row is a product, its parts are stages.

Metadata rows under the product's ``Activity`` row: ``product`` (an id), ``product label``,
``declared mass (kg)`` and optionally ``mass tolerance`` (default 0.05). The parts are the
activities of the product's database that it draws on, each with a ``stage`` row naming the
part. A specialist adds a product by adding such an activity block; no code changes.

Closed loop (ISO 14044 4.3.4.3): a part whose production scrap is recycled back into the same
product system declares the loop in rows under its ``Activity`` row: ``closed loop`` (the
comparison whose supply mix the recycled material feeds, e.g. the one of the part's active
material), ``loop scrap rate`` (a parameter of the part's database: the share of the material
made that is scrapped, so the part carries ``1 / (1 - rate)`` gross material per good unit),
``loop recovery`` (a formula in the scope of that comparison's recycled route's database: the
recycled material that comes back per unit of it in the gross material) and ``loop other source``
(a parameter of the part's database: a recycled share from a named other source, 0 unless its
source names it). The largest recycled share the loop supplies is rate x recovery + other
(lca.footprint refuses a chosen share above it).

EU Battery Regulation (lca.inventory.regulation_rows, docs/battery-regulation.md): a product with a
``battery regulation`` row (``(EU) 2023/1542``) is under it; each of its parts declares its Annex II
``life-cycle stage``, read here as (stage, life-cycle stage) pairs.

Mass closure: a product's mass is the sum of its inputs in mass units (kilogram, metric ton,
gram), plus, for inputs that are activities of its own database counted per ``unit``, the amount
times that activity's mass, recursively. Energy, transport and services count zero. It must
match the declared mass within the tolerance; otherwise the check reports the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.errors import ComparisonError
from lca.inventory.product_rows import LOOP_ROWS, MASS_UNITS, ClosedLoop, loop_of, product_mass, product_problems
from lca.inventory.regulation_rows import REGULATION_ROW, STAGE_ROW, life_cycle_stage_of
from lca.inventory.route_rows import text as _text
from lca.rules import unknown_name

__all__ = ["Product", "missing_products", "ClosedLoop", "LOOP_ROWS", "MASS_UNITS", "product_mass", "product_problems",
           "list_products", "find_products"]

# the rows that declare a closed loop on a part: (row, what it holds)




@dataclass(frozen=True)
class Product:
    id: str
    label: str
    name: str
    node_id: int
    unit: str
    database: str
    declared_mass_kg: float
    materials_mass_kg: float
    stage_order: tuple[str, ...]
    stages: tuple[tuple[int, str], ...]
    loops: tuple[ClosedLoop, ...] = ()  # closed loops declared on its parts
    regulation: str = ""  # its 'battery regulation' row, e.g. (EU) 2023/1542 (lca.analysis.battery_regulation)
    life_cycle: tuple[tuple[str, str], ...] = ()  # (stage, its parts' 'life-cycle stage') where they declare one

    @property
    def stage_of(self) -> dict[int, str]:
        return dict(self.stages)














def list_products(bd, databases, graph=None) -> dict[str, Product]:
    """All products of the project's inventory databases, in workbook order (``graph``: a
    lca.subjects.routes.ProjectGraph already read)."""
    from lca.inventory.route_rows import reachable
    from lca.subjects.routes import ProjectGraph

    graph = graph or ProjectGraph(bd, databases)
    nodes, technosphere = graph.nodes, graph.technosphere

    found = []
    for key, node in nodes.items():
        product = _text(node.get("product"))
        if not product:
            continue
        members = reachable(key, graph.inputs_of, key[0])
        loops = tuple(loop for m in sorted(members, key=lambda m: nodes[m].get("source row") or 0)
                      if (loop := loop_of(nodes[m].get, nodes[m]["name"], m[0])) is not None)
        staged = sorted(((nodes[m], _text(nodes[m].get("stage"))) for m in members if _text(nodes[m].get("stage"))),
                        key=lambda pair: pair[0].get("source row") or 0)
        found.append((node.get("source row") or 0, Product(
            id=product, label=_text(node.get("product label")), name=node["name"], node_id=node.id,
            unit=node["unit"], database=key[0], declared_mass_kg=float(node.get("declared mass (kg)")),
            materials_mass_kg=product_mass(key, technosphere, lambda k: nodes[k]["unit"]),
            stage_order=tuple(dict.fromkeys(stage for _, stage in staged)),
            stages=tuple((n.id, stage) for n, stage in staged), loops=loops,
            regulation=" ".join(_text(node.get(REGULATION_ROW)).split()),
            life_cycle=tuple(dict.fromkeys((stage, life_cycle_stage_of(n.get(STAGE_ROW))) for n, stage in staged
                                           if life_cycle_stage_of(n.get(STAGE_ROW)))),
        )))
    return {p.id: p for _, p in sorted(found, key=lambda item: (item[1].database, item[0]))}


def find_products(bd, databases, ids) -> list[Product]:
    products = list_products(bd, databases)
    missing_products(products, ids)
    return [products[i] for i in ids]


def missing_products(products: dict, ids) -> None:
    """Refuse product ids that ``products`` does not define."""
    missing = [i for i in ids if i not in products]
    if missing:
        raise ComparisonError(f"{unknown_name('product', missing[0], products)} See `lca products`; a product is an "
                              "activity with a 'product' row.")
