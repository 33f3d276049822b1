"""The stage splitter (lca.analysis.calculate._Splitter) on hand-written systems, checked against
arithmetic done here.

The LCAs are real bw2calc LCAs built from an in-memory bw_processing datapackage (tests/tiny_lca.py),
no Brightway project. The splitter is given no bw2data module (``bd=None``): it then names activities
by id and counts any positive off-diagonal technosphere entry or negative biosphere entry as a
marked credit, without reading the exchanges' roles.

Route system (one unit of assembly, node 11):

    assembly (11, stage 'assembly'): 2 kg smelted metal (12), 3 kWh electricity (13); 0.5 kg CO2
    smelting (12, stage 'smelting'): 5 kWh electricity (13); 4 kg CO2, 0.1 kg CH4
    electricity (13, background): 0.1 kg fuel (14); 0.2 kg CO2 per kWh
    fuel (14, background): 2 kg CO2 per kg
    method: CO2 (101) 1, CH4 (102) 30
"""

from __future__ import annotations

import math

import pytest
from tiny_lca import INPUT, PRODUCTION, SUBSTITUTION, tiny_lca

from lca.analysis.calculate import _Splitter
from lca.errors import ImpossibleResult

CO2, CH4 = 101, 102
ASSEMBLY, SMELTING, ELECTRICITY, FUEL = 11, 12, 13, 14
STAGES = ("assembly", "smelting")
STAGE_OF = {ASSEMBLY: "assembly", SMELTING: "smelting"}


@pytest.fixture(scope="module")
def route():
    lca = tiny_lca(
        technosphere=[(n, n, 1.0, PRODUCTION) for n in (ASSEMBLY, SMELTING, ELECTRICITY, FUEL)]
        + [(SMELTING, ASSEMBLY, 2.0, INPUT), (ELECTRICITY, ASSEMBLY, 3.0, INPUT),
           (ELECTRICITY, SMELTING, 5.0, INPUT), (FUEL, ELECTRICITY, 0.1, INPUT)],
        biosphere=[(CO2, ASSEMBLY, 0.5), (CO2, SMELTING, 4.0), (CH4, SMELTING, 0.1), (CO2, ELECTRICITY, 0.2),
                   (CO2, FUEL, 2.0)],
        factors=[(CO2, 1.0), (CH4, 30.0)],
        demand={ASSEMBLY: 1.0})
    return _Splitter(lca)


# direct characterised emissions per unit of each activity
H_ASSEMBLY = 0.5 * 1  # 0.5
H_SMELTING = 4.0 * 1 + 0.1 * 30  # 4 + 3 = 7
H_ELECTRICITY = 0.2 * 1  # 0.2
H_FUEL = 2.0 * 1  # 2
# cumulative score per unit
Y_FUEL = H_FUEL  # 2
Y_ELECTRICITY = H_ELECTRICITY + 0.1 * Y_FUEL  # 0.2 + 0.2 = 0.4
Y_SMELTING = H_SMELTING + 5 * Y_ELECTRICITY  # 7 + 2 = 9
# supply for one unit of assembly: 1 assembly, 2 smelting, 3 + 2 x 5 = 13 kWh, 13 x 0.1 = 1.3 kg fuel
SUPPLY = {ASSEMBLY: 1.0, SMELTING: 2.0, ELECTRICITY: 13.0, FUEL: 1.3}
TOTAL = 1 * H_ASSEMBLY + 2 * H_SMELTING + 13 * H_ELECTRICITY + 1.3 * H_FUEL  # 0.5 + 14 + 2.6 + 2.6 = 19.7


def test_the_constants_are_the_arithmetic_in_the_comments():
    assert (H_SMELTING, Y_ELECTRICITY, Y_SMELTING) == pytest.approx((7.0, 0.4, 9.0))
    assert TOTAL == pytest.approx(19.7)


