"""The shipped cobalt and lithium comparisons (cfp_cobalt, cfp_lithium, and the cobalt rows of
cfp_nickel), recomputed by hand.

Molar masses are typed here from the IUPAC 2021 abridged atomic weights, independently of the
workbooks. Recycled cobalt is the co-product side of the recycled nickel route's Niihama
refining, in cfp_nickel with cfp_nickel's own parameters (no copies): its amounts and results are
checked against the nickel route's, by hand, also after a --set and a scenario.
"""

from __future__ import annotations

import pytest

from lca.inventory.formulas import ParameterSpec, compile_formula, evaluate_formula, evaluate_parameters
from lca.inventory.load import load_inventory
from lca.paths import shipped_inventories

CO, NI, LI, OX, H, S, C = 58.933, 58.693, 6.94, 15.999, 1.008, 32.06, 12.011
H2O = 2 * H + OX
COSO4_7H2O = CO + S + 4 * OX + 7 * H2O  # 281.09
LIOH_H2O = LI + OX + H + H2O  # 41.96
LI2CO3 = 2 * LI + C + 3 * OX  # 73.89
CO2 = C + 2 * OX  # 44.01

NI_HYDRO = "nickel sulfate, battery grade, from recycled alloy"
CO_HYDRO = "cobalt sulfate, battery grade, from recycled alloy"


@pytest.fixture(scope="module")
def inventory():
    return load_inventory(shipped_inventories())


def _database(inventory, name):
    (db,) = [d for d in inventory.databases if d.name == name]
    return db


def _parameters(inventory, name):
    return {p.name: p.amount for p in _database(inventory, name).parameters}


def _activity(inventory, database, name):
    (found,) = [a for a in inventory.activities.values() if a.database == database and a.name == name]
    return found


def _totals(result):
    return {r["id"]: r["total"] for r in result["routes"]}


def _recycled(result):
    return _totals(result)["recycled"]


def _co_per_ni(x_co, x_ni):
    return x_co * CO / (x_ni * NI)  # t Co per t Ni in the scrap (= in the refinery's products)


def _econ_alloc(p, co_per_ni):
    """Nickel's economic share of the joint refining, by hand from the 2022 prices."""
    return p["price_ni_2022"] / (p["price_ni_2022"] + co_per_ni * p["price_co_2022"])


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


def test_the_cobalt_comparison_spans_two_workbooks_without_copies(inventory):
    """cfp_cobalt holds the primary route only; the recycled route, the supply mix and the
    heptahydrate basis are in cfp_nickel, which draws on cfp_cobalt (never the other way)."""
    activities = inventory.activities
    cobalt = _database(inventory, "cfp_cobalt")
    routes = {a.meta("route"): a.database for a in activities.values() if a.meta("comparison") == "cobalt"}
    assert routes == {"primary": "cfp_cobalt", "recycled": "cfp_nickel"}
    (supply,) = [a for a in activities.values() if a.meta("supply of") == "cobalt"]
    (basis,) = [a for a in activities.values() if a.meta("basis of") == "cobalt"]
    assert supply.database == basis.database == "cfp_nickel"
    assert {a.name for a in cobalt.activities} == {"cobalt sulfate, primary route",
                                                    "cobalt in cobalt sulfate heptahydrate, primary"}
    assert all(e.input[0] in ("cfp_cobalt", "cfp_background") for a in cobalt.activities for e in a.exchanges)
    names = {p.name for p in cobalt.parameters}
    assert not [n for n in names if n.startswith("loop_")]
    # only molar masses and the heptahydrate conversion: nothing of the recycled loop is copied
    assert names == {"m_co", "m_o", "m_h", "m_s", "m_so4", "m_h2o", "m_coso4", "m_coso4_7h2o",
                     "coso4_7h2o_kg_per_t_co"}


