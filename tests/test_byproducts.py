"""By-product (multi-output) allocation (lca.byproducts): none, mass and economic by hand on a tiny
system, and the checks that keep an allocation whole and the same for every workbook.

Tiny system: 1 kg metal from a smelter that also makes 3 kg sulfuric acid.

    electricity (kWh):  0.5 kg CO2
    mine (stage mine):  10 kg CO2 per kg metal in concentrate
    smelt (stage smelt), per kg metal, each exchange x smelt_alloc:
                        1 kg concentrate + 2 kWh + 1 kg CO2         -> unallocated 10 + 1 + 1 = 12
    co-product:         3 kg acid per kg metal; prices metal 8, acid 0.1 per kg
    route A:            the smelter's metal;  route B: remelting, 2 kg CO2 (no co-product)

    none:      f = 1                                          A = 12
    mass:      f = 1 / (1 + 3) = 0.25                         A = 3
    economic:  f = 8 / (8 + 3 x 0.1) = 0.963855...            A = 12 x 8 / 8.3
The stages scale alike: mine = 10 f, smelt = 2 f. Route B stays 2 under every approach.
"""

from __future__ import annotations

import pytest
from tiny import background_activities
from workbooks import CO2, activity, bio, tech, write_workbook

UNALLOCATED = 12.0
FACTORS = {"none": 1.0, "mass": 1 / (1 + 3), "economic": 8 / (8 + 3 * 0.1)}

PARAMETERS = {
    "byproduct_mass": {"amount": 0, "lower limit": 0, "upper limit": 1},
    "byproduct_economic": {"amount": 1, "lower limit": 0, "upper limit": 1},
    "acid_per_metal": 3.0,
    "price_metal": 8.0,
    "price_acid": 0.1,
    "smelt_mass_share": "1 / (1 + acid_per_metal)",
    "smelt_econ_share": "price_metal / (price_metal + acid_per_metal * price_acid)",
    "smelt_alloc": "1 + byproduct_mass * (smelt_mass_share - 1) + byproduct_economic * (smelt_econ_share - 1)",
}


def _activities(*, whole=True):
    e = FACTORS["economic"]
    co2 = bio(CO2, 1 * e, formula="1 * smelt_alloc") if whole else bio(CO2, 1)
    return [
        activity("mining", "mine", stage="mine", exchanges=[bio(CO2, 10)]),
        activity("smelting", "smelt", stage="smelt", allocation_factor="smelt_alloc",
                 **{"co-products": "sulfuric acid 3 kg per kg metal"},
                 exchanges=[tech("mining", e, formula="1 * smelt_alloc"),
                            tech("electricity", 2 * e, unit="kilowatt hour", database="tinybg",
                                 formula="2 * smelt_alloc"), co2]),
        activity("metal, route A", "route-a", comparison="metal", route="a", route_label="Route A",
                 exchanges=[tech("smelting", 1)]),
        activity("remelting", "remelt", stage="remelt", exchanges=[bio(CO2, 2)]),
        activity("metal, route B", "route-b", comparison="metal", route="b", route_label="Route B",
                 exchanges=[tech("remelting", 1)]),
    ]


def _write(folder, *, whole=True, parameters=None):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tinybp.xlsx", "tinybp", _activities(whole=whole), parameters=parameters or PARAMETERS)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("tiny-byproducts"))


@pytest.mark.parametrize("approach", ["none", "mass", "economic"])
def test_each_approach_by_hand(run, tiny, approach):
    result = run.json("compare", "metal", "--byproducts", approach, "--inventories", tiny)
    route_a, route_b = result["routes"]
    f = FACTORS[approach]
    assert route_a["total"] == pytest.approx(UNALLOCATED * f, rel=1e-5)
    assert route_a["stages"] == pytest.approx({"mine": 10 * f, "smelt": 2 * f}, rel=1e-5)
    assert route_b["total"] == pytest.approx(2.0, rel=1e-5)  # no co-product: no factor
    statement = result["byproduct_allocation"]
    assert statement["approach"] == approach
    assert [(p["stage"], p["factor"], p["routes"]) for p in statement["processes"] if not p["preallocated"]] == [
        ("smelt", pytest.approx(f, rel=1e-6), ["a"])]
    assert statement["processes"][0]["co_products"] == "sulfuric acid 3 kg per kg metal"


