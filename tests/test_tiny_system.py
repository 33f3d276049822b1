"""The tiny hand-checkable system (see tiny.py) through the whole pipeline."""

from __future__ import annotations

import pytest
from tiny import TOTAL_A, TOTAL_B, write_tiny

GWP100_CH4_FOSSIL = 29.8  # IPCC AR6 WG1 Table 7.15
GWP20_CH4_FOSSIL = 82.5  # IPCC AR6 WG1 Table 7.15


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    write_tiny(folder)
    return folder


def test_totals_and_stages_are_the_hand_computed_values(run, tiny):
    result = run.json("compare", "metal", "--inventories", tiny)
    a, b = result["routes"]
    assert (a["id"], b["id"]) == ("a", "b")
    assert a["total"] == pytest.approx(TOTAL_A, rel=1e-6)
    assert a["stages"] == {"make": pytest.approx(2 * 0.5 + 1 + 0.1 * GWP100_CH4_FOSSIL, rel=1e-6)}
    assert b["stages"]["melt"] == pytest.approx(1 * 0.5 + 0.2, rel=1e-6)
    assert b["stages"]["haul"] == pytest.approx(3, rel=1e-6)
    assert b["total"] == pytest.approx(TOTAL_B, rel=1e-6)
    assert result["difference"]["absolute"] == pytest.approx(TOTAL_A - TOTAL_B, rel=1e-5)
    assert result["difference"]["relative"] == pytest.approx((TOTAL_A - TOTAL_B) / TOTAL_A, rel=1e-3)


def test_json_has_the_documented_keys(run, tiny):
    result = run.json("compare", "metal", "--inventories", tiny)
    for key in ("functional_unit", "method", "unit", "routes", "difference"):
        assert key in result
    assert result["method"] == {"id": "ipcc2021-gwp100",
                                "name": ["IPCC 2021", "climate change", "global warming potential (GWP100)"]}
    assert result["unit"]["functional_unit"] == result["functional_unit"]
    for route in result["routes"]:
        assert set(route) >= {"id", "label", "total", "stages"}
        assert sum(route["stages"].values()) == pytest.approx(route["total"], rel=1e-6)
    assert set(result["difference"]) >= {"absolute", "relative"}


def test_gwp20_weighs_methane_more(run, tiny):
    result = run.json("compare", "metal", "--inventories", tiny, "--method", "ipcc2021-gwp20")
    assert result["routes"][0]["total"] == pytest.approx(2 * 0.5 + 1 + 0.1 * GWP20_CH4_FOSSIL, rel=1e-6)
    assert result["routes"][1]["total"] == pytest.approx(TOTAL_B, rel=1e-6)  # CO2 only


def test_method_by_full_name(run, tiny):
    name = "IPCC 2021|climate change|global warming potential (GWP20)"
    result = run.json("compare", "metal", "--inventories", tiny, "--method", name)
    assert result["method_id"] == "ipcc2021-gwp20"


def test_unknown_method_is_a_clear_error(run, tiny):
    result = run("compare", "metal", "--inventories", tiny, "--method", "gwp-42")
    assert result.exit_code == 1
    assert "gwp-42" in result.stderr and "ipcc2021-gwp100" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_comparison_names_the_ones_defined(run, tiny):
    result = run("compare", "zinc", "--inventories", tiny)
    assert result.exit_code == 1
    assert "'zinc'" in result.stderr and "metal" in result.stderr


def test_csv_has_a_row_per_stage_and_totals(run, tiny):
    result = run("compare", "metal", "--inventories", tiny, "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "comparison,route,route_label,stage,score,unit,method"
    rows = [line.split(",") for line in lines[1:]]
    haul = [r for r in rows if r[1] == "b" and r[3] == "haul"]
    assert float(haul[0][4]) == pytest.approx(3.0)
    assert any(r[1] == "a-minus-b" for r in rows)


def test_table_shows_routes_stages_and_difference(run, tiny):
    result = run("compare", "metal", "--inventories", tiny)
    assert result.exit_code == 0
    text = result.stdout
    assert "Route A  [a]" in text and "haul" in text and "Difference a - b" in text
