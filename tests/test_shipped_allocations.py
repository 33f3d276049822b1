"""Every shipped comparison and product works under every recycling allocation: a workbook added
without the cff_* parameters would break `--allocation cff` for every product drawing on it."""

from __future__ import annotations

import pytest


def test_every_shipped_comparison_offers_every_allocation(run):
    for comparison in ("cobalt", "copper", "lithium", "nickel"):
        result = run.json("compare", comparison, "--allocation", "all")
        by = {row["approach"]: row for row in result["summary"]}
        assert set(by) == {"cut-off", "avoided-burden", "cff"}, comparison
        # avoided burden gives the recycled route the primary route's burden: no difference; the CFF
        # (A = 0.5, R1 = 1, Qsin/Qp = 1 in every shipped workbook) halves the cut-off difference
        assert by["avoided-burden"]["difference"] == pytest.approx(0, abs=1e-6), comparison
        assert by["cff"]["difference"] == pytest.approx(by["cut-off"]["difference"] / 2, rel=1e-4), comparison


@pytest.mark.parametrize("approach", ["avoided-burden", "cff"])
def test_every_shipped_product_under_each_allocation(run, approach):
    result = run.json("footprint", "--all", "--compare", "--allocation", approach)
    saving = {row["product"]: row["saving"] for row in result["products"]}
    assert set(saving) >= {"air-conditioner", "cell-2170-kwh"}
    if approach == "avoided-burden":  # recycled metal carries the primary burden: nothing saved
        assert all(value == pytest.approx(0, abs=1e-6) for value in saving.values())
    else:
        assert all(value > 0 for value in saving.values())