def test_total_stages_and_supply_of_a_route(route):
    total, scores, supply = route.split(ASSEMBLY, STAGES, STAGE_OF)
    assert total == pytest.approx(TOTAL, rel=1e-12)
    # assembly: its own 0.5 plus its 3 kWh at the cumulative 0.4 (the smelted metal is the smelting stage)
    assert scores["assembly"] == pytest.approx(1 * (H_ASSEMBLY + 3 * Y_ELECTRICITY), rel=1e-12)  # 0.5 + 1.2 = 1.7
    # smelting: 2 kg x (7 direct + 5 kWh x 0.4)
    assert scores["smelting"] == pytest.approx(2 * (H_SMELTING + 5 * Y_ELECTRICITY), rel=1e-12)  # 2 x 9 = 18
    assert list(scores) == list(STAGES)
    assert sum(scores.values()) == pytest.approx(TOTAL, rel=1e-12)  # 1.7 + 18 = 19.7
    for node, amount in SUPPLY.items():
        assert supply[route.column_of[node]] == pytest.approx(amount, rel=1e-12)
    # a background input counted at its direct score only (0.2 per kWh, not 0.4) would give 2 x 8 = 16
    assert scores["smelting"] != pytest.approx(2 * (H_SMELTING + 5 * H_ELECTRICITY))


def test_unit_scores_are_cumulative_per_unit(route):
    assert route.unit_score(FUEL) == pytest.approx(Y_FUEL, rel=1e-12)  # 2
    assert route.unit_score(ELECTRICITY) == pytest.approx(Y_ELECTRICITY, rel=1e-12)  # 0.2 + 0.1 x 2 = 0.4
    assert route.unit_score(SMELTING) == pytest.approx(Y_SMELTING, rel=1e-12)  # 7 + 5 x 0.4 = 9
    assert route.unit_score(ASSEMBLY) == pytest.approx(TOTAL, rel=1e-12)
    assert route.unit_score(ELECTRICITY) == pytest.approx(0.4)  # again, from the cache


def test_inputs_from_the_skip_set_are_left_to_the_caller(route):
    total, scores, _ = route.split(ASSEMBLY, STAGES, STAGE_OF, skip=frozenset({ELECTRICITY}))
    assert total == pytest.approx(TOTAL, rel=1e-12)  # the total is the whole system's
    assert scores["assembly"] == pytest.approx(H_ASSEMBLY, rel=1e-12)  # 0.5, its 3 kWh left out
    assert scores["smelting"] == pytest.approx(2 * H_SMELTING, rel=1e-12)  # 2 x 7 = 14, its 10 kWh left out
    # what is left out: 13 kWh x 0.4 = 5.2 = 19.7 - (0.5 + 14)
    assert total - sum(scores.values()) == pytest.approx(13 * Y_ELECTRICITY, rel=1e-12)


def test_a_stage_the_node_does_not_reach_scores_zero(route):
    total, scores, _ = route.split(SMELTING, ("assembly", "smelting", "transport"), STAGE_OF)
    assert total == pytest.approx(Y_SMELTING, rel=1e-12)  # 9
    assert scores == pytest.approx({"assembly": 0.0, "smelting": Y_SMELTING, "transport": 0.0}, rel=1e-12)


def test_a_possible_result_passes_the_check(route):
    total, scores, supply = route.split(ASSEMBLY, STAGES, STAGE_OF)
    route.check("route 'test'", total, scores, supply, STAGE_OF)  # no ImpossibleResult


def test_non_finite_and_negative_totals_stop(route):
    total, scores, supply = route.split(ASSEMBLY, STAGES, STAGE_OF)
    with pytest.raises(ImpossibleResult, match="not a finite number"):
        route.check("route 'test'", math.nan, scores, supply, STAGE_OF)
    with pytest.raises(ImpossibleResult, match="negative footprint"):
        route.check("route 'test'", -1.0, {"assembly": -0.5, "smelting": -0.5}, supply, STAGE_OF)


# Credit system (one unit of 'make', node 21):
#   make (21, stage 'make'): 1 unit of recovery (22); 3 kg CO2
#   recovery (22, stage 'recovery'): avoids 0.5 units of virgin material (23, a substitution); 1 kg CO2
#   virgin (23, background): 4 kg CO2
# supply: 1 make, 1 recovery, -0.5 virgin
# total = 3 + 1 - 0.5 x 4 = 2; make = 1 x 3 = 3; recovery = 1 x (1 - 0.5 x 4) = -1
MAKE, RECOVERY, VIRGIN = 21, 22, 23
CREDIT_STAGES = ("make", "recovery")
CREDIT_STAGE_OF = {MAKE: "make", RECOVERY: "recovery"}