def test_recycled_cobalt_is_the_nickel_refining_with_the_complement_of_its_factor(inventory):
    """Every exchange of the cobalt co-product activity = the nickel activity's exchange per t Ni
    / hydro_alloc x (1 - hydro_alloc) / (t Co per t Ni), with the nickel parameters by name."""
    p = _parameters(inventory, "cfp_nickel")
    nickel, cobalt = _activity(inventory, "cfp_nickel", NI_HYDRO), _activity(inventory, "cfp_nickel", CO_HYDRO)
    pyro = _activity(inventory, "cfp_nickel", "nickel in alloy, from scrap smelting at Toyo")
    assert nickel.meta("allocation factor") == "hydro_alloc"
    assert cobalt.meta("allocation factor") == "co_hydro_share" and cobalt.meta("co-products")
    assert (cobalt.meta("comparison"), cobalt.meta("route"), cobalt.meta("stage")) == (
        "cobalt", "recycled", "hydrometallurgy")
    co_per_ni = _co_per_ni(p["x_co"], p["x_ni"])
    assert p["hydro_co_per_ni"] == pytest.approx(co_per_ni, rel=1e-9) and co_per_ni == pytest.approx(0.1027, abs=1e-4)
    alloc = _econ_alloc(p, co_per_ni)  # economic by default
    assert p["hydro_alloc"] == pytest.approx(alloc, rel=1e-9)
    assert p["co_hydro_share"] == pytest.approx(1 - alloc, rel=1e-9)
    ni_inputs = {e.input: e for e in nickel.exchanges if e.type != "production"}
    co_inputs = {e.input: e for e in cobalt.exchanges if e.type != "production"}
    assert set(co_inputs) == set(ni_inputs)  # the same inputs, the alloy from the nickel route's smelter
    assert (pyro.database, pyro.code) in co_inputs
    for key, exchange in co_inputs.items():
        assert exchange.amount == pytest.approx(ni_inputs[key].amount / alloc * (1 - alloc) / co_per_ni, rel=1e-9)
        assert compile_formula(exchange.formula).names <= set(p), exchange.formula  # cfp_nickel's own names
        assert exchange.formula.endswith("* co_hydro_share / hydro_co_per_ni")
        assert exchange.formula.removesuffix("* co_hydro_share / hydro_co_per_ni").strip() == \
            ni_inputs[key].formula.removesuffix("* hydro_alloc").strip()
    # the alloy per t Co by hand: 1 / 0.95 x 0.2413 / 0.1027 = 2.473 t Ni in alloy
    assert co_inputs[(pyro.database, pyro.code)].amount == pytest.approx(
        1 / p["hydro_ni_recovery"] * (1 - alloc) / co_per_ni, rel=1e-9)


@pytest.mark.parametrize("flags, expected", [((0, 0), 0.0), ((1, 0), None)], ids=["none", "mass"])
def test_the_cobalt_share_under_the_other_approaches(inventory, flags, expected):
    """Evaluated from the workbook's formulas with the flags set: under 'none' cobalt carries nothing,
    by mass 1 - 1 / (1 + Co:Ni)."""
    nickel = _database(inventory, "cfp_nickel")
    specs = [ParameterSpec(q.name, q.amount, q.formula) for q in nickel.parameters
             if q.name not in ("byproduct_mass", "byproduct_economic")]
    values, failures = evaluate_parameters(specs, {"byproduct_mass": flags[0], "byproduct_economic": flags[1]})
    assert not failures
    co_per_ni = _co_per_ni(values["x_co"], values["x_ni"])
    share = expected if expected is not None else 1 - 1 / (1 + co_per_ni)
    assert values["co_hydro_share"] == pytest.approx(share, abs=1e-15)
    cobalt = _activity(inventory, "cfp_nickel", CO_HYDRO)
    for exchange in cobalt.exchanges:
        if exchange.type != "production":
            amount = evaluate_formula(exchange.formula, values)
            assert (amount == 0.0) if expected == 0.0 else amount > 0


