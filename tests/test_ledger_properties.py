"""Property tests over random ledgers (credit method, with and without carry-over)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import write_ledger

from lca.ledger import read_ledger
from lca.massbalance import balance

PERIODS = ["2025-Q4", "2026-Q1", "2026-Q2"]
START = dt.date(2025, 10, 1)
days = st.integers(min_value=0, max_value=272).map(lambda n: START + dt.timedelta(days=n))
receipt = st.tuples(days, st.floats(0.1, 100), st.floats(1, 100))
claim = st.tuples(days, st.floats(0.1, 60))
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(path, receipts, claims, carry, shuffle_seed=None):
    receipt_rows = [(d, f"L{i}", "s", "other", g, a, "assay") for i, (d, g, a) in enumerate(receipts)]
    claim_rows = [(d, f"D{i}", "c", t) for i, (d, t) in enumerate(claims)]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(receipt_rows)
        random.Random(shuffle_seed + 1).shuffle(claim_rows)
    conversions = [(p, f, "audit") for p, f in zip(PERIODS, (0.95, 0.9, 0.93), strict=True)]
    return write_ledger(path, settings={"carry over": "yes" if carry else "no", "carry-over periods": carry},
                        receipts=receipt_rows, conversions=conversions, claims=claim_rows)


@SETTINGS
@given(receipts=st.lists(receipt, max_size=12), claims=st.lists(claim, max_size=12), carry=st.integers(0, 2))
def test_claims_never_exceed_the_credit_available_and_the_balance_is_conserved(tmp_path, receipts, claims, carry):
    result = balance(read_ledger(_write(tmp_path / "l.xlsx", receipts, claims, carry)))
    for cover in result.covers.values():
        assert cover.accepted == (cover.tonnes <= cover.available_before_t + 1e-9)
        assert cover.available_after_t >= -1e-9
    total_in = total_out = total_expired = 0.0
    previous_closing = 0.0
    for period in result.periods:
        assert abs(period.opening_t - previous_closing) < 1e-6
        assert abs(period.opening_t + period.credits_in_t
                   - (period.claims_out_t + period.expired_t + period.closing_t)) < 1e-6
        assert min(period.expired_t, period.closing_t, period.claims_out_t) >= -1e-9
        total_in += period.credits_in_t
        total_out += period.claims_out_t
        total_expired += period.expired_t
        previous_closing = period.closing_t
        # independent bound: what was claimed so far never exceeds what came in so far, less what expired
        assert total_out <= total_in - total_expired + period.expired_t + 1e-6
    assert abs(total_in - (total_out + total_expired + previous_closing)) < 1e-6
    # credits in are exactly the receipts' copper times the period's factor
    factors = dict(zip(PERIODS, (0.95, 0.9, 0.93), strict=True))
    expected_in = sum(g * a / 100 * factors[f"{d.year}-Q{(d.month - 1) // 3 + 1}"] for d, g, a in receipts)
    assert abs(total_in - expected_in) < 1e-6


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(receipts=st.lists(receipt, max_size=10), claims=st.lists(claim, max_size=10), carry=st.integers(0, 2),
       seed=st.integers(0, 1000))
def test_row_order_does_not_change_the_result(tmp_path, receipts, claims, carry, seed):
    first = balance(read_ledger(_write(tmp_path / "a.xlsx", receipts, claims, carry)))
    second = balance(read_ledger(_write(tmp_path / "b.xlsx", receipts, claims, carry, shuffle_seed=seed)))
    assert first.periods == second.periods
    assert first.covers == second.covers
    assert sorted(p.message for p in first.problems) == sorted(p.message for p in second.problems)