def _credit_system(cf_of_recovery_flow: float = 1.0, substitution: bool = True):
    """The credit system; without the substitution, recovery instead emits 1 kg of a flow (103)
    characterised by ``cf_of_recovery_flow`` (a negative factor: a negative stage with no marked credit)."""
    technosphere = [(n, n, 1.0, PRODUCTION) for n in (MAKE, RECOVERY, VIRGIN)] + [(RECOVERY, MAKE, 1.0, INPUT)]
    biosphere = [(CO2, MAKE, 3.0), (CO2, VIRGIN, 4.0)]
    if substitution:
        technosphere.append((VIRGIN, RECOVERY, 0.5, SUBSTITUTION))
        biosphere.append((CO2, RECOVERY, 1.0))
    else:
        biosphere.append((103, RECOVERY, 1.0))
    return _Splitter(tiny_lca(technosphere, biosphere, [(CO2, 1.0), (103, cf_of_recovery_flow)], {MAKE: 1.0}))


def test_a_negative_stage_with_a_marked_credit_passes():
    splitter = _credit_system()
    total, scores, supply = splitter.split(MAKE, CREDIT_STAGES, CREDIT_STAGE_OF)
    assert total == pytest.approx(3 + 1 - 0.5 * 4, rel=1e-12)  # 2
    assert scores["make"] == pytest.approx(3.0, rel=1e-12)
    assert scores["recovery"] == pytest.approx(1 * (1 - 0.5 * 4), rel=1e-12)  # -1
    assert supply[splitter.column_of[VIRGIN]] == pytest.approx(-0.5, rel=1e-12)
    splitter.check("route 'credit'", total, scores, supply, CREDIT_STAGE_OF)  # the negatives are credits


def test_a_negative_stage_without_a_marked_credit_stops():
    splitter = _credit_system(cf_of_recovery_flow=-3.0, substitution=False)
    total, scores, supply = splitter.split(MAKE, CREDIT_STAGES, CREDIT_STAGE_OF)
    # make = 3; recovery = 1 kg x (-3) = -3; total = 3 - 3 + 0 x 4 = 0 (not below zero)
    assert (total, scores["make"], scores["recovery"]) == pytest.approx((0.0, 3.0, -3.0), abs=1e-12)
    with pytest.raises(ImpossibleResult, match=r"Stage 'recovery' of route 'x' is -3 .*no marked credit"):
        splitter.check("route 'x'", total, scores, supply, CREDIT_STAGE_OF)


def test_a_negative_total_without_credit_stops_before_the_stages():
    splitter = _credit_system(cf_of_recovery_flow=-10.0, substitution=False)
    total, scores, supply = splitter.split(MAKE, CREDIT_STAGES, CREDIT_STAGE_OF)
    assert total == pytest.approx(3 - 10, rel=1e-12)  # -7
    with pytest.raises(ImpossibleResult, match="total of route 'x' is -7 .*negative footprint"):
        splitter.check("route 'x'", total, scores, supply, CREDIT_STAGE_OF)


def test_a_negative_supply_that_no_credit_explains_stops():
    """Self-use above production: 42 makes 1 unit and uses 1.5 of its own product, so the matrix holds
    1 - 1.5 = -0.5 on its diagonal and one unit of 41 needs 1 / -0.5 = -2 units of 42."""
    lca = tiny_lca(technosphere=[(41, 41, 1.0, PRODUCTION), (42, 42, 1.0, PRODUCTION), (42, 42, 1.5, INPUT),
                                 (42, 41, 1.0, INPUT)],
                   biosphere=[(CO2, 41, 5.0), (CO2, 42, 1.0)], factors=[(CO2, 1.0)], demand={41: 1.0})
    splitter = _Splitter(lca, unit="kg CO2-eq")
    total, scores, supply = splitter.split(41, ("a", "b"), {41: "a", 42: "b"})
    assert supply[splitter.column_of[42]] == pytest.approx(-2.0, rel=1e-12)
    assert total == pytest.approx(5 + (-2) * 1, rel=1e-12)  # 3, positive: only the supply is impossible
    with pytest.raises(ImpossibleResult, match=r"supplies -2 units of activity 42 \(a negative amount\)"):
        splitter.check("route 'loop'", total, scores, supply, {41: "a", 42: "b"})