@pytest.mark.parametrize("approach", ["economic", "mass"])
def test_cobalt_carries_what_the_nickel_allocation_leaves(inventory, compare, approach):
    """Nickel per t Ni + cobalt per t Co x (t Co per t Ni) = the joint burden (nickel under 'none'),
    stage by stage."""
    p = _parameters(inventory, "cfp_nickel")
    co_per_ni = _co_per_ni(p["x_co"], p["x_ni"])  # Co:Ni of the scrap, 0.1027
    joint = compare[("nickel", "none")]["routes"][1]["stages"]
    nickel = compare[("nickel", approach)]["routes"][1]["stages"]
    cobalt = compare[("cobalt", approach)]["routes"][1]["stages"]
    assert list(cobalt) == ["scrap collection and transport", "pyrometallurgy", "hydrometallurgy"]
    for stage in cobalt:  # no burden lost, none counted twice
        assert nickel[stage] + cobalt[stage] * co_per_ni == pytest.approx(joint[stage], rel=1e-4), stage
    total = _recycled(compare[("cobalt", approach)])
    assert sum(cobalt.values()) == pytest.approx(total, rel=1e-5)
    if approach == "economic":  # cobalt's share = its value share, by hand from the 2022 prices
        value_co = co_per_ni * p["price_co_2022"]
        assert total * co_per_ni / sum(joint.values()) == pytest.approx(value_co / (p["price_ni_2022"] + value_co),
                                                                        rel=1e-4)
        # = recycled nickel x (1 - alloc) / (alloc x Co:Ni): 2,641.6 x 0.2413 / (0.7587 x 0.1027) = 8,181
        alloc = _econ_alloc(p, co_per_ni)
        assert total == pytest.approx(_recycled(compare[("nickel", approach)]) * (1 - alloc) / (alloc * co_per_ni),
                                      rel=1e-5)
        assert total == pytest.approx(8181.2, abs=0.1)  # the value of the copies before (docs/cobalt-lithium.md)
    else:  # by mass a tonne of Co carries what a tonne of Ni does
        assert total == pytest.approx(_recycled(compare[("nickel", approach)]), rel=1e-5)


@pytest.mark.parametrize("name, value", [("hydro_ni_recovery", 0.9), ("pyro_elec_kwh_per_t", 600),
                                         ("price_co_2022", 50000)])
def test_a_nickel_parameter_set_reaches_recycled_cobalt(inventory, compare, run, name, value):
    """The nickel parameters are used directly: a --set moves recycled cobalt as it moves nickel,
    recycled cobalt = recycled nickel x (1 - alloc) / (alloc x Co:Ni) with the value set."""
    p = _parameters(inventory, "cfp_nickel") | {name: value}
    setting = ("--set", f"cfp_nickel.{name}={value}")
    cobalt = _recycled(run.json("compare", "cobalt", *setting))
    nickel = _recycled(run.json("compare", "nickel", *setting))
    assert cobalt != pytest.approx(_recycled(compare[("cobalt", "economic")]), rel=1e-3)  # it moved
    co_per_ni = _co_per_ni(p["x_co"], p["x_ni"])
    alloc = _econ_alloc(p, co_per_ni)
    assert cobalt == pytest.approx(nickel * (1 - alloc) / (alloc * co_per_ni), rel=1e-5)


def test_the_nmc811_scenario_reaches_recycled_cobalt(inventory, compare, run):
    """x_co and x_ni of the scenario change the Co:Ni of the scrap, the allocation and the amounts."""
    p = _parameters(inventory, "cfp_nickel")
    cobalt = _recycled(run.json("compare", "cobalt", "--scenario", "nmc811"))
    nickel = _recycled(run.json("compare", "nickel", "--scenario", "nmc811"))
    co_per_ni = _co_per_ni(0.1, 0.8)  # NMC811: x_co 0.1, x_ni 0.8 (inventories/scenarios/nmc811.yaml)
    assert co_per_ni == pytest.approx(0.1255, abs=1e-4)
    alloc = _econ_alloc(p, co_per_ni)
    assert cobalt == pytest.approx(nickel * (1 - alloc) / (alloc * co_per_ni), rel=1e-5)
    assert cobalt != pytest.approx(_recycled(compare[("cobalt", "economic")]), rel=1e-3)


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


def test_the_heptahydrate_basis_is_the_supply_mix_by_molar_mass(compare, run):
    per_t_co = _totals(compare[("cobalt", "economic")])
    per_salt = _totals(run.json("compare", "cobalt", "--basis", "coso4-heptahydrate"))
    for route, total in per_t_co.items():
        assert per_salt[route] == pytest.approx(total * CO / COSO4_7H2O, rel=1e-4)  # 0.2097 t Co per t salt


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
    (cobalt,) = [e for e in pcam.exchanges if activities[e.input].meta("supply of") == "cobalt"]
    assert cobalt.input[0] == "cfp_nickel"
    supply = activities[cobalt.input]
    shares = {activities[e.input].meta("route"): (e.input[0], e.formula) for e in supply.exchanges
              if e.type != "production"}
    assert shares == {"primary": ("cfp_cobalt", "1 - co_recycled_share"),
                      "recycled": ("cfp_nickel", "co_recycled_share")}
    assert p["co_recycled_share"] == 0 and supply.meta("report shares") == "0; 0.2; 1"
    assert not supply.meta("conventional supply") and not supply.meta("chosen supply")
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
