"""Freight amounts show their basis (lca.transport), and every shipped t-km amount is
recomputed here from its distance and its mass basis.

The table below is written by hand from the workbooks' comments and parameters: distance in km
times the tonnes carried per unit of the activity. A new freight exchange in a shipped workbook
fails the test until it is added to the table.
"""

from __future__ import annotations

import pytest

from lca.errors import CellRef
from lca.inventory.formulas import compile_formula
from lca.inventory.load import load_inventory
from lca.inventory.model import Activity, Database, Exchange, Inventory, ParameterValue
from lca.inventory.transport import transport_problems
from lca.paths import shipped_inventories


@pytest.fixture(scope="module")
def shipped():
    inventory = load_inventory(shipped_inventories(), check_solvable=False)
    values = {db.name: {p.name: p.amount for p in db.parameters} for db in inventory.databases}
    return inventory, values  # per database: copper and nickel both have a scrap_truck_km


def _copper_sea(country):
    def basis(v):
        share = v[f"share_{country}"] / sum(v[f"share_{c}"] for c in ("cl", "pe", "id", "ca", "au"))
        return v[f"dist_{country}"], share / v["conc_grade"]  # t of concentrate per t Cu, on this leg
    return basis


def _copper_inland(mode, country):
    def basis(v):
        share = v[f"share_{country}"] / sum(v[f"share_{c}"] for c in ("cl", "pe", "id", "ca", "au"))
        return v[f"inland_{mode}_{country}_km"], share / v["conc_grade"]  # t of concentrate per t Cu, mine to port
    return basis


def _mine_supplies(v):
    """Explosives, grinding media, lime and reagents per t Cu in concentrate (t), trucked to the mine."""
    per_t_ore = (v["explosive_kg_per_t_material"] * (1 + v["stripping_ratio"]) + v["grinding_media_kg_per_t_ore"]
                 + v["lime_kg_per_t_ore"] + v["flotation_reagents_kg_per_t_ore"])
    return v["mine_supplies_truck_km"], 0.001 * per_t_ore / (v["ore_grade"] * v["mill_recovery"])


# (database, activity, first distance parameter of its formula, alphabetically) -> basis(values)
# = (km, t carried per unit of the activity)
BASES = {
    ("cfp_background", "sulfur, elemental, delivered", "sulfur_sea_km"): lambda v: (v["sulfur_sea_km"], 0.001),
    **{("cfp_copper", "copper concentrate, delivered to Japanese smelter", f"dist_{c}"): _copper_sea(c)
       for c in ("cl", "pe", "id", "ca", "au")},
    **{("cfp_copper", "copper concentrate, delivered to Japanese smelter", f"inland_{m}_{c}_km"): _copper_inland(m, c)
       for m, c in (("truck", "cl"), ("truck", "pe"), ("rail", "pe"), ("truck", "id"), ("rail", "ca"),
                    ("rail", "au"))},
    ("cfp_copper", "copper in concentrate, at mine", "mine_supplies_truck_km"): _mine_supplies,
    ("cfp_copper", "blister copper, from concentrate", "flux_truck_km"):  # silica flux, allocated with the smelter
        lambda v: (v["flux_truck_km"],
                   0.001 * v["silica_flux_kg_per_t_cu"] / v["smelter_cu_recovery"] * v["smelt_alloc"]),
    ("cfp_copper", "copper scrap, delivered to smelter", "scrap_truck_km"):
        lambda v: (v["scrap_truck_km"], 1 / v["scrap_cu_content"]),  # t scrap per t Cu contained
    ("cfp_nickel", "nickel in mixed sulfide precipitate, delivered to Niihama", "dist_cbnc"):
        lambda v: (v["share_thpal"] * v["dist_thpal"] + (1 - v["share_thpal"]) * v["dist_cbnc"],
                   v["hpal_ph_alloc"] / v["msp_ni_content"]),  # t MSP per t Ni, allocated with the HPAL plant
    ("cfp_nickel", "nickel sulfate from Indonesia, delivered to Japan", "dist_id_jp"):
        lambda v: (v["dist_id_jp"], v["ni_hex_per_t_ni"] / 1000),  # t NiSO4.6H2O per t Ni
    ("cfp_nickel", "nickel in cathode production scrap, delivered to Toyo smelter", "scrap_truck_km"):
        lambda v: (v["scrap_truck_km"], 1 / v["scrap_ni_content"]),  # t scrap per t Ni
}


