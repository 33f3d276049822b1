"""Property tests: linearity, additivity, and invariance to the order of blocks in a workbook.

Each example rebuilds the project from a workbook (about a second), so the example counts are
small; the properties are checked through the whole pipeline, not on a model of it.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import background_activities, tiny_activities, write_tiny
from workbooks import write_workbook

from lca.inventory.formulas import ParameterSpec, evaluate_parameters
from lca.inventory.load import load_inventory

_FOLDERS = itertools.count()
_SETTINGS = settings(max_examples=6, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


@_SETTINGS
@given(k=st.floats(min_value=0.01, max_value=1000, allow_nan=False))
def test_scaling_an_emission_scales_its_stage_linearly(run, scratch, k):
    folder = scratch / "linear"
    write_tiny(folder, haul_co2=3.0 * k)
    route_b = run.json("compare", "metal", "--inventories", folder)["routes"][1]
    assert route_b["stages"]["haul"] == pytest.approx(3.0 * k, rel=1e-5)
    assert route_b["stages"]["melt"] == pytest.approx(1 * 0.5 + 0.2, rel=1e-5)  # untouched


@_SETTINGS
@given(elec=st.floats(min_value=0, max_value=10), haul=st.floats(min_value=0, max_value=10))
def test_total_is_the_sum_of_stages_and_of_contributions(run, scratch, elec, haul):
    folder = scratch / "additive"
    write_tiny(folder, haul_co2=haul, elec_co2=elec)
    a, b = run.json("compare", "metal", "--inventories", folder)["routes"]
    assert b["total"] == pytest.approx((1 * elec + 0.2) + haul, rel=1e-5, abs=1e-6)
    assert a["total"] == pytest.approx(2 * elec + 1 + 0.1 * 29.8, rel=1e-5)
    for route in (a, b):
        assert sum(route["stages"].values()) == pytest.approx(route["total"], rel=1e-5, abs=1e-6)


@_SETTINGS
@given(order=st.permutations(range(len(tiny_activities()))))
def test_the_order_of_activity_blocks_does_not_matter(run, scratch, order):
    folder = scratch / f"order-{next(_FOLDERS)}"
    folder.mkdir()
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    activities = tiny_activities()
    write_workbook(folder / "tiny.xlsx", "tiny", [activities[i] for i in order])
    result = run.json("compare", "metal", "--inventories", folder)
    totals = {r["id"]: r["total"] for r in result["routes"]}
    assert totals["a"] == pytest.approx(2 * 0.5 + 1 + 0.1 * 29.8, rel=1e-5)
    assert totals["b"] == pytest.approx(3.7, rel=1e-5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=4, max_size=4, unique=True))
def test_parameters_evaluate_in_any_order(names):
    """d = c * 2, c = b + a, b = 3, a = 1.5 -> c = 4.5, d = 9, whatever the order written."""
    specs = {"a": ParameterSpec("a", 1.5, None), "b": ParameterSpec("b", 3, None),
             "c": ParameterSpec("c", None, "b + a"), "d": ParameterSpec("d", None, "c * 2")}
    values, failures = evaluate_parameters([specs[n] for n in names], {})
    assert failures == []
    assert values["c"] == 1.5 + 3 and values["d"] == (1.5 + 3) * 2


def test_validation_reads_the_same_inventory_whatever_the_block_order(tmp_path):
    write_tiny(tmp_path / "one")
    (tmp_path / "two").mkdir()
    write_workbook(tmp_path / "two" / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(tmp_path / "two" / "tiny.xlsx", "tiny", list(reversed(tiny_activities())))

    def content(folder):
        inventory = load_inventory(folder)
        return {key: sorted((e.input, e.amount, e.type) for e in a.exchanges)
                for key, a in inventory.activities.items()}

    assert content(tmp_path / "one") == content(tmp_path / "two")
