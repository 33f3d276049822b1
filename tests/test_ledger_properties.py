"""Property tests over random ledgers, for both methods (credit, rolling-average).

Every example is a small ledger of four quarters (2025-Q4 to 2026-Q3) written to an xlsx file:
up to 12 receipts of random categories (the ineligible 'other' included), up to 12 claims
(delivered >= claimed), a random conversion factor and output (0 included) per quarter, carry
over yes for 0, 1 or 2 periods or no, and a rolling window of 1 to 3 periods. The properties
are checked against figures recomputed from the generated rows (the receipts' metal x factor,
the outputs, the claims' periods and dates), not against the balance's own running totals
wherever that is possible.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import write_ledger

from lca.ledger import balance, read_ledger

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
START, END = dt.date(2025, 10, 1), dt.date(2026, 9, 30)
ELIGIBLE = ("air conditioner", "TV", "refrigerator", "washing machine")
CATEGORIES = ELIGIBLE + ("other",)
METHODS = ("credit", "rolling-average")
TOL = 1e-6
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def period_index(day: dt.date) -> int:
    return ((day.year - START.year) * 12 + day.month - START.month) // 3


@dataclass(frozen=True)
class Case:
    method: str
    carry_over: bool
    carry_periods: int
    window: int
    factors: tuple
    outputs: tuple
    receipts: tuple  # (date, lot, supplier, category, gross t, assay %, source)
    claims: tuple  # (date, delivery, customer, delivered t, claimed t)

    @property
    def keep(self) -> int:
        """Periods an unused credit is carried before it expires."""
        return self.carry_periods if self.carry_over else 0

    def credit(self, receipt) -> float:
        day, _, _, category, gross, assay, _ = receipt
        return gross * assay / 100 * self.factors[period_index(day)] if category in ELIGIBLE else 0.0

    def credits_in(self, index: int) -> float:
        return math.fsum(self.credit(r) for r in self.receipts if period_index(r[0]) == index)

    def metal(self, index: int, eligible: bool) -> float:
        return math.fsum(g * a / 100 for d, _, _, c, g, a, _ in self.receipts
                         if period_index(d) == index and (c in ELIGIBLE) == eligible)

    def write(self, path, seed=None):
        receipts, claims = list(self.receipts), list(self.claims)
        if seed is not None:
            random.Random(seed).shuffle(receipts)
            random.Random(seed + 1).shuffle(claims)
        return write_ledger(
            path,
            settings={"method": self.method, "ledger end": END, "carry over": "yes" if self.carry_over else "no",
                      "carry-over periods": self.carry_periods, "rolling window periods": self.window},
            receipts=receipts,
            conversions=[(p, f, o, "yield audit") for p, f, o in zip(PERIODS, self.factors, self.outputs,
                                                                      strict=True)],
            claims=claims)


days = st.integers(0, (END - START).days).map(lambda n: START + dt.timedelta(days=n))
CARRY = st.sampled_from([(True, 0), (True, 1), (True, 2), (False, 0), (False, 2)])
outputs = st.integers(0, 3).flatmap(  # a quarter in four makes nothing; otherwise 10 to 400 t
    lambda k: st.integers(1, 40).map(lambda n: n * 10.0) if k else st.just(0.0))
receipt_rows = st.tuples(days, st.sampled_from(CATEGORIES), st.integers(1, 1000).map(lambda n: n / 10),
                         st.integers(1, 100))
claim_rows = st.tuples(days, st.integers(1, 600).map(lambda n: n / 10),  # delivered 0.1 to 60 t
                       st.integers(1, 100) | st.integers(1, 10))  # claimed: per cent of it, often a few


def _claim(i, day, delivered, per_cent):
    return (day, f"D{i:02d}", "customer", delivered, round(delivered * per_cent / 100, 4))


@st.composite
def cases(draw, methods=METHODS):
    carry_over, carry_periods = draw(CARRY)
    receipts = tuple((d, f"L{i:02d}", "supplier", c, g, a, "XRF")
                     for i, (d, c, g, a) in enumerate(draw(st.lists(receipt_rows, max_size=12))))
    claims = tuple(_claim(i, *row) for i, row in enumerate(draw(st.lists(claim_rows, max_size=12))))
    return Case(method=draw(st.sampled_from(methods)), carry_over=carry_over, carry_periods=carry_periods,
                window=draw(st.integers(1, 3)),
                factors=tuple(draw(st.lists(st.sampled_from([0.5, 0.8, 0.9, 0.95, 1.0]), min_size=4, max_size=4))),
                outputs=tuple(draw(st.lists(outputs, min_size=4, max_size=4))),
                receipts=receipts, claims=claims)


def _balance(case: Case, path):
    result = balance(read_ledger(case.write(path)))
    assert [p.period for p in result.periods] == list(PERIODS)
    assert set(result.covers) == {c[1] for c in case.claims}  # every claim is judged
    return result


def _accepted(case: Case, result, index: int | None = None):
    """The claim rows accepted (of period ``index``), in the order they are judged."""
    rows = sorted(case.claims, key=lambda c: (c[0], c[1]))
    return [c for c in rows if result.covers[c[1]].accepted and (index is None or period_index(c[0]) == index)]


@EXAMPLES
@given(case=cases())
def test_claims_never_exceed_the_credits_received_less_the_expired(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    claimed = credits = expired = 0.0
    for index, label in enumerate(PERIODS):
        claimed += math.fsum(c[4] for c in _accepted(case, result, index))
        credits += case.credits_in(index)
        expired += result.period(label).expired_t
        assert claimed <= credits - expired + TOL, (label, claimed, credits, expired)
    total_credits = math.fsum(case.credit(r) for r in case.receipts)
    assert math.fsum(c[4] for c in _accepted(case, result)) <= total_credits - expired + TOL


@EXAMPLES
@given(case=cases())
def test_claims_draw_only_on_credits_not_yet_expired(tmp_path, case):
    """Without the balance's expiry figures: what is claimed (credit method: up to any claim) or
    used (rolling average) in periods i..k never exceeds the credits of the lots received in
    periods i - carry .. k (credit method: dated at most the claim's date)."""
    result = _balance(case, tmp_path / "l.xlsx")
    lots = [(period_index(r[0]), r[0], case.credit(r)) for r in case.receipts]
    if case.method == "credit":
        accepted = _accepted(case, result)
        for n, claim in enumerate(accepted):
            last = period_index(claim[0])
            for first in range(last + 1):
                claimed = math.fsum(c[4] for c in accepted[:n + 1] if period_index(c[0]) >= first)
                alive = math.fsum(t for p, d, t in lots if p >= first - case.keep and d <= claim[0])
                assert claimed <= alive + TOL, (claim, first, claimed, alive)
    else:
        for last in range(len(PERIODS)):
            for first in range(last + 1):
                used = math.fsum(result.period(PERIODS[i]).used_t for i in range(first, last + 1))
                claimed = math.fsum(c[4] for c in _accepted(case, result) if first <= period_index(c[0]) <= last)
                alive = math.fsum(t for p, _, t in lots if first - case.keep <= p <= last)
                assert claimed <= used + TOL and used <= alive + TOL, (first, last, claimed, used, alive)


@EXAMPLES
@given(case=cases(methods=("rolling-average",)))
def test_rolling_average_uses_share_x_output_and_claims_at_most_the_share(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    used = credits = 0.0
    for index, label in enumerate(PERIODS):
        p = result.period(label)
        credits += case.credits_in(index)
        used += p.used_t
        assert used <= credits + TOL, (label, used, credits)
        assert p.used_t == _approx(p.recycled_share * case.outputs[index])
        span = range(max(0, index - case.window + 1), index + 1)
        produced = math.fsum(case.outputs[i] for i in span)
        window = min(1.0, math.fsum(case.credits_in(i) for i in span) / produced) if produced > 0 else 0.0
        assert p.window_share == _approx(window), label
        assert 0 <= p.recycled_share <= p.window_share + 1e-12
        assert p.recycled_share * case.outputs[index] <= p.opening_t + p.credits_in_t + TOL  # never more than held
        if case.outputs[index] == 0:
            assert p.recycled_share == 0 and p.used_t == 0
        for claim in _accepted(case, result, index):
            assert claim[4] <= p.recycled_share * claim[3] + TOL, (claim, p.recycled_share)


@EXAMPLES
@given(case=cases())
def test_accepted_deliveries_fit_the_output_and_claims_fit_their_deliveries(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    for index, label in enumerate(PERIODS):
        accepted = _accepted(case, result, index)
        delivered = math.fsum(c[3] for c in accepted)
        assert delivered <= case.outputs[index] + TOL, (label, delivered, case.outputs[index])
        p = result.period(label)
        assert p.delivered_t == _approx(delivered) and p.claims_out_t == _approx(math.fsum(c[4] for c in accepted))
        assert p.output_t == case.outputs[index]
        for claim in accepted:
            assert claim[4] <= claim[3] + TOL
    # a claim refused for the output really does not fit beside the claims accepted before it
    left = dict(enumerate(case.outputs))
    for claim in sorted(case.claims, key=lambda c: (c[0], c[1])):
        cover, index = result.covers[claim[1]], period_index(claim[0])
        assert cover.period == PERIODS[index]
        if cover.accepted:
            left[index] -= claim[3]
        elif cover.reason == "output":
            assert claim[3] > left[index] - TOL, (claim, left[index])
        else:
            assert cover.reason == ("credit" if case.method == "credit" else "share")
            assert claim[4] > cover.available_before_t
            if case.method == "rolling-average":
                share = result.period(PERIODS[index]).recycled_share
                assert cover.available_before_t == _approx(share * claim[3])
    refused = [c for c in result.covers.values() if not c.accepted]
    assert len(result.problems) == len(refused)
    named = sorted(p.message.split()[1].rstrip(":") for p in result.problems)  # "claim 'D03' ..."
    assert named == sorted(repr(c.delivery) for c in refused)


@EXAMPLES
@given(case=cases())
def test_conservation_per_period(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    closing = 0.0
    for p in result.periods:
        assert p.opening_t == _approx(closing), p.period
        assert p.opening_t + p.credits_in_t == _approx(p.used_t + p.expired_t + p.closing_t), p.period
        assert min(p.opening_t, p.credits_in_t, p.used_t, p.claims_out_t, p.expired_t, p.closing_t) >= -1e-9
        if case.method == "credit":
            assert p.used_t == _approx(p.claims_out_t)
        closing = p.closing_t


@EXAMPLES
@given(case=cases())
def test_only_eligible_receipts_earn_credit(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    for index, label in enumerate(PERIODS):
        p = result.period(label)
        assert p.credits_in_t == _approx(case.metal(index, eligible=True) * case.factors[index]), label
        assert p.scrap_metal_t == _approx(case.metal(index, eligible=True))
        assert p.ineligible_metal_t == _approx(case.metal(index, eligible=False))
        assert p.receipts == sum(1 for r in case.receipts if period_index(r[0]) == index)
    ineligible = {r[1] for r in case.receipts if r[3] not in ELIGIBLE}
    assert not ineligible & {line.lot for line in result.trace}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases(), seed=st.integers(0, 10_000))
def test_row_order_does_not_matter(tmp_path, case, seed):
    first = balance(read_ledger(case.write(tmp_path / "a.xlsx")))
    second = balance(read_ledger(case.write(tmp_path / "b.xlsx", seed=seed)))
    assert first.periods == second.periods
    assert first.covers == second.covers

    def lines(result):
        return sorted((t.delivery, t.lot, round(t.tonnes, 9)) for t in result.trace)

    assert lines(first) == lines(second)
    assert sorted(p.message for p in first.problems) == sorted(p.message for p in second.problems)


@EXAMPLES
@given(case=cases())
def test_the_trace_accounts_for_every_claimed_tonne_once(tmp_path, case):
    result = _balance(case, tmp_path / "l.xlsx")
    receipts = {r[1]: (n + 2, r) for n, r in enumerate(case.receipts)}  # lot -> (sheet row, row)
    claims = {c[1]: c for c in case.claims}
    traced = defaultdict(float)
    for line in result.trace:
        row, receipt = receipts[line.lot]
        claim = claims[line.delivery]
        assert line.receipt_row == row and line.receipt_date == receipt[0] and line.category == receipt[3]
        assert line.tonnes > 0
        lot_period, claim_period = period_index(receipt[0]), period_index(claim[0])
        assert lot_period <= claim_period, line
        assert lot_period + case.keep >= claim_period, ("used after it expired", line, case.keep)
        if case.method == "credit":
            assert receipt[0] <= claim[0], ("lot dated after the claim", line)
        traced[line.lot] += line.tonnes
    for lot, tonnes in traced.items():
        assert tonnes <= case.credit(receipts[lot][1]) + TOL, (lot, tonnes)
    for delivery, cover in result.covers.items():
        lines = result.traced(delivery)
        if cover.accepted:
            assert math.fsum(t.tonnes for t in lines) == _approx(cover.claimed_t), delivery
            assert cover.claimed_t == claims[delivery][4]
        else:
            assert lines == (), delivery


@EXAMPLES
@given(first_quarter_day=st.integers(0, 91), output=st.integers(1, 40).map(lambda n: n * 10.0),
       carry=CARRY, claims=st.lists(claim_rows, max_size=12))
def test_rolling_average_never_claims_one_quarters_credit_twice(tmp_path, first_quarter_day, output, carry, claims):
    """The issue: 100 t of credit in the first quarter only (200 t at 50 %, factor 1.0), equal
    output every quarter, window 2: overlapping windows must not let more than 100 t be claimed."""
    day = START + dt.timedelta(days=first_quarter_day)
    case = Case(method="rolling-average", carry_over=carry[0], carry_periods=carry[1], window=2,
                factors=(1.0,) * 4, outputs=(output,) * 4,
                receipts=((day, "L00", "supplier", "air conditioner", 200, 50, "XRF"),),
                claims=tuple(_claim(i, *row) for i, row in enumerate(claims)))
    assert period_index(day) == 0
    result = _balance(case, tmp_path / "l.xlsx")
    claimed = math.fsum(c.claimed_t for c in result.covers.values() if c.accepted)
    assert claimed <= 100 + TOL, claimed
    assert math.fsum(p.used_t for p in result.periods) <= 100 + TOL


def _approx(value, tol=TOL):
    return pytest.approx(value, abs=tol, rel=1e-9)