def _freight(inventory):
    for database in inventory.databases:
        for activity in database.activities:
            for exchange in activity.exchanges:
                if exchange.type == "technosphere" and exchange.unit == "ton kilometer":
                    yield database.name, activity, exchange


def test_every_shipped_freight_amount_is_distance_times_mass(shipped):
    inventory, values = shipped
    seen = set()
    for database, activity, exchange in _freight(inventory):
        distances = sorted(n for n in compile_formula(exchange.formula).names if n.startswith(("dist_", "sulfur_sea"))
                           or n.endswith("_km"))
        key = (database, activity.name, distances[0])
        assert key in BASES, f"{key}: a freight exchange without a basis in this test; add it to BASES"
        km, tonnes = BASES[key](values[database])
        assert exchange.amount == pytest.approx(km * tonnes, rel=1e-9), key
        seen.add(key)
    assert seen == set(BASES)


def test_sulfur_is_carried_3000_km_per_kg_as_3_tkm(shipped):
    """The review's case: 1 kg of sulfur over 3,000 km is 0.001 t x 3,000 km = 3 t-km (it read 0.003)."""
    inventory, values = shipped
    (exchange,) = [e for db, a, e in _freight(inventory) if a.name == "sulfur, elemental, delivered"]
    assert values["cfp_background"]["sulfur_sea_km"] == 3000 and exchange.amount == pytest.approx(3.0)


# -- the rule, on hand-written inventories ------------------------------------------------------

def _inventory(exchange: Exchange, parameters=()) -> Inventory:
    activity = Activity("db", "a", "sulfur, delivered", "GLO", "kilogram", "sulfur", CellRef("x.xlsx"),
                        exchanges=(exchange,))
    return Inventory(folder=None, databases=(Database("db", None, (), tuple(parameters), (activity,)),))


def _freight_exchange(amount, formula=None, comment=""):
    return Exchange("technosphere", ("db", "ship"), amount, "ton kilometer", CellRef("x.xlsx", "inventory", 9, "A"),
                    formula=formula, comment=comment, name="transport, ship")


KM = ParameterValue("sea_km", 3000.0, None, "km", "estimate")
SHARE = ParameterValue("payload", 0.001, None, "t per kg", "derived")


@pytest.mark.parametrize(("exchange", "parameters"), [
    (_freight_exchange(3.0, "sea_km * 0.001"), (KM,)),
    (_freight_exchange(3.0, "sea_km * payload"), (KM, SHARE)),
    (_freight_exchange(3.0, "sea * 0.001"), (ParameterValue("sea", 3000.0, None, "kilometre", "estimate"),)),
    (_freight_exchange(3.0, comment="derived: 0.001 t x 3,000 km = 3 t-km"), ()),
    (_freight_exchange(3.0, comment="3,000 km x 0.001 t"), ()),
], ids=["formula", "formula-two-parameters", "kilometre-unit", "comment-t-x-km", "comment-km-x-t"])
def test_a_visible_basis_passes(exchange, parameters):
    assert transport_problems(_inventory(exchange, parameters)) == []


@pytest.mark.parametrize(("exchange", "parameters", "text"), [
    (_freight_exchange(0.003, comment="derived: 0.001 t x 3,000 km = 0.003 t-km"), (),
     "its comment's mass x distance gives 3"),
    (_freight_exchange(3.0), (), "is a bare number"),
    (_freight_exchange(3.0, comment="3,000 km by sea"), (), "is a bare number"),
    (_freight_exchange(3.0, "payload * 3000"), (SHARE,), "uses no distance parameter in km"),
], ids=["the-shipped-error", "bare", "distance-without-mass", "formula-without-distance"])
def test_a_hidden_or_wrong_basis_is_a_located_problem(exchange, parameters, text):
    (problem,) = transport_problems(_inventory(exchange, parameters))
    assert text in problem.message and str(problem.where) == "x.xlsx, sheet 'inventory', row 9, column A"
    assert "distance x mass" in problem.hint
