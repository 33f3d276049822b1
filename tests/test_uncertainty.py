"""Paired Monte Carlo and sensitivity on the tiny system of tests/tiny_uncertain.py (values by hand)."""

from __future__ import annotations

import math

import pytest
from tiny_uncertain import MEAN_A, MEAN_B, SHARE_HAUL, VAR_A, VAR_B, VAR_ELEC, write_tiny_uncertain

N = 20000
Z = 4.0  # a generous number of standard errors: the test is about the method, not luck


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return write_tiny_uncertain(tmp_path_factory.mktemp("tiny-uncertain")).parent


@pytest.fixture(scope="module")
def tiny_sobol(tmp_path_factory):
    return write_tiny_uncertain(tmp_path_factory.mktemp("tiny-sobol"), elec_uniform=True).parent


def _mc(run, folder, *args):
    return run.json("uncertainty", "metal", "-n", N, "--seed", 7, "--inventories", folder, *args)


def _within(estimate, expected, standard_error):
    assert abs(estimate - expected) <= Z * standard_error, (estimate, expected, standard_error)


def test_sum_of_independent_normals(run, tiny):
    result = _mc(run, tiny)
    a, b = result["routes"]
    difference = result["difference"]
    assert result["sampled"] == {"parameters": 1, "exchanges": 3}
    for stats, mean, variance in ((a, MEAN_A, VAR_A), (b, MEAN_B, VAR_B),
                                  (difference, MEAN_A - MEAN_B, VAR_A + VAR_B)):
        _within(stats["mean"], mean, math.sqrt(variance / N))
        # the sample variance of normal draws has standard error variance * sqrt(2 / (N - 1))
        _within(stats["std"] ** 2, variance, variance * math.sqrt(2 / (N - 1)))
        # 2.5 and 97.5 percentiles of a normal: mean -/+ 1.96 sd (standard error of a quantile ~ 2.2 sd / sqrt(N))
        _within(stats["p2_5"], mean - 1.959964 * math.sqrt(variance), 2.2 * math.sqrt(variance / N) * 1.5)
        _within(stats["p97_5"], mean + 1.959964 * math.sqrt(variance), 2.2 * math.sqrt(variance / N) * 1.5)
    assert a["deterministic"] == pytest.approx(MEAN_A, rel=1e-6)
    assert difference["deterministic"] == pytest.approx(MEAN_A - MEAN_B, rel=1e-6)
    # P(A - B > 0) for a normal with mean 1.28 and variance 0.198804
    expected = 0.5 * (1 + math.erf((MEAN_A - MEAN_B) / math.sqrt(2 * (VAR_A + VAR_B))))
    _within(result["probability_alternative_lower"], expected, math.sqrt(expected * (1 - expected) / N) + 1e-4)


def test_parameter_distribution_widens_the_spread(run, tiny):
    exchanges_only = _mc(run, tiny, "--sources", "exchanges")
    both = _mc(run, tiny)
    assert exchanges_only["sampled"] == {"parameters": 0, "exchanges": 3}
    # route B's only uncertainty is the parameter haul_co2: without it B does not move at all
    assert exchanges_only["routes"][1]["std"] == pytest.approx(0, abs=1e-9)
    _within(both["routes"][1]["std"] ** 2, VAR_B, VAR_B * math.sqrt(2 / (N - 1)))
    assert both["difference"]["std"] > exchanges_only["difference"]["std"] * 1.2  # sqrt(0.1988 / 0.1088) = 1.35
    # the parameter's draws reach route B through its formula exchange: the spread of B is the parameter's
    parameters_only = _mc(run, tiny, "--sources", "parameters")
    assert parameters_only["routes"][0]["std"] == pytest.approx(0, abs=1e-9)
    assert parameters_only["routes"][1]["std"] == pytest.approx(both["routes"][1]["std"], rel=0.05)


def test_same_seed_same_numbers(run, tiny):
    first = _mc(run, tiny)
    again = _mc(run, tiny)
    assert first == again
    other = run.json("uncertainty", "metal", "-n", N, "--seed", 8, "--inventories", tiny)
    assert other["routes"][0]["mean"] != first["routes"][0]["mean"]


def test_set_fixes_a_parameter_for_the_draws(run, tiny):
    fixed = _mc(run, tiny, "--set", "haul_co2=4")
    assert fixed["sampled"]["parameters"] == 0
    assert fixed["routes"][1]["deterministic"] == pytest.approx(0.5 + 0.2 + 4, rel=1e-6)
    assert fixed["routes"][1]["std"] == pytest.approx(0, abs=1e-9)
    assert fixed["parameters"] == [{"id": "tiny.haul_co2", "value": 4.0, "origin": "--set"}]


def test_one_at_a_time_by_hand(run, tiny_sobol):
    result = run.json("sensitivity", "metal", "--samples", 0, "--inventories", tiny_sobol)
    rows = {r["parameter"]: r for r in result["one_at_a_time"]}
    haul = rows["tiny.haul_co2"]
    # normal(3, 0.3): central 95 % interval 3 -/+ 1.959964 x 0.3; the difference A - B falls as haul_co2 rises
    assert haul["low"] == pytest.approx(3 - 1.959964 * 0.3, rel=1e-5)
    assert haul["difference_high"] == pytest.approx(MEAN_A - (0.7 + 3 + 1.959964 * 0.3), rel=1e-5)
    elec = rows["tinybg.elec_co2"]
    # uniform 0.4..0.6; A uses 2 kWh, B 1 kWh, so the difference moves by 1 kWh x (0.6 - 0.4)
    assert (elec["low"], elec["high"]) == (0.4, 0.6)
    assert elec["swing"] == pytest.approx(0.2, rel=1e-5)
    assert [r["parameter"] for r in result["one_at_a_time"]] == ["tiny.haul_co2", "tinybg.elec_co2"]


