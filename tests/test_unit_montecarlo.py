"""The Monte Carlo solver (lca.analysis.montecarlo.System) on a hand-written 3 x 3 system, every
sample checked against the inverse worked out here.

The LCA is a real bw2calc LCA from an in-memory bw_processing datapackage (tests/tiny_lca.py) and the
model a real lca.brightway.parametric.ParametricModel built from its dataclasses: no Brightway project.

System (kg CO2 per unit; CO2 characterised by 1):

    primary (51): 1 kg CO2; e kWh electricity (53), e = 4 as written, uniform 3 to 5 (the exchange's own
                  distribution)
    recycled (52): makes 2 kg from 3 kWh electricity, emitting 0.4 kg CO2: per kg 1.5 kWh, 0.2 kg CO2
    electricity (53): g kg CO2 per kWh, g = the parameter 'grid', 0.4 as written, uniform 0.2 to 0.6;
                  0.01 kg primary per kWh (a loop: primary and electricity are solved together)

Unit scores y solve A^T y = h:

    y_el = g + 0.01 y_p,   y_p = 1 + e y_el   =>   y_p = (1 + e g) / (1 - 0.01 e)
    y_rec = (0.4 + 3 y_el) / 2 = 0.2 + 1.5 y_el
"""

from __future__ import annotations

import numpy as np
import pytest
from tiny_lca import INPUT, PRODUCTION, tiny_lca

from lca.analysis import montecarlo
from lca.analysis.montecarlo import DrawSources, System, Target
from lca.brightway.parametric import FormulaExchange, Parameter, ParametricModel, UncertainExchange
from lca.distributions import Distribution

CO2 = 101
PRIMARY, RECYCLED, ELECTRICITY = 51, 52, 53
TARGETS = (Target("primary", PRIMARY), Target("recycled", RECYCLED), Target("electricity", ELECTRICITY))


def closed_form(g, e=4.0):
    """(primary, recycled, electricity) unit scores for grid intensity g and e kWh per kg primary."""
    g, e = np.asarray(g, dtype=float), np.asarray(e, dtype=float)
    primary = (1 + e * g) / (1 - 0.01 * e)
    electricity = g + 0.01 * primary
    return primary, 0.2 + 1.5 * electricity, electricity


def make_system() -> System:
    lca = tiny_lca(
        technosphere=[(PRIMARY, PRIMARY, 1.0, PRODUCTION), (RECYCLED, RECYCLED, 2.0, PRODUCTION),
                      (ELECTRICITY, ELECTRICITY, 1.0, PRODUCTION), (ELECTRICITY, PRIMARY, 4.0, INPUT),
                      (ELECTRICITY, RECYCLED, 3.0, INPUT), (PRIMARY, ELECTRICITY, 0.01, INPUT)],
        biosphere=[(CO2, PRIMARY, 1.0), (CO2, RECYCLED, 0.4), (CO2, ELECTRICITY, 0.4)],
        factors=[(CO2, 1.0)],
        demand={PRIMARY: 1.0})
    grid = Parameter(name="grid", amount=0.4, formula=None, unit="kg CO2/kWh", source="test",
                     minimum=0.2, maximum=0.6, distribution=Distribution("uniform", 0.4, minimum=0.2, maximum=0.6))
    emission = FormulaExchange(output=ELECTRICITY, input=CO2, type="biosphere", formula="grid", amount=0.4,
                               name="carbon dioxide", activity="electricity")
    electricity_input = UncertainExchange(output=PRIMARY, input=ELECTRICITY, type="technosphere", production=1.0,
                                          distribution=Distribution("uniform", 4.0, minimum=3.0, maximum=5.0),
                                          name="electricity", activity="primary")
    model = ParametricModel(parameters=(grid,), exchanges=(emission,), uncertain_exchanges=(electricity_input,))
    return System(lca, model, TARGETS)


@pytest.fixture(scope="module")
def system():
    return make_system()


def test_the_closed_form_as_written():
    primary, recycled, electricity = closed_form(0.4, 4.0)
    assert primary == pytest.approx((1 + 4 * 0.4) / 0.96)  # 2.6 / 0.96 = 2.708333
    assert electricity == pytest.approx(0.4 + 0.01 * 2.6 / 0.96)  # 0.427083
    assert recycled == pytest.approx(0.2 + 1.5 * 0.4270833333)  # 0.840625