def test_the_default_is_the_workbook_s_and_the_table_says_it(run, tiny):
    table = run("compare", "metal", "--inventories", tiny)
    assert table.exit_code == 0, table.output
    assert "By-product allocation: economic" in table.stdout
    assert f"smelt  {FACTORS['economic']:.3f}  a; co-products: sulfuric acid 3 kg per kg metal" in table.stdout
    assert run.json("compare", "metal", "--inventories", tiny)["routes"][0]["total"] == pytest.approx(
        UNALLOCATED * FACTORS["economic"], rel=1e-5)


def test_flags_that_name_two_approaches_are_refused(run, tiny):
    result = run("compare", "metal", "--set", "byproduct_mass=1", "--inventories", tiny)
    assert result.exit_code == 1
    assert "byproduct_mass = 1 and byproduct_economic = 1 do not name one approach" in result.stderr
    assert "Traceback" not in result.output


def test_a_set_that_contradicts_the_switch_is_refused(run, tiny):
    result = run("compare", "metal", "--byproducts", "mass", "--set", "byproduct_economic=1", "--inventories", tiny)
    assert result.exit_code == 1
    assert "contradicts by-product allocation mass" in result.stderr


def test_an_exchange_left_unallocated_is_an_inventory_error(run, tmp_path):
    folder = _write(tmp_path / "partial", whole=False)
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 1
    assert "tinybp.xlsx" in result.stderr and "does not use its allocation factor smelt_alloc" in result.stderr
    assert "multiply its formula by smelt_alloc" in result.stderr


def test_a_switch_without_flags_in_any_workbook_is_refused(run, tmp_path):
    from tiny import write_tiny

    folder = tmp_path / "plain"
    write_tiny(folder)
    result = run("compare", "metal", "--byproducts", "mass", "--inventories", folder)
    assert result.exit_code == 1
    assert "no workbook declares the switch" in result.stderr
    plain = run.json("compare", "metal", "--inventories", folder)
    assert plain["byproduct_allocation"] == {"approach": None, "processes": []}


# --- the shipped copper and nickel routes ---------------------------------------------------------------------------


def _stage_ratios(run, comparison, *extra):
    """Per route: (stage order, {stage: economic / none}, {stage: mass / none}), and the economic statement."""
    runs = {a: run.json("compare", comparison, "--byproducts", a, *extra) for a in ("none", "mass", "economic")}
    out = {}
    for index, route in enumerate(runs["none"]["routes"]):
        stages = list(route["stages"])
        ratios = {a: {s: runs[a]["routes"][index]["stages"][s] / route["stages"][s] for s in stages}
                  for a in ("mass", "economic")}
        out[route["id"]] = (stages, ratios)
    return out, runs


@pytest.mark.parametrize("comparison, extra", [("copper", ()), ("nickel", ()),
                                               ("nickel", ("--primary-route", "primary-sulfide")),
                                               ("nickel", ("--primary-route", "primary-indonesia"))])
def test_shipped_routes_scale_by_the_factors_downstream_of_each_stage(run, comparison, extra):
    """Each route is a chain of stages; an allocated process scales its own stage and every stage
    upstream of it, so a stage's result under mass or economic allocation is its unallocated result
    times the factors of the allocated processes at or after it in the chain."""
    ratios, runs = _stage_ratios(run, comparison, *extra)
    assert any(p["factor"] < 1 for p in runs["economic"]["byproduct_allocation"]["processes"])
    for approach in ("mass", "economic"):
        processes = [p for p in runs[approach]["byproduct_allocation"]["processes"] if not p["preallocated"]]
        for route_id, (stages, by_approach) in ratios.items():
            factors = {p["stage"]: p["factor"] for p in processes if route_id in p["routes"]}
            for position, stage in enumerate(stages):
                expected = 1.0
                for later in stages[position:]:
                    expected *= factors.get(later, 1.0)
                assert by_approach[approach][stage] == pytest.approx(expected, rel=1e-4), \
                    (comparison, route_id, approach, stage)