def test_sobol_indices_by_hand(run, tiny_sobol):
    result = run.json("sensitivity", "metal", "--samples", 1024, "--seed", 3, "--inventories", tiny_sobol)
    indices = {r["parameter"]: r for r in result["sobol"]["indices"]}
    assert indices["tiny.haul_co2"]["total"] == pytest.approx(SHARE_HAUL, abs=0.05)
    assert indices["tiny.haul_co2"]["first_order"] == pytest.approx(SHARE_HAUL, abs=0.05)
    assert indices["tinybg.elec_co2"]["total"] == pytest.approx(VAR_ELEC / (VAR_B + VAR_ELEC), abs=0.03)
    assert result["sobol"]["evaluations"] == 1024 * (2 + 2)


def test_bad_iterations_and_subject(run, tiny):
    bad = run("uncertainty", "metal", "-n", 1, "--inventories", tiny)
    assert bad.exit_code == 2 and "1" in bad.output
    unknown = run("uncertainty", "zinc", "--inventories", tiny)
    assert unknown.exit_code == 1 and "neither a comparison (metal)" in unknown.stderr
    not_power = run("sensitivity", "metal", "--samples", 1000, "--inventories", tiny)
    assert not_power.exit_code == 2 and "'--samples'" in not_power.stderr and "power of 2" in not_power.stderr


def test_report_carries_monte_carlo_and_sensitivity(run, tiny_sobol, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "metal.xlsx"
    args = ("-n", 4000, "--seed", 11, "--inventories", tiny_sobol)
    written = run("report", "metal", "-o", out, *args, "--sensitivity", "--samples", 256, "--date", "2026-11-23")
    assert written.exit_code == 0, written.output
    mc = run.json("uncertainty", "metal", *args)
    sens = run.json("sensitivity", "metal", "--samples", 256, "--seed", 11, "--inventories", tiny_sobol)
    book = load_workbook(out)

    def named(name):
        ((title, coordinate),) = list(book.defined_names[name].destinations)
        return book[title][coordinate.replace("$", "")].value

    assert named("CFP_difference_p2_5") == mc["difference"]["p2_5"]
    assert named("CFP_difference_p97_5") == mc["difference"]["p97_5"]
    assert named("CFP_probability_lower") == pytest.approx(mc["probability_alternative_lower"], abs=1e-4)
    sheet = book["Sensitivity"]
    table = [row for row in sheet.iter_rows(values_only=True)
             if row and row[0] in ("tiny.haul_co2", "tinybg.elec_co2") and len(row) > 7 and row[7] is not None]
    first = table[0]  # the tornado table, largest swing first
    top = sens["one_at_a_time"][0]
    assert first[0] == top["parameter"] and first[7] == top["swing"]
    (chart,) = sheet._charts
    assert chart.type == "bar" and len(chart.series) == 2  # change at the low and at the high end
    sobol = {row[0]: row for row in sheet.iter_rows(values_only=True)
             if row and row[0] in ("tiny.haul_co2",) and isinstance(row[1], float) and row[1] <= 1.2}
    assert sobol, "the Sobol table lists the parameters"
    methodology = " ".join(str(c) for row in book["Methodology"].iter_rows(values_only=True) for c in row if c)
    assert "paired sampling" in methodology
    provenance = [row for row in book["Provenance"].iter_rows(values_only=True) if row[0] == "Command"]
    assert "--seed 11" in provenance[0][1] and "-n 4000" in provenance[0][1]


@pytest.mark.parametrize("spec, message", [
    ({"amount": 3.0, "uncertainty type": 8, "scale": 1}, "uncertainty type 8 (Weibull) is not supported"),
    ({"amount": 3.0, "uncertainty type": 4, "minimum": 3.5, "maximum": 4}, "outside its minimum/maximum"),
    ({"amount": 3.0, "uncertainty type": 3}, "needs scale > 0"),
    ({"amount": 3.0, "uncertainty type": 2, "scale": 0.1, "loc": 3.0}, "must be ln|amount|"),
    ({"formula": "1 + 2", "uncertainty type": 3, "scale": 0.1}, "has a formula and a distribution"),
], ids=["weibull", "amount-outside", "no-scale", "lognormal-loc", "formula"])
def test_bad_distributions_are_located(run, tmp_path, spec, message):
    from tiny import background_activities
    from workbooks import CO2, activity, bio, write_workbook

    write_workbook(tmp_path / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(tmp_path / "tiny.xlsx", "tiny",
                   [activity("hauling", "haul", stage="haul", exchanges=[bio(CO2, 3.0, formula="haul_co2")])],
                   parameters={"haul_co2": spec})
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "tiny.xlsx, sheet 'inventory', row 6" in result.stderr and message in result.stderr
