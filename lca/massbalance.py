"""Balance a ledger per period: the credit method and the rolling-average percentage method.

Credit method (ISO 22095-2). A receipt's copper, times its period's conversion factor (the
cathode yield), becomes a credit in tonnes of cathode. Claims draw on the credits available on
their date, oldest credits first. At the end of a period unused credits are carried over for
at most ``carry-over periods`` periods, then expire; without carry-over they expire at once.
A claim larger than the credit available when it is made is rejected (and reported); it draws
nothing, so later claims are judged on what is really left.
Per period: opening (carried in) + credits in = claims out + expired + closing (carried out).

Rolling-average method. A period's recycled share is the credits of the last ``rolling window
periods`` periods (this one included) over their cathode output; the claims of a period may
not exceed that share of the period's output.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter

from .errors import CellRef, Problem
from .ledger import Ledger, period_of
from .rules import brief

__all__ = ["PeriodBalance", "ClaimCover", "Balance", "balance"]


@dataclass(frozen=True)
class PeriodBalance:
    period: str
    conversion_factor: float
    scrap_copper_t: float  # copper in the period's scrap receipts
    opening_t: float  # credits carried in
    credits_in_t: float  # scrap copper x conversion factor
    claims_out_t: float
    expired_t: float
    closing_t: float  # carried out
    receipts: int
    claims: int
    recycled_share: float | None = None  # rolling-average method
    allowance_t: float | None = None  # rolling-average method


@dataclass(frozen=True)
class ClaimCover:
    """How a claim was covered: what was available just before it, and what was left."""

    delivery: str
    period: str
    tonnes: float
    available_before_t: float
    available_after_t: float
    accepted: bool


@dataclass(frozen=True)
class Balance:
    method: str
    periods: tuple[PeriodBalance, ...]
    covers: dict  # delivery id -> ClaimCover
    problems: tuple[Problem, ...]

    def period(self, label: str) -> PeriodBalance:
        return next(p for p in self.periods if p.period == label)


_EPS = 1e-9


def balance(ledger: Ledger) -> Balance:
    if ledger.settings.method == "credit":
        return _credit(ledger)
    return _rolling(ledger)


def _events_by_period(ledger: Ledger):
    kind = ledger.settings.period
    receipts = {p: [] for p in ledger.periods}
    claims = {p: [] for p in ledger.periods}
    label_of: dict = {}  # a ledger has at most a few thousand distinct dates
    for receipt in ledger.receipts:
        day = receipt.date
        label = label_of.get(day) or label_of.setdefault(day, period_of(day, kind))
        receipts[label].append(receipt)
    for claim in ledger.claims:
        claims[period_of(claim.date, kind)].append(claim)
    by_date_and_id = attrgetter("date", "lot")
    for label in ledger.periods:  # a fixed order, so sums do not depend on the order of rows
        receipts[label].sort(key=by_date_and_id)
        claims[label].sort(key=attrgetter("date", "delivery"))
    return receipts, claims


def _claim_problem(ledger, claim, message, hint):
    return Problem(CellRef(ledger.path.name, "Claims", claim.row, "D"), message, hint)


def _credit(ledger: Ledger) -> Balance:
    settings = ledger.settings
    receipts, claims = _events_by_period(ledger)
    carried: deque[list] = deque()  # [origin period index, tonnes] from earlier periods, oldest first
    periods, covers, problems = [], {}, []
    for index, label in enumerate(ledger.periods):
        factor = ledger.conversions[label].factor
        opening = sum(lot[1] for lot in carried)
        dates = [r.date for r in receipts[label]]
        received = list(accumulate(r.gross_t * r.assay_pct / 100.0 * factor for r in receipts[label]))
        credits_in = received[-1] if received else 0.0
        used_current = claims_out = 0.0  # drawn from this period's own credits; all claims accepted
        for claim in claims[label]:
            # a day's receipts come before its claims
            arrived = bisect_right(dates, claim.date)
            current = (received[arrived - 1] if arrived else 0.0) - used_current
            available = sum(lot[1] for lot in carried) + current
            accepted = claim.tonnes <= available + _EPS
            if accepted:
                need = claim.tonnes
                while need > _EPS and carried:  # oldest credits first
                    take = min(need, carried[0][1])
                    carried[0][1] -= take
                    need -= take
                    if carried[0][1] <= _EPS:
                        carried.popleft()
                used_current += max(0.0, need)
                claims_out += claim.tonnes
            else:
                problems.append(_claim_problem(
                    ledger, claim, f"claim {brief(claim.delivery)} of {claim.tonnes:,.3f} t on {claim.date} exceeds "
                    f"the {available:,.3f} t of credit available then (period {label})",
                    "reduce the claim, or record the scrap receipts that cover it before the claim date"))
            covers[claim.delivery] = ClaimCover(claim.delivery, label, claim.tonnes, available,
                                                available - (claim.tonnes if accepted else 0.0), accepted)
        if credits_in - used_current > _EPS:
            carried.append([index, credits_in - used_current])
        expired = 0.0
        keep = settings.carry_periods if settings.carry_over else 0
        while carried and carried[0][0] + keep <= index:
            expired += carried.popleft()[1]
        closing = sum(lot[1] for lot in carried)
        periods.append(PeriodBalance(label, factor, sum(r.copper_t for r in receipts[label]), opening, credits_in,
                                     claims_out, expired, closing, len(receipts[label]), len(claims[label])))
    return Balance("credit", tuple(periods), covers, tuple(problems))


def _rolling(ledger: Ledger) -> Balance:
    window = ledger.settings.window
    receipts, claims = _events_by_period(ledger)
    credits = {p: sum(r.copper_t for r in receipts[p]) * ledger.conversions[p].factor for p in ledger.periods}
    periods, covers, problems = [], {}, []
    for index, label in enumerate(ledger.periods):
        span = ledger.periods[max(0, index - window + 1): index + 1]
        output = ledger.conversions[label].output_t
        produced = sum(ledger.conversions[p].output_t for p in span)  # 0 only for periods left out (partial read)
        share = min(1.0, sum(credits[p] for p in span) / produced) if produced > 0 else 0.0
        allowance = share * output
        used = 0.0
        for claim in sorted(claims[label], key=lambda c: (c.date, c.delivery)):
            available = allowance - used
            accepted = claim.tonnes <= available + _EPS
            if accepted:
                used += claim.tonnes
            else:
                problems.append(_claim_problem(
                    ledger, claim, f"claim {brief(claim.delivery)} of {claim.tonnes:,.3f} t exceeds what is left of "
                    f"period {label}'s allowance: recycled share {share:.2%} x {output:,.3f} t output = "
                    f"{allowance:,.3f} t, {available:,.3f} t left",
                    "reduce the claim, or claim it in a period with a larger allowance"))
            covers[claim.delivery] = ClaimCover(claim.delivery, label, claim.tonnes, available,
                                                available - (claim.tonnes if accepted else 0.0), accepted)
        periods.append(PeriodBalance(label, ledger.conversions[label].factor, sum(r.copper_t for r in receipts[label]),
                                     0.0, credits[label], used, 0.0, 0.0, len(receipts[label]), len(claims[label]),
                                     recycled_share=share, allowance_t=allowance))
    return Balance("rolling-average", tuple(periods), covers, tuple(problems))
