"""The rolling-average method over four quarters, checked by hand.

Ledger 2025-10-01 to 2026-09-30, quarterly, window 2, carry over yes for 1 period:

    period   receipt (eligible)       credit           output  window share            held / output
    2025-Q4  R1 100 t x 40 % = 40 t   40 x 1.0 = 40    200     40 / 200 = 0.20         40 / 200 = 0.20
    2026-Q1  R2  25 t x 40 % = 10 t   10 x 1.0 = 10    200     (40 + 10) / 400 = 0.125 10 / 200 = 0.05 <- binds
    2026-Q2  R3 200 t x 50 % = 100 t  100 x 0.9 = 90   200     (10 + 90) / 400 = 0.25  <- binds (90 / 200 = 0.45)
    2026-Q3  R4  40 t x 50 % = 20 t   20 x 1.0 = 20      0     (90 + 20) / 200 = 0.55  share 0 (no output)

(2025-Q4 also receives X, 50 t x 50 % of the ineligible category 'other': no credit.)
2026-Q2 uses 0.25 x 200 = 50 of its 90; the 40 left are carried into 2026-Q3 and expire at its end.

Claims: D1 (Q4) 20 of 100 t = 0.20 x 100, accepted; D2 (Q1) 7.5 of 150 t = 0.05 x 150, accepted;
D3 (Q1) 1 of 100 t: 150 + 100 > 200 t of output, refused; D4 (Q2) 30 of 100 t > 0.25 x 100 = 25,
refused; D5 (Q2) 25 of 100 t, accepted; D6 (Q3) 1 of 5 t: the quarter made nothing, refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from ledgers import write_ledger

from lca.ledger import balance, read_ledger

D = dt.date
FOUR_QUARTERS = {"method": "rolling-average", "ledger end": D(2026, 9, 30), "rolling window periods": 2,
                 "carry over": "yes", "carry-over periods": 1}
RECEIPTS = [
    (D(2025, 11, 10), "R1", "Plant Kanto", "air conditioner", 100, 40, "XRF"),
    (D(2025, 11, 20), "X", "Plant Kanto", "other", 50, 50, "XRF"),
    (D(2026, 2, 10), "R2", "Plant Kansai", "TV", 25, 40, "XRF"),
    (D(2026, 5, 10), "R3", "Plant Kanto", "refrigerator", 200, 50, "XRF"),
    (D(2026, 8, 10), "R4", "Plant Kansai", "washing machine", 40, 50, "XRF"),
]
CONVERSIONS = [("2025-Q4", 1.0, 200, "audit"), ("2026-Q1", 1.0, 200, "audit"), ("2026-Q2", 0.9, 200, "audit"),
               ("2026-Q3", 1.0, 0, "audit")]
CLAIMS = [
    (D(2025, 12, 1), "D1", "ACME", 100, 20),
    (D(2026, 2, 20), "D2", "ACME", 150, 7.5),
    (D(2026, 3, 1), "D3", "Beta", 100, 1),
    (D(2026, 5, 20), "D4", "Gamma", 100, 30),
    (D(2026, 6, 1), "D5", "Gamma", 100, 25),
    (D(2026, 8, 20), "D6", "Delta", 5, 1),
]


@pytest.fixture
def result(tmp_path):
    path = write_ledger(tmp_path / "rolling.xlsx", settings=FOUR_QUARTERS, receipts=RECEIPTS,
                        conversions=CONVERSIONS, claims=CLAIMS)
    return balance(read_ledger(path))


def test_first_quarter_share_and_the_ineligible_receipt(result):
    q4 = result.period("2025-Q4")
    assert q4.credits_in_t == pytest.approx(100 * 0.40 * 1.0)
    assert q4.ineligible_metal_t == pytest.approx(50 * 0.50) and q4.scrap_metal_t == pytest.approx(100 * 0.40)
    assert q4.window_share == pytest.approx(40 / 200)
    assert q4.recycled_share == pytest.approx(40 / 200)
    assert q4.used_t == pytest.approx(40 / 200 * 200)
    assert (q4.opening_t, q4.expired_t, q4.closing_t) == pytest.approx((0, 0, 40 - 40))
    assert q4.claims_out_t == pytest.approx(20) and q4.delivered_t == pytest.approx(100)
    assert result.covers["D1"].accepted
    assert result.covers["D1"].available_before_t == pytest.approx(40 / 200 * 100)
    assert [(t.lot, t.tonnes) for t in result.traced("D1")] == [("R1", pytest.approx(20))]


def test_credit_held_binds_the_share(result):
    q1 = result.period("2026-Q1")
    assert q1.window_share == pytest.approx((40 + 10) / (200 + 200))
    assert q1.recycled_share == pytest.approx((0 + 10) / 200)  # held / output < window share
    assert q1.recycled_share < q1.window_share
    assert q1.used_t == pytest.approx(10)
    assert (q1.opening_t, q1.credits_in_t, q1.expired_t, q1.closing_t) == pytest.approx((0, 25 * 0.40, 0, 10 - 10))
    assert result.covers["D2"].accepted and result.covers["D2"].available_before_t == pytest.approx(10 / 200 * 150)
    assert [(t.lot, t.tonnes) for t in result.traced("D2")] == [("R2", pytest.approx(7.5))]


def test_claim_refused_when_deliveries_exceed_the_output(result):
    cover = result.covers["D3"]
    assert not cover.accepted and cover.reason == "output"
    assert cover.output_left_t == pytest.approx(200 - 150)
    assert result.period("2026-Q1").delivered_t == pytest.approx(150)  # D3 counts for nothing
    (problem,) = [p for p in result.problems if "'D3'" in p.message]
    assert "2026-Q1" in problem.message and "200.000 t" in problem.message and "50.000 t left" in problem.message
    assert result.traced("D3") == ()


def test_window_share_binds(result):
    q2 = result.period("2026-Q2")
    assert q2.credits_in_t == pytest.approx(200 * 0.50 * 0.9)
    assert q2.window_share == pytest.approx((10 + 90) / (200 + 200))
    assert q2.recycled_share == pytest.approx((10 + 90) / (200 + 200))  # < held / output = 90 / 200
    assert q2.recycled_share < (0 + 90) / 200
    assert q2.used_t == pytest.approx(0.25 * 200)
    assert (q2.opening_t, q2.expired_t, q2.closing_t) == pytest.approx((0, 0, 90 - 50))
    assert result.covers["D5"].accepted  # 25 = 0.25 x 100: exactly the share
    assert q2.claims_out_t == pytest.approx(25) and q2.delivered_t == pytest.approx(100)
    assert [(t.lot, t.tonnes) for t in result.traced("D5")] == [("R3", pytest.approx(25))]


def test_claim_above_share_x_delivered_is_refused_and_named(result):
    cover = result.covers["D4"]
    assert not cover.accepted and cover.reason == "share"
    assert cover.available_before_t == pytest.approx(0.25 * 100)
    (problem,) = [p for p in result.problems if "'D4'" in p.message]
    assert problem.where.sheet == "Claims" and problem.where.row == 5
    assert "2026-Q2" in problem.message
    assert f"{0.25 * 100:,.3f} t" in problem.message  # the share of the delivery
    assert f"{0 + 200 * 0.50 * 0.9:,.3f} t" in problem.message  # the credit available for the period
    assert result.traced("D4") == ()


def test_zero_output_period_and_expiry_after_one_carry_over_period(result):
    q3 = result.period("2026-Q3")
    assert q3.output_t == 0 and q3.recycled_share == 0 and q3.used_t == 0
    assert q3.window_share == pytest.approx((90 + 20) / (200 + 0))
    assert q3.opening_t == pytest.approx(90 - 50)
    assert q3.credits_in_t == pytest.approx(40 * 0.50 * 1.0)
    assert q3.expired_t == pytest.approx(90 - 50)  # R3's rest, carried one period, expires
    assert q3.closing_t == pytest.approx(20)  # R4 is still within its carry-over
    cover = result.covers["D6"]
    assert not cover.accepted and cover.reason == "output" and cover.output_left_t == 0
    assert any("'D6'" in p.message and "2026-Q3" in p.message for p in result.problems)


def test_conservation_and_problems(result):
    closing = 0.0
    for p in result.periods:
        assert p.opening_t == pytest.approx(closing)
        assert p.opening_t + p.credits_in_t == pytest.approx(p.used_t + p.expired_t + p.closing_t)
        closing = p.closing_t
    assert sorted(d for d, c in result.covers.items() if not c.accepted) == ["D3", "D4", "D6"]
    assert len(result.problems) == 3


ISSUE_CONVERSIONS = [(q, 1.0, 200, "audit") for q in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")]
ISSUE_CLAIMS = [(D(2025, 12, 1), "D1", "ACME", 200, 100), (D(2026, 2, 1), "D2", "ACME", 200, 50)]


def test_the_issue_credit_of_one_quarter_is_not_claimed_twice(run, tmp_path):
    """100 t of credit in the first quarter only, 200 t output in every quarter, window 2: the
    first quarter's 100 t claim uses all of it (share 100 / 200 x 200), so the second quarter's
    window share (100 + 0) / (200 + 200) = 25 % is capped at the 0 t held: its 50 t claim is refused."""
    path = write_ledger(tmp_path / "issue.xlsx", settings=FOUR_QUARTERS,
                        receipts=[(D(2025, 11, 1), "L1", "Plant Kanto", "TV", 200, 50, "XRF")],
                        conversions=ISSUE_CONVERSIONS, claims=ISSUE_CLAIMS)
    result = balance(read_ledger(path))
    q1, q2 = result.periods[:2]
    assert q1.recycled_share == pytest.approx(200 * 0.50 * 1.0 / 200)
    assert q1.used_t == pytest.approx(100) and q1.closing_t == pytest.approx(0)
    assert q2.window_share == pytest.approx((100 + 0) / (200 + 200))
    assert q2.recycled_share == 0 and q2.used_t == 0
    assert result.covers["D1"].accepted and not result.covers["D2"].accepted
    assert result.covers["D2"].reason == "share"
    assert sum(c.claimed_t for c in result.covers.values() if c.accepted) == pytest.approx(100)
    (problem,) = result.problems
    assert "'D2'" in problem.message and "2026-Q1" in problem.message
    cli = run("ledger", "check", path)
    assert cli.exit_code == 1
    assert "'D2'" in cli.stderr and "2026-Q1" in cli.stderr and "row 3" in cli.stderr
    assert "'D1'" not in cli.stderr