def test_static_scores_are_the_inverse_and_bw2calcs(system):
    static = system.static()
    expected = closed_form(0.4, 4.0)
    assert (static["primary"], static["recycled"], static["electricity"]) == pytest.approx(expected, rel=1e-12)
    assert static["primary"] == pytest.approx(float(system._lca.score), rel=1e-12)  # bw2calc's own solve
    assert static["primary"] != pytest.approx(1 + 4 * 0.4)  # 2.6: what ignoring the loop would give


def test_known_parameter_values_solved_in_chunks(system, monkeypatch):
    monkeypatch.setattr(montecarlo, "CHUNK", 2)  # five values in chunks of 2, 2 and 1
    grid = np.array([0.2, 0.3, 0.5, 0.6, 0.45])
    scores = system.evaluate({"grid": grid})
    primary, recycled, electricity = closed_form(grid)  # g = 0.5: primary 3 / 0.96 = 3.125
    assert scores["primary"] == pytest.approx(primary, rel=1e-12)
    assert scores["primary"][2] == pytest.approx(3.125, rel=1e-12)
    assert scores["recycled"] == pytest.approx(recycled, rel=1e-12)
    assert scores["electricity"] == pytest.approx(electricity, rel=1e-12)


class _FixedDraws:
    """Stands in for System._random: hands out the next ``size`` of a fixed list of draws per chunk."""

    def __init__(self, grid, kwh):
        self.grid, self.kwh, self.at, self.sizes = np.asarray(grid), np.asarray(kwh), 0, []

    def __call__(self, size, rng, sources):
        part = slice(self.at, self.at + size)
        self.at += size
        self.sizes.append(size)
        return {"grid": self.grid[part]}, self.kwh[None, part]


def test_run_with_known_draws_of_parameters_and_exchanges(monkeypatch):
    system = make_system()
    grid = np.array([0.2, 0.4, 0.6, 0.25, 0.55])
    kwh = np.array([3.0, 5.0, 4.0, 4.5, 3.5])
    fixed = _FixedDraws(grid, kwh)
    monkeypatch.setattr(montecarlo, "CHUNK", 2)
    monkeypatch.setattr(system, "_random", fixed)
    scores = system.run(5, seed=1)
    assert fixed.sizes == [2, 2, 1]
    primary, recycled, electricity = closed_form(grid, kwh)
    # g = 0.2, e = 3: primary (1 + 0.6) / 0.97 = 1.649485; g = 0.4, e = 5: (1 + 2) / 0.95 = 3.157895
    assert scores["primary"][:2] == pytest.approx([1.6 / 0.97, 3 / 0.95], rel=1e-12)
    assert scores["primary"] == pytest.approx(primary, rel=1e-12)
    assert scores["recycled"] == pytest.approx(recycled, rel=1e-12)
    assert scores["electricity"] == pytest.approx(electricity, rel=1e-12)


def test_the_routes_of_one_sample_share_its_draws(system):
    """Only the grid varies: the primary score gives each sample's g, which must be the recycled one's."""
    scores = system.run(400, seed=3, sources=DrawSources(parameters=True, exchanges=False))
    primary, recycled = scores["primary"], scores["recycled"]
    grid = (0.96 * primary - 1) / 4  # from primary = (1 + 4 g) / 0.96
    assert grid.min() >= 0.2 - 1e-12 and grid.max() <= 0.6 + 1e-12
    assert grid.std() > 0.05  # drawn, not the static 0.4 (uniform 0.2 to 0.6: sd 0.115)
    assert recycled == pytest.approx(0.2 + 1.5 * (grid + 0.01 * primary), rel=1e-12)
    # a recycled route drawn independently would not match: shift its draws by one sample
    assert not np.allclose(np.roll(recycled, 1), 0.2 + 1.5 * (grid + 0.01 * primary))


def test_exchange_draws_do_not_shift_the_parameter_draws(system):
    """The same seed gives the same g whether or not the exchange distributions are drawn."""
    grid_only = system.run(300, seed=11, sources=DrawSources(parameters=True, exchanges=False))
    both = system.run(300, seed=11)
    g_alone = (0.96 * grid_only["primary"] - 1) / 4
    g_both = both["electricity"] - 0.01 * both["primary"]  # electricity = g + 0.01 primary
    e_both = (both["primary"] - 1) / both["electricity"]  # primary = 1 + e electricity
    assert g_both == pytest.approx(g_alone, rel=1e-9)
    assert e_both.min() >= 3 - 1e-9 and e_both.max() <= 5 + 1e-9 and e_both.std() > 0.3  # uniform 3-5: sd 0.58
    assert both["recycled"] == pytest.approx(closed_form(g_both, e_both)[1], rel=1e-12)
    assert both["primary"] == pytest.approx(system.run(300, seed=11)["primary"], rel=0)  # a seed repeats
