"""The shipped cobalt and lithium comparisons (cfp_cobalt, cfp_lithium), recomputed by hand.

Molar masses are typed here from the IUPAC 2021 abridged atomic weights, independently of the
workbooks; the allocation complement is checked against the nickel route's own results.
"""

from __future__ import annotations

import pytest

from lca.inventory.load import load_inventory
from lca.paths import shipped_inventories

CO, NI, LI, OX, H, S, C = 58.933, 58.693, 6.94, 15.999, 1.008, 32.06, 12.011
H2O = 2 * H + OX
COSO4_7H2O = CO + S + 4 * OX + 7 * H2O  # 281.09
LIOH_H2O = LI + OX + H + H2O  # 41.96
LI2CO3 = 2 * LI + C + 3 * OX  # 73.89
CO2 = C + 2 * OX  # 44.01


@pytest.fixture(scope="module")
def inventory():
    return load_inventory(shipped_inventories())


def _database(inventory, name):
    (db,) = [d for d in inventory.databases if d.name == name]
    return db


def _parameters(inventory, name):
    return {p.name: p.amount for p in _database(inventory, name).parameters}


def _totals(result):
    return {r["id"]: r["total"] for r in result["routes"]}


@pytest.fixture(scope="module")
def compare(run):
    return {(what, approach): run.json("compare", what, "--byproducts", approach)
            for what in ("cobalt", "nickel") for approach in ("economic", "mass")} | {
        ("nickel", "none"): run.json("compare", "nickel", "--byproducts", "none"),
        ("lithium", "economic"): run.json("compare", "lithium")}


def test_primary_routes_are_the_background_salts_by_molar_mass(inventory, compare, run):
    bg = _parameters(inventory, "cfp_background")
    cobalt = compare[("cobalt", "economic")]
    assert cobalt["functional_unit"] == "1 metric ton of cobalt, in battery-grade cobalt sulfate"
    # 1 t Co = 1000 x 281.09 / 58.933 = 4,769.7 kg CoSO4.7H2O at 14.99 kg CO2e/kg
    assert _totals(cobalt)["primary"] == pytest.approx(1000 * COSO4_7H2O / CO * bg["coso4_7h2o_co2e"], rel=1e-4)
    lithium = compare[("lithium", "economic")]
    assert _totals(lithium)["primary"] == pytest.approx(1000 * LIOH_H2O / LI * bg["lioh_spod_co2e"], rel=1e-4)
    brine = run.json("compare", "lithium", "--primary-route", "primary-brine")
    assert _totals(brine)["primary-brine"] == pytest.approx(1000 * LIOH_H2O / LI * bg["lioh_brine_co2e"], rel=1e-4)


def test_the_loop_parameters_are_copies_of_the_nickel_ones(inventory):
    nickel = {p.name: p for p in _database(inventory, "cfp_nickel").parameters}
    copies = [p for p in _database(inventory, "cfp_cobalt").parameters if p.name.startswith("loop_")]
    assert len(copies) >= 20
    for copy in copies:
        original = nickel[copy.name.removeprefix("loop_")]
        assert copy.amount == pytest.approx(original.amount, rel=1e-12), copy.name
        assert copy.distribution == original.distribution, copy.name


@pytest.mark.parametrize("approach", ["economic", "mass"])
def test_cobalt_carries_what_the_nickel_allocation_leaves(inventory, compare, approach):
    """Nickel per t Ni + cobalt per t Co x (t Co per t Ni) = the joint burden (nickel under 'none')."""
    p = _parameters(inventory, "cfp_nickel")
    co_per_ni = p["x_co"] * CO / (p["x_ni"] * NI)  # Co:Ni of the scrap, 0.1027
    assert co_per_ni == pytest.approx(0.1027, abs=1e-4)
    joint = _totals(compare[("nickel", "none")])["recycled"]
    nickel = _totals(compare[("nickel", approach)])["recycled"]
    cobalt = _totals(compare[("cobalt", approach)])["recycled"]
    assert nickel + cobalt * co_per_ni == pytest.approx(joint, rel=1e-4)  # no burden lost, none counted twice
    if approach == "economic":  # cobalt's share = its value share, by hand from the 2022 prices
        value_co = co_per_ni * p["price_co_2022"]
        assert cobalt * co_per_ni / joint == pytest.approx(value_co / (p["price_ni_2022"] + value_co), rel=1e-4)
    else:  # by mass a tonne of Co carries what a tonne of Ni does
        assert cobalt == pytest.approx(nickel, rel=1e-4)
    stages = compare[("cobalt", approach)]["routes"][1]["stages"]
    assert list(stages) == ["scrap collection and transport", "pyrometallurgy", "hydrometallurgy"]
    assert sum(stages.values()) == pytest.approx(cobalt, rel=1e-5)


