"""Route groups, --primary-route, --basis and recycled-share blends on tiny_blend.py's system."""

from __future__ import annotations

import pytest
from tiny_blend import PARAMETERS, write_blend


@pytest.fixture(scope="module")
def blend(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blend")
    write_blend(folder)
    return folder


def _totals(result):
    return {r["id"]: r["total"] for r in result["routes"]}


def test_default_pair_is_the_default_primary_and_the_recycled_route(run, blend):
    result = run.json("compare", "metal", "--inventories", blend)
    assert _totals(result) == {"primary": pytest.approx(10), "recycled": pytest.approx(2)}
    assert result["basis"] == "default"
    assert result["difference"]["absolute"] == pytest.approx(10 - 2)
    # the workbook's report shares 0, 0.2, 1
    assert [b["share"] for b in result["blends"]] == [0, 0.2, 1]
    assert [b["total"] for b in result["blends"]] == pytest.approx([10, 0.8 * 10 + 0.2 * 2, 2])


def test_primary_route_option_picks_an_alternative(run, blend):
    result = run.json("compare", "metal", "--inventories", blend, "--primary-route", "primary-b")
    assert _totals(result) == {"primary-b": pytest.approx(20), "recycled": pytest.approx(2)}


def test_unknown_primary_route_is_a_clear_error(run, blend):
    result = run("compare", "metal", "--inventories", blend, "--primary-route", "moon")
    assert result.exit_code == 1
    assert "'moon'" in result.stderr and "primary, primary-b" in result.stderr


def test_cam_basis_adds_the_own_stages_to_the_scaled_route(run, blend):
    result = run.json("compare", "metal", "--inventories", blend, "--basis", "cam")
    assert result["functional_unit"] == "1 kilogram of cathode material"
    a, r = result["routes"]
    assert a["total"] == pytest.approx(3 + 0.5 * 10)
    assert r["total"] == pytest.approx(3 + 0.5 * 2)
    assert a["stages"] == {"mine a": pytest.approx(0.5 * 10), "precursor": pytest.approx(1),
                           "calcination": pytest.approx(4 * 0.5)}
    for route in result["routes"] + result["blends"]:
        assert sum(route["stages"].values()) == pytest.approx(route["total"])


def test_blend_at_a_share_is_the_arithmetic_mix_of_the_pure_routes(run, blend):
    result = run.json("compare", "metal", "--inventories", blend, "--basis", "cam", "--recycled-share", "0.2")
    a, r = (route["total"] for route in result["routes"])
    (mix,) = result["blends"]
    assert mix["share"] == 0.2
    assert mix["total"] == pytest.approx(0.8 * a + 0.2 * r)
    assert mix["total"] == pytest.approx(3 + 0.5 * (0.8 * 10 + 0.2 * 2))


def test_salt_basis_scales_by_the_supply_per_unit(run, blend):
    result = run.json("compare", "metal", "--inventories", blend, "--basis", "salt")
    assert _totals(result) == {"primary": pytest.approx(0.25 * 10), "recycled": pytest.approx(0.25 * 2)}


def test_basis_and_primary_route_together(run, blend):
    result = run.json("compare", "metal", "--inventories", blend, "--basis", "cam", "--primary-route", "primary-b")
    assert _totals(result)["primary-b"] == pytest.approx(3 + 0.5 * 20)


def test_unknown_basis_lists_the_offered_ones(run, blend):
    result = run("compare", "metal", "--inventories", blend, "--basis", "brick")
    assert result.exit_code == 1
    assert "'brick'" in result.stderr and "salt" in result.stderr and "cam" in result.stderr


@pytest.mark.parametrize("share", ["-0.1", "1.5"])
def test_share_outside_zero_to_one_on_the_command_line(run, blend, share):
    result = run("compare", "metal", "--inventories", blend, "--recycled-share", share)
    assert result.exit_code == 2  # a click usage error, before any work
    assert "'--recycled-share'" in result.stderr and "fraction from 0 to 1" in result.stderr
    assert "Traceback" not in result.output


def test_share_outside_zero_to_one_in_the_workbook(run, tmp_path):
    write_blend(tmp_path, dict(PARAMETERS, recycled_share={"amount": 1.5, "minimum": 0, "maximum": 1}))
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "tinyni.xlsx, sheet 'inventory', row 6, column B" in result.stderr
    assert "recycled_share = 1.5 is outside its allowed range 0 to 1" in result.stderr


def test_composition_that_does_not_sum_to_one(run, tmp_path):
    write_blend(tmp_path, dict(PARAMETERS, x_b=0.5))
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "row 9, column E" in result.stderr  # the composition_sum formula cell
    assert "composition_sum = 1.1 is outside its allowed range 1 to 1" in result.stderr


def test_copper_style_comparisons_refuse_primary_route_and_basis(run, tmp_path):
    from tiny import write_tiny

    write_tiny(tmp_path)
    result = run("compare", "metal", "--inventories", tmp_path, "--primary-route", "b")
    assert result.exit_code == 1 and "no alternative primary routes" in result.stderr
    result = run("compare", "metal", "--inventories", tmp_path, "--basis", "cam")
    assert result.exit_code == 1 and "unknown basis 'cam' of comparison metal. Known: default" in result.stderr


def test_a_basis_that_bypasses_the_supply_mix_is_refused(run, tmp_path):
    from tiny import background_activities
    from tiny_blend import blend_activities
    from workbooks import tech, write_workbook

    activities = blend_activities()
    cathode = activities[-1]
    cathode["exchanges"].append(tech("metal, primary A", 0.1))
    write_workbook(tmp_path / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(tmp_path / "tinyni.xlsx", "tinyni", activities, PARAMETERS)
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "draws on route 'metal, primary A' directly" in result.stderr
