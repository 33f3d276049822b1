"""The Monte Carlo solver (lca.analysis.montecarlo.System) with a large static background: the background
is solved once (one sparse LU) and only the foreground, whose cells vary, per draw. Every draw is checked
against a brute-force dense solve of the whole system (background included) built here from the same
exchanges, and the static scores against bw2calc.

The LCA is a real bw2calc LCA from an in-memory bw_processing datapackage (tests/tiny_lca.py):

    background (500 activities, ids 1000..1499): each makes 1 and takes 6 inputs of 0.001 to 0.05 from
        random other background activities (loops: one strongly connected group of hundreds), and emits CO2
        (and some CH4); nothing in it varies
    electricity (51): 0.02 + 0.03 of two background activities, 'grid' kg CO2 (a parameter, uniform 0.2 to
        0.6), 0.01 primary (a loop with primary)
    primary (52): e kWh electricity (uniform 3 to 5), 0.5 of a background activity, 1 kg CO2
    recycled (53): makes 2 from 3 kWh, b of a background activity (b: uniform 0.1 to 0.3, the drawn cell of a
        static provider), 0.4 kg CO2; under a recycling allocation: 0.8 x itself + 0.2 x plain
    plain (54): a route of background inputs only: static, although the recycled route's allocation uses it
    mix (55): 0.5 primary + 0.5 recycled; one target sets it to primary only
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from tiny_lca import INPUT, PRODUCTION, tiny_lca

from lca.analysis import montecarlo
from lca.analysis.montecarlo import System, Target
from lca.brightway.parametric import FormulaExchange, Parameter, ParametricModel, UncertainExchange
from lca.distributions import Distribution
from lca.subjects.allocation import Transform

CO2, CH4 = 101, 102
FACTORS = {CO2: 1.0, CH4: 29.8}
ELECTRICITY, PRIMARY, RECYCLED, PLAIN, MIX = 51, 52, 53, 54, 55
FOREGROUND = (ELECTRICITY, PRIMARY, RECYCLED, PLAIN, MIX)
BACKGROUND = tuple(range(1000, 1500))
B = BACKGROUND  # short
ALPHA, BETA = 0.8, 0.2
ALLOCATION = (Transform(RECYCLED, PLAIN, ALPHA, BETA),)  # the recycled route under a recycling allocation
PRIMARY_ONLY = ((MIX, ((PRIMARY, 1.0), (RECYCLED, 0.0))),)
TARGETS = (Target("primary", PRIMARY), Target("recycled", RECYCLED), Target("plain", PLAIN), Target("mix", MIX),
           Target("mix, primary only", MIX, PRIMARY_ONLY), Target("background", B[7]))


@functools.cache
def _exchanges():
    """(technosphere, biosphere) as tiny_lca takes them."""
    rng = np.random.default_rng(20)
    technosphere, biosphere = [], []
    for k, node in enumerate(BACKGROUND):
        technosphere.append((node, node, 1.0, PRODUCTION))
        others = rng.choice([b for b in BACKGROUND if b != node], 6, replace=False)
        technosphere += [(int(i), node, float(rng.uniform(0.001, 0.05)), INPUT) for i in others]
        biosphere.append((CO2, node, float(rng.uniform(0.1, 2.0))))
        if k % 3 == 0:
            biosphere.append((CH4, node, float(rng.uniform(0.001, 0.01))))
    technosphere += [
        (ELECTRICITY, ELECTRICITY, 1.0, PRODUCTION), (B[0], ELECTRICITY, 0.02, INPUT), (B[1], ELECTRICITY, 0.03, INPUT),
        (PRIMARY, ELECTRICITY, 0.01, INPUT),
        (PRIMARY, PRIMARY, 1.0, PRODUCTION), (ELECTRICITY, PRIMARY, 4.0, INPUT), (B[2], PRIMARY, 0.5, INPUT),
        (RECYCLED, RECYCLED, 2.0, PRODUCTION), (ELECTRICITY, RECYCLED, 3.0, INPUT), (B[3], RECYCLED, 0.2, INPUT),
        (PLAIN, PLAIN, 1.0, PRODUCTION), (B[4], PLAIN, 1.0, INPUT), (B[5], PLAIN, 0.3, INPUT),
        (MIX, MIX, 1.0, PRODUCTION), (PRIMARY, MIX, 0.5, INPUT), (RECYCLED, MIX, 0.5, INPUT)]
    biosphere += [(CO2, ELECTRICITY, 0.4), (CO2, PRIMARY, 1.0), (CO2, RECYCLED, 0.4), (CO2, PLAIN, 0.7)]
    return technosphere, biosphere


def _model() -> ParametricModel:
    grid = Parameter(name="grid", amount=0.4, formula=None, unit="kg CO2/kWh", source="test", minimum=0.2,
                     maximum=0.6, distribution=Distribution("uniform", 0.4, minimum=0.2, maximum=0.6))
    emission = FormulaExchange(output=ELECTRICITY, input=CO2, type="biosphere", formula="grid", amount=0.4,
                               name="carbon dioxide", activity="electricity")
    kwh = UncertainExchange(output=PRIMARY, input=ELECTRICITY, type="technosphere", production=1.0,
                            distribution=Distribution("uniform", 4.0, minimum=3.0, maximum=5.0),
                            name="electricity", activity="primary")
    background_input = UncertainExchange(output=RECYCLED, input=B[3], type="technosphere", production=2.0,
                                         distribution=Distribution("uniform", 0.2, minimum=0.1, maximum=0.3),
                                         name="background 3", activity="recycled")
    return ParametricModel(parameters=(grid,), exchanges=(emission,), uncertain_exchanges=(kwh, background_input))


def _system(targets=TARGETS, transforms=ALLOCATION) -> System:
    technosphere, biosphere = _exchanges()
    lca = tiny_lca(technosphere, biosphere, list(FACTORS.items()), {PRIMARY: 1.0})
    return System(lca, _model(), targets, {}, transforms)


@functools.cache
def _dense():
    """Nodes, their positions, and the dense technosphere and direct scores, as written."""
    technosphere, biosphere = _exchanges()
    nodes = sorted({row for row, *_ in technosphere} | {col for _, col, *_ in technosphere})
    at = {node: k for k, node in enumerate(nodes)}
    a = np.zeros((len(nodes), len(nodes)))
    h = np.zeros(len(nodes))
    for row, col, amount, kind in technosphere:
        a[at[row], at[col]] += amount if kind == PRODUCTION else -amount
    for flow, col, amount in biosphere:
        h[at[col]] += FACTORS[flow] * amount
    return nodes, at, a, h


def brute_force(grid: float, kwh: float, background_input: float, columns=(), transform=True) -> np.ndarray:
    """Unit scores of every node for one draw: the whole dense system solved with numpy, {node: score}."""
    nodes, at, a, h = _dense()
    a, h = a.copy(), h.copy()
    a[at[ELECTRICITY], at[PRIMARY]] = -kwh
    a[at[B[3]], at[RECYCLED]] = -background_input
    h[at[ELECTRICITY]] += grid - 0.4
    for supply, shares in columns:
        for route, share in shares:
            a[at[route], at[supply]] = -share
    if transform:  # y_rec = ALPHA (h_rec - sum A_i,rec y_i) / A_rr + BETA y_plain, as one more linear row
        r, p = at[RECYCLED], at[PLAIN]
        diagonal = a[r, r]
        a[:, r] *= ALPHA / diagonal
        a[r, r] = 1.0
        a[p, r] -= BETA
        h[r] *= ALPHA / diagonal
    y = np.linalg.solve(a.T, h)
    return {node: y[at[node]] for node in nodes}


@pytest.fixture(scope="module")
def system():
    return _system()


def test_the_background_is_one_large_static_loop_and_only_the_foreground_is_solved_per_draw(system):
    from scipy.sparse.csgraph import connected_components

    varying = {int(system.node_of_col[j]) for j in system.varying}
    assert varying == {ELECTRICITY, PRIMARY, RECYCLED, MIX}  # plain: static, although an allocation uses it
    assert len(system.nodes) > 450  # the targets reach (nearly) the whole background
    assert max(len(group) for group in system.groups) == 2  # electricity and primary; nothing of the background
    assert {j for group in system.groups for j in group} == set(system.varying)
    rows = [system.col[b] for b in BACKGROUND]
    _, labels = connected_components(system._lca.technosphere_matrix[rows][:, rows], connection="strong")
    assert np.bincount(labels).max() > 300  # the static loop a dense per-draw solve would have had to take


def test_static_scores_are_bw2calcs(system):
    static = system.static()
    lca = system._lca
    for target, node in (("primary", PRIMARY), ("plain", PLAIN), ("background", B[7])):
        lca.redo_lcia({node: 1.0})
        assert static[target] == pytest.approx(float(lca.score), rel=1e-10)
    lca.redo_lcia({PRIMARY: 1.0})
    expected = brute_force(0.4, 4.0, 0.2)
    assert static["recycled"] == pytest.approx(expected[RECYCLED], rel=1e-10)
    assert static["mix"] == pytest.approx(expected[MIX], rel=1e-10)


class _FixedDraws:
    """Stands in for System._random: the next ``size`` of fixed lists of draws, per chunk."""

    def __init__(self, grid, kwh, background_input):
        self.grid, self.exchanges, self.at = np.asarray(grid), np.array([kwh, background_input]), 0

    def __call__(self, size, rng, sources):
        part = slice(self.at, self.at + size)
        self.at += size
        return {"grid": self.grid[part]}, self.exchanges[:, part]


def test_every_draw_is_the_dense_solve_of_the_whole_system(monkeypatch):
    system = _system()
    rng = np.random.default_rng(5)
    grid, kwh, background_input = rng.uniform(0.2, 0.6, 7), rng.uniform(3, 5, 7), rng.uniform(0.1, 0.3, 7)
    monkeypatch.setattr(montecarlo, "CHUNK", 3)  # seven draws in chunks of 3, 3 and 1
    monkeypatch.setattr(system, "_random", _FixedDraws(grid, kwh, background_input))
    scores = system.run(7, seed=1)
    for d in range(7):
        expected = brute_force(grid[d], kwh[d], background_input[d])
        only = brute_force(grid[d], kwh[d], background_input[d], PRIMARY_ONLY)
        for target, value in (("primary", expected[PRIMARY]), ("recycled", expected[RECYCLED]),
                              ("plain", expected[PLAIN]), ("mix", expected[MIX]), ("mix, primary only", only[MIX]),
                              ("background", expected[B[7]])):
            assert scores[target][d] == pytest.approx(value, rel=1e-9), (target, d)
    assert np.ptp(scores["primary"]) > 0.5 and np.ptp(scores["background"]) == 0  # drawn; static


def test_real_draws_with_the_transform_left_out(monkeypatch):
    """System._random's own draws: recover each draw's inputs from the scores and re-solve densely."""
    system = _system(transforms=())
    draws = []
    original = system._random

    def recording(size, rng, sources):
        drawn = original(size, rng, sources)
        draws.append(drawn)
        return drawn

    monkeypatch.setattr(system, "_random", recording)
    scores = system.run(5, seed=9)
    (values, exchanges), = draws
    for d in range(5):
        expected = brute_force(values["grid"][d], exchanges[0, d], exchanges[1, d], transform=False)
        assert scores["recycled"][d] == pytest.approx(expected[RECYCLED], rel=1e-9)
        assert scores["mix"][d] == pytest.approx(expected[MIX], rel=1e-9)


def test_a_wholly_static_target_needs_no_per_draw_solve():
    system = _system(targets=(Target("plain", PLAIN), Target("background", B[7])), transforms=())
    assert system.varying == [] and system.groups == [] and system.relevant == []
    scores = system.run(4, seed=2)
    expected = brute_force(0.4, 4.0, 0.2, transform=False)
    assert scores["plain"] == pytest.approx([expected[PLAIN]] * 4, rel=1e-10)
    assert scores["background"] == pytest.approx([expected[B[7]]] * 4, rel=1e-10)