def test_compare_output_blends_and_difference(compare):
    for what in ("cobalt", "lithium"):
        result = compare[(what, "economic")]
        assert [r["id"] for r in result["routes"]] == ["primary", "recycled"]
        primary, recycled = (r["total"] for r in result["routes"])
        assert primary > recycled > 0
        assert result["difference"]["absolute"] == pytest.approx(primary - recycled, rel=1e-5)
        blends = {b["share"]: b["total"] for b in result["blends"]}
        assert list(blends) == [0, 0.2, 1]
        assert blends[0.2] == pytest.approx(0.8 * primary + 0.2 * recycled, rel=1e-5)
        for route in result["routes"] + result["blends"]:
            assert sum(route["stages"].values()) == pytest.approx(route["total"], rel=1e-5)


def test_lithium_recovery_and_conversion_arithmetic(inventory):
    p = _parameters(inventory, "cfp_lithium")
    # Hanna et al. 2025: 0.07235 kg CO2 per kg battery carbonates 0.07235 x 73.89 / 44.01 kg Li2CO3
    li2co3 = 0.07235 * LI2CO3 / CO2
    assert p["li2co3_kg_per_kg_battery"] == pytest.approx(li2co3, rel=1e-4)
    assert p["li_recovery_elec_kwh_per_kg"] == pytest.approx(0.03218 / li2co3, rel=1e-4)
    assert p["li2co3_co2_kg_per_kg"] == pytest.approx(CO2 / LI2CO3, rel=1e-4)
    # Kelly et al. 2021: 1.05 kg Li2CO3 per kg LiOH.H2O -> Li yield of the conversion
    conv_yield = (LI / LIOH_H2O) / (1.05 * 2 * LI / LI2CO3)
    assert p["conv_li_yield"] == pytest.approx(conv_yield, rel=1e-4)
    assert 0.8 < conv_yield < 0.9
    assert p["li_loop_recovery"] == pytest.approx(0.56 * conv_yield, rel=1e-4)


def test_nickel_draws_cobalt_and_lithium_through_the_supply_mixes(inventory):
    """The precursor's cobalt and the CAM's spodumene lithium are per t Co / t Li from the supply mixes;
    converted back, they are the heptahydrate and monohydrate amounts of the stoichiometry."""
    p = _parameters(inventory, "cfp_nickel")
    activities = inventory.activities
    pcam = next(a for a in activities.values() if a.name.startswith("nickel cobalt aluminium hydroxide"))
    cam = next(a for a in activities.values() if a.meta("basis") == "cam")
    (cobalt,) = [e for e in pcam.exchanges if e.input[0] == "cfp_cobalt"]
    assert activities[cobalt.input].meta("supply of") == "cobalt"
    heptahydrate = p["x_co"] * 1000 / p["m_pcam"] * COSO4_7H2O / p["pcam_co_yield"]  # kg per t pCAM
    assert cobalt.amount * 1000 * COSO4_7H2O / CO == pytest.approx(heptahydrate, rel=1e-4)
    lithium = {activities[e.input].meta("supply of") or activities[e.input].meta("route"): e.amount
               for e in cam.exchanges if e.input[0] == "cfp_lithium"}
    assert set(lithium) == {"lithium", "primary-brine"}
    monohydrate = p["li_excess"] * 1000 / p["m_cam"] * LIOH_H2O / p["cam_yield"]  # kg per t CAM
    assert sum(lithium.values()) * 1000 * LIOH_H2O / LI == pytest.approx(monohydrate, rel=1e-4)
    assert lithium["primary-brine"] == pytest.approx(0.0, abs=1e-12)  # lioh_share_brine = 0 by default
    assert not any(e.input[0] == "cfp_background" and "cobalt" in e.input[1] for e in pcam.exchanges)


def test_loop_caps_for_the_lead(inventory):
    """What a 'closed loop' on the cell would cap the recycled shares at: scrap rate x recovery."""
    scrap_rate = _parameters(inventory, "cfp_products")["cathode_scrap_rate"]
    ni = _parameters(inventory, "cfp_nickel")
    li = _parameters(inventory, "cfp_lithium")
    cobalt_cap = scrap_rate * ni["pyro_ni_recovery"] * ni["hydro_ni_recovery"] * ni["pcam_co_yield"] * ni["cam_yield"]
    lithium_cap = scrap_rate * li["li_pyro_recovery"] * li["conv_li_yield"] * ni["cam_yield"]
    assert cobalt_cap == pytest.approx(0.05 * 0.95 * 0.95, rel=1e-9)
    assert lithium_cap == pytest.approx(0.05 * 0.56 * (LI / LIOH_H2O) / (1.05 * 2 * LI / LI2CO3), rel=1e-4)
